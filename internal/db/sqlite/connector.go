package sqlite

import (
	"context"
	sqldriver "database/sql/driver"
	"fmt"

	"github.com/mattn/go-sqlite3"
)

// connector opens connections to one data source name (DSN) and sets on
// each what the driver's DSN has no parameter for (onConnect).
type connector struct {
	dsn string
	drv *sqlite3.SQLiteDriver
}

func newConnector(dsn string) connector {
	return connector{dsn: dsn, drv: &sqlite3.SQLiteDriver{ConnectHook: onConnect}}
}

// Connect implements sqldriver.Connector.
func (c connector) Connect(context.Context) (sqldriver.Conn, error) { return c.drv.Open(c.dsn) }

// Driver implements sqldriver.Connector.
func (c connector) Driver() sqldriver.Driver { return c.drv }

// onConnect keeps SQLite's temporary storage in memory. A statement that
// changes many rows inside a transaction (the writer's batch of attempt
// rows, a claim's leases) keeps a statement journal to undo itself alone,
// and past 64 KiB SQLite spilled it to a file: about one write(2) to
// /var/tmp per delivery recorded, seen with strace on BenchmarkDispatch.
// In memory it costs a batch's undo pages, a few hundred KiB at most.
func onConnect(c *sqlite3.SQLiteConn) error {
	if _, err := c.Exec("PRAGMA temp_store = MEMORY", nil); err != nil {
		return fmt.Errorf("setting temp_store: %w", err)
	}
	return nil
}
