# Shared by the end-to-end shell tests: a scratch database, the three real
# services on loopback ports, and checks that print what they looked for.
# Source it, then call e2e_init NAME. Needs CXDESK_TEST_DATABASE_URL, an admin
# URL of a disposable cluster; without it a test FAILS rather than passing
# vacuously.
#
# CXDESK_E2E_KEEP=1 keeps the private folder (logs, outputs) for a look.
# After e2e_start_services: TICKET_PORT, SLA_PORT, ESCALATION_PORT (empty when
# not started), E2E_TMP (a private folder, removed at exit) and the token
# secret in ${E2E_TMP}/secret.

fail() {
  printf 'FAIL: %s\n' "$*" >&2
  exit 1
}
step() { printf '\n--- %s\n' "$*"; }

# A loopback port nobody listens on right now.
free_port() {
  python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()'
}

# wait_port FILE PID NAME: prints the port the server wrote to FILE.
wait_port() {
  local file="$1" pid="$2" name="$3" p=""
  for _ in $(seq 1 300); do
    if [[ -s "${file}" ]]; then
      p="$(head -n 1 "${file}" | tr -d '[:space:]')"
      if [[ "${p}" =~ ^[0-9]+$ ]]; then
        echo "${p}"
        return 0
      fi
    fi
    kill -0 "${pid}" 2>/dev/null || fail "${name} exited at start"
    sleep 0.1
  done
  fail "${name} wrote no port within 30 s"
}

# stop_pid PID: SIGTERM, up to 5 s, then SIGKILL.
stop_pid() {
  local pid="$1"
  [[ -n "${pid}" ]] || return 0
  kill -0 "${pid}" 2>/dev/null || return 0
  kill -TERM "${pid}" 2>/dev/null || true
  for _ in $(seq 1 50); do
    kill -0 "${pid}" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "${pid}" 2>/dev/null || true
  wait "${pid}" 2>/dev/null || true
}

E2E_PIDS=()
E2E_LOGS=()
E2E_CLEANUP_HOOK=""

e2e_cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [[ -n "${E2E_CLEANUP_HOOK}" ]]; then "${E2E_CLEANUP_HOOK}" || true; fi
  local i
  for ((i = ${#E2E_PIDS[@]} - 1; i >= 0; i--)); do stop_pid "${E2E_PIDS[i]}"; done
  if ((rc != 0)); then
    for log in "${E2E_LOGS[@]}"; do
      echo "--- last lines of ${log##*/}:" >&2
      tail -n 20 "${log}" >&2 || true
    done
  fi
  psql "${E2E_ADMIN_URL}" -q -v ON_ERROR_STOP=1 \
    -c "DROP DATABASE IF EXISTS ${E2E_DB} WITH (FORCE)" >/dev/null 2>&1 || true
  if [[ -n "${CXDESK_E2E_KEEP:-}" ]]; then
    echo "kept ${E2E_TMP} (CXDESK_E2E_KEEP)" >&2
  else
    rm -rf -- "${E2E_TMP}"
  fi
  exit "${rc}"
}

# e2e_init NAME: checks the tools, (re)creates the database cxdesk_test_NAME
# and sets the exit trap.
e2e_init() {
  [[ -n "${CXDESK_TEST_DATABASE_URL:-}" ]] \
    || fail "CXDESK_TEST_DATABASE_URL is not set (an admin URL of a disposable PostgreSQL)"
  command -v psql >/dev/null || fail "psql is not installed"
  command -v python3 >/dev/null || fail "python3 is not installed"
  E2E_DB="cxdesk_test_$1"
  E2E_ADMIN_URL="${CXDESK_TEST_DATABASE_URL}"
  local base="${E2E_ADMIN_URL%%\?*}"
  E2E_DB_URL="${base%/*}/${E2E_DB}${E2E_ADMIN_URL:${#base}}"
  E2E_TMP="$(mktemp -d -t "cxdesk-$1-e2e.XXXXXX")"
  trap e2e_cleanup EXIT
  trap 'exit 130' INT TERM
  psql "${E2E_ADMIN_URL}" -q -v ON_ERROR_STOP=1 \
    -c "DROP DATABASE IF EXISTS ${E2E_DB} WITH (FORCE)" \
    -c "CREATE DATABASE ${E2E_DB}" || fail "cannot (re)create ${E2E_DB}"
  head -c 32 /dev/urandom | base64 >"${E2E_TMP}/secret"
}

# e2e_start NAME BINARY [FLAGS...]: starts a service on a free loopback port
# with the scratch database and the token secret, logging to
# ${E2E_TMP}/NAME.log; sets E2E_PORT to its port (and E2E_PID). FLAGS may
# name --listen=127.0.0.1:PORT for a port chosen beforehand.
e2e_start() {
  local name="$1" binary="$2"
  shift 2
  local listen=(--listen=127.0.0.1:0) flag
  for flag in "$@"; do [[ "${flag}" == --listen=* ]] && listen=(); done
  "${binary}" --database-url="${E2E_DB_URL}" "${listen[@]}" \
    --port-file="${E2E_TMP}/${name}.port" --token-secret-file="${E2E_TMP}/secret" \
    "$@" >"${E2E_TMP}/${name}.log" 2>&1 &
  E2E_PID=$!
  E2E_PIDS+=("${E2E_PID}")
  E2E_LOGS+=("${E2E_TMP}/${name}.log")
  E2E_PORT="$(wait_port "${E2E_TMP}/${name}.port" "${E2E_PID}" "${name}")"
}

# e2e_start_services TICKETD SLAD [ESCALATIOND]: the three (or two) services,
# each knowing the others; sets TICKET_PORT, SLA_PORT, ESCALATION_PORT.
e2e_start_services() {
  local ticketd="$1" slad="$2" escalationd="${3:-}"
  SLA_PORT="$(free_port)"
  e2e_start cxdesk-ticketd "${ticketd}" --sla-target="127.0.0.1:${SLA_PORT}"
  TICKET_PORT="${E2E_PORT}"
  e2e_start cxdesk-slad "${slad}" --listen="127.0.0.1:${SLA_PORT}" \
    --ticket-target="127.0.0.1:${TICKET_PORT}"
  ESCALATION_PORT=""
  if [[ -n "${escalationd}" ]]; then
    e2e_start cxdesk-escalationd "${escalationd}" \
      --ticket-target="127.0.0.1:${TICKET_PORT}" --sla-target="127.0.0.1:${SLA_PORT}"
    ESCALATION_PORT="${E2E_PORT}"
  fi
  echo "ticketd :${TICKET_PORT}, slad :${SLA_PORT}${ESCALATION_PORT:+, escalationd :${ESCALATION_PORT}}"
}

# contains TEXT NEEDLE WHAT / matches TEXT REGEX WHAT: fail naming WHAT.
contains() {
  if [[ "$1" != *"$2"* ]]; then
    printf 'looked for: %s\nin:\n%s\n' "$2" "$1" >&2
    fail "$3"
  fi
}
matches() {
  if ! grep -qE -- "$2" <<<"$1"; then
    printf 'looked for /%s/ in:\n%s\n' "$2" "$1" >&2
    fail "$3"
  fi
}
