package webhooks

import (
	"context"
	"fmt"
	"maps"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/internal/auth"
	"github.com/wexio/webhooks/internal/db"
	"github.com/wexio/webhooks/internal/db/dbtest"
	"github.com/wexio/webhooks/internal/redact"
	"github.com/wexio/webhooks/internal/secretbox"
	"github.com/wexio/webhooks/internal/store"
)

// oldStyle is an outbound webhook as earlier versions stored one: the URL
// whole, and header values in plain text but those named as credentials,
// sealed.
func oldStyle(svc *Service, c *ent.Client, url string, headers map[string]string) *ent.WebhookCreate {
	id := pulid.New("wh")
	h := maps.Clone(headers)
	for k, v := range h {
		if redact.IsSecret(k, nil) {
			h[k] = svc.sealHeader(id, k, v)
		}
	}
	return c.Webhook.Create().SetID(id).SetName("old").SetDirection(schematype.DirectionOutbound).
		SetURL(url).SetEvents([]string{"*"}).SetHeaders(h).SetOutboundAuth(schematype.OutboundNone)
}

// checkOpens checks that webhook id is stored with nothing in plain text
// and opens to url and headers.
func checkOpens(t *testing.T, svc *Service, c *ent.Client, id pulid.ID, url string, headers map[string]string) {
	t.Helper()
	w, err := c.Webhook.Get(auth.System(context.Background()), id)
	if err != nil {
		t.Fatal(err)
	}
	r := raw(t, c, id)
	if got, err := svc.URL(w); err != nil || got != url {
		t.Errorf("%s: URL = %q, %v; want %q", id, got, err, url)
	}
	if r.url != redact.URL(url) {
		t.Errorf("%s: url column %q, want %q", id, r.url, redact.URL(url))
	}
	h, err := svc.Headers(w)
	if err != nil || !maps.Equal(h, headers) {
		t.Errorf("%s: headers %v, %v; want %v", id, h, err, headers)
	}
	for k, v := range headers {
		if !redact.Harmless(k) && strings.Contains(r.headers, v) {
			t.Errorf("%s: headers column holds %s's value: %s", id, k, r.headers)
		}
	}
}

// TestSealLegacySealsWhatWasPlain: a start seals the plain-text query
// values and header values of old rows, delivers them unchanged, and
// leaves rows with nothing plain alone; the next start changes nothing.
func TestSealLegacySealsWhatWasPlain(t *testing.T) {
	t.Parallel()
	svc, c, ctx, _ := setup(t)
	url, headers := "https://example.com/h?api_key=abc&x=1", map[string]string{
		"X-Access-Key": "s3cret", "X-Api-Key": "k3y", "Accept": "application/json"}
	plain := oldStyle(svc, c, url, headers).SaveX(ctx)
	// Old, with nothing plain: no query, the credential sealed already.
	quiet := oldStyle(svc, c, "https://example.com/q", map[string]string{"X-Api-Key": "k3y", "Accept": "text/plain"}).SaveX(ctx)
	fresh, _, err := svc.CreateOutbound(ctx, c, CreateOutboundInput{Name: "new", URL: "https://example.com/n?k=v", Events: []string{"*"},
		Headers: map[string]any{"X-Team": "blue"}})
	if err != nil {
		t.Fatal(err)
	}
	before := map[pulid.ID]stored{quiet.ID: raw(t, c, quiet.ID), fresh.ID: raw(t, c, fresh.ID)}

	if n, err := svc.SealLegacy(context.Background(), c); err != nil || n != 1 {
		t.Fatalf("SealLegacy = %d, %v; want 1 webhook sealed", n, err)
	}
	checkOpens(t, svc, c, plain.ID, url, headers)
	checkOpens(t, svc, c, quiet.ID, "https://example.com/q", map[string]string{"X-Api-Key": "k3y", "Accept": "text/plain"})
	checkOpens(t, svc, c, fresh.ID, "https://example.com/n?k=v", map[string]string{"X-Team": "blue"})
	for id, r := range before {
		if got := raw(t, c, id); got.url != r.url || got.headers != r.headers || string(got.urlSealed) != string(r.urlSealed) {
			t.Errorf("%s was rewritten: %+v, was %+v", id, got, r)
		}
	}
	sealed := raw(t, c, plain.ID)
	if n, err := svc.SealLegacy(context.Background(), c); err != nil || n != 0 {
		t.Fatalf("second SealLegacy = %d, %v; want nothing to seal", n, err)
	}
	if got := raw(t, c, plain.ID); got.headers != sealed.headers || string(got.urlSealed) != string(sealed.urlSealed) {
		t.Fatal("a second start sealed again")
	}
}

