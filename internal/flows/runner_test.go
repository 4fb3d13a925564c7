package flows

import (
	"strings"
	"testing"
	"time"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/chat"
	"github.com/wexio/webhooks/ent/delivery"
	"github.com/wexio/webhooks/ent/event"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/internal/auth"
)

// threeCards is a flow with all three cards; the second and third steps
// read what the second wrote.
func threeCards(e *env, t *testing.T) *ent.Flow {
	return e.flow(t,
		emitStep("order.paid", map[string]any{
			"total": "{{payload.order.total}}",
			"label": "Order {{payload.order.id}} for {{contact.name}} ({{payload.order.total}})",
			"shop":  "{{headers.x-shop}}", "hook": "{{webhook.name}}", "fixed": []any{1, true},
		}),
		updateStep(map[string]any{"name": "{{payload.customer.name}}", "attributes.lastOrder": "{{payload.order.id}}",
			"attributes.total": "{{payload.order.total}}"}),
		sendStep("whatsapp", "Thanks {{contact.name}}, order {{contact.attributes.lastOrder}} ({{contact.attributes.total}})"),
	)
}

// wantEvents checks the types of the workspace's events, oldest first, and
// that each has one PENDING delivery to the "*" outbound webhook.
func (e *env) wantEvents(t *testing.T, want string) []*ent.Event {
	t.Helper()
	evs := e.events(t)
	var types []string
	for _, ev := range evs {
		types = append(types, ev.Type)
		ds := e.c.Delivery.Query().Where(delivery.EventID(ev.ID)).AllX(e.ctx)
		if len(ds) != 1 || ds[0].WebhookID != e.out.ID || ds[0].Status != schematype.DeliveryPending {
			t.Fatalf("deliveries of %s: %+v", ev.Type, ds)
		}
	}
	if strings.Join(types, " ") != want {
		t.Fatalf("events = %q, want %q", types, want)
	}
	return evs
}

// events returns the workspace's events, oldest first.
func (e *env) events(t *testing.T) []*ent.Event {
	t.Helper()
	return e.c.Event.Query().Order(ent.Asc(event.FieldID)).AllX(e.ctx)
}

func TestRunAllThreeCards(t *testing.T) {
	t.Parallel()
	e := setup(t)
	run := e.startRun(t, threeCards(e, t), e.contact, body)
	if n := e.once(t); n != 1 {
		t.Fatalf("Once ran %d runs", n)
	}
	run = e.reload(t, run)
	if run.Status != schematype.RunSucceeded || run.StepIndex != 3 || len(run.StepResults) != 3 || run.Error != nil ||
		!run.StartedAt.Equal(t0) || !run.FinishedAt.Equal(t0) || run.ClaimedUntil != nil {
		t.Fatalf("run = %+v", run)
	}
	for _, r := range run.StepResults {
		if r.Status != statusSucceeded || len(r.Output) == 0 {
			t.Fatalf("step result %+v", r)
		}
	}
	evs := e.wantEvents(t, "flow.order.paid contact.updated chat.opened message.outbound.created")
	// A number stays a number; inside text it is written as JSON writes it.
	wantData := `{"fixed":[1,true],"hook":"orders","label":"Order o1 for  (42.5)","shop":"acme","total":42.5}`
	if string(evs[0].Data) != wantData {
		t.Fatalf("flow event data = %s, want %s", evs[0].Data, wantData)
	}
	e.checkEffects(t)
}

// checkEffects checks what the second and third cards of threeCards did.
func (e *env) checkEffects(t *testing.T) {
	t.Helper()
	ct := e.c.Contact.GetX(e.ctx, e.contact.ID)
	if ct.Name == nil || *ct.Name != "Ann Lee" || ct.Attributes["lastOrder"] != "o1" || ct.Attributes["total"] != 42.5 {
		t.Fatalf("contact = %+v", ct)
	}
	m := e.c.Message.Query().OnlyX(e.ctx)
	if m.Text != "Thanks Ann Lee, order o1 (42.5)" || m.Status != schematype.MessageSent {
		t.Fatalf("message = %+v", m)
	}
	// Each delivery the run's commit made due woke the dispatcher (the
	// store's hooks); the notifier coalesces them.
	if n, want := e.notified.Load(), int64(e.c.Delivery.Query().CountX(auth.System(e.ctx))); n != want || n == 0 {
		t.Fatalf("the dispatcher was woken %d times, want %d (one per delivery made due)", n, want)
	}
	// Workspace B's "*" webhook got nothing.
	if n := e.c.Delivery.Query().Where(delivery.WebhookID(e.otherOut.ID)).CountX(e.other); n != 0 {
		t.Fatalf("%d deliveries leaked to another workspace", n)
	}
	if n := e.once(t); n != 0 {
		t.Fatalf("a finished run was claimed again (%d)", n)
	}
}

