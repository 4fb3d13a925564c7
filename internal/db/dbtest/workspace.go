package dbtest

import (
	"context"
	"testing"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/internal/auth"
	"github.com/wexio/webhooks/internal/tenant"
)

// Workspace creates a workspace named name and returns a context scoped to
// it, as a resolver's would be.
func Workspace(t testing.TB, c *ent.Client, name string) context.Context {
	t.Helper()
	ws, err := c.Workspace.Create().SetName(name).Save(auth.System(context.Background()))
	if err != nil {
		t.Fatal(err)
	}
	return tenant.WithWorkspace(context.Background(), string(ws.ID))
}
