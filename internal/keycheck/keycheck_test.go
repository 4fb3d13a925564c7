package keycheck

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wexio/webhooks/internal/db"
	"github.com/wexio/webhooks/internal/db/dbtest"
	"github.com/wexio/webhooks/internal/secretbox"
	"github.com/wexio/webhooks/internal/store"
	"github.com/wexio/webhooks/internal/webhooks"
)

func TestFirstStartRecordsAndLaterStartsCheck(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := dbtest.URL(t)
	keyA, keyB := newKey(t), newKey(t)
	d, err := db.Open(ctx, url, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := Ensure(ctx, d.Write, d.Dialect, newBox(t, keyA)); err != nil {
		t.Fatalf("first start: %v", err)
	}
	stored := checkValue(t, d)
	if stored == "" {
		t.Fatal("the first start recorded no check value")
	}
	for _, k := range [][]byte{keyA, keyB} {
		if strings.Contains(stored, base64.StdEncoding.EncodeToString(k)) || strings.Contains(stored, string(k)) {
			t.Fatal("the check value contains a key")
		}
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}

	// Later starts: a new store and a new box each, as a restart has.
	d = open(t, url)
	if err := Ensure(ctx, d.Write, d.Dialect, newBox(t, keyB)); !errors.Is(err, ErrWrongKey) {
		t.Fatalf("other key: err = %v, want ErrWrongKey", err)
	}
	if err := Ensure(ctx, d.Write, d.Dialect, newBox(t, keyA)); err != nil {
		t.Fatalf("same key: %v", err)
	}
	if got := checkValue(t, d); got != stored {
		t.Fatal("a later start changed the check value")
	}
}

// TestDatabaseOlderThanTheCheckValue: a database with sealed secrets and no
// check value takes only the key that opens them, and then remembers it.
func TestDatabaseOlderThanTheCheckValue(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d := dbtest.Open(t)
	keyA, keyB := newKey(t), newKey(t)
	// Made the way the server made its webhooks before keycheck existed.
	svc := webhooks.NewService(webhooks.Config{PublicURL: "https://h.example"}, newBox(t, keyA), time.Now)
	wsCtx := dbtest.Workspace(t, d.Write, "W")
	if _, _, err := svc.CreateInbound(wsCtx, d.Write, webhooks.CreateInboundInput{Name: "in"}); err != nil {
		t.Fatal(err)
	}

	if err := Ensure(ctx, d.Write, d.Dialect, newBox(t, keyB)); !errors.Is(err, ErrWrongKey) {
		t.Fatalf("wrong key on an old database: err = %v, want ErrWrongKey", err)
	}
	if got := checkValue(t, d); got != "" {
		t.Fatal("a key that opens no secret was recorded")
	}
	if err := Ensure(ctx, d.Write, d.Dialect, newBox(t, keyA)); err != nil {
		t.Fatalf("right key on an old database: %v", err)
	}
	if checkValue(t, d) == "" {
		t.Fatal("the right key was not recorded")
	}
	if err := Ensure(ctx, d.Write, d.Dialect, newBox(t, keyB)); !errors.Is(err, ErrWrongKey) {
		t.Fatalf("wrong key after recording: err = %v, want ErrWrongKey", err)
	}
}

// TestServersStartingTogetherAgree: first starts racing on one database,
// each through its own store and box over the same key, all pass and leave
// one check value.
func TestServersStartingTogetherAgree(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := dbtest.URL(t)
	key := newKey(t)
	stores := []*store.Store{open(t, url), open(t, url)}
	errs := make([]error, 2*len(stores))
	var wg sync.WaitGroup
	for i := range errs {
		d, box := stores[i%len(stores)], newBox(t, key)
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = Ensure(ctx, d.Write, d.Dialect, box)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("start %d: %v", i, err)
		}
	}
	var n int
	rows, err := stores[0].Read.QueryContext(ctx, "SELECT COUNT(*) FROM "+Table)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	if !rows.Next() || rows.Scan(&n) != nil || n != 1 {
		t.Fatalf("%s has %d rows, want 1", Table, n)
	}
}

// open opens the database at url, as a server's start does.
func open(t *testing.T, url string) *store.Store {
	t.Helper()
	d, err := db.Open(context.Background(), url, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = d.Close() })
	return d
}

func newKey(t *testing.T) []byte {
	t.Helper()
	k := make([]byte, secretbox.KeySize)
	if _, err := rand.Read(k); err != nil {
		t.Fatal(err)
	}
	return k
}

func newBox(t *testing.T, key []byte) *secretbox.Box {
	t.Helper()
	b, err := secretbox.New(key)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// checkValue is the stored check value, "" when there is none.
func checkValue(t *testing.T, d *store.Store) string {
	t.Helper()
	v, _, err := read(context.Background(), d.Write, d.Dialect)
	if err != nil {
		t.Fatal(err)
	}
	return v
}
