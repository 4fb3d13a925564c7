package events

import (
	"errors"
	"strings"
	"testing"
)

func TestCatalogue(t *testing.T) {
	t.Parallel()
	want := []string{
		"contact.created", "contact.updated", "chat.opened", "chat.closed",
		"message.outbound.created", "message.delivered", "webhook.test",
		"webhook.failing", "webhook.recovered", "webhook.disabled",
	}
	got := Catalogue()
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("Catalogue() = %q, want %q", got, want)
	}
	got[0] = "mutated"
	if Catalogue()[0] != ContactCreated {
		t.Fatal("Catalogue shares its slice with callers")
	}
	for _, ty := range want {
		if !inCatalogue(ty) || !ValidType(ty) || ValidPattern(ty) != nil {
			t.Errorf("%s not accepted everywhere", ty)
		}
	}
	if FlowType("order.paid") != "flow.order.paid" {
		t.Fatalf("FlowType = %q", FlowType("order.paid"))
	}
}

func TestValidName(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		want bool
	}{
		{"order_paid", true},
		{"order.paid", true},
		{"Order.Paid.V2", true},
		{"a", true},
		{"0", true},
		{strings.Repeat("a", maxNameLen), true},
		{strings.Repeat("a", maxNameLen+1), false},
		{"", false},
		{".order", false},
		{"order.", false},
		{"order..paid", false},
		{".", false},
		{"order-paid", false},
		{"order paid", false},
		{"order*", false},
		{"ördér", false},
		{"order/paid", false},
	}
	for _, tt := range tests {
		if got := ValidName(tt.name); got != tt.want {
			t.Errorf("ValidName(%q) = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestValidType(t *testing.T) {
	t.Parallel()
	tests := []struct {
		typ  string
		want bool
	}{
		{"contact.created", true},
		{"flow.order.paid", true},
		{"flow.", false},
		{"flow", false},
		{"flow..x", false},
		{"contact.deleted", false},
		{"Contact.Created", false},
		{"", false},
		{"*", false},
	}
	for _, tt := range tests {
		if got := ValidType(tt.typ); got != tt.want {
			t.Errorf("ValidType(%q) = %v, want %v", tt.typ, got, tt.want)
		}
	}
}

func TestValidPattern(t *testing.T) {
	t.Parallel()
	tests := []struct {
		pattern string
		problem string // "" when valid
	}{
		{"*", ""},
		{"contact.created", ""},
		{"webhook.test", ""},
		{"flow.order_paid", ""},
		{"flow.order.paid", ""},
		{"contact.*", ""},
		{"contact*", ""},
		{"message.outbound.*", ""},
		{"message.*", ""},
		{"c*", ""},
		{"flow.*", ""},
		{"flow*", ""},
		{"fl*", ""},
		{"flow.order.*", ""},
		{"flow.order_*", ""},
		{"contact.created*", ""},
		{"", "must not be empty"},
		{"contact.create", "unknown event type; use one of contact.created, contact.updated"},
		{"contact", "unknown event type"},
		{"Contact.Created", "unknown event type"},
		{"flow.", `flow event name "" must be`},
		{"flow.order..paid", `flow event name "order..paid" must be`},
		{"flow.order-paid", `flow event name "order-paid" must be`},
		{"**", "* may only end a pattern"},
		{"contact.*.created", "* may only end a pattern"},
		{"*.created", "* may only end a pattern"},
		{".*", "the prefix before * may hold only"},
		{"contact..*", "the prefix before * may hold only"},
		{"flow..*", "the prefix before * may hold only"},
		{"con tact.*", "the prefix before * may hold only"},
		{"invoice.*", "matches no event type; known prefixes are contact., chat., message., webhook. and flow."},
		{"contact.deleted*", "matches no event type"},
		{"x*", "matches no event type"},
		{"flow." + strings.Repeat("a", maxNameLen) + "*", "must be at most 133 characters"},
	}
	for _, tt := range tests {
		t.Run(tt.pattern, func(t *testing.T) {
			t.Parallel()
			err := ValidPattern(tt.pattern)
			if tt.problem == "" {
				if err != nil {
					t.Fatalf("ValidPattern(%q) = %v, want nil", tt.pattern, err)
				}
				return
			}
			var pe *PatternError
			if !errors.Is(err, ErrInvalidPattern) || !errors.As(err, &pe) || pe.Pattern != tt.pattern {
				t.Fatalf("ValidPattern(%q) = %v, want a *PatternError", tt.pattern, err)
			}
			if !strings.Contains(pe.Problem, tt.problem) {
				t.Fatalf("ValidPattern(%q) problem %q, want it to contain %q", tt.pattern, pe.Problem, tt.problem)
			}
			if want := `invalid event pattern "` + tt.pattern + `": `; !strings.HasPrefix(err.Error(), want) {
				t.Fatalf("Error() = %q, want prefix %q", err, want)
			}
		})
	}
}
