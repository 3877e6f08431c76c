#!/usr/bin/env bash
# pg.sh - install (Debian 12) and run a PostgreSQL cluster on 127.0.0.1 for the team workspace (issue 22),
# without systemd, the way scripts/mailservers.sh runs the mail servers.
#
#   scripts/pg.sh start    # install if needed, initdb once, start, wait until it accepts connections
#                          #   (idempotent: when it already runs it only checks)
#   scripts/pg.sh stop     # stop the cluster this script started
#   scripts/pg.sh status   # exits 1 unless the cluster accepts connections
#   scripts/pg.sh env      # PG_URL=postgres://postgres:postgres@127.0.0.1:5433/postgres (eval-able)
#                          # start also makes an empty database `switchboard` to try a workspace in
#
# PostgreSQL refuses to run as root: as root the server runs as the `postgres` system user (created when
# missing); as any other user it runs as that user. apt-get needs root or passwordless sudo.
# The superuser `postgres` has the password `postgres` (loopback only; tests create one database each).
#
# Environment overrides: PG_ROOT [${TMPDIR:-/tmp}/switchboard-pg]  PG_PORT [5433]  PG_INSTALL [1]
#   PG_STOP_MODE [fast]: stop's shutdown mode; `immediate` is a crash (test/teamRestart.test.ts uses both)
set -euo pipefail

_tmp="${TMPDIR:-/tmp}"
PG_ROOT="${PG_ROOT:-${_tmp%/}/switchboard-pg}"
PG_PORT="${PG_PORT:-5433}"
PG_INSTALL="${PG_INSTALL:-1}"
PG_STOP_MODE="${PG_STOP_MODE:-fast}"
PG_PASSWORD=postgres
DATA="$PG_ROOT/data"
LOGFILE="$PG_ROOT/postgres.log"
CMD="${1:-start}"

die() { echo "pg.sh: $*" >&2; exit 1; }