// TestSealLegacyLeavesARowChangedSinceItWasRead: the UPDATE is
// conditional, so a change made meanwhile (already sealed) stands.
func TestSealLegacyLeavesARowChangedSinceItWasRead(t *testing.T) {
	t.Parallel()
	svc, c, ctx, _ := setup(t)
	old := oldStyle(svc, c, "https://example.com/h?api_key=abc", map[string]string{"X-Team": "blue"}).SaveX(ctx)
	read, err := c.Webhook.Get(auth.System(ctx), old.ID)
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Millisecond) // updated_at moves on, on every backend's precision
	url := "https://example.com/h?api_key=def"
	if _, err := svc.Update(ctx, c, old.ID, UpdateInput{URL: &url, Headers: map[string]any{"X-Team": "red"}}); err != nil {
		t.Fatal(err)
	}
	changed := raw(t, c, old.ID)
	if wrote, err := svc.sealLegacy(auth.System(ctx), c, read); err != nil || wrote {
		t.Fatalf("sealLegacy of a stale read = %v, %v; want nothing written", wrote, err)
	}
	if got := raw(t, c, old.ID); got.headers != changed.headers || string(got.urlSealed) != string(changed.urlSealed) {
		t.Fatal("a stale read overwrote the change")
	}
	checkOpens(t, svc, c, old.ID, url, map[string]string{"X-Team": "red"})
}

// TestSealLegacyOnServersStartingTogether: servers starting at once, each
// with its own store and box over the key, seal each row once between
// them, past a page of rows.
func TestSealLegacyOnServersStartingTogether(t *testing.T) {
	t.Parallel()
	url := dbtest.URL(t)
	stores := make([]*store.Store, 2)
	for i := range stores {
		d, err := db.Open(context.Background(), url, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = d.Close() })
		stores[i] = d
	}
	key := make([]byte, secretbox.KeySize)
	key[0] = 7
	service := func() *Service {
		box, err := secretbox.New(key)
		if err != nil {
			t.Fatal(err)
		}
		return NewService(Config{}, box, time.Now)
	}
	svc, c := service(), stores[0].Write
	ctx := dbtest.Workspace(t, c, "W")
	n := legacyPage + 1
	rows := make([]*ent.WebhookCreate, n)
	for i := range rows {
		rows[i] = oldStyle(svc, c, fmt.Sprintf("https://example.com/%d?k=v%d", i, i), map[string]string{"X-Team": fmt.Sprint("team-", i)})
	}
	hooks := c.Webhook.CreateBulk(rows...).SaveX(ctx)

	counts := make([]int, 2*len(stores))
	errs := make([]error, len(counts))
	var wg sync.WaitGroup
	for i := range counts {
		s, d := service(), stores[i%len(stores)]
		wg.Go(func() { counts[i], errs[i] = s.SealLegacy(context.Background(), d.Write) })
	}
	wg.Wait()
	total := 0
	for i, err := range errs {
		if err != nil {
			t.Fatalf("start %d: %v", i, err)
		}
		total += counts[i]
	}
	if total != n {
		t.Errorf("sealed %d webhooks between them (%v), want each of %d once", total, counts, n)
	}
	for i, w := range hooks {
		checkOpens(t, svc, c, w.ID, fmt.Sprintf("https://example.com/%d?k=v%d", i, i), map[string]string{"X-Team": fmt.Sprint("team-", i)})
	}
}
