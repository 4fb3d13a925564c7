package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/delivery"
	"github.com/wexio/webhooks/ent/predicate"
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/internal/auth"
	"github.com/wexio/webhooks/internal/store"
	"github.com/wexio/webhooks/internal/tenant"
)

// Open opens a fresh, empty store; the suite closes it.
type Open func(t testing.TB) *store.Store

// Again opens another store on st's database, as a second server would;
// the suite closes it. Heartbeats, where a driver has them, should be
// short (store.Options.Heartbeat) so that takeovers come quickly.
type Again func(t testing.TB, st *store.Store) *store.Store

// Run runs the whole suite against the stores open and again make.
func Run(t *testing.T, open Open, again Again) {
	t.Run("Store", func(t *testing.T) { t.Parallel(); testStore(t, open) })
	t.Run("Writer", func(t *testing.T) { t.Parallel(); testWriter(t, open) })
	t.Run("Notifier", func(t *testing.T) { t.Parallel(); testNotifier(t, open) })
	t.Run("WakeAfterCommit", func(t *testing.T) { t.Parallel(); testWake(t, open) })
	t.Run("Claimer", func(t *testing.T) { t.Parallel(); testClaimer(t, open) })
	t.Run("ClaimCancelledMidway", func(t *testing.T) { t.Parallel(); testClaimCancelledMidway(t, open) })
	t.Run("Workers", func(t *testing.T) { t.Parallel(); testWorkers(t, open, again) })
	t.Run("Takeover", func(t *testing.T) { t.Parallel(); testTakeover(t, open, again) })
	t.Run("Singleton", func(t *testing.T) { t.Parallel(); testSingleton(t, open, again) })
	t.Run("TryLockTx", func(t *testing.T) { t.Parallel(); testTryLockTx(t, open, again) })
}

// fixture is a workspace with one outbound webhook and one event, ready
// for deliveries.
type fixture struct {
	st    *store.Store
	ctx   context.Context // the workspace's
	sys   context.Context // system access, as workers have
	hook  *ent.Webhook
	event *ent.Event
}

func newFixture(t testing.TB, open Open) *fixture {
	t.Helper()
	st := open(t)
	t.Cleanup(func() { _ = st.Close() })
	return fixtureOn(t, st)
}

// fixtureOn is newFixture on st.
func fixtureOn(t testing.TB, st *store.Store) *fixture {
	t.Helper()
	f := &fixture{st: st, sys: auth.System(context.Background())}
	ws, err := st.Write.Workspace.Create().SetName("conformance").Save(f.sys)
	if err != nil {
		t.Fatalf("creating workspace: %v", err)
	}
	f.ctx = tenant.WithWorkspace(context.Background(), string(ws.ID))
	f.hook, err = st.Write.Webhook.Create().SetName("receiver").SetDirection(schematype.DirectionOutbound).
		SetURL("https://receiver.example/hook").SetEvents([]string{"*"}).Save(f.ctx)
	if err != nil {
		t.Fatalf("creating webhook: %v", err)
	}
	f.event, err = st.Write.Event.Create().SetType("contact.created").SetData([]byte(`{}`)).Save(f.ctx)
	if err != nil {
		t.Fatalf("creating event: %v", err)
	}
	return f
}

// deliveries creates n PENDING deliveries due at due, each for an event
// of its own (a delivery is unique per event and webhook).
func (f *fixture) deliveries(t testing.TB, n int, due time.Time) []pulid.ID {
	t.Helper()
	ids := make([]pulid.ID, n)
	for i := range ids {
		ev, err := f.st.Write.Event.Create().SetType("contact.created").SetData([]byte(`{}`)).Save(f.ctx)
		if err != nil {
			t.Fatalf("creating event: %v", err)
		}
		d, err := f.st.Write.Delivery.Create().SetEventID(ev.ID).SetWebhookID(f.hook.ID).
			SetNextAttemptAt(due.UTC()).Save(f.ctx)
		if err != nil {
			t.Fatalf("creating delivery: %v", err)
		}
		ids[i] = d.ID
	}
	return ids
}

// leases is a LeaseTable over deliveries, as simple as a queue can be:
// what the suite checks is the claimer's locking, not a table's policy.
var leases = store.LeaseTable{
	Name: "deliveries",
	Expired: func(ctx context.Context, c *ent.Client, now time.Time, limit int, lock bool) ([]pulid.ID, error) {
		return store.LockIf(c.Delivery.Query().Where(due(now), delivery.ClaimedUntilLT(now)).Limit(limit), lock).IDs(ctx)
	},
	Unleased: func(ctx context.Context, c *ent.Client, now time.Time, limit int, lock bool) ([]pulid.ID, error) {
		return store.LockIf(c.Delivery.Query().Where(due(now), delivery.ClaimedUntilIsNil()).
			Order(delivery.ByNextAttemptAt(), delivery.ByID()).Limit(limit), lock).IDs(ctx)
	},
	Lease: func(ctx context.Context, c *ent.Client, ids []pulid.ID, _, until time.Time, token string) error {
		return c.Delivery.Update().Where(delivery.IDIn(ids...)).SetClaimedUntil(until).SetClaimToken(token).Exec(ctx)
	},
	Unlease: func(ctx context.Context, c *ent.Client, ids []pulid.ID) error {
		return c.Delivery.Update().Where(delivery.IDIn(ids...), delivery.StatusEQ(schematype.DeliveryPending)).
			ClearClaimedUntil().Exec(ctx)
	},
	UnleaseAll: func(ctx context.Context, c *ent.Client) (int, error) {
		return c.Delivery.Update().Where(delivery.ClaimedUntilNotNil(), delivery.StatusEQ(schematype.DeliveryPending)).
			ClearClaimedUntil().Save(ctx)
	},
	UnleaseHeldBy: func(ctx context.Context, c *ent.Client, prefix string) (int, error) {
		return c.Delivery.Update().Where(delivery.ClaimedUntilNotNil(), delivery.StatusEQ(schematype.DeliveryPending),
			delivery.ClaimTokenHasPrefix(prefix)).ClearClaimedUntil().ClearClaimToken().Save(ctx)
	},
}

// due selects what may be claimed at now, lease aside.
func due(now time.Time) predicate.Delivery {
	return delivery.And(delivery.StatusEQ(schematype.DeliveryPending), delivery.NextAttemptAtLTE(now.UTC()))
}
