// Command connflood holds many idle connections open to a running server
// and times /readyz and an inbound POST meanwhile: the by-hand check, at
// full size, of WEXIO_MAX_CONNECTIONS (internal/app's test floods a server
// capped at 200 with 400).
//
// Half the connections never send a byte; half send one keep-alive
// GET /healthz and then idle. While they open, /readyz is probed every 50 ms;
// once all are open, /readyz and the inbound URL are timed -probes times
// each on fresh connections. Last it counts the connections the server
// closed: at the cap it closes the longest idle for each newcomer.
//
//	go build -o /tmp/wexio . && mkdir -p /tmp/flood
//	WEXIO_DATABASE_URL=sqlite:///tmp/flood/wexio.db WEXIO_API_KEY=wx_... /tmp/wexio
//	go run ./cmd/connflood -addr 127.0.0.1:8080 -n 19000 \
//	    -inbound http://127.0.0.1:8080/in/TOKEN -secret SECRET
//
// The process needs n plus a few dozen open files (ulimit -n). For more
// connections than one process may open, run two, the first with -hold so
// that it keeps its own open while the second opens and times:
//
//	go run ./cmd/connflood -n 10000 -hold 30s & go run ./cmd/connflood -n 10000 -inbound ... -secret ...
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"os"
	"os/signal"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/wexio/webhooks/internal/testkit"
)

type config struct {
	addr, inbound, secret string
	n, workers, probes    int
	timeout, hold         time.Duration
}

func main() {
	var cfg config
	flag.StringVar(&cfg.addr, "addr", "127.0.0.1:8080", "the server's address")
	flag.IntVar(&cfg.n, "n", 19000, "idle connections to hold open")
	flag.IntVar(&cfg.workers, "c", 64, "connections opened in parallel")
	flag.StringVar(&cfg.inbound, "inbound", "", "an inbound URL to time POSTs to (unset: /readyz only)")
	flag.StringVar(&cfg.secret, "secret", "", "the inbound webhook's shared secret, sent as X-Webhook-Secret")
	flag.IntVar(&cfg.probes, "probes", 20, "timed requests of each kind once the connections are open")
	flag.DurationVar(&cfg.timeout, "timeout", 10*time.Second, "bound on one timed request")
	flag.DurationVar(&cfg.hold, "hold", 0, "wait this long once the connections are open, before timing: "+
		"to keep them open while a second connflood adds its own (one process holds ulimit -n at most)")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, cfg, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "connflood:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, cfg config, out io.Writer) error {
	if cfg.n < 0 || cfg.workers < 1 || cfg.probes < 1 {
		return errors.New("-n must be at least 0, -c and -probes at least 1")
	}
	readyz := "http://" + cfg.addr + "/readyz"
	// Fresh connections for every probe: a newcomer is what a flood hurts.
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: cfg.timeout}
	if _, err := probe(ctx, client, readyz, "", ""); err != nil {
		return fmt.Errorf("the server is not answering before the flood: %w", err)
	}

	during := make(chan samples, 1)
	floodCtx, floodDone := context.WithCancel(ctx)
	go func() { during <- probeEvery(floodCtx, client, readyz, 50*time.Millisecond) }()
	began := time.Now()
	conns, failed := open(ctx, cfg)
	opened := time.Since(began)
	floodDone()
	defer func() {
		for _, c := range conns {
			if c != nil {
				_ = c.Close()
			}
		}
	}()
	held := 0
	for _, c := range conns {
		if c != nil {
			held++
		}
	}
	fmt.Fprintf(out, "opened %d of %d connections in %v (half silent, half idle after GET /healthz)\n",
		held, cfg.n, opened.Round(time.Millisecond))
	for what, n := range failed {
		fmt.Fprintf(out, "  %d failed: %s\n", n, what)
	}
	fmt.Fprintf(out, "%-34s %s\n", "GET /readyz while opening", <-during)
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(cfg.hold):
	}

	var ready, in samples
	for range cfg.probes {
		ready.add(probe(ctx, client, readyz, "", ""))
	}
	fmt.Fprintf(out, "%-34s %s\n", "GET /readyz, all open", ready)
	if cfg.inbound != "" {
		for range cfg.probes {
			in.add(probe(ctx, client, cfg.inbound, `{"connflood":true}`, cfg.secret))
		}
		fmt.Fprintf(out, "%-34s %s\n", "POST inbound, all open", in)
	}
	closed := count(testkit.ClosedByServer(500*time.Millisecond, conns...))
	fmt.Fprintf(out, "the server closed %d of the %d connections held (%v after the first opened)\n",
		closed, held, time.Since(began).Round(time.Millisecond))
	return ctx.Err()
}

