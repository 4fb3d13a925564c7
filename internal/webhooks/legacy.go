package webhooks

import (
	"context"
	"fmt"
	"maps"
	"strings"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/ent/webhook"
	"github.com/wexio/webhooks/internal/auth"
	"github.com/wexio/webhooks/internal/redact"
)

// legacyPage is how many webhooks SealLegacy reads at a time.
const legacyPage = 500

// SealLegacy seals what outbound webhooks stored by earlier versions keep
// in plain text: the values of static headers not on the harmless list
// (only credential names were sealed) and the query values of their URLs.
// The server runs it at every start, before serving, so it is cheap once
// done: one read of the outbound webhooks. Each webhook is written by an
// UPDATE conditional on the updated_at it was read with, so servers
// starting together seal it once, and a change made through the API
// meanwhile (sealed already) is not overwritten. It returns how many
// webhooks it sealed.
func (s *Service) SealLegacy(ctx context.Context, c *ent.Client) (int, error) {
	ctx = auth.System(ctx) // every workspace's webhooks
	sealed := 0
	var after pulid.ID
	for {
		page, err := c.Webhook.Query().
			Where(webhook.DirectionEQ(schematype.DirectionOutbound), webhook.IDGT(after)).
			Order(ent.Asc(webhook.FieldID)).Limit(legacyPage).
			Select(webhook.FieldID, webhook.FieldURL, webhook.FieldURLSealed, webhook.FieldHeaders, webhook.FieldUpdatedAt).
			All(ctx)
		if err != nil {
			return sealed, fmt.Errorf("reading outbound webhooks to seal: %w", err)
		}
		for _, w := range page {
			ok, err := s.sealLegacy(ctx, c, w)
			if err != nil {
				return sealed, err
			}
			if ok {
				sealed++
			}
		}
		if len(page) < legacyPage {
			return sealed, nil
		}
		after = page[len(page)-1].ID
	}
}

// sealLegacy seals w's plain-text URL query and header values, if it has
// any, unless its row changed since w was read. It reports whether it
// wrote the row.
func (s *Service) sealLegacy(ctx context.Context, c *ent.Client, w *ent.Webhook) (bool, error) {
	u := c.Webhook.Update().Where(webhook.ID(w.ID), webhook.UpdatedAt(w.UpdatedAt))
	plain := false
	if shown := redact.URL(w.URL); len(w.URLSealed) == 0 && shown != w.URL {
		u.SetURL(shown).SetURLSealed(s.box.Seal(w.URL, string(w.ID)+urlContext))
		plain = true
	}
	var headers map[string]string
	for k, v := range w.Headers {
		// A value with the prefix was sealed by this server: earlier
		// versions sealed credential names the same way.
		if redact.Harmless(k) || strings.HasPrefix(v, sealedPrefix) {
			continue
		}
		if headers == nil {
			headers = maps.Clone(w.Headers)
		}
		headers[k] = s.sealHeader(w.ID, k, v)
	}
	if headers != nil {
		u.SetHeaders(headers)
		plain = true
	}
	if !plain {
		return false, nil
	}
	n, err := u.Save(ctx)
	if err != nil {
		return false, fmt.Errorf("sealing the URL and headers of webhook %s: %w", w.ID, err)
	}
	return n > 0, nil
}
