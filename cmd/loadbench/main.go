package main

import (
	"cmp"
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime/pprof"
	"slices"
	"strings"
	"time"

	"github.com/wexio/webhooks/internal/gctune"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "loadbench:", err)
		os.Exit(1)
	}
}

func run() error {
	gctune.Apply(os.LookupEnv) // as the server runs
	var cfg loadConfig
	var bodySize int
	flag.IntVar(&cfg.conns, "c", 64, "concurrent keep-alive connections")
	flag.DurationVar(&cfg.duration, "d", 10*time.Second, "measured duration per target")
	rounds := flag.Int("rounds", 5, "measure the targets in turn this many times, each for d/rounds, and add up: the machine's drift falls on all of them alike")
	flag.DurationVar(&cfg.warmup, "warmup", 2*time.Second, "warm-up per target, not measured")
	flag.IntVar(&bodySize, "body", 1024, "payload size in bytes (JSON)")
	dbURL := flag.String("database-url", "", "postgres://... of a throwaway database (emptied per target): storeinsert and full run over it, pgbare and pgsame are measurable (groupcommit stays SQLite's)")
	only := flag.String("run", "bare,groupcommit,full", "targets to measure, in order ("+strings.Join(targetNames, ",")+")")
	serveName := flag.String("target", "", "serve this one target on -addr for an external load tool, instead of measuring")
	addr := flag.String("addr", "127.0.0.1:8089", "listen address with -target")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile (whole run) to this file")
	flag.Parse()
	cfg.body = payload(bodySize)

	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			return err
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer func() { pprof.StopCPUProfile(); _ = f.Close() }()
	}
	dir, err := os.MkdirTemp("", "loadbench-")
	if err != nil {
		return err
	}
	defer func() { _ = os.RemoveAll(dir) }()
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))

	if *serveName != "" {
		return serveOne(ctx, *serveName, *addr, dir, *dbURL, cfg, log)
	}
	names := strings.Split(*only, ",")
	for _, n := range names {
		if !slices.Contains(targetNames, n) {
			return fmt.Errorf("unknown target %q (want %s)", n, strings.Join(targetNames, ","))
		}
		if (n == "pgbare" || n == "pgsame") && *dbURL == "" {
			return fmt.Errorf("target %s needs -database-url", n)
		}
	}
	store := "a fresh SQLite file per target"
	if *dbURL != "" {
		store = "PostgreSQL (-database-url, emptied per target)"
	}
	fmt.Printf("loadbench: %d conns, %s measured per target in %d turns after %s warm-up, %d-byte body, GOMAXPROCS from %d CPUs, over %s\n",
		cfg.conns, cfg.duration, max(*rounds, 1), cfg.warmup, len(cfg.body), numCPU(), store)
	if *dbURL == "" {
		fmt.Printf("SQLite synchronous: full and storeinsert %s (WEXIO_SQLITE_SYNCHRONOUS), groupcommit NORMAL (the baseline's)\n",
			cmp.Or(strings.ToUpper(os.Getenv("WEXIO_SQLITE_SYNCHRONOUS")), "FULL"))
	}
	results, err := measureInTurn(ctx, names, dir, *dbURL, cfg, max(*rounds, 1), log)
	if err != nil {
		return err
	}
	report(os.Stdout, names, results, cfg.conns, *dbURL != "")
	fmt.Println("note: the load generator shares the CPU with the server; absolute req/s sit below an\n" +
		"external wrk's, the ratios are the comparable figures (serve one target with -target for wrk)")
	return nil
}

