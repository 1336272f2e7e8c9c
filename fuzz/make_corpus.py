#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets into fuzz/corpus/<target>/.

Run once from the repository root (needs protoc, which the build needs too):

    python3 fuzz/make_corpus.py

Seeds are real-shaped inputs in each target's input format (see the comment
at the top of each *_fuzz.cc and docs/fuzzing.md). The script is
deterministic: rerunning it rewrites the same files, and leaves any other
file in the folders (such as crash-* findings added by hand) alone.
"""

import base64
import hashlib
import hmac
import os
import random
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "fuzz", "corpus")
PROTO = os.path.join(ROOT, "proto")

# Kept equal to the constants of the targets.
TOKEN_SECRET = b"fuzz-token-secret-0123456789abcdef"  # token_fuzz.cc
NOW = 1767225600  # 2026-01-01T00:00:00Z, token_fuzz.cc and FakeClock

SERVICES = [  # The order of request_limits_fuzz.cc.
    ("cxdesk/ticket/v1/ticket_service.proto", "cxdesk.ticket.v1"),
    ("cxdesk/sla/v1/sla_service.proto", "cxdesk.sla.v1"),
    ("cxdesk/escalation/v1/escalation_service.proto", "cxdesk.escalation.v1"),
    ("cxdesk/audit/v1/audit_service.proto", "cxdesk.audit.v1"),
]


def write(target, name, data):
    folder = os.path.join(CORPUS, target)
    os.makedirs(folder, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    assert len(data) < 4096, (target, name)
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def methods():
    """[(proto file, package, method name, request type)] in declaration order."""
    out = []
    for proto, package in SERVICES:
        with open(os.path.join(PROTO, proto)) as f:
            text = f.read()
        for name, request in re.findall(r"^\s*rpc\s+(\w+)\s*\(\s*(\w+)\s*\)",
                                        text, re.M):
            out.append((proto, package, name, request))
    return out


def encode(proto, message_type, text):
    return subprocess.run(
        ["protoc", "--proto_path=" + PROTO, "--encode=" + message_type, proto],
        input=text.encode(), stdout=subprocess.PIPE, check=True).stdout


def page_token(fingerprint, position):
    raw = hashlib.sha256(fingerprint.encode()).hexdigest()[:16]
    return b64url(("%s:%d" % (raw, position)).encode())


def sign(subject, role, expiry):
    payload = "%s\n%s\n%d" % (subject, role, expiry)
    body = "cxd1." + b64url(payload.encode())
    mac = hmac.new(TOKEN_SECRET, body.encode(), hashlib.sha256).digest()
    return body + "." + b64url(mac)


def page_token_corpus():
    t = "page_token_fuzz"

    def seed(name, fingerprint, token):
        write(t, name, bytes([len(fingerprint)]) + fingerprint.encode() +
              token.encode())

    seed("comments_page", "comments|1", page_token("comments|1", 50))
    seed("events_page", "events|3", page_token("events|3", 2))
    seed("calendars_page", "calendars", page_token("calendars", 0))
    tickets = "2,3|||||alice||ana@example.com|vip|-1|-1|0|create_time desc"
    seed("tickets_page", tickets, page_token(tickets, 123456789))
    seed("other_filters", "comments|2", page_token("comments|1", 50))
    seed("empty", "", "")
    seed("cursor", "", "12-345")
    seed("etag", "", "17")
    seed("quoted_etag", "", '"4"')
    seed("garbage", "x", "not a token!")


def token_corpus():
    t = "token_fuzz"
    write(t, "agent", sign("alice", "agent", NOW + 3600))
    write(t, "manager", sign("mia.lead@example.com", "manager", NOW + 86400))
    write(t, "service", sign("cxdesk-sla", "service", NOW + 60))
    write(t, "expired", sign("alice", "agent", NOW - 1))
    write(t, "bad_role", sign("alice", "admin", NOW + 3600))
    token = sign("alice", "agent", NOW + 3600)
    write(t, "forged_mac", token[:-2] + ("AA" if token[-2:] != "AA" else "BB"))
    write(t, "padded_mac", token + "=")
    write(t, "bearer_prefix", "Bearer " + token)
    write(t, "malformed", "cxd1..")
    write(t, "wrong_prefix", "cxd2." + token[5:])


def ticket_text_requests():
    """(method, text format request) seeds shared by two targets."""
    events_page = page_token("events|2", 1)
    return [
        ("CreateTicket", 'subject: "Printer on fire" description: "It is '
         'burning.\\nPlease help." customer_email: " Zoe@Example.org " '
         'customer_name: "Zoe" tags: "VIP" tags: "vip" tags: "billing" '
         'channel: CHANNEL_EMAIL priority: PRIORITY_HIGH'),
        ("CreateTicket", 'subject: "Bad service" description: "Rude agent" '
         'kind: KIND_COMPLAINT cx_level: CX_LEVEL_SERVICE customer_email: '
         '"ana@example.com" request_id: "req-7"'),
        ("CreateTicket", 'subject: "Again" description: "retry" '
         'customer_email: "ana@example.com" request_id: "seed-1"'),
        ("CreateTicket", 'subject: "\\001bell" description: "x" '
         'customer_email: "a@b.c"'),
        ("CreateTicket", 'subject: "Tags" description: "spaced" '
         'customer_email: "new@example.net" customer_name: "New" '
         'tags: " VIP " tags: "vip"'),
        ("GetTicket", "ticket_id: 2"),
        ("ListTickets", "page_size: 2 statuses: STATUS_OPEN statuses: "
         "STATUS_NEW order_by: \"priority desc\""),
        ("ListTickets", 'assignee: "alice" customer_email: "ANA@example.com" '
         'tag: "Refund" created_after { seconds: 1767225000 }'),
        ("UpdateTicket", 'ticket { id: 1 subject: "New subject" tags: "A" '
         'tags: "b" } update_mask { paths: "subject" paths: "tags" } '
         'etag: "\\"1\\""'),
        ("UpdateTicket", 'ticket { id: 2 kind: KIND_INCIDENT } update_mask { '
         'paths: "kind" paths: "cx_level" } request_id: "u-1"'),
        ("UpdateTicket", 'ticket { id: 3 description: "stale" } update_mask '
         '{ paths: "description" } etag: "\\"9\\""'),
        ("AddComment", 'ticket_id: 1 visibility: VISIBILITY_PUBLIC body: '
         '"Looking into it.\\r\\nRegards"'),
        ("AddComment", 'ticket_id: 3 visibility: VISIBILITY_INTERNAL body: '
         '"note" request_id: "c-1"'),
        ("AddComment", 'ticket_id: 5 visibility: VISIBILITY_PUBLIC body: "x"'),
        ("ListComments", "ticket_id: 2 page_size: 1"),
        ("AssignTicket", 'ticket_id: 1 assignee: "bob" team: "support"'),
        ("AssignTicket", "ticket_id: 2 unassign: true"),
        ("ChangeTicketStatus", 'ticket_id: 2 status: STATUS_PENDING reason: '
         '"asked the customer"'),
        ("ChangeTicketStatus", "ticket_id: 4 status: STATUS_CLOSED"),
        ("ChangeTicketStatus", "ticket_id: 1 status: STATUS_NEW"),
        ("RateTicket", 'ticket_id: 4 score: 5 comment: "Great,\\nthanks"'),
        ("GetTicketStatus", "ticket_id: 1"),
        ("ListTicketEvents", 'ticket_id: 2 page_size: 1 page_token: "%s"' %
         events_page),
        ("WatchTicketEvents", 'after_cursor: "3-3"'),
        ("GetLatestEventCursor", ""),
    ]


# Callers of ticket_manager_fuzz.cc: (first byte / methods) % 6.
MANAGER, AGENT, KEY_1, KEY_4, ANONYMOUS, EXPIRED = range(6)
CALLER_OF = {
    "CreateTicket": [ANONYMOUS, AGENT, MANAGER, AGENT, ANONYMOUS],
    "AddComment": [AGENT, KEY_1, MANAGER],
    "RateTicket": [KEY_4],
    "GetTicketStatus": [KEY_1],
    "GetTicket": [MANAGER],
}


def ticket_manager_corpus(all_methods):
    t = "ticket_manager_fuzz"
    ticket = [m for m in all_methods if m[1] == "cxdesk.ticket.v1"]
    index = {m[2]: i for i, m in enumerate(ticket)}
    count = len(ticket)
    assert 6 * count <= 256, "the first byte must reach every caller"
    seen = {}
    for method, text in ticket_text_requests():
        n = seen.get(method, 0)
        seen[method] = n + 1
        callers = CALLER_OF.get(method, [MANAGER, AGENT])
        caller = callers[n % len(callers)]
        proto, package, _, request = ticket[index[method]]
        data = encode(proto, package + "." + request, text)
        write(t, "%s_%d" % (method, n),
              bytes([index[method] + count * caller]) + data)
    # Refusals: a customer asking a staff method, an expired token.
    write(t, "GetTicket_customer",
          bytes([index["GetTicket"] + count * KEY_1]) + b"\x08\x01")
    write(t, "GetTicket_expired",
          bytes([index["GetTicket"] + count * EXPIRED]) + b"\x08\x01")


def request_limits_corpus(all_methods):
    t = "request_limits_fuzz"
    index = {(m[1], m[2]): i for i, m in enumerate(all_methods)}
    # Every method with an empty request.
    for i, (_, package, name, _) in enumerate(all_methods):
        write(t, "%s.%s_empty" % (package.split(".")[1], name), bytes([i]))

    def seed(package, method, text, name):
        i = index[(package, method)]
        proto, _, _, request = all_methods[i]
        write(t, name, bytes([i]) + encode(proto, package + "." + request,
                                           text))

    ticket = "cxdesk.ticket.v1"
    for n, (method, text) in enumerate(ticket_text_requests()):
        seed(ticket, method, text, "ticket.%s_%d" % (method, n))
    seed(ticket, "CreateTicket",
         " ".join('tags: "t%d"' % k for k in range(21)), "ticket.too_many_tags")
    sla = "cxdesk.sla.v1"
    seed(sla, "CreateCalendar",
         'calendar { calendar_id: "berlin" time_zone: "Europe/Berlin" '
         'hours { weekday: WEEKDAY_MONDAY start: "09:00" end: "17:00" } '
         'hours { weekday: WEEKDAY_FRIDAY start: "09:00" end: "24:00" } '
         'holidays { date: "2026-12-25" yearly: true title: "Christmas" } '
         'description: "Office\\thours" }', "sla.calendar")
    seed(sla, "CreatePolicy",
         'policy { policy_id: "vip" position: 1 conditions { priorities: '
         'PRIORITY_URGENT tags_any: "vip" customer_emails: "ana@example.com" } '
         'targets { priority: PRIORITY_URGENT metric: METRIC_FIRST_RESPONSE '
         'target { seconds: 3600 } calendar_id: "berlin" warnings { '
         'minutes_before: 15 } warnings { percent_elapsed: 80 } } '
         'pause_statuses: STATUS_PENDING }', "sla.policy")
    seed(sla, "UpdateCalendar",
         'calendar { calendar_id: "c" hours { start: "09:00\\n" } } '
         'etag: "1"', "sla.calendar_newline")
    esc = "cxdesk.escalation.v1"
    seed(esc, "CreateTeam",
         'team { team_id: "care" display_name: "Care" lead: "alice" webhook '
         '{ url: "https://hooks.example.com/x" secret: "s3cr3t" } }',
         "escalation.team")
    seed(esc, "CreateAgent",
         'agent { agent_id: "bob" team_ids: "care" skills: "billing" tier: 2 '
         'capacity: 5 availability: AVAILABILITY_ONLINE }', "escalation.agent")
    seed(esc, "CreateRoutingRule",
         'rule { rule_id: "vip" position: 1 conditions { kinds: '
         'KIND_COMPLAINT words_any: "refund" } team_id: "care" strategy: '
         'STRATEGY_LEAST_LOADED }', "escalation.rule")
    seed(esc, "RouteTicket",
         'draft { subject: "Refund" description: "Where is it?" tags: "vip" '
         'customer_email: "ana@example.com" } dry_run: true',
         "escalation.route_draft")
    seed(esc, "SetLadder",
         'ladder { metric: METRIC_RESOLUTION steps { level: 1 trigger: '
         'TRIGGER_KIND_ON_WARNING delay { seconds: 600 } actions { kind: '
         'ACTION_KIND_NOTIFY recipient: RECIPIENT_KIND_TEAM_LEAD } actions { '
         'kind: ACTION_KIND_ADD_NOTE note: "Escalated.\\nCheck." } } }',
         "escalation.ladder")
    seed("cxdesk.audit.v1", "VerifyAuditTrail", 'stream: "ticket"',
         "audit.verify")
    # Not UTF-8: top level, and nested two deep.
    create_ticket = index[(ticket, "CreateTicket")]
    write(t, "ticket.not_utf8", bytes([create_ticket]) + b"\x0a\x02\xff\xfe")
    create_calendar = index[(sla, "CreateCalendar")]
    write(t, "sla.not_utf8_nested",
          bytes([create_calendar]) + b"\x0a\x04\x12\x02\xc0\xaf")
    write(t, "ticket.truncated", bytes([create_ticket]) + b"\x0a\x7f\x41")


def fdp_corpus(target, count, seed):
    """Seeds of the FuzzedDataProvider targets: any bytes are an input."""
    rng = random.Random(seed)
    for n in range(count):
        size = rng.choice([16, 64, 128, 256, 512])
        write(target, "random_%02d" % n, bytes(rng.getrandbits(8)
                                               for _ in range(size)))


CONFIGS = [
    # (format 0 text, 1 JSON, 2 YAML; message 0 Calendar, 1 Policy, 2 Team,
    #  3 Agent, 4 RoutingRule, 5 Ladder; name; file)
    (2, 0, "calendar_yaml",
     "calendar_id: berlin\ntime_zone: Europe/Berlin\nhours:\n"
     "  - {weekday: WEEKDAY_MONDAY, start: \"09:00\", end: \"17:00\"}\n"
     "  - weekday: WEEKDAY_TUESDAY\n    start: \"09:00\"\n    end: \"17:00\"\n"
     "holidays:\n  - date: \"2026-12-25\"\n    yearly: true\n"
     "    title: Christmas\ndescription: |\n  Office hours.\n  Berlin.\n"),
    (1, 0, "calendar_json",
     '{"calendarId": "utc", "timeZone": "UTC", "hours": [{"weekday": '
     '"WEEKDAY_SUNDAY", "start": "00:00", "end": "24:00"}]}'),
    (0, 0, "calendar_text",
     'calendar_id: "ny" time_zone: "America/New_York"\n'
     'hours { weekday: WEEKDAY_FRIDAY start: "08:30" end: "12:00" }\n'),
    (2, 1, "policy_yaml",
     "policy_id: vip\nposition: 1\nconditions:\n  priorities: [PRIORITY_URGENT]"
     "\n  tags_any: [vip]\ntargets:\n  - priority: PRIORITY_URGENT\n"
     "    metric: METRIC_FIRST_RESPONSE\n    target: 3600s\n"
     "    calendar_id: berlin\n    warnings:\n      - minutes_before: 15\n"
     "      - percentElapsed: 80\npause_statuses: [STATUS_PENDING]\n"),
    (1, 1, "policy_json",
     '{"policyId": "default", "isDefault": true, "targets": [{"priority": '
     '"PRIORITY_LOW", "metric": "METRIC_RESOLUTION", "target": "86400.5s", '
     '"calendarId": "berlin"}], "keepResolutionOnReopen": true}'),
    (2, 2, "team_yaml",
     "team_id: care\ndisplay_name: \"Customer care\"\nlead: alice\n"
     "default_team: true\nwebhook:\n  url: https://hooks.example.com/x\n"
     "  secret: s3cr3t\n"),
    (0, 3, "agent_text",
     'agent_id: "bob" team_ids: "care" skills: "billing" tier: 2 capacity: 5\n'
     "availability: AVAILABILITY_ONLINE\n"),
    (1, 4, "rule_json",
     '{"ruleId": "complaints", "position": 2, "conditions": {"kinds": '
     '["KIND_COMPLAINT"], "wordsAny": ["refund", "angry"]}, "teamId": "care",'
     ' "strategy": "STRATEGY_SKILLS_FIRST"}'),
    (2, 5, "ladder_yaml",
     "metric: METRIC_RESOLUTION\nsteps:\n  - level: 1\n"
     "    trigger: TRIGGER_KIND_ON_BREACH\n    delay: 600s\n    actions:\n"
     "      - kind: ACTION_KIND_NOTIFY\n        recipient: "
     "RECIPIENT_KIND_TEAM_MANAGER\n      - kind: ACTION_KIND_ADD_NOTE\n"
     "        note: \"Escalated: \\u00e9\"\n"),
    (2, 2, "yaml_alias", "team_id: &id care\ndisplay_name: *id\n"),
    (2, 3, "yaml_tagged", "agent_id: !!str 5\ncapacity: !!int \"4\"\n"),
    (2, 3, "yaml_two_documents", "agent_id: a\n---\nagent_id: b\n"),
    (2, 0, "yaml_flow_nested", "hours: [[[[{a: [1, {b: ~}]}]]]]\n"),
    (1, 2, "json_broken", '{"teamId": "care", '),
    (0, 5, "text_broken", "steps { level: 1 actions { kind: 7 }"),
]


def config_file_corpus():
    for fmt, message, name, text in CONFIGS:
        write("config_file_fuzz", name, bytes([fmt + 3 * message]) +
              text.encode())


def main():
    all_methods = methods()
    assert len(all_methods) <= 256, "request_limits_fuzz picks by one byte"
    page_token_corpus()
    token_corpus()
    ticket_manager_corpus(all_methods)
    request_limits_corpus(all_methods)
    fdp_corpus("business_time_fuzz", 12, 1)
    fdp_corpus("policy_fuzz", 12, 2)
    config_file_corpus()
    return 0


if __name__ == "__main__":
    sys.exit(main())
