package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
)

// scanTimesInUTC makes conn return timestamptz values in UTC, as the
// SQLite store returns its times: pgx returns them in the process's local
// zone, and a time's zone shows in what the API writes (GraphQL's Time,
// JSON), so the same row would read differently on the two databases.
func scanTimesInUTC(_ context.Context, conn *pgx.Conn) error {
	conn.TypeMap().RegisterType(&pgtype.Type{Name: "timestamptz", OID: pgtype.TimestamptzOID,
		Codec: &pgtype.TimestamptzCodec{ScanLocation: time.UTC}})
	return nil
}
