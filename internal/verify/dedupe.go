package verify

import "net/url"

// maxDeliveryID bounds what DeliveryID returns, as a sender's idempotency
// key is bounded: it is stored and indexed, and no provider's id comes
// near it. A longer one deduplicates nothing rather than refusing events
// the provider cannot send otherwise.
const maxDeliveryID = 255

// idSource says where a provider puts its own delivery or event id.
type idSource struct {
	headers []string // first present header
	json    string   // dotted path in a JSON body
	form    string   // field of a form body
}

func (s idSource) lookup(r Request) string {
	id := headerValue(r.Header, s.headers...)
	if id == "" && s.json != "" {
		id, _ = jsonField(r.Body, s.json)
	}
	if id == "" && s.form != "" {
		if form, err := url.ParseQuery(string(r.Body)); err == nil {
			id = form.Get(s.form)
		}
	}
	if len(id) > maxDeliveryID {
		return ""
	}
	return id
}
