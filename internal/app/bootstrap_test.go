package app

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestBootstrapPrintsGeneratedKeyOnce(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	addr := freeAddr(t)
	e := env(map[string]string{"WEXIO_ADDR": addr, "WEXIO_DATABASE_URL": "sqlite://" + filepath.Join(dir, "wexio.db")})
	for i, wantKey := range []bool{true, false} {
		// A start is over once the server is ready: the key is printed
		// before it serves.
		ctx, cancel := context.WithCancel(context.Background())
		var errb bytes.Buffer
		done := make(chan int, 1)
		go func() { done <- run(ctx, nil, e, &bytes.Buffer{}, &errb) }()
		waitReady(t, "http://"+addr+"/readyz")
		cancel()
		if code := <-done; code != 0 {
			t.Fatalf("start %d: exit %d: %s", i, code, errb.String())
		}
		if got := strings.Contains(errb.String(), "bootstrap API key: wx_"); got != wantKey {
			t.Fatalf("start %d printed a key: %v, want %v (%s)", i, got, wantKey, errb.String())
		}
	}
	info, err := os.Stat(filepath.Join(dir, "secret.key"))
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("secret.key: %v, mode %v", err, info.Mode())
	}
}