pg_bin() {
  local d
  for d in /usr/lib/postgresql/*/bin; do [ -x "$d/pg_ctl" ] && { echo "$d"; return 0; }; done
  command -v pg_ctl >/dev/null 2>&1 && { dirname "$(command -v pg_ctl)"; return 0; }
  return 1
}

install_pg() {
  pg_bin >/dev/null && return 0
  [ "$PG_INSTALL" = 1 ] || die "PostgreSQL is not installed (PG_INSTALL=0)"
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null && sudo -n true 2>/dev/null || die "installing postgresql needs root or passwordless sudo"
    sudo="sudo -n"
  fi
  echo "pg.sh: installing postgresql…"
  # policy-rc.d: the package must not start the system-wide cluster on port 5432.
  local own_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | $sudo tee /usr/sbin/policy-rc.d >/dev/null && $sudo chmod 755 /usr/sbin/policy-rc.d && own_policy=1
  fi
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q postgresql >/tmp/pg-apt.log 2>&1 ||
    { $sudo apt-get update -q >>/tmp/pg-apt.log 2>&1 && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q postgresql >>/tmp/pg-apt.log 2>&1; } ||
    { [ "$own_policy" = 1 ] && $sudo rm -f /usr/sbin/policy-rc.d; tail -20 /tmp/pg-apt.log; die "apt-get install postgresql failed"; }
  [ "$own_policy" = 1 ] && $sudo rm -f /usr/sbin/policy-rc.d
  pg_bin >/dev/null || die "postgresql installed but pg_ctl not found"
}

# The user the server runs as: never root.
RUN_AS=""
as_owner() {
  if [ -n "$RUN_AS" ]; then
    # runuser keeps no tty and needs no password; cd / so the postgres user can read its cwd.
    (cd / && runuser -u "$RUN_AS" -- "$@")
  else
    "$@"
  fi
}
pick_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --user-group --home-dir "$PG_ROOT" --no-create-home --shell /usr/sbin/nologin postgres
    RUN_AS=postgres
  fi
}

ready() { "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" >/dev/null 2>&1; }

start() {
  install_pg
  BIN="$(pg_bin)"
  pick_owner
  if ready; then make_try_db; echo "PostgreSQL running on 127.0.0.1:$PG_PORT ($DATA)"; return 0; fi
  mkdir -p "$PG_ROOT"
  [ -n "$RUN_AS" ] && chown "$RUN_AS:" "$PG_ROOT"
  chmod 700 "$PG_ROOT"
  if [ ! -s "$DATA/PG_VERSION" ]; then
    local pwfile="$PG_ROOT/.pw"
    echo "$PG_PASSWORD" >"$pwfile"
    [ -n "$RUN_AS" ] && chown "$RUN_AS:" "$pwfile"
    as_owner "$BIN/initdb" -D "$DATA" -U postgres --pwfile="$pwfile" --auth=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$PG_ROOT/initdb.log" 2>&1 ||
      { cat "$PG_ROOT/initdb.log" >&2; die "initdb failed"; }
    rm -f "$pwfile"
    # Loopback only; a socket dir of our own (the system one may not exist or belong to another cluster).
    cat >>"$DATA/postgresql.conf" <<EOF
# written by scripts/pg.sh
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$PG_ROOT'
max_connections = 200
fsync = on
log_min_messages = warning
EOF
  fi
  # A stale pid file from a killed server (machine restarted, /tmp kept) would stop pg_ctl.
  if [ -f "$DATA/postmaster.pid" ] && ! kill -0 "$(head -1 "$DATA/postmaster.pid")" 2>/dev/null; then rm -f "$DATA/postmaster.pid"; fi
  # The server must not inherit the caller's stdout/stderr (a test runner would wait for EOF).
  # 9>&-: the server must not inherit the start lock, or the next start would wait for the server to exit.
  as_owner "$BIN/pg_ctl" -D "$DATA" -l "$LOGFILE" -w -t 60 start </dev/null >/dev/null 2>&1 9>&- ||
    { tail -20 "$LOGFILE" >&2 2>/dev/null; die "PostgreSQL did not start"; }
  ready || die "PostgreSQL started but does not accept connections on $PG_PORT"
  make_try_db
  echo "PostgreSQL running on 127.0.0.1:$PG_PORT ($DATA)"
}

# An empty database `switchboard` to try a team workspace in (README: "Team workspace"); tests make their own.
make_try_db() {
  PGPASSWORD="$PG_PASSWORD" "$BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -Atqc "SELECT 1 FROM pg_database WHERE datname = 'switchboard'" 2>/dev/null | grep -q 1 ||
    PGPASSWORD="$PG_PASSWORD" "$BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -qc 'CREATE DATABASE switchboard' >/dev/null 2>&1 || true
}

stop() {
  BIN="$(pg_bin)" || return 0
  pick_owner
  [ -f "$DATA/postmaster.pid" ] || { echo "PostgreSQL not running"; return 0; }
  as_owner "$BIN/pg_ctl" -D "$DATA" -m "$PG_STOP_MODE" -w stop >/dev/null 2>&1 || true
  echo "PostgreSQL stopped"
}

# Test files start it in parallel: one start at a time (the others then find it running).
locked() {
  mkdir -p "$(dirname "$PG_ROOT")"
  if command -v flock >/dev/null 2>&1; then
    exec 9>"$PG_ROOT.lock"
    flock 9
  fi
  "$@"
}

case "$CMD" in
  start) locked start ;;
  stop) stop ;;
  restart) stop; start ;;
  status)
    BIN="$(pg_bin)" || die "PostgreSQL is not installed"
    if ready; then echo "PostgreSQL: running (127.0.0.1:$PG_PORT, $DATA)"; else echo "PostgreSQL: not running"; exit 1; fi ;;
  env) echo "PG_URL=postgres://postgres:$PG_PASSWORD@127.0.0.1:$PG_PORT/postgres" ;;
  *) die "usage: pg.sh start|stop|restart|status|env" ;;
esac
