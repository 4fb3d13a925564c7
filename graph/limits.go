package graph

import (
	"context"
	"fmt"
	"unicode/utf8"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// MaxFilterString bounds every string of a where filter: a pattern is a
// few words, and one of 50,000 bytes made SQLite fail ("LIKE pattern too
// complex") where the client should be told.
const MaxFilterString = 1000

// FilterLimits is the gqlgen extension that refuses, before it runs, an
// operation whose where arguments hold a string over MaxFilterString
// bytes, with BAD_USER_INPUT naming the argument.
type FilterLimits struct{}

var (
	_ graphql.HandlerExtension     = FilterLimits{}
	_ graphql.OperationInterceptor = FilterLimits{}
)

// ExtensionName implements graphql.HandlerExtension.
func (FilterLimits) ExtensionName() string { return "FilterLimits" }

// Validate implements graphql.HandlerExtension.
func (FilterLimits) Validate(graphql.ExecutableSchema) error { return nil }

// InterceptOperation implements graphql.OperationInterceptor.
func (FilterLimits) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	oc := graphql.GetOperationContext(ctx)
	if oc != nil && oc.Operation != nil {
		seen := map[string]bool{}
		if path, ok := longFilter(oc.Operation.SelectionSet, oc.Variables, seen); !ok {
			return graphql.OneShot(&graphql.Response{Errors: gqlerror.List{{
				Message:    fmt.Sprintf("%s is longer than %d bytes", path, MaxFilterString),
				Extensions: map[string]any{"code": CodeBadUserInput},
			}}})
		}
	}
	return next(ctx)
}

// longFilter finds a where argument holding a string over the limit in
// sels; ok is false and path names it when there is one. Fragments are
// looked into once.
func longFilter(sels ast.SelectionSet, vars map[string]any, seen map[string]bool) (path string, ok bool) {
	for _, sel := range sels {
		var sub ast.SelectionSet
		switch s := sel.(type) {
		case *ast.Field:
			if s.Arguments.ForName("where") != nil {
				if p, ok := longString(s.ArgumentMap(vars)["where"], s.Name+".where"); !ok {
					return p, false
				}
			}
			sub = s.SelectionSet
		case *ast.InlineFragment:
			sub = s.SelectionSet
		case *ast.FragmentSpread:
			if s.Definition == nil || seen[s.Name] {
				continue
			}
			seen[s.Name] = true
			sub = s.Definition.SelectionSet
		}
		if p, ok := longFilter(sub, vars, seen); !ok {
			return p, false
		}
	}
	return "", true
}

// longString looks through an argument value for a string over the limit.
func longString(v any, path string) (string, bool) {
	switch x := v.(type) {
	case string:
		return path, len(x) <= MaxFilterString
	case map[string]any:
		for k, e := range x {
			if p, ok := longString(e, path+"."+k); !ok {
				return p, false
			}
		}
	case []any:
		for i, e := range x {
			if p, ok := longString(e, fmt.Sprintf("%s.%d", path, i)); !ok {
				return p, false
			}
		}
	}
	return "", true
}

// MaxRootMutations bounds the mutations one request may run: 5,000
// aliased createContact in one document all ran.
const MaxRootMutations = 100

// MaxErrors bounds the errors one answer carries; past it one more says
// how many were left out.
const MaxErrors = 100

// MaxErrorMessage bounds an error's message, in bytes: validation repeats
// the names it does not know, and a name may be 10,000 characters long.
const MaxErrorMessage = 500

// Requests is the gqlgen extension bounding what one request may ask for
// and the errors its answer carries (MaxRootMutations, MaxErrors).
type Requests struct{}

var (
	_ graphql.HandlerExtension     = Requests{}
	_ graphql.OperationInterceptor = Requests{}
	_ graphql.ResponseInterceptor  = Requests{}
)

// ExtensionName implements graphql.HandlerExtension.
func (Requests) ExtensionName() string { return "RequestLimits" }

// Validate implements graphql.HandlerExtension.
func (Requests) Validate(graphql.ExecutableSchema) error { return nil }

// InterceptOperation implements graphql.OperationInterceptor.
func (Requests) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	oc := graphql.GetOperationContext(ctx)
	if oc != nil && oc.Operation != nil && oc.Operation.Operation == ast.Mutation {
		if n := len(graphql.CollectFields(oc, oc.Operation.SelectionSet, []string{"Mutation"})); n > MaxRootMutations {
			return graphql.OneShot(&graphql.Response{Errors: gqlerror.List{{
				Message:    fmt.Sprintf("%d mutations in one request; at most %d: send them in several", n, MaxRootMutations),
				Extensions: map[string]any{"code": CodeBadUserInput},
			}}})
		}
	}
	return next(ctx)
}

// InterceptResponse implements graphql.ResponseInterceptor.
func (Requests) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	resp := next(ctx)
	if resp != nil && len(resp.Errors) > MaxErrors {
		left := 0
		for _, e := range resp.Errors[MaxErrors:] {
			left += errorsIn(e)
		}
		resp.Errors = append(resp.Errors[:MaxErrors:MaxErrors], &gqlerror.Error{
			Message:    fmt.Sprintf("%d more errors left out", left),
			Extensions: map[string]any{"code": "TOO_MANY_ERRORS"},
		})
	}
	if resp != nil {
		for _, e := range resp.Errors {
			if len(e.Message) > MaxErrorMessage {
				cut := MaxErrorMessage
				for cut > 0 && !utf8.RuneStart(e.Message[cut]) {
					cut--
				}
				e.Message = e.Message[:cut] + "…"
			}
		}
	}
	return resp
}
