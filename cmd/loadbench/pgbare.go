package main

import (
	"context"
	"crypto/hmac"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/schema/schematype"

	"github.com/jackc/pgx/v5"

	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/internal/groupcommit"
	"github.com/wexio/webhooks/internal/redact"
)

// pgBatchMax is the most rows one pgbare transaction commits.
const pgBatchMax = 256

const pgBareSchema = `CREATE TABLE bench_log (
	id text PRIMARY KEY, webhook text NOT NULL, direction text NOT NULL,
	time timestamptz NOT NULL, outcome text NOT NULL, status int NOT NULL,
	duration int NOT NULL, method text NOT NULL, headers jsonb NOT NULL, body text NOT NULL);
CREATE INDEX bench_log_webhook_time ON bench_log (webhook, time)`

var pgBareColumns = []string{"id", "webhook", "direction", "time", "outcome", "status", "duration", "method", "headers", "body"}

// pgRow is one accepted request's log row, as the values of its table's
// columns; done gets its commit's error.
type pgRow struct {
	id     string
	values []any
	done   chan error
}

// pgValues are the values of the row of request r with body raw (arrived
// at began, headers redacted), whose id is id.
type pgValues func(id string, r *http.Request, raw []byte, began time.Time, headers map[string]string) ([]any, error)

// bareValues are bench_log's columns.
func bareValues(id string, r *http.Request, raw []byte, began time.Time, headers map[string]string) ([]any, error) {
	h, err := json.Marshal(headers)
	if err != nil {
		return nil, err
	}
	return []any{id, "whk_bench", "INBOUND", began.UTC(), "ACCEPTED", http.StatusAccepted,
		int(time.Since(began).Milliseconds()), r.Method, json.RawMessage(h), string(raw)}, nil
}

// pgBareTarget is the PostgreSQL ceiling: the handler checks what the real
// one must (shared secret in constant time, JSON body) and answers 202 once
// one writer goroutine has committed its row with pgx's COPY, up to
// pgBatchMax rows a transaction. No ent, no lookup, no counters, and a row
// narrower than the server's, in a table of its own (pgsame writes the
// server's).
func pgBareTarget(ctx context.Context, dbURL string, limit int64) (*target, error) {
	if err := resetSchema(ctx, dbURL); err != nil {
		return nil, err
	}
	conn, err := pgConnect(ctx, dbURL)
	if err != nil {
		return nil, err
	}
	if _, err := conn.Exec(ctx, pgBareSchema); err != nil {
		_ = conn.Close(ctx)
		return nil, fmt.Errorf("creating bench_log: %w", err)
	}
	in := make(chan *pgRow, 1024)
	stopped := make(chan struct{})
	go func() { defer close(stopped); pgWriter(conn, pgx.Identifier{"bench_log"}, pgBareColumns, in) }()
	const secret = "pgbare-shared-secret"
	t := &target{name: "pgbare", path: "/in/pgbare", header: http.Header{}, handler: pgBareHandler(in, secret, limit, bareValues)}
	t.header.Set("X-Webhook-Secret", secret)
	t.close = func() { close(in); <-stopped; _ = conn.Close(context.Background()) }
	t.count = func(ctx context.Context) int {
		c, err := pgConnect(ctx, dbURL)
		if err != nil {
			return -1
		}
		defer func() { _ = c.Close(context.Background()) }()
		var n int
		if err := c.QueryRow(ctx, "SELECT count(*) FROM bench_log").Scan(&n); err != nil {
			return -1
		}
		return n
	}
	return t, nil
}

// pgBareHandler answers 202 after the writer has committed the row values
// makes.
func pgBareHandler(in chan<- *pgRow, secret string, limit int64, values pgValues) http.Handler {
	isSecret := func(k string) bool { return redact.IsSecret(k, map[string]bool{"x-webhook-secret": true}) }
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		began := time.Now()
		raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
		if err != nil {
			http.Error(w, "read", http.StatusBadRequest)
			return
		}
		if !hmac.Equal([]byte(r.Header.Get("X-Webhook-Secret")), []byte(secret)) {
			http.Error(w, "secret", http.StatusUnauthorized)
			return
		}
		if !json.Valid(raw) {
			http.Error(w, "json", http.StatusBadRequest)
			return
		}
		id := string(pulid.New("log"))
		vals, err := values(id, r, raw, began, redact.Headers(r.Header, isSecret))
		if err != nil {
			http.Error(w, "row", http.StatusInternalServerError)
			return
		}
		row := &pgRow{id: id, values: vals, done: make(chan error, 1)}
		in <- row
		if err := <-row.done; err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusAccepted)
		_, _ = w.Write([]byte(`{"id":"` + row.id + `","status":"accepted"}`))
	})
}

// pgWriter commits what waits on in to table, up to pgBatchMax rows at a
// time, in one COPY (its own transaction), and answers each row, until in
// is closed.
func pgWriter(conn *pgx.Conn, table pgx.Identifier, columns []string, in <-chan *pgRow) {
	batch := make([]*pgRow, 0, pgBatchMax)
	for first := range in {
		batch = groupcommit.Gather(append(batch[:0], first), in, pgBatchMax)
		_, err := conn.CopyFrom(context.Background(), table, columns,
			pgx.CopyFromSlice(len(batch), func(i int) ([]any, error) { return batch[i].values, nil }))
		for _, r := range batch {
			r.done <- err
		}
	}
}

// pgSameTarget is pgbare writing the server's own row: the handler as
// bare, its row the full path's (webhook_logs, request and answer as JSON)
// into the migrated schema of store d, with its indexes, foreign keys and
// counting triggers. full/pgsame is what the server's request path costs
// over writing the same row; full/pgbare adds what that row costs.
func pgSameTarget(ctx context.Context, t *target, dbURL string, hook *ent.Webhook, secret string, limit int64) (*target, error) {
	conn, err := pgConnect(ctx, dbURL)
	if err != nil {
		return nil, err
	}
	in := make(chan *pgRow, 1024)
	stopped := make(chan struct{})
	columns := []string{"id", "workspace_id", "webhook_id", "direction", "occurred_at", "outcome",
		"status_code", "duration_ms", "request", "response"}
	go func() { defer close(stopped); pgWriter(conn, pgx.Identifier{"webhook_logs"}, columns, in) }()
	values := func(id string, r *http.Request, raw []byte, began time.Time, headers map[string]string) ([]any, error) {
		req, err := json.Marshal(schematype.HTTPMessage{Method: r.Method, URL: r.URL.Path, Headers: headers, Body: string(raw)})
		if err != nil {
			return nil, err
		}
		res, err := json.Marshal(schematype.HTTPMessage{Headers: map[string]string{"Content-Type": "application/json"},
			Body: `{"id":"` + id + `","status":"accepted"}`})
		if err != nil {
			return nil, err
		}
		return []any{id, string(hook.WorkspaceID), string(hook.ID), "INBOUND", began.UTC(), "ACCEPTED", http.StatusAccepted,
			int(time.Since(began).Milliseconds()), json.RawMessage(req), json.RawMessage(res)}, nil
	}
	t.handler = pgBareHandler(in, secret, limit, values)
	closeStore := t.close
	t.close = func() { close(in); <-stopped; _ = conn.Close(context.Background()); closeStore() }
	t.header.Set("X-Webhook-Secret", secret)
	return t, nil
}
