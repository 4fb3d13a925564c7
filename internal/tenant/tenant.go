package tenant

import "context"

type ctxKey struct{}

// WithWorkspace returns a context scoped to workspace id.
func WithWorkspace(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, ctxKey{}, id)
}

// Workspace returns the workspace ctx is scoped to.
func Workspace(ctx context.Context) (string, bool) {
	id, ok := ctx.Value(ctxKey{}).(string)
	return id, ok && id != ""
}
