package main

import (
	"context"
	"crypto/subtle"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "github.com/mattn/go-sqlite3" // the same SQLite driver as the server

	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/internal/groupcommit"
	"github.com/wexio/webhooks/internal/redact"
)

// The groupcommit target is the inbound baseline, word for word:
// "checks the secret in constant time, checks the body is JSON, answers 202
// after one writer goroutine commits its log row (≤ 256 rows per
// transaction, plain database/sql, WAL, synchronous=NORMAL, one
// connection); the row: id, webhook, direction, time, outcome, status,
// duration, method, headers as JSON with the secret redacted, body; one
// index on (webhook, time)". None of our packages is on its path but the id
// generator and the redaction marker.

// gcBatchMax is the most rows one groupcommit transaction commits.
const gcBatchMax = 256

// gcSecret is the shared secret the groupcommit target checks.
const gcSecret = "groupcommit-shared-secret"

// gcColumns is the number of columns of a logs row.
const gcColumns = 10

// gcSchema is the baseline's table: occurred_at is Unix nanoseconds (the
// cheaper of INTEGER and TEXT), headers the redacted headers as JSON.
const gcSchema = `CREATE TABLE logs (
	id TEXT PRIMARY KEY, webhook_id TEXT NOT NULL, direction TEXT NOT NULL,
	occurred_at INTEGER NOT NULL, outcome TEXT NOT NULL, status INTEGER NOT NULL,
	duration_ms INTEGER NOT NULL, method TEXT NOT NULL, headers TEXT NOT NULL, body TEXT NOT NULL);
CREATE INDEX logs_webhook_time ON logs (webhook_id, occurred_at)`

// gcRow is one accepted request's log row (the values of logs' columns, in
// order); done gets its transaction's outcome.
type gcRow struct {
	values [gcColumns]any
	done   chan error
}

// groupCommitTarget serves the baseline over a SQLite file of its own under
// dir/groupcommit, whatever -database-url says: the baseline is
// SQLite's.
func groupCommitTarget(ctx context.Context, dir string, limit int64) (*target, error) {
	db, err := openGroupCommit(ctx, filepath.Join(dir, "groupcommit", "bench.db"))
	if err != nil {
		return nil, err
	}
	w, err := newGCWriter(ctx, db)
	if err != nil {
		_ = db.Close()
		return nil, err
	}
	in := make(chan *gcRow, 1024)
	stopped := make(chan struct{})
	go func() { defer close(stopped); w.run(in) }()
	t := &target{name: "groupcommit", path: "/in/groupcommit", header: http.Header{},
		handler: groupCommitHandler(in, "whk_groupcommit", gcSecret, limit)}
	t.header.Set("X-Webhook-Secret", gcSecret)
	t.close = func() { close(in); <-stopped; w.close(); _ = db.Close() }
	t.count = func(ctx context.Context) int {
		var n int
		if err := db.QueryRowContext(ctx, "SELECT count(*) FROM logs").Scan(&n); err != nil {
			return -1
		}
		return n
	}
	return t, nil
}

// openGroupCommit creates the SQLite file at path with the logs table, over
// one connection in WAL mode with synchronous=NORMAL.
func openGroupCommit(ctx context.Context, path string) (*sql.DB, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, err
	}
	q := url.Values{}
	q.Set("_journal_mode", "WAL")
	q.Set("_synchronous", "NORMAL")
	db, err := sql.Open("sqlite3", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	db.SetConnMaxLifetime(0)
	if err := checkPragmas(ctx, db); err != nil {
		_ = db.Close()
		return nil, err
	}
	if _, err := db.ExecContext(ctx, gcSchema); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("creating logs: %w", err)
	}
	return db, nil
}

// checkPragmas holds the connection to what the baseline names: WAL and
// synchronous=NORMAL.
func checkPragmas(ctx context.Context, db *sql.DB) error {
	var mode string
	var sync int
	if err := db.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
		return err
	}
	if err := db.QueryRowContext(ctx, "PRAGMA synchronous").Scan(&sync); err != nil {
		return err
	}
	if !strings.EqualFold(mode, "wal") || sync != 1 { // 1 is NORMAL
		return fmt.Errorf("groupcommit: journal_mode %s, synchronous %d; want wal, 1 (NORMAL)", mode, sync)
	}
	return nil
}

