#!/usr/bin/env bash
# The desk as a stranger meets it: the three real services on loopback, called
# with buf curl through server reflection (not our client library), and the
# `cxdesk` CLI. Checks health through reflection on every service, that the
# CLI names the service that answered, that every command group lists itself
# on --help, and that bad input (megabyte values, NUL, long CLI flags) is
# answered at once with INVALID_ARGUMENT naming the field.
#
# Usage: outside_e2e_test.sh BUF CXDESK CXDESK_TICKETD CXDESK_SLAD CXDESK_ESCALATIOND
#
# Needs CXDESK_TEST_DATABASE_URL (see tests/support/e2e_lib.sh).
set -euo pipefail

if (($# != 5)); then
  echo "usage: $0 BUF CXDESK CXDESK_TICKETD CXDESK_SLAD CXDESK_ESCALATIOND" >&2
  exit 2
fi
BUF="$(realpath -- "$1")"
CXDESK="$(realpath -- "$2")"
TICKETD="$(realpath -- "$3")"
SLAD="$(realpath -- "$4")"
ESCALATIOND="$(realpath -- "$5")"
readonly BUF CXDESK TICKETD SLAD ESCALATIOND

# shellcheck source=../support/e2e_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../support/e2e_lib.sh"

for bin in "${BUF}" "${CXDESK}" "${TICKETD}" "${SLAD}" "${ESCALATIOND}"; do
  [[ -x "${bin}" ]] || fail "no binary at ${bin}"
done
e2e_init outside
e2e_start_services "${TICKETD}" "${SLAD}" "${ESCALATIOND}"

export CXDESK_TOKEN_SECRET_FILE="${E2E_TMP}/secret"
unset CXDESK_TOKEN CXDESK_ACCESS_KEY
TOKEN="$("${CXDESK}" token issue --role manager --subject maria)"
readonly TOKEN

OUT=""
RC=0
# call PORT METHOD JSON_FILE: buf curl over gRPC with reflection; sets OUT
# (stdout and stderr) and RC. A call that hangs fails the test at 10 s.
call() {
  local port="$1" method="$2" data="$3"
  set +e
  OUT="$(timeout 20 "${BUF}" curl --protocol grpc --http2-prior-knowledge \
    --timeout 10s -H "authorization: Bearer ${TOKEN}" -d "@${data}" \
    "http://127.0.0.1:${port}/${method}" 2>&1)"
  RC=$?
  set -e
  ((RC != 124)) || fail "${method} hung (timeout)"
}
json() { printf '%s' "$2" >"${E2E_TMP}/$1.json"; echo "${E2E_TMP}/$1.json"; }
# The field a buf curl error's google.rpc.BadRequest detail names (buf curl
# shows the detail as base64 protobuf; this decodes it by hand).
detail_field() {
  python3 -c '
import base64, json, sys
def varint(b, i):
    n = s = 0
    while True:
        n |= (b[i] & 0x7F) << s; s += 7; i += 1
        if b[i - 1] < 0x80: return n, i
err = json.loads(sys.stdin.read())
(detail,) = [d for d in err["details"] if d["type"] == "google.rpc.BadRequest"]
v = detail["value"]
b = base64.b64decode(v + "=" * (-len(v) % 4))
assert b[0] == 0x0A  # field_violations
_, i = varint(b, 1)
assert b[i] == 0x0A  # FieldViolation.field
n, i = varint(b, i + 1)
print(b[i:i + n].decode())' <<<"$1"
}
megabyte() { python3 -c 'print("x" * (1 << 20), end="")'; }

step "health through reflection, on every service"
empty="$(json empty '{}')"
for port in "${TICKET_PORT}" "${SLA_PORT}" "${ESCALATION_PORT}"; do
  call "${port}" grpc.health.v1.Health/Check "${empty}"
  ((RC == 0)) || fail "Health/Check on :${port} exited ${RC}: ${OUT}"
  contains "${OUT}" '"status": "SERVING"' "health of :${port}"
done
call "${SLA_PORT}" grpc.health.v1.Health/Check \
  "$(json sla-name '{"service": "cxdesk.sla.v1.SlaService"}')"
contains "${OUT}" '"status": "SERVING"' "the SLA API by name"
call "${SLA_PORT}" grpc.health.v1.Health/Check \
  "$(json ticket-name '{"service": "cxdesk.ticket.v1.TicketService"}')"
((RC != 0)) || fail "the SLA service claimed to serve the ticket API"
contains "${OUT}" '"code": "not_found"' "the ticket API is not on the SLA port"

step "cxdesk health names the service that answered"
out="$("${CXDESK}" --target="127.0.0.1:${TICKET_PORT}" health)"
[[ "${out}" == "ticket service at 127.0.0.1:${TICKET_PORT}: serving" ]] \
  || fail "ticket health said: ${out}"
out="$("${CXDESK}" --target="127.0.0.1:${SLA_PORT}" health)"
[[ "${out}" == "SLA service at 127.0.0.1:${SLA_PORT}: serving" ]] \
  || fail "SLA health said: ${out}"
out="$("${CXDESK}" --target="127.0.0.1:${ESCALATION_PORT}" health)"
[[ "${out}" == "escalation service at 127.0.0.1:${ESCALATION_PORT}: serving" ]] \
  || fail "escalation health said: ${out}"

step "every command group lists its commands on --help, exit 0"
for group in ticket sla audit calendar policy team agent rule ladder route escalation; do
  out="$("${CXDESK}" "${group}" --help)" || fail "cxdesk ${group} --help failed"
  contains "${out}" "usage: cxdesk ${group} COMMAND" "cxdesk ${group} --help"
done
out="$("${CXDESK}" audit --help)"
contains "${out}" "cxdesk audit verify" "audit --help lists verify"
contains "${out}" "cxdesk audit export" "audit --help lists export"

step "a megabyte value is INVALID_ARGUMENT naming the field, in each service"
big="$(megabyte)"
call "${TICKET_PORT}" cxdesk.ticket.v1.TicketService/ListTickets \
  "$(json order "{\"orderBy\": \"${big}\"}")"
((RC != 0)) || fail "ListTickets took a megabyte order_by"
contains "${OUT}" '"code": "invalid_argument"' "order_by code"
contains "${OUT}" 'order_by: at most 64 bytes, got 1048576' "order_by message"
[[ "$(detail_field "${OUT}")" == "order_by" ]] || fail "no field violation naming order_by"

call "${TICKET_PORT}" cxdesk.ticket.v1.TicketService/UpdateTicket \
  "$(json mask "{\"ticket\": {\"id\": \"1\"}, \"updateMask\": \"${big:0:102400}\"}")"
contains "${OUT}" 'update_mask.paths[0]: at most 100 bytes, got 102400' \
  "update_mask message"

call "${SLA_PORT}" cxdesk.sla.v1.SlaService/CreateCalendar \
  "$(json zone "{\"calendar\": {\"calendarId\": \"z\", \"timeZone\": \"${big}\"}}")"
contains "${OUT}" 'calendar.time_zone: at most 64 bytes, got 1048576' \
  "time_zone message"

call "${ESCALATION_PORT}" cxdesk.escalation.v1.EscalationService/CreateRoutingRule \
  "$(json tag "{\"rule\": {\"ruleId\": \"r\", \"teamId\": \"support\", \"conditions\": {\"tagsAny\": [\"${big:0:102400}\"]}}}")"
contains "${OUT}" 'rule.conditions.tags_any[0]: at most 50 bytes, got 102400' \
  "routing tag message"

call "${ESCALATION_PORT}" cxdesk.audit.v1.AuditService/VerifyAuditTrail \
  "$(json stream "{\"stream\": \"${big}\"}")"
contains "${OUT}" 'stream: at most 64 bytes, got 1048576' "audit stream message"

step "NUL is refused, and the ticket keeps its status"
call "${TICKET_PORT}" cxdesk.ticket.v1.TicketService/CreateTicket \
  "$(json create '{"subject": "Giao hàng trễ", "description": "Đơn hàng chưa đến.", "customerEmail": "binh@example.com"}')"
((RC == 0)) || fail "CreateTicket: ${OUT}"
id="$(python3 -c 'import json,sys; print(json.load(sys.stdin)["ticket"]["id"])' <<<"${OUT}")"
call "${TICKET_PORT}" cxdesk.ticket.v1.TicketService/ChangeTicketStatus \
  "$(json reason "{\"ticketId\": \"${id}\", \"status\": \"STATUS_PENDING\", \"reason\": \"before\\u0000after\"}")"
((RC != 0)) || fail "a reason with NUL was accepted"
contains "${OUT}" 'reason: contains NUL (U+0000) at byte 6' "NUL reason message"
call "${TICKET_PORT}" cxdesk.ticket.v1.TicketService/GetTicket \
  "$(json get "{\"ticketId\": \"${id}\"}")"
contains "${OUT}" '"status": "STATUS_NEW"' "the ticket is still new"

call "${SLA_PORT}" cxdesk.sla.v1.SlaService/CreateCalendar \
  "$(json desc '{"calendar": {"calendarId": "nul", "timeZone": "UTC", "hours": [{"weekday": "WEEKDAY_MONDAY", "start": "09:00", "end": "17:00"}], "description": "a\u0000b"}}')"
contains "${OUT}" 'calendar.description: contains NUL (U+0000) at byte 1' \
  "NUL description message"

step "the CLI: a 5,000-character --order is a short error, not a broken call"
set +e
out="$("${CXDESK}" --target="127.0.0.1:${TICKET_PORT}" --token="${TOKEN}" \
  ticket list --order "$(python3 -c 'print("o" * 5000, end="")')" 2>&1)"
rc=$?
set -e
((rc == 1)) || fail "cxdesk ticket list --order <5000> exited ${rc}: ${out}"
contains "${out}" "order_by: at most 64 bytes, got 5000" "CLI order_by error"
[[ "${out}" != *"metadata size exceeds"* ]] || fail "the CLI saw a broken call"

echo
echo "PASS outside_e2e_test"
