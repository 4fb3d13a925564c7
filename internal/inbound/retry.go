package inbound

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/wexio/webhooks/internal/store"
)

// errKeyBusy: another transaction, on another server, holds the request's
// idempotency key and has not ended, so whether this request repeats it is
// not known yet.
var errKeyBusy = errors.New("inbound: idempotency key in use by another transaction")

// The wait before trying a job again: another server's transaction holding
// its key ends with that server's batch, in milliseconds; past
// retryWaitMax the database is stalling.
const (
	retryWaitFirst = time.Millisecond
	retryWaitMax   = 2 * time.Second
)

// commit runs job, and again while it finds its key busy or the database
// gave it up in a conflict; each time the job rolled back whole. Once the
// holder's transaction ends, the key is committed (this request replays
// it) or free (this one is the first). The job gives up at once rather
// than wait inside its batch, where the wait could close a deadlock
// through the rows both batches hold. Should servers' batches deadlock on
// some other rows all the same, PostgreSQL fails one statement, and this
// runs the job again.
func (h *Handler) commit(ctx context.Context, job store.Job) error {
	return h.retry(ctx, func() error { return h.deps.Writer.Do(ctx, job) })
}

// retry runs write, and again as commit says.
func (h *Handler) retry(ctx context.Context, write func() error) error {
	err := write()
	for wait, waited := retryWaitFirst, time.Duration(0); retryable(err) && waited < retryWaitMax; wait *= 2 {
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return err
		case <-t.C:
		}
		waited += wait
		h.deps.Log.DebugContext(ctx, "running an inbound job again", "err", err)
		err = write()
	}
	return err
}

// retryable reports whether a failed job may succeed when run again.
func retryable(err error) bool { return errors.Is(err, errKeyBusy) || store.IsConflict(err) }

// failed is the answer to a request whose job failed with err, and the
// level to log it at: "retry later" when the cause passes by itself (the
// key still busy, conflicts, the database gone), 500 otherwise.
func failed(err error) (answer, slog.Level) {
	switch {
	case errors.Is(err, errKeyBusy):
		return retryLater("idempotency_key_busy", "a request with this idempotency key is being processed; retry later"), slog.LevelWarn
	case store.IsConflict(err):
		return retryLater("write_conflict", "the request clashed with concurrent writes; retry later"), slog.LevelWarn
	case store.IsUnavailable(err):
		return unavailable(), slog.LevelError
	}
	return errorAnswer(http.StatusInternalServerError, "internal_error", "the request could not be stored; retry later"), slog.LevelError
}

// unavailableRetryAfter is the Retry-After of an answer given while the
// database is unreachable: soon, since a restart or a failover takes
// seconds, and senders back off on their own after repeats.
const unavailableRetryAfter = 5 * time.Second

// unavailable answers a request that could not be stored because the
// database is unreachable: 503 with Retry-After, so that the sender tries
// again, where any other failure is a 500. Nothing was committed (a commit
// whose answer was lost is made good by the retry's idempotency key).
func unavailable() answer {
	return retryLater("database_unavailable", "the database is unreachable; retry later")
}

// retryLater is a 503 with Retry-After: the request may well succeed later.
func retryLater(code, message string) answer {
	a := errorAnswer(http.StatusServiceUnavailable, code, message)
	a.header = http.Header{"Retry-After": {strconv.Itoa(int(unavailableRetryAfter.Seconds()))}}
	return a
}
