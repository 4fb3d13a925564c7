package app

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wexio/webhooks/internal/testkit"
)

// TestAnotherSecretKeyExitsWithStatus2: the database remembers its key, so
// a server or CLI command started with another one stops at once, as bad
// configuration naming WEXIO_SECRET_KEY and never printing a key.
func TestAnotherSecretKeyExitsWithStatus2(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	keyA, keyB := newSecretKey(t), newSecretKey(t)
	base := map[string]string{"WEXIO_ADDR": freeAddr(t), "WEXIO_DATABASE_URL": "sqlite://" + filepath.Join(dir, "wexio.db")}
	withKey := func(k string) func(string) (string, bool) {
		m := map[string]string{"WEXIO_SECRET_KEY": k}
		for n, v := range base {
			m[n] = v
		}
		return env(m)
	}
	ready := "http://" + base["WEXIO_ADDR"] + "/readyz"
	serveOnce(t, withKey(keyA), ready)

	for _, args := range [][]string{nil, {"workspace", "create", "other"}} {
		code, stdout, stderr := refusedStart(t, args, withKey(keyB), ready)
		assertBadKey(t, args, code, stdout, stderr, keyA, keyB)
	}
	// The refused starts changed nothing: the database's key still works.
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"workspace", "create", "again"}, withKey(keyA), &out, &errb); code != 0 {
		t.Fatalf("the database's own key after a refused start: exit %d: %s", code, errb.String())
	}
}

// TestReplacedKeyFileExitsWithStatus2: on SQLite without WEXIO_SECRET_KEY
// the generated secret.key is the key, and another file in its place is
// refused the same way.
func TestReplacedKeyFileExitsWithStatus2(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	addr := freeAddr(t)
	e := env(map[string]string{"WEXIO_ADDR": addr, "WEXIO_DATABASE_URL": "sqlite://" + filepath.Join(dir, "wexio.db")})
	serveOnce(t, e, "http://"+addr+"/readyz")
	keyFile := filepath.Join(dir, "secret.key")
	generated, err := os.ReadFile(keyFile)
	if err != nil {
		t.Fatal(err)
	}
	other := newSecretKey(t)
	if err := os.WriteFile(keyFile, []byte(other+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := refusedStart(t, nil, e, "http://"+addr+"/readyz")
	assertBadKey(t, nil, code, stdout, stderr, strings.TrimSpace(string(generated)), other)
}

// refusedStart runs the command of args, which should exit at once; one
// that serves instead (readyURL answers) is stopped and fails the test,
// rather than leaving it running until the test binary times out.
func refusedStart(t *testing.T, args []string, e func(string) (string, bool), readyURL string) (code int, stdout, stderr string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errb bytes.Buffer
	done := make(chan int, 1)
	go func() { done <- run(ctx, args, e, &out, &errb) }()
	ended := false
	testkit.Eventually(t, "the start to end or serve", func() bool {
		select {
		case code = <-done:
			ended = true
			return true
		default:
		}
		res, err := http.Get(readyURL)
		if err != nil {
			return false
		}
		res.Body.Close()
		return res.StatusCode == http.StatusOK
	})
	if !ended {
		cancel()
		<-done
		t.Fatalf("%q with another key serves: %s", args, errb.String())
	}
	return code, out.String(), errb.String()
}

// serveOnce starts the server, waits until readyURL answers and stops it.
func serveOnce(t *testing.T, e func(string) (string, bool), readyURL string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var errb bytes.Buffer
	done := make(chan int, 1)
	go func() { done <- run(ctx, nil, e, &bytes.Buffer{}, &errb) }()
	waitReady(t, readyURL)
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("first start: exit %d: %s", code, errb.String())
	}
}

func assertBadKey(t *testing.T, args []string, code int, stdout, stderr string, keys ...string) {
	t.Helper()
	if code != 2 || !strings.HasPrefix(stderr, "WEXIO_SECRET_KEY: ") || strings.Count(stderr, "\n") != 1 || stdout != "" {
		t.Fatalf("%q with another key: exit %d, stdout %q, stderr %q: want 2 and one line naming WEXIO_SECRET_KEY",
			args, code, stdout, stderr)
	}
	for _, k := range keys {
		if strings.Contains(stderr, k) {
			t.Fatalf("%q with another key: stderr %q contains a key", args, stderr)
		}
	}
}

func newSecretKey(t *testing.T) string {
	t.Helper()
	k := make([]byte, 32)
	if _, err := rand.Read(k); err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(k)
}
