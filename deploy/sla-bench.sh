#!/usr/bin/env bash
# Measures the SLA service: breach lateness with a million timers armed and
# bursts of 10,000 deadlines in one second, what keeping the timers armed
# costs (CPU, memory, table and index size), and GetSlaReport over a million
# tickets. Runs on its own throwaway PostgreSQL (durable settings: fsync and
# synchronous_commit on) and its own cxdesk-slad (timers only), both on
# 127.0.0.1, and removes them at the end. Prints the figures for
# docs/benchmarks.md.
#
# Usage: deploy/sla-bench.sh [sla-benchmark flags...]
#   e.g. deploy/sla-bench.sh --armed=1000000 --bursts=3 --burst-size=10000
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "${ROOT}"
BUILD_DIR="${ROOT}/build"

"${ROOT}/deploy/install-deps.sh"
if [[ ! -f "${BUILD_DIR}/build.ninja" ]]; then
  cmake -S "${ROOT}" -B "${BUILD_DIR}" -G Ninja -DCMAKE_BUILD_TYPE=Release
fi
cmake --build "${BUILD_DIR}" --target cxdesk-slad sla-benchmark

tmp="$(mktemp -d /tmp/cxdesk-sla-bench.XXXXXX)"
chmod 0711 "${tmp}"
slad_pid=""
cleanup() {
  set +e
  [[ -n "${slad_pid}" ]] && kill "${slad_pid}" 2>/dev/null && wait "${slad_pid}" 2>/dev/null
  "${ROOT}/deploy/pg.sh" destroy "${tmp}/pgdata" >/dev/null 2>&1
  rm -rf "${tmp}"
}
trap cleanup EXIT INT TERM

pg_port="$("${ROOT}/deploy/pg.sh" free-port)"
"${ROOT}/deploy/pg.sh" start "${tmp}/pgdata" "${pg_port}"
"${ROOT}/deploy/pg.sh" ensure-db "${pg_port}" cxdesk_slabench
url="postgresql://postgres@127.0.0.1:${pg_port}/cxdesk_slabench"
od -An -N32 -tx1 /dev/urandom | tr -d ' \n' >"${tmp}/secret"
chmod 0600 "${tmp}/secret"

sla_port="$("${ROOT}/deploy/pg.sh" free-port)"
"${BUILD_DIR}/services/sla/cxdesk-slad" --database-url="${url}" \
  --listen="127.0.0.1:${sla_port}" --token-secret-file="${tmp}/secret" \
  --ticket-target=none --replica=bench >"${tmp}/slad.log" 2>&1 &
slad_pid=$!
for _ in $(seq 1 100); do
  grep -q "serving on" "${tmp}/slad.log" && break
  kill -0 "${slad_pid}" || { cat "${tmp}/slad.log"; exit 1; }
  sleep 0.1
done

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo);" \
  "PostgreSQL $(psql -h 127.0.0.1 -p "${pg_port}" -U postgres -tAc 'SHOW server_version' cxdesk_slabench)," \
  "synchronous_commit $(psql -h 127.0.0.1 -p "${pg_port}" -U postgres -tAc 'SHOW synchronous_commit' cxdesk_slabench)"
"${BUILD_DIR}/services/sla/sla-benchmark" --database-url="${url}" \
  --sla-target="127.0.0.1:${sla_port}" --slad-pid="${slad_pid}" \
  --token-secret-file="${tmp}/secret" "$@"
if grep -E "WARN|ERROR" "${tmp}/slad.log" | head -5 | grep -q .; then
  echo "cxdesk-slad logged warnings:"
  grep -E "WARN|ERROR" "${tmp}/slad.log" | head -5
fi
