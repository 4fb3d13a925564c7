package auth_test

import (
	"os"
	"testing"

	"github.com/wexio/webhooks/internal/db/dbtest"
)

// The tests run on SQLite, then again on PostgreSQL.
func TestMain(m *testing.M) { os.Exit(dbtest.Main(m)) }
