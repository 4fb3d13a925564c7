package flows

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/flowrun"
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/internal/apperr"
	"github.com/wexio/webhooks/internal/crm"
	"github.com/wexio/webhooks/internal/db/dbtest"
	"github.com/wexio/webhooks/internal/store"
	"github.com/wexio/webhooks/internal/testkit"
)

var t0 = time.Date(2026, 11, 26, 17, 0, 0, 0, time.UTC)

// env is one database with two workspaces. Workspace A (ctx) has an inbound
// webhook "orders", an outbound webhook subscribed to "*" and a contact;
// workspace B (other) has its own inbound and "*" outbound webhooks.
type env struct {
	read       *ent.Client // the read pool
	c          *ent.Client
	w          store.Writer
	clk        *testkit.Clock // the injected time; tests move it
	svc        *Service
	runner     *Runner
	notified   atomic.Int64 // wake-ups of the dispatcher (store.Deliveries)
	st         *store.Store
	ctx, other context.Context
	in, out    *ent.Webhook
	otherIn    *ent.Webhook
	otherOut   *ent.Webhook
	contact    *ent.Contact
}

// deps are a runner's collaborators over e's store.
func (e *env) deps() Deps {
	return Deps{Writer: e.w, Read: e.read, Claimer: NewClaimer(e.st.Claimer(Runs), e.read), CRM: crm.NewService(e.clk.Now)}
}

// onFinished calls fn once each run that ends SUCCEEDED or FAILED has
// committed.
func (e *env) onFinished(fn func()) {
	e.c.FlowRun.Use(func(next ent.Mutator) ent.Mutator {
		return ent.MutateFunc(func(ctx context.Context, m ent.Mutation) (ent.Value, error) {
			v, err := next.Mutate(ctx, m)
			if s, ok := m.Field(flowrun.FieldStatus); ok && err == nil &&
				(s == schematype.RunSucceeded || s == schematype.RunFailed) {
				store.OnCommit(m, fn)
			}
			return v, err
		})
	})
}

func setup(t testing.TB) *env {
	t.Helper()
	d := dbtest.Open(t)
	e := &env{c: d.Write, read: d.Read, clk: testkit.NewClock(t0), svc: NewService(), st: d}
	e.w = d.Writer
	stop := d.Notifier.Listen(store.Deliveries, func(string) { e.notified.Add(1) })
	t.Cleanup(stop)
	var err error
	e.runner, err = New(Config{Now: e.clk.Now, Workers: 16}, e.deps())
	if err != nil {
		t.Fatal(err)
	}
	e.ctx, e.other = dbtest.Workspace(t, d.Write, "A"), dbtest.Workspace(t, d.Write, "B")
	e.in, e.out = hooks(t, d.Write, e.ctx)
	e.otherIn, e.otherOut = hooks(t, d.Write, e.other)
	e.contact = d.Write.Contact.Create().SetEmail("ann@example.com").SaveX(e.ctx)
	return e
}

func hooks(t testing.TB, c *ent.Client, ctx context.Context) (in, out *ent.Webhook) {
	t.Helper()
	in = c.Webhook.Create().SetName("orders").SetDirection(schematype.DirectionInbound).SaveX(ctx)
	out = c.Webhook.Create().SetName("all").SetDirection(schematype.DirectionOutbound).
		SetURL("https://example.com/h").SetEvents([]string{"*"}).SaveX(ctx)
	return in, out
}

// body is the inbound request every test run replays.
const body = `{"order":{"id":"o1","total":42.5},"customer":{"name":"Ann Lee","email":"bad"}}`

// startRun writes what an accepted inbound request leaves: its log row and
// a PENDING run of f, due now. contact may be nil.
func (e *env) startRun(t testing.TB, f *ent.Flow, contact *ent.Contact, raw string) *ent.FlowRun {
	t.Helper()
	var ctID *pulid.ID
	if contact != nil {
		ctID = &contact.ID
	}
	l := e.c.WebhookLog.Create().SetWebhookID(e.in.ID).SetDirection(schematype.DirectionInbound).
		SetOutcome(schematype.OutcomeAccepted).SetNillableContactID(ctID).
		SetRequest(schematype.HTTPMessage{Method: "POST", Body: raw,
			Headers: map[string]string{"Content-Type": "application/json", "X-Shop": "acme"}}).SaveX(e.ctx)
	return e.c.FlowRun.Create().SetFlowID(f.ID).SetLogID(l.ID).SetNillableContactID(ctID).
		SetStatus(schematype.RunPending).SetNextAttemptAt(e.clk.Now()).SaveX(e.ctx)
}

// flow creates an enabled flow on the inbound webhook through the service.
func (e *env) flow(t testing.TB, steps ...StepInput) *ent.Flow {
	t.Helper()
	f, err := e.svc.Create(e.ctx, e.c, CreateInput{Name: "f", Trigger: e.trigger(), Steps: steps})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func (e *env) trigger() TriggerInput {
	return TriggerInput{Type: schematype.TriggerWebhookReceived, WebhookID: &e.in.ID}
}

func (e *env) once(t testing.TB) int {
	t.Helper()
	n, err := e.runner.Once(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func (e *env) reload(t testing.TB, run *ent.FlowRun) *ent.FlowRun {
	t.Helper()
	return e.c.FlowRun.GetX(e.ctx, run.ID)
}

func emitStep(name string, data any) StepInput {
	return StepInput{Type: schematype.StepEmitEvent, Config: map[string]any{"name": name, "data": data}}
}

func updateStep(set map[string]any) StepInput {
	return StepInput{Type: schematype.StepUpdateContact, Config: map[string]any{"set": set}}
}

func sendStep(channel, text string) StepInput {
	return StepInput{Type: schematype.StepSendMessage, Config: map[string]any{"channel": channel, "text": text}}
}

func wantKind(t *testing.T, err error, kind apperr.Kind) {
	t.Helper()
	if apperr.KindOf(err) != kind {
		t.Fatalf("error = %v (kind %d), want kind %d", err, apperr.KindOf(err), kind)
	}
}

func ptr[T any](v T) *T { return &v }