// open opens cfg.n connections, cfg.workers at a time; a nil entry is one
// that failed, counted in failed by what went wrong.
func open(ctx context.Context, cfg config) (conns []net.Conn, failed map[string]int) {
	conns = make([]net.Conn, cfg.n)
	failed = map[string]int{}
	var mu sync.Mutex
	fail := func(what string, err error) {
		mu.Lock()
		defer mu.Unlock()
		// The error's text without the addresses, which differ each time.
		msg := err.Error()
		if i := strings.LastIndex(msg, ": "); i >= 0 {
			msg = msg[i+2:]
		}
		failed[what+": "+msg]++
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	d := net.Dialer{Timeout: cfg.timeout}
	for range cfg.workers {
		wg.Go(func() {
			for ctx.Err() == nil {
				i := int(next.Add(1)) - 1
				if i >= cfg.n {
					return
				}
				c, err := d.DialContext(ctx, "tcp", cfg.addr)
				if err != nil {
					fail("dial", err)
					continue
				}
				if i%2 == 1 {
					if err := testkit.KeepAliveGet(c, "/healthz", cfg.timeout); err != nil {
						_ = c.Close()
						fail("GET /healthz", err)
						continue
					}
				}
				conns[i] = c
			}
		})
	}
	wg.Wait()
	return conns, failed
}

// result is one timed request: its status, or the error that ended it.
type result struct {
	took   time.Duration
	status int
	err    error
}

// probe times one request on a fresh connection: a GET, or with a body a
// POST of JSON with secret as X-Webhook-Secret.
func probe(ctx context.Context, client *http.Client, url, body, secret string) (result, error) {
	method, rd := http.MethodGet, io.Reader(nil)
	if body != "" {
		method, rd = http.MethodPost, strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, rd)
	if err != nil {
		return result{}, fmt.Errorf("building the request: %w", err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Webhook-Secret", secret)
	}
	start := time.Now()
	res, err := client.Do(req)
	if err != nil {
		return result{took: time.Since(start), err: err}, err
	}
	_, err = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return result{took: time.Since(start), status: res.StatusCode, err: err}, err
}

// probeEvery probes url every interval until ctx ends.
func probeEvery(ctx context.Context, client *http.Client, url string, interval time.Duration) samples {
	var s samples
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return s
		case <-tick.C:
			r, err := probe(ctx, client, url, "", "")
			if ctx.Err() != nil && err != nil {
				return s // cut short by the end of the flood, not a failure
			}
			s.add(r, err)
		}
	}
}

// samples are timed requests, summed up by String.
type samples struct {
	took     []time.Duration
	statuses map[int]int
	errors   map[string]int
}

func (s *samples) add(r result, err error) {
	s.took = append(s.took, r.took)
	if err != nil {
		if s.errors == nil {
			s.errors = map[string]int{}
		}
		s.errors[err.Error()]++
		return
	}
	if s.statuses == nil {
		s.statuses = map[int]int{}
	}
	s.statuses[r.status]++
}

func (s samples) String() string {
	if len(s.took) == 0 {
		return "no requests"
	}
	d := slices.Clone(s.took)
	slices.Sort(d)
	at := func(q float64) time.Duration { return d[min(len(d)-1, int(q*float64(len(d))))] }
	ms := func(t time.Duration) string { return fmt.Sprintf("%.1fms", float64(t.Microseconds())/1000) }
	var b strings.Builder
	fmt.Fprintf(&b, "n=%d p50=%s p99=%s max=%s", len(d), ms(at(0.50)), ms(at(0.99)), ms(d[len(d)-1]))
	for _, code := range slices.Sorted(maps.Keys(s.statuses)) {
		fmt.Fprintf(&b, " %dx%d", s.statuses[code], code)
	}
	for msg, n := range s.errors {
		fmt.Fprintf(&b, " %dx(%s)", n, msg)
	}
	return b.String()
}

// count is how many of bs are true.
func count(bs []bool) int {
	n := 0
	for _, b := range bs {
		if b {
			n++
		}
	}
	return n
}
