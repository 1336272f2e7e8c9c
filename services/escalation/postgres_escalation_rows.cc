#include "services/escalation/postgres_escalation_rows.h"

#include <map>
#include <pqxx/pqxx>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/pg_values.h"
#include "services/common/status_macros.h"
#include "services/common/text.h"
#include "services/escalation/queries.h"

namespace cxdesk::escalation::pg_rows {

using common::ArrayLiteral;
using common::PgCols;

std::optional<int64_t> MicrosOrNull(const std::optional<absl::Time>& t) {
  if (!t.has_value()) return std::nullopt;
  return absl::ToUnixMicros(*t);
}

std::string IntArray(const std::vector<int64_t>& values) {
  return absl::StrCat("{", absl::StrJoin(values, ","), "}");
}

absl::Status CheckVersion(const pqxx::result& rows,
                          std::optional<int64_t> expected,
                          absl::string_view what, const std::string& id) {
  if (rows.empty()) {
    return absl::NotFoundError(
        absl::StrCat(what, " ", common::Excerpt(id), " not found"));
  }
  if (expected.has_value() && *expected != rows[0][0].as<int64_t>()) {
    return absl::AbortedError(
        absl::StrCat(what, " ", common::Excerpt(id),
                     " changed since it was read (stale etag)"));
  }
  return absl::OkStatus();
}

absl::Status NotFound(absl::string_view what, const std::string& id) {
  return absl::NotFoundError(
      absl::StrCat(what, " ", common::Excerpt(id), " not found"));
}

TeamRecord ReadTeam(const pqxx::row& row) {
  PgCols c(row);
  TeamRecord r;
  r.team.id = c.Str();
  r.display_name = c.Str();
  r.team.lead = c.Str();
  r.team.manager = c.Str();
  r.team.default_calendar = c.Str();
  r.default_team = c.Bool();
  r.webhook_url = c.Str();
  r.webhook_secret = c.Str();
  r.version = c.Int();
  r.update_time = c.Time();
  return r;
}

AgentRecord ReadAgent(const pqxx::row& row) {
  PgCols c(row);
  AgentRecord r;
  r.agent.id = c.Str();
  r.agent.name = c.Str();
  r.agent.teams = c.TextArray();
  r.agent.skills = c.TextArray();
  r.agent.tier = static_cast<int>(c.Int());
  r.agent.capacity = static_cast<int>(c.Int());
  r.agent.availability =
      ParseAvailability(c.Str()).value_or(Availability::kOffline);
  r.agent.shift_calendar = c.Str();
  r.version = c.Int();
  r.update_time = c.Time();
  return r;
}

RuleRecord ReadRule(const pqxx::row& row) {
  PgCols c(row);
  RuleRecord r;
  r.rule.id = c.Str();
  r.rule.position = static_cast<int>(c.Int());
  r.rule.kinds = c.TextArray();
  r.rule.cx_levels = c.TextArray();
  r.rule.priorities = c.TextArray();
  r.rule.channels = c.TextArray();
  r.rule.tags_any = c.TextArray();
  r.rule.words_any = c.TextArray();
  r.rule.customer_emails = c.TextArray();
  r.rule.team = c.Str();
  r.rule.strategy = ParseStrategy(c.Str()).value_or(Strategy::kQueueOnly);
  r.version = c.Int();
  r.update_time = c.Time();
  return r;
}

TicketView ReadTicketView(const pqxx::row& row) {
  PgCols c(row);
  TicketView t;
  t.id = c.Int();
  t.route.id = t.id;
  t.version = c.Int();
  t.status = c.Str();
  t.route.kind = c.Str();
  t.route.cx_level = c.Str();
  t.route.priority = c.Str();
  t.route.channel = c.Str();
  t.route.tags = c.TextArray();
  t.route.subject = c.Str();
  t.route.customer_email = c.Str();
  t.team = c.Str();
  t.assignee = c.Str();
  t.pending_assignee = c.Str();
  t.queued_at = c.OptTime();
  t.strategy = ParseStrategy(c.Str()).value_or(Strategy::kLeastLoaded);
  t.routed = c.Bool();
  return t;
}

Decision ReadDecision(const pqxx::row& row) {
  PgCols c(row);
  Decision d;
  d.id = c.Int();
  d.ticket_id = c.Int();
  d.at = c.Time();
  d.trigger = ParseRoutingTrigger(c.Str()).value_or(RoutingTrigger::kNewTicket);
  d.rule_id = c.Str();
  d.team = c.Str();
  d.strategy = ParseStrategy(c.Str()).value_or(Strategy::kQueueOnly);
  d.outcome = ParseRoutingOutcome(c.Str()).value_or(RoutingOutcome::kRouted);
  d.agent = c.Str();
  d.candidates = c.TextArray();
  d.explanation = c.Str();
  return d;
}

ActionRecord ReadAction(const pqxx::row& row) {
  PgCols c(row);
  ActionRecord a;
  a.id = c.Int();
  a.ticket_id = c.Int();
  a.kind = ParseActionKind(c.Str()).value_or(ActionRecord::Kind::kNotify);
  a.state = ParseActionState(c.Str()).value_or(ActionRecord::State::kFailed);
  a.assignee = c.Str();
  a.team = c.Str();
  a.unassign = c.Bool();
  a.note = c.Str();
  a.request_id = c.Str();
  a.escalation_id = c.Int();
  a.action_index = static_cast<int>(c.Int());
  a.decision_id = c.Int();
  a.attempts = static_cast<int>(c.Int());
  a.next_attempt = c.Time();
  a.detail = c.Str();
  a.error = c.Str();
  a.create_time = c.Time();
  a.done_time = c.OptTime();
  return a;
}

CycleState ReadCycle(const pqxx::row& row) {
  PgCols c(row);
  CycleState s;
  s.key.ticket_id = c.Int();
  s.key.metric = c.Str();
  s.key.cycle = static_cast<int>(c.Int());
  s.ladder.warned = c.Bool();
  s.ladder.breached_at = c.OptTime().value_or(absl::InfinitePast());
  s.ladder.met_or_cancelled = c.Bool();
  s.ladder.acknowledged = c.Bool();
  s.acknowledged_by = c.Str();
  s.acknowledge_time = c.OptTime();
  for (const std::string& level : c.TextArray()) {
    int v = 0;
    if (absl::SimpleAtoi(level, &v)) s.ladder.done_levels.insert(v);
  }
  return s;
}

EscalationRecord ReadEscalation(const pqxx::row& row) {
  PgCols c(row);
  EscalationRecord e;
  e.id = c.Int();
  e.key.ticket_id = c.Int();
  e.key.metric = c.Str();
  e.key.cycle = static_cast<int>(c.Int());
  e.level = static_cast<int>(c.Int());
  e.trigger = ParseTriggerKind(c.Str()).value_or(Trigger::Kind::kOnBreach);
  e.team = c.Str();
  e.occur_time = c.Time();
  e.record_time = c.Time();
  e.skipped = c.Bool();
  e.explanation = c.Str();
  for (const std::string& word : c.TextArray()) {
    absl::StatusOr<Action> action = ParseActionWord(word);
    if (action.ok()) e.actions.push_back(*std::move(action));
  }
  e.recipients = c.TextArray();
  e.acknowledged = c.Bool();
  e.acknowledged_by = c.Str();
  e.acknowledge_time = c.OptTime();
  return e;
}

NotificationRecord ReadNotification(const pqxx::row& row) {
  PgCols c(row);
  NotificationRecord n;
  n.id = c.Int();
  uint64_t xid = 0;
  (void)absl::SimpleAtoi(c.Str(), &xid);
  n.cursor = {xid, n.id};
  n.recipient = c.Str();
  n.ticket_id = c.Int();
  n.escalation_id = c.Int();
  n.level = static_cast<int>(c.Int());
  n.metric = c.Str();
  n.title = c.Str();
  n.body = c.Str();
  n.team = c.Str();
  n.create_time = c.Time();
  n.read = c.Bool();
  return n;
}

DeliveryRecord ReadDelivery(PgCols& c) {
  DeliveryRecord d;
  d.id = c.Int();
  d.team = c.Str();
  d.notification_id = c.Int();
  d.url = c.Str();
  d.payload = c.Str();
  d.state = ParseDeliveryState(c.Str()).value_or(DeliveryRecord::State::kDead);
  d.attempts = static_cast<int>(c.Int());
  d.last_status_code = static_cast<int>(c.Int());
  d.last_error = c.Str();
  d.next_attempt = c.Time();
  d.create_time = c.Time();
  d.deliver_time = c.OptTime();
  return d;
}

// Fills each step's action results from the action outbox.
void AttachResults(pqxx::transaction_base& txn,
                   std::vector<EscalationRecord>& steps) {
  if (steps.empty()) return;
  std::vector<int64_t> ids;
  for (const EscalationRecord& e : steps) ids.push_back(e.id);
  std::map<int64_t, std::vector<ActionRecord>> by_step;
  for (const auto& row :
       txn.exec_prepared(queries::kActionsOfEscalations.name, IntArray(ids))) {
    ActionRecord a = ReadAction(row);
    by_step[a.escalation_id].push_back(std::move(a));
  }
  for (EscalationRecord& e : steps) e.results = std::move(by_step[e.id]);
}

std::map<std::string, int> ReadOpenTickets(
    pqxx::transaction_base& txn, const std::vector<std::string>& agents) {
  std::map<std::string, int> open;
  if (agents.empty()) return open;
  for (const auto& row :
       txn.exec_prepared(queries::kOpenTickets.name, ArrayLiteral(agents))) {
    open[row[0].as<std::string>()] = row[1].as<int>();
  }
  return open;
}
std::vector<QueuedTicket> ReadQueue(pqxx::transaction_base& txn,
                                    const std::string& team) {
  std::vector<QueuedTicket> queue;
  for (const auto& row : txn.exec_prepared(queries::kTeamQueue.name, team)) {
    PgCols c(row);
    QueuedTicket q;
    q.ticket_id = c.Int();
    q.queued_at = c.Time();
    q.priority = c.Str();
    q.next_deadline = c.OptTime().value_or(absl::InfiniteFuture());
    queue.push_back(std::move(q));
  }
  return queue;
}

absl::StatusOr<std::optional<absl::Time>> MinTime(common::PgPool& pool,
                                                  const char* statement) {
  std::optional<absl::Time> due;
  CXDESK_RETURN_IF_ERROR(pool.Autocommit([&](pqxx::transaction_base& txn) {
    pqxx::row row = txn.exec_prepared1(statement);
    due.reset();
    if (!row[0].is_null()) due = absl::FromUnixMicros(row[0].as<int64_t>());
    return absl::OkStatus();
  }));
  return due;
}

}  // namespace cxdesk::escalation::pg_rows
