package app

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/wexio/webhooks/internal/config"
	"github.com/wexio/webhooks/internal/db/dbtest"
)

// testApp is a real server over a real database (a SQLite file, or a
// PostgreSQL database in the PostgreSQL half), behind httptest.
type testApp struct {
	*app
	srv *httptest.Server
	key string // the Default workspace's API key
}

func newTestApp(t testing.TB) *testApp {
	t.Helper()
	return newTestAppWith(t, nil)
}

// newTestAppWith is newTestApp with the configuration adjusted by edit.
func newTestAppWith(t testing.TB, edit func(*config.Config)) *testApp {
	t.Helper()
	return startLoggedApp(t, failureLogger(t), edit)
}

// startLoggedApp is newTestAppWith logging to log.
func startLoggedApp(t testing.TB, log *slog.Logger, edit func(*config.Config)) *testApp {
	t.Helper()
	cfg := config.Default()
	cfg.DatabaseURL = dbtest.URL(t)
	cfg.PublicURL = "https://hooks.example.test"
	cfg.SecretKey = make([]byte, 32)
	_, _ = rand.Read(cfg.SecretKey)
	if edit != nil {
		edit(&cfg)
	}
	ctx := context.Background()
	a, err := openApp(ctx, cfg, log)
	if err != nil {
		t.Fatalf("opening app: %v", err)
	}
	key, _, err := a.auth.Bootstrap(ctx, "")
	if err != nil {
		t.Fatalf("bootstrapping: %v", err)
	}
	if err := a.start(); err != nil {
		t.Fatalf("starting: %v", err)
	}
	srv := httptest.NewServer(a.routes())
	t.Cleanup(func() {
		srv.Close()
		_ = a.close()
	})
	return &testApp{app: a, srv: srv, key: key}
}

// newWorkspace creates another workspace and returns its key.
func (ta *testApp) newWorkspace(t testing.TB, name string) string {
	t.Helper()
	_, key, err := ta.auth.CreateWorkspace(context.Background(), name)
	if err != nil {
		t.Fatalf("creating workspace: %v", err)
	}
	return key
}

// gqlResponse is a GraphQL response with the HTTP status.
type gqlResponse struct {
	Status int
	Raw    string
	Data   map[string]any `json:"data"`
	Errors []struct {
		Message    string         `json:"message"`
		Path       []any          `json:"path"`
		Extensions map[string]any `json:"extensions"`
	} `json:"errors"`
	Extensions map[string]any `json:"extensions"`
}

// code returns the extensions.code of the first error, or "".
func (r *gqlResponse) code() string {
	if len(r.Errors) == 0 {
		return ""
	}
	c, _ := r.Errors[0].Extensions["code"].(string)
	return c
}

// gql posts a GraphQL operation with key (none when "").
func (ta *testApp) gql(t testing.TB, key, query string, vars map[string]any) *gqlResponse {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, ta.srv.URL+"/query", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("posting query: %v", err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	out := &gqlResponse{Status: res.StatusCode, Raw: string(raw)}
	if err := json.Unmarshal(raw, out); err != nil {
		t.Fatalf("decoding response %q: %v", raw, err)
	}
	return out
}

// ok posts an operation that must succeed and returns its data.
func (ta *testApp) ok(t testing.TB, key, query string, vars map[string]any) map[string]any {
	t.Helper()
	r := ta.gql(t, key, query, vars)
	if r.Status != http.StatusOK || len(r.Errors) > 0 {
		t.Fatalf("query failed: status %d: %s", r.Status, r.Raw)
	}
	return r.Data
}

const webhookFields = `id name description direction status schemaVersion flowCount createdAt updatedAt
	inbound { url capturing auth { mode preset secretHint toleranceSeconds hmac { header algorithm encoding prefix timestampHeader signedPayload } }
	          contactResolution { match path createIfMissing } }
	outbound { url auth events headers maxRetries timeoutSeconds secretHint }
	schemas { version } logs(first: 5) { totalCount }`

const createInbound = `mutation($in: CreateInboundWebhookInput!) {
	createInboundWebhook(input: $in) { secret webhook { ` + webhookFields + ` } } }`

const createOutbound = `mutation($in: CreateOutboundWebhookInput!) {
	createOutboundWebhook(input: $in) { secret webhook { ` + webhookFields + ` } } }`

const createFlow = `mutation($in: CreateFlowInput!) { createFlow(input: $in) { id enabled trigger { type webhook { id flowCount } } steps { type config } } }`

// get walks a decoded JSON value by dot path ("a.b.0.c").
func get(v any, path string) any {
	for _, p := range strings.Split(path, ".") {
		switch x := v.(type) {
		case map[string]any:
			v = x[p]
		case []any:
			var i int
			for _, c := range p {
				i = i*10 + int(c-'0')
			}
			if i >= len(x) {
				return nil
			}
			v = x[i]
		default:
			return nil
		}
	}
	return v
}

func str(v any, path string) string {
	s, _ := get(v, path).(string)
	return s
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func ids(rows []any) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = str(r, "id")
	}
	return out
}

func stringsReader(s string) io.Reader { return strings.NewReader(s) }

func decode(t testing.TB, r io.Reader, v any) {
	t.Helper()
	if err := json.NewDecoder(r).Decode(v); err != nil {
		t.Fatalf("decoding: %v", err)
	}
}

// failureLogger is testLogger, but what the server logged at warning and
// above is printed with t's output when t fails: an "internal error" in
// an answer then comes with its cause (the flakes CI meets and a rerun
// does not).
func failureLogger(t testing.TB) *slog.Logger {
	if os.Getenv("WEXIO_TEST_LOG") != "" {
		return testLogger()
	}
	out := &syncBuffer{}
	t.Cleanup(func() {
		if t.Failed() {
			if logged := out.String(); logged != "" {
				t.Logf("the server logged:\n%s", logged)
			}
		}
	})
	return slog.New(slog.NewTextHandler(out, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

// testLogger discards the server's log unless WEXIO_TEST_LOG is set.
func testLogger() *slog.Logger {
	if os.Getenv("WEXIO_TEST_LOG") != "" {
		return slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}
