package events

import "testing"

func TestMatch(t *testing.T) {
	t.Parallel()
	tests := []struct {
		pattern, typ string
		want         bool
	}{
		{"*", "contact.created", true},
		{"*", "flow.order.paid", true},
		{"*", "", true},
		{"contact.created", "contact.created", true},
		{"contact.created", "contact.updated", false},
		{"contact.create", "contact.created", false},
		{"contact.created", "contact.create", false},
		{"contact.created", "contact.created.v2", false},
		{"contact.*", "contact.created", true},
		{"contact.*", "contact.updated", true},
		{"contact.*", "contact", false},
		{"contact.*", "contacts.created", false},
		{"contact.*", "chat.opened", false},
		{"contact*", "contact.created", true},
		{"contact*", "contacts.x", true},
		{"message.*", "message.outbound.created", true},
		{"message.outbound.*", "message.delivered", false},
		{"flow.*", "flow.order.paid", true},
		{"flow.*", "flow.", true},
		{"flow.order.*", "flow.order.paid", true},
		{"flow.order.*", "flow.orders.paid", false},
		{"flow.order_*", "flow.order_paid", true},
		{"Contact.*", "contact.created", false},
		{"", "", true},
		{"", "contact.created", false},
	}
	for _, tt := range tests {
		if got := Match(tt.pattern, tt.typ); got != tt.want {
			t.Errorf("Match(%q, %q) = %v, want %v", tt.pattern, tt.typ, got, tt.want)
		}
	}
}

func TestMatchAny(t *testing.T) {
	t.Parallel()
	tests := []struct {
		patterns []string
		typ      string
		want     bool
	}{
		{nil, "contact.created", false},
		{[]string{}, "contact.created", false},
		{[]string{"chat.*", "contact.created"}, "contact.created", true},
		{[]string{"chat.*", "contact.created"}, "chat.closed", true},
		{[]string{"chat.*", "contact.created"}, "contact.updated", false},
		{[]string{"chat.opened", "*"}, "webhook.test", true},
	}
	for _, tt := range tests {
		if got := MatchAny(tt.patterns, tt.typ); got != tt.want {
			t.Errorf("MatchAny(%q, %q) = %v, want %v", tt.patterns, tt.typ, got, tt.want)
		}
	}
}
