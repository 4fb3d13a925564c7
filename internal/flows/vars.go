package flows

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/internal/payload"
	"github.com/wexio/webhooks/internal/template"
)

// requestVars builds the template variables of the request that started
// run: its payload and headers, read back from the log row, and the webhook
// that received it. A run whose log row is gone (retention) has none of
// these.
func requestVars(run *ent.FlowRun) template.Vars {
	var v template.Vars
	l := run.Edges.Log
	if l == nil {
		return v
	}
	if l.Edges.Webhook != nil {
		v.Webhook = webhookVars(l.Edges.Webhook)
	}
	v.Headers = make(http.Header, len(l.Request.Headers))
	contentType := ""
	for k, val := range l.Request.Headers {
		v.Headers[http.CanonicalHeaderKey(k)] = []string{val}
		if strings.EqualFold(k, "Content-Type") {
			contentType = val
		}
	}
	if p, err := payload.Parse(contentType, []byte(l.Request.Body)); err == nil {
		v.Payload = p // accepted requests always parse; otherwise no payload
	}
	return v
}

func webhookVars(w *ent.Webhook) map[string]any {
	return map[string]any{"id": string(w.ID), "name": w.Name}
}

// contactVars is {{contact.…}}: fields that are not set are absent, so
// they render as an empty string like any missing value.
func contactVars(ct *ent.Contact) map[string]any {
	m := map[string]any{"id": string(ct.ID)}
	for k, p := range map[string]*string{
		"name": ct.Name, "email": ct.Email, "phone": ct.Phone,
		"chatId": ct.ChatID, "channelUserId": ct.ChannelUserID,
	} {
		if p != nil {
			m[k] = *p
		}
	}
	attrs := ct.Attributes
	if attrs == nil {
		attrs = map[string]any{}
	}
	m["attributes"] = attrs
	return m
}

// loadContact reads the run's contact as it is now, inside the job, so
// steps see every change committed before them.
func (x *execution) loadContact(ctx context.Context, c *ent.Client) error {
	if x.run.ContactID == nil {
		return nil
	}
	ct, err := c.Contact.Get(ctx, *x.run.ContactID)
	if ent.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("loading contact: %w", err)
	}
	x.setContact(ct)
	return nil
}

func (x *execution) setContact(ct *ent.Contact) {
	x.contact = ct
	x.vars.Contact = contactVars(ct)
}
