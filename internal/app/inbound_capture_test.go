package app

import (
	"strings"
	"testing"
)

// startSchemaCapture makes the next accepted request version n+1, once;
// fields list every path in document order with array elements as items[].
func TestInboundSchemaCaptureVersions(t *testing.T) {
	t.Parallel()
	ta := newTestApp(t)
	h := ta.createIn(t, ta.key, map[string]any{})
	capture := `mutation($id: ID!) { startSchemaCapture(webhookId: $id) { schemaVersion inbound { capturing } } }`
	read := `query($id: ID!) { node(id: $id) { ... on Webhook { schemaVersion variables inbound { capturing }
		schemas { version capturedAt sample fields { path type example } } } } }`

	if d := ta.ok(t, ta.key, capture, map[string]any{"id": h.id}); get(d, "startSchemaCapture.inbound.capturing") != true {
		t.Fatalf("capture not started: %v", d)
	}
	if r := ta.postJSON(t, h, `{"data":{"id":"o_1","total":12.5,"paid":true},"items":[{"sku":"A"},{"sku":"B","qty":2}],"note":null}`, nil); r.status != 202 {
		t.Fatalf("post: %d", r.status)
	}
	// The capture ended: the next request changes nothing.
	ta.postJSON(t, h, `{"other":1}`, nil)
	w := get(ta.ok(t, ta.key, read, map[string]any{"id": h.id}), "node")
	if get(w, "schemaVersion") != 1.0 || get(w, "inbound.capturing") != false {
		t.Fatalf("after capture: %v", w)
	}
	var got []string
	for _, f := range get(w, "schemas.0.fields").([]any) {
		got = append(got, str(f, "path")+":"+str(f, "type"))
	}
	want := []string{"data:object", "data.id:string", "data.total:number", "data.paid:boolean",
		"items:array", "items[]:object", "items[].sku:string", "items[].qty:number", "note:null"}
	if b1, b2 := mustJSON(got), mustJSON(want); b1 != b2 {
		t.Fatalf("fields\n got %s\nwant %s", b1, b2)
	}
	if get(w, "schemas.0.fields.1.example") != "o_1" || get(w, "schemas.0.sample.data.total") != 12.5 {
		t.Fatalf("example/sample: %v", get(w, "schemas.0"))
	}
	if vars := mustJSON(get(w, "variables")); !strings.Contains(vars, `"payload.items.0.sku"`) || !strings.Contains(vars, `"contact.email"`) {
		t.Fatalf("variables %s", vars)
	}

	// A second capture is version 2, newest first; a form body is captured
	// as the object it becomes.
	ta.ok(t, ta.key, capture, map[string]any{"id": h.id})
	r := ta.send(t, "POST", h.path, "application/x-www-form-urlencoded", []byte("a=1&b=x&b=y"), map[string]string{"X-Webhook-Secret": h.secret})
	if r.status != 202 {
		t.Fatalf("form post: %d %s", r.status, r.body)
	}
	w = get(ta.ok(t, ta.key, read, map[string]any{"id": h.id}), "node")
	if get(w, "schemaVersion") != 2.0 || get(w, "schemas.0.version") != 2.0 || get(w, "schemas.1.version") != 1.0 ||
		mustJSON(get(w, "schemas.0.sample")) != `{"a":"1","b":["x","y"]}` {
		t.Fatalf("second capture: %v", get(w, "schemas"))
	}
}

// A captured request whose JSON holds a NUL character (\u0000) is accepted
// and captured on either database, the NUL kept as U+FFFD as in the log:
// PostgreSQL stores none in JSON, and the capture once failed the request.
func TestInboundCaptureKeepsANULAsReplacement(t *testing.T) {
	t.Parallel()
	ta := newTestApp(t)
	h := ta.createIn(t, ta.key, map[string]any{})
	ta.ok(t, ta.key, `mutation($id: ID!) { startSchemaCapture(webhookId: $id) { id } }`, map[string]any{"id": h.id})
	if r := ta.postJSON(t, h, `{"name":"a\u0000b"}`, nil); r.status != 202 {
		t.Fatalf("post: %d %s", r.status, r.body)
	}
	w := get(ta.ok(t, ta.key, `query($id: ID!) { node(id: $id) { ... on Webhook { schemaVersion schemas { sample } } } }`,
		map[string]any{"id": h.id}), "node")
	if get(w, "schemaVersion") != 1.0 || get(w, "schemas.0.sample.name") != "a\uFFFDb" {
		t.Fatalf("capture: %v", w)
	}
}

