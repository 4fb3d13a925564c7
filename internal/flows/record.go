package flows

import (
	"context"
	"errors"
	"fmt"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/flowrun"
	"github.com/wexio/webhooks/ent/predicate"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/internal/apperr"
	"github.com/wexio/webhooks/internal/store"
	"github.com/wexio/webhooks/internal/template"
)

// Step result statuses.
const (
	statusSucceeded = "SUCCEEDED"
	statusFailed    = "FAILED"
)

// permanent reports whether err fails the run for good: executing the step
// again would fail the same way.
func permanent(err error) bool {
	return apperr.KindOf(err) != 0 || errors.Is(err, errNoContact) ||
		errors.Is(err, template.ErrInvalid) || errors.Is(err, template.ErrTooLarge)
}

// record ends the run with its steps' results, provided it is still held
// by its claim: a worker whose lease ran out, and was claimed again by
// another, ends nothing (errStale). failure, when set, ends it FAILED with
// its text.
func (x *execution) record(ctx context.Context, c *ent.Client, next int, results []schematype.StepResult, failure error) error {
	u := c.FlowRun.Update().
		Where(flowrun.ID(x.run.ID), unfinished, heldBy(x.run.ClaimToken)).
		SetStepIndex(next).SetFinishedAt(x.now).ClearClaimedUntil().ClearClaimToken().ClearNextAttemptAt().
		SetStepResults(results)
	if failure != nil {
		u.SetStatus(schematype.RunFailed).SetError(failure.Error())
	} else {
		u.SetStatus(schematype.RunSucceeded)
	}
	n, err := u.Save(ctx)
	if err != nil {
		return fmt.Errorf("recording flow run progress: %w", err)
	}
	if n == 0 {
		return errStale
	}
	return nil
}

// retryLater makes a run that hit a database error due again after
// RetryDelay, from its last committed step.
func (r *Runner) retryLater(ctx context.Context, run *ent.FlowRun) {
	at := r.cfg.Now().UTC().Add(r.cfg.RetryDelay)
	err := r.deps.Writer.Do(ctx, func(ctx context.Context, tx *ent.Tx, _ *store.Hooks) error {
		return tx.FlowRun.Update().
			Where(flowrun.ID(run.ID), unfinished, heldBy(run.ClaimToken)).
			SetNextAttemptAt(at).ClearClaimedUntil().ClearClaimToken().Exec(ctx)
	})
	if err != nil {
		r.cfg.Log.Error("scheduling flow run retry", "run_id", run.ID, "err", err)
	}
}

// heldBy selects runs still held by claim token (nil: claimed by none).
func heldBy(token *string) predicate.FlowRun {
	if token == nil {
		return flowrun.ClaimTokenIsNil()
	}
	return flowrun.ClaimToken(*token)
}
