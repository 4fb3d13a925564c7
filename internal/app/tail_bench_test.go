package app

// Live-tail benchmarks (issue 6, item 4): receipt latency for 100
// subscribers under 1,000 req/s, the ingestion cost of connected
// subscribers, and the memory of an idle subscriber. Each runs once:
//
//	go test -run '^$' -bench 'BenchmarkTail' -benchtime 1x .
//
// TAIL_BENCH_SECONDS sets the duration of each load phase (default 5).

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/wexio/webhooks/internal/db/dbtest"
	"github.com/wexio/webhooks/internal/testkit"
)

// benchTailQuery asks for the request body: it carries the sender's marker.
const benchTailQuery = `subscription($w: ID, $d: Direction) {
	webhookLogTail(webhookId: $w, direction: $d) { id request { body } } }`

// dialTail opens a graphql-transport-ws connection to the server at base,
// authenticated with key, and subscribes to webhookID's inbound rows.
func dialTail(base, key, webhookID string) (*websocket.Conn, error) {
	d := websocket.Dialer{Subprotocols: []string{"graphql-transport-ws"}, HandshakeTimeout: 5 * time.Second}
	conn, res, err := d.Dial("ws"+strings.TrimPrefix(base, "http")+"/query", nil)
	if err != nil {
		return nil, err
	}
	res.Body.Close()
	init := wsMsg{Type: "connection_init", Payload: json.RawMessage(`{"authorization":"Bearer ` + key + `"}`)}
	var ack wsMsg
	_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	if err = conn.WriteJSON(init); err == nil {
		err = conn.ReadJSON(&ack)
	}
	if ack.Type != "connection_ack" {
		conn.Close()
		return nil, fmt.Errorf("connection_init: got %q (%v)", ack.Type, err)
	}
	_ = conn.SetReadDeadline(time.Time{})
	p, _ := json.Marshal(map[string]any{"query": benchTailQuery, "variables": map[string]any{"w": webhookID, "d": "INBOUND"}})
	if err := conn.WriteJSON(wsMsg{Type: "subscribe", ID: "1", Payload: p}); err != nil {
		conn.Close()
		return nil, err
	}
	return conn, nil
}

// dialTails opens n subscribers of webhookID and waits until the broker
// holds want subscribers in all.
func dialTails(tb testing.TB, ta *testApp, webhookID string, n, want int) []*websocket.Conn {
	tb.Helper()
	conns := make([]*websocket.Conn, n)
	for i := range conns {
		c, err := dialTail(ta.srv.URL, ta.key, webhookID)
		if err != nil {
			tb.Fatalf("subscriber %d: %v", i, err)
		}
		conns[i] = c
	}
	waitSubscribers(tb, ta, want)
	return conns
}

func waitSubscribers(tb testing.TB, ta *testApp, want int) {
	tb.Helper()
	testkit.Eventually(tb, fmt.Sprintf("%d subscribers registered", want), func() bool { return ta.tail.Len() == want })
}

// readFrames reads conn until it fails, answering pings. onNext gets the
// receipt time and the raw "next" frame; other frames (error, complete)
// count in odd.
func readFrames(conn *websocket.Conn, odd *atomic.Int64, onNext func(time.Time, []byte)) {
	for {
		_, data, err := conn.ReadMessage()
		if err != nil {
			return
		}
		now := time.Now()
		switch {
		case bytes.Contains(data, []byte(`"type":"next"`)):
			if onNext != nil {
				onNext(now, data)
			}
		case bytes.Contains(data, []byte(`"type":"ping"`)):
			_ = conn.WriteJSON(wsMsg{Type: "pong"})
		case bytes.Contains(data, []byte(`"type":"pong"`)):
		default:
			odd.Add(1)
		}
	}
}

// frameSeq finds the sender's {"seq":N} marker in a frame's request body
// (a JSON string inside the frame, hence the escaped quotes).
func frameSeq(data []byte) int {
	i := bytes.Index(data, []byte(`seq\":`))
	if i < 0 {
		return -1
	}
	n, digits := 0, 0
	for _, c := range data[i+len(`seq\":`):] {
		if c < '0' || c > '9' {
			break
		}
		n, digits = n*10+int(c-'0'), digits+1
	}
	if digits == 0 {
		return -1
	}
	return n
}

// newBenchClient is a keep-alive client for up to conns parallel requests.
func newBenchClient(conns int) *http.Client {
	return &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
		MaxIdleConns: conns, MaxIdleConnsPerHost: conns, IdleConnTimeout: time.Minute}}
}

// postInbound posts body to an inbound webhook and returns the status.
func postInbound(c *http.Client, url, secret, body string) int {
	req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Webhook-Secret", secret)
	res, err := c.Do(req)
	if err != nil {
		return 0
	}
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res.StatusCode
}

