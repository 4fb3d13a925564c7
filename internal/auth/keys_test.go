package auth

import (
	"strings"
	"testing"
)

func TestNewKey(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for range 100 {
		k := NewKey()
		if !strings.HasPrefix(k, "wx_") || len(k) < 3+32 || !WellFormed(k) || seen[k] {
			t.Fatalf("bad or repeated key %q", k)
		}
		seen[k] = true
	}
	for _, bad := range []string{"", "wx_", "wx_short", "xx_" + strings.Repeat("a", 40), "wx_" + strings.Repeat("a", 39) + "!"} {
		if WellFormed(bad) {
			t.Errorf("WellFormed(%q) = true", bad)
		}
	}
	if len(HashKey("wx_a")) != 32 || string(HashKey("wx_a")) == string(HashKey("wx_b")) {
		t.Fatal("HashKey is not a SHA-256")
	}
	if Hint("wx_abcdefgh") != "wx_abcd…" {
		t.Fatalf("Hint = %q", Hint("wx_abcdefgh"))
	}
}

func TestBearerToken(t *testing.T) {
	t.Parallel()
	cases := map[string]string{"Bearer abc": "abc", "bearer  abc ": "abc", "Basic abc": "", "Bearer": "", "": ""}
	for in, want := range cases {
		if got, _ := BearerToken(in); got != want {
			t.Errorf("BearerToken(%q) = %q, want %q", in, got, want)
		}
	}
}
