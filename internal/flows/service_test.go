package flows

import (
	"strings"
	"testing"

	"github.com/wexio/webhooks/ent/flowrun"
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/internal/apperr"
)

type createCase struct {
	name string
	in   CreateInput
	want string // in the error message
}

// invalidCreates are inputs Create refuses as BAD_USER_INPUT.
func invalidCreates(e *env) []createCase {
	ok := emitStep("order.paid", map[string]any{"total": "{{payload.order.total}}"})
	many := make([]StepInput, MaxSteps+1)
	for i := range many {
		many[i] = ok
	}
	return []createCase{
		{"blank name", CreateInput{Name: " ", Trigger: e.trigger(), Steps: []StepInput{ok}}, "name"},
		{"no steps", CreateInput{Name: "f", Trigger: e.trigger()}, "1 to 50 steps"},
		{"too many steps", CreateInput{Name: "f", Trigger: e.trigger(), Steps: many}, "1 to 50 steps"},
		{"no webhook", CreateInput{Name: "f", Trigger: TriggerInput{Type: schematype.TriggerWebhookReceived}, Steps: []StepInput{ok}}, "needs a webhookId"},
		{"other workspace's webhook", CreateInput{Name: "f", Trigger: TriggerInput{Type: schematype.TriggerWebhookReceived, WebhookID: &e.otherIn.ID}, Steps: []StepInput{ok}}, "not found"},
		{"outbound webhook", CreateInput{Name: "f", Trigger: TriggerInput{Type: schematype.TriggerWebhookReceived, WebhookID: &e.out.ID}, Steps: []StepInput{ok}}, "INBOUND"},
		{"unknown trigger", CreateInput{Name: "f", Trigger: TriggerInput{Type: "CRON", WebhookID: &e.in.ID}, Steps: []StepInput{ok}}, "trigger type"},
		{"unknown step", CreateInput{Name: "f", Trigger: e.trigger(), Steps: []StepInput{{Type: "HTTP_CALL", Config: map[string]any{}}}}, "unknown step type"},
		{"bad event name", CreateInput{Name: "f", Trigger: e.trigger(), Steps: []StepInput{emitStep("order paid!", nil)}}, "[a-zA-Z0-9_.]+"},
		{"no event name", CreateInput{Name: "f", Trigger: e.trigger(), Steps: []StepInput{{Type: schematype.StepEmitEvent, Config: map[string]any{}}}}, "name"},
		{"bad data template", CreateInput{Name: "f", Trigger: e.trigger(), Steps: []StepInput{ok, emitStep("x", map[string]any{"a": "{{foo.bar}}"})}}, "step 2 (EMIT_EVENT)"},
		{"unclosed placeholder", CreateInput{Name: "f", Trigger: e.trigger(), Steps: []StepInput{emitStep("x", "{{payload.a")}}, "template"},
		{"unknown config key", CreateInput{Name: "f", Trigger: e.trigger(), Steps: []StepInput{{Type: schematype.StepEmitEvent, Config: map[string]any{"name": "x", "dta": 1}}}}, `"dta"`},
		{"empty set", CreateInput{Name: "f", Trigger: e.trigger(), Steps: []StepInput{updateStep(map[string]any{})}}, "set"},
		{"unknown contact field", CreateInput{Name: "f", Trigger: e.trigger(), Steps: []StepInput{updateStep(map[string]any{"age": "1"})}}, `"age"`},
		{"bad attribute path", CreateInput{Name: "f", Trigger: e.trigger(), Steps: []StepInput{updateStep(map[string]any{"attributes..x": "1"})}}, "attributes..x"},
		{"bad set template", CreateInput{Name: "f", Trigger: e.trigger(), Steps: []StepInput{updateStep(map[string]any{"name": "{{contact.age}}"})}}, "unknown contact field"},
		{"no text", CreateInput{Name: "f", Trigger: e.trigger(), Steps: []StepInput{sendStep("whatsapp", " ")}}, `"text"`},
		{"no channel", CreateInput{Name: "f", Trigger: e.trigger(), Steps: []StepInput{{Type: schematype.StepSendMessage, Config: map[string]any{"text": "hi"}}}}, `"channel"`},
		{"bad text template", CreateInput{Name: "f", Trigger: e.trigger(), Steps: []StepInput{sendStep("whatsapp", "hi {{ }}")}}, "empty placeholder"},
	}
}

