# shellcheck shell=bash
# A throwaway PostgreSQL cluster for the tests, sourced by .ci/run and by
# scripts/pg-test-cluster so that CI and a developer start the same one.
#
#   pg_cluster_install        installs Debian's postgresql when initdb is missing
#   pg_cluster_start          initdb + start; sets PG_CLUSTER_DIR and PG_CLUSTER_URL
#   pg_cluster_stop DIR       stops the cluster in DIR and removes DIR
#
# The cluster lives in one temporary directory (data/, sock/, postgres.log),
# listens on 127.0.0.1 at a free port and on a unix socket in sock/, and
# trusts every local connection: it is for tests on this machine only, never
# for data anyone keeps. fsync and synchronous_commit are on, as in
# production, so that the tests see commits cost what they really cost.
#
# Locale: C.UTF-8 (UTF8, byte-order collation). Debian's `locales` package
# generates no locale by itself, so en_US.UTF-8 is missing on a fresh
# machine (this one too), while C.UTF-8 ships with libc; it also keeps
# ORDER BY on text identical on every machine and equal to SQLite's BINARY
# collation. A test that needs a language-aware collation asks for one of
# PostgreSQL's ICU collations explicitly (COLLATE "en-US-x-icu", or
# CREATE DATABASE ... LOCALE_PROVIDER icu ICU_LOCALE 'en-US' TEMPLATE
# template0): Debian builds PostgreSQL with ICU, so those exist whatever
# locales the OS has. Where C.UTF-8 is unknown (not Debian), plain C.

# pg_cluster_bindir prints the directory of initdb and pg_ctl: Debian's
# newest /usr/lib/postgresql/N/bin, else wherever PATH has initdb.
pg_cluster_bindir() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1) || true
  if [ -n "$dir" ] && [ -x "$dir/initdb" ]; then
    echo "$dir"
  elif command -v initdb >/dev/null; then
    dirname "$(command -v initdb)"
  else
    return 1
  fi
}

pg_cluster_install() {
  if pg_cluster_bindir >/dev/null; then
    return 0
  fi
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
    echo "PostgreSQL's initdb is missing: install PostgreSQL (Debian: apt-get install postgresql)" >&2
    return 1
  fi
  echo "installing postgresql from Debian" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null && apt-get install -y -qq postgresql >/dev/null
}

# pg_cluster_as runs a command as the cluster's owner: initdb refuses root,
# so root runs it as the postgres user; anyone else as themselves.
pg_cluster_as() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

pg_cluster_locale() {
  if locale -a 2>/dev/null | grep -qix 'c\.utf-\?8'; then
    echo C.UTF-8
  else
    echo C
  fi
}

# pg_cluster_start sets PG_CLUSTER_DIR (pass it to pg_cluster_stop) and
# PG_CLUSTER_URL, the cluster's postgres database as the postgres superuser.
pg_cluster_start() {
  local bin dir port candidate try
  bin=$(pg_cluster_bindir) || { echo "PostgreSQL's initdb is missing" >&2; return 1; }
  dir=$(mktemp -d "${TMPDIR:-/tmp}/wexio-pg.XXXXXX")
  mkdir "$dir/sock"
  if [ "$(id -u)" -eq 0 ]; then
    chown -R postgres: "$dir"
  fi
  PG_CLUSTER_DIR=$dir
  # From inside $dir: the owner may not be able to enter the caller's
  # working directory, and initdb fails there.
  if ! (cd "$dir" && pg_cluster_as "$bin/initdb" -D "$dir/data" -A trust -U postgres \
    -E UTF8 --locale="$(pg_cluster_locale)" --no-sync >"$dir/initdb.log" 2>&1); then
    cat "$dir/initdb.log" >&2
    echo "initdb failed" >&2
    return 1
  fi
  port=
  for try in 1 2 3 4 5 6 7 8; do
    candidate=$((20000 + RANDOM % 40000))
    # Something answers there already: take another.
    if (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then
      continue
    fi
    if (cd "$dir" && pg_cluster_as "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -c port=$candidate -c unix_socket_directories=$dir/sock -c fsync=on -c synchronous_commit=on" \
      start >/dev/null); then
      port=$candidate
      break
    fi
    # Lost a race for the port, or something else: the log says which.
  done
  if [ -z "$port" ]; then
    tail -n 20 "$dir/postgres.log" >&2 || true
    echo "PostgreSQL did not start" >&2
    return 1
  fi
  for try in $(seq 1 60); do
    if "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres -d postgres; then
      PG_CLUSTER_URL="postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable"
      return 0
    fi
    sleep 0.5
  done
  tail -n 20 "$dir/postgres.log" >&2 || true
  echo "PostgreSQL is not ready after 30s" >&2
  return 1
}

pg_cluster_stop() {
  local dir=${1:?pg_cluster_stop needs the cluster directory} bin
  if [ -f "$dir/data/postmaster.pid" ] && bin=$(pg_cluster_bindir); then
    (cd "$dir" && pg_cluster_as "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null) || true
  fi
  rm -rf "$dir"
}
