#!/usr/bin/env bash
# End-to-end test of cxdesk-web's JSON API with curl, the way a stranger
# calls it, against a real cxdesk-ticketd over a fresh scratch database:
# every route, the key cookie, the security headers, and each error status
# (400 body, 403 Origin, 404 key and path, 405, 413, 503 with Retry-After).
#
# Usage: web_api_e2e_test.sh CXDESK_WEB CXDESK_TICKETD
#
# Needs CXDESK_TEST_DATABASE_URL (an admin URL of a disposable cluster); it
# (re)creates the database cxdesk_test_web there.
set -euo pipefail

if (($# != 2)); then
  echo "usage: $0 CXDESK_WEB CXDESK_TICKETD" >&2
  exit 2
fi
WEB="$(realpath -- "$1")"
TICKETD="$(realpath -- "$2")"
readonly WEB TICKETD

# shellcheck source=../support/e2e_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../support/e2e_lib.sh"
command -v curl >/dev/null || fail "curl is not installed"
e2e_init web

e2e_start cxdesk-ticketd "${TICKETD}" --sla-target=none
TICKETD_PID="${E2E_PID}"
TICKET_PORT="${E2E_PORT}"
WEB_PORT="$(free_port)"
"${WEB}" --listen="127.0.0.1:${WEB_PORT}" \
  --ticket-target="127.0.0.1:${TICKET_PORT}" \
  --port-file="${E2E_TMP}/web.port" >"${E2E_TMP}/cxdesk-web.log" 2>&1 &
E2E_PIDS+=("$!")
E2E_LOGS+=("${E2E_TMP}/cxdesk-web.log")
wait_port "${E2E_TMP}/web.port" "$!" cxdesk-web >/dev/null
BASE="http://127.0.0.1:${WEB_PORT}"
echo "ticketd :${TICKET_PORT}, cxdesk-web :${WEB_PORT}"

CODE=""
BODY=""
HEADERS=""
# call EXPECTED_CODE CURL_ARGS...: one request; BODY, HEADERS, CODE.
call() {
  local expected="$1"
  shift
  CODE="$(curl -s -o "${E2E_TMP}/body" -D "${E2E_TMP}/headers" \
    -w '%{http_code}' --max-time 10 "$@")"
  BODY="$(cat "${E2E_TMP}/body")"
  HEADERS="$(tr -d '\r' <"${E2E_TMP}/headers")"
  if [[ "${CODE}" != "${expected}" ]]; then
    printf 'curl %s\nheaders:\n%s\nbody:\n%s\n' "$*" "${HEADERS}" "${BODY}" >&2
    fail "HTTP ${CODE}, expected ${expected}"
  fi
}
# json EXPR: evaluates a Python expression over the parsed BODY as `b`.
json() {
  python3 -c 'import json, sys; b = json.load(sys.stdin); print(eval(sys.argv[1]))' \
    "$1" <<<"${BODY}"
}

step "open a ticket: 201, the key once in the body and as the ticket's cookie"
call 201 -X POST "${BASE}/api/v1/tickets" -H 'Content-Type: application/json' \
  -d '{"subject":"Máy giặt kêu to","description":"Từ hôm qua",
       "kind":"KIND_COMPLAINT","cxLevel":"CX_LEVEL_PRODUCT",
       "customerEmail":"an@example.com","customerName":"An"}'
ID="$(json 'b["ticket"]["id"]')"
KEY="$(json 'b["accessKey"]')"
[[ "$(json 'b["ticket"]["channel"]')" == CHANNEL_WEB ]] || fail "channel"
[[ "$(json 'b["ticket"]["subject"]')" == "Máy giặt kêu to" ]] || fail "subject"
contains "${HEADERS}" "Set-Cookie: cxk_${ID}=${KEY}; Path=/; Max-Age=2592000; HttpOnly; SameSite=Strict" "key cookie"
contains "${HEADERS}" "Location: /api/v1/tickets/${ID}/status" "Location"
contains "${HEADERS}" "X-Content-Type-Options: nosniff" "nosniff"
contains "${HEADERS}" "Referrer-Policy: no-referrer" "no-referrer"
contains "${HEADERS}" "frame-ancestors 'none'" "CSP"
contains "${HEADERS}" "Cache-Control: no-store" "no-store"

step "status with the cookie, and with the key header"
call 200 "${BASE}/api/v1/tickets/${ID}/status" -H "Cookie: cxk_${ID}=${KEY}"
[[ "$(json 'b["status"]')" == STATUS_NEW ]] || fail "status"
call 200 "${BASE}/api/v1/tickets/${ID}/status" -H "X-Cxdesk-Access-Key: ${KEY}"

step "a wrong key and an unknown ticket: the same 404"
call 404 "${BASE}/api/v1/tickets/${ID}/status" -H "X-Cxdesk-Access-Key: wrong-key"
WRONG="${BODY}"
call 404 "${BASE}/api/v1/tickets/99999/status" -H "X-Cxdesk-Access-Key: ${KEY}"
# The same answer but for the number asked about: nothing tells a stranger
# that ticket ${ID} exists.
[[ "${BODY}" == "${WRONG//ticket ${ID} /ticket 99999 }" ]] \
  || fail "the two 404s differ: ${WRONG} / ${BODY}"
[[ "$(json 'b["error"]["status"]')" == NOT_FOUND ]] || fail "404 status"
call 401 "${BASE}/api/v1/tickets/${ID}/status"

step "reply, then rating refused while the ticket is open"
call 201 -X POST "${BASE}/api/v1/tickets/${ID}/comments" \
  -H "Cookie: cxk_${ID}=${KEY}" -H 'Content-Type: application/json' \
  -d '{"body":"Vẫn còn kêu"}'
[[ "$(json 'b["body"]')" == "Vẫn còn kêu" ]] || fail "comment body"
call 400 -X POST "${BASE}/api/v1/tickets/${ID}:rate" \
  -H "Cookie: cxk_${ID}=${KEY}" -d '{"score":5}'
[[ "$(json 'b["error"]["status"]')" == FAILED_PRECONDITION ]] || fail "rate"

step "exchange a key for the cookie: 204"
call 204 -X POST "${BASE}/api/v1/tickets/${ID}:exchangeKey" \
  -d "{\"accessKey\":\"${KEY}\"}"
contains "${HEADERS}" "Set-Cookie: cxk_${ID}=${KEY};" "exchanged cookie"

step "bad input: 400 naming the problem, 403 Origin, 404, 405, 413"
call 400 -X POST "${BASE}/api/v1/tickets" -d '{"subject": '
[[ "$(json 'b["error"]["status"]')" == INVALID_ARGUMENT ]] || fail "bad JSON"
contains "$(json 'b["error"]["message"]')" "body: " "bad JSON message"
call 400 -X POST "${BASE}/api/v1/tickets" -d '{"colour":"red"}'
contains "${BODY}" "colour" "unknown field named"
call 400 -X POST "${BASE}/api/v1/tickets" \
  -d "{\"subject\":\"$(printf 'x%.0s' {1..201})\",\"customerEmail\":\"an@example.com\"}"
[[ "$(json 'b["error"]["field"]')" == subject ]] || fail "field of a long subject"
call 403 -X POST "${BASE}/api/v1/tickets" -H 'Origin: https://evil.example' \
  -d '{"subject":"x"}'
call 404 "${BASE}/no/such/page"
call 405 -X DELETE "${BASE}/api/v1/tickets/${ID}/status"
contains "${HEADERS}" "Allow: GET" "Allow"
head -c 1100000 /dev/zero | tr '\0' 'a' >"${E2E_TMP}/big"
call 413 -X POST "${BASE}/api/v1/tickets" --data-binary "@${E2E_TMP}/big"

step "the ticket service down: 503 with Retry-After, no internal text"
stop_pid "${TICKETD_PID}"
call 503 "${BASE}/api/v1/tickets/${ID}/status" -H "X-Cxdesk-Access-Key: ${KEY}"
contains "${HEADERS}" "Retry-After: 1" "Retry-After"
if [[ "${BODY}" == *"${TICKET_PORT}"* ]]; then
  fail "the 503 names the internal address: ${BODY}"
fi

echo "web_api_e2e_test: ok"
