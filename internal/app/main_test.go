package app

import (
	"os"
	"testing"

	"github.com/wexio/webhooks/internal/db/dbtest"
)

// envServe makes the test binary a server (serve, configured from the
// environment), so that the multi-process tests run real processes they
// can kill.
const envServe = "WEXIO_TEST_SERVE"

// The end-to-end tests run on SQLite, then again on PostgreSQL.
func TestMain(m *testing.M) {
	if os.Getenv(envServe) == "1" {
		os.Exit(Main([]string{"serve"}, os.LookupEnv, os.Stdout, os.Stderr))
	}
	os.Exit(dbtest.Main(m))
}
