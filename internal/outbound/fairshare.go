package outbound

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"entgo.io/ent/dialect/sql"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/delivery"
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/ent/webhook"
	"github.com/wexio/webhooks/internal/store"
)

// A claim shares the workers out among webhooks (shareDue): each webhook
// gets at most its max_concurrency attempts in flight, one in event order
// when it is ordered, started no faster than its rate limit. Where one
// process dispatches, it leases up to twice that, and the gate holds the
// attempts to the share (shareLookahead). A webhook at
// its share is skipped, not claimed and parked: its deliveries stay due
// and unleased, and the claim looks past them (up to maxShareRounds
// windows) for other webhooks' deliveries. So one receiver that hangs
// until the timeout holds its 16 workers, not all of them.
//
// Waiting for a share is not an attempt: nothing of the delivery changes.
// The claim loop looks again when an attempt is recorded (the recorder
// notifies it) and when a rate-limited webhook it left deliveries to gets
// its next turn (claimNotes).
//
// With several servers the shares are global: the claim locks the
// webhooks it takes from (FOR UPDATE, in id order, so claims never
// deadlock) before counting their attempts in flight, so two claims cannot
// both take a webhook's last free place.

// shareLookahead is how many times its share a claim may lease a webhook
// where one process dispatches (SQLite: the claim does not lock rows): its
// attempts beyond the share wait at that process's gate, which holds the
// share (gate). Where several servers dispatch, each has its own gate, and
// a claim leases no more than the share.
const shareLookahead = 2

// maxShareRounds bounds the windows one claim reads past webhooks at their
// share: each round excludes the webhooks the previous ones filled.
const maxShareRounds = 4

// firstWindow is the first round's window.
const firstWindow = 64

// rateBurst is how far ahead of its steady pace a rate-limited webhook may
// start attempts (GCRA's tolerance, a token bucket's size): half a
// second's worth. It lets a claim take a few at once rather than wake for
// each, and a claim loop woken late (a busy machine) catch up on what it
// missed, while ten seconds hold at most 5% more than the rate.
const rateBurst = 500 * time.Millisecond

// share is one webhook's place in a claim.
type share struct {
	id       pulid.ID
	max      int       // attempts in flight at most
	ordered  bool      // one at a time, the oldest pending first
	rate     *int      // attempts a second at most; nil: no limit
	next     time.Time // rate: the earliest the next attempt may start
	inFlight int
	full     bool // takes nothing more in this claim
	paced    bool // next moved: written back
	waiting  bool // a due delivery of it waits for its next turn
}

// take reports whether one more delivery of s may be claimed at now, and
// counts it when it may.
func (s *share) take(now time.Time) bool {
	if s.full {
		return false
	}
	if s.inFlight >= s.max {
		s.full = true
		return false
	}
	if s.rate != nil {
		if s.next.After(now) {
			s.full, s.waiting = true, true
			return false
		}
		// GCRA: the theoretical arrival time moves one interval past the
		// later of itself and now; the next start may be rateBurst early.
		interval := time.Second / time.Duration(max(*s.rate, 1))
		tat := s.next.Add(rateBurst)
		tat = later(tat, now).Add(interval)
		s.next, s.paced = tat.Add(-rateBurst), true
	}
	s.inFlight++
	return true
}

// sharing is one claim's view of the webhooks it takes from.
type sharing struct {
	c      *ent.Client
	now    time.Time
	lock   bool
	shares map[pulid.ID]*share
	taken  []pulid.ID
	rows   map[pulid.ID]*ent.Delivery // those of taken read as candidates, as an attempt reads them
	// dialect is the store's SQL dialect, for the queries written out.
	dialect string
	notes   *claimNotes
	// read is how far the rounds have read the unleased due rows, in due
	// order then creation order: every row before it was taken or is of a
	// webhook that takes nothing more, so the next round starts after it
	// rather than reading those rows again.
	read *ent.Delivery
}

