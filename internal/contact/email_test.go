package contact

import (
	"errors"
	"testing"
)

func TestNormalizeEmail(t *testing.T) {
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
		got, err := NormalizeEmail(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("NormalizeEmail(%q) = %q, %v; want %q, ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
		if err != nil && !errors.Is(err, ErrInvalidEmail) {
			t.Errorf("NormalizeEmail(%q) error %v does not wrap ErrInvalidEmail", tt.in, err)
		}
	}
}