// TestCaptureFromCreationAndStopped: a webhook created with capture: true
// turns its first request into schema version 1; stopSchemaCapture ends a
// capture without taking a request, and is harmless when none runs.
func TestCaptureFromCreationAndStopped(t *testing.T) {
	t.Parallel()
	ta := newTestApp(t)
	h := ta.createIn(t, ta.key, map[string]any{"capture": true})
	read := `query($id: ID!) { node(id: $id) { ... on Webhook { schemaVersion inbound { capturing } } } }`
	if w := get(ta.ok(t, ta.key, read, map[string]any{"id": h.id}), "node"); get(w, "inbound.capturing") != true {
		t.Fatalf("created with capture: %v", w)
	}
	ta.postJSON(t, h, `{"order":{"id":1}}`, nil)
	if w := get(ta.ok(t, ta.key, read, map[string]any{"id": h.id}), "node"); get(w, "schemaVersion") != 1.0 || get(w, "inbound.capturing") != false {
		t.Fatalf("after the first request: %v", w)
	}
	ta.ok(t, ta.key, `mutation($id: ID!) { startSchemaCapture(webhookId: $id) { id } }`, map[string]any{"id": h.id})
	stop := `mutation($id: ID!) { stopSchemaCapture(webhookId: $id) { schemaVersion inbound { capturing } } }`
	if d := ta.ok(t, ta.key, stop, map[string]any{"id": h.id}); get(d, "stopSchemaCapture.inbound.capturing") != false {
		t.Fatalf("stopped: %v", d)
	}
	ta.postJSON(t, h, `{"other":true}`, nil)
	if w := get(ta.ok(t, ta.key, read, map[string]any{"id": h.id}), "node"); get(w, "schemaVersion") != 1.0 {
		t.Fatalf("a request after the stop made a version: %v", w)
	}
	if d := ta.ok(t, ta.key, stop, map[string]any{"id": h.id}); get(d, "stopSchemaCapture.schemaVersion") != 1.0 {
		t.Fatalf("stopping with none running: %v", d)
	}
}

// TestCaptureKeepsHeadersAndKeyOrder: the variable picker offers the
// captured request's headers (headers.<name>, credentials left out), and
// the sample is the document as sent, its keys in their order.
func TestCaptureKeepsHeadersAndKeyOrder(t *testing.T) {
	t.Parallel()
	ta := newTestApp(t)
	h := ta.createIn(t, ta.key, map[string]any{"capture": true})
	doc := `{"zeta":1,"alpha":{"b":2,"a":1.50}}`
	if r := ta.postJSON(t, h, doc, map[string]string{"X-Trace": "t-1", "Authorization": "Bearer sk_live_x"}); r.status != 202 {
		t.Fatalf("capture request: %d %s", r.status, r.body)
	}
	r := ta.gql(t, ta.key, `query($id: ID!) { node(id: $id) { ... on Webhook { variables schemas { sample } } } }`,
		map[string]any{"id": h.id})
	if len(r.Errors) > 0 {
		t.Fatal(r.Raw)
	}
	vars := mustJSON(get(r.Data, "node.variables"))
	for _, want := range []string{`"headers.x-trace"`, `"headers.content-type"`, `"payload.alpha.b"`} {
		if !strings.Contains(vars, want) {
			t.Errorf("variables %s lack %s", vars, want)
		}
	}
	for _, secret := range []string{"headers.authorization", "headers.x-webhook-secret"} {
		if strings.Contains(vars, secret) {
			t.Errorf("variables offer %s", secret)
		}
	}
	if !strings.Contains(r.Raw, `"sample":`+doc) {
		t.Errorf("sample not as sent: %s", r.Raw)
	}
}
