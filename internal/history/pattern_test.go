package history

import (
	"context"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"

	"github.com/wexio/webhooks/ent/event"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/internal/db/dbtest"
)

// TestPrefixRangeIsThePrefix: a string is in [lo, hi) exactly when it
// starts with the prefix, comparing bytes, for prefixes and strings drawn
// from characters at the edges of UTF-8 (the largest of one to four bytes,
// around the surrogates, the largest of all), and hi is valid UTF-8
// whenever the prefix is.
func TestPrefixRangeIsThePrefix(t *testing.T) {
	t.Parallel()
	alphabet := []rune{'.', '/', 'a', 'b', 'O', 'o', 0x7F, 0x80, 0xBF, 0xC0, 0x7FF, 0x800, 0xD7FF, 0xE000, 0xFFFF, 0x10000, utf8.MaxRune}
	rng := rand.New(rand.NewPCG(3, 4))
	word := func(n int) string {
		rs := make([]rune, n)
		for i := range rs {
			rs[i] = alphabet[rng.IntN(len(alphabet))]
		}
		return string(rs)
	}
	prefixes := []string{"order.", "\U0010FFFF", "a\U0010FFFF\U0010FFFF", "\ud7ff", "\u00bf", "\x7f"}
	for range 300 {
		prefixes = append(prefixes, word(1+rng.IntN(3)))
	}
	for _, p := range prefixes {
		lo, hi := prefixRange(p)
		if !utf8.ValidString(hi) {
			t.Errorf("prefixRange(%q): hi %q is not UTF-8", p, hi)
		}
		for range 200 {
			s := word(rng.IntN(5))
			if rng.IntN(2) == 0 {
				s = p + s
			}
			in := s >= lo && (hi == "" || s < hi)
			if in != strings.HasPrefix(s, p) {
				t.Fatalf("prefixRange(%q) = [%q, %q): holds %q is %v", p, lo, hi, s, in)
			}
		}
	}
	// Text that is not UTF-8 (SQLite keeps it) is bounded byte by byte.
	for p, wantHi := range map[string]string{"a\xff": "b", "\xfe\xff": "\xff", "\xff\xff": ""} {
		if lo, hi := prefixRange(p); lo != p || hi != wantHi {
			t.Errorf("prefixRange(%q) = [%q, %q), want [%q, %q)", p, lo, hi, p, wantHi)
		}
	}
}

// TestTypeMatchesSQL: patterns compare with each dialect's placeholders and
// its byte collation.
func TestTypeMatchesSQL(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ dialect, pattern, want string }{
		{dialect.SQLite, "order.*", "WHERE (`events`.`type` COLLATE BINARY >= ? AND `events`.`type` COLLATE BINARY < ?)"},
		{dialect.Postgres, "order.*", `WHERE ("events"."type" COLLATE "C" >= $1 AND "events"."type" COLLATE "C" < $2)`},
		{dialect.Postgres, "\U0010FFFF*", `WHERE "events"."type" COLLATE "C" >= $1`},
		{dialect.SQLite, "*", "WHERE `events`.`type` <> ?"},
		{dialect.Postgres, "order.paid", `WHERE "events"."type" = $1`},
	} {
		s := entsql.Dialect(tc.dialect).Select(event.FieldID).From(entsql.Table(event.Table))
		EventTypePredicate(tc.pattern)(s)
		query, _ := s.Query()
		if _, where, _ := strings.Cut(query, " WHERE "); "WHERE "+where != tc.want {
			t.Errorf("%s %q: %s\nwant %s", tc.dialect, tc.pattern, query, tc.want)
		}
	}
}

