package events

import (
	"errors"
	"fmt"
	"strings"
)

// ErrInvalidPattern is matched (errors.Is) by every error ValidPattern returns.
var ErrInvalidPattern = errors.New("events: invalid event pattern")

// PatternError says why a pattern was refused, in words meant for the user
// who typed it.
type PatternError struct {
	Pattern string
	Problem string
}

func (e *PatternError) Error() string {
	return fmt.Sprintf("invalid event pattern %q: %s", e.Pattern, e.Problem)
}

// Is makes errors.Is(err, ErrInvalidPattern) true.
func (e *PatternError) Is(target error) bool { return target == ErrInvalidPattern }

// ValidPattern accepts "*", a catalogue type, "flow.<name>", and a prefix
// followed by "*" ("contact.*", "flow.order_*") that can match some type.
// A pattern that could never match is refused so that typos surface when
// the webhook is created rather than as deliveries that never happen.
func ValidPattern(p string) error {
	fail := func(problem string) error { return &PatternError{Pattern: p, Problem: problem} }
	switch {
	case p == "":
		return fail("must not be empty")
	case p == "*" || ValidType(p):
		return nil
	case len(p) > len(FlowPrefix)+maxNameLen:
		return fail(fmt.Sprintf("must be at most %d characters", len(FlowPrefix)+maxNameLen))
	}
	prefix, wildcard := strings.CutSuffix(p, "*")
	if strings.Contains(prefix, "*") {
		return fail("* may only end a pattern, as in contact.*")
	}
	if !wildcard {
		if name, ok := strings.CutPrefix(p, FlowPrefix); ok {
			return fail(fmt.Sprintf("flow event name %q must be words of letters, digits and _ joined by dots", name))
		}
		return fail("unknown event type; use one of " + strings.Join(Catalogue(), ", ") +
			", flow.<name>, a prefix followed by * (such as contact.*), or * for all")
	}
	if !validNamePrefix(prefix) {
		return fail("the prefix before * may hold only letters, digits, _ and single dots, and may not start with a dot")
	}
	if !prefixCanMatch(prefix) {
		return fail(fmt.Sprintf("matches no event type; known prefixes are %s and flow.",
			strings.Join(catalogueRoots(), ", ")))
	}
	return nil
}

// prefixCanMatch reports whether some type the platform can emit starts
// with prefix.
func prefixCanMatch(prefix string) bool {
	for _, t := range Catalogue() {
		if strings.HasPrefix(t, prefix) {
			return true
		}
	}
	// Either prefix is a start of "flow." or it continues it; in the second
	// case validNamePrefix already vouched for the rest.
	return strings.HasPrefix(FlowPrefix, prefix) || strings.HasPrefix(prefix, FlowPrefix)
}

// catalogueRoots lists the first word of each catalogue type, once, with
// its dot: "contact.", "chat.", ...
func catalogueRoots() []string {
	var roots []string
	seen := map[string]bool{}
	for _, t := range Catalogue() {
		root, _, _ := strings.Cut(t, ".")
		if !seen[root] {
			seen[root] = true
			roots = append(roots, root+".")
		}
	}
	return roots
}

// Match reports whether eventType matches pattern: "*" matches every type,
// a pattern ending in "*" every type with the text before it as a prefix,
// any other pattern only the same type.
func Match(pattern, eventType string) bool {
	if prefix, ok := strings.CutSuffix(pattern, "*"); ok {
		return strings.HasPrefix(eventType, prefix)
	}
	return pattern == eventType
}

// MatchAny reports whether any of patterns matches eventType.
func MatchAny(patterns []string, eventType string) bool {
	for _, p := range patterns {
		if Match(p, eventType) {
			return true
		}
	}
	return false
}
