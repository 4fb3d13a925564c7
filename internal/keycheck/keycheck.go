package keycheck

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"

	entsql "entgo.io/ent/dialect/sql"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/internal/secretbox"
)

// Table holds small facts about the database itself, by name. It is kept
// by hand, beside ent's schema, in SQL both dialects run unchanged.
const Table = "wexio_meta"

const createTable = `CREATE TABLE IF NOT EXISTS ` + Table + ` (name TEXT PRIMARY KEY, value TEXT NOT NULL)`

const (
	// checkName is the row of the check value in Table.
	checkName = "secret_key_check"
	// checkPlaintext is what the check value seals. It is no secret: only
	// the right key opens the sealed value, and AES-GCM's tag says so.
	checkPlaintext = "wexio secret key check v1"
	// checkContext binds the sealed value to its row, as the webhooks'
	// secrets are bound to theirs.
	checkContext = Table + "/" + checkName
)

// ErrWrongKey is returned (wrapped) by Ensure when box's key is not the
// database's: it does not open the check value, or, in a database older
// than the check value, a sealed webhook secret.
var ErrWrongKey = errors.New("keycheck: the key does not open the database's secrets")

// Ensure checks that box's key is the one c's database (of ent SQL dialect
// dialect) keeps its secrets under. The first start records the check
// value; so does the first start of a database older than it, once the key
// has opened one of its sealed webhook secrets. Servers starting together
// insert if absent and then all read back the one value that won, so they
// agree on it.
func Ensure(ctx context.Context, c *ent.Client, dialect string, box *secretbox.Box) error {
	if err := createIfMissing(ctx, c, dialect); err != nil {
		return err
	}
	stored, found, err := read(ctx, c, dialect)
	if err != nil {
		return err
	}
	if !found {
		if err := opensOldSecret(ctx, c, box); err != nil {
			return err
		}
		if err := insert(ctx, c, dialect, base64.StdEncoding.EncodeToString(box.Seal(checkPlaintext, checkContext))); err != nil {
			return err
		}
		if stored, found, err = read(ctx, c, dialect); err != nil {
			return err
		}
		if !found {
			return fmt.Errorf("reading the secret key check value: %s has no row %s after inserting it", Table, checkName)
		}
	}
	sealed, err := base64.StdEncoding.DecodeString(stored)
	if err != nil {
		return fmt.Errorf("reading the secret key check value: not base64: %w", err)
	}
	if plain, err := box.Open(sealed, checkContext); err != nil || plain != checkPlaintext {
		return fmt.Errorf("checking the secret key: %w", ErrWrongKey)
	}
	return nil
}

// createIfMissing creates Table. Two servers creating it at once may race
// inside the database (PostgreSQL's IF NOT EXISTS is not atomic), so an
// error is one only if the table still cannot be read.
func createIfMissing(ctx context.Context, c *ent.Client, dialect string) error {
	_, err := c.ExecContext(ctx, createTable)
	if err == nil {
		return nil
	}
	if _, _, rerr := read(ctx, c, dialect); rerr == nil {
		return nil
	}
	return fmt.Errorf("creating %s: %w", Table, err)
}

// read returns the stored check value, and whether there is one.
func read(ctx context.Context, c *ent.Client, dialect string) (string, bool, error) {
	q, args := entsql.Dialect(dialect).Select("value").From(entsql.Table(Table)).
		Where(entsql.EQ("name", checkName)).Query()
	rows, err := c.QueryContext(ctx, q, args...)
	if err != nil {
		return "", false, fmt.Errorf("reading the secret key check value: %w", err)
	}
	defer rows.Close()
	var value string
	found := rows.Next()
	if found {
		err = rows.Scan(&value)
	}
	if err == nil {
		err = rows.Err()
	}
	if err != nil {
		return "", false, fmt.Errorf("reading the secret key check value: %w", err)
	}
	return value, found, nil
}

// insert stores value as the check value unless one is stored already.
func insert(ctx context.Context, c *ent.Client, dialect, value string) error {
	q, args := entsql.Dialect(dialect).Insert(Table).Columns("name", "value").Values(checkName, value).
		OnConflict(entsql.ConflictColumns("name"), entsql.DoNothing()).Query()
	if _, err := c.ExecContext(ctx, q, args...); err != nil {
		return fmt.Errorf("recording the secret key check value: %w", err)
	}
	return nil
}
