#!/usr/bin/env bash
# Measures the escalation service with all three services on a throwaway
# PostgreSQL (durable settings) on 127.0.0.1, removed at the end:
#
#  1. Routing throughput: cxdesk-loadgen creates tickets for SECONDS at
#     CONCURRENCY (saturating the machine), then at concurrency 2 (a load it
#     keeps up with); every ticket goes to the default team "bench" (40
#     agents, least-loaded) and is assigned through AssignTicket. Reports per
#     phase the create rate, the assignment rate and the delay from a
#     ticket's creation to its assignment (p50/p99/max).
#  2. Breach to escalated ticket: BREACHES tickets with a 3 s first-response
#     target are opened by 4 clients as fast as they go, first with no other
#     load, then while the load generator creates at concurrency 1; the
#     ladder's breach step raises the priority and reassigns to the team
#     lead. Reports, per ticket, the time from the
#     deadline to the breach being recorded (slad), and to the escalation
#     being visible on the ticket (both ticket events written), p50/p99/max.
#
# Usage: deploy/escalation-bench.sh [SECONDS] [CONCURRENCY] [BREACHES]
#        (defaults 20, 16, 500). Every figure comes from the databases'
#        rows (ticket, SLA and escalation events), not from client clocks.
# Environment: BENCH_PHASES (default "routing,breach": which to run),
#              BENCH_ESCALATIOND_FLAGS (extra flags, e.g. "--action-loops=8").
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "${ROOT}"
BUILD_DIR="${ROOT}/build"
SECS="${1:-20}"
CONCURRENCY="${2:-16}"
BREACHES="${3:-500}"
PHASES="${BENCH_PHASES:-routing,breach}"
ESCALATIOND_FLAGS=(${BENCH_ESCALATIOND_FLAGS:-})
for v in "${SECS}" "${CONCURRENCY}" "${BREACHES}"; do
  [[ "${v}" =~ ^[0-9]+$ ]] || { echo "escalation-bench: arguments must be numbers" >&2; exit 2; }
done

"${ROOT}/deploy/install-deps.sh"
if [[ ! -f "${BUILD_DIR}/build.ninja" ]]; then
  cmake -S "${ROOT}" -B "${BUILD_DIR}" -G Ninja -DCMAKE_BUILD_TYPE=Release
fi
cmake --build "${BUILD_DIR}" --target cxdesk-ticketd cxdesk-slad \
  cxdesk-escalationd cxdesk cxdesk-loadgen

tmp="$(mktemp -d /tmp/cxdesk-esc-bench.XXXXXX)"
chmod 0711 "${tmp}"
pids=()
cleanup() {
  set +e
  local pid
  for pid in "${pids[@]}"; do kill "${pid}" 2>/dev/null && wait "${pid}" 2>/dev/null; done
  "${ROOT}/deploy/pg.sh" destroy "${tmp}/pgdata" >/dev/null 2>&1
  rm -rf "${tmp}"
}
trap cleanup EXIT INT TERM

pg_port="$("${ROOT}/deploy/pg.sh" free-port)"
"${ROOT}/deploy/pg.sh" start "${tmp}/pgdata" "${pg_port}" >/dev/null
"${ROOT}/deploy/pg.sh" ensure-db "${pg_port}" cxdesk_escbench >/dev/null
url="postgresql://postgres@127.0.0.1:${pg_port}/cxdesk_escbench"
sql() { psql -h 127.0.0.1 -p "${pg_port}" -U postgres -d cxdesk_escbench -tAF ' ' -c "$1"; }
od -An -N32 -tx1 /dev/urandom | tr -d ' \n' >"${tmp}/secret"
chmod 0600 "${tmp}/secret"

# start NAME BINARY PORT [FLAGS...]: starts a service, waits until it serves.
start() {
  local name="$1" binary="$2" port="$3"
  shift 3
  "${binary}" --database-url="${url}" --listen="127.0.0.1:${port}" \
    --token-secret-file="${tmp}/secret" "$@" >"${tmp}/${name}.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 150); do
    grep -q "serving on" "${tmp}/${name}.log" && return 0
    kill -0 "${pids[-1]}" || { cat "${tmp}/${name}.log"; exit 1; }
    sleep 0.1
  done
  echo "escalation-bench: ${name} did not start" >&2
  exit 1
}
ticket_port="$("${ROOT}/deploy/pg.sh" free-port)"
sla_port="$("${ROOT}/deploy/pg.sh" free-port)"
esc_port="$("${ROOT}/deploy/pg.sh" free-port)"
start ticketd "${BUILD_DIR}/services/ticket/cxdesk-ticketd" "${ticket_port}" \
  --sla-target="127.0.0.1:${sla_port}"