// measureInTurn serves every target at once and drives them in turn,
// rounds times, each for cfg.duration/rounds after a warm-up (cfg.warmup
// the first time, a tenth of a slice after), then checks their row counts.
// Measured one after the other for the whole duration, two targets' ratio
// moved by 0.15 between runs on the shared 2-core machine; in turn, drift
// falls on both.
func measureInTurn(ctx context.Context, names []string, dir, dbURL string, cfg loadConfig, rounds int, log *slog.Logger) (map[string]*result, error) {
	type served struct {
		t    *target
		base string
		stop func()
	}
	all := map[string]*served{}
	defer func() {
		for _, s := range all {
			s.stop()
			s.t.close()
		}
	}()
	for _, n := range names {
		t, err := newTarget(ctx, n, dir, dbURL, log)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", n, err)
		}
		base, stop, err := listen(t, "127.0.0.1:0")
		if err != nil {
			t.close()
			return nil, fmt.Errorf("%s: %w", n, err)
		}
		all[n] = &served{t: t, base: base, stop: stop}
	}
	slice := cfg
	slice.duration = cfg.duration / time.Duration(rounds)
	results := map[string]*result{}
	for round := range rounds {
		if round > 0 {
			slice.warmup = slice.duration / 10
		}
		for _, n := range names {
			s := all[n]
			r := drive(s.base+s.t.path, s.t.header, slice)
			if results[n] == nil {
				results[n] = &result{name: n}
			}
			results[n].add(r)
		}
	}
	for _, n := range names {
		r := results[n]
		slices.Sort(r.lat)
		if rows := all[n].t.rows(ctx); rows >= 0 {
			verdict := "OK"
			if rows != r.ok2xxTotal {
				verdict = "MISMATCH"
			}
			fmt.Printf("  %-12s log rows %d, 2xx answers %d (warm-ups included): %s\n", n, rows, r.ok2xxTotal, verdict)
		}
		if r.firstErr != "" {
			fmt.Printf("  %-12s first error: %s\n", n, r.firstErr)
		}
	}
	return results, nil
}

// report prints the table, the ratios and the verdict against the targets;
// onPG says full ran on PostgreSQL.
func report(w io.Writer, names []string, rs map[string]*result, conns int, onPG bool) {
	ms := func(d time.Duration) string { return fmt.Sprintf("%.2fms", float64(d.Microseconds())/1000) }
	fmt.Fprintf(w, "\n%-12s %10s %9s %9s %9s %8s\n", "target", "req/s", "p50", "p99", "p99.9", "errors")
	for _, n := range names {
		r := rs[n]
		fmt.Fprintf(w, "%-12s %10.0f %9s %9s %9s %8d\n", n, r.rps(), ms(r.pct(0.50)), ms(r.pct(0.99)), ms(r.pct(0.999)), r.errs)
	}
	a, b, c := rs["bare"], rs["groupcommit"], rs["full"]
	fmt.Fprintln(w)
	if a != nil && b != nil {
		fmt.Fprintf(w, "ratio groupcommit/bare = %.2f\n", b.rps()/a.rps())
	}
	if si := rs["storeinsert"]; si != nil {
		if b != nil {
			fmt.Fprintf(w, "ratio storeinsert/groupcommit = %.2f (our store's writer, ent, vs plain database/sql)\n", si.rps()/b.rps())
		}
		if c != nil {
			fmt.Fprintf(w, "ratio full/storeinsert = %.2f\n", c.rps()/si.rps())
		}
	}
	// The target: the full inbound path at least 0.8x its baseline
	// (groupcommit, SQLite) in req/s, with p99 at most 15 ms.
	if b != nil && c != nil && onPG {
		fmt.Fprintf(w, "ratio full/groupcommit = %.2f (full on PostgreSQL, groupcommit on SQLite: no verdict; PostgreSQL's is full/pgsame)\n",
			c.rps()/b.rps())
	}
	if b != nil && c != nil && !onPG {
		ratio, p99 := c.rps()/b.rps(), c.pct(0.99)
		fmt.Fprintf(w, "ratio full/groupcommit = %.2f\n", ratio)
		status := "PASS"
		if ratio < 0.8 || p99 > 15*time.Millisecond || c.errs > 0 {
			status = "FAIL"
		}
		fmt.Fprintf(w, "%s at %d conns: full/groupcommit %.2f in req/s (want >= 0.80), p99(full) %s (want <= 15ms), errors %d\n",
			status, conns, ratio, ms(p99), c.errs)
	}
	if pg := rs["pgbare"]; pg != nil && c != nil {
		fmt.Fprintf(w, "\nratio full/pgbare = %.2f (a narrower row in a table of its own)\n", c.rps()/pg.rps())
	}
	// The target: at least 0.7x a bare handler writing the same log row into
	// the same database (pgsame), p99 at most 20 ms.
	if same := rs["pgsame"]; same != nil && c != nil {
		ratio, p99 := c.rps()/same.rps(), c.pct(0.99)
		status := "PASS"
		if ratio < 0.7 || p99 > 20*time.Millisecond || c.errs > 0 {
			status = "FAIL"
		}
		fmt.Fprintf(w, "ratio full/pgsame = %.2f (the same row, bare handler)\n", ratio)
		fmt.Fprintf(w, "%s at %d conns: full/pgsame %.2f (want >= 0.70), p99(full) %s (want <= 20ms), errors %d\n",
			status, conns, ratio, ms(p99), c.errs)
	}
}
