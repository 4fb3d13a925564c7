package schematype

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// messages are the cases encoding/json treats specially: empty and nil
// fields, HTML, control characters, invalid UTF-8, U+2028 and U+2029,
// keys that sort by bytes.
func messages() []HTTPMessage {
	b64 := "AAEC"
	return []HTTPMessage{
		{},
		{Headers: map[string]string{}},
		{Method: "POST", URL: "https://example.com/in/x?a=<b>&c=d", Headers: map[string]string{
			"Content-Type": "application/json", "X-B": "1", "X-a": "2", "a": "", "É": "é"}, Body: `{"a":"<script>&'"}`},
		{Body: "line\nbreak\ttab\r\b\f\x00\x01\x1f\x7f \\ \" \u2028 \u2029 \xff\xfe ok \xe2\x82 €"},
		{Headers: map[string]string{"k\xffey": "v\x00"}, Body: "\xc0\x80", BodyBase64: &b64},
		{URL: "\u2029", BodyBase64: new(string)},
	}
}

// TestAppendJSONMatchesMarshal holds AppendJSON to json.Marshal, byte for
// byte: the stored rows and their readers must not tell them apart.
func TestAppendJSONMatchesMarshal(t *testing.T) {
	t.Parallel()
	for i, m := range messages() {
		want, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		if got := m.AppendJSON([]byte("x")); !bytes.Equal(got[1:], want) || got[0] != 'x' {
			t.Errorf("message %d:\n got %s\nwant %s", i, got, want)
		}
	}
}

func FuzzAppendJSON(f *testing.F) {
	for _, m := range messages() {
		var k, v string
		for k, v = range m.Headers {
			break
		}
		f.Add(m.Method, m.URL, k, v, m.Body, m.BodyBase64 != nil)
	}
	f.Fuzz(func(t *testing.T, method, url, key, value, body string, b64 bool) {
		m := HTTPMessage{Method: method, URL: url, Body: body}
		if key != "" || value != "" {
			m.Headers = map[string]string{key: value, key + "x": value + "y", "": value}
		}
		if b64 {
			m.BodyBase64 = &body
		}
		want, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		if got := m.AppendJSON(nil); !bytes.Equal(got, want) {
			t.Fatalf("\n got %s\nwant %s", got, want)
		}
	})
}

// BenchmarkAppendJSON: a logged inbound request (1 KB of JSON body, the
// usual headers) encoded by AppendJSON and by json.Marshal.
//
//	go test ./ent/schema/schematype -run '^$' -bench AppendJSON -benchmem
func BenchmarkAppendJSON(b *testing.B) {
	m := HTTPMessage{Method: "POST", URL: "https://h.example/in/tok", Headers: map[string]string{
		"Content-Type": "application/json", "User-Agent": "Go-http-client/1.1", "X-Webhook-Secret": "[redacted]",
		"Accept-Encoding": "gzip", "Content-Length": "1024"},
		Body: `[` + strings.Repeat(`{"sku":"SKU-00001","name":"Widget model 1","quantity":2,"unit_amount":2000},`, 13) + `{}]`}
	b.Run("AppendJSON", func(b *testing.B) {
		for b.Loop() {
			_ = m.AppendJSON(make([]byte, 0, 1600))
		}
	})
	b.Run("json.Marshal", func(b *testing.B) {
		for b.Loop() {
			_, _ = json.Marshal(m)
		}
	})
}