// benchDuration is TAIL_BENCH_SECONDS, 5 s by default.
func benchDuration(tb testing.TB) time.Duration {
	s := os.Getenv("TAIL_BENCH_SECONDS")
	if s == "" {
		return 5 * time.Second
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f <= 0 {
		tb.Fatalf("TAIL_BENCH_SECONDS=%q", s)
	}
	return time.Duration(f * float64(time.Second))
}

// percentile of sorted durations, in milliseconds.
func percentile(sorted []time.Duration, q float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	return float64(sorted[int(q*float64(len(sorted)-1))]) / float64(time.Millisecond)
}

// ---- BenchmarkTailLatency ----

const (
	latencySubscribers = 100
	latencyRate        = 1000 // req/s
	latencySenders     = 32
)

// latencyRun is one paced load: when each request was sent (since t0) and
// whether it was accepted.
type latencyRun struct {
	t0     time.Time
	sentAt []atomic.Int64
	ok     []atomic.Bool
	errs   atomic.Int64
}

// tailReceiver is one subscriber's view: latency of each frame, which
// markers it saw, and how many frames.
type tailReceiver struct {
	lat    []time.Duration
	seen   []bool
	frames atomic.Int64
}

func (r *tailReceiver) onNext(run *latencyRun) func(time.Time, []byte) {
	return func(now time.Time, data []byte) {
		seq := frameSeq(data)
		if seq < 0 || seq >= len(r.seen) {
			return
		}
		r.lat = append(r.lat, now.Sub(run.t0)-time.Duration(run.sentAt[seq].Load()))
		r.seen[seq] = true
		r.frames.Add(1)
	}
}

// pace feeds total sequence numbers to jobs at rate per second, on a 1 ms
// ticker that catches up with the schedule when a tick is late.
func pace(jobs chan<- int, total, rate int) {
	defer close(jobs)
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	start, n := time.Now(), 0
	for n < total {
		<-tick.C
		due := min(total, int(time.Since(start).Seconds()*float64(rate)))
		for ; n < due; n++ {
			jobs <- n
		}
	}
}

func (run *latencyRun) send(c *http.Client, url, secret string, jobs <-chan int) {
	for seq := range jobs {
		body := `{"seq":` + strconv.Itoa(seq) + `}`
		run.sentAt[seq].Store(int64(time.Since(run.t0)))
		if postInbound(c, url, secret, body) == http.StatusAccepted {
			run.ok[seq].Store(true)
		} else {
			run.errs.Add(1)
		}
	}
}

// load sends total requests at latencyRate and returns when all answered.
func (run *latencyRun) load(ta *testApp, h inHook, total int) {
	c := newBenchClient(latencySenders)
	defer c.CloseIdleConnections()
	jobs := make(chan int, total)
	var senders sync.WaitGroup
	for range latencySenders {
		senders.Go(func() { run.send(c, ta.srv.URL+h.path, h.secret, jobs) })
	}
	pace(jobs, total, latencyRate)
	senders.Wait()
}

// sendRate is the rate at which requests were sent (not answered): behind
// latencyRate when the senders could not keep up with the schedule.
func (run *latencyRun) sendRate() float64 {
	var last int64
	for i := range run.sentAt {
		last = max(last, run.sentAt[i].Load())
	}
	return float64(len(run.sentAt)-1) / time.Duration(last).Seconds()
}

func (run *latencyRun) accepted() int {
	n := 0
	for i := range run.ok {
		if run.ok[i].Load() {
			n++
		}
	}
	return n
}

// BenchmarkTailLatency: 100 graphql-transport-ws subscribers of one webhook
// while it receives 1,000 req/s; latency is request sent → frame received.
func BenchmarkTailLatency(b *testing.B) {
	for b.Loop() {
		ta := newTestApp(b)
		measureTailLatency(b, ta, ta)
	}
}

// measureTailLatency sends latencyRate req/s to a new webhook on in while
// latencySubscribers subscribe to it on tail, and reports the latencies.
func measureTailLatency(b *testing.B, in, tail *testApp) {
	h := in.createIn(b, in.key, map[string]any{"name": "tailed"})
	total := int(benchDuration(b).Seconds() * latencyRate)
	run := &latencyRun{sentAt: make([]atomic.Int64, total), ok: make([]atomic.Bool, total)}
	conns := dialTails(b, tail, h.id, latencySubscribers, latencySubscribers)
	recv, odd, readers := startReceivers(conns, run, total)
	run.t0 = time.Now()
	run.load(in, h, total)
	accepted := run.accepted()
	waitFrames(recv, accepted, 10*time.Second)
	closeAll(conns)
	readers.Wait()
	reportLatency(b, run, recv, accepted)
	b.ReportMetric(run.sendRate(), "sent/s")
	b.ReportMetric(float64(odd.Load()), "error-frames")
}

// BenchmarkTailLatencyAcrossServers is BenchmarkTailLatency with two
// servers on one PostgreSQL database: the subscribers on one, the requests
// sent to the other, so that every frame crosses servers (LISTEN/NOTIFY,
// then a load by the subscribers' server).
//
//	WEXIO_TEST_BACKEND=postgres go test ./internal/app -run '^$' -bench TailLatencyAcross -benchtime 1x
func BenchmarkTailLatencyAcrossServers(b *testing.B) {
	if !dbtest.Postgres() {
		b.Skip("several servers share PostgreSQL: run with WEXIO_TEST_BACKEND=postgres and WEXIO_TEST_POSTGRES_URL")
	}
	for b.Loop() {
		in, tail := twoServers(b)
		measureTailLatency(b, in, tail)
	}
}

// startReceivers reads every subscriber's frames on its own goroutine.
// run.t0 is read only when a frame arrives, after the load has started.
func startReceivers(conns []*websocket.Conn, run *latencyRun, total int) ([]*tailReceiver, *atomic.Int64, *sync.WaitGroup) {
	recv := make([]*tailReceiver, len(conns))
	odd := new(atomic.Int64)
	readers := new(sync.WaitGroup)
	for i, c := range conns {
		r := &tailReceiver{lat: make([]time.Duration, 0, total), seen: make([]bool, total)}
		recv[i] = r
		readers.Go(func() { readFrames(c, odd, r.onNext(run)) })
	}
	return recv, odd, readers
}

// waitFrames waits until each receiver has want frames, or timeout.
func waitFrames(recv []*tailReceiver, want int, timeout time.Duration) {
	deadline := time.Now().Add(timeout)
	for _, r := range recv {
		for r.frames.Load() < int64(want) && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
	}
}

func reportLatency(b *testing.B, run *latencyRun, recv []*tailReceiver, accepted int) {
	var all []time.Duration
	missing := 0
	for _, r := range recv {
		all = append(all, r.lat...)
		for seq := range r.seen {
			if run.ok[seq].Load() && !r.seen[seq] {
				missing++
			}
		}
	}
	slices.Sort(all)
	b.ReportMetric(percentile(all, 0.50), "p50-ms")
	b.ReportMetric(percentile(all, 0.99), "p99-ms")
	b.ReportMetric(percentile(all, 1), "max-ms")
	b.ReportMetric(float64(missing), "missing-frames")
	b.ReportMetric(float64(accepted), "accepted")
	b.ReportMetric(float64(run.errs.Load()), "send-errors")
}

// ---- BenchmarkTailIngestCost ----

const ingestWorkers = 64

// closedLoop posts to h from ingestWorkers goroutines for d and returns the
// accepted requests per second and the failures.
func closedLoop(ta *testApp, h inHook, d time.Duration) (float64, int64) {
	c := newBenchClient(ingestWorkers)
	defer c.CloseIdleConnections()
	var ok, bad atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	deadline := start.Add(d)
	for w := range ingestWorkers {
		wg.Go(func() {
			for i := 0; time.Now().Before(deadline); i++ {
				body := `{"w":` + strconv.Itoa(w) + `,"i":` + strconv.Itoa(i) + `}`
				if postInbound(c, ta.srv.URL+h.path, h.secret, body) == http.StatusAccepted {
					ok.Add(1)
				} else {
					bad.Add(1)
				}
			}
		})
	}
	wg.Wait()
	return float64(ok.Load()) / time.Since(start).Seconds(), bad.Load()
}

// ingestPattern alternates runs without (-) and with (+) the subscribers,
// ABBA-wise, so that drift (a growing database, other load on the machine)
// weighs on both sides alike.
const ingestPattern = "-++--++-"

// BenchmarkTailIngestCost: closed-loop throughput on webhook B with 100
// subscribers of webhook A connected against none, in alternating runs.
func BenchmarkTailIngestCost(b *testing.B) {
	for b.Loop() {
		ta := newTestApp(b)
		hookA, hookB := ta.createIn(b, ta.key, map[string]any{"name": "A"}), ta.createIn(b, ta.key, map[string]any{"name": "B"})
		phase := benchDuration(b) / 2
		closedLoop(ta, hookB, time.Second) // warm up
		var rates [2]float64               // without, with
		var failed int64
		var conns []*websocket.Conn
		for _, p := range ingestPattern {
			with := p == '+'
			if with && conns == nil {
				conns = connectIdle(b, ta, hookA.id)
			} else if !with && conns != nil {
				closeAll(conns)
				conns = nil
				waitSubscribers(b, ta, 0)
			}
			rate, bad := closedLoop(ta, hookB, phase)
			rates[map[bool]int{false: 0, true: 1}[with]] += rate / float64(len(ingestPattern)/2)
			failed += bad
		}
		b.ReportMetric(rates[0], "req/s-none")
		b.ReportMetric(rates[1], "req/s-with-100")
		b.ReportMetric(rates[1]/rates[0], "ratio")
		b.ReportMetric(float64(failed), "failed")
	}
}

// connectIdle connects latencySubscribers subscribers of webhookID that only
// answer pings.
func connectIdle(b *testing.B, ta *testApp, webhookID string) []*websocket.Conn {
	conns := dialTails(b, ta, webhookID, latencySubscribers, latencySubscribers)
	var odd atomic.Int64
	for _, c := range conns {
		go readFrames(c, &odd, nil)
	}
	return conns
}

func closeAll(conns []*websocket.Conn) {
	for _, c := range conns {
		c.Close()
	}
}

// ---- BenchmarkTailIdleMemory ----

const idleSubscribers = 500

// The idle subscribers' clients run in a child process (this test binary
// again, running this benchmark with tailChildEnv set), so that the parent's
// heap holds only the server's side of each subscriber: nothing of the
// clients needs subtracting.
const tailChildEnv = "TAIL_BENCH_CHILD" // "url key webhookID n"

const childReady = "TAIL_BENCH_CHILD_READY"

// BenchmarkTailIdleMemory: server heap (HeapInuse after GC) per idle
// subscriber, with goroutine stacks reported separately.
func BenchmarkTailIdleMemory(b *testing.B) {
	if spec := os.Getenv(tailChildEnv); spec != "" {
		runIdleClients(b, spec)
		return
	}
	for b.Loop() {
		ta := newTestApp(b)
		h := ta.createIn(b, ta.key, map[string]any{"name": "idle"})
		// One subscriber first: one-time costs (query cache, pools) are
		// paid before the first measurement.
		warm := dialTails(b, ta, h.id, 1, 1)
		time.Sleep(200 * time.Millisecond)
		before := settledMem()
		stop := startIdleClients(b, ta, h)
		waitSubscribers(b, ta, idleSubscribers+1)
		time.Sleep(500 * time.Millisecond)
		after := settledMem()
		stop()
		closeAll(warm)
		reportIdle(b, before, after)
	}
}

type memSample struct {
	heap, stack uint64
	goroutines  int
}

func settledMem() memSample {
	var m runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&m)
	return memSample{heap: m.HeapInuse, stack: m.StackInuse, goroutines: runtime.NumGoroutine()}
}

