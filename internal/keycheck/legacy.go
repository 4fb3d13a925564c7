package keycheck

import (
	"context"
	"fmt"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/webhook"
	"github.com/wexio/webhooks/internal/auth"
	"github.com/wexio/webhooks/internal/secretbox"
)

// opensOldSecret checks box's key against a database that has no check
// value yet: one made before there was one may hold secrets sealed under
// its key, and recording a check value for another key would lock the
// right one out. The key must open one sealed webhook secret (any: they
// are all sealed under one key); a database with none accepts any key.
func opensOldSecret(ctx context.Context, c *ent.Client, box *secretbox.Box) error {
	w, err := c.Webhook.Query().Where(webhook.SecretNotNil()).Order(ent.Asc(webhook.FieldID)).
		Select(webhook.FieldID, webhook.FieldSecret).First(auth.System(ctx))
	if ent.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("reading a sealed webhook secret: %w", err)
	}
	if _, err := box.Open(w.Secret, string(w.ID)); err != nil {
		return fmt.Errorf("checking the secret key on webhook %s: %w", w.ID, ErrWrongKey)
	}
	return nil
}
