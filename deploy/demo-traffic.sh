#!/usr/bin/env bash
# Keeps a demo desk alive at a gentle pace, through the `cxdesk` CLI only:
# customers open tickets (some urgent enough to warn and breach within
# minutes) and write back; agents reply to and solve what they hold; customers
# rate what was solved. deploy/up.sh --demo-traffic runs it beside the
# services; it stops on SIGTERM/Ctrl-C, or after --count rounds.
#
# Usage: deploy/demo-traffic.sh [--interval SECONDS] [--count N]
#   --interval  seconds between rounds (default 20)
#   --count     stop after N rounds (default: never)
#
# Environment: CXDESK_CLI (default build/clients/cxdesk), the CLI's own
# (CXDESK_TICKET_ADDR, CXDESK_TOKEN_SECRET_FILE, ...), and
# CXDESK_DEMO_STATE (default .cxdesk/demo-traffic: ticket ids and access
# keys of the customers it plays).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly ROOT
CLI="${CXDESK_CLI:-${ROOT}/build/clients/cxdesk}"
STATE="${CXDESK_DEMO_STATE:-${ROOT}/.cxdesk/demo-traffic}"
readonly CLI STATE

interval=20
count=0
while (($# > 0)); do
  case "$1" in
    --interval) interval="${2:?--interval needs SECONDS}"; shift ;;
    --count) count="${2:?--count needs N}"; shift ;;
    -h | --help) sed -n '2,16s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "demo-traffic: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
[[ "${interval}" =~ ^[0-9]+$ && "${interval}" -ge 1 ]] || { echo "demo-traffic: --interval must be a whole number of seconds >= 1" >&2; exit 2; }
[[ "${count}" =~ ^[0-9]+$ ]] || { echo "demo-traffic: --count must be a whole number" >&2; exit 2; }

log() { printf '%s demo-traffic: %s\n' "$(date -u +%T)" "$*"; }
trap 'log "stopped"; exit 0' INT TERM

declare -A TOKENS
token_of() {
  local who="$1"
  if [[ -z "${TOKENS[${who}]:-}" ]]; then
    TOKENS[${who}]="$(env -u CXDESK_TOKEN "${CLI}" token issue --role agent --subject "${who}" --ttl 24h)"
  fi
  printf '%s' "${TOKENS[${who}]}"
}
as_agent() {
  local who="$1"
  shift
  CXDESK_TOKEN="$(token_of "${who}")" "${CLI}" "$@"
}

CUSTOMERS=("Ana Lima:ana@example.com" "Bruno Costa:bruno@example.com"
  "Chen Wei:chen@example.com" "Dana Novak:dana@example.com"
  "Emil Berg:emil@example.com" "Fatima Haddad:fatima@example.com")
# subject|description|kind|cx-level|priority
REQUESTS=(
  "Refund still missing|You promised a refund two weeks ago and nothing arrived.|complaint|service|high"
  "Rude answer on the phone|The person on the hotline hung up on me.|complaint|emotion|normal"
  "Parcel arrived damaged|The box was crushed and the lamp inside is broken.|complaint|product|normal"
  "Cannot reset my password|The reset e-mail never arrives.|incident|-|high"
  "Invoice address wrong|Please correct the street name on my invoices.|request|-|low"
  "App crashes on start|Since the last update the app closes immediately.|incident|-|urgent"
  "Which plan includes API access?|I want to connect our CRM.|question|-|normal"
  "Waited 40 minutes in the chat|Nobody answered in the chat queue.|complaint|interaction|normal"
)
REPLIES=("Thanks for your patience, we are looking into it now."
  "Sorry for the trouble. I have passed this to our specialists."
  "I have checked your account; a fix is on its way."
  "Could you send us the order number, please?")
CUSTOMER_WRITES=("Any news on this?" "Here is the order number: 4711." "It still does not work.")

mkdir -p "$(dirname "${STATE}")"
touch "${STATE}"

pick() { local -n arr="$1"; printf '%s' "${arr[RANDOM % ${#arr[@]}]}"; }

