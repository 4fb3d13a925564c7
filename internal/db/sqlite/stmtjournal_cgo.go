//go:build cgo

package sqlite

/*
// sqlite3_config is SQLite's own, compiled into the binary by
// mattn/go-sqlite3 (or linked from the system's library under its
// libsqlite3 tag); its header ships inside that module, so the one
// prototype needed is declared here. 26 is SQLITE_CONFIG_STMTJRNL_SPILL.
extern int sqlite3_config(int, ...);
static int wexio_stmt_journal_spill(int n) { return sqlite3_config(26, n); }
*/
import "C"

// configureStatementJournalSpill sets SQLite's process-wide statement
// journal spill threshold and returns SQLite's result code (0 is OK).
func configureStatementJournalSpill(bytes int) int {
	return int(C.wexio_stmt_journal_spill(C.int(bytes)))
}
