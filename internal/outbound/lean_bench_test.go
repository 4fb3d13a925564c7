package outbound_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3" // the driver, by its own name: no store in between

	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/internal/events"
	"github.com/wexio/webhooks/internal/groupcommit"
	"github.com/wexio/webhooks/internal/outbound"
	"github.com/wexio/webhooks/internal/redact"
	"github.com/wexio/webhooks/internal/signing"
	"github.com/wexio/webhooks/internal/webhooks"
)

// leanSynchronous is the lean dispatcher's SQLite synchronous mode: FULL,
// our server's default (WEXIO_SQLITE_SYNCHRONOUS) and the dispatcher
// sub-benchmark's, so the two compare like for like. The issue measured
// its inbound baseline with NORMAL (no fsync of the WAL at each commit);
// set it here to compare. (On the 2-core development machine the two were
// within the runs' noise: the recorder commits about once per 40
// deliveries, an fsync there takes ~0.2 ms, and the senders keep both
// cores busy meanwhile.)
const leanSynchronous = "FULL"

const (
	leanBatch   = 256 // rows leased per claim, and attempts per commit
	leanSenders = 32
)

// leanJob is a leased delivery, with its event when the run reads events;
// leanResult is one attempt at it, encoded by its sender so that the
// recorder only binds.
type leanJob struct {
	id, eventID, webhookID string
	attempts               int
	event                  *events.Envelope // nil: the constant body
}

type leanResult struct {
	job                        leanJob
	id                         string // the attempt row's
	at                         time.Time
	took                       time.Duration
	status                     int    // 0: no answer
	reqHeaders, respHeaders    []byte // with contract: the whole messages (schematype.HTTPMessage)
	reqBody, respBody, outcome string
}

