package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/graph"
	"github.com/wexio/webhooks/internal/auth"
	"github.com/wexio/webhooks/internal/config"
	"github.com/wexio/webhooks/internal/connlimit"
	"github.com/wexio/webhooks/internal/console"
	"github.com/wexio/webhooks/internal/crm"
	"github.com/wexio/webhooks/internal/db"
	"github.com/wexio/webhooks/internal/deliveries"
	"github.com/wexio/webhooks/internal/flows"
	"github.com/wexio/webhooks/internal/gctune"
	"github.com/wexio/webhooks/internal/graphiql"
	"github.com/wexio/webhooks/internal/history"
	"github.com/wexio/webhooks/internal/inbound"
	"github.com/wexio/webhooks/internal/keycheck"
	"github.com/wexio/webhooks/internal/livetail"
	"github.com/wexio/webhooks/internal/metrics"
	"github.com/wexio/webhooks/internal/outbound"
	"github.com/wexio/webhooks/internal/outbox"
	"github.com/wexio/webhooks/internal/secretbox"
	"github.com/wexio/webhooks/internal/store"
	"github.com/wexio/webhooks/internal/webhooks"
	"github.com/wexio/webhooks/internal/wsgorilla"
)

// Version is sent as User-Agent wexio-webhooks/<version>.
const Version = "0.1.0"

// Main runs the command line of the wexio binary and returns its exit
// status: the server until SIGINT or SIGTERM, or a subcommand.
func Main(args []string, lookupEnv func(string) (string, bool), stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	gctune.Apply(lookupEnv)
	return run(ctx, args, lookupEnv, stdout, stderr)
}

// app is everything serve and the subcommands share.
type app struct {
	cfg   config.Config
	log   *slog.Logger
	db    *store.Store
	box   *secretbox.Box
	auth  *auth.Service
	hooks *webhooks.Service
	crm   *crm.Service
	flows *flows.Service
	// metrics counts from the start (the writer's batches); GET /metrics
	// serves it unless WEXIO_METRICS=false.
	metrics *metrics.Metrics
	// sockets are the open WebSocket connections, closed with 1001 when
	// the server stops.
	sockets *wsgorilla.Sockets
	// conns caps the open connections; serve sets it, and its counters
	// (open, shed) are read from other goroutines.
	conns atomic.Pointer[connlimit.Listener]

	// Started by start, for serve only: the subcommands need none of it.
	hookCache  *inbound.Cache
	tail       *livetail.Broker[*ent.WebhookLog]
	feed       *history.Feed // committed rows → tail, loaded once per batch
	dispatcher *outbound.Dispatcher
	runner     *flows.Runner
	stopWork   context.CancelFunc
	workDone   chan struct{}
	workerLock store.WorkerLock
}

// maxHeaderBytes bounds the headers net/http reads, answering 431 past it
// before any handler (or log row) sees the request. Every path answers
// 431 past inbound.MaxHeaderBytes (smaller) itself: an inbound webhook's
// log row then says so, with the start of what was sent.
const maxHeaderBytes = 256 << 10

// dueCountCap bounds the counts of due and of held deliveries read at
// each scrape.
const dueCountCap = 10_000

// openApp opens the database and the secret box named by cfg.
func openApp(ctx context.Context, cfg config.Config, log *slog.Logger) (*app, error) {
	path := cfg.SQLitePath()
	key := cfg.SecretKey
	if key == nil {
		var err error
		// The generated key lives beside the database (data/secret.key by
		// default): whoever moves one must move the other.
		if key, err = secretbox.LoadOrCreateKey(filepath.Join(filepath.Dir(path), "secret.key")); err != nil {
			// Bad configuration in effect (a corrupt key file, a database
			// path under a file): named as the variable that fixes it.
			return nil, &config.Error{Name: "WEXIO_SECRET_KEY", Problem: "loading the generated key: " + err.Error()}
		}
	}
	box, err := secretbox.New(key)
	if err != nil {
		return nil, err
	}
	m := metrics.New()
	octx, cancel := context.WithTimeout(ctx, cfg.Timeouts.DatabaseConnect)
	d, err := db.Open(octx, cfg.DatabaseURL, store.Options{Log: log, Migrations: []store.Migration{history.MigrateCounters},
		Commits: m, SQLiteSynchronous: cfg.SQLiteSynchronous})
	cancel()
	if err != nil {
		return nil, &config.Error{Name: "WEXIO_DATABASE_URL", Problem: err.Error()}
	}
	// A key that is not the database's stops the start here, rather than
	// failing every request that opens a stored secret.
	if err := keycheck.Ensure(ctx, d.Write, d.Dialect, box); err != nil {
		_ = d.Close()
		if !errors.Is(err, keycheck.ErrWrongKey) {
			return nil, err
		}
		problem := "does not open this database's secrets: use the key the database was created with"
		if cfg.SecretKey == nil {
			problem = "unset, and the generated secret.key beside the database does not open its secrets: " +
				"restore the database's own secret.key, or set its key"
		}
		return nil, &config.Error{Name: "WEXIO_SECRET_KEY", Problem: problem}
	}
	hooks := webhooks.NewService(webhooks.Config{
		PublicURL:            cfg.PublicURL,
		MaxRetries:           cfg.OutboundMaxRetries,
		TimeoutSeconds:       int(cfg.OutboundTimeout / time.Second),
		AllowPrivateNetworks: cfg.AllowPrivateNetworks,
	}, box, time.Now)
	// Earlier versions stored outbound header values not named as
	// credentials, and URL query values, in plain text: sealed before
	// anything reads them, under the key just checked.
	sealed, err := hooks.SealLegacy(ctx, d.Write)
	if err != nil {
		_ = d.Close()
		return nil, err
	}
	if sealed > 0 {
		log.Info("sealed the outbound URL query values and static headers stored in plain text", "webhooks", sealed)
	}
	keys := auth.NewService(d.Read, d.Write)
	if cfg.APIRate > 0 {
		keys.Limit(auth.NewLimiter(cfg.APIRate, time.Now))
	}
	return &app{cfg: cfg, log: log, db: d, box: box, auth: keys, hooks: hooks,
		crm: crm.NewService(time.Now), flows: flows.NewService(), metrics: m,
		sockets: wsgorilla.NewSockets()}, nil
}

