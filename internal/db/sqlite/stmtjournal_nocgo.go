//go:build !cgo

package sqlite

// configureStatementJournalSpill: without cgo there is no SQLite to
// configure (the driver refuses to open), so there is nothing to do.
func configureStatementJournalSpill(int) int { return 0 }
