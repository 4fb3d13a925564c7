package contact

import (
	"errors"
	"testing"
)

func TestNormalizePhone(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, region string
		want       string
		ok         bool
	}{
		{"+49 151 1234 5678", "", "+4915112345678", true},
		{"+49 151 1234 5678", "US", "+4915112345678", true},
		{"0151 12345678", "DE", "+4915112345678", true},
		{"0151 12345678", "de", "+4915112345678", true},
		{"+49 (0)151-1234-5678", "", "+4915112345678", true},
		{"0049 151 12345678", "", "+4915112345678", true},
		{"0049 151 12345678", "DE", "+4915112345678", true},
		{"(415) 555-2671", "US", "+14155552671", true},
		{"415.555.2671", "US", "+14155552671", true},
		{"+1 415 555 2671 ext. 12", "", "+14155552671", true},
		{"  +44 20 7946 0958  ", "", "+442079460958", true},
		{"020 7946 0958", "GB", "+442079460958", true},
		{"+4915112345678", "", "+4915112345678", true},
		{"+1 555 555 0100", "", "+15555550100", true}, // fictional, but well-formed
		{"07700 900123", "GB", "+447700900123", true},
		{"0151 12345678", "", "", false},
		{"(415) 555-2671", "", "", false},
		{"hello", "US", "", false},
		{"", "DE", "", false},
		{"+", "", "", false},
		{"12", "DE", "", false},
		{"+999 1234 5678", "", "", false},
		{"+49 1", "", "", false},
		{"+1 415 555 2671 999 999", "", "", false},
		{"0151 12345678", "XX", "", false},
	}
	for _, tt := range tests {
		got, err := NormalizePhone(tt.in, tt.region)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("NormalizePhone(%q, %q) = %q, %v; want %q, ok=%v", tt.in, tt.region, got, err, tt.want, tt.ok)
		}
		if err != nil && !errors.Is(err, ErrInvalidPhone) {
			t.Errorf("NormalizePhone(%q) error %v does not wrap ErrInvalidPhone", tt.in, err)
		}
	}
}