// start starts the server's background machinery: the caches, the
// live-tail feed, the delivery dispatcher, the flow runner and the pruner,
// each woken by the store's notifications.
func (a *app) start() error {
	n := a.db.Notifier
	a.hookCache = inbound.NewCache(a.db.Read, a.cfg.Timeouts.CacheTTL)
	// Every webhook or flow change, whoever makes it, keeps the cache exact.
	a.db.Write.Webhook.Use(a.hookCache.Hook())
	a.db.Write.Flow.Use(a.hookCache.Hook())
	subs := outbox.NewSubscriptions(a.db.Read, a.cfg.Timeouts.CacheTTL)
	a.db.Write.Webhook.Use(subs.Hook())
	a.tail = livetail.NewBroker[*ent.WebhookLog]()
	a.metrics.Tail(a.tail.Len, a.tail.Drops)
	a.metrics.Due(func(ctx context.Context) (int, time.Duration, error) {
		return outbound.Backlog(auth.System(ctx), a.db.Read, time.Now(), dueCountCap)
	}, a.log)
	a.metrics.Standing(func(ctx context.Context) (metrics.Standing, error) {
		ctx = auth.System(ctx)
		counts, err := webhooks.CountOutbound(ctx, a.db.Read)
		if err != nil {
			return metrics.Standing{}, err
		}
		held, err := deliveries.HeldUpTo(ctx, a.db.Read, dueCountCap)
		if err != nil {
			return metrics.Standing{}, err
		}
		s := metrics.Standing{Webhooks: map[[2]string]int{}, Held: held}
		for _, c := range counts {
			s.Webhooks[[2]string{string(c.Status), string(c.Health)}] = c.Count
		}
		return s, nil
	}, a.log)
	a.feed = history.NewFeed(a.db.Read, a.db.Dialect, a.tail, a.db.Notifier, a.log)
	d, err := outbound.New(outbound.Config{
		Backoff:      outbound.NewBackoff(a.cfg.OutboundBackoffBase, a.cfg.OutboundBackoffFactor, a.cfg.OutboundBackoffMax),
		MaxRetries:   a.cfg.OutboundMaxRetries,
		Timeout:      a.cfg.OutboundTimeout,
		DisableAfter: a.cfg.OutboundDisableAfter,
		AllowPrivate: a.cfg.AllowPrivateNetworks,
		Version:      Version,
		Log:          a.log,
	}, outbound.Deps{Writer: a.db.Writer, Read: a.db.Read, Claimer: outbound.NewClaimer(a.db.Claimer(outbound.Deliveries), a.db.Read, a.db.Dialect),
		Secrets: a.hooks.Secrets, Headers: a.hooks.Headers, URL: a.hooks.URL, Publisher: a.feed, Subscriptions: subs, Dialect: a.db.Dialect,
		Observer: a.metrics})
	if err != nil {
		return err
	}
	a.dispatcher = d
	r, err := flows.New(flows.Config{Log: a.log}, flows.Deps{Writer: a.db.Writer, Read: a.db.Read,
		Claimer: flows.NewClaimer(a.db.Claimer(flows.Runs), a.db.Read), CRM: a.crm, Subscriptions: subs,
		Observer: a.metrics})
	if err != nil {
		return err
	}
	a.runner = r
	// Wake-after-commit: the store's hooks notify these topics whenever a
	// commit makes deliveries or runs due, whoever wrote them.
	stopListening := []func(){
		n.Listen(store.Deliveries, func(string) { d.Notify() }),
		n.Listen(store.FlowRuns, func(string) { r.Notify() }),
		n.Listen(store.Config, func(string) { a.hookCache.Invalidate(); subs.Invalidate() }),
	}
	if err := a.joinWorkers(); err != nil {
		return err
	}
	prune := history.Deps{Writer: a.db.Writer, Read: a.db.Read, Singleton: a.db, Dialect: a.db.Dialect}
	if a.db.Caps.RowLocks {
		prune.Write = a.db.Write // deletes of old rows wait for no insert, nor inserts for them
	}
	pruner, err := history.NewPruner(history.Config{Retention: a.cfg.Retention, Log: a.log}, prune)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(context.Background())
	a.stopWork, a.workDone = cancel, make(chan struct{})
	var wg sync.WaitGroup
	for name, run := range map[string]func(context.Context) error{
		"dispatcher": d.Run, "flow runner": r.Run, "history pruner": pruner.Run, "live tail feed": a.feed.Run,
	} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := run(ctx); err != nil && !errors.Is(err, context.Canceled) {
				a.log.Error("worker stopped", "worker", name, "err", err)
			}
		}()
	}
	go func() {
		wg.Wait()
		for _, stop := range stopListening {
			stop()
		}
		close(a.workDone)
	}()
	return nil
}

