package graph

import (
	"context"
	"errors"
	"log/slog"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/privacy"
	"github.com/wexio/webhooks/internal/apperr"
)

// Error codes in extensions.code.
const (
	CodeNotFound     = "NOT_FOUND"
	CodeBadUserInput = "BAD_USER_INPUT"
	CodeConflict     = "CONFLICT"
	CodeInternal     = "INTERNAL_SERVER_ERROR"
)

// ErrorPresenter maps domain errors to codes and safe messages. Anything it
// does not recognise is logged in full and shown as "internal error", so no
// SQL or stack detail reaches a client.
func ErrorPresenter(log *slog.Logger) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		gerr := graphql.DefaultErrorPresenter(ctx, err)
		var direct *gqlerror.Error
		if errors.As(err, &direct) && direct.Err == nil {
			return gerr // a GraphQL-level error (parse, validation, complexity)
		}
		if errors.Is(err, errStopped) || ctx.Err() != nil {
			// The operation was stopped (its client gone, its answer too
			// large): what failed after is its consequence, not news, and
			// the answer is dropped or replaced whole.
			gerr.Message = "operation stopped"
			if gerr.Extensions == nil {
				gerr.Extensions = map[string]any{}
			}
			gerr.Extensions["code"] = CodeInternal
			return gerr
		}
		code, msg := classify(err)
		if code == CodeInternal && badArgument(ctx) {
			code, msg = CodeBadUserInput, "invalid argument: "+err.Error()
		}
		if code == CodeInternal {
			log.ErrorContext(ctx, "resolving", "path", gerr.Path.String(), "err", err)
		}
		gerr.Message = msg
		if gerr.Extensions == nil {
			gerr.Extensions = map[string]any{}
		}
		gerr.Extensions["code"] = code
		return gerr
	}
}

// badArgument reports whether the error arose reading the arguments of the
// field in ctx (a malformed cursor or time): generated code sets the
// field's Args only once they all unmarshal, so a field that declares
// arguments and has none failed on them, before any resolver ran.
func badArgument(ctx context.Context) bool {
	fc := graphql.GetFieldContext(ctx)
	return fc != nil && fc.Args == nil && fc.Field.Field != nil && fc.Field.Definition != nil &&
		len(fc.Field.Definition.Arguments) > 0
}

func classify(err error) (code, msg string) {
	var ae *apperr.Error
	var nf *ent.NotFoundError
	var ve *ent.ValidationError
	switch {
	case errors.As(err, &ae):
		return map[apperr.Kind]string{
			apperr.KindInvalid: CodeBadUserInput, apperr.KindConflict: CodeConflict, apperr.KindNotFound: CodeNotFound,
		}[ae.Kind], ae.Msg
	case errors.As(err, &nf), errors.Is(err, privacy.Deny):
		// A filtered-out row and a missing row must look the same.
		return CodeNotFound, "not found"
	case errors.As(err, &ve):
		return CodeBadUserInput, ve.Error()
	case ent.IsConstraintError(err):
		return CodeConflict, "conflicts with existing data"
	default:
		return CodeInternal, "internal error"
	}
}
