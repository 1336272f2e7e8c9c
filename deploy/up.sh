#!/usr/bin/env bash
# Starts cxdesk locally: installs what is missing, builds, starts a private
# PostgreSQL 15 and the services, seeds a demo the first time, prints tokens and
# example commands, then stays in the foreground until Ctrl-C (or SIGTERM),
# which stops everything it started.
#
# Usage: deploy/up.sh [--demo-traffic]
#
#   --demo-traffic  also run deploy/demo-traffic.sh: customers keep writing and
#                   agents replying at a gentle pace, so that the console is
#                   alive, warnings and breaches happen and the report has data
#                   (log .cxdesk/logs/demo-traffic.log)
#
# Environment:
#   CXDESK_DATABASE_URL       use this database instead of the private cluster
#   CXDESK_PG_PORT            port of the private cluster (default 7432)
#   CXDESK_TOKEN_SECRET_FILE  token secret (default .cxdesk/token-secret, created once)
#   CXDESK_BUILD_DIR          build folder (default build)
#
# State lives in .cxdesk/ at the repository root (git-ignored): pgdata/ (the
# database), logs/, token-secret, run/ (pid files), seeded (which database was
# seeded: URL without password, cluster id and database oid), demo (the first
# demo ticket and its access key).
# A second run reuses all of it and does not seed again.
set -euo pipefail

demo_traffic=0
while (($# > 0)); do
  case "$1" in
    --demo-traffic) demo_traffic=1 ;;
    -h | --help) sed -n '2,25s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) printf 'up: error: unknown option %s (try --help)\n' "$1" >&2; exit 2 ;;
  esac
  shift
done
readonly demo_traffic

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly ROOT
cd "${ROOT}"

