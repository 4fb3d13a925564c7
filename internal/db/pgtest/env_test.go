package pgtest

import (
	"strings"
	"testing"
)

func TestServerURLSkipsOnlyWhenAllowed(t *testing.T) {
	t.Parallel()
	const u = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
	for _, tc := range []struct {
		name, url, require string
		want, wantErr      string
	}{
		{name: "unset: skip", want: ""},
		{name: "set", url: u, want: u},
		{name: "required and set", url: u, require: "1", want: u},
		{name: "not required", require: "0", want: ""},
		{name: "required and unset", require: "1", wantErr: EnvURL + " is not"},
		{name: "required spelled true", require: "true", wantErr: EnvURL + " is not"},
		{name: "require not a boolean", require: "yes", wantErr: "want 1 or 0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := map[string]string{EnvURL: tc.url, EnvRequire: tc.require}
			got, err := serverURL(func(k string) string { return env[k] })
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want one saying %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("serverURL = %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

func TestDatabaseURLNamesTheNewDatabase(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ base, want string }{
		{"postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable", "postgres://postgres@127.0.0.1:5432/wexio_test_x?sslmode=disable"},
		{"postgresql://u:p@db:5432", "postgresql://u:p@db:5432/wexio_test_x"},
		{"postgres:///postgres?host=/tmp/pg&port=5433&user=postgres", "postgres:///wexio_test_x?host=/tmp/pg&port=5433&user=postgres"},
		{"postgres:///?dbname=postgres&host=/tmp/pg", "postgres:///wexio_test_x?host=%2Ftmp%2Fpg"},
	} {
		got, err := databaseURL(tc.base, "wexio_test_x")
		if err != nil || got != tc.want {
			t.Errorf("databaseURL(%q) = %q, %v; want %q", tc.base, got, err, tc.want)
		}
	}
	for _, bad := range []string{"host=/tmp dbname=postgres", "mysql://root@localhost/x", "::"} {
		if _, err := databaseURL(bad, "wexio_test_x"); err == nil {
			t.Errorf("databaseURL(%q) took a value that is no postgres:// URL", bad)
		}
	}
}

func TestRandomNamesDiffer(t *testing.T) {
	t.Parallel()
	a, _ := randomName()
	b, err := randomName()
	if err != nil || a == b || !strings.HasPrefix(a, "wexio_test_") || len(a) != len("wexio_test_")+16 {
		t.Fatalf("randomName gave %q and %q, %v", a, b, err)
	}
}
