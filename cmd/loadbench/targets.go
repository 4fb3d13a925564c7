package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/internal/auth"
	"github.com/wexio/webhooks/internal/config"
	"github.com/wexio/webhooks/internal/inbound"
	"github.com/wexio/webhooks/internal/livetail"
	"github.com/wexio/webhooks/internal/redact"
	"github.com/wexio/webhooks/internal/secretbox"
	"github.com/wexio/webhooks/internal/store"
	"github.com/wexio/webhooks/internal/tenant"
	"github.com/wexio/webhooks/internal/webhooks"
)

// targetNames are the measured handlers, in run order; "pgbare" and
// "pgsame" need -database-url.
var targetNames = []string{"bare", "pgbare", "pgsame", "groupcommit", "storeinsert", "full"}

// target is one handler ready to serve, with what a client must send.
type target struct {
	name    string
	handler http.Handler              // mounted on "/in/{token}"
	path    string                    // "/in/<token>"
	header  http.Header               // extra request headers (the shared secret)
	db      *store.Store              // nil for bare, pgbare and groupcommit
	count   func(context.Context) int // pgbare's and groupcommit's row count
	close   func()
}

// rows counts the log rows the target committed (-1 without a database).
func (t *target) rows(ctx context.Context) int {
	if t.count != nil {
		return t.count(ctx)
	}
	if t.db == nil {
		return -1
	}
	n, err := t.db.Read.WebhookLog.Query().Count(auth.System(ctx))
	if err != nil {
		return -1
	}
	return n
}

// newTarget builds the named target over a fresh store (openStore).
func newTarget(ctx context.Context, name, dir, dbURL string, log *slog.Logger) (*target, error) {
	cfg := config.Default()
	if name == "bare" {
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.Copy(io.Discard, r.Body)
			w.WriteHeader(http.StatusAccepted)
		})
		return &target{name: name, handler: h, path: "/in/bare", header: http.Header{}, close: func() {}}, nil
	}
	if name == "pgbare" {
		if dbURL == "" {
			return nil, fmt.Errorf("pgbare needs -database-url")
		}
		return pgBareTarget(ctx, dbURL, cfg.InboundMaxBytes)
	}
	if name == "groupcommit" {
		return groupCommitTarget(ctx, dir, cfg.InboundMaxBytes)
	}
	d, err := openStore(ctx, name, dir, dbURL, log)
	if err != nil {
		return nil, err
	}
	box, err := secretbox.New(bytes.Repeat([]byte{7}, secretbox.KeySize))
	if err != nil {
		return nil, err
	}
	_, key, err := auth.NewService(d.Read, d.Write).CreateWorkspace(ctx, "bench")
	if err != nil {
		return nil, err
	}
	wctx, err := auth.NewService(d.Read, d.Write).Authenticate(ctx, key)
	if err != nil {
		return nil, err
	}
	hooks := webhooks.NewService(webhooks.Config{PublicURL: cfg.PublicURL, MaxRetries: 5, TimeoutSeconds: 15}, box, time.Now)
	hook, secret, err := hooks.CreateInbound(wctx, d.Write, webhooks.CreateInboundInput{Name: "bench"})
	if err != nil {
		return nil, fmt.Errorf("creating webhook: %w", err)
	}
	writer := d.Writer
	t := &target{name: name, path: "/in/" + *hook.Token, header: http.Header{}, db: d,
		close: func() { _ = d.Close() }}
	if name == "storeinsert" {
		t.handler = insertHandler(writer, hook, cfg.InboundMaxBytes)
		return t, nil
	}
	if name == "pgsame" {
		return pgSameTarget(ctx, t, dbURL, hook, *secret, cfg.InboundMaxBytes)
	}
	// full: the inbound handler as internal/app wires it, with its caches, but
	// a bare live-tail broker and no flows or contacts: the figure is the
	// request path's own.
	cache := inbound.NewCache(d.Read, 5*time.Second)
	d.Write.Webhook.Use(cache.Hook())
	d.Write.Flow.Use(cache.Hook())
	t.handler = inbound.New(inbound.Config{
		MaxBytes:  cfg.InboundMaxBytes,
		PublicURL: cfg.PublicURL,
		Retention: cfg.Retention,
	}, inbound.Deps{
		Cache:     cache,
		Writer:    writer,
		Dialect:   d.Dialect,
		Verifiers: hooks,
		Tail:      livetail.NewBroker[*ent.WebhookLog](),
		Log:       log,
		Now:       time.Now,
	})
	t.header.Set("X-Webhook-Secret", *secret)
	return t, nil
}

// insertHandler is storeinsert, our store's write path without the inbound
// handler: read the body, insert one log row shaped like a real accepted
// inbound row through the store's writer (ent, group commit on SQLite),
// answer 202 after the commit. No lookup, no auth, no parsing. (It was the
// groupcommit target before that became the plain database/sql
// baseline.)
func insertHandler(w store.Writer, hook *ent.Webhook, limit int64) http.Handler {
	ws := string(hook.WorkspaceID)
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		began := time.Now()
		raw, err := io.ReadAll(io.LimitReader(r.Body, limit))
		if err != nil {
			http.Error(rw, "read", http.StatusBadRequest)
			return
		}
		headers := redact.Headers(r.Header, nil)
		id := pulid.New("log")
		body := []byte(`{"id":"` + string(id) + `","status":"accepted"}`)
		ctx := tenant.WithWorkspace(r.Context(), ws)
		err = w.Do(ctx, func(ctx context.Context, tx *ent.Tx, _ *store.Hooks) error {
			return tx.WebhookLog.Create().SetID(id).SetWebhookID(hook.ID).
				SetDirection(schematype.DirectionInbound).SetOccurredAt(began.UTC()).
				SetOutcome(schematype.OutcomeAccepted).SetStatusCode(http.StatusAccepted).
				SetDurationMs(int(time.Since(began).Milliseconds())).
				SetRequest(schematype.HTTPMessage{Method: r.Method, URL: r.URL.RequestURI(), Headers: headers, Body: string(raw)}).
				SetResponse(&schematype.HTTPMessage{Headers: map[string]string{"Content-Type": "application/json"}, Body: string(body)}).
				Exec(ctx)
		})
		if err != nil {
			http.Error(rw, err.Error(), http.StatusInternalServerError)
			return
		}
		rw.Header().Set("Content-Type", "application/json")
		rw.WriteHeader(http.StatusAccepted)
		_, _ = rw.Write(body)
	})
}