func reportIdle(b *testing.B, before, after memSample) {
	n := float64(idleSubscribers)
	heap := (float64(after.heap) - float64(before.heap)) / n
	stack := (float64(after.stack) - float64(before.stack)) / n
	b.ReportMetric(heap, "heap-B/subscriber")
	b.ReportMetric(stack, "stack-B/subscriber")
	b.ReportMetric(heap+stack, "total-B/subscriber")
	b.ReportMetric(float64(after.goroutines-before.goroutines)/n, "goroutines/subscriber")
}

// startIdleClients starts the child process and waits for it to report its
// subscribers connected; stop ends it.
func startIdleClients(b *testing.B, ta *testApp, h inHook) (stop func()) {
	cmd := exec.Command(os.Args[0], "-test.run=^$", "-test.bench=^BenchmarkTailIdleMemory$", "-test.benchtime=1x")
	cmd.Env = append(os.Environ(), fmt.Sprintf("%s=%s %s %s %d", tailChildEnv, ta.srv.URL, ta.key, h.id, idleSubscribers))
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		b.Fatalf("starting client process: %v", err)
	}
	out := bufio.NewScanner(stdout)
	for out.Scan() && !strings.Contains(out.Text(), childReady) {
	}
	go func() { _, _ = io.Copy(io.Discard, stdout) }()
	return func() {
		stdin.Close()
		_ = cmd.Wait()
	}
}

// runIdleClients is the child: it connects the subscribers, says so, and
// keeps them (answering pings) until its stdin closes.
func runIdleClients(b *testing.B, spec string) {
	f := strings.Fields(spec)
	n, _ := strconv.Atoi(f[3])
	var odd atomic.Int64
	conns := make([]*websocket.Conn, n)
	for i := range conns {
		c, err := dialTail(f[0], f[1], f[2])
		if err != nil {
			b.Fatalf("child subscriber %d: %v", i, err)
		}
		conns[i] = c
		go readFrames(c, &odd, nil)
	}
	fmt.Println(childReady)
	_, _ = io.Copy(io.Discard, os.Stdin)
	for _, c := range conns {
		c.Close()
	}
}
