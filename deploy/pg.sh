#!/usr/bin/env bash
# A private PostgreSQL 15 cluster for cxdesk: one data folder, 127.0.0.1 only,
# trust authentication for user postgres. Used by deploy/up.sh and tests/run.sh.
#
# Usage:
#   deploy/pg.sh start DATADIR PORT    initdb when DATADIR has no PG_VERSION, then start
#                                      it on 127.0.0.1:PORT and wait until it is ready
#   deploy/pg.sh stop DATADIR          fast shutdown; fine when it is not running
#   deploy/pg.sh destroy DATADIR       stop, then delete the cluster's files
#   deploy/pg.sh status DATADIR        prints "running on port N" or "not running"
#   deploy/pg.sh ensure-db PORT NAME   creates database NAME on 127.0.0.1:PORT if missing
#   deploy/pg.sh free-port             prints a free TCP port on 127.0.0.1
#
# Environment:
#   CXDESK_PG_FAST=1      fsync, synchronous_commit and full_page_writes off:
#                         only for throwaway clusters (tests), never for real data
#   CXDESK_PG_BINDIR      folder of initdb/pg_ctl (default: PostgreSQL 15's)
#   CXDESK_PG_TIMEOUT     seconds to wait for readiness (default 60)
#
# Files: the data folder is DATADIR; the log (postgres.log) and the unix socket
# live in the run folder DATADIR.run beside it (or /tmp/cxdesk-pg-HASH when that
# path would be too long for a socket).
#
# PostgreSQL refuses to run as root. As root, the server programs run as user
# postgres (runuser) and the folders are given to postgres; when postgres cannot
# reach DATADIR's parent folder (say a checkout under /root, mode 700), the data
# lives in /var/tmp/cxdesk-pg-HASH/ and DATADIR becomes a symlink to it.
#
# The file can also be sourced: it then only defines the pg_* functions.
set -euo pipefail

pg_log() { printf 'pg: %s\n' "$*" >&2; }
pg_die() { printf 'pg: error: %s\n' "$*" >&2; exit 1; }

# Prints the folder holding initdb, pg_ctl and postgres.
pg_bindir() {
  if [[ -n "${CXDESK_PG_BINDIR:-}" ]]; then
    printf '%s\n' "${CXDESK_PG_BINDIR}"
    return 0
  fi
  # On Debian pg_config comes from libpq-dev too and may print /usr/bin, which
  # has no server programs; the versioned folder is the reliable one.
  if [[ -x /usr/lib/postgresql/15/bin/pg_ctl ]]; then
    printf '%s\n' /usr/lib/postgresql/15/bin
    return 0
  fi
  local dir
  if command -v pg_config >/dev/null 2>&1; then
    dir="$(pg_config --bindir 2>/dev/null || true)"
    if [[ -n "${dir}" && -x "${dir}/pg_ctl" && -x "${dir}/initdb" ]]; then
      printf '%s\n' "${dir}"
      return 0
    fi
  fi
  # Any other installed major version, newest first.
  dir="$(printf '%s\n' /usr/lib/postgresql/*/bin/pg_ctl | sort -V | tail -n 1)"
  if [[ -x "${dir}" ]]; then
    dirname "${dir}"
    return 0
  fi
  if command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(command -v pg_ctl)"
    return 0
  fi
  pg_die "PostgreSQL server programs (pg_ctl, initdb) not found; run deploy/install-deps.sh"
}

pg_hash() { printf '%s' "$1" | sha256sum | cut -c1-12; }

# Succeeds when we are root and must therefore run the server as postgres.
pg_as_root() { ((EUID == 0)); }