readonly STATE_DIR="${ROOT}/.cxdesk"
readonly LOG_DIR="${STATE_DIR}/logs"
readonly RUN_DIR="${STATE_DIR}/run"
readonly PGDATA="${STATE_DIR}/pgdata"
readonly SEEDED_MARKER="${STATE_DIR}/seeded"
readonly DEMO_FILE="${STATE_DIR}/demo"
readonly DEFAULT_SECRET_FILE="${STATE_DIR}/token-secret"
BUILD_DIR="${CXDESK_BUILD_DIR:-build}"
case "${BUILD_DIR}" in /*) ;; *) BUILD_DIR="${ROOT}/${BUILD_DIR}" ;; esac
readonly BUILD_DIR
readonly CLI="${BUILD_DIR}/clients/cxdesk"
readonly PG_PORT="${CXDESK_PG_PORT:-7432}"
readonly HEALTH_TIMEOUT=30

# The services, in start order; they are stopped in reverse order.
# Each entry: NAME BINARY(relative to the build folder) LISTEN_ADDRESS [EXTRA FLAGS...]
# Every service gets --database-url=URL --listen=ADDRESS --token-secret-file=FILE.
SERVICES=(
  "ticketd services/ticket/cxdesk-ticketd 127.0.0.1:7101 --sla-target=127.0.0.1:7102"
  "slad services/sla/cxdesk-slad 127.0.0.1:7102 --ticket-target=127.0.0.1:7101"
  "escalationd services/escalation/cxdesk-escalationd 127.0.0.1:7103 --ticket-target=127.0.0.1:7101 --sla-target=127.0.0.1:7102"
)
readonly TICKET_TARGET=127.0.0.1:7101
readonly SLA_TARGET=127.0.0.1:7102
readonly ESCALATION_TARGET=127.0.0.1:7103
# The customer portal's gateway: no database, a client of the ticket service.
readonly WEB_ADDR=127.0.0.1:7180
readonly DEMO_CONFIG_DIR="${ROOT}/deploy/demo"

say() { printf 'up: %s\n' "$*"; }
die() { printf 'up: error: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------- shutdown --

started_pg=0
traffic_pid=""
service_names=()
service_pids=()
service_logs=()

# shellcheck disable=SC2317  # reached through the traps below
stop_all() {
  local i pid deadline
  if [[ -n "${traffic_pid}" ]] && kill -0 "${traffic_pid}" 2>/dev/null; then
    say "stopping the demo traffic"
    kill -TERM "${traffic_pid}" 2>/dev/null || true
    wait "${traffic_pid}" 2>/dev/null || true
  fi
  traffic_pid=""
  # Reverse start order: dependants first.
  for ((i = ${#service_pids[@]} - 1; i >= 0; i--)); do
    pid="${service_pids[i]}"
    if kill -0 "${pid}" 2>/dev/null; then
      say "stopping ${service_names[i]} (pid ${pid})"
      kill -TERM "${pid}" 2>/dev/null || true
    fi
  done
  deadline=$((SECONDS + 15))
  for ((i = ${#service_pids[@]} - 1; i >= 0; i--)); do
    pid="${service_pids[i]}"
    while kill -0 "${pid}" 2>/dev/null && ((SECONDS < deadline)); do
      sleep 0.2
    done
    if kill -0 "${pid}" 2>/dev/null; then
      say "${service_names[i]} did not stop within 15s; killing it"
      kill -KILL "${pid}" 2>/dev/null || true
    fi
    wait "${pid}" 2>/dev/null || true
    rm -f "${RUN_DIR}/${service_names[i]}.pid"
  done
  service_pids=()
  service_names=()
  service_logs=()
  if ((started_pg)); then
    "${ROOT}/deploy/pg.sh" stop "${PGDATA}" || true
    started_pg=0
  fi
}

# shellcheck disable=SC2317
on_exit() {
  local rc=$?
  trap - EXIT INT TERM HUP
  # Clean up whatever happens: our terminal may be gone (SIGHUP, writes fail
  # with EIO) or our output may go to a pipe that Ctrl-C also ended (up.sh |
  # tee, SIGPIPE). A failed message must not stop us before the database is.
  set +e
  trap '' PIPE
  # With the terminal gone, pg.sh (set -e) would die on its first message;
  # send the rest of the output to a log file instead.
  if ! { printf '\n'; } 2>/dev/null; then
    exec >>"${LOG_DIR}/up.log" 2>&1
  fi
  stop_all
  if ((rc == 0)); then
    say "stopped"
  fi
  exit "${rc}"
}
trap on_exit EXIT
# HUP too: closing the terminal must not leave the database running.
trap 'printf "\n"; say "shutting down"; exit 0' INT TERM HUP

# ----------------------------------------------------------------- helpers --

# Succeeds when something accepts TCP connections on HOST:PORT ($1).
address_in_use() {
  local host="${1%:*}" port="${1##*:}"
  (exec 3<>"/dev/tcp/${host}/${port}") 2>/dev/null
}

# The URL without its password, for printing and for the seed marker.
redact_url() {
  sed -E 's#^([a-z]+://[^:/@]+):[^@/]*@#\1:***@#' <<<"$1"
}

cli() { "${CLI}" "$@"; }

# ------------------------------------------------------------------- steps --

install_and_build() {
  say "checking dependencies"
  "${ROOT}/deploy/install-deps.sh"

  if [[ ! -f "${BUILD_DIR}/CMakeCache.txt" ]]; then
    say "configuring ${BUILD_DIR} (Release)"
    local args=(-S "${ROOT}" -B "${BUILD_DIR}" -G Ninja -DCMAKE_BUILD_TYPE=Release)
    if command -v ccache >/dev/null 2>&1; then
      args+=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
    fi
    cmake "${args[@]}"
  fi

  local targets=(cxdesk cxdesk-console cxdesk-status cxdesk-web) entry words
  for entry in "${SERVICES[@]}"; do
    read -r -a words <<<"${entry}"
    targets+=("$(basename "${words[1]}")")
  done
  say "building ${targets[*]} (first time takes a while)"
  cmake --build "${BUILD_DIR}" --target "${targets[@]}"

  local client
  for client in "${CLI}" "${BUILD_DIR}/clients/cxdesk-console" "${BUILD_DIR}/clients/cxdesk-status" "${BUILD_DIR}/clients/cxdesk-web"; do
    [[ -x "${client}" ]] || die "the build did not produce ${client}"
  done
  for entry in "${SERVICES[@]}"; do
    read -r -a words <<<"${entry}"
    [[ -x "${BUILD_DIR}/${words[1]}" ]] || die "the build did not produce ${BUILD_DIR}/${words[1]}"
  done
}

prepare_state() {
  mkdir -p "${STATE_DIR}" "${LOG_DIR}" "${RUN_DIR}"
  # Others may traverse (PostgreSQL runs as user postgres when we are root)
  # but not list it; the secret itself is mode 600.
  chmod 0711 "${STATE_DIR}"

  SECRET_FILE="${CXDESK_TOKEN_SECRET_FILE:-${DEFAULT_SECRET_FILE}}"
  case "${SECRET_FILE}" in /*) ;; *) SECRET_FILE="${ROOT}/${SECRET_FILE}" ;; esac
  if [[ ! -s "${SECRET_FILE}" ]]; then
    [[ "${SECRET_FILE}" == "${DEFAULT_SECRET_FILE}" ]] \
      || die "CXDESK_TOKEN_SECRET_FILE=${SECRET_FILE} is missing or empty"
    say "creating the token secret ${SECRET_FILE#"${ROOT}"/}"
    local tmp
    tmp="$(mktemp "${STATE_DIR}/.token-secret.XXXXXX")"
    chmod 0600 "${tmp}"
    # 32 random bytes as 64 hex digits, no newline.
    od -An -N32 -tx1 /dev/urandom | tr -d ' \n' >"${tmp}"
    [[ "$(wc -c <"${tmp}")" -eq 64 ]] || die "could not create the token secret"
    mv -f "${tmp}" "${SECRET_FILE}"
  fi
  export CXDESK_TOKEN_SECRET_FILE="${SECRET_FILE}"
}

# Fails clearly when a service port is taken, by an earlier up.sh or another program.
check_ports() {
  local entry words name addr pid
  for entry in "${SERVICES[@]}"; do
    read -r -a words <<<"${entry}"
    name="${words[0]}"
    addr="${words[2]}"
    if [[ -f "${RUN_DIR}/${name}.pid" ]]; then
      pid="$(cat "${RUN_DIR}/${name}.pid")"
      if [[ "${pid}" =~ ^[0-9]+$ ]] && kill -0 "${pid}" 2>/dev/null &&
        grep -q "$(basename "${words[1]}")" "/proc/${pid}/cmdline" 2>/dev/null; then
        die "${name} is already running (pid ${pid}), probably from another deploy/up.sh: stop that one (Ctrl-C in its terminal, or kill ${pid}) first"
      fi
      rm -f "${RUN_DIR}/${name}.pid"
    fi
    if address_in_use "${addr}"; then
      die "port ${addr##*:} (${name}, ${addr}) is already in use by another program; stop it first"
    fi
  done
  if address_in_use "${WEB_ADDR}"; then
    die "port ${WEB_ADDR##*:} (web, ${WEB_ADDR}) is already in use by another program; stop it first"
  fi
  if [[ -z "${CXDESK_DATABASE_URL:-}" ]] && address_in_use "127.0.0.1:${PG_PORT}" &&
    ! "${ROOT}/deploy/pg.sh" status "${PGDATA}" >/dev/null 2>&1; then
    die "port ${PG_PORT} (PostgreSQL) is already in use by another program; set CXDESK_PG_PORT to a free port"
  fi
}

start_database() {
  if [[ -n "${CXDESK_DATABASE_URL:-}" ]]; then
    DATABASE_URL="${CXDESK_DATABASE_URL}"
    say "using CXDESK_DATABASE_URL ($(redact_url "${DATABASE_URL}"))"
    return 0
  fi
  [[ "${PG_PORT}" =~ ^[0-9]+$ ]] || die "CXDESK_PG_PORT must be a port number, not ${PG_PORT}"
  say "starting the private PostgreSQL on 127.0.0.1:${PG_PORT} (data in .cxdesk/pgdata)"
  started_pg=1
  "${ROOT}/deploy/pg.sh" start "${PGDATA}" "${PG_PORT}"
  "${ROOT}/deploy/pg.sh" ensure-db "${PG_PORT}" cxdesk
  DATABASE_URL="postgresql://postgres@127.0.0.1:${PG_PORT}/cxdesk"
}

# Polls `cxdesk --target=ADDR health` until it succeeds, the process dies or
# HEALTH_TIMEOUT passes.
wait_healthy() {
  local name="$1" addr="$2" pid="$3" log="$4"
  local deadline=$((SECONDS + HEALTH_TIMEOUT))
  while true; do
    if env -u CXDESK_TOKEN timeout 5 "${CLI}" --target="${addr}" health >/dev/null 2>&1; then
      return 0
    fi
    if ! kill -0 "${pid}" 2>/dev/null; then
      printf 'up: error: %s exited during start-up; last lines of %s:\n' "${name}" "${log#"${ROOT}"/}" >&2
      tail -n 30 "${log}" >&2 || true
      return 1
    fi
    if ((SECONDS >= deadline)); then
      printf 'up: error: %s is not serving on %s after %ss; last lines of %s:\n' \
        "${name}" "${addr}" "${HEALTH_TIMEOUT}" "${log#"${ROOT}"/}" >&2
      tail -n 30 "${log}" >&2 || true
      return 1
    fi
    sleep 0.5
  done
}

start_services() {
  local entry words name bin addr log pid
  for entry in "${SERVICES[@]}"; do
    read -r -a words <<<"${entry}"
    name="${words[0]}"
    bin="${BUILD_DIR}/${words[1]}"
    addr="${words[2]}"
    log="${LOG_DIR}/${name}.log"
    say "starting ${name} on ${addr} (log .cxdesk/logs/${name}.log)"
    printf '\n==== %s deploy/up.sh starts %s\n' "$(date -u +%FT%TZ)" "${name}" >>"${log}"
    "${bin}" --database-url="${DATABASE_URL}" --listen="${addr}" \
      --token-secret-file="${SECRET_FILE}" "${words[@]:3}" >>"${log}" 2>&1 &
    pid=$!
    service_names+=("${name}")
    service_pids+=("${pid}")
    service_logs+=("${log}")
    printf '%s\n' "${pid}" >"${RUN_DIR}/${name}.pid"
    wait_healthy "${name}" "${addr}" "${pid}" "${log}" || exit 1
    say "${name} is serving on ${addr}"
  done
}

# cxdesk-web, the customer portal's gateway (its JSON API, docs/web-api.md),
# watched and stopped with the services.
start_web() {
  local log="${LOG_DIR}/web.log" pid
  say "starting web on ${WEB_ADDR} (log .cxdesk/logs/web.log)"
  printf '\n==== %s deploy/up.sh starts web\n' "$(date -u +%FT%TZ)" >>"${log}"
  "${BUILD_DIR}/clients/cxdesk-web" --listen="${WEB_ADDR}" \
    --ticket-target="${TICKET_TARGET}" >>"${log}" 2>&1 &
  pid=$!
  service_names+=(web)
  service_pids+=("${pid}")
  service_logs+=("${log}")
  printf '%s\n' "${pid}" >"${RUN_DIR}/web.pid"
  for _ in $(seq 1 $((HEALTH_TIMEOUT * 10))); do
    address_in_use "${WEB_ADDR}" && break
    kill -0 "${pid}" 2>/dev/null || die "web exited at start (see .cxdesk/logs/web.log)"
    sleep 0.1
  done
  address_in_use "${WEB_ADDR}" || die "web is not listening on ${WEB_ADDR} after ${HEALTH_TIMEOUT}s"
  say "web is serving on http://${WEB_ADDR}"
}

# Creates one demo ticket; prints the CLI's output.
create_ticket() {
  env -u CXDESK_TOKEN "${CLI}" --target="${TICKET_TARGET}" ticket create "$@"
}

# Prints the ticket id from `ticket create` output ("id: N", "ticket N", "#N").
parse_ticket_id() {
  local id
  id="$(sed -nE 's/^[[:space:]]*id:[[:space:]]*([0-9]+).*/\1/Ip' <<<"$1" | head -n 1)"
  [[ -n "${id}" ]] || id="$(grep -oiE 'ticket[[:space:]]+#?[0-9]+' <<<"$1" | grep -oE '[0-9]+' | head -n 1 || true)"
  [[ -n "${id}" ]] || id="$(grep -oE '#[0-9]+' <<<"$1" | tr -d '#' | head -n 1 || true)"
  printf '%s\n' "${id:-1}"
}

