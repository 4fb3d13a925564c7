package graph

import (
	"github.com/wexio/webhooks/graph/model"
	"github.com/wexio/webhooks/internal/apperr"
	"github.com/wexio/webhooks/internal/flows"
)

// flowCreateInput converts the GraphQL input to the flows service's.
func flowCreateInput(in model.CreateFlowInput) (flows.CreateInput, error) {
	steps, err := flowSteps(in.Steps)
	if err != nil {
		return flows.CreateInput{}, err
	}
	out := flows.CreateInput{Name: in.Name, Enabled: in.Enabled, Steps: steps}
	if in.Trigger != nil {
		out.Trigger = flows.TriggerInput{Type: in.Trigger.Type, WebhookID: in.Trigger.WebhookID}
	}
	return out, nil
}

func flowUpdateInput(in model.UpdateFlowInput) (flows.UpdateInput, error) {
	out := flows.UpdateInput{Name: in.Name, Enabled: in.Enabled}
	if in.Trigger != nil {
		out.Trigger = &flows.TriggerInput{Type: in.Trigger.Type, WebhookID: in.Trigger.WebhookID}
	}
	if in.Steps != nil {
		steps, err := flowSteps(in.Steps)
		if err != nil {
			return out, err
		}
		out.Steps = steps
		if out.Steps == nil {
			out.Steps = []flows.StepInput{} // given empty: refused by the service
		}
	}
	return out, nil
}

func flowSteps(in []*model.FlowStepInput) ([]flows.StepInput, error) {
	var out []flows.StepInput
	for i, st := range in {
		cfg, ok := st.Config.(map[string]any)
		if !ok {
			return nil, apperr.Invalid("steps[%d].config must be a JSON object", i)
		}
		out = append(out, flows.StepInput{Type: st.Type, Config: cfg})
	}
	return out, nil
}