# Runs a server program as the user that owns the cluster.
pg_run() {
  if pg_as_root; then
    id postgres >/dev/null 2>&1 || pg_die "running as root but there is no user postgres (install postgresql-15)"
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# Succeeds when user postgres can search (traverse) folder $1.
pg_postgres_can_reach() {
  runuser -u postgres -- test -x "$1" 2>/dev/null
}

# Prints the real (symlink-free) data folder for DATADIR, creating it (and, as
# root, arranging for postgres to reach it) when create=1.
pg_real_datadir() {
  local datadir="$1" create="${2:-0}"
  local abs parent
  case "${datadir}" in
    /*) abs="${datadir}" ;;
    *) abs="${PWD}/${datadir}" ;;
  esac
  abs="${abs%/}"

  if [[ -L "${abs}" ]]; then
    local target
    target="$(readlink -f "${abs}")" || pg_die "cannot resolve symlink ${abs}"
    if ((create)) && [[ ! -d "${target}" ]]; then
      mkdir -p "${target}"
    fi
    printf '%s\n' "${target}"
    return 0
  fi
  if ((!create)); then
    if [[ -d "${abs}" ]]; then
      readlink -f "${abs}"
    else
      printf '%s\n' "${abs}"
    fi
    return 0
  fi

  parent="$(dirname "${abs}")"
  mkdir -p "${parent}"
  parent="$(readlink -f "${parent}")"
  abs="${parent}/$(basename "${abs}")"

  if pg_as_root && [[ ! -e "${abs}" ]] && ! pg_postgres_can_reach "${parent}"; then
    # postgres cannot reach the folder the caller chose: keep the data in a
    # folder it can reach and leave a symlink where the caller looks.
    local home
    home="/var/tmp/cxdesk-pg-$(pg_hash "${abs}")"
    mkdir -p "${home}/data"
    chmod 0755 "${home}"
    ln -s "${home}/data" "${abs}"
    pg_log "user postgres cannot reach ${parent}; data folder is ${home}/data (symlinked from ${abs})"
    printf '%s\n' "${home}/data"
    return 0
  fi
  mkdir -p "${abs}"
  printf '%s\n' "${abs}"
}

# Prints the run folder (log + unix socket) for a real data folder.
pg_rundir() {
  local real="$1"
  local dir="${real}.run"
  # A unix socket path must fit in 107 bytes, ".s.PGSQL.NNNNN.lock" included.
  if ((${#dir} > 80)); then
    dir="/tmp/cxdesk-pg-$(pg_hash "${real}")"
  fi
  printf '%s\n' "${dir}"
}

# Succeeds when something accepts TCP connections on 127.0.0.1:$1.
pg_port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Prints the port of the postmaster running on real data folder $1, or fails.
pg_running_port() {
  local real="$1" bindir
  bindir="$(pg_bindir)"
  [[ -f "${real}/postmaster.pid" ]] || return 1
  pg_run "${bindir}/pg_ctl" status -D "${real}" >/dev/null 2>&1 || return 1
  sed -n '4p' "${real}/postmaster.pid"
}

pg_wait_ready() {
  local real="$1" port="$2" logfile="$3"
  local bindir timeout deadline
  bindir="$(pg_bindir)"
  timeout="${CXDESK_PG_TIMEOUT:-60}"
  local started="${SECONDS}"
  deadline=$((SECONDS + timeout))
  while ! "${bindir}/pg_isready" -q -h 127.0.0.1 -p "${port}" -U postgres -d postgres; do
    # postmaster.pid appears shortly after pg_ctl start and goes away when the
    # server gives up, so a missing server after a few seconds means it died.
    if ((SECONDS - started >= 3)) && ! pg_run "${bindir}/pg_ctl" status -D "${real}" >/dev/null 2>&1; then
      pg_log "PostgreSQL exited during start-up; last lines of ${logfile}:"
      tail -n 30 "${logfile}" >&2 || true
      return 1
    fi
    if ((SECONDS >= deadline)); then
      pg_log "PostgreSQL on 127.0.0.1:${port} not ready after ${timeout}s; last lines of ${logfile}:"
      tail -n 30 "${logfile}" >&2 || true
      return 1
    fi
    sleep 0.2
  done
}

# pg_start DATADIR PORT
pg_start() {
  (($# == 2)) || pg_die "usage: pg.sh start DATADIR PORT"
  local datadir="$1" port="$2"
  if ! [[ "${port}" =~ ^[0-9]+$ ]] || ((port < 1 || port > 65535)); then
    pg_die "bad port: ${port}"
  fi

  local bindir real rundir logfile running_port
  bindir="$(pg_bindir)"
  real="$(pg_real_datadir "${datadir}" 1)"
  rundir="$(pg_rundir "${real}")"
  logfile="${rundir}/postgres.log"
  mkdir -p "${rundir}"
  chmod 0700 "${rundir}"
  if pg_as_root; then
    chown postgres:postgres "${rundir}"
    [[ "$(stat -c %U "${real}")" == postgres ]] || chown -R postgres:postgres "${real}"
    pg_postgres_can_reach "${real}" || pg_die "user postgres cannot reach ${real}; move it or open its parent folders (chmod o+x)"
    pg_postgres_can_reach "${rundir}" || pg_die "user postgres cannot reach ${rundir}"
  fi

  if running_port="$(pg_running_port "${real}")"; then
    if [[ "${running_port}" != "${port}" ]]; then
      pg_die "the cluster in ${datadir} is already running on port ${running_port}, not ${port}; stop it first: deploy/pg.sh stop ${datadir}"
    fi
    pg_log "already running on 127.0.0.1:${port} (${datadir})"
    pg_wait_ready "${real}" "${port}" "${logfile}"
    return 0
  fi

  if pg_port_in_use "${port}"; then
    pg_die "port ${port} on 127.0.0.1 is already in use by another program; choose another port"
  fi

  if [[ ! -f "${real}/PG_VERSION" ]]; then
    if [[ -n "$(ls -A "${real}")" ]]; then
      pg_die "${datadir} is neither empty nor a PostgreSQL data folder (no PG_VERSION)"
    fi
    local locale=C
    if grep -qixE 'c\.utf-?8' <<<"$(locale -a 2>/dev/null || true)"; then
      locale=C.UTF-8
    fi
    pg_log "initdb ${datadir} (locale ${locale})"
    if ! pg_run "${bindir}/initdb" -D "${real}" --auth=trust --username=postgres -E UTF8 \
      --locale="${locale}" >"${rundir}/initdb.log" 2>&1; then
      pg_log "initdb failed; its output:"
      cat "${rundir}/initdb.log" >&2
      return 1
    fi
    # Our settings live in cxdesk.conf, rewritten at every start.
    printf "\n# Written by deploy/pg.sh\ninclude_if_exists = 'cxdesk.conf'\n" >>"${real}/postgresql.conf"
  fi

  # Settings. Paths are quoted for postgresql.conf (a single quote is doubled).
  local sockdir="${rundir//\'/\'\'}"
  {
    printf '# Written by deploy/pg.sh at every start; edits are lost.\n'
    printf "listen_addresses = '127.0.0.1'\n"
    printf 'port = %d\n' "${port}"
    printf "unix_socket_directories = '%s'\n" "${sockdir}"
    printf 'max_connections = 200\n'
    if [[ "${CXDESK_PG_FAST:-0}" == 1 ]]; then
      printf '# CXDESK_PG_FAST=1: throwaway cluster, a crash may lose or corrupt data\n'
      printf 'fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n'
    fi
  } >"${real}/cxdesk.conf"
  if pg_as_root; then
    chown postgres:postgres "${real}/cxdesk.conf" "${real}/postgresql.conf"
  fi

  local mode=""
  [[ "${CXDESK_PG_FAST:-0}" == 1 ]] && mode=" (fast, unsafe: CXDESK_PG_FAST=1)"
  pg_log "starting PostgreSQL on 127.0.0.1:${port}${mode}, log ${logfile}"
  if ! pg_run "${bindir}/pg_ctl" start -D "${real}" -l "${logfile}" -W >/dev/null; then
    pg_log "pg_ctl start failed; last lines of ${logfile}:"
    tail -n 30 "${logfile}" >&2 || true
    return 1
  fi
  pg_wait_ready "${real}" "${port}" "${logfile}" || return 1
  pg_log "ready: postgresql://postgres@127.0.0.1:${port}/postgres"
}

# pg_stop DATADIR
pg_stop() {
  (($# == 1)) || pg_die "usage: pg.sh stop DATADIR"
  local datadir="$1" bindir real
  bindir="$(pg_bindir)"
  real="$(pg_real_datadir "${datadir}" 0)"
  if [[ ! -f "${real}/postmaster.pid" ]] || ! pg_run "${bindir}/pg_ctl" status -D "${real}" >/dev/null 2>&1; then
    pg_log "not running (${datadir})"
    return 0
  fi
  pg_log "stopping PostgreSQL (${datadir})"
  if ! pg_run "${bindir}/pg_ctl" stop -D "${real}" -m fast -w -t 60 >/dev/null; then
    pg_log "fast shutdown timed out; shutting down immediately"
    pg_run "${bindir}/pg_ctl" stop -D "${real}" -m immediate -w -t 30 >/dev/null || true
  fi
  pg_log "stopped"
}

# pg_destroy DATADIR: stop, then remove the data folder, its run folder and,
# when DATADIR is a symlink made by pg_start, the folder it points into.
pg_destroy() {
  (($# == 1)) || pg_die "usage: pg.sh destroy DATADIR"
  local datadir="$1" real rundir
  pg_stop "${datadir}"
  real="$(pg_real_datadir "${datadir}" 0)"
  rundir="$(pg_rundir "${real}")"
  rm -rf -- "${rundir}"
  if [[ -L "${datadir}" ]]; then
    rm -f -- "${datadir}"
    if [[ "${real}" == /var/tmp/cxdesk-pg-*/data ]]; then
      rm -rf -- "$(dirname "${real}")"
    fi
  fi
  rm -rf -- "${real}"
  pg_log "removed ${datadir}"
}

