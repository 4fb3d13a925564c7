package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// The variables that enable and require the PostgreSQL tests.
const (
	EnvURL     = "WEXIO_TEST_POSTGRES_URL"
	EnvRequire = "WEXIO_TEST_REQUIRE_POSTGRES"
)

const skipMessage = "PostgreSQL tests skipped: set " + EnvURL +
	"=postgres://user@host:port/db?sslmode=disable (scripts/pg-test-cluster start prints one; .ci/run starts a throwaway cluster)"

// adminTimeout bounds creating or dropping one database.
const adminTimeout = 30 * time.Second

// URL returns the URL of a new, empty database on the server EnvURL names,
// which is dropped when the test and its subtests have finished (after the
// cleanups registered later, so close what uses it in one of those). With
// EnvURL unset, it skips the test, or fails it if EnvRequire is set.
func URL(t testing.TB) string {
	t.Helper()
	base, err := serverURL(os.Getenv)
	switch {
	case err != nil:
		t.Fatal(err)
	case base == "":
		t.Skip(skipMessage)
	}
	name, err := randomName()
	if err != nil {
		t.Fatal(err)
	}
	dbURL, err := databaseURL(base, name)
	if err != nil {
		t.Fatal(err)
	}
	if err := admin(base, "CREATE DATABASE %s TEMPLATE template0", name); err != nil {
		t.Fatalf("creating test database %s: %v", name, err)
	}
	t.Cleanup(func() {
		if err := admin(base, "DROP DATABASE IF EXISTS %s WITH (FORCE)", name); err != nil {
			t.Errorf("dropping test database %s: %v", name, err)
		}
	})
	return dbURL
}

// Server returns the server EnvURL names, or "" when the PostgreSQL tests
// may skip; an error when they may not (EnvRequire set without EnvURL).
func Server() (string, error) { return serverURL(os.Getenv) }

// serverURL returns EnvURL's value, or "" when the tests may skip. It fails
// when EnvRequire is set without EnvURL, or is not a boolean.
func serverURL(getenv func(string) string) (string, error) {
	base := getenv(EnvURL)
	required := false
	if v := getenv(EnvRequire); v != "" {
		var err error
		if required, err = strconv.ParseBool(v); err != nil {
			return "", fmt.Errorf("%s=%q: want 1 or 0", EnvRequire, v)
		}
	}
	if base == "" && required {
		return "", fmt.Errorf("%s is set but %s is not: PostgreSQL tests may not skip here (.ci/run exports both)", EnvRequire, EnvURL)
	}
	return base, nil
}

// databaseURL is base with its database replaced by name.
func databaseURL(base, name string) (string, error) {
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return "", fmt.Errorf("%s must be a postgres:// URL, e.g. postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable", EnvURL)
	}
	u.Path = "/" + name
	u.RawPath = ""
	q := u.Query()
	if q.Has("dbname") {
		q.Del("dbname")
		u.RawQuery = q.Encode()
	}
	return u.String(), nil
}

func randomName() (string, error) {
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("reading random bytes: %w", err)
	}
	return "wexio_test_" + hex.EncodeToString(b), nil
}

// admin runs one statement about database name over its own connection to
// base: CREATE and DROP DATABASE cannot run inside a transaction.
func admin(base, format, name string) error {
	ctx, cancel := context.WithTimeout(context.Background(), adminTimeout)
	defer cancel()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		return fmt.Errorf("connecting to %s: %w", EnvURL, err)
	}
	defer conn.Close(context.Background())
	_, err = conn.Exec(ctx, fmt.Sprintf(format, pgx.Identifier{name}.Sanitize()))
	return err
}
