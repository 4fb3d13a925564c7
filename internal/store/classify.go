package store

import (
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"
)

// IsUnavailable reports whether err, from a database operation, says the
// database could not be reached or went away under the work (a connection
// refused, reset, closed or timed out on connect; the server shutting
// down, starting up or out of connections), not that it refused the work:
// the caller answers "retry later" (503 with Retry-After) rather than
// "failed". Nothing was committed, unless a commit's answer was lost,
// which a retry with the same idempotency key makes good. It is here, not
// in the drivers, so that services decide without importing one; pgconn's
// types are what the PostgreSQL driver returns, and cost nothing on SQLite.
func IsUnavailable(err error) bool {
	if err == nil {
		return false
	}
	var connect *pgconn.ConnectError
	var netErr net.Error
	switch {
	case errors.As(err, &connect), errors.As(err, &netErr):
		return true
	case errors.Is(err, driver.ErrBadConn), errors.Is(err, sql.ErrConnDone), errors.Is(err, pgconn.ErrConnClosed):
		return true
	case errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE):
		return true
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		// The server closed the connection under a statement: PostgreSQL
		// stopping says so in a notice, not an error, then hangs up.
		return true
	}
	return unavailableState(sqlState(err))
}

// IsConflict reports whether err, from a database operation, says the
// database gave up the work to resolve a conflict with other transactions
// (a deadlock, a serialization failure): nothing of it was done, and done
// again it may well succeed. Several servers' write batches can deadlock
// on rows they all update.
func IsConflict(err error) bool {
	switch sqlState(err) {
	case "40001", "40P01":
		return true
	}
	return false
}

// sqlState is the SQLSTATE err carries (PostgreSQL's errors), or "".
func sqlState(err error) string {
	var coded interface{ SQLState() string }
	if errors.As(err, &coded) {
		return coded.SQLState()
	}
	return ""
}

// unavailableState reports whether a SQLSTATE says the server cannot do the
// work now, whatever the work: class 08 (connection exception), 53
// (insufficient resources: too many connections, disk full), 58 (system
// error: I/O), and 57P01-57P03 (shutting down, crashed, starting up).
func unavailableState(code string) bool {
	switch {
	case strings.HasPrefix(code, "08"), strings.HasPrefix(code, "53"), strings.HasPrefix(code, "58"):
		return true
	}
	switch code {
	case "57P01", "57P02", "57P03":
		return true
	}
	return false
}
