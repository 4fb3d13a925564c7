package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wexio/webhooks/internal/redact"
)

func TestGroupCommitTarget(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	tg, err := groupCommitTarget(ctx, dir, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	defer tg.close()
	post := func(secret, body string) *httptest.ResponseRecorder {
		r := httptest.NewRequest(http.MethodPost, tg.path, strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("X-Webhook-Secret", secret)
		w := httptest.NewRecorder()
		tg.handler.ServeHTTP(w, r)
		return w
	}
	if w := post("wrong", `{}`); w.Code != http.StatusUnauthorized {
		t.Errorf("wrong secret: %d, want 401", w.Code)
	}
	if w := post(gcSecret, `{"a":`); w.Code != http.StatusBadRequest {
		t.Errorf("not JSON: %d, want 400", w.Code)
	}
	w := post(gcSecret, `{"a":1}`)
	if w.Code != http.StatusAccepted {
		t.Fatalf("accepted: %d %s, want 202", w.Code, w.Body)
	}
	var ans struct{ ID, Status string }
	if err := json.Unmarshal(w.Body.Bytes(), &ans); err != nil || ans.Status != "accepted" || ans.ID == "" {
		t.Fatalf("answer %s (%v)", w.Body, err)
	}
	if n := tg.count(ctx); n != 1 {
		t.Fatalf("%d rows, want 1", n)
	}
	db, err := sql.Open("sqlite3", "file:"+filepath.Join(dir, "groupcommit", "bench.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = db.Close() }()
	var headers, body, method string
	if err := db.QueryRowContext(ctx, "SELECT headers, body, method FROM logs WHERE id = ?", ans.ID).Scan(&headers, &body, &method); err != nil {
		t.Fatal(err)
	}
	var h map[string]string
	if err := json.Unmarshal([]byte(headers), &h); err != nil {
		t.Fatal(err)
	}
	if h["X-Webhook-Secret"] != redact.Marker || h["Content-Type"] != "application/json" || body != `{"a":1}` || method != "POST" {
		t.Errorf("row: headers %s, body %s, method %s", headers, body, method)
	}
}

// BenchmarkGroupCommitInsert is one writer transaction of n rows, by
// insert mode (a multi-row INSERT, or a single-row one per row); one op a
// row.
func BenchmarkGroupCommitInsert(b *testing.B) {
	body := string(payload(1024))
	for _, mode := range []string{"multi", "single"} {
		for _, n := range []int{8, 64, 256} {
			b.Run(fmt.Sprintf("%s/%d", mode, n), func(b *testing.B) {
				ctx := context.Background()
				db, err := openGroupCommit(ctx, b.TempDir()+"/bench.db")
				if err != nil {
					b.Fatal(err)
				}
				defer func() { _ = db.Close() }()
				w, err := newGCWriter(ctx, db)
				if err != nil {
					b.Fatal(err)
				}
				defer w.close()
				w.singleRow = mode == "single"
				batch := make([]*gcRow, n)
				seq := 0
				b.ResetTimer()
				for done := 0; done < b.N; done += n {
					for i := range batch {
						seq++
						now := time.Now()
						batch[i] = &gcRow{values: [gcColumns]any{
							fmt.Sprint("log_", seq), "whk", "INBOUND", now.UnixNano(), "ACCEPTED", http.StatusAccepted,
							int64(0), "POST", `{"Content-Type":"application/json"}`, body}}
					}
					if err := w.commit(batch); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
