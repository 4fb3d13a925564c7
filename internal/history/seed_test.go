package history

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/oklog/ulid/v2"

	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/internal/auth"
	"github.com/wexio/webhooks/internal/db/dbtest"
	"github.com/wexio/webhooks/internal/db/sqlite"
	"github.com/wexio/webhooks/internal/store"
)

// The benchmark history spans the retention window up to benchEnd.
var (
	benchEnd   = now
	benchStart = now.Add(-retention)
	eventTypes = []string{"contact.created", "contact.updated", "message.sent", "message.delivered",
		"chat.opened", "chat.closed", "flow.finished", "order.paid", "order.refunded", "webhook.test"}
)

// benchRows is the number of log rows to seed: HISTORY_BENCH_ROWS or 1e6.
func benchRows(tb testing.TB) int {
	if s := os.Getenv("HISTORY_BENCH_ROWS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1000 {
			tb.Fatalf("HISTORY_BENCH_ROWS=%q: want an integer of at least 1000", s)
		}
		return n
	}
	return 1_000_000
}

// seededDB returns the path of a database holding n log rows, seeding it
// once under os.TempDir() and reusing it on later runs.
func seededDB(tb testing.TB, n int) string {
	path := filepath.Join(os.TempDir(), fmt.Sprintf("wexio-history-bench-v1-%d.db", n))
	if _, err := os.Stat(path); err == nil {
		return path
	}
	tmp := path + ".seeding"
	for _, f := range []string{tmp, tmp + "-wal", tmp + "-shm"} {
		_ = os.Remove(f)
	}
	began := time.Now()
	if err := seed(tmp, n); err != nil {
		tb.Fatalf("seeding %s: %v", tmp, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		tb.Fatal(err)
	}
	tb.Logf("seeded %d log rows into %s in %s", n, path, time.Since(began).Round(time.Second))
	return path
}

// benchStore opens a store holding n seeded log rows (seedHooks, seedRows):
// on SQLite the file seededDB keeps (a copy when private, for benchmarks
// that write); on PostgreSQL a fresh database, seeded now.
func benchStore(tb testing.TB, n int, private bool) *store.Store {
	if !dbtest.Postgres() {
		path := seededDB(tb, n)
		if private {
			path = filepath.Join(tb.TempDir(), "copy.db")
			if err := copyFile(seededDB(tb, n), path); err != nil {
				tb.Fatal(err)
			}
		}
		d := openStore(tb, path)
		tb.Cleanup(func() { _ = d.Close() })
		return d
	}
	d := dbtest.Open(tb, MigrateCounters)
	began := time.Now()
	hooks, err := seedHooks(auth.System(context.Background()), d)
	if err == nil {
		err = seedAll(func() (seedTx, error) { return d.Write.Tx(context.Background()) }, d.Dialect, hooks, n)
	}
	if err == nil { // as the pruner leaves them between passes
		err = FoldCounters(context.Background(), d.Write, d.Dialect, time.Time{})
	}
	if err == nil {
		_, err = d.Write.ExecContext(context.Background(), "ANALYZE")
	}
	if err != nil {
		tb.Fatalf("seeding PostgreSQL: %v", err)
	}
	tb.Logf("seeded %d log rows into PostgreSQL in %s", n, time.Since(began).Round(time.Second))
	return d
}

// seed creates the schema and the seed (seedHooks, seedRows) in a SQLite
// file at path.
func seed(path string, n int) error {
	ctx := auth.System(context.Background())
	d, err := sqlite.Open(ctx, path, store.Options{Migrations: []store.Migration{MigrateCounters}})
	if err != nil {
		return err
	}
	hooks, err := seedHooks(ctx, d)
	if err != nil {
		return err
	}
	if err := d.Close(); err != nil {
		return err
	}
	raw, err := sql.Open("sqlite3", "file:"+path+"?_journal_mode=WAL&_synchronous=OFF&_foreign_keys=off")
	if err != nil {
		return err
	}
	defer raw.Close()
	if err := seedAll(func() (seedTx, error) { return raw.Begin() }, "", hooks, n); err != nil {
		return err
	}
	_, err = raw.Exec("ANALYZE")
	return err
}

// seedTx is a transaction of database/sql's or ent's.
type seedTx interface {
	store.Execer
	Commit() error
	Rollback() error
}

// seedAll writes the n rows, a transaction from begin per 50,000, in a
// database of SQL dialect dialect ("" for SQLite).
func seedAll(begin func() (seedTx, error), dialect string, hooks []seedHook, n int) error {
	const perTx = 50_000
	for from := 0; from < n; from += perTx {
		tx, err := begin()
		if err != nil {
			return err
		}
		if err := seedRange(tx, dialect, hooks, from, min(from+perTx, n), n); err != nil {
			_ = tx.Rollback()
			return err
		}
		if err := tx.Commit(); err != nil {
			return err
		}
	}
	return nil
}

// seedHooks creates a workspace "bench" with 4 inbound and 4 outbound
// webhooks and a workspace "other" with one. The rows to come (seedRows)
// are spread evenly over the window: 5% in "other", the rest round-robin
// over the bench webhooks. Inbound rows are 97% ACCEPTED, 2% REJECTED, 1%
// DUPLICATE; outbound rows 95% SUCCEEDED and carry an event each, of one
// of ten types ("webhook.test" 1%).
func seedHooks(ctx context.Context, d *store.Store) ([]seedHook, error) {
	var hooks []seedHook
	for _, ws := range []string{"bench", "other"} {
		w, err := d.Write.Workspace.Create().SetName(ws).Save(ctx)
		if err != nil {
			return nil, err
		}
		for i := range map[string]int{"bench": 8, "other": 1}[ws] {
			dir := schematype.DirectionInbound
			if i >= 4 {
				dir = schematype.DirectionOutbound
			}
			h, err := d.Write.Webhook.Create().SetWorkspaceID(w.ID).SetName(fmt.Sprint(ws, i)).
				SetDirection(dir).Save(ctx)
			if err != nil {
				return nil, err
			}
			hooks = append(hooks, seedHook{string(w.ID), string(h.ID), dir})
		}
	}
	return hooks, nil
}

type seedHook struct {
	ws, id string
	dir    schematype.Direction
}

const logCols = "id, direction, occurred_at, outcome, status_code, duration_ms, request, workspace_id, webhook_id, event_id"

// seedRange inserts log rows [from, to) of n, and their events, in
// multi-row INSERTs through db.
func seedRange(db store.Execer, dialect string, hooks []seedHook, from, to, n int) error {
	const chunk = 500
	step := retention / time.Duration(n)
	for lo := from; lo < to; lo += chunk {
		var logs, evs []any
		for i := lo; i < min(lo+chunk, to); i++ {
			at := benchStart.Add(time.Duration(i) * step)
			u := ulid.MustNew(ulid.Timestamp(at), ulid.DefaultEntropy()).String()
			h := hooks[i%7+1] // the bench webhooks but the first, round-robin
			if i%20 == 0 {
				h = hooks[len(hooks)-1]
			} else if i%7 == 3 {
				h = hooks[0]
			}
			outcome, evID := inboundOutcome(i), any(nil)
			if h.dir == schematype.DirectionOutbound {
				outcome, evID = schematype.OutcomeSucceeded, "evt_"+u
				if i%20 == 1 {
					outcome = schematype.OutcomeFailed
				}
				typ := eventTypes[i%9]
				if i%100 == 2 {
					typ = eventTypes[9]
				}
				evs = append(evs, evID, typ, at, []byte(`{"id":1}`), h.ws)
			}
			logs = append(logs, "log_"+u, h.dir, at, outcome, 200, 12,
				`{"method":"POST","url":"https://hooks.example.com/in/tok","headers":{"Content-Type":"application/json","User-Agent":"bench"},"body":"{\"type\":\"order.paid\",\"data\":{\"id\":12345,\"amount\":4200,\"currency\":\"EUR\"}}"}`,
				h.ws, h.id, evID)
		}
		if err := insert(db, dialect, "events", "id, type, occurred_at, data, workspace_id", 5, evs); err != nil {
			return err
		}
		if err := insert(db, dialect, "webhook_logs", logCols, 10, logs); err != nil {
			return err
		}
	}
	return nil
}

func inboundOutcome(i int) schematype.LogOutcome {
	switch {
	case i%50 == 5:
		return schematype.OutcomeRejected
	case i%100 == 6:
		return schematype.OutcomeDuplicate
	}
	return schematype.OutcomeAccepted
}

// insert writes args, cols values a row, in one statement.
func insert(db store.Execer, dialect, table, cols string, width int, args []any) error {
	if len(args) == 0 {
		return nil
	}
	row := "(" + strings.TrimSuffix(strings.Repeat("?,", width), ",") + ")"
	q := "INSERT INTO " + table + " (" + cols + ") VALUES " +
		strings.TrimSuffix(strings.Repeat(row+",", len(args)/width), ",")
	_, err := db.ExecContext(context.Background(), dbtest.Rebind(dialect, q), args...)
	return err
}
