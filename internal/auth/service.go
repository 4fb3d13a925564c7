package auth

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/wexio/webhooks/ent"
	"github.com/wexio/webhooks/ent/apikey"
	"github.com/wexio/webhooks/ent/privacy"
	"github.com/wexio/webhooks/ent/schema/pulid"
	"github.com/wexio/webhooks/ent/workspace"
	"github.com/wexio/webhooks/internal/apperr"
	"github.com/wexio/webhooks/internal/tenant"
)

// ErrUnauthenticated means no valid API key was presented.
var ErrUnauthenticated = errors.New("auth: a valid API key is required (Authorization: Bearer <key>)")

// DefaultWorkspace is the workspace created on first start.
const DefaultWorkspace = "Default"

// Service looks up keys and creates workspaces and keys.
type Service struct {
	read, write *ent.Client
	// limiter, when set, holds each key to its rate (Limit).
	limiter *Limiter
}

// Limit holds every API key to l's rate of GraphQL requests: Middleware
// answers 429 past it, and AllowSubscription refuses a subscription.
func (s *Service) Limit(l *Limiter) { s.limiter = l }

// AllowSubscription takes one request of the allowance of the key that
// authenticated ctx (a subscription counts once, when it starts).
func (s *Service) AllowSubscription(ctx context.Context) (ok bool, retryAfter time.Duration) {
	if s.limiter == nil {
		return true, 0
	}
	return s.limiter.Allow(KeyID(ctx))
}

// NewService returns a Service over the read and write clients.
func NewService(read, write *ent.Client) *Service {
	return &Service{read: read, write: write}
}

// System returns ctx allowed past tenant filtering, for work that is not done
// on behalf of one API caller (key lookup, bootstrap, the CLI).
func System(ctx context.Context) context.Context {
	return privacy.DecisionContext(ctx, privacy.Allow)
}

// Authenticate returns ctx scoped to the workspace of key.
func (s *Service) Authenticate(ctx context.Context, key string) (context.Context, error) {
	if !WellFormed(key) {
		return nil, ErrUnauthenticated
	}
	k, err := s.read.APIKey.Query().Where(apikey.Hash(HashKey(key))).Only(System(ctx))
	if ent.IsNotFound(err) {
		return nil, ErrUnauthenticated
	}
	if err != nil {
		return nil, fmt.Errorf("looking up API key: %w", err)
	}
	return withKeyID(tenant.WithWorkspace(ctx, string(k.WorkspaceID)), k.ID), nil
}

// BearerToken extracts the token of an "Authorization: Bearer <token>" value
// (scheme case-insensitive).
func BearerToken(header string) (string, bool) {
	scheme, token, ok := strings.Cut(strings.TrimSpace(header), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != ""
}

// CreateWorkspace creates a workspace and its first API key, returned in
// plaintext (the only time it is).
func (s *Service) CreateWorkspace(ctx context.Context, name string) (*ent.Workspace, string, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return nil, "", apperr.Invalid("workspace name must not be empty")
	}
	var ws *ent.Workspace
	var key string
	err := WithTx(System(ctx), s.write, func(tx *ent.Tx) error {
		var err error
		ws, err = tx.Workspace.Create().SetName(name).Save(System(ctx))
		if ent.IsConstraintError(err) {
			return apperr.Conflict("a workspace named %q already exists", name)
		}
		if err != nil {
			return fmt.Errorf("creating workspace: %w", err)
		}
		key, err = createKey(ctx, tx.Client(), ws.ID)
		return err
	})
	if err != nil {
		return nil, "", err
	}
	return ws, key, nil
}

// CreateKey creates a new API key for the workspace named by id or name.
func (s *Service) CreateKey(ctx context.Context, idOrName string) (string, error) {
	ws, err := s.write.Workspace.Query().
		Where(workspace.Or(workspace.ID(pulid.ID(idOrName)), workspace.Name(idOrName))).
		First(System(ctx))
	if ent.IsNotFound(err) {
		return "", apperr.NotFound(fmt.Sprintf("workspace %q", idOrName))
	}
	if err != nil {
		return "", fmt.Errorf("finding workspace: %w", err)
	}
	return createKey(ctx, s.write, ws.ID)
}

// Bootstrap creates workspace Default and its API key when the database
// holds no API key yet. The key is preset when given (WEXIO_API_KEY), else
// generated. It returns the key and whether it was created now.
func (s *Service) Bootstrap(ctx context.Context, preset string) (string, bool, error) {
	ctx = System(ctx)
	key, err := s.bootstrap(ctx, preset)
	if ent.IsConstraintError(err) {
		// Another server starting on the same empty database created
		// Default first (its insert held ours until it committed): this
		// one has nothing left to create.
		key, err = s.bootstrap(ctx, preset)
	}
	if err != nil {
		return "", false, fmt.Errorf("bootstrapping: %w", err)
	}
	return key, key != "", nil
}

// bootstrap is one attempt of Bootstrap, in one transaction.
func (s *Service) bootstrap(ctx context.Context, preset string) (string, error) {
	var key string
	err := WithTx(ctx, s.write, func(tx *ent.Tx) error {
		n, err := tx.APIKey.Query().Count(ctx)
		if err != nil || n > 0 {
			return err
		}
		ws, err := tx.Workspace.Query().Where(workspace.Name(DefaultWorkspace)).Only(ctx)
		if ent.IsNotFound(err) {
			ws, err = tx.Workspace.Create().SetName(DefaultWorkspace).Save(ctx)
		}
		if err != nil {
			return fmt.Errorf("creating default workspace: %w", err)
		}
		if preset == "" {
			key, err = createKey(ctx, tx.Client(), ws.ID)
			return err
		}
		key = preset
		return saveKey(ctx, tx.Client(), ws.ID, key)
	})
	return key, err
}

func createKey(ctx context.Context, c *ent.Client, ws pulid.ID) (string, error) {
	key := NewKey()
	return key, saveKey(ctx, c, ws, key)
}

func saveKey(ctx context.Context, c *ent.Client, ws pulid.ID, key string) error {
	err := c.APIKey.Create().SetWorkspaceID(ws).SetHash(HashKey(key)).SetHint(Hint(key)).Exec(System(ctx))
	if err != nil {
		return fmt.Errorf("creating API key: %w", err)
	}
	return nil
}

// WithTx runs fn in a transaction on c, committing when fn returns nil.
func WithTx(ctx context.Context, c *ent.Client, fn func(tx *ent.Tx) error) error {
	tx, err := c.Tx(ctx)
	if err != nil {
		return fmt.Errorf("starting transaction: %w", err)
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("committing: %w", err)
	}
	return nil
}