# pg_status DATADIR
pg_status() {
  (($# == 1)) || pg_die "usage: pg.sh status DATADIR"
  local real port
  real="$(pg_real_datadir "$1" 0)"
  if port="$(pg_running_port "${real}")"; then
    printf 'running on port %s\n' "${port}"
  else
    printf 'not running\n'
    return 1
  fi
}

# pg_ensure_db PORT NAME
pg_ensure_db() {
  (($# == 2)) || pg_die "usage: pg.sh ensure-db PORT NAME"
  local port="$1" name="$2" bindir exists
  [[ "${name}" =~ ^[a-z_][a-z0-9_]*$ ]] || pg_die "bad database name: ${name}"
  bindir="$(pg_bindir)"
  exists="$("${bindir}/psql" -X -q -t -A -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "${port}" -U postgres -d postgres \
    -c "SELECT 1 FROM pg_database WHERE datname = '${name}'")" \
    || pg_die "cannot connect to PostgreSQL on 127.0.0.1:${port}"
  if [[ "${exists}" == 1 ]]; then
    pg_log "database ${name} exists"
    return 0
  fi
  "${bindir}/createdb" -h 127.0.0.1 -p "${port}" -U postgres "${name}" \
    || pg_die "createdb ${name} failed"
  pg_log "created database ${name}"
}

# Prints a TCP port on 127.0.0.1 that nothing listens on.
pg_free_port() {
  local port
  # The kernel's choice when python3 works (pyenv shims may exist but fail).
  if command -v python3 >/dev/null 2>&1 &&
    port="$(python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])' 2>/dev/null)" && [[ "${port}" =~ ^[0-9]+$ ]] &&
    ! pg_port_in_use "${port}"; then
    printf '%s\n' "${port}"
    return 0
  fi
  # Otherwise probe random ports below the usual ephemeral range.
  local i
  for ((i = 0; i < 200; i++)); do
    port=$((20000 + (RANDOM * 32768 + RANDOM) % 12000))
    if ! pg_port_in_use "${port}"; then
      printf '%s\n' "${port}"
      return 0
    fi
  done
  pg_die "no free port found"
}

pg_main() {
  local cmd="${1:-}"
  (($# > 0)) && shift
  case "${cmd}" in
    start) pg_start "$@" ;;
    stop) pg_stop "$@" ;;
    destroy) pg_destroy "$@" ;;
    status) pg_status "$@" ;;
    ensure-db) pg_ensure_db "$@" ;;
    free-port) pg_free_port "$@" ;;
    -h | --help | help) sed -n '2,29s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" ;;
    *)
      sed -n '4,11s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2
      pg_die "unknown command: ${cmd:-<none>}"
      ;;
  esac
}

if [[ "${BASH_SOURCE[0]}" == "${0}" ]]; then
  pg_main "$@"
fi
