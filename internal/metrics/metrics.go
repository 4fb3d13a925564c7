// Package metrics is the server's Prometheus families (the contract's
// "Operations"), on a registry of its own with the Go and process
// collectors. The packages that do the work report to it through small
// interfaces of their own (inbound.Observer, outbound.Observer,
// flows.Observer, store.CommitObserver); no label carries a workspace, an
// id, a name or a URL.
package metrics

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/wexio/webhooks/ent/schema/schematype"
)

// Metrics holds the families and implements the observers.
type Metrics struct {
	reg *prometheus.Registry

	inbound         *prometheus.CounterVec
	unlogged        prometheus.Counter
	inboundDuration prometheus.Histogram
	attempts        *prometheus.CounterVec
	attemptDuration prometheus.Histogram
	runs            *prometheus.CounterVec
	commitDuration  prometheus.Histogram
	commitRows      prometheus.Histogram
}

// New registers the families that count and time what happens.
func New() *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry()}
	m.reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m.inbound = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "wexio_inbound_requests_total",
		Help: "Inbound requests answered, by their log outcome and the webhook's auth mode (refusals not stored included).",
	}, []string{"outcome", "mode"})
	m.unlogged = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "wexio_inbound_refusals_unlogged_total",
		Help: "Refused inbound requests answered but not stored: past a webhook's WEXIO_REFUSED_LOG_RATE.",
	})
	m.inboundDuration = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name:    "wexio_inbound_request_duration_seconds",
		Help:    "Time from an inbound request's arrival to its answer (its row committed).",
		Buckets: prometheus.ExponentialBuckets(0.0005, 2, 14), // 0.5 ms .. 4 s
	})
	m.attempts = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "wexio_outbound_attempts_total",
		Help: "Outbound delivery attempts recorded, by outcome and the answer's status class (none: no answer).",
	}, []string{"outcome", "status_class"})
	m.attemptDuration = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name:    "wexio_outbound_attempt_duration_seconds",
		Help:    "Duration of outbound attempts, connect to the answer's last byte.",
		Buckets: prometheus.ExponentialBuckets(0.005, 2, 13), // 5 ms .. 20 s
	})
	m.runs = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "wexio_flow_runs_total",
		Help: "Flow runs finished, by status.",
	}, []string{"status"})
	m.commitDuration = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name:    "wexio_db_commit_duration_seconds",
		Help:    "Time the writer takes to run and commit one batch.",
		Buckets: prometheus.ExponentialBuckets(0.0002, 2, 14), // 0.2 ms .. 1.6 s
	})
	m.commitRows = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name:    "wexio_db_commit_batch_rows",
		Help:    "Jobs committed together in one writer batch.",
		Buckets: []float64{1, 2, 4, 8, 16, 32, 64, 128, 256},
	})
	m.reg.MustRegister(m.inbound, m.unlogged, m.inboundDuration, m.attempts, m.attemptDuration, m.runs, m.commitDuration, m.commitRows)
	// Every series starts at 0, so that a rate or an alert over it has a
	// value before the first event.
	for _, mode := range schematype.InboundAuthMode("").Values() {
		for _, o := range []schematype.LogOutcome{schematype.OutcomeAccepted, schematype.OutcomeRejected, schematype.OutcomeDuplicate} {
			m.inbound.WithLabelValues(string(o), mode)
		}
	}
	for _, o := range []schematype.LogOutcome{schematype.OutcomeSucceeded, schematype.OutcomeFailed} {
		for _, class := range []string{"2xx", "3xx", "4xx", "5xx", "none"} {
			m.attempts.WithLabelValues(string(o), class)
		}
	}
	for _, st := range []schematype.FlowRunStatus{schematype.RunSucceeded, schematype.RunFailed} {
		m.runs.WithLabelValues(string(st))
	}
	return m
}

// Handler serves the registry in Prometheus's text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// InboundUnlogged counts a refused inbound request that got no log row.
func (m *Metrics) InboundUnlogged() { m.unlogged.Inc() }

// InboundRequest counts an inbound request once answered.
func (m *Metrics) InboundRequest(outcome schematype.LogOutcome, mode schematype.InboundAuthMode, took time.Duration) {
	m.inbound.WithLabelValues(string(outcome), string(mode)).Inc()
	m.inboundDuration.Observe(took.Seconds())
}

// Attempt counts an outbound attempt once it is recorded.
func (m *Metrics) Attempt(outcome schematype.LogOutcome, status int, took time.Duration) {
	m.attempts.WithLabelValues(string(outcome), statusClass(status)).Inc()
	m.attemptDuration.Observe(took.Seconds())
}

// statusClass is "2xx" … "5xx" for an HTTP status, "none" without one.
func statusClass(status int) string {
	if status < 100 || status > 599 {
		return "none"
	}
	return strconv.Itoa(status/100) + "xx"
}

// RunFinished counts a flow run that ended.
func (m *Metrics) RunFinished(status schematype.FlowRunStatus) {
	m.runs.WithLabelValues(string(status)).Inc()
}

// Commit times one writer batch of jobs jobs.
func (m *Metrics) Commit(took time.Duration, jobs int) {
	m.commitDuration.Observe(took.Seconds())
	m.commitRows.Observe(float64(jobs))
}

