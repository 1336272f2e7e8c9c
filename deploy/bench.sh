#!/usr/bin/env bash
# Measures the ticket service against the desk that deploy/up.sh runs, and
# PostgreSQL's own one-row insert rate on the same database as the ceiling.
# Prints one markdown table row per run, for docs/benchmarks.md. CPU columns
# are cores used on average during a run (the service, all PostgreSQL
# processes, the load generator); backend processes that end during a run
# are not counted.
#
# Usage: deploy/bench.sh [SECONDS]          (default 10 per run)
#
# Environment:
#   CXDESK_TICKET_ADDR   the ticket service (default 127.0.0.1:7101)
#   CXDESK_DATABASE_URL  its database (default: the private cluster of up.sh)
#   BENCH_CONCURRENCY    the concurrencies to run (default "1 8 32 64")
#   BENCH_RPCS           the RPCs to drive (default "create get comment")
#
# Everything targets 127.0.0.1; each run is bounded by SECONDS.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "${ROOT}"

SECS="${1:-10}"
[[ "${SECS}" =~ ^[0-9]+$ ]] || { echo "bench: SECONDS must be a number" >&2; exit 2; }
TARGET="${CXDESK_TICKET_ADDR:-127.0.0.1:7101}"
PG_URL="${CXDESK_DATABASE_URL:-postgresql://postgres@127.0.0.1:${CXDESK_PG_PORT:-7432}/cxdesk}"
CONCURRENCY="${BENCH_CONCURRENCY:-1 8 32 64}"
RPCS="${BENCH_RPCS:-create get comment}"
CLI="build/clients/cxdesk"
LOADGEN="build/clients/cxdesk-loadgen"
export CXDESK_TOKEN_SECRET_FILE="${CXDESK_TOKEN_SECRET_FILE:-${ROOT}/.cxdesk/token-secret}"

[[ -x "${LOADGEN}" ]] || { echo "bench: build first (deploy/up.sh)" >&2; exit 1; }
"${CLI}" --target="${TARGET}" health >/dev/null || {
  echo "bench: the ticket service at ${TARGET} is not serving; start deploy/up.sh" >&2
  exit 1
}
TICKETD_PID="$(cat .cxdesk/run/ticketd.pid 2>/dev/null || pgrep -n -f cxdesk-ticketd)"
CXDESK_TOKEN="$("${CLI}" token issue --role agent --subject loadgen)"
export CXDESK_TOKEN

# CPU seconds (user + system) the given processes have used so far.
cpu_seconds() {
  local pid total=0
  for pid in "$@"; do
    [[ -r "/proc/${pid}/stat" ]] || continue
    total="$(awk -v t="${total}" -v hz="$(getconf CLK_TCK)" \
      '{ printf "%.2f", t + ($14 + $15) / hz }' "/proc/${pid}/stat")"
  done
  printf '%s' "${total}"
}

# Every PostgreSQL server process (postmaster and backends).
pg_pids() { pgrep -u postgres -x postgres | tr '\n' ' '; }

work="$(mktemp -d)"
trap 'rm -rf -- "${work}"' EXIT

echo "## $(date -u +%FT%TZ), ${SECS}s per run, $(nproc) cores"
echo
echo "PostgreSQL: $(psql -X -At -d "${PG_URL}" -c "SELECT version()" | cut -d, -f1)," \
  "synchronous_commit=$(psql -X -At -d "${PG_URL}" -c 'SHOW synchronous_commit')," \
  "fsync=$(psql -X -At -d "${PG_URL}" -c 'SHOW fsync')"
echo
echo "| driver | rpc | concurrency | calls/s | p50 ms | p90 ms | p99 ms | max ms | errors | service CPU | PostgreSQL CPU | driver CPU |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|"

psql -X -q -d "${PG_URL}" -c "CREATE TABLE IF NOT EXISTS public.bench_insert (
  id bigserial PRIMARY KEY, v int NOT NULL, at timestamptz NOT NULL DEFAULT now())"
echo 'INSERT INTO public.bench_insert (v) VALUES (:client_id);' >"${work}/insert.sql"
for c in ${CONCURRENCY}; do
  pgbench -n -M prepared -c "${c}" -j 2 -T "${SECS}" -f "${work}/insert.sql" "${PG_URL}" \
    >"${work}/pgbench.txt" 2>&1
  tps="$(sed -nE 's/^tps = ([0-9.]+).*/\1/p' "${work}/pgbench.txt")"
  lat="$(sed -nE 's/^latency average = ([0-9.]+).*/\1/p' "${work}/pgbench.txt")"
  printf '| pgbench one-row INSERT | - | %s | %.0f | (avg %s) | | | | 0 | | | |\n' "${c}" "${tps}" "${lat}"
done
psql -X -q -d "${PG_URL}" -c "DROP TABLE public.bench_insert"

for rpc in ${RPCS}; do
  for c in ${CONCURRENCY}; do
    # Start each run from a clean slate: no checkpoint debt from the last one.
    psql -X -q -d "${PG_URL}" -c CHECKPOINT
    # shellcheck disable=SC2046  # one pid per word
    pg_before="$(cpu_seconds $(pg_pids))"
    before="$(cpu_seconds "${TICKETD_PID}")"
    "${LOADGEN}" --target "${TARGET}" --rpc "${rpc}" --concurrency "${c}" \
      --duration "${SECS}s" --warmup 2s >"${work}/lg.txt" 2>&1 || true
    after="$(cpu_seconds "${TICKETD_PID}")"
    # shellcheck disable=SC2046
    pg_after="$(cpu_seconds $(pg_pids))"
    # The warm-up also burns service CPU: scale by measured / (measured + 2s).
    svc="$(awk -v a="${after}" -v b="${before}" -v s="${SECS}" \
      'BEGIN { printf "%.2f", (a - b) / (s + 2) }')"
    pg="$(awk -v a="${pg_after}" -v b="${pg_before}" -v s="${SECS}" \
      'BEGIN { printf "%.2f", (a - b) / (s + 2) }')"
    row="$(awk -v rpc="${rpc}" '$1 == rpc { print }' "${work}/lg.txt")"
    drv="$(sed -nE 's/.*= ([0-9.]+) s in ([0-9.]+) s.*/\1 \2/p' "${work}/lg.txt" |
      awk '{ printf "%.2f", $1 / $2 }')"
    if [[ -z "${row}" ]]; then
      echo "| cxdesk-loadgen | ${rpc} | ${c} | failed: $(tail -n 1 "${work}/lg.txt") |"
      continue
    fi
    read -r _ calls errors rate p50 p90 p99 max <<<"${row}"
    printf '| cxdesk-loadgen | %s | %s | %.0f | %s | %s | %s | %s | %s of %s | %s | %s | %s |\n' \
      "${rpc}" "${c}" "${rate}" "${p50}" "${p90}" "${p99}" "${max}" "${errors}" \
      "${calls}" "${svc}" "${pg}" "${drv}"
  done
done