// TestSumQuerySQL: the counters are summed with each dialect's placeholders
// and byte collation, with the arguments in their order.
func TestSumQuerySQL(t *testing.T) {
	t.Parallel()
	typ := "Order.*"
	f := &schematype.LogFilter{Outcomes: []schematype.LogOutcome{schematype.OutcomeFailed, schematype.OutcomeRejected}, EventType: &typ}
	for d, want := range map[string]string{
		dialect.SQLite: "SELECT COALESCE(SUM(`log_counts`.`n`), 0) FROM `log_counts` WHERE `log_counts`.`workspace_id` = ? AND `log_counts`.`hour` >= ? AND `log_counts`.`hour` < ?" +
			" AND `log_counts`.`outcome` IN (?, ?) AND (`log_counts`.`event_type` COLLATE BINARY >= ? AND `log_counts`.`event_type` COLLATE BINARY < ?)",
		dialect.Postgres: `SELECT COALESCE(SUM("log_counts"."n"), 0) FROM "log_counts" WHERE "log_counts"."workspace_id" = $1 AND "log_counts"."hour" >= $2 AND "log_counts"."hour" < $3` +
			` AND "log_counts"."outcome" IN ($4, $5) AND ("log_counts"."event_type" COLLATE "C" >= $6 AND "log_counts"."event_type" COLLATE "C" < $7)`,
	} {
		query, args := sumQuery(d, "ws", f, 10, 20)
		if query != want {
			t.Errorf("%s:\n%s\nwant\n%s", d, query, want)
		}
		lo, hi := prefixRange("Order.")
		if wantArgs := []any{"ws", int64(10), int64(20), "FAILED", "REJECTED", lo, hi}; !equalArgs(args, wantArgs) {
			t.Errorf("%s: args %v, want %v", d, args, wantArgs)
		}
	}
}

func equalArgs(a, b []any) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestTypePrefixKeepsToAnIndex: on SQLite the byte collation is the
// column's own, so an index on the type still serves a prefix pattern as a
// range. (events has no such index today; a query by prefix must not be
// what stops one from helping.)
func TestTypePrefixKeepsToAnIndex(t *testing.T) {
	t.Parallel()
	dbtest.SQLiteOnly(t) // SQLite's query plan
	e := setup(t)
	ctx := context.Background()
	if _, err := e.d.Write.ExecContext(ctx, "CREATE INDEX events_type ON events (type)"); err != nil {
		t.Fatal(err)
	}
	s := entsql.Dialect(dialect.SQLite).Select(event.FieldID).From(entsql.Table(event.Table))
	EventTypePredicate("order.*")(s)
	query, args := s.Query()
	rows, err := e.d.Read.QueryContext(ctx, "EXPLAIN QUERY PLAN "+query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	if got := strings.Join(plan, "\n"); !strings.Contains(got, "USING COVERING INDEX events_type (type>? AND type<?)") &&
		!strings.Contains(got, "USING INDEX events_type (type>? AND type<?)") {
		t.Errorf("plan of %s:\n%s", query, got)
	}
}

// TestTypeMatchesUnderALocaleCollation: a prefix pattern matches exactly
// the types that start with it, byte for byte, even in a column whose
// collation follows a locale (ICU's en-US on PostgreSQL, under which
// "Order.paid" sorts between "order." and "order/"); SQLite compares bytes
// anyway.
func TestTypeMatchesUnderALocaleCollation(t *testing.T) {
	t.Parallel()
	e := setup(t)
	col := "TEXT"
	if e.d.Dialect == dialect.Postgres {
		col = `TEXT COLLATE "en-US-x-icu"`
	}
	e.exec(t, "CREATE TABLE collated_types (type "+col+")")
	types := []string{"order.paid", "Order.paid", "order/x", "order.", "ordem.x", "order.refunded"}
	for _, typ := range types {
		e.exec(t, "INSERT INTO collated_types VALUES ('"+typ+"')")
	}
	q, args := entsql.Dialect(e.d.Dialect).Select("type").From(entsql.Table("collated_types")).
		Where(typeMatches("type", "order.*")).OrderBy("type").Query()
	rows, err := e.d.Read.QueryContext(context.Background(), q, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		got = append(got, s)
	}
	slices.Sort(got)
	if want := []string{"order.", "order.paid", "order.refunded"}; !slices.Equal(got, want) {
		t.Fatalf("order.* matched %v, want %v", got, want)
	}
}
