package webhooks

import (
	"context"
	"database/sql"
	"strings"
	"testing"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/internal/apperr"
	"github.com/wexio/webhooks/internal/db/dbtest"
	"github.com/wexio/webhooks/internal/redact"
)

// stored is a webhook's outbound columns as the database holds them.
type stored struct {
	url, headers string
	urlSealed    []byte
}

// raw reads webhook id's columns with SQL, past ent and the service.
func raw(t *testing.T, c *ent.Client, id pulid.ID) stored {
	t.Helper()
	d := dialect.SQLite
	if dbtest.Postgres() {
		d = dialect.Postgres
	}
	q, args := entsql.Dialect(d).Select("url", "headers", "url_sealed").From(entsql.Table("webhooks")).
		Where(entsql.EQ("id", string(id))).Query()
	rows, err := c.QueryContext(context.Background(), q, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	if !rows.Next() {
		t.Fatalf("no row for %s", id)
	}
	var url, headers sql.NullString
	var s stored
	if err := rows.Scan(&url, &headers, &s.urlSealed); err != nil {
		t.Fatal(err)
	}
	s.url, s.headers = url.String, headers.String
	return s
}

// TestStaticHeadersAreSealedUnlessHarmless: every static header value is
// stored sealed and opened for sending, whatever its name, except those
// of the harmless headers.
func TestStaticHeadersAreSealedUnlessHarmless(t *testing.T) {
	t.Parallel()
	svc, c, ctx, _ := setup(t)
	w, _, err := svc.CreateOutbound(ctx, c, CreateOutboundInput{Name: "o", URL: "https://example.com/h", Events: []string{"*"},
		Headers: map[string]any{"x-access-key": "s3cret", "X-Team": "blue-team", "Accept": "application/json", "Cache-Control": "no-cache"}})
	if err != nil {
		t.Fatal(err)
	}
	r := raw(t, c, w.ID)
	for _, plain := range []string{"s3cret", "blue-team"} {
		if strings.Contains(r.headers, plain) {
			t.Errorf("headers column holds %q: %s", plain, r.headers)
		}
	}
	for _, shown := range []string{"application/json", "no-cache"} {
		if !strings.Contains(r.headers, shown) {
			t.Errorf("headers column lacks harmless %q: %s", shown, r.headers)
		}
	}
	h, err := svc.Headers(w)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"X-Access-Key": "s3cret", "X-Team": "blue-team", "Accept": "application/json", "Cache-Control": "no-cache"}
	if len(h) != len(want) {
		t.Fatalf("headers to send %v, want %v", h, want)
	}
	for k, v := range want {
		if h[k] != v {
			t.Errorf("%s sent as %q, want %q", k, h[k], v)
		}
	}
}

// TestHeadersGivenBackRedactedKeepTheirValues: a client sends back the
// headers it read; values read as redact.Marker stay, others change, and
// updates of other settings leave them all alone.
func TestHeadersGivenBackRedactedKeepTheirValues(t *testing.T) {
	t.Parallel()
	svc, c, ctx, _ := setup(t)
	w, _, err := svc.CreateOutbound(ctx, c, CreateOutboundInput{Name: "o", URL: "https://example.com/h", Events: []string{"*"},
		Headers: map[string]any{"X-Access-Key": "s3cret", "X-Team": "blue", "Accept": "text/plain"}})
	if err != nil {
		t.Fatal(err)
	}
	w, err = svc.Update(ctx, c, w.ID, UpdateInput{Headers: map[string]any{
		"X-Access-Key": redact.Marker, "X-Team": "red", "Accept": "application/json", "X-New": "n3w"}})
	if err != nil {
		t.Fatal(err)
	}
	name := "renamed"
	if w, err = svc.Update(ctx, c, w.ID, UpdateInput{Name: &name}); err != nil {
		t.Fatal(err)
	}
	if w, _, err = svc.Rotate(ctx, c, w.ID, 60, nil); err != nil {
		t.Fatal(err)
	}
	h, err := svc.Headers(w)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range map[string]string{"X-Access-Key": "s3cret", "X-Team": "red", "Accept": "application/json", "X-New": "n3w"} {
		if h[k] != v {
			t.Errorf("%s = %q, want %q", k, h[k], v)
		}
	}
	if r := raw(t, c, w.ID); strings.Contains(r.headers, "s3cret") || strings.Contains(r.headers, "n3w") {
		t.Errorf("headers column %s", r.headers)
	}
}

