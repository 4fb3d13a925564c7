package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"

	"github.com/wexio/webhooks/internal/config"
)

const usage = `usage:
  wexio [serve] [flags]              run the server (the default)
  wexio workspace create NAME        create a workspace; prints its first API key
  wexio apikey create WORKSPACE      create an API key for a workspace (id or name)

Every flag can also be set by its environment variable:
`

// run parses the command line and runs one command. It returns the process
// exit status: 0 on success, 2 on bad usage or configuration, 1 otherwise.
func run(ctx context.Context, args []string, lookupEnv func(string) (string, bool), stdout, stderr io.Writer) int {
	cfg, rest, err := config.Load(args, lookupEnv)
	if errors.Is(err, flag.ErrHelp) || err == nil && len(rest) == 1 && rest[0] == "help" {
		fmt.Fprint(stdout, usage)
		config.Usage(stdout)
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	log := newLogger(stderr, cfg)
	cmd, err := command(rest)
	if err != nil {
		fmt.Fprintf(stderr, "%v\n%s", err, usage)
		return 2
	}
	a, err := openApp(ctx, cfg, log)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitStatus(err)
	}
	defer func() { _ = a.close() }()
	if err := cmd(ctx, a, stdout, stderr); err != nil {
		fmt.Fprintln(stderr, err)
		return exitStatus(err)
	}
	return 0
}

// newLogger logs to w as cfg says: text or JSON lines, from its level up.
func newLogger(w io.Writer, cfg config.Config) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// exitStatus is 2 for what the configuration names and cannot work (a
// database path that is a directory, an address in use), 1 otherwise.
func exitStatus(err error) int {
	var ce *config.Error
	if errors.As(err, &ce) {
		return 2
	}
	return 1
}

type commandFunc func(ctx context.Context, a *app, stdout, stderr io.Writer) error

// command picks the subcommand named by the positional arguments.
func command(rest []string) (commandFunc, error) {
	switch {
	case len(rest) == 0 || len(rest) == 1 && rest[0] == "serve":
		return func(ctx context.Context, a *app, _, stderr io.Writer) error { return a.serve(ctx, stderr) }, nil
	case len(rest) == 3 && rest[0] == "workspace" && rest[1] == "create":
		name := rest[2]
		return func(ctx context.Context, a *app, stdout, _ io.Writer) error {
			_, key, err := a.auth.CreateWorkspace(ctx, name)
			if err != nil {
				return fmt.Errorf("creating workspace: %w", err)
			}
			_, err = fmt.Fprintln(stdout, key)
			return err
		}, nil
	case len(rest) == 3 && rest[0] == "apikey" && rest[1] == "create":
		ws := rest[2]
		return func(ctx context.Context, a *app, stdout, _ io.Writer) error {
			key, err := a.auth.CreateKey(ctx, ws)
			if err != nil {
				return fmt.Errorf("creating API key: %w", err)
			}
			_, err = fmt.Fprintln(stdout, key)
			return err
		}, nil
	default:
		return nil, fmt.Errorf("unknown command %q", rest)
	}
}
