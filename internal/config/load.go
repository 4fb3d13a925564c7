package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"strings"
	"text/tabwriter"
)

// Load reads the environment through lookupEnv, lets flags in args override
// it, validates the result and returns the arguments that are not flags.
// Flags may come before, between or after those arguments ("serve --addr
// :9090" and "--addr :9090 serve" both work); "--" ends the flags. An
// environment variable set to "" counts as unset.
//
// Errors are *Error naming the variable or flag, except flag.ErrHelp for
// -h/--help, returned as is. A nil lookupEnv reads no environment.
func Load(args []string, lookupEnv func(string) (string, bool)) (Config, []string, error) {
	if lookupEnv == nil {
		lookupEnv = func(string) (string, bool) { return "", false }
	}
	flagRaw, positional, err := parseFlags(args)
	if err != nil {
		return Config{}, nil, err
	}
	c := Default()
	var names [numFields]string
	var given [numFields]bool
	for i, f := range fields {
		names[i] = f.env
		raw, ok := flagRaw[i]
		if ok {
			names[i] = "--" + f.flag
		} else if raw, ok = lookupEnv(f.env); !ok || raw == "" {
			continue
		}
		given[i] = true
		if p := f.parse(&c, raw); p != "" {
			return Config{}, nil, &Error{Name: names[i], Problem: p}
		}
	}
	if !given[idxPublicURL] {
		c.PublicURL = localURL(c.Addr)
	}
	if err := c.validate(names[:], given[:]); err != nil {
		return Config{}, nil, err
	}
	return c, positional, nil
}

// localURL is the URL of a server listening on addr, as a caller on the
// same machine reaches it: the default public URL, so that WEXIO_ADDR=:8092
// hands out inbound URLs on port 8092.
func localURL(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return Default().PublicURL // validate names the address
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// parseFlags returns the raw text of each flag given (by field index) and
// the positional arguments. Values are only collected here so that a flag
// overrides its variable even when the variable's value is invalid.
func parseFlags(args []string) (map[int]string, []string, error) {
	raw := make(map[int]string)
	fs := flag.NewFlagSet("wexio", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	for i, f := range fields {
		set := func(v string) error { raw[i] = v; return nil }
		if f.boolean {
			fs.BoolFunc(f.flag, f.help, set)
		} else {
			fs.Func(f.flag, f.help, set)
		}
	}
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, nil, flag.ErrHelp
			}
			return nil, nil, &Error{Name: "command line", Problem: err.Error()}
		}
		left := fs.Args()
		if len(left) == 0 {
			return raw, positional, nil
		}
		// The flag package stops at the first non-flag; carry on after it
		// unless what stopped it was "--".
		if used := len(args) - len(left); used > 0 && args[used-1] == "--" {
			return raw, append(positional, left...), nil
		}
		positional = append(positional, left[0])
		args = left[1:]
	}
}

// Usage writes the flags, each with its environment variable and default.
func Usage(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	def := Default()
	fmt.Fprintln(tw, "  flag\tenvironment variable\tdefault\tmeaning")
	for _, f := range fields {
		shown := f.show(def)
		if shown == "" {
			shown = "unset"
		}
		fmt.Fprintf(tw, "  --%s\t%s\t%s\t%s\n", f.flag, f.env, shown, f.help)
	}
	_ = tw.Flush() // Usage is best effort: there is nowhere to report a failed write to.
}

// Markdown writes the settings as a Markdown table: each variable, its
// flag, its default and what it means (docs/configuration.md holds it).
func Markdown(w io.Writer) {
	def := Default()
	fmt.Fprintln(w, "| environment variable | flag | default | meaning |")
	fmt.Fprintln(w, "| --- | --- | --- | --- |")
	for _, f := range fields {
		shown := f.show(def)
		if shown == "" {
			shown = "unset"
		} else {
			shown = "`" + shown + "`"
		}
		fmt.Fprintf(w, "| `%s` | `--%s` | %s | %s |\n", f.env, f.flag, shown, strings.ReplaceAll(f.help, "|", "\\|"))
	}
}
