package postgres

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/wexio/webhooks/internal/store"
)

// channel is the one LISTEN/NOTIFY channel every server uses (its format:
// store.NotifyChannel).
const channel = store.NotifyChannel

// maxPayload keeps a merged notification under PostgreSQL's 8000 bytes,
// with room for the sender and topic.
const maxPayload = 7900

// notifier is the store.Notifier of servers sharing a database: listeners
// in this process hear a notification at once, the other servers through
// NOTIFY. Notifications are coalesced before they are sent (a batch of 256
// commits making deliveries due is one NOTIFY, not 256: NOTIFY takes a
// lock that serialises commits), and a server that lost its LISTEN
// connection wakes all its listeners when it is back, since it may have
// missed some; polling covers the rest.
type notifier struct {
	local *store.Local
	id    string // this process's, to skip its own notifications
	db    *sql.DB
	log   *slog.Logger

	mu      sync.Mutex
	pending map[store.Topic][]string // payloads not yet sent, in order
	kick    chan struct{}

	cancel context.CancelFunc
	done   sync.WaitGroup
}

var _ store.Notifier = (*notifier)(nil)

// newNotifier starts sending and listening; the LISTEN connection is made
// before it returns, so a notification sent once Open has returned reaches
// this server.
func newNotifier(ctx context.Context, cfg *pgx.ConnConfig, db *sql.DB, log *slog.Logger) (*notifier, error) {
	var b [8]byte
	_, _ = rand.Read(b[:])
	n := &notifier{local: store.NewLocal(), id: hex.EncodeToString(b[:]), db: db, log: log,
		pending: map[store.Topic][]string{}, kick: make(chan struct{}, 1)}
	conn, err := listen(ctx, cfg)
	if err != nil {
		return nil, err
	}
	runCtx, cancel := context.WithCancel(context.Background())
	n.cancel = cancel
	n.done.Add(2)
	go func() { defer n.done.Done(); n.send(runCtx) }()
	go func() { defer n.done.Done(); n.receive(runCtx, cfg, conn) }()
	return n, nil
}

// Notify implements store.Notifier.
func (n *notifier) Notify(topic store.Topic, payload string) {
	n.local.Notify(topic, payload)
	n.mu.Lock()
	ps := n.pending[topic]
	if payload != "" || len(ps) == 0 || ps[len(ps)-1] != "" {
		n.pending[topic] = append(ps, payload)
	}
	n.mu.Unlock()
	select {
	case n.kick <- struct{}{}:
	default:
	}
}

// Listen implements store.Notifier.
func (n *notifier) Listen(topic store.Topic, fn func(string)) (stop func()) {
	return n.local.Listen(topic, fn)
}

// send sends what is pending: per topic, the payloads merged in order
// into as few notifications as fit.
func (n *notifier) send(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-n.kick:
		}
		n.mu.Lock()
		batch := n.pending
		n.pending = map[store.Topic][]string{}
		n.mu.Unlock()
		for topic, payloads := range batch {
			for _, p := range merge(payloads) {
				msg := n.id + " " + string(topic) + " " + p
				if _, err := n.db.ExecContext(ctx, "SELECT pg_notify($1, $2)", channel, msg); err != nil && ctx.Err() == nil {
					// Wake-ups are polled for as well; a lost log
					// notification costs live-tail frames, not rows.
					n.log.Warn("sending a notification to the other servers", "topic", topic, "err", err)
				}
			}
		}
	}
}

// merge joins payloads with ';' into notifications of at most maxPayload
// bytes (an item longer than that goes alone), dropping empty ones but
// for one: a wake-up.
func merge(payloads []string) []string {
	var out []string
	var cur strings.Builder
	empty := false
	for _, p := range payloads {
		switch {
		case p == "":
			empty = true
			continue
		case cur.Len() > 0 && cur.Len()+1+len(p) > maxPayload:
			out = append(out, cur.String())
			cur.Reset()
		}
		if cur.Len() > 0 {
			cur.WriteByte(';')
		}
		cur.WriteString(p)
	}
	if cur.Len() > 0 {
		out = append(out, cur.String())
	}
	if len(out) == 0 && empty {
		out = append(out, "")
	}
	return out
}

// listen opens a connection of its own and LISTENs on it.
func listen(ctx context.Context, cfg *pgx.ConnConfig) (*pgx.Conn, error) {
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return nil, err
	}
	if _, err := conn.Exec(ctx, "LISTEN "+channel); err != nil {
		_ = conn.Close(context.WithoutCancel(ctx))
		return nil, err
	}
	return conn, nil
}

// receive hands the other servers' notifications to this process's
// listeners, reconnecting when the connection is lost.
func (n *notifier) receive(ctx context.Context, cfg *pgx.ConnConfig, conn *pgx.Conn) {
	wait := 100 * time.Millisecond
	for ctx.Err() == nil {
		if conn == nil {
			var err error
			if conn, err = listen(ctx, cfg); err != nil {
				if ctx.Err() == nil {
					n.log.Warn("listening for the other servers' notifications", "err", err)
				}
				select {
				case <-ctx.Done():
				case <-time.After(wait):
				}
				wait = min(2*wait, 5*time.Second)
				continue
			}
			wait = 100 * time.Millisecond
			n.missedSome()
		}
		msg, err := conn.WaitForNotification(ctx)
		if err != nil {
			_ = conn.Close(context.Background())
			conn = nil
			continue
		}
		from, rest, _ := strings.Cut(msg.Payload, " ")
		topic, payload, _ := strings.Cut(rest, " ")
		if from != n.id {
			n.local.Notify(store.Topic(topic), payload)
		}
	}
	if conn != nil {
		_ = conn.Close(context.Background())
	}
}

// missedSome wakes every listener: notifications sent while this server
// was not listening are lost, and what they said may have happened.
func (n *notifier) missedSome() {
	for _, t := range []store.Topic{store.Deliveries, store.FlowRuns, store.Config} {
		n.local.Notify(t, "")
	}
}

func (n *notifier) close() {
	n.cancel()
	n.done.Wait()
}
