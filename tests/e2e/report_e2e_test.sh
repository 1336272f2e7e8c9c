#!/usr/bin/env bash
# End-to-end test of the manager's side of `cxdesk` against the three real
# services: the directory and the SLA configuration created from YAML and
# JSON files; a breach whose causes `sla breaches` tells in words; `sla
# report` as CSV, JSON and an HTML page that headless Chromium renders, with
# the page's numbers equal to the API's; `sla simulate` with a YAML draft.
#
# Usage: report_e2e_test.sh CXDESK CXDESK_TICKETD CXDESK_SLAD CXDESK_ESCALATIOND
# Needs CXDESK_TEST_DATABASE_URL and Debian's chromium (deploy/install-deps.sh
# --with-test-tools installs it).
set -euo pipefail

if (($# != 4)); then
  echo "usage: $0 CXDESK CXDESK_TICKETD CXDESK_SLAD CXDESK_ESCALATIOND" >&2
  exit 2
fi
CXDESK="$(realpath -- "$1")"
readonly CXDESK
# shellcheck source=../support/e2e_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../support/e2e_lib.sh"

CHROMIUM="$(command -v chromium || true)"
[[ -n "${CHROMIUM}" ]] || fail "chromium is not installed (deploy/install-deps.sh --with-test-tools)"

e2e_init report
e2e_start_services "$2" "$3" "$4"

OUT=""
RC=0
# cx EXPECTED_EXIT ARGS...: the CLI from the private folder, output in OUT.
cx() {
  local expected="$1"
  shift
  set +e
  OUT="$(cd "${E2E_TMP}" && env -u CXDESK_TOKEN -u CXDESK_ACCESS_KEY TZ=UTC \
    "${CXDESK}" --target "127.0.0.1:${TICKET_PORT}" \
    --sla-target "127.0.0.1:${SLA_PORT}" \
    --escalation-target "127.0.0.1:${ESCALATION_PORT}" "$@" 2>&1)"
  RC=$?
  set -e
  if [[ "${RC}" != "${expected}" ]]; then
    printf 'command: cxdesk %s\noutput:\n%s\n' "$*" "${OUT}" >&2
    fail "exit code ${RC}, expected ${expected}"
  fi
}

step "tokens"
cx 0 --token-secret-file "${E2E_TMP}/secret" token issue --role manager --subject maria
MANAGER="${OUT}"
cx 0 --token-secret-file "${E2E_TMP}/secret" token issue --role agent --subject alice
AGENT="${OUT}"
M=(--token "${MANAGER}")

step "the configuration from YAML and JSON files"
cat >"${E2E_TMP}/always.yaml" <<'EOF'
# Every hour of every day, in UTC.
calendar_id: always
time_zone: UTC
hours:
  - {weekday: WEEKDAY_MONDAY, start: "00:00", end: "24:00"}
  - {weekday: WEEKDAY_TUESDAY, start: "00:00", end: "24:00"}
  - {weekday: WEEKDAY_WEDNESDAY, start: "00:00", end: "24:00"}
  - {weekday: WEEKDAY_THURSDAY, start: "00:00", end: "24:00"}
  - {weekday: WEEKDAY_FRIDAY, start: "00:00", end: "24:00"}
  - {weekday: WEEKDAY_SATURDAY, start: "00:00", end: "24:00"}
  - {weekday: WEEKDAY_SUNDAY, start: "00:00", end: "24:00"}
EOF
cx 0 "${M[@]}" calendar create --file always.yaml
contains "${OUT}" "calendar always created" "calendar from YAML"
cat >"${E2E_TMP}/fast.json" <<'EOF'
{"policyId": "fast", "isDefault": true,
 "targets": [
  {"priority": "PRIORITY_HIGH", "metric": "METRIC_FIRST_RESPONSE",
   "target": "4s", "calendarId": "always"},
  {"priority": "PRIORITY_NORMAL", "metric": "METRIC_FIRST_RESPONSE",
   "target": "3600s", "calendarId": "always"}]}
EOF
cx 0 "${M[@]}" policy create --file fast.json
contains "${OUT}" "policy fast created" "policy from JSON"
cat >"${E2E_TMP}/care.yaml" <<'EOF'
team_id: care
display_name: Customer care
default_team: true
EOF
cx 0 "${M[@]}" team create --file care.yaml
for who in alice lena; do
  printf '{"agentId": "%s", "displayName": "%s", "teamIds": ["care"], "capacity": 5, "availability": "AVAILABILITY_ONLINE"}\n' \
    "${who}" "${who^}" >"${E2E_TMP}/${who}.json"
  cx 0 "${M[@]}" agent create --file "${who}.json"
done
# lena leads care; she is not on shift for new tickets (away), so alice
# takes them.
printf '{"teamId": "care", "displayName": "Customer care", "defaultTeam": true, "lead": "lena"}' >"${E2E_TMP}/care.json"
cx 0 "${M[@]}" team update --file care.json
cx 0 "${M[@]}" agent availability lena away
cat >"${E2E_TMP}/complaints.yml" <<'EOF'
rule_id: complaints
position: 10
conditions: {kinds: [KIND_COMPLAINT]}
team_id: care
strategy: STRATEGY_LEAST_LOADED
EOF
cx 0 "${M[@]}" rule create --file complaints.yml
cat >"${E2E_TMP}/ladder.yaml" <<'EOF'
metric: METRIC_FIRST_RESPONSE
steps:
  - level: 1
    trigger: TRIGGER_KIND_ON_BREACH
    actions:
      - {kind: ACTION_KIND_REASSIGN, reassign: REASSIGN_KIND_TEAM_LEAD}
EOF
cx 0 "${M[@]}" ladder set --file ladder.yaml
cx 0 "${M[@]}" team get care
contains "${OUT}" "lead" "team get"
matches "${OUT}" "lead: +lena" "the JSON update set the lead"
cx 0 "${M[@]}" --json agent get alice
contains "${OUT}" '"capacity":5' "agent from JSON"
printf 'agent_id: alice\ncapacity: "many"\n' >"${E2E_TMP}/bad.yaml"
cx 2 "${M[@]}" agent update --file bad.yaml
contains "${OUT}" "bad.yaml: not a cxdesk.escalation.v1.Agent in YAML" "bad YAML named"

step "three complaints: one answered in time, one breached, one normal"
ids=()
for p in high high normal; do
  cx 0 ticket create --subject "Complaint (${p})" --description "Nobody called back." \
    --email "c-${p}-${#ids[@]}@example.com" --kind complaint --cx-level emotion \
    --priority "${p}"
  ids+=("$(sed -nE 's/^ticket #?([0-9]+).*/\1/p' <<<"${OUT}" | head -n 1)")
done
[[ "${ids[0]}" =~ ^[0-9]+$ && "${ids[2]}" =~ ^[0-9]+$ ]] || fail "ticket ids: ${ids[*]}"
# Routing assigns alice; then she answers the first and the third.
for _ in $(seq 1 100); do
  cx 0 --token "${AGENT}" --json ticket show "${ids[2]}"
  [[ "${OUT}" == *'"assignee":"alice"'* ]] && break
  sleep 0.1
done
contains "${OUT}" '"assignee":"alice"' "routed to alice"
cx 0 --token "${AGENT}" ticket reply "${ids[0]}" --body "We are on it."
cx 0 --token "${AGENT}" ticket reply "${ids[2]}" --body "We are on it."

step "the breach fires and is explained"
for _ in $(seq 1 150); do
  cx 0 "${M[@]}" --json sla breaches
  [[ "${OUT}" == *"\"ticket_id\":\"${ids[1]}\""* ]] && break
  sleep 0.1
done
contains "${OUT}" "\"ticket_id\":\"${ids[1]}\"" "breach of the unanswered ticket"
# The ladder's step is recorded a moment after the breach.
for _ in $(seq 1 100); do
  cx 0 "${M[@]}" --json escalations --ticket "${ids[1]}"
  [[ "${OUT}" == *ACTION_STATE_DONE* ]] && break
  sleep 0.1
done
cx 0 "${M[@]}" sla breaches
echo "${OUT}"
contains "${OUT}" "#${ids[1]} first_response, due " "the breach's block"
contains "${OUT}" "  - held by alice (team care) at the deadline" "holder at the deadline"
matches "${OUT}" "  - step 1 on breach: .*lena" "the escalation step"
matches "${OUT}" "  - still open, [0-9]+s overdue" "still open"
[[ "${OUT}" != *"#${ids[0]} "* ]] || fail "the ticket answered in time is no breach"

step "sla report: CSV, JSON and HTML agree"
FROM="$(date -u +%F)"
TO="$(date -u -d tomorrow +%F)"
cx 0 "${M[@]}" sla report --from "${FROM}" --to "${TO}" --by priority --csv
printf '%s\n' "${OUT}" >"${E2E_TMP}/report.csv"
cat "${E2E_TMP}/report.csv"
contains "${OUT}" "high,first_response,2,2,1,1,0,50.0" "high: one met, one breached"
contains "${OUT}" "normal,first_response,1,1,1,0,0,100.0" "normal: met"
cx 0 "${M[@]}" --json sla report --from "${FROM}" --to "${TO}"
printf '%s\n' "${OUT}" >"${E2E_TMP}/report.json"
cx 0 "${M[@]}" sla report --from "${FROM}" --to "${TO}" --by priority --html report.html
contains "${OUT}" "wrote report.html: 3 clocks, 1 day, 2 first responses" "html written"

step "the page in headless Chromium"
chrome=("${CHROMIUM}" --headless --no-sandbox --disable-gpu --no-first-run
  --user-data-dir="${E2E_TMP}/chromium" --window-size=1200,2000)
timeout 60 "${chrome[@]}" --dump-dom "file://${E2E_TMP}/report.html" \
  >"${E2E_TMP}/dom.html" 2>"${E2E_TMP}/chromium.log" || fail "chromium --dump-dom failed"
timeout 60 "${chrome[@]}" --screenshot="${E2E_TMP}/report.png" \
  "file://${E2E_TMP}/report.html" >>"${E2E_TMP}/chromium.log" 2>&1 || fail "chromium --screenshot failed"
python3 - "${E2E_TMP}" <<'EOF'
import csv, html.parser, json, struct, sys, zlib

tmp = sys.argv[1]

class Dom(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.elements, self.rows, self.row, self.in_report = [], [], None, False
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.elements.append((tag, a))
        if tag == "table" and a.get("id") == "report":
            self.in_report = True
        elif self.in_report and tag == "tr":
            self.row = []
        elif self.in_report and tag == "td":
            self.row.append(a.get("data-value"))
    def handle_endtag(self, tag):
        if tag == "table":
            self.in_report = False
        elif tag == "tr" and self.row:
            self.rows.append(self.row)
            self.row = None

dom = Dom()
dom.feed(open(f"{tmp}/dom.html").read())
def check(ok, what):
    if not ok:
        print("FAIL:", what, file=sys.stderr)
        sys.exit(1)

# The table: every cell equals the CSV's, row by row.
with open(f"{tmp}/report.csv") as f:
    expected = [r for r in csv.reader(f) if r][1:]
check(dom.rows == expected, f"table {dom.rows} != csv {expected}")
report = json.load(open(f"{tmp}/report.json"))
clocks = [a for t, a in dom.elements if a.get("id") == "clocks"]
check(clocks and clocks[0]["data-value"] == report["clocks"], "clocks")
met = sum(int(m.get("met_on_time", 0)) for r in report["rows"] for m in r["metrics"])
breached = sum(int(m.get("breached", 0)) for r in report["rows"] for m in r["metrics"])
# Compliance points: one for first_response today, equal to the API's.
points = [a for t, a in dom.elements if a.get("class") == "point"]
check(len(points) == 1 and points[0]["data-metric"] == "first_response"
      and points[0]["data-compliance"] == f"{100.0 * met / (met + breached):.1f}",
      f"compliance points {points}")
# The histogram: the two first responses met, both within target.
cap = [a for t, a in dom.elements if a.get("id") == "first-response-caption"][0]
check(cap["data-total"] == "2" and cap["data-within"] == "2", f"caption {cap}")
bins = sum(int(a["data-count"]) for t, a in dom.elements if a.get("class") == "bin")
check(bins == 2, f"histogram holds {bins}")
# Breaches by CX level and team: the one breach, under emotion and care.
bars = {(a["data-group"]): int(a["data-breached"]) for t, a in dom.elements
        if a.get("class") == "breaches"}
check(bars.get("emotion") == breached == 1 and bars.get("care") == 1, f"bars {bars}")
svgs = [a for t, a in dom.elements if t == "svg"]
check(len(svgs) == 4, f"{len(svgs)} charts")

# It renders: the screenshot is a real PNG with the red of a breach bar.
data = open(f"{tmp}/report.png", "rb").read()
check(data[:8] == b"\x89PNG\r\n\x1a\n", "PNG signature")
w, h, depth, ctype = struct.unpack(">IIBB", data[16:26])
idat, pos = b"", 8
while pos < len(data):
    n, kind = struct.unpack(">I4s", data[pos:pos + 8])
    if kind == b"IDAT":
        idat += data[pos + 8:pos + 8 + n]
    pos += 12 + n
raw = zlib.decompress(idat)
bpp = {2: 3, 6: 4}[ctype]
stride, prev, red, colours = w * bpp, bytearray(w * bpp), 0, set()
for y in range(h):
    f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    for i in range(stride):
        a = line[i - bpp] if i >= bpp else 0
        b, c = prev[i], prev[i - bpp] if i >= bpp else 0
        if f == 1: line[i] = (line[i] + a) & 255
        elif f == 2: line[i] = (line[i] + b) & 255
        elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    for x in range(0, stride, bpp * 4):
        px = tuple(line[x:x + 3])
        colours.add(px)
        if px == (0xb3, 0x26, 0x1e):
            red += 1
    prev = line
check(red > 0, "no breach-red pixel rendered")
check(len(colours) > 20, f"only {len(colours)} colours: a blank page?")
print(f"page ok: {len(dom.rows)} rows equal the CSV, {w}x{h} screenshot, {red} red samples")
EOF

step "sla simulate with a YAML draft: a 1 h target would have met it"
cat >"${E2E_TMP}/draft.yaml" <<'EOF'
policy_id: fast
is_default: true
targets:
  - {priority: PRIORITY_HIGH, metric: METRIC_FIRST_RESPONSE, target: 3600s, calendar_id: always}
  - {priority: PRIORITY_NORMAL, metric: METRIC_FIRST_RESPONSE, target: 3600s, calendar_id: always}
EOF
cx 0 "${M[@]}" sla simulate --policy draft.yaml --from "${FROM}" --to "${TO}" --by priority --csv
echo "${OUT}"
contains "${OUT}" "high,first_response,2,2,1,0,1,100.0" "under the draft nothing breached"

step "the demo traffic plays customers and agents through the CLI"
cx 0 "${M[@]}" --json ticket list --all
before="$(python3 -c 'import json,sys; print(len(json.load(sys.stdin)["tickets"]))' <<<"${OUT}")"
set +e
CXDESK_CLI="${CXDESK}" CXDESK_TICKET_ADDR="127.0.0.1:${TICKET_PORT}" \
  CXDESK_TOKEN_SECRET_FILE="${E2E_TMP}/secret" CXDESK_DEMO_STATE="${E2E_TMP}/demo-state" \
  timeout 60 "$(dirname "${BASH_SOURCE[0]}")/../../deploy/demo-traffic.sh" --interval 1 --count 3 \
  >"${E2E_TMP}/traffic.log" 2>&1
RC=$?
set -e
TRAFFIC="$(cat "${E2E_TMP}/traffic.log")"
echo "${TRAFFIC}"
((RC == 0)) || fail "demo-traffic.sh exited ${RC}"
matches "${TRAFFIC}" "demo-traffic: .* opened #[0-9]+ " "a customer opened a ticket"
contains "${TRAFFIC}" "done after 3 rounds" "it stops after --count rounds"
[[ -s "${E2E_TMP}/demo-state" ]] || fail "no ticket and key kept for the customers"
cx 0 "${M[@]}" --json ticket list --all
after="$(python3 -c 'import json,sys; print(len(json.load(sys.stdin)["tickets"]))' <<<"${OUT}")"
((after > before)) || fail "no ticket was created (${before} before, ${after} after)"
CXDESK_CLI="${CXDESK}" "$(dirname "${BASH_SOURCE[0]}")/../../deploy/demo-traffic.sh" --interval 0 \
  >"${E2E_TMP}/traffic.log" 2>&1 && fail "--interval 0 accepted"
contains "$(cat "${E2E_TMP}/traffic.log")" "--interval must be a whole number of seconds >= 1" "bad interval named"

echo
echo "PASS: report e2e"
