// Package pulid implements prefixed ULIDs: opaque, time-sortable ids whose
// prefix names the entity type ("wh_01J…"), so node(id:) can resolve a type
// from the id alone and a person can tell what an id names.
package pulid

import (
	"crypto/rand"
	"database/sql/driver"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/oklog/ulid/v2"
)

// ID is a prefixed ULID such as "wh_01JD7Y3J5Q2W8Z6P0K9M4N1B2C".
type ID string

// entropy is monotonic so ids minted in the same millisecond still sort in
// creation order; it is not safe for concurrent use, hence the mutex.
var (
	entropyMu sync.Mutex
	entropy   = ulid.Monotonic(rand.Reader, 0)
)

// New returns a fresh id for prefix (without the underscore).
func New(prefix string) ID {
	entropyMu.Lock()
	u := ulid.MustNew(ulid.Timestamp(time.Now()), entropy)
	entropyMu.Unlock()
	return ID(prefix + "_" + u.String())
}

// Prefix returns the type prefix of id ("wh" for "wh_01J…"), or "" when id
// has none.
func (u ID) Prefix() string {
	p, _, ok := strings.Cut(string(u), "_")
	if !ok {
		return ""
	}
	return p
}

// UnmarshalGQL implements graphql.Unmarshaler.
func (u *ID) UnmarshalGQL(v any) error {
	return u.Scan(v)
}

// MarshalGQL implements graphql.Marshaler.
func (u ID) MarshalGQL(w io.Writer) {
	_, _ = io.WriteString(w, strconv.Quote(string(u)))
}

// Scan implements sql.Scanner.
func (u *ID) Scan(src any) error {
	switch src := src.(type) {
	case nil:
		return fmt.Errorf("pulid: expected a value")
	case string:
		*u = ID(src)
	case []byte:
		*u = ID(src)
	case ID:
		*u = src
	default:
		return fmt.Errorf("pulid: unexpected type %T", src)
	}
	return nil
}

// Value implements driver.Valuer.
func (u ID) Value() (driver.Value, error) {
	return string(u), nil
}