# Prints "ID STATUS ASSIGNEE" per ticket of the given statuses, newest first.
tickets_with() {
  as_agent maria --json ticket list --status "$1" --page-size 100 2>/dev/null |
    python3 -c '
import json, sys
for line in sys.stdin:
    for t in json.loads(line).get("tickets", []):
        print(t["id"], t.get("status", ""), t.get("assignee", "") or "-")
' || true
}

open_one() {
  local who req name email subject description kind cx priority out id key
  who="$(pick CUSTOMERS)"
  req="$(pick REQUESTS)"
  name="${who%%:*}" email="${who##*:}"
  IFS='|' read -r subject description kind cx priority <<<"${req}"
  local args=(--subject "${subject}" --description "${description}" --email "${email}"
    --name "${name}" --kind "${kind}" --priority "${priority}" --channel web)
  [[ "${cx}" == "-" ]] || args+=(--cx-level "${cx}")
  out="$(env -u CXDESK_TOKEN "${CLI}" ticket create "${args[@]}" 2>&1)" || { log "create failed: ${out}"; return 0; }
  id="$(grep -oE 'ticket #?[0-9]+' <<<"${out}" | grep -oE '[0-9]+' | head -n 1 || true)"
  key="$(sed -nE 's/^[[:space:]]*access key:[[:space:]]*([^[:space:]]+).*/\1/Ip' <<<"${out}" | head -n 1)"
  [[ -n "${id}" && -n "${key}" ]] && printf '%s %s\n' "${id}" "${key}" >>"${STATE}"
  log "${name} opened #${id} (${kind}, ${priority}): ${subject}"
}

# An agent answers one ticket they hold; now and then they solve one.
agent_turn() {
  local line id status assignee
  mapfile -t open < <(tickets_with new,open | awk '$3 != "-"')
  ((${#open[@]} > 0)) || return 0
  # Leave the newest alone for a while so that warnings and breaches happen.
  line="${open[$(((RANDOM % ${#open[@]} + ${#open[@]}) / 2 % ${#open[@]}))]}"
  read -r id status assignee <<<"${line}"
  if ((RANDOM % 3 == 0)) && [[ "${status}" == "STATUS_OPEN" ]]; then
    as_agent "${assignee}" ticket status "${id}" solved >/dev/null 2>&1 &&
      log "${assignee} solved #${id}"
  else
    as_agent "${assignee}" ticket reply "${id}" --body "$(pick REPLIES)" >/dev/null 2>&1 &&
      log "${assignee} replied to #${id}"
  fi
}

# A customer of ours writes back, or rates a solved ticket.
customer_turn() {
  local id key view
  [[ -s "${STATE}" ]] || return 0
  read -r id key < <(shuf -n 1 "${STATE}")
  view="$(env -u CXDESK_TOKEN "${CLI}" --json ticket status-view "${id}" --access-key "${key}" 2>/dev/null)" || return 0
  case "${view}" in
    *'"status":"STATUS_SOLVED"'*)
      [[ "${view}" == *'"score"'* ]] && return 0
      env -u CXDESK_TOKEN "${CLI}" ticket rate "${id}" --access-key "${key}" \
        --score $((RANDOM % 5 + 1)) --comment "Thanks." >/dev/null 2>&1 &&
        log "the customer rated #${id}"
      ;;
    *'"status":"STATUS_OPEN"'* | *'"status":"STATUS_PENDING"'*)
      ((RANDOM % 2 == 0)) || return 0
      env -u CXDESK_TOKEN "${CLI}" ticket reply "${id}" --access-key "${key}" \
        --body "$(pick CUSTOMER_WRITES)" >/dev/null 2>&1 &&
        log "the customer wrote back on #${id}"
      ;;
  esac
}

log "every ${interval}s: customers open and write, agents reply and solve (Ctrl-C stops)"
round=0
while ((count == 0 || round < count)); do
  round=$((round + 1))
  # Two rounds in three bring a new ticket; the first always does.
  ((round > 1 && RANDOM % 3 == 0)) || open_one
  agent_turn
  customer_turn
  sleep "${interval}" &
  wait $! || true
done
log "done after ${round} rounds"
