package crm

import (
	"testing"

	"github.com/wexio/webhooks/internal/apperr"
)

func TestNormPhone(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"+49 151 1234 5678", "+4915112345678", true},
		{"+49 (0)151-1234-5678", "+4915112345678", true},
		{"0049 151 12345678", "+4915112345678", true},
		{"+1 415 555 2671 ext. 12", "+14155552671", true},
		{"  +44 20 7946 0958  ", "+442079460958", true},
		{"+4915112345678", "+4915112345678", true},
		{"+1 555 555 0100", "+15555550100", true}, // fictional, but well-formed
		{"442079460958", "+442079460958", true},   // WhatsApp's wa_id: digits, no +
		{"tel:+1-415-555-2671", "+14155552671", true},
		{"TEL:+442079460958", "+442079460958", true},
		{"tel:415-555-2671", "", false}, // a local tel: URI: whose?
		{" 4915112345678 ", "+4915112345678", true},
		{"0151 12345678", "", false}, // national: whose?
		{"015112345678", "", false},
		{"(415) 555-2671", "", false},
		{"415 555 2671", "", false}, // digits and spaces are not a wa_id
		{"hello", "", false},
		{"", "", false},
		{"+", "", false},
		{"12", "", false},
		{"+999 1234 5678", "", false},
		{"+49 1", "", false},
		{"+1 415 555 2671 999 999", "", false},
	}
	for _, tt := range tests {
		got, err := normPhone(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("normPhone(%q) = %q, %v; want %q, ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
		if err != nil && apperr.KindOf(err) != apperr.KindInvalid {
			t.Errorf("normPhone(%q) error %v is not BAD_USER_INPUT", tt.in, err)
		}
	}
}
