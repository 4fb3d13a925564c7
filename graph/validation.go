package graph

import (
	"strings"

	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/validator/core"
	"github.com/vektah/gqlparser/v2/validator/rules"
)

// validationRules are gqlparser's default rules, with two changes that
// keep validating any document DocumentLimits lets through within a few
// milliseconds; it is called for each document validated.
//
// No "Did you mean" suggestions: each is an edit distance from the unknown
// name to every name it could have been (every type of the schema, for a
// fragment's type condition), so a megabyte of long unknown names took
// seconds of CPU (1.7 s for 200 fragments on unknown types of 5,000
// characters). The error still names what is unknown; GraphiQL and editors
// suggest from the introspected schema themselves. The rules keep their
// names, so gqlgen's own swap (SetDisableSuggestion, which covers two of
// the five) finds nothing to do.
//
// Errors past MaxErrors are counted, not made: an answer carries no more
// (Requests), and making each (a message, a location, a code, the error
// presenter) was most of validating 19,000 bad values. The first one left
// out carries the count for Requests to report.
func validationRules() *rules.Rules {
	r := rules.NewDefaultRules()
	for _, rule := range []core.Rule{
		rules.FieldsOnCorrectTypeRuleWithoutSuggestions,
		rules.KnownArgumentNamesRuleWithoutSuggestions,
		rules.KnownTypeNamesRuleWithoutSuggestions,
		rules.ScalarLeafsRuleWithoutSuggestions,
		rules.ValuesOfCorrectTypeRuleWithoutSuggestions,
	} {
		r.ReplaceRule(strings.TrimSuffix(rule.Name, "WithoutSuggestions"), rule.RuleFunc)
	}
	made, leftOut := 0, new(int)
	for name, rule := range r.GetInner() {
		r.ReplaceRule(name, func(observers *core.Events, addError core.AddErrFunc) {
			rule(observers, func(options ...core.ErrorOption) {
				switch made++; {
				case made <= MaxErrors:
					addError(options...)
				case made == MaxErrors+1:
					*leftOut = 1
					addError(func(e *gqlerror.Error) {
						e.Message = "more errors left out"
						e.Extensions = map[string]any{leftOutKey: leftOut}
					})
				default:
					*leftOut++
				}
			})
		})
	}
	return r
}

// leftOutKey marks, in its extensions, the error standing for those
// validation left out, with a pointer to their count; Requests replaces
// it.
const leftOutKey = "wexio.leftOut"

// errorsIn is the number of errors e stands for.
func errorsIn(e *gqlerror.Error) int {
	if n, ok := e.Extensions[leftOutKey].(*int); ok {
		return *n
	}
	return 1
}