// shareDue is Deliveries' Due: up to limit due deliveries, expired leases
// first, shared out among their webhooks.
func shareDue(ctx context.Context, c *ent.Client, now time.Time, limit int, lock bool) ([]pulid.ID, error) {
	cl := claimOf(ctx)
	if cl == nil || cl.dialect == "" {
		return nil, errors.New("claiming deliveries outside a claim of NewClaimer's: its SQL dialect is unknown")
	}
	notes := cl.notes
	s := &sharing{c: c, now: now, lock: lock, shares: map[pulid.ID]*share{}, notes: notes,
		rows: map[pulid.ID]*ent.Delivery{}, dialect: cl.dialect}
	for round := 0; round < maxShareRounds && len(s.taken) < limit; round++ {
		window := limit - len(s.taken)
		if round == 0 {
			// A small first look: the oldest due deliveries are often a
			// hung webhook's backlog, read again by every claim.
			window = min(window, firstWindow)
		}
		past := s.anyFull()
		if past && !notes.mayLookPast() {
			// Looked again soon, not only at the next poll: others'
			// retries may have come due since the last look.
			notes.wakeAt(s.now.Add(notes.lookPastIn()))
			break
		}
		read, err := s.round(ctx, window, round == 0)
		if err != nil {
			return nil, err
		}
		if past {
			// Others are there when the read found some, or when the
			// webhooks it read past are more than one (all full now).
			notes.lookedPast(read > 0 || len(s.shares) > 1)
		}
		more := read == window
		if !more {
			break
		}
	}
	if err := s.pace(ctx); err != nil {
		return nil, err
	}
	cl.taken = s.rows
	for _, sh := range s.shares {
		if sh != nil && sh.waiting {
			notes.wakeAt(sh.next)
		}
	}
	return s.taken, nil
}

// anyFull reports whether a webhook read so far takes no more.
func (s *sharing) anyFull() bool {
	for _, sh := range s.shares {
		if sh != nil && sh.full {
			return true
		}
	}
	return false
}

// lookPastEvery and lookPastAtMost bound how often a claimer reads past
// the due deliveries of webhooks at their share when the last look found
// nobody else's and no delivery was created since: that read walks the
// full webhooks' whole due backlog (10 ms for 40,000 rows), and a webhook
// alone with such a backlog would pay it on every claim. Each look that
// finds nobody doubles the wait, from lookPastEvery up to lookPastAtMost;
// a look that finds others, or a delivery created, brings it back. Others'
// retries coming due wait lookPastAtMost at most.
const (
	lookPastEvery  = 100 * time.Millisecond
	lookPastAtMost = 1600 * time.Millisecond
)

// claimNotes is what one claimer's claims tell each other and the claim
// loop. It rides the claim's context from the claimer (claim): the lease
// table is the store's, and shared. A nil *claimNotes notes
// nothing and always looks past.
type claimNotes struct {
	mu     sync.Mutex
	wake   time.Time     // the earliest next turn of a rate-limited webhook left waiting
	looked time.Time     // when a claim last read past full webhooks
	every  time.Duration // how long after that it looks again (0: lookPastEvery)
	others bool          // and found others' deliveries there
	fresh  bool          // deliveries were created since (Notify)
	// finished counts a webhook's attempts made by this process, their
	// leases live until their rows commit (Dispatcher.awaiting).
	finished func(pulid.ID) int
}

// notInFlight is how many of webhook id's live leases are attempts this
// process has made and is recording.
func (n *claimNotes) notInFlight(id pulid.ID) int {
	if n == nil {
		return 0
	}
	n.mu.Lock()
	f := n.finished
	n.mu.Unlock()
	if f == nil {
		return 0
	}
	return f(id)
}