// groupCommitHandler checks the secret in constant time and the body is
// JSON, and answers 202 once the writer has committed its row.
func groupCommitHandler(in chan<- *gcRow, webhook, secret string, limit int64) http.Handler {
	isSecret := func(k string) bool { return k == "X-Webhook-Secret" } // redact.Headers canonicalizes k
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		began := time.Now()
		raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
		if err != nil {
			http.Error(w, "read", http.StatusBadRequest)
			return
		}
		if subtle.ConstantTimeCompare([]byte(r.Header.Get("X-Webhook-Secret")), []byte(secret)) != 1 {
			http.Error(w, "secret", http.StatusUnauthorized)
			return
		}
		if !json.Valid(raw) {
			http.Error(w, "json", http.StatusBadRequest)
			return
		}
		headers, err := json.Marshal(redact.Headers(r.Header, isSecret))
		if err != nil {
			http.Error(w, "headers", http.StatusInternalServerError)
			return
		}
		id := string(pulid.New("log"))
		row := &gcRow{done: make(chan error, 1), values: [gcColumns]any{
			id, webhook, "INBOUND", began.UnixNano(), "ACCEPTED", http.StatusAccepted,
			time.Since(began).Milliseconds(), r.Method, string(headers), string(raw)}}
		in <- row
		if err := <-row.done; err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusAccepted)
		_, _ = w.Write([]byte(`{"id":"` + id + `","status":"accepted"}`))
	})
}

// gcWriter is the one writer goroutine's state. Each transaction is one
// prepared multi-row INSERT of the whole batch (a statement per batch size,
// prepared on first use), the faster of the two the baseline allows: per
// row it took 0.80-0.97x the time of a prepared single-row statement
// executed per row in the transaction, never more, at 8, 64 and 256 rows a
// batch (BenchmarkGroupCommitInsert, 1 KiB bodies, 2 cores, three runs).
// singleRow keeps the other for that benchmark.
type gcWriter struct {
	db        *sql.DB
	singleRow bool
	stmts     [gcBatchMax + 1]*sql.Stmt // the INSERT of n rows at stmts[n]
	args      []any
}

func newGCWriter(ctx context.Context, db *sql.DB) (*gcWriter, error) {
	w := &gcWriter{db: db, args: make([]any, 0, gcBatchMax*gcColumns)}
	var err error
	w.stmts[1], err = db.PrepareContext(ctx, insertRows(1))
	if err != nil {
		return nil, err
	}
	return w, nil
}

// insertRows is an INSERT of n rows into logs.
func insertRows(n int) string {
	var b strings.Builder
	b.WriteString("INSERT INTO logs (id, webhook_id, direction, occurred_at, outcome, status, duration_ms, method, headers, body) VALUES ")
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("(?,?,?,?,?,?,?,?,?,?)")
	}
	return b.String()
}

// run commits what waits on in, up to gcBatchMax rows a transaction, and
// answers each row, until in is closed.
func (w *gcWriter) run(in <-chan *gcRow) {
	batch := make([]*gcRow, 0, gcBatchMax)
	for first := range in {
		batch = groupcommit.Gather(append(batch[:0], first), in, gcBatchMax)
		err := w.commit(batch)
		for _, r := range batch {
			r.done <- err
		}
	}
}

// commit inserts batch in one transaction.
func (w *gcWriter) commit(batch []*gcRow) error {
	ctx := context.Background()
	n := len(batch)
	if w.singleRow {
		n = 1
	}
	if w.stmts[n] == nil { // before BEGIN: the one connection is the transaction's after it
		st, err := w.db.PrepareContext(ctx, insertRows(n))
		if err != nil {
			return err
		}
		w.stmts[n] = st
	}
	tx, err := w.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	st := tx.StmtContext(ctx, w.stmts[n]) // the same prepared statement: one connection
	if w.singleRow {
		for _, r := range batch {
			if _, err := st.ExecContext(ctx, r.values[:]...); err != nil {
				_ = tx.Rollback()
				return err
			}
		}
	} else {
		w.args = w.args[:0]
		for _, r := range batch {
			w.args = append(w.args, r.values[:]...)
		}
		if _, err := st.ExecContext(ctx, w.args...); err != nil {
			_ = tx.Rollback()
			return err
		}
	}
	return tx.Commit()
}

func (w *gcWriter) close() {
	for _, s := range w.stmts {
		if s != nil {
			_ = s.Close()
		}
	}
}
