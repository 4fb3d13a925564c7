package main

import (
	"context"
	"crypto/hmac"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/wexio/webhooks/ent/schema/pulid"
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

// pgRow is one accepted request's log row; done gets its commit's error.
type pgRow struct {
	id, method string
	at         time.Time
	dur        int
	headers    json.RawMessage
	body       string
	done       chan error
}

// pgBareTarget is the PostgreSQL ceiling: the handler checks what the real
// one must (shared secret in constant time, JSON body) and answers 202 once
// one writer goroutine has committed its row with pgx's COPY, up to
// pgBatchMax rows a transaction. No ent, no lookup, no counters.
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
	go func() { defer close(stopped); pgWriter(conn, "whk_bench", in) }()
	const secret = "pgbare-shared-secret"
	t := &target{name: "pgbare", path: "/in/pgbare", header: http.Header{}, handler: pgBareHandler(in, secret, limit)}
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

// pgBareHandler answers 202 after the writer has committed the row.
func pgBareHandler(in chan<- *pgRow, secret string, limit int64) http.Handler {
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
		headers, err := json.Marshal(redact.Headers(r.Header, isSecret))
		if err != nil {
			http.Error(w, "headers", http.StatusInternalServerError)
			return
		}
		row := &pgRow{id: string(pulid.New("log")), method: r.Method, at: began.UTC(),
			dur: int(time.Since(began).Milliseconds()), headers: headers, body: string(raw), done: make(chan error, 1)}
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

// pgWriter commits what waits on in, up to pgBatchMax rows at a time, in one
// COPY (its own transaction), and answers each row, until in is closed.
func pgWriter(conn *pgx.Conn, webhook string, in <-chan *pgRow) {
	batch := make([]*pgRow, 0, pgBatchMax)
	for first := range in {
		batch = append(batch[:0], first)
	fill:
		for len(batch) < pgBatchMax {
			select {
			case r, ok := <-in:
				if !ok {
					break fill
				}
				batch = append(batch, r)
			default:
				break fill
			}
		}
		_, err := conn.CopyFrom(context.Background(), pgx.Identifier{"bench_log"}, pgBareColumns,
			pgx.CopyFromSlice(len(batch), func(i int) ([]any, error) {
				r := batch[i]
				return []any{r.id, webhook, "INBOUND", r.at, "ACCEPTED", http.StatusAccepted, r.dur, r.method, r.headers, r.body}, nil
			}))
		for _, r := range batch {
			r.done <- err
		}
	}
}