# Prints what identifies the seeded database: its URL (without password; for
# the private cluster without port, so a new CXDESK_PG_PORT does not reseed)
# plus the cluster's system identifier and the database's oid, so a recreated
# cluster or database is seeded again. Empty identity when psql cannot tell.
database_identity() {
  local where ident=""
  if [[ -z "${CXDESK_DATABASE_URL:-}" ]]; then
    where="private cluster .cxdesk/pgdata, database cxdesk"
  else
    where="$(redact_url "${DATABASE_URL}")"
  fi
  if command -v psql >/dev/null 2>&1; then
    ident="$(psql -X -q -t -A -d "${DATABASE_URL}" -c \
      "SELECT s.system_identifier || '/' || d.oid FROM pg_control_system() s, pg_database d WHERE d.datname = current_database()" \
      2>/dev/null || true)"
  fi
  printf '%s %s\n' "${where}" "${ident}"
}

# Creates the demo calendars and policies that do not exist yet (checked one
# by one, so a desk seeded before the SLA service existed gets them too, and
# a manager's later changes are kept).
seed_sla_config() {
  local manager_token kind file id
  manager_token="$(cli token issue --role manager --subject up.sh)" || die "cxdesk token issue failed"
  for kind in calendar policy; do
    for file in "${DEMO_CONFIG_DIR}"/*."${kind}".txtpb; do
      id="$(basename "${file}" ".${kind}.txtpb")"
      if CXDESK_TOKEN="${manager_token}" "${CLI}" --sla-target="${SLA_TARGET}" \
        "${kind}" get "${id}" >/dev/null 2>&1; then
        continue
      fi
      CXDESK_TOKEN="${manager_token}" "${CLI}" --sla-target="${SLA_TARGET}" \
        "${kind}" create --file "${file}" >/dev/null ||
        die "seeding failed: ${kind} create --file ${file#"${ROOT}"/} (see .cxdesk/logs/slad.log)"
      say "  ${kind} ${id} (deploy/demo/$(basename "${file}"))"
    done
  done
}

# Creates the demo directory, routing rules and ladder that do not exist yet
# (each checked by id, so a manager's later changes are kept). Teams name
# their lead and manager, who must exist as agents, and agents name their
# teams: teams are created without lead and manager first, then the agents,
# then the teams are completed.
seed_escalation_config() {
  local manager_token kind file id
  manager_token="$(cli token issue --role manager --subject up.sh)" || die "cxdesk token issue failed"
  esc() { CXDESK_TOKEN="${manager_token}" "${CLI}" --escalation-target="${ESCALATION_TARGET}" "$@"; }
  local -a new_teams=()
  for file in "${DEMO_CONFIG_DIR}"/*.team.txtpb; do
    id="$(basename "${file}" .team.txtpb)"
    esc team get "${id}" >/dev/null 2>&1 && continue
    esc team create --file <(grep -vE '^[[:space:]]*(lead|manager):' "${file}") >/dev/null ||
      die "seeding failed: team create --file ${file#"${ROOT}"/} (see .cxdesk/logs/escalationd.log)"
    new_teams+=("${file}")
  done
  for kind in agent rule; do
    for file in "${DEMO_CONFIG_DIR}"/*."${kind}".txtpb; do
      id="$(basename "${file}" ".${kind}.txtpb")"
      esc "${kind}" get "${id}" >/dev/null 2>&1 && continue
      esc "${kind}" create --file "${file}" >/dev/null ||
        die "seeding failed: ${kind} create --file ${file#"${ROOT}"/} (see .cxdesk/logs/escalationd.log)"
      say "  ${kind} ${id} (deploy/demo/$(basename "${file}"))"
    done
  done
  for file in "${new_teams[@]}"; do
    esc team update --file "${file}" >/dev/null ||
      die "seeding failed: team update --file ${file#"${ROOT}"/} (see .cxdesk/logs/escalationd.log)"
    say "  team $(basename "${file}" .team.txtpb) (deploy/demo/$(basename "${file}"))"
  done
  for file in "${DEMO_CONFIG_DIR}"/*.ladder.txtpb; do
    id="$(basename "${file}" .ladder.txtpb)"
    esc ladder get "${id}" >/dev/null 2>&1 && continue
    esc ladder set --file "${file}" >/dev/null ||
      die "seeding failed: ladder set --file ${file#"${ROOT}"/} (see .cxdesk/logs/escalationd.log)"
    say "  ladder ${id} (deploy/demo/$(basename "${file}"))"
  done
}

seed_demo() {
  local marker_value
  marker_value="$(database_identity)"
  if [[ -f "${SEEDED_MARKER}" && "$(cat "${SEEDED_MARKER}")" == "${marker_value}" ]]; then
    say "demo data already seeded (.cxdesk/seeded); not seeding again"
    return 0
  fi

  say "seeding demo tickets"
  local out first_id access_key
  out="$(create_ticket --subject "Charged twice for my March invoice" \
    --description "My card was charged twice for invoice 2024-03. Please refund one of the charges." \
    --email ana@example.com --name "Ana Lima" --kind complaint --cx-level service \
    --priority high --tags billing)" || die "seeding failed: ticket create (see .cxdesk/logs/ticketd.log)"
  first_id="$(parse_ticket_id "${out}")"
  access_key="$(sed -nE 's/^[[:space:]]*access key:[[:space:]]*([^[:space:]]+).*/\1/Ip' <<<"${out}" | head -n 1)"
  [[ -n "${access_key}" ]] || die "seeding: 'ticket create' printed no 'access key: KEY' line; it printed: ${out}"
  say "  ticket ${first_id}: complaint (service), Ana Lima"

  create_ticket --subject "How do I export my invoices as PDF?" \
    --description "I need all invoices of last year as PDF files for my accountant." \
    --email bruno@example.com --name "Bruno Costa" --kind question --priority low \
    --tags invoices >/dev/null || die "seeding failed: ticket create (see .cxdesk/logs/ticketd.log)"
  say "  question, Bruno Costa"

  create_ticket --subject "Checkout page fails with error 500" \
    --description "Since this morning every attempt to pay ends on an error page (500)." \
    --email chen@example.com --name "Chen Wei" --kind incident --priority urgent \
    --tags checkout >/dev/null || die "seeding failed: ticket create (see .cxdesk/logs/ticketd.log)"
  say "  incident, Chen Wei"

  create_ticket --subject "The mobile app logs me out every few minutes" \
    --description "I have to sign in again all the time in the Android app; it is unusable." \
    --email dana@example.com --name "Dana Novak" --kind complaint --cx-level interaction \
    --priority normal --tags mobile-app >/dev/null || die "seeding failed: ticket create (see .cxdesk/logs/ticketd.log)"
  say "  complaint (interaction), Dana Novak"

  create_ticket --subject "The replacement blender broke again" \
    --description "Second blender in two months with the same cracked jar. I expected better quality." \
    --email ana@example.com --name "Ana Lima" --kind complaint --cx-level product \
    --priority normal --tags quality >/dev/null || die "seeding failed: ticket create (see .cxdesk/logs/ticketd.log)"
  say "  complaint (product), Ana Lima"

  (
    umask 077
    printf 'ticket=%s\naccess_key=%s\n' "${first_id}" "${access_key}" >"${DEMO_FILE}"
    printf '%s\n' "${marker_value}" >"${SEEDED_MARKER}"
  )
}

