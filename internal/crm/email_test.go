package crm

import (
	"testing"

	"github.com/wexio/webhooks/internal/apperr"
)

func TestNormEmail(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"ann@example.com", "ann@example.com", true},
		{"  Ann.Lee@Example.COM \n", "ann.lee@example.com", true},
		{"ann+tag@sub.example.co.uk", "ann+tag@sub.example.co.uk", true},
		{"Ann Lee <ANN@example.com>", "ann@example.com", true},
		{"ann@localhost", "ann@localhost", true},
		{"", "", false},
		{"   ", "", false},
		{"ann", "", false},
		{"ann@", "", false},
		{"@example.com", "", false},
		{"ann@@example.com", "", false},
		{"ann@exa mple.com", "", false},
		{"a@b.com, c@d.com", "", false},
		{"Ann Lee", "", false},
	}
	for _, tt := range tests {
		got, err := normEmail(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("normEmail(%q) = %q, %v; want %q, ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
		if err != nil && apperr.KindOf(err) != apperr.KindInvalid {
			t.Errorf("normEmail(%q) error %v is not BAD_USER_INPUT", tt.in, err)
		}
	}
}
