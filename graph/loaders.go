package graph

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vikstrous/dataloadgen"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/flow"
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/ent/webhook"
	"github.com/wexio/webhooks/ent/webhooklog"
	"github.com/wexio/webhooks/internal/flows"
)

// loaders batch what each webhook of a list asks for (its flow count, its
// last activity) into a few queries per page rather than some per row:
// a page of 50 made 100 queries, and each outbound webhook's flow count
// read every flow of the workspace again. One set per operation
// (withLoaders), so nothing is kept from one request to the next.
type loaders struct {
	once         sync.Once
	flowCount    *dataloadgen.Loader[*ent.Webhook, int]
	lastActivity *dataloadgen.Loader[pulid.ID, *time.Time]
}

type loadersKey struct{}

// loadWait is how long a loader gathers keys before it runs its batch:
// gqlgen resolves a list's rows at once, so their keys arrive within
// microseconds of each other on an idle machine; a busy one may start a
// row's resolver later, and its key then goes in a second batch.
const loadWait = 2 * time.Millisecond

// withLoaders gives a query or a mutation its own loaders (an operation
// interceptor: over HTTP and WebSocket alike). Not a subscription: it
// lives for hours, and its loaders would keep every value they read,
// stale, for as long.
func withLoaders(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	if op := graphql.GetOperationContext(ctx).Operation; op != nil && op.Operation == ast.Subscription {
		return next(ctx)
	}
	return next(context.WithValue(ctx, loadersKey{}, &loaders{}))
}

// loaders returns the operation's loaders, made on first use; nil in a
// subscription (withLoaders), whose resolvers then run a loader's fetch
// for their one row (only).
func (r *Resolver) loaders(ctx context.Context) *loaders {
	l, _ := ctx.Value(loadersKey{}).(*loaders)
	if l == nil {
		return nil
	}
	l.once.Do(func() {
		l.flowCount = dataloadgen.NewLoader(r.flowCounts, dataloadgen.WithWait(loadWait))
		l.lastActivity = dataloadgen.NewLoader(r.lastActivities, dataloadgen.WithWait(loadWait))
	})
	return l
}

// flowCounts is each webhook's flowCount: the flows bound to an inbound
// one, counted in one query for all of them; the flows emitting to an
// outbound one, the flows read once for all of them.
func (r *Resolver) flowCounts(ctx context.Context, hooks []*ent.Webhook) ([]int, []error) {
	c := r.client(ctx)
	counts := make([]int, len(hooks))
	var in []pulid.ID
	var inAt, outAt []int
	var patterns [][]string
	for i, w := range hooks {
		if w.Direction == schematype.DirectionInbound {
			inAt, in = append(inAt, i), append(in, w.ID)
		} else {
			outAt, patterns = append(outAt, i), append(patterns, w.Events)
		}
	}
	if len(in) > 0 {
		var rows []struct {
			WebhookID pulid.ID `json:"webhook_id"`
			Count     int      `json:"count"`
		}
		err := c.Flow.Query().Where(flow.WebhookIDIn(in...)).GroupBy(flow.FieldWebhookID).Aggregate(ent.Count()).Scan(ctx, &rows)
		if err != nil {
			return nil, []error{fmt.Errorf("counting the flows of %d webhooks: %w", len(in), err)}
		}
		byHook := make(map[pulid.ID]int, len(rows))
		for _, row := range rows {
			byHook[row.WebhookID] = row.Count
		}
		for j, i := range inAt {
			counts[i] = byHook[in[j]]
		}
	}
	if len(patterns) > 0 {
		n, err := flows.CountEmitting(ctx, c, patterns)
		if err != nil {
			return nil, []error{err}
		}
		for j, i := range outAt {
			counts[i] = n[j]
		}
	}
	return counts, nil
}

// lastActivities is each webhook's lastActivityAt: the id of its newest
// log row, one step down its (webhook_id, id) index each in one statement
// (grouping by webhook would read every row of each), then those rows'
// times.
func (r *Resolver) lastActivities(ctx context.Context, ids []pulid.ID) ([]*time.Time, []error) {
	c := r.client(ctx)
	var q strings.Builder
	q.WriteString("SELECT (SELECT l." + webhooklog.FieldID + " FROM " + webhooklog.Table + " l WHERE l." +
		webhooklog.FieldWebhookID + " = w." + webhook.FieldID + " ORDER BY l." + webhooklog.FieldID +
		" DESC LIMIT 1) FROM " + webhook.Table + " w WHERE w." + webhook.FieldID + " IN (")
	args := make([]any, len(ids))
	for i, id := range ids {
		if i > 0 {
			q.WriteString(", ")
		}
		// $n: PostgreSQL's placeholders, and SQLite's as well.
		q.WriteString("$" + strconv.Itoa(i+1))
		args[i] = string(id)
	}
	q.WriteString(")")
	newest, err := scanIDs(ctx, c, q.String(), args)
	if err != nil {
		return nil, []error{fmt.Errorf("finding the newest log of %d webhooks: %w", len(ids), err)}
	}
	at := make(map[pulid.ID]*time.Time, len(newest))
	if len(newest) > 0 {
		logs, err := c.WebhookLog.Query().Where(webhooklog.IDIn(newest...)).
			Select(webhooklog.FieldWebhookID, webhooklog.FieldOccurredAt).All(ctx)
		if err != nil {
			return nil, []error{fmt.Errorf("reading the newest log of %d webhooks: %w", len(ids), err)}
		}
		for _, l := range logs {
			at[l.WebhookID] = &l.OccurredAt
		}
	}
	out := make([]*time.Time, len(ids))
	for i, id := range ids {
		out[i] = at[id]
	}
	return out, nil
}

// scanIDs runs query and returns the ids of its one column, NULLs left out.
func scanIDs(ctx context.Context, c *ent.Client, query string, args []any) ([]pulid.ID, error) {
	rows, err := c.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []pulid.ID
	for rows.Next() {
		var id sql.NullString
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		if id.Valid {
			ids = append(ids, pulid.ID(id.String))
		}
	}
	return ids, rows.Err()
}

// only is a fetch's answer for a batch of one key.
func only[V any](values []V, errs []error) (V, error) {
	var v V
	for _, err := range errs {
		if err != nil {
			return v, err
		}
	}
	if len(values) == 0 {
		return v, errors.New("graph: a fetch answered nothing for its one key")
	}
	return values[0], nil
}