// benchLean is a lean dispatcher of the same design as ours in plain SQL on
// one SQLite connection: a claimer leasing leanBatch due rows per UPDATE …
// RETURNING, leanSenders senders signing like Standard Webhooks, one
// recorder committing up to leanBatch attempts per transaction (the attempt
// row with its headers and answer, and the delivery's new status). It is a
// baseline for what our layers (ent, the group-commit writer, the work
// queue, shares) cost, not product code: one webhook, no retries to speak of,
// no lease expiry, no live tail.
//
// With readEvents, each delivery's event is a row of its own (type, time,
// data), read by the claimer through a read pool of its own after each
// lease, as ours reads the events it sends; without, every attempt sends
// the same constant body and nothing is read: the baseline.
//
// With contract (which implies events), the tables also carry what the
// contract promises to show and query, and nothing more: each attempt row
// as the history shows it (the contract's WebhookLog: the request and the
// answer as whole messages with method and URL, the error, the attempt's
// number, the next retry) with its workspace, event and direction; the
// indexes the history, a delivery's attempts, replays and retention query
// by, and the hourly counters behind totalCount, kept one upsert per batch
// (leanContractSchema). No fair shares, no ordering, no health, no live
// tail: an upper bound for any dispatcher that keeps the contract, on
// this design. With oursRows as well, the rows are stored as ours are:
// times as the driver's text, created and updated times, and our foreign
// keys (those of ent/schema). With shares, claims share out among
// webhooks (leanClaimShared).
func benchLean(b *testing.B, url string, o leanOpts) {
	o.events = o.events || o.contract
	file := "file:" + filepath.Join(b.TempDir(), "lean.db")
	dsn := file + "?_journal_mode=WAL&_busy_timeout=10000&_synchronous=" + leanSynchronous
	if o.oursRows {
		dsn += "&_foreign_keys=on"
	}
	db, err := sql.Open("sqlite3", dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1) // claimer and recorder take turns, as at our writer
	for _, q := range o.schema() {
		if _, err := db.Exec(q); err != nil {
			b.Fatal(err)
		}
	}
	seedLean(b, db, b.N, o)
	var read *sql.DB // the events' read pool
	if o.events {
		if read, err = sql.Open("sqlite3", file+"?_busy_timeout=10000&mode=ro"); err != nil {
			b.Fatal(err)
		}
		defer read.Close()
	}
	secrets := []string{testSecret(3)}
	occurred := time.Now() // every event's; all carry benchData
	// Sized as the plain client's; the timeout is our default per attempt.
	client := &http.Client{Timeout: 15 * time.Second,
		Transport: &http.Transport{MaxIdleConns: 256, MaxIdleConnsPerHost: 64}}

	ctx, cancel := context.WithCancel(context.Background())
	jobs := make(chan leanJob, leanBatch)
	results := make(chan *leanResult, leanBatch)
	wake := make(chan struct{}, 1) // the recorder committed: something may be due
	done := make(chan struct{})    // all b.N rows committed, or the run failed
	var once sync.Once
	finish := func(err error) {
		if err != nil {
			b.Error(err)
		}
		once.Do(func() { close(done) })
	}

	b.ResetTimer()
	reportCPU := startCPU(b)
	go func() { // the claimer
		defer close(jobs)
		for ctx.Err() == nil {
			now := time.Now().UnixMilli()
			claim := leanClaim
			if o.shares {
				claim = leanClaimShared
			}
			claimed, err := claim(ctx, db, o, now, now+10*time.Minute.Milliseconds(), pulid.New("clm"))
			if err == nil && read != nil && len(claimed) > 0 {
				err = leanEvents(ctx, read, claimed)
			}
			if err != nil {
				if ctx.Err() == nil { // not the end of the run
					finish(err)
				}
				return
			}
			if len(claimed) == 0 { // nothing due: wait for a commit, or poll as ours
				select {
				case <-wake:
				case <-time.After(time.Second):
				case <-ctx.Done():
				}
			}
			for _, j := range claimed { // a full channel holds the claimer here
				select {
				case jobs <- j:
				case <-ctx.Done():
					return
				}
			}
		}
	}()
	var senders sync.WaitGroup
	for range leanSenders {
		senders.Go(func() {
			for j := range jobs {
				results <- leanSend(client, url, secrets, j, occurred, o)
			}
		})
	}
	recorded := make(chan struct{})
	go func() { // the recorder
		defer close(recorded)
		n := 0
		for r := range results {
			batch := groupcommit.Gather([]*leanResult{r}, results, leanBatch) // what arrived meanwhile, as ours
			if err := leanRecord(db, batch, o); err != nil {
				finish(err)
				continue
			}
			select {
			case wake <- struct{}{}:
			default:
			}
			if n += len(batch); n >= b.N {
				finish(nil)
			}
		}
	}()
	<-done
	b.StopTimer()
	reportCPU()
	cancel()
	senders.Wait()
	close(results)
	<-recorded
	// Each delivery attempted once and finished: what was timed is real.
	var attempts, finished int
	if err := db.QueryRow(`SELECT (SELECT count(*) FROM attempts),
		(SELECT count(*) FROM deliveries WHERE status = 'SUCCEEDED' AND attempts = 1 AND next_attempt_at IS NULL)`).
		Scan(&attempts, &finished); err != nil || attempts != b.N || finished != b.N {
		b.Fatalf("%d attempt rows and %d deliveries finished of %d (%v)", attempts, finished, b.N, err)
	}
	if o.oursRows { // the foreign keys held, checked at every insert
		var on int
		if err := db.QueryRow(`PRAGMA foreign_keys`).Scan(&on); err != nil || on != 1 {
			b.Fatalf("foreign keys %d (%v)", on, err)
		}
	}
	if o.contract {
		var counted int
		if err := db.QueryRow(`SELECT coalesce(sum(n), 0) FROM log_counts`).Scan(&counted); err != nil || counted != b.N {
			b.Fatalf("counters say %d attempts of %d (%v)", counted, b.N, err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "deliveries/s")
}

// seedLean writes n pending deliveries due now, in one transaction, and
// with events their events (first: the deliveries' foreign keys point at
// them).
func seedLean(b *testing.B, db *sql.DB, n int, o leanOpts) {
	tx, err := db.Begin()
	if err != nil {
		b.Fatal(err)
	}
	defer tx.Rollback() //nolint:errcheck // after Commit, a no-op
	now := time.Now().UnixMilli()
	for done := 0; done < n; {
		k := min(500, n-done)
		args := make([]any, 0, 6*k)
		evs := make([]any, 0, 4*k)
		row := ",(?, ?, ?, 'PENDING', 0, ?, NULL, NULL)"
		if o.oursRows {
			row = ",(?, ?, ?, 'PENDING', 0, ?, NULL, NULL, ?, ?)"
		}
		for range k {
			evt := string(pulid.New("evt"))
			args = append(args, string(pulid.New("dlv")), evt, leanWebhook, o.time(now))
			if o.oursRows {
				args = append(args, o.time(now), o.time(now))
			}
			evs = append(evs, evt, events.ContactCreated, o.time(now), benchData)
		}
		if o.events {
			if _, err := tx.Exec("INSERT INTO events VALUES "+strings.Repeat(",(?, ?, ?, ?)", k)[1:], evs...); err != nil {
				b.Fatal(err)
			}
		}
		if _, err := tx.Exec("INSERT INTO deliveries VALUES "+strings.Repeat(row, k)[1:], args...); err != nil {
			b.Fatal(err)
		}
		done += k
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
}

// leanOpts are the variants of benchLean.
type leanOpts struct {
	events   bool // each delivery's event read, as ours reads it
	contract bool // what the contract's reads need (implies events)
	oursRows bool // with contract: rows stored as ours are
	shares   bool // claims that share out among webhooks (leanClaimShared)
}

// Our time format: what mattn/go-sqlite3 writes for a time.Time, and reads
// back as one from a DATETIME column.
const leanTextTime = "2006-01-02 15:04:05.999999999-07:00"

// time is a time, in unix milliseconds, as the lean stores it: the
// milliseconds, or with oursRows the time itself (the driver writes it as
// our text).
func (o leanOpts) time(ms int64) any {
	if o.oursRows {
		return time.UnixMilli(ms).UTC()
	}
	return ms
}

// touched is what an UPDATE of a delivery also sets: with oursRows its
// updated_at, as ent's UpdateDefault does.
func (o leanOpts) touched() string {
	if !o.oursRows {
		return ""
	}
	return ", updated_at = '" + time.Now().UTC().Format(leanTextTime) + "'"
}

// schema is the lean tables. Times are unix milliseconds, or with oursRows
// our text. The due index is ours: only rows still to be attempted are in
// it.
func (o leanOpts) schema() []string {
	tt, ref := "INTEGER", func(string) string { return "" }
	if o.oursRows {
		tt, ref = "DATETIME", func(r string) string { return " REFERENCES " + r }
	}
	deliveries := `CREATE TABLE deliveries (id TEXT PRIMARY KEY, event_id TEXT NOT NULL` + ref("events (id)") +
		`, webhook_id TEXT NOT NULL` + ref("webhooks (id) ON DELETE CASCADE") + `,
		status TEXT NOT NULL, attempts INTEGER NOT NULL, next_attempt_at ` + tt + `, claimed_until ` + tt + `, claim_token TEXT`
	attempts := `CREATE TABLE attempts (id TEXT PRIMARY KEY, delivery_id TEXT NOT NULL` + ref("deliveries (id) ON DELETE SET NULL") +
		`, webhook_id TEXT NOT NULL` + ref("webhooks (id) ON DELETE CASCADE") + `,
		occurred_at ` + tt + ` NOT NULL, status_code INTEGER, duration_ms INTEGER NOT NULL, `
	if o.contract { // the history row as the contract shows it (WebhookLog)
		attempts += `request TEXT NOT NULL, response TEXT, outcome TEXT NOT NULL, error TEXT, attempt INTEGER,
			next_retry_at ` + tt + `, idempotency_key TEXT, contact_id TEXT, contact_resolution TEXT`
	} else {
		attempts += `request_headers TEXT NOT NULL, request_body TEXT NOT NULL, response_headers TEXT, response_body TEXT,
			outcome TEXT NOT NULL`
	}
	if o.oursRows {
		deliveries += `, created_at DATETIME NOT NULL, updated_at DATETIME NOT NULL`
	}
	if o.contract {
		attempts += `, workspace_id TEXT NOT NULL` + ref("workspaces (id)") + `, event_id TEXT` + ref("events (id) ON DELETE SET NULL") +
			`, direction TEXT NOT NULL`
	}
	q := []string{
		`CREATE TABLE workspaces (id TEXT PRIMARY KEY)`, `INSERT INTO workspaces VALUES ('` + leanWorkspace + `')`,
		`CREATE TABLE webhooks (id TEXT PRIMARY KEY, max_concurrency INTEGER NOT NULL)`,
		`INSERT INTO webhooks VALUES ('` + leanWebhook + `', ` + strconv.Itoa(2*webhooks.MaxConcurrencyLimit) + `)`,
		`CREATE TABLE events (id TEXT PRIMARY KEY, type TEXT NOT NULL, occurred_at ` + tt + ` NOT NULL, data BLOB NOT NULL)`,
		deliveries + `)`,
		`CREATE INDEX deliveries_due ON deliveries (claimed_until, next_attempt_at, id) WHERE next_attempt_at IS NOT NULL`,
		attempts + `)`,
	}
	if o.contract {
		q = append(q, leanContractSchema...)
	}
	return q
}

// leanContractSchema is what the contract's reads add to the lean tables,
// as our schema has it (ent/schema, history's counters), beside the
// attempt row's workspace, event and direction: the history is browsed
// per webhook and per workspace, newest first; a delivery's attempts are
// read by delivery, and retention finds an event's rows by event;
// deliveries are read per webhook by status (replays, an ordered webhook's
// head, the cascade of a webhook's deletion), fanned out once per (event,
// webhook), and a held webhook's rows are counted and released by the held
// index; totalCount sums hourly counters.
var leanContractSchema = []string{
	`CREATE INDEX attempts_webhook ON attempts (webhook_id, id)`,
	`CREATE INDEX attempts_workspace ON attempts (workspace_id, id)`,
	`CREATE INDEX attempts_delivery ON attempts (delivery_id) WHERE delivery_id IS NOT NULL`,
	`CREATE INDEX attempts_event ON attempts (event_id) WHERE event_id IS NOT NULL`,
	`CREATE UNIQUE INDEX deliveries_event_webhook ON deliveries (event_id, webhook_id)`,
	`CREATE INDEX deliveries_webhook_status ON deliveries (webhook_id, status, id)`,
	`CREATE INDEX deliveries_held ON deliveries (webhook_id, id) WHERE next_attempt_at IS NULL AND status = 'PENDING'`,
	`CREATE TABLE log_counts (workspace_id TEXT NOT NULL, webhook_id TEXT NOT NULL, direction TEXT NOT NULL,
		outcome TEXT NOT NULL, event_type TEXT NOT NULL, hour INTEGER NOT NULL, n INTEGER NOT NULL,
		PRIMARY KEY (workspace_id, hour, webhook_id, direction, outcome, event_type)) WITHOUT ROWID`,
}

// leanWorkspace and leanWebhook are the lean runs' one workspace and
// webhook.
const (
	leanWorkspace = "ws_lean"
	leanWebhook   = "wh_lean"
)

// leanClaim leases up to leanBatch unleased due rows, due order first.
func leanClaim(ctx context.Context, db *sql.DB, o leanOpts, now, until int64, token pulid.ID) ([]leanJob, error) {
	rows, err := db.QueryContext(ctx, `UPDATE deliveries SET claimed_until = ?, claim_token = ?`+o.touched()+`
		WHERE id IN (SELECT id FROM deliveries WHERE claimed_until IS NULL AND next_attempt_at <= ?
			ORDER BY next_attempt_at LIMIT ?)
		RETURNING id, event_id, webhook_id, attempts`, o.time(until), string(token), o.time(now), leanBatch)
	if err != nil {
		return nil, err
	}
	return scanJobs(rows)
}

// scanJobs reads the leased rows a lease's RETURNING gives, and closes
// rows.
func scanJobs(rows *sql.Rows) ([]leanJob, error) {
	defer rows.Close()
	var jobs []leanJob
	for rows.Next() {
		var j leanJob
		if err := rows.Scan(&j.id, &j.eventID, &j.webhookID, &j.attempts); err != nil {
			return nil, err
		}
		jobs = append(jobs, j)
	}
	return jobs, rows.Err()
}

// leanClaimShared claims as ours must to share out attempts among
// webhooks, the least of it: in one transaction, it reads the due rows'
// webhooks, each webhook's share and its attempts in flight (live leases,
// on the due index), takes what each may still have (one webhook here, of
// our benchmark's share: all of them), and leases those by id, returning
// them as leanClaim does. No rounds, no ordering, no rate limits.
func leanClaimShared(ctx context.Context, db *sql.DB, o leanOpts, now, until int64, token pulid.ID) ([]leanJob, error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback() //nolint:errcheck // after Commit, a no-op
	rows, err := tx.QueryContext(ctx, `SELECT id, webhook_id FROM deliveries
		WHERE status = 'PENDING' AND claimed_until IS NULL AND next_attempt_at <= ?
		ORDER BY next_attempt_at, id LIMIT ?`, o.time(now), leanBatch)
	if err != nil {
		return nil, err
	}
	type cand struct{ id, webhook string }
	var cands []cand
	room := map[string]int{}
	for rows.Next() {
		var c cand
		if err := rows.Scan(&c.id, &c.webhook); err != nil {
			rows.Close()
			return nil, err
		}
		cands, room[c.webhook] = append(cands, c), 0
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(cands) == 0 {
		return nil, err
	}
	hooks := make([]any, 0, len(room))
	for w := range room {
		hooks = append(hooks, w)
	}
	in := "(" + strings.Repeat(",?", len(hooks))[1:] + ")"
	if err := scanPairs(ctx, tx, func(w string, n int) { room[w] = n },
		`SELECT id, max_concurrency FROM webhooks WHERE id IN `+in, hooks...); err != nil {
		return nil, err
	}
	if err := scanPairs(ctx, tx, func(w string, n int) { room[w] -= n },
		`SELECT webhook_id, count(*) FROM deliveries WHERE claimed_until >= ? AND next_attempt_at IS NOT NULL
		GROUP BY webhook_id`, o.time(now)); err != nil {
		return nil, err
	}
	taken := make([]any, 0, len(cands))
	for _, c := range cands {
		if room[c.webhook] > 0 {
			taken, room[c.webhook] = append(taken, c.id), room[c.webhook]-1
		}
	}
	if len(taken) == 0 {
		return nil, tx.Commit()
	}
	rows, err = tx.QueryContext(ctx, `UPDATE deliveries SET claimed_until = ?, claim_token = ?`+o.touched()+`
		WHERE id IN (`+strings.Repeat(",?", len(taken))[1:]+`) RETURNING id, event_id, webhook_id, attempts`,
		append([]any{o.time(until), string(token)}, taken...)...)
	if err != nil {
		return nil, err
	}
	jobs, err := scanJobs(rows)
	if err != nil {
		return nil, err
	}
	return jobs, tx.Commit()
}

// scanPairs runs q and calls f with each row's text and count.
func scanPairs(ctx context.Context, tx *sql.Tx, f func(string, int), q string, args ...any) error {
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var k string
		var n int
		if err := rows.Scan(&k, &n); err != nil {
			return err
		}
		f(k, n)
	}
	return rows.Err()
}

// leanEvents reads the events of jobs, in one query.
func leanEvents(ctx context.Context, read *sql.DB, jobs []leanJob) error {
	byID := make(map[string]*leanJob, len(jobs))
	args := make([]any, len(jobs))
	for i := range jobs {
		byID[jobs[i].eventID], args[i] = &jobs[i], jobs[i].eventID
	}
	rows, err := read.QueryContext(ctx, "SELECT id, type, occurred_at, data FROM events WHERE id IN ("+
		strings.Repeat(",?", len(jobs))[1:]+")", args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var at any // unix milliseconds, or a time the driver read from our text
		ev := &events.Envelope{}
		if err := rows.Scan(&id, &ev.Type, &at, &ev.Data); err != nil {
			return err
		}
		switch at := at.(type) {
		case int64:
			ev.Timestamp = time.UnixMilli(at).UTC()
		case time.Time:
			ev.Timestamp = at
		default:
			return fmt.Errorf("event %s: time %T", id, at)
		}
		ev.ID = id
		if j := byID[id]; j != nil {
			j.event = ev
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for _, j := range jobs {
		if j.event == nil { // the body would be the constant one
			return fmt.Errorf("event %s of delivery %s not found", j.eventID, j.id)
		}
	}
	return nil
}

// leanSend makes one attempt as ours does: the envelope signed the
// Standard Webhooks way, the answer read up to what ours keeps, and the
// row's JSON encoded here, off the recorder. With contract, the request
// and the answer are encoded whole as the history shows them (method, URL,
// headers, body: schematype.HTTPMessage); without, their headers alone.
func leanSend(client *http.Client, url string, secrets []string, j leanJob, occurred time.Time, o leanOpts) *leanResult {
	r := &leanResult{job: j, id: string(pulid.New("log")), at: time.Now(), outcome: "FAILED"}
	ev := events.Envelope{ID: j.eventID, Type: events.ContactCreated, Timestamp: occurred, Data: benchData}
	if j.event != nil {
		ev = *j.event
	}
	body, _ := ev.Marshal()
	sig, _ := signing.Sign(secrets, j.eventID, r.at, body) // the secret is a valid one
	header := http.Header{"Content-Type": {"application/json"}, "User-Agent": {"wexio-webhooks/dev"},
		"Webhook-Id": {j.eventID}, "Webhook-Timestamp": {strconv.FormatInt(r.at.Unix(), 10)}, "Webhook-Signature": {sig}}
	redacted := redact.Headers(header, func(k string) bool { return k == "Webhook-Signature" })
	r.reqHeaders, _ = json.Marshal(redacted)
	r.reqBody = string(body)
	if o.contract {
		r.reqHeaders, _ = json.Marshal(schematype.HTTPMessage{Method: http.MethodPost, URL: url, Headers: redacted, Body: r.reqBody})
	}
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return r
	}
	req.Header = header
	resp, err := client.Do(req)
	if err != nil {
		r.took = time.Since(r.at)
		return r
	}
	kept, _ := io.ReadAll(io.LimitReader(resp.Body, outbound.MaxResponseBody))
	_, _ = io.Copy(io.Discard, resp.Body) // so the connection is reused
	resp.Body.Close()
	r.took, r.status, r.respBody = time.Since(r.at), resp.StatusCode, string(kept)
	r.respHeaders, _ = json.Marshal(redact.Headers(resp.Header, nil))
	if o.contract {
		r.respHeaders, _ = json.Marshal(schematype.HTTPMessage{Headers: redact.Headers(resp.Header, nil), Body: r.respBody})
	}
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		r.outcome = "SUCCEEDED"
	}
	return r
}

// leanRecord commits a batch: its attempt rows in one INSERT, its
// successes finished in one UPDATE (out of the due index, as ours: no
// next_attempt_at), a failure rescheduled a minute on.
func leanRecord(db *sql.DB, batch []*leanResult, o leanOpts) error {
	tx, err := db.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // after Commit, a no-op
	width := 11         // the attempt row's columns
	if o.contract {
		width = 18 // the contract's
	}
	type counter struct {
		webhook, outcome, eventType string
		hour                        int64
	}
	counts := map[counter]int{}
	args := make([]any, 0, width*len(batch))
	var succeeded []any
	for _, r := range batch {
		var status, respHeaders, respBody any // NULL without an answer
		if r.status != 0 {
			status, respHeaders, respBody = r.status, string(r.respHeaders), r.respBody
		}
		if !o.contract {
			args = append(args, r.id, r.job.id, r.job.webhookID, o.time(r.at.UnixMilli()), status, r.took.Milliseconds(),
				string(r.reqHeaders), r.reqBody, respHeaders, respBody, r.outcome)
		} else {
			var next, failure any // a failure's retry and reason; the lean's receiver answers 204
			if r.outcome != "SUCCEEDED" {
				next, failure = o.time(r.at.Add(time.Minute).UnixMilli()), "no answer"
			}
			args = append(args, r.id, r.job.id, r.job.webhookID, o.time(r.at.UnixMilli()), status, r.took.Milliseconds(),
				string(r.reqHeaders), respHeaders, r.outcome, failure, r.job.attempts+1, next, nil, nil, nil,
				leanWorkspace, r.job.eventID, "OUTBOUND")
			counts[counter{r.job.webhookID, r.outcome, r.job.event.Type, r.at.Unix() / 3600}]++
		}
		if r.outcome == "SUCCEEDED" {
			succeeded = append(succeeded, r.job.id)
		} else if _, err := tx.Exec(`UPDATE deliveries SET attempts = attempts + 1, next_attempt_at = ?,
			claimed_until = NULL, claim_token = NULL`+o.touched()+` WHERE id = ?`, o.time(r.at.Add(time.Minute).UnixMilli()), r.job.id); err != nil {
			return err
		}
	}
	row := ",(" + strings.Repeat(", ?", width)[2:] + ")"
	ins := "INSERT INTO attempts VALUES " + strings.Repeat(row, len(batch))[1:]
	if _, err := tx.Exec(ins, args...); err != nil {
		return err
	}
	if len(counts) > 0 { // one upsert per batch and counter, as ours (history.countLogs)
		var q strings.Builder
		cargs := make([]any, 0, 7*len(counts))
		q.WriteString("INSERT INTO log_counts VALUES ")
		for k, n := range counts {
			if len(cargs) > 0 {
				q.WriteByte(',')
			}
			q.WriteString("(?, ?, 'OUTBOUND', ?, ?, ?, ?)")
			cargs = append(cargs, leanWorkspace, k.webhook, k.outcome, k.eventType, k.hour, n)
		}
		q.WriteString(" ON CONFLICT DO UPDATE SET n = n + excluded.n")
		if _, err := tx.Exec(q.String(), cargs...); err != nil {
			return err
		}
	}
	if len(succeeded) > 0 {
		if _, err := tx.Exec(`UPDATE deliveries SET status = 'SUCCEEDED', attempts = attempts + 1, next_attempt_at = NULL,
			claimed_until = NULL, claim_token = NULL`+o.touched()+` WHERE id IN (`+strings.Repeat(",?", len(succeeded))[1:]+`)`, succeeded...); err != nil {
			return err
		}
	}
	return tx.Commit()
}
