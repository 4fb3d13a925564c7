package flows

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/internal/outbox"
	"github.com/wexio/webhooks/internal/store"
	"github.com/wexio/webhooks/internal/template"
	"github.com/wexio/webhooks/internal/tenant"
)

// errStale means the run changed since it was claimed (another worker
// advanced it after this lease expired, or it was deleted): this job's
// effects are rolled back.
var errStale = errors.New("flows: run changed since it was claimed")

// errStepFailed rolls back a job executed without step savepoints in which
// a step failed for good: the run is executed again, carefully.
var errStepFailed = errors.New("flows: a step failed; executing again with step savepoints")

// errNoContact fails a step that needs the run's contact when it has none.
var errNoContact = errors.New("the request named no contact (set up contact resolution on the webhook)")

// execution is one claimed run being executed.
type execution struct {
	r       *Runner
	run     *ent.FlowRun
	steps   []step
	invalid error // the flow cannot run: disabled, deleted or its steps do not parse
	vars    template.Vars
	contact *ent.Contact
	now     time.Time
	// careful runs each step in its own savepoint, so that a step failing
	// for good rolls back its own writes alone. Most runs fail no step, so
	// the first attempt runs without them; a failure sends it back
	// (errStepFailed) to be executed again carefully.
	careful bool
}

// execute runs one claimed run's remaining steps in one write job, in the
// run's workspace. A database error makes the run due again later.
func (r *Runner) execute(run *ent.FlowRun) {
	x := r.prepare(run)
	ctx := tenant.WithWorkspace(context.Background(), string(run.WorkspaceID))
	err := r.deps.Writer.Do(ctx, x.job)
	if errors.Is(err, errStepFailed) {
		x.careful = true
		err = r.deps.Writer.Do(ctx, x.job)
	}
	switch {
	case err == nil:
	case errors.Is(err, errStale):
		r.cfg.Log.Info("flow run changed while executing; dropped", "run_id", run.ID)
	default:
		r.cfg.Log.Error("executing flow run", "run_id", run.ID, "flow_id", run.FlowID, "err", err)
		r.retryLater(ctx, run)
	}
}

// prepare does the work that needs no database: parsing the steps and the
// request's payload and headers.
func (r *Runner) prepare(run *ent.FlowRun) *execution {
	x := &execution{r: r, run: run, now: r.cfg.Now().UTC(), vars: requestVars(run)}
	f := run.Edges.Flow
	switch {
	case f == nil:
		x.invalid = errors.New("flow deleted")
	case !f.Enabled:
		x.invalid = errors.New("flow disabled")
	default:
		x.steps, x.invalid = compileSteps(f.Steps)
	}
	return x
}

// job executes the steps and records the run's progress with their effects.
func (x *execution) job(ctx context.Context, tx *ent.Tx, h *store.Hooks) error {
	// The job's emits read the workspace's outbound webhooks once: steps
	// do not change webhooks, and the memo ends with the job.
	ctx = outbox.WithMatcher(ctx)
	if subs := x.r.deps.Subscriptions; subs != nil {
		ctx = outbox.WithSubscriptions(ctx, subs)
	}
	x.contact, x.vars.Contact = nil, nil // from an attempt rolled back
	var results []schematype.StepResult
	i, failure := 0, x.invalid
	if failure == nil {
		if err := x.loadContact(ctx, tx.Client()); err != nil {
			return err
		}
		var err error
		if i, results, failure, err = x.execSteps(ctx, tx); err != nil {
			return err
		}
	}
	if err := x.record(ctx, tx.Client(), i, results, failure); err != nil {
		return err
	}
	if obs := x.r.deps.Observer; obs != nil {
		status := schematype.RunSucceeded
		if failure != nil {
			status = schematype.RunFailed
		}
		h.AfterCommit(func() { obs.RunFinished(status) })
	}
	return nil
}

// execSteps executes the steps, each in its own savepoint when x is careful. It stops at the first step that fails for
// good (failure) and returns a database error as err, which rolls the whole
// job back; when x is not careful, such a failure is errStepFailed.
func (x *execution) execSteps(ctx context.Context, tx *ent.Tx) (next int, results []schematype.StepResult, failure, err error) {
	for i, st := range x.steps {
		var out []byte
		var err error
		if x.careful {
			err = store.Savepoint(ctx, tx, "step", func() error {
				var err error
				out, err = x.do(ctx, tx.Client(), st)
				return err
			})
		} else {
			out, err = x.do(ctx, tx.Client(), st)
		}
		if err != nil && !permanent(err) {
			return i, nil, nil, err
		}
		if err != nil && !x.careful {
			return i, nil, nil, errStepFailed
		}
		if err != nil {
			results = append(results, schematype.StepResult{Type: st.typ, Status: statusFailed, Error: err.Error()})
			return i, results, fmt.Errorf("step %d (%s): %w", i+1, st.typ, err), nil
		}
		results = append(results, schematype.StepResult{Type: st.typ, Status: statusSucceeded, Output: out})
	}
	return len(x.steps), results, nil, nil
}
