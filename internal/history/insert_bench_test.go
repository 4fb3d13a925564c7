package history

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/internal/auth"
	"github.com/wexio/webhooks/internal/store"
)

// BenchmarkInsertLogs: attempt rows inserted through the writer in
// batches of 16 and 256, counted by the insert trigger row by row or by
// InsertLogs per batch (what it does on SQLite). ns/op is a row's, its
// commit's share included.
//
//	(cd internal/history && go test -run '^$' -bench InsertLogs -benchtime 40000x)
func BenchmarkInsertLogs(b *testing.B) {
	for _, size := range []int{16, 256} {
		for _, byBatch := range []bool{false, true} {
			name := fmt.Sprintf("batch=%d/trigger", size)
			if byBatch {
				name = fmt.Sprintf("batch=%d/by_batch", size)
			}
			b.Run(name, func(b *testing.B) { benchInsertLogs(b, size, byBatch) })
		}
	}
}

func benchInsertLogs(b *testing.B, size int, byBatch bool) {
	e := setup(b)
	ev := e.event(b, now)
	dl := e.delivery(b, ev, schematype.DeliveryPending, now)
	rows := make([]*LogRow, b.N)
	for i := range rows {
		rows[i] = must[*LogRow](b)(NewAttemptRow(Attempt{WorkspaceID: e.hook.WorkspaceID, WebhookID: e.hook.ID,
			EventID: ev.ID, EventType: ev.Type, DeliveryID: dl.ID, Number: 1, At: time.Now(), Succeeded: true,
			Request:  schematype.HTTPMessage{Method: "POST", URL: "https://example.com/h", Headers: map[string]string{"Content-Type": "application/json"}, Body: `{"a":1}`},
			Response: &schematype.HTTPMessage{}, Status: 204}))
	}
	sys := auth.System(context.Background())
	b.ResetTimer()
	for len(rows) > 0 {
		batch := rows[:min(size, len(rows))]
		rows = rows[len(batch):]
		err := e.w.Do(sys, func(ctx context.Context, tx *ent.Tx, _ *store.Hooks) error {
			return insertLogRows(ctx, tx, e.d.Dialect, batch, byBatch && e.d.Dialect != "postgres")
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}