start slad "${BUILD_DIR}/services/sla/cxdesk-slad" "${sla_port}" \
  --ticket-target="127.0.0.1:${ticket_port}"
start escalationd "${BUILD_DIR}/services/escalation/cxdesk-escalationd" \
  "${esc_port}" --ticket-target="127.0.0.1:${ticket_port}" \
  --sla-target="127.0.0.1:${sla_port}" "${ESCALATIOND_FLAGS[@]}"

export CXDESK_TOKEN_SECRET_FILE="${tmp}/secret"
cli() {
  "${BUILD_DIR}/clients/cxdesk" --target="127.0.0.1:${ticket_port}" \
    --sla-target="127.0.0.1:${sla_port}" \
    --escalation-target="127.0.0.1:${esc_port}" "$@"
}
CXDESK_TOKEN="$(cli token issue --role manager --subject bench)"
export CXDESK_TOKEN

# The configuration: team "bench" (default) with 40 agents (capacity 1000
# each: room for every ticket of the run) and a lead; a
# 3 s first-response policy for tickets tagged bench-breach; a one-step
# ladder (breach: raise priority, reassign to the lead).
printf 'team_id: "bench"\ndefault_team: true\n' >"${tmp}/team.txtpb"
cli team create --file "${tmp}/team.txtpb" >/dev/null
for i in $(seq -w 1 40); do
  printf 'agent_id: "agent%s"\nteam_ids: ["bench"]\ncapacity: 1000\ntier: 1\navailability: AVAILABILITY_ONLINE\n' \
    "${i}" >"${tmp}/agent.txtpb"
  cli agent create --file "${tmp}/agent.txtpb" >/dev/null
done
printf 'agent_id: "lead"\nteam_ids: ["bench"]\ncapacity: 0\ntier: 2\navailability: AVAILABILITY_ONLINE\n' >"${tmp}/lead.txtpb"
cli agent create --file "${tmp}/lead.txtpb" >/dev/null
printf 'team_id: "bench"\ndefault_team: true\nlead: "lead"\n' >"${tmp}/team.txtpb"
cli team update --file "${tmp}/team.txtpb" >/dev/null
cli calendar create --file deploy/demo/round-the-clock.calendar.txtpb >/dev/null
cat >"${tmp}/policy.txtpb" <<'EOF'
policy_id: "bench"
position: 1
conditions { tags_any: ["bench-breach"] }
targets { priority: PRIORITY_HIGH metric: METRIC_FIRST_RESPONSE target { seconds: 3 } calendar_id: "round-the-clock" }
targets { priority: PRIORITY_URGENT metric: METRIC_FIRST_RESPONSE target { seconds: 3 } calendar_id: "round-the-clock" }
EOF
cli policy create --file "${tmp}/policy.txtpb" >/dev/null
cat >"${tmp}/ladder.txtpb" <<'EOF'
metric: METRIC_FIRST_RESPONSE
steps {
  level: 1
  trigger: TRIGGER_KIND_ON_BREACH
  actions { kind: ACTION_KIND_RAISE_PRIORITY }
  actions { kind: ACTION_KIND_REASSIGN reassign: REASSIGN_KIND_TEAM_LEAD }
}
EOF
cli ladder set --file "${tmp}/ladder.txtpb" >/dev/null

echo "machine: $(nproc) cores; PostgreSQL $(sql 'SHOW server_version'), synchronous_commit $(sql 'SHOW synchronous_commit')"

# wait_until SQL: polls until the query prints t (at most 120 s).
wait_until() {
  for _ in $(seq 1 1200); do
    [[ "$(sql "$1")" == "t" ]] && return 0
    sleep 0.1
  done
  echo "escalation-bench: timed out waiting for: $1" >&2
  exit 1
}
# ms SQL-interval-expression: the expression in milliseconds, 1 decimal.
ms() { printf "round((extract(epoch FROM %s) * 1000)::numeric, 1)" "$1"; }

