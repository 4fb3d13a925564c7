package crm

import (
	"fmt"
	"strings"
	"testing"

	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/internal/apperr"
	"github.com/wexio/webhooks/internal/events"
)

func TestSendAndDeliverMessage(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ct, _ := e.svc.CreateContact(e.ctx, e.c, ContactInput{})
	ch, _ := e.svc.OpenChat(e.ctx, e.c, ct.ID, "sms")
	m, err := e.svc.SendMessage(e.ctx, e.c, ch.ID, " Hi <Ann> & co ")
	if err != nil {
		t.Fatal(err)
	}
	if m.Direction != schematype.DirectionOutbound || m.Status != schematype.MessageSent || m.Text != " Hi <Ann> & co " {
		t.Fatalf("message = %+v", m)
	}
	want := fmt.Sprintf(`{"id":%q,"chatId":%q,"contactId":%q,"text":" Hi <Ann> & co ","status":"SENT"}`, m.ID, ch.ID, ct.ID)
	if got := e.lastData(t, events.MessageOutboundCreated); got != want {
		t.Fatalf("data = %s\nwant   %s", got, want)
	}
	if _, err := e.svc.CloseChat(e.ctx, e.c, ch.ID); err != nil {
		t.Fatal(err)
	}
	// A message sent before the chat closed can still be delivered, once.
	for range 2 {
		d, err := e.svc.MarkDelivered(e.ctx, e.c, m.ID)
		if err != nil || d.Status != schematype.MessageDelivered {
			t.Fatalf("deliver: %+v, %v", d, err)
		}
	}
	want = strings.Replace(want, `"SENT"`, `"DELIVERED"`, 1)
	if got := e.lastData(t, events.MessageDelivered); got != want {
		t.Fatalf("data = %s\nwant   %s", got, want)
	}
	e.wantEvents(t, events.ContactCreated, events.ChatOpened, events.MessageOutboundCreated,
		events.ChatClosed, events.MessageDelivered)
}

func TestSendMessageRefuses(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ct, _ := e.svc.CreateContact(e.ctx, e.c, ContactInput{})
	open, _ := e.svc.OpenChat(e.ctx, e.c, ct.ID, "sms")
	closed, _ := e.svc.OpenChat(e.ctx, e.c, ct.ID, "email")
	closed, _ = e.svc.CloseChat(e.ctx, e.c, closed.ID)
	tests := []struct {
		name, chat, text string
		kind             apperr.Kind
	}{
		{"empty", string(open.ID), "", apperr.KindInvalid},
		{"blank", string(open.ID), " \n\t", apperr.KindInvalid},
		{"too long", string(open.ID), strings.Repeat("é", MaxMessageLen+1), apperr.KindInvalid},
		{"closed chat", string(closed.ID), "hi", apperr.KindInvalid},
		{"no such chat", "chat_nope", "hi", apperr.KindNotFound},
	}
	for _, tt := range tests {
		_, err := e.svc.SendMessage(e.ctx, e.c, pulid.ID(tt.chat), tt.text)
		if apperr.KindOf(err) != tt.kind {
			t.Errorf("%s: error = %v, want kind %d", tt.name, err, tt.kind)
		}
	}
	if _, err := e.svc.SendMessage(e.ctx, e.c, open.ID, strings.Repeat("é", MaxMessageLen)); err != nil {
		t.Errorf("longest text: %v", err)
	}
	_, err := e.svc.MarkDelivered(e.ctx, e.c, "msg_nope")
	wantKind(t, err, apperr.KindNotFound)
}
