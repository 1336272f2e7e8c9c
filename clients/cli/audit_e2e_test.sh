#!/usr/bin/env bash
# End-to-end test of `cxdesk audit verify|export` against the real
# cxdesk-ticketd, cxdesk-slad and cxdesk-escalationd on one PostgreSQL:
# tickets are created, the trail verifies intact, then a ticket event is
# altered with SQL behind the services' back and `audit verify` names it.
#
# Usage: audit_e2e_test.sh CXDESK TICKETD SLAD ESCALATIOND
#
# Needs CXDESK_TEST_DATABASE_URL, an admin URL of a disposable cluster. It
# (re)creates the database cxdesk_test_audit_cli there. Without the variable
# the test FAILS rather than passing vacuously.
set -euo pipefail

if (($# != 4)); then
  echo "usage: $0 CXDESK TICKETD SLAD ESCALATIOND" >&2
  exit 2
fi
CXDESK="$1"
TICKETD="$2"
SLAD="$3"
ESCALATIOND="$4"
readonly CXDESK TICKETD SLAD ESCALATIOND

# shellcheck source=../../tests/support/e2e_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../../tests/support/e2e_lib.sh"

for bin in "${CXDESK}" "${TICKETD}" "${SLAD}" "${ESCALATIOND}"; do
  [[ -x "${bin}" ]] || fail "no binary at ${bin}"
done
e2e_init audit_cli
tmp_dir="${E2E_TMP}"
DB_URL="${E2E_DB_URL}"
readonly tmp_dir DB_URL

# run EXPECTED_EXIT ARGS...: the CLI against the three services, capturing
# OUT, ERR and RC; fails unless the exit code is the expected one.
OUT=""
ERR=""
RC=0
run() {
  local expected="$1"
  shift
  set +e
  (cd "${tmp_dir}" && env -u CXDESK_TOKEN -u CXDESK_ACCESS_KEY \
    -u CXDESK_TICKET_ADDR -u CXDESK_TOKEN_SECRET_FILE \
    -u CXDESK_SLA_TARGET -u CXDESK_ESCALATION_TARGET \
    "${CXDESK}" --target "127.0.0.1:${ticket_port}" \
    --sla-target "127.0.0.1:${sla_port}" \
    --escalation-target "127.0.0.1:${esc_port}" "$@") \
    >"${tmp_dir}/out" 2>"${tmp_dir}/err"
  RC=$?
  set -e
  OUT="$(cat "${tmp_dir}/out")"
  ERR="$(cat "${tmp_dir}/err")"
  if [[ "${RC}" != "${expected}" ]]; then
    printf 'command: cxdesk %s\nstdout:\n%s\nstderr:\n%s\n' "$*" "${OUT}" \
      "${ERR}" >&2
    fail "exit code ${RC}, expected ${expected}"
  fi
}

step "the three services"
e2e_start_services "${TICKETD}" "${SLAD}" "${ESCALATIOND}"
ticket_port="${TICKET_PORT}"
sla_port="${SLA_PORT}"
esc_port="${ESCALATION_PORT}"

step "tokens and tickets"
run 0 --token-secret-file "${tmp_dir}/secret" token issue --role manager \
  --subject maria
MANAGER="${OUT}"
run 0 --token-secret-file "${tmp_dir}/secret" token issue --role agent \
  --subject alice
AGENT="${OUT}"
for n in 1 2 3; do
  run 0 ticket create --subject "Printer ${n} on fire" --description "Smoke." \
    --email "jane${n}@example.com" --priority high
done
run 0 --token "${AGENT}" ticket reply 2 --body "On my way."
printf 'team_id: "printers"\ndisplay_name: "Printers"\n' >"${tmp_dir}/team.txt"
run 0 --token "${MANAGER}" team create --file team.txt

step "audit verify: managers only, intact"
run 1 --token "${AGENT}" audit verify
contains "${ERR}" "the audit trail needs a manager token" "agents are refused"
run 2 --token "${MANAGER}" audit verify --stream billing.events
contains "${ERR}" "--stream: 'billing.events'" "a bad stream is named"
run 0 --token "${MANAGER}" audit verify
# Three created events and a reply, plus whatever the escalation service
# did to them meanwhile.
# (ticket.events is chained in 16 streams by ticket, told as one line.)
matches "${OUT}" "^ticket.events \\(16 shards\\): ok: ([4-9]|[1-9][0-9]+) records, chains intact" \
  "the ticket events are chained"
contains "${OUT}" "sla.events: ok:" "the SLA events verify"
contains "${OUT}" "sla.config: ok:" "the SLA config verifies"
contains "${OUT}" "escalation.steps: ok:" "the escalation steps verify"
matches "${OUT}" "^escalation.config: ok: [1-9][0-9]* records?, chain intact" \
  "the team is chained"
run 0 --token "${MANAGER}" --json audit verify --stream ticket.events
contains "${OUT}" '"schema":"ticket"' "--json prints the verification"

step "audit export: JSON lines whose hashes recompute"
run 2 --token "${MANAGER}" audit export --from 2026-11-02 --to 2026-11-01
contains "${ERR}" "--to: must be after --from" "a reversed window is refused"
run 0 --token "${MANAGER}" audit export --from 2000-01-01 --to 2100-01-01 \
  --stream ticket.events --out export.jsonl
matches "${ERR}" "^exported ([4-9]|[1-9][0-9]+) audit records to export.jsonl; each record's hash is" \
  "export count and the hash recipe"
python3 - "${tmp_dir}/export.jsonl" <<'PY' || fail "exported hashes do not recompute"
import hashlib, json, sys
records = [json.loads(line) for line in open(sys.argv[1])]
assert len(records) >= 4, records
streams = {}
for r in records:
    streams.setdefault(r["stream"], []).append(r)
assert len(streams) >= 3, streams.keys()  # three tickets, three shards
for name, chain in streams.items():
    assert name.startswith("ticket.events/"), name
    assert [r["seq"] for r in chain] == list(range(1, len(chain) + 1)), chain
    prev = "0" * 64
    for r in chain:
        text = "\n".join([r["prev_hash"], r["stream"], str(r["seq"]),
                          r["source_table"], r["op"], r["source_key"],
                          r["payload"]])
        assert r["prev_hash"] == prev, r
        assert hashlib.sha256(text.encode("utf-8")).hexdigest() == r["hash"], r
        prev = r["hash"]
PY

step "tamper with ticket.events 2 behind the services' back"
psql "${DB_URL}" -q -v ON_ERROR_STOP=1 \
  -c "BEGIN; SET LOCAL session_replication_role = replica;
      UPDATE ticket.events SET priority = 'low' WHERE id = 2; COMMIT;" ||
  fail "cannot tamper"
shard="$(psql "${DB_URL}" -Atc "SELECT ticket_id % 16 FROM ticket.events WHERE id = 2")"
seq="$(psql "${DB_URL}" -Atc "SELECT seq FROM ticket.audit_records
  WHERE stream = 'ticket.events/${shard}' AND source_key = '2'")"
run 1 --token "${MANAGER}" audit verify
contains "${OUT}" "ticket.events/${shard}: PROBLEM: ticket.events id 2 was altered after it was chained: its row differs from audit record ticket.events/${shard} #${seq}" \
  "verify names the altered row"
contains "${OUT}" "sla.config: ok:" "the other streams are still intact"
contains "${ERR}" "error: the audit trail is not intact: 1 stream has a problem" \
  "verify fails"

echo
echo "PASS: audit_e2e_test"
