package sqlite

// StatementJournalSpill is how large a statement journal grows in memory
// before SQLite moves it to a temporary file; SQLite's default is 64 KiB.
//
// Inside a transaction, a statement that writes several rows and may fail
// a constraint (the attempt rows' INSERT, with its foreign keys and
// counting trigger) first copies every page it changes into its statement
// journal, so that it can be undone alone.
// The writer's batches are such transactions: a batch of 64 attempts
// changes about 160 KiB of pages, so at 64 KiB each of its statements
// wrote its journal out to a temporary file and read nothing back. Held
// in memory up to 4 MiB, a delivery's writes lose all that temporary
// files cost them (outbound's BenchmarkRecordSchema/temp_store_memory,
// B/A: 0.86-0.88 at the default, 0.99-1.02 with this), while a statement
// that changes more (deleting a webhook with all of its history) still
// spills to disk rather than holding its whole journal in memory.
const StatementJournalSpill = 4 << 20

// statementJournalSpillResult is SQLite's answer to setting
// StatementJournalSpill. sqlite3_config must run before the library opens
// its first connection, so it runs when this package is initialised,
// before any code that opens a database through it; Open warns when
// SQLite refused it (SQLITE_MISUSE: something opened a database first).
var statementJournalSpillResult = configureStatementJournalSpill(StatementJournalSpill)
