package crm

import (
	"fmt"
	"strings"
	"testing"

	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/internal/apperr"
	"github.com/wexio/webhooks/internal/events"
)

func TestOpenAndCloseChat(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ct, _ := e.svc.CreateContact(e.ctx, e.c, ContactInput{Name: ptr("Ann")})
	ch, err := e.svc.OpenChat(e.ctx, e.c, ct.ID, " whatsapp ")
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf(`{"id":%q,"contactId":%q,"channel":"whatsapp","status":"OPEN"}`, ch.ID, ct.ID)
	if got := e.lastData(t, events.ChatOpened); got != want {
		t.Fatalf("data = %s\nwant   %s", got, want)
	}
	if !ch.OpenedAt.Equal(t0) {
		t.Errorf("opened at %v", ch.OpenedAt)
	}
	same, err := e.svc.OpenChat(e.ctx, e.c, ct.ID, "whatsapp")
	if err != nil || same.ID != ch.ID {
		t.Fatalf("reopen: %v, %v", same, err)
	}
	other, err := e.svc.OpenChat(e.ctx, e.c, ct.ID, "telegram")
	if err != nil || other.ID == ch.ID {
		t.Fatalf("other channel: %v, %v", other, err)
	}
	e.wantEvents(t, events.ContactCreated, events.ChatOpened, events.ChatOpened)

	closed, err := e.svc.CloseChat(e.ctx, e.c, ch.ID)
	if err != nil || closed.Status != schematype.ChatClosed || !closed.ClosedAt.Equal(t0) {
		t.Fatalf("close: %+v, %v", closed, err)
	}
	want = fmt.Sprintf(`{"id":%q,"contactId":%q,"channel":"whatsapp","status":"CLOSED"}`, ch.ID, ct.ID)
	if got := e.lastData(t, events.ChatClosed); got != want {
		t.Fatalf("data = %s\nwant   %s", got, want)
	}
	if again, err := e.svc.CloseChat(e.ctx, e.c, ch.ID); err != nil || again.Status != schematype.ChatClosed {
		t.Fatalf("close again: %v", err)
	}
	fresh, err := e.svc.OpenChat(e.ctx, e.c, ct.ID, "whatsapp")
	if err != nil || fresh.ID == ch.ID {
		t.Fatalf("open after close: %v, %v", fresh, err)
	}
	e.wantEvents(t, events.ContactCreated, events.ChatOpened, events.ChatOpened, events.ChatClosed, events.ChatOpened)
}

func TestOpenChatRefuses(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ct, _ := e.svc.CreateContact(e.ctx, e.c, ContactInput{})
	_, err := e.svc.OpenChat(e.ctx, e.c, ct.ID, "  ")
	wantKind(t, err, apperr.KindInvalid)
	_, err = e.svc.OpenChat(e.ctx, e.c, ct.ID, strings.Repeat("c", MaxChannelLen+1))
	wantKind(t, err, apperr.KindInvalid)
	_, err = e.svc.OpenChat(e.ctx, e.c, "ct_nope", "sms")
	wantKind(t, err, apperr.KindNotFound)
	_, err = e.svc.CloseChat(e.ctx, e.c, "chat_nope")
	wantKind(t, err, apperr.KindNotFound)
	e.wantEvents(t, events.ContactCreated)
}

// TestLoadedVariants checks OpenChatWith and SendMessageIn, which take the
// entities the caller already loaded, behave like OpenChat and SendMessage.
func TestLoadedVariants(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ct, _ := e.svc.CreateContact(e.ctx, e.c, ContactInput{Name: ptr("Ann")})
	if _, err := e.svc.OpenChatWith(e.ctx, e.c, ct, "  "); apperr.KindOf(err) != apperr.KindInvalid {
		t.Fatalf("blank channel: %v", err)
	}
	ch, err := e.svc.OpenChatWith(e.ctx, e.c, ct, " sms ")
	if err != nil || ch.Channel != "sms" || ch.ContactID != ct.ID {
		t.Fatalf("open: %+v, %v", ch, err)
	}
	same, err := e.svc.OpenChatWith(e.ctx, e.c, ct, "sms")
	if err != nil || same.ID != ch.ID {
		t.Fatalf("reopen: %v, %v", same, err)
	}
	if _, err := e.svc.SendMessageIn(e.ctx, e.c, ch, " "); apperr.KindOf(err) != apperr.KindInvalid {
		t.Fatalf("blank text: %v", err)
	}
	m, err := e.svc.SendMessageIn(e.ctx, e.c, ch, "hi")
	if err != nil || m.ChatID != ch.ID || m.Text != "hi" {
		t.Fatalf("send: %+v, %v", m, err)
	}
	closed, err := e.svc.CloseChat(e.ctx, e.c, ch.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.SendMessageIn(e.ctx, e.c, closed, "hi"); apperr.KindOf(err) != apperr.KindInvalid {
		t.Fatalf("closed chat: %v", err)
	}
	e.wantEvents(t, events.ContactCreated, events.ChatOpened, events.MessageOutboundCreated, events.ChatClosed)
}
