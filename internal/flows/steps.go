package flows

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/internal/events"
	"github.com/wexio/webhooks/internal/outbox"
)

// do executes one step in c's transaction and returns its output as JSON.
func (x *execution) do(ctx context.Context, c *ent.Client, st step) ([]byte, error) {
	var out any
	var err error
	switch st.typ {
	case schematype.StepEmitEvent:
		out, err = x.emit(ctx, c, st)
	case schematype.StepUpdateContact:
		out, err = x.updateContact(ctx, c, st)
	case schematype.StepSendMessage:
		out, err = x.send(ctx, c, st)
	default: // compile refuses these
		err = fmt.Errorf("unknown step type %q", st.typ)
	}
	if err != nil {
		return nil, err
	}
	b, err := json.Marshal(out)
	if err != nil {
		return nil, fmt.Errorf("encoding step output: %w", err)
	}
	return b, nil
}

// emitOutput is what an EMIT_EVENT step reports.
type emitOutput struct {
	EventID pulid.ID `json:"eventId"`
	Type    string   `json:"type"`
}

func (x *execution) emit(ctx context.Context, c *ent.Client, st step) (any, error) {
	data, err := st.data.Render(x.vars, x.r.cfg.MaxRenderBytes)
	if err != nil {
		return nil, fmt.Errorf("rendering data: %w", err)
	}
	typ := events.FlowType(st.name)
	em, err := outbox.Emit(ctx, c, typ, data, x.now)
	if err != nil {
		return nil, err
	}
	return emitOutput{EventID: em.Event.ID, Type: typ}, nil
}

// updateOutput is what an UPDATE_CONTACT step reports.
type updateOutput struct {
	ContactID pulid.ID       `json:"contactId"`
	Set       map[string]any `json:"set"`
}

func (x *execution) updateContact(ctx context.Context, c *ent.Client, st step) (any, error) {
	if x.contact == nil {
		return nil, errNoContact
	}
	v, err := st.set.Render(x.vars, x.r.cfg.MaxRenderBytes)
	if err != nil {
		return nil, fmt.Errorf("rendering set: %w", err)
	}
	set, _ := v.(map[string]any) // an object template renders an object
	ct, err := x.r.deps.CRM.SetFields(ctx, c, x.contact, set)
	if err != nil {
		return nil, err
	}
	x.setContact(ct)
	return updateOutput{ContactID: ct.ID, Set: set}, nil
}

// sendOutput is what a SEND_MESSAGE step reports.
type sendOutput struct {
	ChatID    pulid.ID `json:"chatId"`
	MessageID pulid.ID `json:"messageId"`
}

func (x *execution) send(ctx context.Context, c *ent.Client, st step) (any, error) {
	if x.contact == nil {
		return nil, errNoContact
	}
	channel, err := st.channel.RenderString(x.vars, x.r.cfg.MaxRenderBytes)
	if err != nil {
		return nil, fmt.Errorf("rendering channel: %w", err)
	}
	text, err := st.text.RenderString(x.vars, x.r.cfg.MaxRenderBytes)
	if err != nil {
		return nil, fmt.Errorf("rendering text: %w", err)
	}
	ch, err := x.r.deps.CRM.OpenChatWith(ctx, c, x.contact, channel)
	if err != nil {
		return nil, err
	}
	m, err := x.r.deps.CRM.SendMessageIn(ctx, c, ch, text)
	if err != nil {
		return nil, err
	}
	return sendOutput{ChatID: ch.ID, MessageID: m.ID}, nil
}
