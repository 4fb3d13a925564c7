package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"syscall"
	"time"
)

func numCPU() int { return runtime.NumCPU() }

// listen serves t on addr with internal/app's mux pattern and timeouts; stop
// shuts the server down.
func listen(t *target, addr string) (base string, stop func(), err error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", nil, err
	}
	mux := http.NewServeMux()
	mux.Handle("/in/{token}", t.handler)
	srv := &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		IdleTimeout:       120 * time.Second,
	}
	go func() { _ = srv.Serve(ln) }()
	stop = func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
	}
	return "http://" + ln.Addr().String(), stop, nil
}

// serveOne serves one target on addr until SIGINT/SIGTERM, printing the URL,
// the headers and a wrk script that sends the benchmark's request.
func serveOne(ctx context.Context, name, addr, dir, dbURL string, cfg loadConfig, log *slog.Logger) error {
	t, err := newTarget(ctx, name, dir, dbURL, log)
	if err != nil {
		return err
	}
	defer t.close()
	base, stop, err := listen(t, addr)
	if err != nil {
		return err
	}
	defer stop()
	url := base + t.path
	script := filepath.Join(os.TempDir(), "loadbench-"+name+".lua")
	lua := "wrk.method = \"POST\"\nwrk.body = " + strconv.Quote(string(cfg.body)) + "\n" +
		"wrk.headers[\"Content-Type\"] = \"application/json\"\n"
	fmt.Printf("serving %s at %s\n  POST, Content-Type: application/json, %d-byte body\n", name, url, len(cfg.body))
	for k, vs := range t.header {
		fmt.Printf("  %s: %s\n", k, vs[0])
		lua += "wrk.headers[" + strconv.Quote(k) + "] = " + strconv.Quote(vs[0]) + "\n"
	}
	if err := os.WriteFile(script, []byte(lua), 0o600); err != nil {
		return err
	}
	fmt.Printf("drive it with:\n  wrk -t2 -c%d -d%s -s %s %s\n", cfg.conns, cfg.duration, script, url)
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	<-sig
	if rows := t.rows(ctx); rows >= 0 {
		fmt.Printf("log rows committed: %d\n", rows)
	}
	return nil
}
