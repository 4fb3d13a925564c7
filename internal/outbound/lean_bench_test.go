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
	"github.com/wexio/webhooks/internal/events"
	"github.com/wexio/webhooks/internal/groupcommit"
	"github.com/wexio/webhooks/internal/outbound"
	"github.com/wexio/webhooks/internal/redact"
	"github.com/wexio/webhooks/internal/signing"
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
	status                     int // 0: no answer
	reqHeaders, respHeaders    []byte
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
// With contract (which implies readEvents), the tables also carry what the
// contract's reads need and nothing more (leanContractSchema): the indexes
// the history, a delivery's attempts, replays and retention query by, and
// the hourly counters behind totalCount, kept one upsert per batch. No
// fair shares, no ordering, no health, no foreign keys: an upper bound
// for any dispatcher that keeps the contract, on this design.
func benchLean(b *testing.B, url string, readEvents, contract bool) {
	readEvents = readEvents || contract
	file := "file:" + filepath.Join(b.TempDir(), "lean.db")
	db, err := sql.Open("sqlite3", file+"?_journal_mode=WAL&_busy_timeout=10000&_synchronous="+leanSynchronous)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1) // claimer and recorder take turns, as at our writer
	// Times are unix milliseconds. The due index is ours: only rows still to
	// be attempted are in it.
	for _, q := range []string{
		`CREATE TABLE deliveries (id TEXT PRIMARY KEY, event_id TEXT NOT NULL, webhook_id TEXT NOT NULL,
			status TEXT NOT NULL, attempts INTEGER NOT NULL, next_attempt_at INTEGER, claimed_until INTEGER, claim_token TEXT)`,
		`CREATE INDEX deliveries_due ON deliveries (claimed_until, next_attempt_at, id) WHERE next_attempt_at IS NOT NULL`,
		`CREATE TABLE attempts (id TEXT PRIMARY KEY, delivery_id TEXT NOT NULL, webhook_id TEXT NOT NULL,
			occurred_at INTEGER NOT NULL, status_code INTEGER, duration_ms INTEGER NOT NULL, request_headers TEXT NOT NULL,
			request_body TEXT NOT NULL, response_headers TEXT, response_body TEXT, outcome TEXT NOT NULL)`,
		`CREATE TABLE events (id TEXT PRIMARY KEY, type TEXT NOT NULL, occurred_at INTEGER NOT NULL, data BLOB NOT NULL)`,
	} {
		if _, err := db.Exec(q); err != nil {
			b.Fatal(err)
		}
	}
	if contract {
		for _, q := range leanContractSchema {
			if _, err := db.Exec(q); err != nil {
				b.Fatal(err)
			}
		}
	}
	seedLean(b, db, b.N, readEvents)
	var read *sql.DB // the events' read pool
	if readEvents {
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
			claimed, err := leanClaim(ctx, db, now, now+10*time.Minute.Milliseconds(), pulid.New("clm"))
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
				results <- leanSend(client, url, secrets, j, occurred)
			}
		})
	}
	recorded := make(chan struct{})
	go func() { // the recorder
		defer close(recorded)
		n := 0
		for r := range results {
			batch := groupcommit.Gather([]*leanResult{r}, results, leanBatch) // what arrived meanwhile, as ours
			if err := leanRecord(db, batch, contract); err != nil {
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
	if contract {
		var counted int
		if err := db.QueryRow(`SELECT coalesce(sum(n), 0) FROM log_counts`).Scan(&counted); err != nil || counted != b.N {
			b.Fatalf("counters say %d attempts of %d (%v)", counted, b.N, err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "deliveries/s")
}

// seedLean writes n pending deliveries due now, in one transaction, and
// with events their events.
func seedLean(b *testing.B, db *sql.DB, n int, withEvents bool) {
	tx, err := db.Begin()
	if err != nil {
		b.Fatal(err)
	}
	defer tx.Rollback() //nolint:errcheck // after Commit, a no-op
	now := time.Now().UnixMilli()
	for done := 0; done < n; {
		k := min(500, n-done)
		args := make([]any, 0, 4*k)
		evs := make([]any, 0, 4*k)
		for range k {
			evt := string(pulid.New("evt"))
			args = append(args, string(pulid.New("dlv")), evt, "wh_lean", now)
			evs = append(evs, evt, events.ContactCreated, now, benchData)
		}
		q := "INSERT INTO deliveries VALUES " + strings.Repeat(",(?, ?, ?, 'PENDING', 0, ?, NULL, NULL)", k)[1:]
		if _, err := tx.Exec(q, args...); err != nil {
			b.Fatal(err)
		}
		if withEvents {
			if _, err := tx.Exec("INSERT INTO events VALUES "+strings.Repeat(",(?, ?, ?, ?)", k)[1:], evs...); err != nil {
				b.Fatal(err)
			}
		}
		done += k
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
}

// leanContractSchema is what the contract's reads add to the lean tables,
// as our schema has it (ent/schema, history's counters): each attempt row
// carries its workspace, event and direction; the history is browsed per
// webhook and per workspace, newest first; a delivery's attempts are read
// by delivery, and retention finds an event's rows by event; deliveries
// are read per webhook by status (replays, an ordered webhook's head, the
// cascade of a webhook's deletion), fanned out once per (event, webhook),
// and a held webhook's rows are counted and released by the held index;
// totalCount sums hourly counters.
var leanContractSchema = []string{
	`ALTER TABLE attempts ADD COLUMN workspace_id TEXT NOT NULL DEFAULT ''`,
	`ALTER TABLE attempts ADD COLUMN event_id TEXT`,
	`ALTER TABLE attempts ADD COLUMN direction TEXT NOT NULL DEFAULT 'OUTBOUND'`,
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

// leanWorkspace is the one workspace of the lean contract run.
const leanWorkspace = "ws_lean"

// leanClaim leases up to leanBatch unleased due rows, due order first.
func leanClaim(ctx context.Context, db *sql.DB, now, until int64, token pulid.ID) ([]leanJob, error) {
	rows, err := db.QueryContext(ctx, `UPDATE deliveries SET claimed_until = ?, claim_token = ?
		WHERE id IN (SELECT id FROM deliveries WHERE claimed_until IS NULL AND next_attempt_at <= ?
			ORDER BY next_attempt_at LIMIT ?)
		RETURNING id, event_id, webhook_id, attempts`, until, string(token), now, leanBatch)
	if err != nil {
		return nil, err
	}
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
		var at int64
		ev := &events.Envelope{}
		if err := rows.Scan(&id, &ev.Type, &at, &ev.Data); err != nil {
			return err
		}
		ev.ID, ev.Timestamp = id, time.UnixMilli(at).UTC()
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
// row's JSON encoded here, off the recorder.
func leanSend(client *http.Client, url string, secrets []string, j leanJob, occurred time.Time) *leanResult {
	r := &leanResult{job: j, id: string(pulid.New("log")), at: time.Now(), outcome: "FAILED"}
	ev := events.Envelope{ID: j.eventID, Type: events.ContactCreated, Timestamp: occurred, Data: benchData}
	if j.event != nil {
		ev = *j.event
	}
	body, _ := ev.Marshal()
	sig, _ := signing.Sign(secrets, j.eventID, r.at, body) // the secret is a valid one
	header := http.Header{"Content-Type": {"application/json"}, "User-Agent": {"wexio-webhooks/dev"},
		"Webhook-Id": {j.eventID}, "Webhook-Timestamp": {strconv.FormatInt(r.at.Unix(), 10)}, "Webhook-Signature": {sig}}
	r.reqHeaders, _ = json.Marshal(redact.Headers(header, func(k string) bool { return k == "Webhook-Signature" }))
	r.reqBody = string(body)
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
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		r.outcome = "SUCCEEDED"
	}
	return r
}

// leanRecord commits a batch: its attempt rows in one INSERT, its
// successes finished in one UPDATE (out of the due index, as ours: no
// next_attempt_at), a failure rescheduled a minute on.
func leanRecord(db *sql.DB, batch []*leanResult, contract bool) error {
	tx, err := db.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // after Commit, a no-op
	cols, width := "", 11
	if contract {
		cols, width = "(id, delivery_id, webhook_id, occurred_at, status_code, duration_ms, request_headers, "+
			"request_body, response_headers, response_body, outcome, workspace_id, event_id)", 13
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
		args = append(args, r.id, r.job.id, r.job.webhookID, r.at.UnixMilli(), status, r.took.Milliseconds(),
			string(r.reqHeaders), r.reqBody, respHeaders, respBody, r.outcome)
		if contract {
			args = append(args, leanWorkspace, r.job.eventID)
			counts[counter{r.job.webhookID, r.outcome, r.job.event.Type, r.at.Unix() / 3600}]++
		}
		if r.outcome == "SUCCEEDED" {
			succeeded = append(succeeded, r.job.id)
		} else if _, err := tx.Exec(`UPDATE deliveries SET attempts = attempts + 1, next_attempt_at = ?,
			claimed_until = NULL, claim_token = NULL WHERE id = ?`, r.at.Add(time.Minute).UnixMilli(), r.job.id); err != nil {
			return err
		}
	}
	row := ",(" + strings.Repeat(", ?", width)[2:] + ")"
	ins := "INSERT INTO attempts " + cols + " VALUES " + strings.Repeat(row, len(batch))[1:]
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
			claimed_until = NULL, claim_token = NULL WHERE id IN (`+strings.Repeat(",?", len(succeeded))[1:]+`)`, succeeded...); err != nil {
			return err
		}
	}
	return tx.Commit()
}