// mayLookPast reports whether a claim should read past full webhooks.
func (n *claimNotes) mayLookPast() bool {
	if n == nil {
		return true
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.others || n.fresh || time.Since(n.looked) >= max(n.every, lookPastEvery)
}

// lookedPast notes a read past full webhooks and whether it found others.
func (n *claimNotes) lookedPast(others bool) {
	if n == nil {
		return
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	switch {
	case others || n.fresh:
		n.every = lookPastEvery
	default:
		n.every = min(2*max(n.every, lookPastEvery/2), lookPastAtMost)
	}
	n.looked, n.others, n.fresh = time.Now(), others, false
}

// lookPastIn is how long until the next look past full webhooks.
func (n *claimNotes) lookPastIn() time.Duration {
	n.mu.Lock()
	defer n.mu.Unlock()
	return max(max(n.every, lookPastEvery)-time.Since(n.looked), time.Millisecond)
}

// created notes that deliveries were created.
func (n *claimNotes) created() {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.fresh = true
}

// wakeAt notes a rate-limited webhook's next turn.
func (n *claimNotes) wakeAt(at time.Time) {
	if n == nil {
		return
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.wake.IsZero() || at.Before(n.wake) {
		n.wake = at
	}
}

// takeWake returns the turn noted and forgets it.
func (n *claimNotes) takeWake() time.Time {
	n.mu.Lock()
	defer n.mu.Unlock()
	at := n.wake
	n.wake = time.Time{}
	return at
}

// round reads one window of due deliveries past those taken and the
// webhooks that are full, and takes what the shares allow; it returns how
// many it read: fewer than window when it read every delivery due.
func (s *sharing) round(ctx context.Context, window int, first bool) (read int, err error) {
	cands, err := s.candidates(ctx, window, first)
	if err != nil {
		return 0, err
	}
	if err := s.load(ctx, cands); err != nil {
		return 0, err
	}
	for _, d := range cands {
		sh := s.shares[d.WebhookID]
		switch {
		case sh == nil: // deleted meanwhile, or not ACTIVE
		case sh.ordered:
			// Its head is taken, if it may be, whatever the window holds:
			// the later deliveries are often due before a head waiting
			// for its retry.
			if err := s.takeHead(ctx, sh); err != nil {
				return 0, err
			}
		case sh.take(s.now):
			s.taken, s.rows[d.ID] = append(s.taken, d.ID), d
		}
	}
	return len(cands), nil
}

// candidates reads up to window due deliveries not read yet and not of a
// full webhook: in the first round those whose lease ran out first (their
// worker died, rarely), then those never leased, in due order then
// creation order. Whether their webhooks are ACTIVE is load's to say: one
// read of each webhook per claim, not a lookup per row.
func (s *sharing) candidates(ctx context.Context, window int, first bool) ([]*ent.Delivery, error) {
	var full []any
	for id, sh := range s.shares {
		if sh == nil || sh.full {
			full = append(full, id)
		}
	}
	var expired []*ent.Delivery
	if first {
		var err error
		if expired, err = s.dueRows(ctx, true, window, full); err != nil {
			return nil, fmt.Errorf("reading expired leases: %w", err)
		}
		if len(expired) == window {
			return expired, nil
		}
	}
	fresh, err := s.dueRows(ctx, false, window-len(expired), full)
	if err != nil {
		return nil, fmt.Errorf("reading due deliveries: %w", err)
	}
	if len(fresh) > 0 {
		s.read = fresh[len(fresh)-1]
	}
	return append(expired, fresh...), nil
}

// dueRows reads up to limit due deliveries but those of the webhooks full:
// with leased, those whose lease ran out; without, those never leased past
// the last read, in due order then creation order. Each is read as an
// attempt reads it (attemptColumns but the lease's, and next_attempt_at),
// so that the rows taken need no second read after the claim
// (loadDeliveries). Written out and scanned directly, not through ent's
// query, whose scan of each column cost more than SQLite's read of it:
// with the read after the claim gone, the claim's reads fell from 15.3 to
// 12.9 µs a delivery (BenchmarkDispatch's profile, 2 runs of 100,000).
func (s *sharing) dueRows(ctx context.Context, leased bool, limit int, full []any) ([]*ent.Delivery, error) {
	t := sql.Table(delivery.Table)
	q := sql.Dialect(s.dialect).Select(t.C(delivery.FieldID), t.C(delivery.FieldWebhookID), t.C(delivery.FieldWorkspaceID),
		t.C(delivery.FieldEventID), t.C(delivery.FieldAttempts), t.C(delivery.FieldProbes), t.C(delivery.FieldProbe),
		t.C(delivery.FieldManual), t.C(delivery.FieldNextAttemptAt)).From(t)
	where := []*sql.Predicate{sql.EQ(t.C(delivery.FieldStatus), schematype.DeliveryPending), sql.LTE(t.C(delivery.FieldNextAttemptAt), s.now)}
	if leased {
		where = append(where, sql.LT(t.C(delivery.FieldClaimedUntil), s.now))
	} else {
		where = append(where, sql.IsNull(t.C(delivery.FieldClaimedUntil)))
		if r := s.read; r != nil {
			// (next_attempt_at, id) > the last read: a range of the due
			// index, on SQLite and PostgreSQL both.
			where = append(where, sql.CompositeGT([]string{t.C(delivery.FieldNextAttemptAt), t.C(delivery.FieldID)},
				*r.NextAttemptAt, r.ID))
		}
		q.OrderBy(t.C(delivery.FieldNextAttemptAt), t.C(delivery.FieldID))
	}
	if len(full) > 0 {
		where = append(where, sql.NotIn(t.C(delivery.FieldWebhookID), full...))
	}
	q.Where(sql.And(where...)).Limit(limit)
	if s.lock {
		q.ForUpdate(sql.WithLockAction(sql.SkipLocked))
	}
	query, args := q.Query()
	rows, err := s.c.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*ent.Delivery
	for rows.Next() {
		d := &ent.Delivery{Status: schematype.DeliveryPending}
		var next time.Time
		if err := rows.Scan(&d.ID, &d.WebhookID, &d.WorkspaceID, &d.EventID, &d.Attempts, &d.Probes, &d.Probe, &d.Manual,
			&next); err != nil {
			return nil, err
		}
		d.NextAttemptAt = &next
		out = append(out, d)
	}
	return out, rows.Err()
}

// load reads the shares of the webhooks of cands not read yet: their
// settings, locked against other claims where rows lock, and then their
// attempts in flight (live leases).
func (s *sharing) load(ctx context.Context, cands []*ent.Delivery) error {
	var ids []pulid.ID
	for _, d := range cands {
		if _, ok := s.shares[d.WebhookID]; !ok {
			s.shares[d.WebhookID] = nil
			ids = append(ids, d.WebhookID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	// A PAUSED or DISABLED webhook's deliveries are held, with no due time
	// (outbox.Deliver, webhooks.SetStatus): only one rescheduled by an
	// attempt in flight when it was paused is read here, and left.
	q := s.c.Webhook.Query().Where(webhook.IDIn(ids...), webhook.StatusEQ(schematype.WebhookActive)).Order(webhook.ByID()).
		Select(webhook.FieldID, webhook.FieldMaxConcurrency, webhook.FieldOrdered,
			webhook.FieldRateLimitPerSecond, webhook.FieldRateNextAt)
	if s.lock {
		q.ForUpdate()
	}
	hooks, err := q.All(ctx)
	if err != nil {
		return fmt.Errorf("reading the shares of %d webhooks: %w", len(ids), err)
	}
	for _, w := range hooks {
		sh := &share{id: w.ID, max: max(w.MaxConcurrency, 1), ordered: w.Ordered, rate: w.RateLimitPerSecond}
		switch {
		case sh.ordered:
			sh.max = 1
		case !s.lock:
			sh.max *= shareLookahead
		}
		if w.RateNextAt != nil {
			sh.next = *w.RateNextAt
		}
		s.shares[w.ID] = sh
	}
	var counts []struct {
		WebhookID pulid.ID `json:"webhook_id"`
		Count     int      `json:"count"`
	}
	// Every live lease, on the due index (claimed_until, next_attempt_at):
	// the rows in flight, a few hundred. Naming the webhooks would lead
	// SQLite to their (webhook_id, status) rows: their whole backlogs.
	err = s.c.Delivery.Query().Where(delivery.ClaimedUntilGTE(s.now), delivery.NextAttemptAtNotNil()).
		GroupBy(delivery.FieldWebhookID).Aggregate(ent.Count()).Scan(ctx, &counts)
	if err != nil {
		return fmt.Errorf("counting attempts in flight: %w", err)
	}
	for _, n := range counts {
		if sh := s.shares[n.WebhookID]; sh != nil {
			sh.inFlight = n.Count
			if !s.lock {
				sh.inFlight = max(n.Count-s.notes.notInFlight(n.WebhookID), 0)
			}
		}
	}
	return nil
}

// takeHead takes ordered webhook sh's head, its oldest pending delivery,
// when it is due, unleased (or its lease ran out) and none of sh's is in
// flight; either way sh is full for the rest of the claim. The head is
// found unlocked, then locked skipping a lock another claim holds (it read
// the head in its window): waiting for it could deadlock with that claim
// waiting for sh's row, and skipping to the next row would break the order.
func (s *sharing) takeHead(ctx context.Context, sh *share) error {
	if sh.full {
		return nil
	}
	defer func() { sh.full = true }()
	if sh.inFlight > 0 {
		return nil
	}
	head, err := s.c.Delivery.Query().Where(delivery.WebhookID(sh.id), delivery.StatusEQ(schematype.DeliveryPending)).
		Order(delivery.ByID()).FirstID(ctx)
	if ent.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("finding the first pending delivery of ordered webhook %s: %w", sh.id, err)
	}
	q := s.c.Delivery.Query().Where(delivery.ID(head), delivery.StatusEQ(schematype.DeliveryPending))
	heads, err := store.LockIf(q, s.lock).Select(delivery.FieldID, delivery.FieldNextAttemptAt, delivery.FieldClaimedUntil).All(ctx)
	if err != nil {
		return fmt.Errorf("locking the first pending delivery of ordered webhook %s: %w", sh.id, err)
	}
	if len(heads) == 0 {
		return nil // locked by another claim, or finished meanwhile: next time
	}
	h := heads[0]
	due := h.NextAttemptAt != nil && !h.NextAttemptAt.After(s.now)
	free := h.ClaimedUntil == nil || h.ClaimedUntil.Before(s.now)
	if due && free && !slices.Contains(s.taken, h.ID) && sh.take(s.now) {
		s.taken = append(s.taken, h.ID)
	}
	return nil
}

// pace writes back the rate-limited webhooks' next turn. Not as an ent
// mutation: the pace is the claim's own state, and the webhook hooks would
// take each claim for a change of the webhook (cache invalidations, a new
// updated_at). $n placeholders are PostgreSQL's and SQLite's both.
func (s *sharing) pace(ctx context.Context) error {
	for _, sh := range s.shares {
		if sh == nil || !sh.paced {
			continue
		}
		_, err := s.c.ExecContext(ctx, `UPDATE webhooks SET rate_next_at = $1 WHERE id = $2`, sh.next.UTC(), string(sh.id))
		if err != nil {
			return fmt.Errorf("pacing webhook %s: %w", sh.id, err)
		}
	}
	return nil
}
