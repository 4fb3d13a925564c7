package app

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"github.com/wexio/webhooks/internal/db/pgtest"
)

// pgCluster is a throwaway PostgreSQL cluster of a test's own, which the
// test may stop and start again, as .ci/pg-cluster.sh makes them: trust
// authentication, on loopback at a free port, its data in a temporary
// directory removed at the end.
type pgCluster struct {
	t     testing.TB
	bin   string     // initdb's and pg_ctl's directory
	dir   string     // data/, sock/, postgres.log
	owner *user.User // the user that runs the tools, when the test runs as root (initdb refuses root)
	port  int
}

// newPGCluster initdbs and starts a cluster, stopped and removed when the
// test ends. Without initdb it skips the test, or fails it where the
// PostgreSQL tests may not skip (pgtest.EnvRequire).
func newPGCluster(t testing.TB) *pgCluster {
	t.Helper()
	bin, ok := pgBinDir()
	if !ok {
		if required, _ := strconv.ParseBool(os.Getenv(pgtest.EnvRequire)); required {
			t.Fatal("PostgreSQL's initdb is missing, and " + pgtest.EnvRequire + " is set")
		}
		t.Skip("PostgreSQL's initdb is missing: this test needs a cluster of its own")
	}
	c := &pgCluster{t: t, bin: bin}
	if os.Geteuid() == 0 {
		var err error
		if c.owner, err = user.Lookup("postgres"); err != nil {
			t.Fatalf("running as root, initdb needs the postgres user: %v", err)
		}
	}
	dir, err := os.MkdirTemp("", "wexio-pg.")
	if err != nil {
		t.Fatal(err)
	}
	c.dir = dir
	t.Cleanup(func() {
		_ = c.tool("pg_ctl", "-D", c.data(), "-m", "immediate", "-w", "stop").Run()
		_ = os.RemoveAll(dir)
	})
	if err := os.Mkdir(filepath.Join(dir, "sock"), 0o700); err != nil {
		t.Fatal(err)
	}
	c.chown(dir, filepath.Join(dir, "sock"))
	c.run("initdb", "-D", c.data(), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync")
	// A free port, taken again by someone else before the start now and
	// then: another one then.
	for try := 0; ; try++ {
		c.port = freePort(t)
		err := c.tool("pg_ctl", c.startArgs()...).Run()
		if err == nil {
			break
		}
		if try == 4 {
			c.fail("pg_ctl start", err, nil)
		}
	}
	return c
}

// URL is the cluster's postgres database, as its superuser.
func (c *pgCluster) URL() string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", c.port)
}

// Stop kills the server at once, as a crash or a pulled plug would: its
// connections end without a goodbye, and the next start recovers.
func (c *pgCluster) Stop() { c.run("pg_ctl", "-D", c.data(), "-m", "immediate", "-w", "stop") }

// Start starts the server again on the same port and data.
func (c *pgCluster) Start() { c.run("pg_ctl", c.startArgs()...) }

func (c *pgCluster) data() string { return filepath.Join(c.dir, "data") }

func (c *pgCluster) startArgs() []string {
	return []string{"-D", c.data(), "-l", filepath.Join(c.dir, "postgres.log"), "-w", "-t", "60", "-o",
		fmt.Sprintf("-c listen_addresses=127.0.0.1 -c port=%d -c unix_socket_directories=%s -c fsync=off",
			c.port, filepath.Join(c.dir, "sock")), "start"}
}

// tool is a command running one of the cluster's tools as its owner.
func (c *pgCluster) tool(name string, args ...string) *exec.Cmd {
	path := filepath.Join(c.bin, name)
	var cmd *exec.Cmd
	if c.owner != nil {
		cmd = exec.Command("runuser", slices.Concat([]string{"-u", c.owner.Username, "--", path}, args)...)
	} else {
		cmd = exec.Command(path, args...)
	}
	cmd.Dir = c.dir // the owner may not enter the test's working directory
	return cmd
}

func (c *pgCluster) run(name string, args ...string) {
	c.t.Helper()
	out, err := c.tool(name, args...).CombinedOutput()
	if err != nil {
		c.fail(name, err, out)
	}
}

func (c *pgCluster) fail(what string, err error, out []byte) {
	c.t.Helper()
	log, _ := os.ReadFile(filepath.Join(c.dir, "postgres.log"))
	c.t.Fatalf("%s: %v\n%s\npostgres.log:\n%s", what, err, out, log)
}

// chown gives paths to the cluster's owner, when it is not the test's.
func (c *pgCluster) chown(paths ...string) {
	if c.owner == nil {
		return
	}
	uid, _ := strconv.Atoi(c.owner.Uid)
	gid, _ := strconv.Atoi(c.owner.Gid)
	for _, p := range paths {
		if err := os.Chown(p, uid, gid); err != nil {
			c.t.Fatal(err)
		}
	}
}

// pgBinDir is where initdb and pg_ctl are, found as .ci/pg-cluster.sh
// finds them: Debian's newest /usr/lib/postgresql/N/bin, else PATH.
func pgBinDir() (string, bool) {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	slices.SortFunc(dirs, func(a, b string) int { return majorOf(a) - majorOf(b) })
	for _, d := range slices.Backward(dirs) {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d, true
		}
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		return filepath.Dir(p), true
	}
	return "", false
}

// majorOf is N of /usr/lib/postgresql/N/bin.
func majorOf(bin string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(bin)))
	return n
}

// freePort is a loopback port nothing listened on a moment ago.
func freePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
