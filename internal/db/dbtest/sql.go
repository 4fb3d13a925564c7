package dbtest

import (
	"strconv"
	"strings"

	"entgo.io/ent/dialect"
)

// Rebind rewrites a statement a test wrote with ? placeholders for the SQL
// dialect d (store.Store.Dialect): PostgreSQL numbers its placeholders. It
// does not parse SQL, so a ? inside a literal is rewritten too.
func Rebind(d, query string) string {
	if d != dialect.Postgres {
		return query
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r != '?' {
			b.WriteRune(r)
			continue
		}
		n++
		b.WriteString("$" + strconv.Itoa(n))
	}
	return b.String()
}