func TestRunReusesOpenChat(t *testing.T) {
	t.Parallel()
	e := setup(t)
	f := e.flow(t, sendStep("whatsapp", "one {{payload.order.id}}"))
	e.startRun(t, f, e.contact, body)
	e.startRun(t, f, e.contact, body)
	e.once(t)
	if n := e.c.Chat.Query().Where(chat.Channel("whatsapp")).CountX(e.ctx); n != 1 {
		t.Fatalf("%d chats, want 1", n)
	}
	if n := e.c.Message.Query().CountX(e.ctx); n != 2 {
		t.Fatalf("%d messages, want 2", n)
	}
}

func TestFailingStepFailsRun(t *testing.T) {
	t.Parallel()
	e := setup(t)
	cases := []struct {
		name    string
		steps   []StepInput
		contact *ent.Contact
		want    string
	}{
		{"no contact", []StepInput{emitStep("a", nil), sendStep("sms", "hi")}, nil, "step 2 (SEND_MESSAGE): the request named no contact"},
		{"crm refuses", []StepInput{emitStep("a", nil), updateStep(map[string]any{"email": "{{payload.customer.email}}"})}, e.contact, "step 2 (UPDATE_CONTACT): "},
		// OpenChat commits nothing when SendMessage then refuses the blank text.
		{"blank text", []StepInput{emitStep("a", nil), sendStep("sms", "{{payload.missing}}")}, e.contact, "step 2 (SEND_MESSAGE): message text must not be empty"},
	}
	for _, c := range cases {
		before := len(e.events(t))
		run := e.startRun(t, e.flow(t, c.steps...), c.contact, body)
		e.once(t)
		run = e.reload(t, run)
		if run.Status != schematype.RunFailed || run.Error == nil || !strings.HasPrefix(*run.Error, c.want) || run.StepIndex != 1 ||
			len(run.StepResults) != 2 || run.StepResults[1].Status != statusFailed || run.StepResults[1].Error == "" || run.FinishedAt == nil {
			t.Fatalf("%s: run = %+v (error %v)", c.name, run, deref(run.Error))
		}
		evs := e.events(t)
		if len(evs) != before+1 || evs[len(evs)-1].Type != "flow.a" {
			t.Fatalf("%s: %d new events, want only step 1's", c.name, len(evs)-before)
		}
	}
	if n := e.c.Chat.Query().CountX(e.ctx); n != 0 {
		t.Fatalf("a failed step left %d chats", n)
	}
}

func TestDisabledFlowDoesNotRun(t *testing.T) {
	t.Parallel()
	e := setup(t)
	f := e.flow(t, emitStep("a", nil))
	run := e.startRun(t, f, e.contact, body)
	if _, err := e.svc.Update(e.ctx, e.c, f.ID, UpdateInput{Enabled: ptr(false)}); err != nil {
		t.Fatal(err)
	}
	e.once(t)
	run = e.reload(t, run)
	if run.Status != schematype.RunFailed || deref(run.Error) != "flow disabled" || len(e.events(t)) != 0 {
		t.Fatalf("run = %+v", run)
	}
}

// A worker claimed a run and died before its job committed: nothing of
// the run was written, nothing runs until the lease expires, and then
// every step runs once.
func TestCrashedRunIsExecutedOnceAfterItsLease(t *testing.T) {
	t.Parallel()
	e := setup(t)
	run := e.startRun(t, threeCards(e, t), e.contact, body)
	if runs, err := e.runner.deps.Claimer.Claim(e.ctx, t0, 10, time.Minute); err != nil || len(runs) != 1 {
		t.Fatalf("claim = %v, %v", runs, err)
	}
	if n := e.once(t); n != 0 {
		t.Fatalf("claimed a run under a live lease (%d)", n)
	}
	e.clk.Advance(2 * time.Minute)
	if n := e.once(t); n != 1 {
		t.Fatalf("Once ran %d runs after the lease expired", n)
	}
	run = e.reload(t, run)
	if run.Status != schematype.RunSucceeded || run.StepIndex != 3 || len(run.StepResults) != 3 || !run.StartedAt.Equal(t0) {
		t.Fatalf("run = %+v", run)
	}
	e.wantEvents(t, "flow.order.paid contact.updated chat.opened message.outbound.created")
	e.checkEffects(t)
}

// Two workers holding the same run (the first one's lease expired while it
// was still executing) cannot both commit its steps.
func TestStaleClaimRollsBack(t *testing.T) {
	t.Parallel()
	e := setup(t)
	e.startRun(t, e.flow(t, emitStep("a", nil)), e.contact, body)
	claim := func() *ent.FlowRun {
		runs, err := e.runner.deps.Claimer.Claim(e.ctx, e.clk.Now(), 10, time.Minute)
		if err != nil || len(runs) != 1 {
			t.Fatalf("claim = %v, %v", runs, err)
		}
		return runs[0]
	}
	first := claim()
	e.clk.Advance(2 * time.Minute)
	second := claim()
	e.runner.execute(second)
	e.runner.execute(first)
	if n := len(e.events(t)); n != 1 {
		t.Fatalf("%d events, want 1", n)
	}
}

func deref(s *string) string {
	if s == nil {
		return "<nil>"
	}
	return *s
}