// Tail reports the live tail's subscribers and the slow ones dropped, as
// the broker counts them, read at each scrape.
func (m *Metrics) Tail(subscribers func() int, dropped func() uint64) {
	m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "wexio_livetail_subscribers",
		Help: "Live-tail subscriptions open on this server.",
	}, func() float64 { return float64(subscribers()) }))
	m.reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{
		Name: "wexio_livetail_slow_subscribers_total",
		Help: "Live-tail subscriptions ended because they fell behind.",
	}, func() float64 { return float64(dropped()) }))
}

// Connections reports the HTTP connections open on this server and those
// closed to keep under WEXIO_MAX_CONNECTIONS, read at each scrape.
func (m *Metrics) Connections(open func() int, shed func() uint64) {
	m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "wexio_http_connections_open",
		Help: "HTTP connections open on this server, WebSockets included.",
	}, func() float64 { return float64(open()) }))
	m.reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{
		Name: "wexio_http_connections_shed_total",
		Help: "Connections closed at WEXIO_MAX_CONNECTIONS: the longest idle, or a newcomer when none was idle.",
	}, func() float64 { return float64(shed()) }))
}

// DueFunc counts the deliveries due now and not being attempted, up to a
// cap, and the time since the oldest of them became due (zero for none).
type DueFunc func(ctx context.Context) (due int, lag time.Duration, err error)

// Due reports the outbound backlog, read at each scrape by one indexed
// query (due): the deliveries due and the age of the oldest. A failed
// read leaves both at their last value.
func (m *Metrics) Due(due DueFunc, log *slog.Logger) {
	m.reg.MustRegister(&dueCollector{
		read: lastRead[[2]float64]{what: "the outbound backlog", log: log,
			read: func(ctx context.Context) ([2]float64, error) {
				n, lag, err := due(ctx)
				return [2]float64{float64(n), lag.Seconds()}, err
			}},
		count: prometheus.NewDesc("wexio_outbound_deliveries_due",
			"Outbound deliveries due now and not yet attempted (counted up to 10,000).", nil, nil),
		lag: prometheus.NewDesc("wexio_outbound_delivery_lag_seconds",
			"Age of the oldest due delivery not yet attempted; 0 when none.", nil, nil)})
}

// dueCollector reads the backlog once per scrape for both gauges.
type dueCollector struct {
	read       lastRead[[2]float64]
	count, lag *prometheus.Desc
}

func (c *dueCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.count; ch <- c.lag }

func (c *dueCollector) Collect(ch chan<- prometheus.Metric) {
	last := c.read.get()
	ch <- prometheus.MustNewConstMetric(c.count, prometheus.GaugeValue, last[0])
	ch <- prometheus.MustNewConstMetric(c.lag, prometheus.GaugeValue, last[1])
}

// lastRead is a read of the database made at each scrape, and its last
// good value: a failed read is logged and leaves the gauges where they
// were. Scrapes may run at once, so the value is guarded.
type lastRead[T any] struct {
	read func(ctx context.Context) (T, error)
	what string // what it reads, for the log
	log  *slog.Logger

	mu   sync.Mutex
	last T
}

// get reads, within a scrape's time, and returns the last good value.
func (r *lastRead[T]) get() T {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	v, err := r.read(ctx)
	r.mu.Lock()
	defer r.mu.Unlock()
	if err != nil {
		r.log.Warn("reading "+r.what+" for /metrics", "err", err)
		return r.last
	}
	r.last = v
	return v
}

// Standing is the state of the outbound webhooks at one scrape: how many
// have each status and health, and how many deliveries are held.
type Standing struct {
	Webhooks map[[2]string]int // by status and health
	Held     int
}

// StandingFunc reads the Standing, its held count up to a cap.
type StandingFunc func(ctx context.Context) (Standing, error)

// Standing reports what receivers that fail do to the outbound side, read
// at each scrape: wexio_outbound_webhooks by status and health (every pair
// served, zero included, so an alert on FAILING never meets a missing
// series) and wexio_outbound_deliveries_held. A failed read leaves the
// last values.
func (m *Metrics) Standing(read StandingFunc, log *slog.Logger) {
	m.reg.MustRegister(&standingCollector{read: lastRead[Standing]{read: read, what: "the outbound webhooks' standing", log: log},
		webhooks: prometheus.NewDesc("wexio_outbound_webhooks",
			"Outbound webhooks by status (ACTIVE, PAUSED, DISABLED) and health (HEALTHY, FAILING).",
			[]string{"status", "health"}, nil),
		held: prometheus.NewDesc("wexio_outbound_deliveries_held",
			"Pending deliveries held, not attempted: their webhook PAUSED, DISABLED or FAILING (counted up to 10,000).",
			nil, nil)})
}

// standingCollector reads the Standing once per scrape for both families.
type standingCollector struct {
	read           lastRead[Standing]
	webhooks, held *prometheus.Desc
}

func (c *standingCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.webhooks; ch <- c.held }

func (c *standingCollector) Collect(ch chan<- prometheus.Metric) {
	last := c.read.get()
	for _, status := range schematype.WebhookStatus("").Values() {
		for _, health := range schematype.EndpointHealth("").Values() {
			ch <- prometheus.MustNewConstMetric(c.webhooks, prometheus.GaugeValue,
				float64(last.Webhooks[[2]string{status, health}]), status, health)
		}
	}
	ch <- prometheus.MustNewConstMetric(c.held, prometheus.GaugeValue, float64(last.Held))
}
