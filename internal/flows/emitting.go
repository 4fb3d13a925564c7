package flows

import (
	"context"
	"fmt"
	"slices"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/flow"
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/internal/events"
)

// EmittingTo returns the ids of the flows of ctx's workspace, enabled or
// not, with an EMIT_EVENT step whose event (flow.<name>) one of patterns
// matches: what an outbound webhook subscribed to patterns gets from
// flows. A workspace has few flows: they are read whole.
func EmittingTo(ctx context.Context, c *ent.Client, patterns []string) ([]pulid.ID, error) {
	fs, err := readSteps(ctx, c)
	if err != nil {
		return nil, err
	}
	var ids []pulid.ID
	for _, f := range fs {
		if emitsTo(f.Steps, patterns) {
			ids = append(ids, f.ID)
		}
	}
	return ids, nil
}

func emitsTo(steps []schematype.FlowStep, patterns []string) bool {
	for _, st := range steps {
		if st.Type != schematype.StepEmitEvent {
			continue
		}
		if name, ok := st.Config["name"].(string); ok && events.MatchAny(patterns, events.FlowType(name)) {
			return true
		}
	}
	return false
}

// CountEmitting is EmittingTo's count for each set of patterns in each, the
// flows read once: what a page of outbound webhooks asks for.
func CountEmitting(ctx context.Context, c *ent.Client, each [][]string) ([]int, error) {
	fs, err := readSteps(ctx, c)
	if err != nil {
		return nil, err
	}
	counts := make([]int, len(each))
	for i, patterns := range each {
		for _, f := range fs {
			if emitsTo(f.Steps, patterns) {
				counts[i]++
			}
		}
	}
	return counts, nil
}

// EmittedNames returns the names the EMIT_EVENT steps of ctx's workspace's
// flows emit (enabled or not), each once, sorted: with the prefix
// (events.FlowType), the flow events a webhook can subscribe to.
func EmittedNames(ctx context.Context, c *ent.Client) ([]string, error) {
	fs, err := readSteps(ctx, c)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var names []string
	for _, f := range fs {
		for _, st := range f.Steps {
			if name, ok := st.Config["name"].(string); ok && st.Type == schematype.StepEmitEvent && !seen[name] {
				seen[name] = true
				names = append(names, name)
			}
		}
	}
	slices.Sort(names)
	return names, nil
}

// readSteps reads the steps of every flow of ctx's workspace: a workspace
// has few flows, and these questions are about all of them.
func readSteps(ctx context.Context, c *ent.Client) ([]*ent.Flow, error) {
	fs, err := c.Flow.Query().Select(flow.FieldID, flow.FieldSteps).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading flows: %w", err)
	}
	return fs, nil
}
