package history

import (
	"strings"
	"unicode/utf8"

	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql"
)

// typeMatches is the predicate "column col matches the event type pattern":
// "*" any type but "", "x.*" or "x*" by prefix, anything else exactly. Case
// and every byte count, as in subscriptions (events.Match), whatever the
// column's collation: equality is exact under any deterministic collation,
// and the prefix is a byte-ordered range (byteRange).
func typeMatches(col, pattern string) *sql.Predicate {
	prefix, ok := strings.CutSuffix(pattern, "*")
	switch {
	case !ok:
		return sql.EQ(col, pattern)
	case prefix == "":
		return sql.NEQ(col, "")
	}
	lo, hi := prefixRange(prefix)
	return byteRange(col, lo, hi)
}

// byteRange is lo <= col < hi (no upper bound when hi is ""), comparing
// bytes under the dialect's byte collation rather than the column's. ent's
// HasPrefix is a LIKE, which ignores ASCII case on SQLite; and PostgreSQL
// compares text by its locale, under which "Order.x" sorts between
// "order." and "order/" (en_US, ICU alike). On SQLite, BINARY is the
// columns' own collation, so an index on col still serves the range; on
// PostgreSQL an index serves it only if it is built COLLATE "C" too.
func byteRange(col, lo, hi string) *sql.Predicate {
	return sql.P(func(b *sql.Builder) {
		collate := " COLLATE " + byteCollation(b.Dialect())
		if hi == "" {
			b.Ident(col).WriteString(collate).WriteOp(sql.OpGTE).Arg(lo)
			return
		}
		b.Wrap(func(b *sql.Builder) {
			b.Ident(col).WriteString(collate).WriteOp(sql.OpGTE).Arg(lo)
			b.WriteString(" AND ")
			b.Ident(col).WriteString(collate).WriteOp(sql.OpLT).Arg(hi)
		})
	})
}

// byteCollation names the collation that orders text by its bytes, which
// for UTF-8 is also the order of code points.
func byteCollation(d string) string {
	if d == dialect.Postgres {
		return `"C"`
	}
	return "BINARY" // SQLite's
}

// prefixRange bounds the strings that start with prefix (not empty):
// [lo, hi) in byte order, exact over valid UTF-8 (event types are). hi is prefix with its last character incremented,
// dropping trailing characters that cannot be (U+10FFFF), so that hi is
// valid UTF-8 as PostgreSQL requires of text; past the surrogates, which
// UTF-8 cannot encode, it skips to U+E000. A prefix that is not valid UTF-8
// (SQLite stores such text) has its last byte below 0xFF incremented. A
// prefix of nothing but the largest characters has no upper bound (hi is
// ""): every string at or above it starts with it.
func prefixRange(prefix string) (lo, hi string) {
	if !utf8.ValidString(prefix) {
		b := []byte(prefix)
		for i := len(b) - 1; i >= 0; i-- {
			if b[i] < 0xFF {
				b[i]++
				return prefix, string(b[:i+1])
			}
		}
		return prefix, ""
	}
	rs := []rune(prefix)
	for i := len(rs) - 1; i >= 0; i-- {
		switch r := rs[i]; {
		case r == utf8.MaxRune:
			continue
		case r == 0xD7FF:
			rs[i] = 0xE000
		default:
			rs[i] = r + 1
		}
		return prefix, string(rs[:i+1])
	}
	return prefix, ""
}