// joinWorkers joins the servers working the database's queues. One that
// starts alone knows any lease in the database was left by a server that
// died (killed, crashed: a stop releases its own), and makes those
// deliveries and runs due now rather than when their leases end; beside a
// running server it cannot tell, and waits leases out.
func (a *app) joinWorkers() error {
	lock, err := a.db.JoinWorkers()
	if err != nil {
		return err
	}
	a.workerLock = lock
	if !lock.Sole() {
		a.log.Warn("another server works this database's queues: leases left by a server that died are waited out")
		return nil
	}
	ctx := auth.System(context.Background())
	deliveries, err := a.db.Claimer(outbound.Deliveries).ReleaseAbandoned(ctx)
	if err != nil {
		return err
	}
	runs, err := a.db.Claimer(flows.Runs).ReleaseAbandoned(ctx)
	if err != nil {
		return err
	}
	if deliveries+runs > 0 {
		a.log.Info("released leases left by a server that stopped without releasing them",
			"deliveries", deliveries, "flow_runs", runs)
	}
	return nil
}

// working reports whether a live dispatcher may hold delivery id: this
// process's, or, unless this server started alone, another server's
// (RetryDelivery then leaves a lease it does not hold alone).
func (a *app) working(id pulid.ID) bool {
	if a.workerLock == nil || !a.workerLock.Sole() {
		return true
	}
	return a.dispatcher != nil && a.dispatcher.Working(id)
}

// close stops what start started (the dispatcher finishes or releases its
// in-flight deliveries, the writer commits what is queued), then closes the
// database.
func (a *app) close() error {
	if a.stopWork != nil {
		a.stopWork()
		<-a.workDone
	}
	if a.workerLock != nil {
		_ = a.workerLock.Release()
	}
	return a.db.Close()
}