# ---- 1. routing under create load ----
# routing_phase CONCURRENCY: creates for SECS seconds, waits until every
# ticket of the phase is assigned, prints the rates and delays of the phase.
routing_phase() {
  local conc="$1" since
  since="$(sql "SELECT (extract(epoch FROM clock_timestamp()) * 1000000)::bigint")"
  echo
  echo "== routing under create load: ${SECS}s at concurrency ${conc}"
  "${BUILD_DIR}/clients/cxdesk-loadgen" --target="127.0.0.1:${ticket_port}" \
    --rpc create --concurrency "${conc}" --duration "${SECS}s" \
    --warmup 0s | grep -E '^create'
  local phase="t.created_at >= 'epoch'::timestamptz + ${since} * interval '1 microsecond'"
  wait_until "SELECT NOT EXISTS (SELECT 1 FROM ticket.tickets t WHERE ${phase} AND t.assignee = '')"
  sql "WITH d AS (SELECT t.created_at, e.created_at AS assigned_at,
                         e.created_at - t.created_at AS lag
                  FROM ticket.tickets t JOIN ticket.events e ON e.ticket_id = t.id
                  WHERE ${phase} AND e.type = 'assigned')
       SELECT 'routed and assigned: ' || count(*) || ' tickets, ' ||
              round(count(*) / greatest(extract(epoch FROM max(assigned_at) - min(created_at)), 0.001)) ||
              ' per second (first creation to last assignment); creation -> assigned (ms): p50 ' ||
              $(ms "percentile_disc(0.5) WITHIN GROUP (ORDER BY lag)") ||
              '  p99 ' || $(ms "percentile_disc(0.99) WITHIN GROUP (ORDER BY lag)") ||
              '  max ' || $(ms 'max(lag)') FROM d"
}
if [[ "${PHASES}" == *routing* ]]; then
  routing_phase "${CONCURRENCY}"
  routing_phase 2
  sql "SELECT 'assignments per agent: ' || min(n) || '..' || max(n) FROM
         (SELECT agent_id, count(*) AS n FROM escalation.decisions GROUP BY 1) x"
fi

# ---- 2. breach -> escalated ticket ----
# breach_phase LOAD_CONCURRENCY COUNT TAG: opens COUNT tickets tagged
# bench-breach and TAG from 4 clients (about 130 a second), while the load
# generator creates at LOAD_CONCURRENCY (0: no load); waits for every one to
# be escalated; prints the delays of that phase's tickets.
breach_phase() {
  local load="$1" count="$2" tag="$3"
  echo
  echo "== breach to escalated ticket: ${count} deadlines, create load at concurrency ${load}"
  local loader=""
  if ((load > 0)); then
    "${BUILD_DIR}/clients/cxdesk-loadgen" --target="127.0.0.1:${ticket_port}" \
      --rpc create --concurrency "${load}" --duration 30s --warmup 0s >/dev/null &
    loader=$!
    pids+=("${loader}")
  fi
  local per_stream=$(((count + 3) / 4)) openers=() s
  for s in 1 2 3 4; do
    (
      for _ in $(seq 1 "${per_stream}"); do
        cli ticket create --subject "Breach probe" --description "bench" \
          --email "probe${s}@example.com" --priority high \
          --tags "bench-breach,${tag}" >/dev/null
      done
    ) &
    openers+=($!)
  done
  wait "${openers[@]}"
  wait_until "SELECT count(*) >= $((per_stream * 4)) FROM ticket.events e JOIN ticket.tickets t ON t.id = e.ticket_id
              WHERE e.type = 'assigned' AND e.assignee = 'lead' AND '${tag}' = ANY (t.tags)"
  sql "WITH b AS (SELECT s.ticket_id, s.occur_time AS deadline, s.record_time FROM sla.events s
                  JOIN ticket.tickets t ON t.id = s.ticket_id
                  WHERE s.kind = 'breached' AND s.metric = 'first_response' AND s.cycle = 1
                    AND '${tag}' = ANY (t.tags)),
            x AS (SELECT ticket_id, max(created_at) AS at FROM ticket.events
                  WHERE actor = 'cxdesk-escalationd' AND (type = 'updated' OR (type = 'assigned' AND assignee = 'lead'))
                  GROUP BY 1 HAVING count(*) = 2),
            d AS (SELECT b.record_time - b.deadline AS fired, x.at - b.deadline AS visible FROM b JOIN x USING (ticket_id))
       SELECT 'tickets: ' || count(*) || E'\n' ||
              'deadline -> breach recorded (ms): p50 ' || $(ms "percentile_disc(0.5) WITHIN GROUP (ORDER BY fired)") ||
              '  p99 ' || $(ms "percentile_disc(0.99) WITHIN GROUP (ORDER BY fired)") || '  max ' || $(ms 'max(fired)') || E'\n' ||
              'deadline -> escalated on the ticket (ms): p50 ' || $(ms "percentile_disc(0.5) WITHIN GROUP (ORDER BY visible)") ||
              '  p99 ' || $(ms "percentile_disc(0.99) WITHIN GROUP (ORDER BY visible)") || '  max ' || $(ms 'max(visible)')
       FROM d"
  if [[ -n "${loader}" ]]; then wait "${loader}" 2>/dev/null || true; fi
}
if [[ "${PHASES}" == *breach* ]]; then
  breach_phase 0 "${BREACHES}" quiet
  breach_phase 1 "${BREACHES}" loaded
fi

for name in ticketd slad escalationd; do
  if grep -qE "WARN|ERROR" "${tmp}/${name}.log"; then
    echo "${name} logged warnings:"
    grep -E "WARN|ERROR" "${tmp}/${name}.log" | head -5
  fi
done
