package store

import (
	"context"
	"fmt"
	"sync"

	"github.com/wexio/webhooks/ent"
	entmigrate "github.com/wexio/webhooks/ent/migrate"
)

// migrating serialises migrations within the process: ent's Atlas migrator
// rewrites the package-level table descriptors of ent/migrate while it
// runs, so two stores opened at once (tests, a CLI command beside a server
// in one process, both drivers) would race on them. Across processes each
// driver takes its database's own lock.
var migrating sync.Mutex

// Migrate brings c's database to this version's schema: ent's tables,
// then the hand-kept ones (more), in dialect d.
func Migrate(ctx context.Context, c *ent.Client, d string, more []Migration) error {
	migrating.Lock()
	defer migrating.Unlock()
	// Indexes the schema no longer declares are dropped, so a replaced
	// index does not go on costing every write.
	if err := c.Schema.Create(ctx, entmigrate.WithDropIndex(true)); err != nil {
		return fmt.Errorf("migrating ent's schema: %w", err)
	}
	for _, m := range more {
		if err := m(ctx, c, d); err != nil {
			return err
		}
	}
	return nil
}