// TestURLQueryIsSealed: the url column shows the query values redacted,
// the whole URL is sealed beside it and is what URL opens; a URL without
// query values is stored as it is, nothing sealed.
func TestURLQueryIsSealed(t *testing.T) {
	t.Parallel()
	svc, c, ctx, _ := setup(t)
	w, _, err := svc.CreateOutbound(ctx, c, CreateOutboundInput{Name: "o", URL: " https://example.com/h?api_key=abc&x=1#top ", Events: []string{"*"}})
	if err != nil {
		t.Fatal(err)
	}
	r := raw(t, c, w.ID)
	if r.url != "https://example.com/h?api_key=[redacted]&x=[redacted]#top" || len(r.urlSealed) == 0 || strings.Contains(string(r.urlSealed), "abc") {
		t.Fatalf("stored %+v", r)
	}
	if u, err := svc.URL(w); err != nil || u != "https://example.com/h?api_key=abc&x=1#top" {
		t.Fatalf("URL = %q, %v", u, err)
	}
	// Another webhook's sealed URL does not open as this one's.
	other, _, err := svc.CreateOutbound(ctx, c, CreateOutboundInput{Name: "p", URL: "https://example.com/p", Events: []string{"*"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(other.URLSealed) != 0 || raw(t, c, other.ID).urlSealed != nil {
		t.Fatal("a URL without a query was sealed")
	}
	other.URLSealed = w.URLSealed
	if _, err := svc.URL(other); err == nil {
		t.Fatal("a sealed URL opened as another webhook's")
	}
	// Nothing to hide: bare keys and empty values.
	plain := "https://example.com/h?flag&empty="
	if w, err = svc.Update(ctx, c, w.ID, UpdateInput{URL: &plain}); err != nil {
		t.Fatal(err)
	}
	if r := raw(t, c, w.ID); r.url != plain || r.urlSealed != nil {
		t.Fatalf("stored %+v, want the URL as it is and nothing sealed", r)
	}
}

// TestURLGivenBackRedactedKeepsItsValues: query values given as
// redact.Marker keep the stored values of their keys at the same address,
// others change; anywhere else, or for a key with nothing stored, they are
// refused rather than sent as "[redacted]".
func TestURLGivenBackRedactedKeepsItsValues(t *testing.T) {
	t.Parallel()
	svc, c, ctx, _ := setup(t)
	w, _, err := svc.CreateOutbound(ctx, c, CreateOutboundInput{Name: "o", URL: "https://example.com/h?api_key=abc&x=1&x=2", Events: []string{"*"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ given, want string }{
		{"https://example.com/h?api_key=[redacted]&x=[redacted]&x=[redacted]", "https://example.com/h?api_key=abc&x=1&x=2"},
		{"https://example.com/h?x=[redacted]&api_key=%5Bredacted%5D&x=3", "https://example.com/h?x=1&api_key=abc&x=3"},
		{"https://example.com/h?api_key=[redacted]&page=2", "https://example.com/h?api_key=abc&page=2"},
		{"https://example.com/h?api_key=def", "https://example.com/h?api_key=def"},
	} {
		if w, err = svc.Update(ctx, c, w.ID, UpdateInput{URL: &tc.given}); err != nil {
			t.Fatalf("%s: %v", tc.given, err)
		}
		if u, err := svc.URL(w); err != nil || u != tc.want {
			t.Fatalf("%s: URL = %q, %v; want %q", tc.given, u, err, tc.want)
		}
		if strings.Contains(raw(t, c, w.ID).url, "abc") {
			t.Fatalf("%s: url column %q", tc.given, raw(t, c, w.ID).url)
		}
	}
	// Other updates and rotations keep it.
	name := "renamed"
	if w, err = svc.Update(ctx, c, w.ID, UpdateInput{Name: &name, Headers: map[string]any{"X-A": "b"}}); err != nil {
		t.Fatal(err)
	}
	if w, _, err = svc.Rotate(ctx, c, w.ID, 0, nil); err != nil {
		t.Fatal(err)
	}
	if u, err := svc.URL(w); err != nil || u != "https://example.com/h?api_key=def" {
		t.Fatalf("after rename and rotation: URL = %q, %v", u, err)
	}
	for _, refused := range []string{
		"https://attacker.example/h?api_key=[redacted]", // the stored key must not follow the URL elsewhere
		"https://example.com/other?api_key=[redacted]",
		"https://example.com/h?token=[redacted]", // no stored value
		"https://example.com/h?api_key=[redacted]&api_key=[redacted]",
	} {
		if _, err := svc.Update(ctx, c, w.ID, UpdateInput{URL: &refused}); apperr.KindOf(err) != apperr.KindInvalid {
			t.Errorf("%s: %v, want BAD_USER_INPUT", refused, err)
		}
	}
	if _, _, err := svc.CreateOutbound(ctx, c, CreateOutboundInput{Name: "n", URL: "https://example.com/h?k=[redacted]", Events: []string{"*"}}); apperr.KindOf(err) != apperr.KindInvalid {
		t.Errorf("created with a redacted value: %v, want BAD_USER_INPUT", err)
	}
	if u, err := svc.URL(w); err != nil || u != "https://example.com/h?api_key=def" {
		t.Fatalf("after refused updates: URL = %q, %v", u, err)
	}
}

// TestEgressJudgesTheWholeURL: the address rules see the URL as sent.
func TestEgressJudgesTheWholeURL(t *testing.T) {
	t.Parallel()
	svc, c, ctx, _ := setup(t)
	for _, u := range []string{"https://127.0.0.1/h?api_key=abc", "ftp://example.com/h?k=v", "https://user:pw@example.com/h?k=v"} {
		if _, _, err := svc.CreateOutbound(ctx, c, CreateOutboundInput{Name: "o", URL: u, Events: []string{"*"}}); apperr.KindOf(err) != apperr.KindInvalid {
			t.Errorf("%s: %v, want BAD_USER_INPUT", u, err)
		}
	}
}
