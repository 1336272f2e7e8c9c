#!/usr/bin/env bash
# End-to-end test of the `cxdesk` CLI against a real cxdesk-ticketd and
# PostgreSQL: a ticket's whole life as agents and the customer see it; with
# a cxdesk-escalationd binary also the directory, routing and notification
# commands a manager and an agent use.
#
# Usage: cli_e2e_test.sh CXDESK_BINARY CXDESK_TICKETD_BINARY [CXDESK_ESCALATIOND_BINARY]
#
# Needs CXDESK_TEST_DATABASE_URL, an admin URL of a disposable cluster (e.g.
# postgresql://postgres@127.0.0.1:PORT/postgres, set by tests/run.sh). It
# (re)creates the database cxdesk_test_cli there. Without the variable the
# test FAILS rather than passing vacuously.
set -euo pipefail

if (($# != 2 && $# != 3)); then
  echo "usage: $0 CXDESK_BINARY CXDESK_TICKETD_BINARY [CXDESK_ESCALATIOND_BINARY]" >&2
  exit 2
fi
CXDESK="$1"
TICKETD="$2"
ESCALATIOND="${3:-}"
readonly CXDESK TICKETD ESCALATIOND

# shellcheck source=../../tests/support/e2e_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../../tests/support/e2e_lib.sh"

[[ -x "${CXDESK}" ]] || fail "no cxdesk binary at ${CXDESK}"
[[ -x "${TICKETD}" ]] || fail "no cxdesk-ticketd binary at ${TICKETD}"
e2e_init cli
tmp_dir="${E2E_TMP}"
readonly tmp_dir

# --- helpers -----------------------------------------------------------------

# run EXPECTED_EXIT ARGS...: runs the CLI with a clean environment (only what
# the test passes), from the temp folder (so no .cxdesk/ of a checkout is
# found), capturing OUT, ERR and RC. Fails unless the exit code is expected.
OUT=""
ERR=""
RC=0
ALL_OUTPUT="${tmp_dir}/all-output"
run() {
  local expected="$1"
  shift
  set +e
  (cd "${tmp_dir}" && env -u CXDESK_TOKEN -u CXDESK_ACCESS_KEY \
    -u CXDESK_TICKET_ADDR -u CXDESK_TOKEN_SECRET_FILE \
    -u CXDESK_ESCALATION_TARGET \
    "${CXDESK}" --target "127.0.0.1:${port}" \
    --escalation-target "127.0.0.1:${esc_port:-1}" "$@") \
    >"${tmp_dir}/out" 2>"${tmp_dir}/err"
  RC=$?
  set -e
  OUT="$(cat "${tmp_dir}/out")"
  ERR="$(cat "${tmp_dir}/err")"
  cat "${tmp_dir}/out" "${tmp_dir}/err" >>"${ALL_OUTPUT}"
  if [[ "${RC}" != "${expected}" ]]; then
    printf 'command: cxdesk %s\nstdout:\n%s\nstderr:\n%s\n' "$*" "${OUT}" \
      "${ERR}" >&2
    fail "exit code ${RC}, expected ${expected}"
  fi
}

# json_check PYTHON_EXPR: every non-empty line of OUT is a JSON document, and
# PYTHON_EXPR (over `docs`, the parsed list) is true.
json_check() {
  python3 -c '
import json, sys
docs = [json.loads(line) for line in sys.stdin.read().splitlines() if line.strip()]
assert docs, "no JSON output"
ok = eval(sys.argv[1])
if not ok:
    print("check failed:", sys.argv[1], "on", docs, file=sys.stderr)
    sys.exit(1)
' "$1" <<<"${OUT}" || fail "JSON output: $1"
}

# --- the server ----------------------------------------------------------------

step "start cxdesk-ticketd"
e2e_start cxdesk-ticketd "${TICKETD}"
port="${E2E_PORT}"
echo "serving on 127.0.0.1:${port}"

# --- the story ---------------------------------------------------------------

step "health"
run 0 health
contains "${OUT}" "ticket service at 127.0.0.1:${port}: serving" "health"

step "token issue"
run 0 --token-secret-file "${tmp_dir}/secret" token issue --role agent \
  --subject alice
TOKEN="${OUT}"
[[ "${TOKEN}" =~ ^cxd1\.[A-Za-z0-9_=-]+\.[A-Za-z0-9_=-]+$ ]] ||
  fail "token issue printed more than a token: ${TOKEN}"
: >"${ALL_OUTPUT}"  # From here on, no output may contain the token.

step "usage errors"
run 2 ticket list --token "${TOKEN}" --priority hihg
contains "${ERR}" "--priority" "bad enum word names the flag"
contains "${ERR}" "low, normal, high, urgent" "bad enum word lists the values"
run 2 ticket create --subject S --description D
contains "${ERR}" "--email" "missing required flag is named"
run 2 ticket frobnicate

step "create as the anonymous customer"
run 0 ticket create --subject "Printer on fire" \
  --description "It smokes when I print in colour." --email jane@example.com \
  --name "Jane Doe" --kind complaint --cx-level product --priority high \
  --channel email --tags hardware,colour --request-id cli-e2e-1
matches "${OUT}" '^access key: [^ ]+$' "create prints the access key line"
KEY="$(sed -n 's/^access key: //p' <<<"${OUT}")"
ID="$(sed -n 's/^ticket #\([0-9][0-9]*\):.*/\1/p' <<<"${OUT}" | head -n 1)"
[[ -n "${ID}" && -n "${KEY}" ]] || fail "no ticket id or key in: ${OUT}"
matches "${OUT}" 'status: +new' "a new ticket is new"
echo "ticket #${ID}"

step "without credentials, staff calls are refused"
run 1 ticket list
contains "${ERR}" "error: not signed in" "unauthenticated list"

step "list as agent"
run 0 --token "${TOKEN}" ticket list
matches "${OUT}" '^ID +STATUS +PRIORITY +KIND +CX +ASSIGNEE +TEAM +AGE +SUBJECT' \
  "table header"
matches "${OUT}" "^${ID} +new +high +complaint +product +.*Printer on fire" \
  "the ticket is listed"
run 0 --token "${TOKEN}" ticket list --status open,pending
contains "${OUT}" "no tickets match" "status filter"
run 0 --token "${TOKEN}" --json ticket list --status new
json_check "any(t['id'] == '${ID}' for d in docs for t in d.get('tickets', []))"

step "agent replies (a new ticket opens)"
run 0 --token "${TOKEN}" ticket reply "${ID}" --body "We are on it."
contains "${OUT}" "added public reply" "reply"
run 0 --token "${TOKEN}" ticket note "${ID}" --body "Probably the fuser."
contains "${OUT}" "added internal note" "note"
run 0 --token "${TOKEN}" ticket assign "${ID}" --agent alice --team hardware
contains "${OUT}" "assignee alice" "assign"

step "pending, then the customer answers (back to open)"
run 0 --token "${TOKEN}" ticket status "${ID}" pending \
  --reason "waiting for the model number"
contains "${OUT}" "status pending" "status pending"
run 0 --access-key "${KEY}" ticket status-view "${ID}"
matches "${OUT}" 'status: +pending \(waiting for your reply\)' \
  "customer sees pending in plain words"
run 0 --access-key "${KEY}" ticket reply "${ID}" --body "It is an X100."
contains "${OUT}" "added public reply" "customer reply"
run 0 --access-key "${KEY}" ticket status-view "${ID}"
matches "${OUT}" 'status: +open' "a customer reply reopens the ticket"
contains "${OUT}" "We are on it." "customer sees the agent's reply"
contains "${OUT}" "It is an X100." "customer sees their reply"
[[ "${OUT}" != *"Probably the fuser."* ]] ||
  fail "the customer sees an internal note"

step "update with a stale etag is refused"
run 0 --token "${TOKEN}" --json ticket show "${ID}"
json_check "docs[0]['ticket']['id'] == '${ID}' and len(docs[0]['comments']) >= 3"
ETAG="$(python3 -c 'import json,sys; print(json.loads(sys.stdin.read())["ticket"]["etag"])' <<<"${OUT}")"
run 0 --token "${TOKEN}" ticket update "${ID}" --priority urgent \
  --tags hardware,colour,vip --etag "${ETAG}"
matches "${OUT}" 'priority: +urgent' "update"
run 1 --token "${TOKEN}" ticket update "${ID}" --priority low --etag "${ETAG}"
contains "${ERR}" "someone else changed it first" "stale etag"

step "show (agents see notes, marked)"
run 0 --token "${TOKEN}" ticket show "${ID}"
contains "${OUT}" "ticket #${ID}: Printer on fire" "show header"
matches "${OUT}" 'customer: +Jane Doe <jane@example.com>' "show customer"
contains "${OUT}" "INTERNAL NOTE" "internal note marked"
contains "${OUT}" "Probably the fuser." "agent sees the note"

step "solve, rate as the customer"
run 0 --token "${TOKEN}" ticket status "${ID}" solved
contains "${OUT}" "status solved" "solve"
run 1 --token "${TOKEN}" ticket rate "${ID}" --score 5
run 2 --access-key "${KEY}" ticket rate "${ID}" --score 7
run 0 --access-key "${KEY}" ticket rate "${ID}" --score 5 --comment "Quick fix"
contains "${OUT}" "rated 5/5" "rate"
run 0 --access-key "${KEY}" ticket status-view "${ID}"
matches "${OUT}" 'rating: +5/5 "Quick fix"' "status-view shows the rating"
run 0 --access-key "${KEY}" --json ticket status-view "${ID}"
json_check "docs[0]['rating']['score'] == 5 and docs[0]['status'] == 'STATUS_SOLVED'"

step "a wrong access key finds nothing"
run 1 --access-key "not-the-key" ticket status-view "${ID}"
contains "${ERR}" "not found" "wrong access key"

step "history"
run 0 --token "${TOKEN}" ticket events "${ID}"
echo "${OUT}"
matches "${OUT}" ' created .*subject: "Printer on fire"' "created event"
matches "${OUT}" 'comment +alice \(agent\) +public reply #[0-9]+; status: new -> open' \
  "the agent's reply opened the ticket"
matches "${OUT}" 'assigned +alice \(agent\) .*team: \(none\) -> hardware' \
  "assignment event"
matches "${OUT}" 'status +alice \(agent\) +status: open -> pending; reason: "waiting for the model number"' \
  "status event with reason"
matches "${OUT}" 'comment +jane@example.com \(customer\) +public reply #[0-9]+; status: pending -> open' \
  "the customer's reply reopened the ticket"
matches "${OUT}" 'updated .*priority: high -> urgent; tags: colour, hardware -> colour, hardware, vip' \
  "update event"
matches "${OUT}" 'status: open -> solved' "solve event"
matches "${OUT}" 'rated .*rating: \(none\) -> 5/5' "rating event"
run 0 --token "${TOKEN}" --json ticket events "${ID}"
json_check "sum(len(d.get('events', [])) for d in docs) >= 9"

step "watch"
set +e
(cd "${tmp_dir}" && timeout 20 "${CXDESK}" --target "127.0.0.1:${port}" \
  --token "${TOKEN}" ticket watch --count 3) >"${tmp_dir}/out" 2>"${tmp_dir}/err"
RC=$?
set -e
OUT="$(cat "${tmp_dir}/out")"
cat "${tmp_dir}/out" "${tmp_dir}/err" >>"${ALL_OUTPUT}"
((RC == 0)) || fail "watch exited ${RC}: $(cat "${tmp_dir}/err")"
(($(wc -l <<<"${OUT}") == 3)) || fail "watch --count 3 printed: ${OUT}"
FIRST_CURSOR="$(head -n 1 <<<"${OUT}" | cut -d' ' -f1)"
[[ -n "${FIRST_CURSOR}" && "${FIRST_CURSOR}" != "-" ]] || fail "no cursor"
matches "$(head -n 1 <<<"${OUT}")" "#${ID} v1 +created" "first event is the creation"
set +e
(cd "${tmp_dir}" && timeout 20 "${CXDESK}" --target "127.0.0.1:${port}" \
  --token "${TOKEN}" --json ticket watch --after "${FIRST_CURSOR}" --count 1) \
  >"${tmp_dir}/out" 2>"${tmp_dir}/err"
RC=$?
set -e
OUT="$(cat "${tmp_dir}/out")"
((RC == 0)) || fail "watch --after exited ${RC}: $(cat "${tmp_dir}/err")"
json_check "docs[0]['ticket_version'] == '2' and docs[0]['cursor'] != '${FIRST_CURSOR}'"

if [[ -n "${ESCALATIOND}" ]]; then
  step "start cxdesk-escalationd"
  e2e_start cxdesk-escalationd "${ESCALATIOND}" \
    --ticket-target="127.0.0.1:${port}" --sla-target=none
  esc_port="${E2E_PORT}"

  step "directory and routing rules (manager)"
  run 0 --token-secret-file "${tmp_dir}/secret" token issue --role manager \
    --subject maria
  MANAGER="${OUT}"
  printf 'team_id: "printers"\ndisplay_name: "Printer people"\n' \
    >"${tmp_dir}/team.txtpb"
  run 0 --token "${MANAGER}" team create --file team.txtpb
  contains "${OUT}" "team printers created" "team create"
  run 1 --token "${TOKEN}" team create --file team.txtpb
  contains "${ERR}" "managers" "an agent may not create teams"
  printf 'agent_id: "paula"\nteam_ids: ["printers"]\ncapacity: 2\navailability: AVAILABILITY_ONLINE\n' \
    >"${tmp_dir}/agent.txtpb"
  run 0 --token "${MANAGER}" agent create --file agent.txtpb
  printf 'rule_id: "printer-tickets"\nposition: 1\nconditions { tags_any: ["printer"] }\nteam_id: "printers"\nstrategy: STRATEGY_LEAST_LOADED\n' \
    >"${tmp_dir}/rule.txtpb"
  run 0 --token "${MANAGER}" rule create --file rule.txtpb
  run 0 --token "${MANAGER}" rule list
  contains "${OUT}" "printer-tickets" "rule list"
  printf 'rule_id: "bad"\nteam_id: "printers"\nconditions { tags_any: ["has space"] }\nstrategy: STRATEGY_LEAST_LOADED\n' \
    >"${tmp_dir}/bad-rule.txtpb"
  run 1 --token "${MANAGER}" rule create --file bad-rule.txtpb
  contains "${ERR}" "rule.conditions.tags_any[0]" "a bad tag names its field"

  step "a new ticket is routed and assigned"
  run 0 ticket create --subject "Paper jam" --description "Tray 2 jams" \
    --email kim@example.com --tags printer
  PID_="$(sed -nE 's/^ticket #([0-9]+):.*/\1/p' <<<"${OUT}" | head -n 1)"
  [[ -n "${PID_}" ]] || fail "no ticket id in: ${OUT}"
  for _ in $(seq 1 100); do
    run 0 --token "${TOKEN}" ticket show "${PID_}"
    [[ "${OUT}" == *"assignee: paula"* ]] && break
    sleep 0.1
  done
  contains "${OUT}" "assignee: paula" "routed to paula"
  run 0 --token "${TOKEN}" route explain "${PID_}"
  contains "${OUT}" "team printers: assigned to paula" "route explain"
  contains "${OUT}" "rule:     printer-tickets" "route explain names the rule"
  run 0 --token "${TOKEN}" agent list --team printers
  matches "${OUT}" "paula +.*1/2" "the load shows"
  run 0 --token "${TOKEN}" queue printers
  contains "${OUT}" "team printers: 0 waiting" "queue"
  run 1 --token "${MANAGER}" team delete printers
  contains "${ERR}" "routing rule" "a team in use is not deleted"

  step "notifications and escalations (empty)"
  run 0 --token "${TOKEN}" notifications
  contains "${OUT}" "0 unread" "notifications"
  run 0 --token "${TOKEN}" escalations --ticket "${PID_}"
  run 0 --token-secret-file "${tmp_dir}/secret" token issue --role agent \
    --subject paula
  PAULA="${OUT}"
  run 0 --token "${PAULA}" agent availability me away
  contains "${OUT}" "away" "paula is away"
  run 1 --token "${TOKEN}" agent availability paula online
  contains "${ERR}" "own availability" "an agent sets only their own"
fi

step "tokens never appear in output"
if grep -qF -- "${TOKEN}" "${ALL_OUTPUT}"; then
  fail "the token was printed"
fi

echo
echo "PASS: cli_e2e_test"
