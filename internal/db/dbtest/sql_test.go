package dbtest

import (
	"testing"

	"entgo.io/ent/dialect"
)

func TestRebind(t *testing.T) {
	t.Parallel()
	const q = "UPDATE t SET a = ?, b = ? WHERE id = ?"
	for d, want := range map[string]string{
		dialect.SQLite:   q,
		dialect.Postgres: "UPDATE t SET a = $1, b = $2 WHERE id = $3",
	} {
		if got := Rebind(d, q); got != want {
			t.Errorf("%s: %q, want %q", d, got, want)
		}
	}
}