func TestCreateValidates(t *testing.T) {
	t.Parallel()
	e := setup(t)
	for _, c := range invalidCreates(e) {
		_, err := e.svc.Create(e.ctx, e.c, c.in)
		if apperr.KindOf(err) != apperr.KindInvalid || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error = %v, want BAD_USER_INPUT mentioning %q", c.name, err, c.want)
		}
	}
	if n := e.c.Flow.Query().CountX(e.ctx); n != 0 {
		t.Fatalf("%d flows saved", n)
	}
}

func TestCreateSavesAllThreeCards(t *testing.T) {
	t.Parallel()
	e := setup(t)
	f, err := e.svc.Create(e.ctx, e.c, CreateInput{Name: " Paid ", Trigger: e.trigger(), Steps: []StepInput{
		emitStep("order.paid", map[string]any{"total": "{{payload.order.total}}", "n": 1}),
		updateStep(map[string]any{"name": "{{payload.customer.name}}", "attributes.vip": true}),
		sendStep("whatsapp", "Hi {{contact.name}}"),
	}})
	if err != nil {
		t.Fatal(err)
	}
	if f.Name != "Paid" || !f.Enabled || f.TriggerType != schematype.TriggerWebhookReceived ||
		f.WebhookID == nil || *f.WebhookID != e.in.ID || len(f.Steps) != 3 {
		t.Fatalf("flow = %+v", f)
	}
	// The other workspace cannot see it.
	_, err = e.svc.Update(e.other, e.c, f.ID, UpdateInput{Enabled: ptr(false)})
	wantKind(t, err, apperr.KindNotFound)
	_, err = e.svc.Delete(e.other, e.c, f.ID)
	wantKind(t, err, apperr.KindNotFound)
}

func TestUpdate(t *testing.T) {
	t.Parallel()
	e := setup(t)
	f := e.flow(t, emitStep("a", nil))
	got, err := e.svc.Update(e.ctx, e.c, f.ID, UpdateInput{Name: ptr("g"), Enabled: ptr(false),
		Steps: []StepInput{emitStep("b", nil), sendStep("sms", "hi")}})
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != "g" || got.Enabled || len(got.Steps) != 2 || got.Steps[0].Config["name"] != "b" {
		t.Fatalf("updated = %+v", got)
	}
	otherWS := TriggerInput{Type: schematype.TriggerWebhookReceived, WebhookID: &e.otherIn.ID}
	for name, in := range map[string]UpdateInput{
		"empty steps":     {Steps: []StepInput{}},
		"bad step":        {Steps: []StepInput{emitStep("a b", nil)}},
		"foreign trigger": {Trigger: &otherWS},
		"blank name":      {Name: ptr("")},
	} {
		_, err := e.svc.Update(e.ctx, e.c, f.ID, in)
		if apperr.KindOf(err) != apperr.KindInvalid {
			t.Errorf("%s: error = %v, want BAD_USER_INPUT", name, err)
		}
	}
	_, err = e.svc.Update(e.ctx, e.c, pulid.New("flow"), UpdateInput{})
	wantKind(t, err, apperr.KindNotFound)
}

func TestDeleteTakesRuns(t *testing.T) {
	t.Parallel()
	e := setup(t)
	f := e.flow(t, emitStep("a", nil))
	e.startRun(t, f, nil, body)
	id, err := e.svc.Delete(e.ctx, e.c, f.ID)
	if err != nil || id != f.ID {
		t.Fatalf("Delete = %s, %v", id, err)
	}
	if n := e.c.FlowRun.Query().Where(flowrun.FlowID(f.ID)).CountX(e.ctx); n != 0 {
		t.Fatalf("%d runs left", n)
	}
	_, err = e.svc.Delete(e.ctx, e.c, f.ID)
	wantKind(t, err, apperr.KindNotFound)
}
