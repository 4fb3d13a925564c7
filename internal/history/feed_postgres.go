package history

import (
	"strconv"

	"github.com/wexio/webhooks/internal/store"
)

// feedChunk is how many rows one announcement names: at most about 100
// bytes a row (encodeRows), under PostgreSQL's 8,000 bytes a payload.
const feedChunk = 64

// pgFeedObjects announce committed log rows on PostgreSQL: a trigger, once
// per statement that inserts log rows, NOTIFYs their ids (encodeRows'
// payload, store.Logs, from store.DatabaseSender) inside the inserting
// transaction. PostgreSQL delivers a transaction's notifications when it
// commits and in commit order, to every server, the committing one
// included: every subscriber, on any server, gets each webhook's rows in
// the order they were committed, whoever committed them. Writers publish
// nothing there (Feed.Publish). A batch is one statement, so one NOTIFY
// per 64 rows of a commit, never one per row.
var pgFeedObjects = []counterObject{
	pgFunction("log_feed_notify", `	DECLARE payload text;
	BEGIN
	FOR payload IN
		SELECT string_agg(r.id || ',' || r.workspace_id || ',' || r.webhook_id || ',' || r.direction, ';' ORDER BY r.n)
		FROM (SELECT i.*, row_number() OVER () - 1 AS n FROM new_rows i) r
		GROUP BY r.n / `+strconv.Itoa(feedChunk)+` ORDER BY r.n / `+strconv.Itoa(feedChunk)+`
	LOOP
		PERFORM pg_notify('`+store.NotifyChannel+`', '`+store.DatabaseSender+` `+string(store.Logs)+` ' || payload);
	END LOOP;
	END;
`),
	pgStatementTrigger("log_feed_notify", "AFTER INSERT", "NEW TABLE AS new_rows"),
}
