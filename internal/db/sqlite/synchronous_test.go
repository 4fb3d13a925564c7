package sqlite

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/wexio/webhooks/internal/store"
)

// TestWriterSynchronous: the writer commits with synchronous=FULL (a
// commit answered survives power loss) unless NORMAL is asked for.
func TestWriterSynchronous(t *testing.T) {
	t.Parallel()
	for opt, want := range map[string]int{"": 2, "full": 2, "normal": 1} {
		st, err := Open(context.Background(), filepath.Join(t.TempDir(), "s.db"), store.Options{SQLiteSynchronous: opt})
		if err != nil {
			t.Fatal(err)
		}
		var got int
		rows, err := st.Write.QueryContext(context.Background(), "PRAGMA synchronous")
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			_ = rows.Scan(&got)
		}
		rows.Close()
		_ = st.Close()
		if got != want {
			t.Errorf("SQLiteSynchronous %q: PRAGMA synchronous = %d, want %d", opt, got, want)
		}
	}
}
