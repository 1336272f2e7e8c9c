#!/usr/bin/env bash
# End-to-end test of the agent console `cxdesk-console` as an agent uses it:
# the real cxdesk-ticketd, cxdesk-slad and cxdesk-escalationd on free
# loopback ports over a fresh scratch database, the console running in a
# private tmux server (100x30), keys sent with tmux send-keys, and the
# screen read with tmux capture-pane. What the console did is checked on the
# server too, through the `cxdesk` CLI.
#
# Usage: console_e2e_test.sh CONSOLE CXDESK TICKETD SLAD ESCALATIOND
#
# Needs CXDESK_TEST_DATABASE_URL, an admin URL of a disposable cluster (e.g.
# postgresql://postgres@127.0.0.1:PORT/postgres). It (re)creates the
# database cxdesk_test_console there. Without the variable the test FAILS.
set -euo pipefail

if (($# != 5)); then
  echo "usage: $0 CONSOLE CXDESK TICKETD SLAD ESCALATIOND" >&2
  exit 2
fi
# Absolute: the CLI runs from a temporary folder.
CONSOLE="$(realpath -- "$1")"
CXDESK="$(realpath -- "$2")"
TICKETD="$(realpath -- "$3")"
SLAD="$(realpath -- "$4")"
ESCALATIOND="$(realpath -- "$5")"
readonly CONSOLE CXDESK TICKETD SLAD ESCALATIOND
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DEMO="${HERE}/../../deploy/demo"
readonly HERE DEMO

# shellcheck source=../../tests/support/e2e_lib.sh
source "${HERE}/../../tests/support/e2e_lib.sh"

for b in "${CONSOLE}" "${CXDESK}" "${TICKETD}" "${SLAD}" "${ESCALATIOND}"; do
  [[ -x "${b}" ]] || fail "no binary at ${b}"
done
command -v tmux >/dev/null || fail "tmux is not installed"

SOCKET="cxdesk-console-e2e-$$"
e2e_init console
tmp_dir="${E2E_TMP}"
readonly tmp_dir SOCKET

# At exit, before the services stop: the console's tmux goes, and on a
# failure the last screen is shown.
console_cleanup() {
  tmux -L "${SOCKET}" kill-server 2>/dev/null || true
  if [[ -f "${tmp_dir}/last-screen" ]]; then
    echo "--- the last screen:" >&2
    cat "${tmp_dir}/last-screen" >&2
  fi
}
E2E_CLEANUP_HOOK=console_cleanup

# cli EXPECTED_EXIT ARGS...: the CLI against the three services; OUT, ERR.
OUT=""
ERR=""
cli() {
  local expected="$1" rc=0
  shift
  set +e
  (cd "${tmp_dir}" && env -u CXDESK_TOKEN -u CXDESK_ACCESS_KEY \
    -u CXDESK_TICKET_ADDR -u CXDESK_TOKEN_SECRET_FILE \
    -u CXDESK_SLA_TARGET -u CXDESK_ESCALATION_TARGET \
    "${CXDESK}" --target "127.0.0.1:${ticket_port}" \
    --sla-target "127.0.0.1:${sla_port}" \
    --escalation-target "127.0.0.1:${esc_port}" "$@") \
    >"${tmp_dir}/out" 2>"${tmp_dir}/err"
  rc=$?
  set -e
  OUT="$(cat "${tmp_dir}/out")"
  ERR="$(cat "${tmp_dir}/err")"
  if [[ "${rc}" != "${expected}" ]]; then
    printf 'command: cxdesk %s\nstdout:\n%s\nstderr:\n%s\n' "$*" "${OUT}" \
      "${ERR}" >&2
    fail "exit code ${rc}, expected ${expected}"
  fi
}

screen() {
  tmux -L "${SOCKET}" capture-pane -p -t console >"${tmp_dir}/last-screen" \
    2>/dev/null || true
  cat "${tmp_dir}/last-screen"
}

# wait_screen REGEX WHAT [SECONDS]: polls the pane until a line matches.
wait_screen() {
  local regex="$1" what="$2" limit="${3:-15}"
  local deadline=$((SECONDS + limit))
  while ((SECONDS <= deadline)); do
    if screen | grep -qE -- "${regex}"; then return 0; fi
    sleep 0.2
  done
  printf 'looked for /%s/ on the screen\n' "${regex}" >&2
  fail "${what}"
}

keys() { tmux -L "${SOCKET}" send-keys -t console "$@"; }

# json_check PYTHON_EXPR: OUT is one JSON document `doc` for which the
# expression is true.
json_check() {
  python3 -c '
import json, sys
doc = json.loads(sys.stdin.read())
if not eval(sys.argv[1]):
    print("check failed:", sys.argv[1], "on", doc, file=sys.stderr)
    sys.exit(1)
' "$1" <<<"${OUT}" || fail "JSON: $1"
}

# --- services ------------------------------------------------------------------

step "start cxdesk-ticketd, cxdesk-slad, cxdesk-escalationd"
e2e_start_services "${TICKETD}" "${SLAD}" "${ESCALATIOND}"
ticket_port="${TICKET_PORT}"
sla_port="${SLA_PORT}"
esc_port="${ESCALATION_PORT}"
ticketd_pid="${E2E_PIDS[0]}"

step "tokens, calendar, policy, team and agent (manager)"
cli 0 --token-secret-file "${tmp_dir}/secret" token issue --role manager \
  --subject maria
MANAGER="${OUT}"
cli 0 --token-secret-file "${tmp_dir}/secret" token issue --role agent \
  --subject alice
ALICE="${OUT}"
cli 0 --token-secret-file "${tmp_dir}/secret" token issue --role agent \
  --subject bob
BOB="${OUT}"
cli 0 --token "${MANAGER}" calendar create \
  --file "${DEMO}/round-the-clock.calendar.txtpb"
cli 0 --token "${MANAGER}" policy create \
  --file "${DEMO}/demo-fast.policy.txtpb"
printf 'team_id: "printers"\ndisplay_name: "Printer people"\n' \
  >"${tmp_dir}/team.txtpb"
cli 0 --token "${MANAGER}" team create --file "${tmp_dir}/team.txtpb"
printf 'agent_id: "alice"\ndisplay_name: "Alice"\nteam_ids: ["printers"]\ntier: 1\ncapacity: 0\n' \
  >"${tmp_dir}/alice.txtpb"
cli 0 --token "${MANAGER}" agent create --file "${tmp_dir}/alice.txtpb"

step "a high ticket assigned to alice (first response due in 2 minutes)"
cli 0 ticket create --subject "Printer on fire" \
  --description "It smokes when I print in colour." --email jane@example.com \
  --name "Jane Doe" --kind complaint --cx-level product --priority high
ID1="$(sed -n 's/^ticket #\([0-9][0-9]*\):.*/\1/p' <<<"${OUT}" | head -n 1)"
[[ -n "${ID1}" ]] || fail "no ticket id in: ${OUT}"
cli 0 --token "${MANAGER}" ticket assign "${ID1}" --agent alice --team printers

step "bad starts: one clear line on stderr, exit 1, no curses"
set +e
env -u CXDESK_TOKEN "${CONSOLE}" --target "127.0.0.1:${ticket_port}" \
  >"${tmp_dir}/out" 2>"${tmp_dir}/err"
rc=$?
set -e
((rc == 1)) || fail "no token: exit ${rc}"
grep -q "^cxdesk-console: no token: pass --token or set CXDESK_TOKEN" \
  "${tmp_dir}/err" || fail "no token: $(cat "${tmp_dir}/err")"
set +e
"${CONSOLE}" --target "127.0.0.1:${ticket_port}" --token "${ALICE}x" \
  >"${tmp_dir}/out" 2>"${tmp_dir}/err"
rc=$?
set -e
((rc == 1)) || fail "bad token: exit ${rc}"
grep -q "^cxdesk-console: not signed in: bad signature" "${tmp_dir}/err" ||
  fail "bad token: $(cat "${tmp_dir}/err")"
dead_port="$(free_port)"
set +e
"${CONSOLE}" --target "127.0.0.1:${dead_port}" --token "${ALICE}" \
  >"${tmp_dir}/out" 2>"${tmp_dir}/err"
rc=$?
set -e
((rc == 1)) || fail "unreachable: exit ${rc}"
(($(wc -l <"${tmp_dir}/err") == 1)) || fail "unreachable: $(cat "${tmp_dir}/err")"
grep -q "^cxdesk-console: .*127.0.0.1:${dead_port}" "${tmp_dir}/err" ||
  fail "unreachable: $(cat "${tmp_dir}/err")"

# --- the console -------------------------------------------------------------------

step "open the console in tmux (100x30)"
tmux -L "${SOCKET}" -f /dev/null new-session -d -s console -x 100 -y 30 \
  "env -u EDITOR LANG=C.UTF-8 '${CONSOLE}' \
     --target 127.0.0.1:${ticket_port} --sla-target 127.0.0.1:${sla_port} \
     --escalation-target 127.0.0.1:${esc_port} --token '${ALICE}' \
     2>'${tmp_dir}/console-stderr.log'; echo CONSOLE-EXIT=\$? >'${tmp_dir}/console-exit'; sleep 30"

step "my queue shows the ticket with a live countdown"
row_re="^${ID1} +1m[0-9]{2}s +high +complaint +product +jane@exampl~ +open +alice +[0-9]+s +Printer on fire"
wait_screen "${row_re}" "the ticket's row with its countdown in My tickets" 20
wait_screen "\[1:Mine 1\]" "the Mine view is current with one ticket"
first="$(screen | grep -E "^${ID1} " | awk '{print $2}')"
deadline=$((SECONDS + 5))
changed=""
while ((SECONDS <= deadline)); do
  now="$(screen | grep -E "^${ID1} " | awk '{print $2}')"
  if [[ -n "${now}" && "${now}" != "${first}" ]]; then
    changed="${now}"
    break
  fi
  sleep 0.2
done
[[ -n "${changed}" ]] || fail "the countdown stayed at ${first}"
echo "countdown ${first} -> ${changed}"

step "a ticket another agent assigns to alice appears without a key press"
cli 0 ticket create --subject "Toner everywhere" \
  --description "The toner leaks." --email max@example.com --priority normal
ID2="$(sed -n 's/^ticket #\([0-9][0-9]*\):.*/\1/p' <<<"${OUT}" | head -n 1)"
[[ -n "${ID2}" ]] || fail "no second ticket id"
wait_screen "new ticket #${ID2}: Toner everywhere" "the new-ticket status line"
wait_screen "3:Unassigned 1" "the unassigned count"
cli 0 --token "${BOB}" ticket assign "${ID2}" --agent alice
wait_screen "^${ID2} +- +normal +question .*Toner" "the second row in Mine"
wait_screen "\[1:Mine 2\]" "Mine counts two"
# Sorted by the next deadline: the ticket with a running clock first.
screen | grep -E "^[0-9]+ " | head -n 1 | grep -qE "^${ID1} " ||
  fail "the ticket with the soonest deadline is not first"

step "open the ticket, reply publicly"
keys Home
keys Enter
wait_screen "^#${ID1} Printer on fire" "the ticket screen header"
wait_screen "^SLA first_response #1: running, due " "the SLA clock line"
wait_screen "It smokes when I print in colour." "the description"
keys r
wait_screen "^public reply" "the reply prompt"
keys -l "We are on it, a technician comes today."
keys Enter
wait_screen "reply sent" "the confirmation"
wait_screen "^  We are on it, a technician comes today." "the reply in the conversation"
wait_screen "^status open " "the reply opened the ticket"

step "an internal note stands apart"
keys n
wait_screen "^internal note" "the note prompt"
keys -l "Probably the fuser."
keys Enter
wait_screen "note added" "the note confirmation"
wait_screen "^\[internal\] alice, " "the note's [internal] mark"
wait_screen "^  \| Probably the fuser." "the note's text"

step "change status to pending"
keys s
wait_screen "status → 1 pending 2 on-hold 3 solved" "the status choices"
keys 1
wait_screen "status → pending" "the status confirmation"
wait_screen "^status pending " "the header shows pending"
wait_screen "v[0-9]+ alice: status open → pending" "the history line"

step "the status choices follow the state machine; Esc cancels"
keys s
wait_screen "status → 1 open 2 on-hold 3 solved" "the status choices from pending"
keys Escape
wait_screen "cancelled" "Esc cancels"

step "the server agrees"
cli 0 --token "${ALICE}" --json ticket show "${ID1}"
json_check "doc['ticket']['status'] == 'STATUS_PENDING'"
json_check "any(c['body'] == 'We are on it, a technician comes today.' and c['visibility'] == 'VISIBILITY_PUBLIC' and c['author'] == 'alice' for c in doc['comments'])"
json_check "any(c['body'] == 'Probably the fuser.' and c['visibility'] == 'VISIBILITY_INTERNAL' for c in doc['comments'])"

step "an escalation notifies alice live; the countdown turns red; A acknowledges"
keys q
wait_screen "\[1:Mine 2\]" "back in the list"
cat >"${tmp_dir}/urgent.policy.txtpb" <<'POLICY'
policy_id: "e2e-urgent"
position: 5
conditions { priorities: PRIORITY_URGENT }
targets {
  priority: PRIORITY_URGENT metric: METRIC_FIRST_RESPONSE
  target { seconds: 8 } calendar_id: "round-the-clock"
  warnings { percent_elapsed: 50 }
}
POLICY
cli 0 --token "${MANAGER}" policy create --file "${tmp_dir}/urgent.policy.txtpb"
cat >"${tmp_dir}/ladder.txtpb" <<'LADDER'
metric: METRIC_FIRST_RESPONSE
steps {
  level: 1
  trigger: TRIGGER_KIND_ON_WARNING
  actions { kind: ACTION_KIND_NOTIFY recipient: RECIPIENT_KIND_ASSIGNEE }
}
LADDER
cli 0 --token "${MANAGER}" ladder set --file "${tmp_dir}/ladder.txtpb"
cli 0 ticket create --subject "Office printer down" \
  --description "Nothing prints." --email ola@example.com --priority urgent
ID3="$(sed -n 's/^ticket #\([0-9][0-9]*\):.*/\1/p' <<<"${OUT}" | head -n 1)"
[[ -n "${ID3}" ]] || fail "no urgent ticket id"
cli 0 --token "${BOB}" ticket assign "${ID3}" --agent alice
wait_screen "N:1 unread" "the unread notification count" 30
wait_screen "^${ID3} +-[0-9]+s +urgent" "the overdue countdown" 20
# Red: the overdue countdown is drawn in colour 1 (red), 31 in SGR.
deadline=$((SECONDS + 5))
until tmux -L "${SOCKET}" capture-pane -e -p -t console |
  grep -E "Office printer down" | grep -qE $'\e\\[[0-9;]*31m-[0-9]+s'; do
  if ((SECONDS > deadline)); then
    tmux -L "${SOCKET}" capture-pane -e -p -t console |
      grep -E "Office printer down" | cat -v >&2 || true
    fail "the overdue countdown is not red"
  fi
  sleep 0.2
done
keys N
wait_screen "^Notifications" "the notifications view"
wait_screen "^\* .*${ID3}" "the unread notification about the ticket"
keys A
wait_screen "escalation [0-9]+ of ticket #${ID3} acknowledged" "the acknowledgement"
wait_screen "N:0 unread" "read once acknowledged"
cli 0 --token "${ALICE}" --json escalations --ticket "${ID3}"
python3 -c '
import json, sys
docs = [json.loads(l) for l in sys.stdin.read().splitlines() if l.strip()]
escs = [e for d in docs for e in d.get("escalations", [])]
assert escs and all(e.get("acknowledged") for e in escs), escs
assert escs[0].get("acknowledgedBy", escs[0].get("acknowledged_by")) == "alice", escs
' <<<"${OUT}" || fail "the escalation is not acknowledged by alice: ${OUT}"
keys q

step "the ticket service restarts: the console says so and reconnects"
kill -TERM "${ticketd_pid}"
wait "${ticketd_pid}" 2>/dev/null || true
wait_screen "ticket service unreachable, retrying" "the outage in the status line"
e2e_start cxdesk-ticketd-again "${TICKETD}" --listen="127.0.0.1:${ticket_port}" \
  --sla-target="127.0.0.1:${sla_port}"
wait_screen "ticket service restarted — reconnected" "the reconnection" 20
cli 0 ticket create --subject "Scanner squeaks" \
  --description "Loudly." --email ida@example.com --priority low
ID4="$(sed -n 's/^ticket #\([0-9][0-9]*\):.*/\1/p' <<<"${OUT}" | head -n 1)"
wait_screen "new ticket #${ID4}: Scanner squeaks" "a ticket after the restart"

step "help, search and quit"
wait_screen "\[1:Mine 3\]" "in the list"
keys '?'
wait_screen "r +public reply +n +internal note" "the help screen"
keys '?'
keys /
wait_screen "^search: " "the search prompt"
keys -l "toner status:open"
keys Enter
wait_screen "1 ticket matches" "the search result count"
wait_screen "^${ID2} .*Toner everywhere" "the search result row"

step "resize to 80x24 and back: the columns follow"
tmux -L "${SOCKET}" resize-window -t console -x 80 -y 24
wait_screen "^ID    DUE    PRIO   KIND      CX      CUSTOMER     STATUS  AGE SUBJECT *$" \
  "the 80-column header after a resize"
while IFS= read -r line; do
  ((${#line} <= 80)) || fail "a line is wider than 80 after the resize: ${line}"
done < <(screen)
tmux -L "${SOCKET}" resize-window -t console -x 120 -y 30
wait_screen "^ID +DUE +PRIO +KIND +CX +CUSTOMER +STATUS +ASSIGNEE +AGE +SUBJECT" \
  "the assignee column comes back when wider"
keys q
for _ in $(seq 1 50); do
  [[ -s "${tmp_dir}/console-exit" ]] && break
  sleep 0.1
done
grep -q "CONSOLE-EXIT=0" "${tmp_dir}/console-exit" 2>/dev/null ||
  fail "the console did not quit cleanly: $(cat "${tmp_dir}/console-exit" 2>/dev/null)"
[[ ! -s "${tmp_dir}/console-stderr.log" ]] ||
  fail "the console wrote to stderr: $(cat "${tmp_dir}/console-stderr.log")"

step "80x24 with \$EDITOR: columns fit, a note written in the editor"
cat >"${tmp_dir}/editor.sh" <<'EDITOR'
#!/bin/sh
# A stand-in for the agent's editor: appends one line to the file.
echo "Written in the editor." >>"$1"
EDITOR
chmod +x "${tmp_dir}/editor.sh"
: >"${tmp_dir}/console-exit"
# The new session starts before the old one is killed: killing the last
# session ends the tmux server, and a session started right then reaches a
# dying server ("server exited unexpectedly").
tmux -L "${SOCKET}" -f /dev/null new-session -d -s console80 -x 80 -y 24 \
  "env EDITOR='${tmp_dir}/editor.sh' LANG=C.UTF-8 \
     '${CONSOLE}' --target 127.0.0.1:${ticket_port} \
     --sla-target 127.0.0.1:${sla_port} \
     --escalation-target 127.0.0.1:${esc_port} --token '${ALICE}' \
     2>'${tmp_dir}/console-stderr.log'; echo CONSOLE-EXIT=\$? >'${tmp_dir}/console-exit'; sleep 30"
tmux -L "${SOCKET}" kill-session -t console 2>/dev/null || true
tmux -L "${SOCKET}" rename-session -t console80 console
wait_screen "^ID    DUE    PRIO   KIND      CX      CUSTOMER     STATUS  AGE SUBJECT *$" \
  "the 80-column header"
wait_screen "^${ID1} +paused +high +complaint +product +jane@exampl~ pending [0-9]+[sm] +Printer on fire *$" \
  "the 80-column row, subject cut first"
while IFS= read -r line; do
  ((${#line} <= 80)) || fail "a line is wider than 80: ${line}"
done < <(screen)
keys End
wait_screen "^${ID1} " "the list"
# The first ticket is the last row (paused clocks go last); open it.
keys Enter
wait_screen "^#${ID1} Printer on fire" "the ticket screen at 80x24"
keys n
wait_screen "note added" "the note from the editor"
wait_screen "^  \| Written in the editor." "the editor's note in the conversation"
cli 0 --token "${ALICE}" --json ticket show "${ID1}"
json_check "any(c['body'] == 'Written in the editor.' and c['visibility'] == 'VISIBILITY_INTERNAL' for c in doc['comments'])"
keys q
wait_screen "^ID    DUE" "back in the list at 80x24"
# Ctrl-C ends it as cleanly as q: exit 0, the terminal restored.
keys C-c
for _ in $(seq 1 50); do
  [[ -s "${tmp_dir}/console-exit" ]] && break
  sleep 0.1
done
grep -q "CONSOLE-EXIT=0" "${tmp_dir}/console-exit" ||
  fail "Ctrl-C did not end the console cleanly"
# Back on the shell's screen: the console's last frame is gone.
sleep 0.3
! screen | grep -q "^ID    DUE" || fail "the terminal was not restored"

echo
echo "PASS: console_e2e_test"
