#!/usr/bin/env bash
# End-to-end test of `cxdesk-status`, the customer's client, against a real
# cxdesk-ticketd and cxdesk-slad on free loopback ports over a fresh scratch
# database: a customer opens a request, sees the SLA promise, replies; an
# agent (the `cxdesk` CLI) solves it; the customer rates it once; errors
# (wrong key, closed port, bad score) come out in plain words with the right
# exit codes; --json is checked with python3.
#
# Usage: status_e2e_test.sh CXDESK_STATUS CXDESK CXDESK_TICKETD CXDESK_SLAD
#
# Needs CXDESK_TEST_DATABASE_URL, an admin URL of a disposable cluster (e.g.
# postgresql://postgres@127.0.0.1:PORT/postgres). It (re)creates the
# database cxdesk_test_status there. Without the variable the test FAILS
# rather than passing vacuously.
set -euo pipefail

if (($# != 4)); then
  echo "usage: $0 CXDESK_STATUS CXDESK CXDESK_TICKETD CXDESK_SLAD" >&2
  exit 2
fi
# Absolute: the staff CLI runs from a temporary folder.
STATUS="$(realpath -- "$1")"
CXDESK="$(realpath -- "$2")"
TICKETD="$(realpath -- "$3")"
SLAD="$(realpath -- "$4")"
readonly STATUS CXDESK TICKETD SLAD

# shellcheck source=../../tests/support/e2e_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../../tests/support/e2e_lib.sh"

for bin in "${STATUS}" "${CXDESK}" "${TICKETD}" "${SLAD}"; do
  [[ -x "${bin}" ]] || fail "no binary at ${bin}"
done
e2e_init status
tmp_dir="${E2E_TMP}"
readonly tmp_dir

# --- helpers -----------------------------------------------------------------

OUT=""
ERR=""
RC=0
ALL_OUTPUT="${tmp_dir}/all-output"
: >"${ALL_OUTPUT}"

# status EXPECTED_EXIT ARGS...: runs cxdesk-status against the ticket
# service with a clean environment (TZ=Europe/Berlin unless the test passes
# --tz), capturing OUT, ERR and RC. Standard input comes from $STDIN.
STDIN=""
status() {
  local expected="$1"
  shift
  set +e
  env -u CXDESK_ACCESS_KEY -u CXDESK_TICKET_ADDR TZ=Europe/Berlin \
    "${STATUS}" --target "127.0.0.1:${port}" "$@" <<<"${STDIN}" \
    >"${tmp_dir}/out" 2>"${tmp_dir}/err"
  RC=$?
  set -e
  STDIN=""
  OUT="$(cat "${tmp_dir}/out")"
  ERR="$(cat "${tmp_dir}/err")"
  cat "${tmp_dir}/out" "${tmp_dir}/err" >>"${ALL_OUTPUT}"
  if [[ "${RC}" != "${expected}" ]]; then
    printf 'command: cxdesk-status %s\nstdout:\n%s\nstderr:\n%s\n' "$*" \
      "${OUT}" "${ERR}" >&2
    fail "exit code ${RC}, expected ${expected}"
  fi
}

# staff EXPECTED_EXIT ARGS...: the `cxdesk` CLI as staff.
staff() {
  local expected="$1"
  shift
  set +e
  (cd "${tmp_dir}" && env -u CXDESK_TOKEN -u CXDESK_ACCESS_KEY \
    "${CXDESK}" --target "127.0.0.1:${port}" \
    --sla-target "127.0.0.1:${sla_port}" "$@") \
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

# json_check PYTHON_EXPR: OUT is one JSON object `d` for which PYTHON_EXPR
# holds.
json_check() {
  python3 -c '
import json, sys
d = json.loads(sys.stdin.read())
if not eval(sys.argv[1]):
    print("check failed:", sys.argv[1], "on", d, file=sys.stderr)
    sys.exit(1)
' "$1" <<<"${OUT}" || fail "JSON output: $1"
}

# --- database and services ---------------------------------------------------

step "start cxdesk-ticketd and cxdesk-slad"
e2e_start_services "${TICKETD}" "${SLAD}"
port="${TICKET_PORT}"
sla_port="${SLA_PORT}"

step "staff tokens and an SLA policy (first reply within 1 h)"
staff 0 --token-secret-file "${tmp_dir}/secret" token issue --role manager \
  --subject maria
MANAGER="${OUT}"
staff 0 --token-secret-file "${tmp_dir}/secret" token issue --role agent \
  --subject alice
AGENT="${OUT}"
{
  echo 'calendar_id: "always"'
  echo 'time_zone: "UTC"'
  for d in MONDAY TUESDAY WEDNESDAY THURSDAY FRIDAY SATURDAY SUNDAY; do
    echo "hours { weekday: WEEKDAY_${d} start: \"00:00\" end: \"24:00\" }"
  done
} >"${tmp_dir}/calendar.txtpb"
staff 0 --token "${MANAGER}" calendar create --file calendar.txtpb
cat >"${tmp_dir}/policy.txtpb" <<'EOF'
policy_id: "everyone"
is_default: true
targets {
  priority: PRIORITY_NORMAL
  metric: METRIC_FIRST_RESPONSE
  target { seconds: 3600 }
  calendar_id: "always"
}
EOF
staff 0 --token "${MANAGER}" policy create --file policy.txtpb
# One customer's first reply is due within 2 s, to see an overdue promise.
cat >"${tmp_dir}/late.txtpb" <<'EOF'
policy_id: "late"
position: 1
conditions { customer_emails: ["late@example.com"] }
targets {
  priority: PRIORITY_NORMAL
  metric: METRIC_FIRST_RESPONSE
  target { seconds: 2 }
  calendar_id: "always"
}
EOF
staff 0 --token "${MANAGER}" policy create --file late.txtpb

step "usage errors exit 2 and name the flag"
status 2 rate 1 --key K --score 7
contains "${ERR}" "--score: '7' is not a whole number from 1 to 5" "bad score"
status 2 open --subject S --description D
contains "${ERR}" "missing required flag --email" "missing --email"
status 2 1
contains "${ERR}" "--key: the access key is missing" "missing key"

step "open a request (description on standard input)"
STDIN=$'My printer smokes when I print in colour.\nModel X100.'
status 0 open --email jane@example.com --name "Jane Doe" \
  --subject "Printer on fire"
echo "${OUT}"
contains "${OUT}" "Thank you, we have received your request." "open thanks"
ID="$(sed -nE 's/^  Ticket number: ([0-9]+)$/\1/p' <<<"${OUT}")"
KEY="$(sed -nE 's/^  Access key: +([^ ]+)$/\1/p' <<<"${OUT}")"
[[ -n "${ID}" && -n "${KEY}" ]] || fail "no ticket number or key in: ${OUT}"
contains "${OUT}" "cxdesk-status ${ID} --key ${KEY}" "how to check it"

step "show: status in plain words and the promise"
# The promise arrives once the SLA service has seen the new ticket.
for _ in $(seq 1 100); do
  status 0 "${ID}" --key "${KEY}"
  [[ "${OUT}" == *"We will reply by"* ]] && break
  sleep 0.1
done
echo "${OUT}"
contains "${OUT}" "Ticket ${ID}: Printer on fire" "show header"
contains "${OUT}" \
  "Status: We have received your request and will look at it soon." \
  "new in plain words"
matches "${OUT}" \
  '^Next: +We will reply by (Mon|Tue|Wed|Thu|Fri|Sat|Sun) [0-9]{1,2} [A-Z][a-z]{2}( [0-9]{4})? [0-9]{2}:[0-9]{2} your time \(CES?T\)\.$' \
  "the promise line, in Berlin time"
contains "${OUT}" "  You, " "the customer's description is theirs"
contains "${OUT}" "    My printer smokes when I print in colour." "description"
status 0 "${ID}" --key "${KEY}" --tz America/New_York
matches "${OUT}" 'your time \(EST\)\.$' "--tz changes the zone"

step "a wrong key and an unknown ticket get the same answer"
status 1 "${ID}" --key "not-the-key"
[[ "${ERR}" == "No ticket ${ID} matches that access key. Check the number and the key from your confirmation message." ]] ||
  fail "wrong key message: ${ERR}"
status 1 999999 --key "${KEY}"
contains "${ERR}" "No ticket 999999 matches that access key." "unknown ticket"
status 1 --json "${ID}" --key "not-the-key"
json_check "d['error']['code'] == 'NOT_FOUND' and d['error']['message'].startswith('No ticket ${ID} matches')"

step "rating before it is solved is refused"
status 1 rate "${ID}" --key "${KEY}" --score 5
contains "${ERR}" "is not solved yet, so it cannot be rated" "rate too early"

step "the support team answers, the customer replies"
staff 0 --token "${AGENT}" ticket reply "${ID}" --body "Please unplug it now."
staff 0 --token "${AGENT}" ticket note "${ID}" --body "INTERNAL fuser again"
staff 0 --token "${AGENT}" ticket status "${ID}" pending
status 0 "${ID}" --key "${KEY}"
contains "${OUT}" "Status: We are waiting for your reply." "pending in words"
contains "${OUT}" "alice (support team), " "the agent is named"
contains "${OUT}" "    Please unplug it now." "the agent's reply"
[[ "${OUT}" != *"INTERNAL fuser"* ]] || fail "an internal note was shown"
status 0 reply "${ID}" --key "${KEY}" --message "Unplugged. It stopped."
contains "${OUT}" "your reply was added to ticket ${ID}" "reply"
STDIN="And it smells."
status 0 reply "${ID}" --key "${KEY}"
status 0 "${ID}" --key "${KEY}"
echo "${OUT}"
contains "${OUT}" "Status: We are working on it." "a reply reopens it"
contains "${OUT}" "    Unplugged. It stopped." "the reply is shown"
contains "${OUT}" "    And it smells." "the reply from stdin is shown"

step "the support team solves it; the customer rates it once"
staff 0 --token "${AGENT}" ticket status "${ID}" solved
status 0 "${ID}" --key "${KEY}"
contains "${OUT}" "Status: We think this is solved." "solved in words"
contains "${OUT}" "How did we do? Rate it: cxdesk-status rate ${ID}" \
  "how to rate"
status 0 rate "${ID}" --key "${KEY}" --score 5 --comment "Quick fix"
[[ "${OUT}" == "Thank you! You rated ticket ${ID} 5/5." ]] || fail "rate: ${OUT}"
status 1 rate "${ID}" --key "${KEY}" --score 1
[[ "${ERR}" == "You have already rated ticket ${ID}; a request takes one rating. Thank you!" ]] ||
  fail "second rating: ${ERR}"
status 0 "${ID}" --key "${KEY}"
contains "${OUT}" 'Your rating: 5/5 "Quick fix". Thank you!' "rating shown"

step "--json for scripts"
status 0 --json "${ID}" --key "${KEY}"
echo "${OUT}"
json_check "d['ticket_id'] == ${ID} and d['subject'] == 'Printer on fire' and d['status'] == 'solved' and d['status_text'].startswith('We think this is solved')"
json_check "d['promise']['kind'] == 'none' and d['promise']['due'] is None and d['promise']['overdue'] is False"
json_check "[c['author'] for c in d['conversation']] == ['You', 'alice (support team)', 'You', 'You'] and all(c['public'] is True for c in d['conversation'])"
json_check "d['conversation'][0]['body'].startswith('My printer smokes') and all('INTERNAL' not in c['body'] for c in d['conversation'])"
json_check "d['rating'] == {'score': 5, 'comment': 'Quick fix', 'time': d['rating']['time']} and d['rating']['time'].endswith('Z')"
STDIN="Another one."
status 0 --json open --email jane@example.com --subject "Second"
json_check "d['ticket_id'] > ${ID} and d['status'] == 'new' and len(d['access_key']) > 10"
ID2="$(python3 -c 'import json,sys; print(json.load(sys.stdin)["ticket_id"])' <<<"${OUT}")"
KEY2="$(python3 -c 'import json,sys; print(json.load(sys.stdin)["access_key"])' <<<"${OUT}")"
for _ in $(seq 1 100); do
  status 0 --json "${ID2}" --key "${KEY2}"
  [[ "${OUT}" == *'"kind":"reply"'* ]] && break
  sleep 0.1
done
json_check "d['promise']['kind'] == 'reply' and d['promise']['due'].endswith('Z') and d['promise']['overdue'] is False and d['promise']['overdue_seconds'] == 0"
json_check "d['promise']['text'].startswith('We will reply by ')"
# The first key does not open the second ticket.
status 1 "${ID2}" --key "${KEY}"
contains "${ERR}" "No ticket ${ID2} matches that access key." "key per ticket"

step "an overdue promise is told honestly"
STDIN="Where is my parcel?"
status 0 --json open --email late@example.com --subject "Parcel"
ID3="$(python3 -c 'import json,sys; print(json.load(sys.stdin)["ticket_id"])' <<<"${OUT}")"
KEY3="$(python3 -c 'import json,sys; print(json.load(sys.stdin)["access_key"])' <<<"${OUT}")"
for _ in $(seq 1 150); do
  status 0 "${ID3}" --key "${KEY3}" --tz UTC
  [[ "${OUT}" == *"overdue"* ]] && break
  sleep 0.1
done
echo "${OUT}"
matches "${OUT}" \
  '^Next: +Our reply is overdue: it was due (Mon|Tue|Wed|Thu|Fri|Sat|Sun) [0-9]{1,2} [A-Z][a-z]{2}( [0-9]{4})? [0-9]{2}:[0-9]{2} your time \(UTC\), less than a minute ago\. We are sorry for the wait\.$' \
  "the overdue line"
status 0 --json "${ID3}" --key "${KEY3}"
json_check "d['promise']['kind'] == 'reply' and d['promise']['overdue'] is True and 0 <= d['promise']['overdue_seconds'] < 60 and d['promise']['text'].startswith('Our reply is overdue: it was due ')"

step "the help desk cannot be reached"
closed_port="$(free_port)"
set +e
env -u CXDESK_ACCESS_KEY "${STATUS}" --target "127.0.0.1:${closed_port}" \
  --timeout 3s "${ID}" --key "${KEY}" >"${tmp_dir}/out" 2>"${tmp_dir}/err"
RC=$?
set -e
((RC == 1)) || fail "service down: exit ${RC}"
[[ "$(cat "${tmp_dir}/err")" == "The help desk cannot be reached at 127.0.0.1:${closed_port} right now. Please try again in a few minutes." ]] ||
  fail "service down message: $(cat "${tmp_dir}/err")"
set +e
CXDESK_TICKET_ADDR="127.0.0.1:${closed_port}" CXDESK_ACCESS_KEY="${KEY}" \
  "${STATUS}" --json --timeout 3s "${ID}" >"${tmp_dir}/out" 2>/dev/null
RC=$?
set -e
((RC == 1)) || fail "service down (json, env): exit ${RC}"
OUT="$(cat "${tmp_dir}/out")"
json_check "d['error']['code'] == 'UNAVAILABLE' and '127.0.0.1:${closed_port}' in d['error']['message']"

step "the access key appears only where open prints it"
grep -c -F -- "${KEY}" "${ALL_OUTPUT}" >"${tmp_dir}/count" || true
(($(cat "${tmp_dir}/count") == 2)) ||
  fail "the key was printed $(cat "${tmp_dir}/count") times (expected 2, by open)"

echo
echo "PASS: status_e2e_test"
