package crm

import (
	"testing"

	"github.com/wexio/webhooks/internal/apperr"
	"github.com/wexio/webhooks/internal/events"
)

func TestAnotherWorkspacesIDsAreNotFound(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ct, _ := e.svc.CreateContact(e.ctx, e.c, ContactInput{Email: ptr("ann@example.com")})
	ch, _ := e.svc.OpenChat(e.ctx, e.c, ct.ID, "sms")
	m, _ := e.svc.SendMessage(e.ctx, e.c, ch.ID, "hi")
	e.wantEvents(t, events.ContactCreated, events.ChatOpened, events.MessageOutboundCreated)

	calls := map[string]func() error{
		"UpdateContact": func() error {
			_, err := e.svc.UpdateContact(e.other, e.c, ct.ID, ContactInput{Name: ptr("x")})
			return err
		},
		"OpenChat":  func() error { _, err := e.svc.OpenChat(e.other, e.c, ct.ID, "web"); return err },
		"CloseChat": func() error { _, err := e.svc.CloseChat(e.other, e.c, ch.ID); return err },
		"SendMessage": func() error {
			_, err := e.svc.SendMessage(e.other, e.c, ch.ID, "hi")
			return err
		},
		"MarkDelivered": func() error { _, err := e.svc.MarkDelivered(e.other, e.c, m.ID); return err },
	}
	for name, call := range calls {
		if err := call(); apperr.KindOf(err) != apperr.KindNotFound {
			t.Errorf("%s from another workspace: %v, want NOT_FOUND", name, err)
		}
	}
	e.wantEvents(t, events.ContactCreated, events.ChatOpened, events.MessageOutboundCreated)
}

func TestChangeAndEventShareTheTransaction(t *testing.T) {
	t.Parallel()
	e := setup(t)
	tx, err := e.c.Tx(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	ct, err := e.svc.CreateContact(e.ctx, tx.Client(), ContactInput{Name: ptr("Ann")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.OpenChat(e.ctx, tx.Client(), ct.ID, "sms"); err != nil {
		t.Fatal(err)
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	if n, _ := e.c.Contact.Query().Count(e.ctx); n != 0 {
		t.Fatalf("%d contacts after rollback", n)
	}
	e.wantEvents(t)

	if tx, err = e.c.Tx(e.ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.CreateContact(e.ctx, tx.Client(), ContactInput{Name: ptr("Ann")}); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	e.wantEvents(t, events.ContactCreated)
}
