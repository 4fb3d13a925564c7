package flows

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/wexio/webhooks/ent/schema/schematype"
	"github.com/wexio/webhooks/internal/apperr"
	"github.com/wexio/webhooks/internal/events"
	"github.com/wexio/webhooks/internal/jsonpath"
	"github.com/wexio/webhooks/internal/template"
)

// step is a step's configuration parsed, ready to render.
type step struct {
	typ     schematype.FlowStepType
	name    string             // EMIT_EVENT: the event name, after "flow."
	data    *template.Template // EMIT_EVENT: the event's data
	set     *template.Template // UPDATE_CONTACT: an object of field → value
	channel *template.Template // SEND_MESSAGE
	text    *template.Template // SEND_MESSAGE
}

// contactKeys are the UPDATE_CONTACT keys besides "attributes.<path>":
// the contact's template fields but its id.
var contactKeys = slices.DeleteFunc(slices.Clone(template.ContactFields), func(f string) bool { return f == "id" })

// checkSteps validates steps as saved and returns them in stored form.
func checkSteps(in []StepInput) ([]schematype.FlowStep, error) {
	if len(in) == 0 || len(in) > MaxSteps {
		return nil, apperr.Invalid("a flow needs 1 to %d steps, got %d", MaxSteps, len(in))
	}
	out := make([]schematype.FlowStep, len(in))
	for i, s := range in {
		out[i] = schematype.FlowStep{Type: s.Type, Config: s.Config}
	}
	if _, err := compileSteps(out); err != nil {
		return nil, err
	}
	return out, nil
}

// compileSteps parses every step; an invalid one is BAD_USER_INPUT naming it.
func compileSteps(in []schematype.FlowStep) ([]step, error) {
	out := make([]step, len(in))
	for i, s := range in {
		var err error
		if out[i], err = compile(s); err != nil {
			return nil, apperr.Invalid("step %d (%s): %v", i+1, s.Type, err)
		}
	}
	return out, nil
}

func compile(s schematype.FlowStep) (step, error) {
	st := step{typ: s.Type}
	var err error
	switch s.Type {
	case schematype.StepEmitEvent:
		err = st.compileEmit(s.Config)
	case schematype.StepUpdateContact:
		err = st.compileUpdate(s.Config)
	case schematype.StepSendMessage:
		err = st.compileSend(s.Config)
	default:
		err = errors.New("unknown step type")
	}
	return st, err
}

func (st *step) compileEmit(cfg map[string]any) error {
	if err := onlyKeys(cfg, "name", "data"); err != nil {
		return err
	}
	name, _ := cfg["name"].(string)
	if !events.ValidName(name) {
		return fmt.Errorf("name %q must be dot-separated words of letters, digits and underscores ([a-zA-Z0-9_.]+)", name)
	}
	data, ok := cfg["data"]
	if !ok {
		data = map[string]any{}
	}
	st.name = name
	return parseInto(&st.data, "data", data)
}

func (st *step) compileUpdate(cfg map[string]any) error {
	if err := onlyKeys(cfg, "set"); err != nil {
		return err
	}
	set, ok := cfg["set"].(map[string]any)
	if !ok || len(set) == 0 {
		return errors.New(`"set" must be an object of contact fields to values`)
	}
	for k := range set {
		if err := checkContactKey(k); err != nil {
			return err
		}
	}
	return parseInto(&st.set, "set", set)
}

func checkContactKey(k string) error {
	if slices.Contains(contactKeys, k) {
		return nil
	}
	if path, ok := strings.CutPrefix(k, "attributes."); ok {
		if _, err := jsonpath.Parse(path); err == nil {
			return nil
		}
	}
	return fmt.Errorf("unknown contact field %q (use %s or attributes.<name>)", k, strings.Join(contactKeys, ", "))
}

func (st *step) compileSend(cfg map[string]any) error {
	if err := onlyKeys(cfg, "channel", "text"); err != nil {
		return err
	}
	for _, k := range []string{"channel", "text"} {
		if s, ok := cfg[k].(string); !ok || strings.TrimSpace(s) == "" {
			return fmt.Errorf("%q must be a non-empty text", k)
		}
	}
	if err := parseInto(&st.channel, "channel", cfg["channel"]); err != nil {
		return err
	}
	return parseInto(&st.text, "text", cfg["text"])
}

func parseInto(dst **template.Template, key string, v any) error {
	t, err := template.Parse(v)
	if err != nil {
		return fmt.Errorf("%q: %w", key, err)
	}
	*dst = t
	return nil
}

// onlyKeys refuses configuration keys other than allowed: a typo would
// otherwise be ignored silently.
func onlyKeys(cfg map[string]any, allowed ...string) error {
	for k := range cfg {
		if !slices.Contains(allowed, k) {
			return fmt.Errorf("unknown config key %q (use %s)", k, strings.Join(allowed, ", "))
		}
	}
	return nil
}