print_banner() {
  local agent_token manager_token demo_id=1 demo_key="KEY"
  local today tomorrow month_ago
  today="$(date -u +%F)"
  tomorrow="$(date -u -d tomorrow +%F)"
  month_ago="$(date -u -d '30 days ago' +%F)"
  agent_token="$(cli token issue --role agent --subject alice)" || die "cxdesk token issue (agent) failed"
  manager_token="$(cli token issue --role manager --subject maria)" || die "cxdesk token issue (manager) failed"
  if [[ -f "${DEMO_FILE}" ]]; then
    demo_id="$(sed -n 's/^ticket=//p' "${DEMO_FILE}")"
    demo_key="$(sed -n 's/^access_key=//p' "${DEMO_FILE}")"
  fi

  local entry words
  cat <<EOF

==============================================================================
 cxdesk is up.  Ctrl-C stops everything.

 Services:
EOF
  for entry in "${SERVICES[@]}"; do
    read -r -a words <<<"${entry}"
    printf '   %-12s %s   (log .cxdesk/logs/%s.log)\n' "${words[0]}" "${words[2]}" "${words[0]}"
  done
  cat <<EOF
 Database:       $(redact_url "${DATABASE_URL}")
 Token secret:   ${SECRET_FILE}
$( ((demo_traffic)) && printf ' Demo traffic:   on, a round every 20s (log .cxdesk/logs/demo-traffic.log)\n')

 One step from each client (copy a line into another terminal):

   # the agent console, as alice (q quits, ? lists the keys):
   CXDESK_TOKEN=${agent_token} ${BUILD_DIR}/clients/cxdesk-console

   # demo ticket ${demo_id} as its customer sees it (reply, rate: --help):
   ${BUILD_DIR}/clients/cxdesk-status ${demo_id} --key ${demo_key}

   # the same through the portal's JSON API (docs/web-api.md; the pages come next):
   curl -s http://${WEB_ADDR}/api/v1/tickets/${demo_id}/status -H 'X-Cxdesk-Access-Key: ${demo_key}'

   # the manager's SLA report of the last 30 days, in the terminal and as a page:
   CXDESK_TOKEN=${manager_token} ${CLI} sla report --from ${month_ago} --to ${tomorrow} --by team,priority
   CXDESK_TOKEN=${manager_token} ${CLI} sla report --from ${month_ago} --to ${tomorrow} --by team --html ${STATE_DIR}/sla-report.html

 More, in a shell set up like this:

   export PATH="${BUILD_DIR}/clients:\$PATH"
   export CXDESK_TOKEN_SECRET_FILE="${SECRET_FILE}"
   export CXDESK_TOKEN=${manager_token}     # maria, manager; alice's is above

   cxdesk ticket list
   cxdesk ticket show ${demo_id}
   cxdesk ticket reply ${demo_id} --body "Sorry about that, we are refunding the second charge."

   # SLA clocks (policies in deploy/demo/): high and urgent tickets warn after
   # 1 minute without a public reply and breach after 2, round the clock.
   cxdesk sla show ${demo_id}      # every clock: deadline, remaining, why
   cxdesk sla watch        # warnings and breaches as they fire (Ctrl-C ends)
   cxdesk ticket create --subject "Parcel lost" --description "Order 42 never came" --email eva@example.com --priority high
   cxdesk sla breaches --from ${today}     # each breach and its causes

   # Routing and escalation (deploy/demo/*.team|agent|rule|ladder.txtpb):
   # complaints go to care or product by CX level, the rest to support; a
   # first-response warning notifies the assignee, the breach raises the
   # priority and hands the ticket to the team lead, 2 minutes later the
   # manager (maria) hears of it.
   cxdesk route explain ${demo_id}    # which rule, team and agent, and why
   cxdesk agent list               # who is online, load against capacity
   cxdesk escalations --ticket ${demo_id}
   cxdesk escalation figures --from ${today} --to ${tomorrow}

   # the audit trail, and the configuration (files: text format, JSON or YAML)
   cxdesk audit verify
   cxdesk policy list
   cxdesk team get care
==============================================================================

EOF
}