// serve runs the server until ctx is cancelled (SIGINT/SIGTERM).
func (a *app) serve(ctx context.Context, stderr io.Writer) error {
	// Listening first: an address that cannot be had stops the start
	// before a workspace is created or a key printed.
	ln, err := net.Listen("tcp", a.cfg.Addr)
	if err != nil {
		return &config.Error{Name: "WEXIO_ADDR", Problem: err.Error()}
	}
	defer ln.Close()
	key, created, err := a.auth.Bootstrap(ctx, a.cfg.APIKey)
	if err != nil {
		return err
	}
	if created && a.cfg.APIKey == "" {
		fmt.Fprintf(stderr, "bootstrap API key: %s\n", key)
	}
	if err := a.start(); err != nil {
		return err
	}
	// Past the cap the connection waiting longest for a request is closed
	// for each newcomer: idle sockets cannot crowd out a health check or a
	// sender, nor take every file descriptor.
	conns := connlimit.New(ln, a.cfg.MaxConnections, a.log)
	a.conns.Store(conns)
	a.metrics.Connections(conns.Open, func() uint64 { return conns.Shed() + conns.Refused() })
	srv := &http.Server{
		Handler:           a.routes(),
		ConnState:         conns.ConnState,
		ReadHeaderTimeout: a.cfg.Timeouts.ReadHeader,
		MaxHeaderBytes:    maxHeaderBytes,
		ReadTimeout:       a.cfg.Timeouts.Read,
		IdleTimeout:       a.cfg.Timeouts.Idle,
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	a.log.Info("serving", "addr", ln.Addr().String(), "database", a.db.Dialect, "max_connections", conns.Cap(),
		"console", a.cfg.PublicURL+"/", "graphiql", a.cfg.PublicURL+"/graphiql/", "api", a.cfg.PublicURL+"/query")
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(conns) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serving: %w", err)
	case <-ctx.Done():
	}
	a.log.Info("shutting down")
	// The workers stop claiming now and finish their work in flight while
	// the requests drain: what requests still commit is durable and gets
	// worked on after the restart.
	if a.stopWork != nil {
		a.stopWork()
	}
	// Live-tail sockets outlive net/http's Shutdown: told "going away",
	// their clients reconnect at once, to a server that runs.
	a.sockets.GoingAway("server shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), a.cfg.Timeouts.ShutdownGrace)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		// Requests still running after the bound are cut off unanswered:
		// nothing they did was acknowledged. That is the bounded stop the
		// contract promises, not a failure.
		a.log.Warn("shutdown: closing connections still open after the grace period", "err", err)
		_ = srv.Close()
	}
	a.sockets.GoingAway("server shutting down") // any upgraded meanwhile
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serving: %w", err)
	}
	return nil
}

// routes is the HTTP surface of CONTRACT.md §2.
func (a *app) routes() http.Handler {
	schema := graph.NewSchema(&graph.Resolver{
		Read: a.db.Read, Dialect: a.db.Dialect, Webhooks: a.hooks, CRM: a.crm, Flows: a.flows, Tail: a.tail,
		Working: a.working, Now: time.Now,
	})
	gql := graph.NewHandler(schema, graph.HandlerOptions{
		Log: a.log, Write: a.db.Write, InitFunc: a.auth.WebsocketInit, KeepAlive: a.cfg.Timeouts.WebSocketKeepAlive,
		InitTimeout: a.cfg.Timeouts.WebSocketInit, Allow: a.auth.AllowSubscription, Sockets: a.sockets,
	})
	mux := http.NewServeMux()
	mux.Handle("/query", cors(a.auth.Middleware(a.log, gql)))
	mux.Handle("/in/{token}", a.inbound())
	if a.cfg.Metrics {
		mux.Handle("GET /metrics", a.metrics.Handler())
	}
	gq := graphiql.Handler()
	mux.Handle("GET /graphiql", gq)
	mux.Handle("GET /graphiql/", gq)
	ui := console.Handler()
	mux.Handle("GET /{$}", ui)
	mux.Handle("GET /assets/", ui)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		_, _ = io.WriteString(w, "ok\n")
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), a.cfg.Timeouts.Readiness)
		defer cancel()
		w.Header().Set("Content-Type", "text/plain")
		if err := a.db.Ping(ctx); err != nil {
			a.log.Warn("not ready", "err", err)
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = io.WriteString(w, "database unreachable\n")
			return
		}
		_, _ = io.WriteString(w, "ready\n")
	})
	return limitHeaders(mux)
}

// limitHeaders answers 431 to a request whose headers are over
// inbound.MaxHeaderBytes, except an inbound webhook's, whose handler
// answers it and logs it.
func limitHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, "/in/") && inbound.HeaderBytes(r) > inbound.MaxHeaderBytes {
			http.Error(w, "request headers too large", http.StatusRequestHeaderFieldsTooLarge)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// inbound is the POST /in/{token} handler.
func (a *app) inbound() http.Handler {
	return inbound.New(inbound.Config{
		MaxBytes:       a.cfg.InboundMaxBytes,
		PublicURL:      a.cfg.PublicURL,
		Retention:      a.cfg.Retention,
		RefusedLogRate: a.cfg.RefusedLogRate,
	}, inbound.Deps{
		Cache:     a.hookCache,
		Writer:    a.db.Writer,
		Verifiers: a.hooks,
		Contacts:  a.crm,
		Locks:     a.db,
		Dialect:   a.db.Dialect,
		Observer:  a.metrics,
		Tail:      a.feed,
		Log:       a.log,
		Now:       time.Now,
	})
}

// cors lets browser apps on any origin call the API. Credentials are bearer
// keys, never cookies, so allowing every origin exposes nothing.
func cors(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Access-Control-Allow-Origin", "*")
		if r.Method == http.MethodOptions {
			h.Set("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
			h.Set("Access-Control-Allow-Headers", "Authorization, Content-Type")
			h.Set("Access-Control-Max-Age", "86400")
			w.WriteHeader(http.StatusNoContent)
			return
		}
		next.ServeHTTP(w, r)
	})
}
