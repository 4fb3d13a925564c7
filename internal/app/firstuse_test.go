package app

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// TestQueryWithoutJSONSaysWhatToSend: an operation posted as anything but
// JSON is answered 415 with a message saying what to send; a JSON content
// type with parameters is fine.
func TestQueryWithoutJSONSaysWhatToSend(t *testing.T) {
	t.Parallel()
	ta := newTestApp(t)
	for _, ct := range []string{"text/plain", "application/x-www-form-urlencoded", "", "application/graphql"} {
		req, _ := http.NewRequest(http.MethodPost, ta.srv.URL+"/query", strings.NewReader(`{"query":"{ __typename }"}`))
		if ct != "" {
			req.Header.Set("Content-Type", ct)
		}
		req.Header.Set("Authorization", "Bearer "+ta.key)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var body gqlResponse
		_ = json.NewDecoder(res.Body).Decode(&body)
		res.Body.Close()
		if res.StatusCode != http.StatusUnsupportedMediaType || body.code() != "UNSUPPORTED_MEDIA_TYPE" ||
			!strings.Contains(body.Errors[0].Message, "application/json") {
			t.Errorf("Content-Type %q: %d %+v", ct, res.StatusCode, body.Errors)
		}
	}
	req, _ := http.NewRequest(http.MethodPost, ta.srv.URL+"/query", strings.NewReader(`{"query":"{ __typename }"}`))
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("Authorization", "Bearer "+ta.key)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("JSON with a charset: %d", res.StatusCode)
	}
}

// TestPrivateURLRefusalSaysHowToAllowIt: an outbound URL on a private
// address is refused with the setting that allows it in development.
func TestPrivateURLRefusalSaysHowToAllowIt(t *testing.T) {
	t.Parallel()
	ta := newTestApp(t)
	r := ta.gql(t, ta.key, createOutbound, map[string]any{"in": map[string]any{
		"name": "local", "url": "http://127.0.0.1:9999/hook", "events": []string{"*"}}})
	if r.code() != "BAD_USER_INPUT" || !strings.Contains(r.Errors[0].Message, "WEXIO_ALLOW_PRIVATE_NETWORKS=true") {
		t.Fatalf("private URL: %s", r.Raw)
	}
}