# Stays in the foreground until a signal (trap) or until a service exits.
wait_for_services() {
  local rc=0 i
  set +e
  wait -n "${service_pids[@]}"
  rc=$?
  set -e
  for i in "${!service_pids[@]}"; do
    if ! kill -0 "${service_pids[i]}" 2>/dev/null; then
      printf 'up: error: %s exited on its own (status %s); last lines of %s:\n' \
        "${service_names[i]}" "${rc}" "${service_logs[i]#"${ROOT}"/}" >&2
      tail -n 30 "${service_logs[i]}" >&2 || true
    fi
  done
  exit 1
}

start_demo_traffic() {
  ((demo_traffic)) || return 0
  CXDESK_CLI="${CLI}" CXDESK_TOKEN_SECRET_FILE="${SECRET_FILE}" \
    CXDESK_TICKET_ADDR="${TICKET_TARGET}" \
    "${ROOT}/deploy/demo-traffic.sh" >>"${LOG_DIR}/demo-traffic.log" 2>&1 &
  traffic_pid=$!
  say "demo traffic: a round every 20s (log .cxdesk/logs/demo-traffic.log)"
}

install_and_build
prepare_state
check_ports
start_database
start_services
start_web
seed_sla_config
seed_escalation_config
seed_demo
print_banner
start_demo_traffic
wait_for_services
