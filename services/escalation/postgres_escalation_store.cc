#include "services/escalation/postgres_escalation_store.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <pqxx/pqxx>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/pg_values.h"
#include "services/common/postgres_lease.h"
#include "services/common/status_macros.h"
#include "services/common/text.h"
#include "services/escalation/queries.h"

namespace cxdesk::escalation {
namespace {

using common::ArrayLiteral;
using common::PgCols;

// Advisory-lock space of the consumer leases (see queries.h).
constexpr int32_t kLeaseSpace = 7;
// Separates the actions of one step inside kInsertLadderSteps' array.
constexpr char kActionSeparator = '\x1f';

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

// ---- rows ----

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

void WriteLadderSteps(pqxx::work& txn, const Ladder& ladder) {
  std::vector<int64_t> levels, delays;
  std::vector<std::string> triggers, actions;
  for (const Step& s : ladder.steps) {
    levels.push_back(s.level);
    triggers.push_back(Name(s.trigger.kind));
    delays.push_back(s.trigger.kind == Trigger::Kind::kAfterBreach
                         ? absl::ToInt64Microseconds(s.trigger.delay)
                         : 0);
    std::vector<std::string> words;
    for (const Action& a : s.actions) words.push_back(ActionWord(a));
    actions.push_back(absl::StrJoin(words, std::string(1, kActionSeparator)));
  }
  txn.exec_prepared(queries::kDeleteLadderSteps.name, ladder.metric);
  txn.exec_prepared(queries::kInsertLadderSteps.name, ladder.metric,
                    IntArray(levels), ArrayLiteral(triggers), IntArray(delays),
                    ArrayLiteral(actions));
}

std::vector<LadderRecord> ReadLadders(pqxx::transaction_base& txn,
                                      const std::string& metric) {
  std::vector<LadderRecord> out;
  for (const auto& row : txn.exec_prepared(queries::kLadders.name, metric)) {
    PgCols c(row);
    LadderRecord r;
    r.ladder.metric = c.Str();
    r.version = c.Int();
    r.update_time = c.Time();
    out.push_back(std::move(r));
  }
  for (const auto& row :
       txn.exec_prepared(queries::kLadderSteps.name, metric)) {
    PgCols c(row);
    const std::string m = c.Str();
    Step step;
    step.level = static_cast<int>(c.Int());
    step.trigger.kind =
        ParseTriggerKind(c.Str()).value_or(Trigger::Kind::kOnBreach);
    step.trigger.delay = absl::Microseconds(c.Int());
    for (const std::string& word : c.TextArray()) {
      absl::StatusOr<Action> action = ParseActionWord(word);
      if (action.ok()) step.actions.push_back(*std::move(action));
    }
    for (LadderRecord& r : out) {
      if (r.ladder.metric == m) r.ladder.steps.push_back(std::move(step));
    }
  }
  return out;
}

void WriteRuleRow(pqxx::work& txn, const char* statement, const RuleRecord& r,
                  absl::Time now) {
  const RoutingRule& x = r.rule;
  txn.exec_prepared(statement, x.id, x.position, ArrayLiteral(x.kinds),
                    ArrayLiteral(x.cx_levels), ArrayLiteral(x.priorities),
                    ArrayLiteral(x.channels), ArrayLiteral(x.tags_any),
                    ArrayLiteral(x.words_any), ArrayLiteral(x.customer_emails),
                    x.team, std::string(Name(x.strategy)),
                    absl::ToUnixMicros(now));
}

void WriteAgentRow(pqxx::work& txn, const char* statement, const AgentRecord& r,
                   absl::Time now) {
  const Agent& a = r.agent;
  txn.exec_prepared(statement, a.id, a.name, ArrayLiteral(a.teams),
                    ArrayLiteral(a.skills), a.tier, a.capacity,
                    std::string(Name(a.availability)), a.shift_calendar,
                    absl::ToUnixMicros(now));
}

absl::Status CheckSingleDefault(pqxx::work& txn, const TeamRecord& r) {
  if (!r.default_team) return absl::OkStatus();
  pqxx::result other =
      txn.exec_prepared(queries::kOtherDefaultTeam.name, r.team.id);
  if (other.empty()) return absl::OkStatus();
  return absl::FailedPreconditionError(
      absl::StrCat("team.default_team: team ",
                   common::Excerpt(other[0][0].as<std::string>()),
                   " is the default team already; unset it there first"));
}

void WriteTeamRow(pqxx::work& txn, const char* statement, const TeamRecord& r,
                  absl::Time now) {
  txn.exec_prepared(statement, r.team.id, r.display_name, r.team.lead,
                    r.team.manager, r.team.default_calendar, r.default_team,
                    r.webhook_url, r.webhook_secret, absl::ToUnixMicros(now));
}

// ---- the unit of work ----

class PgTxn final : public EscalationTxn {
 public:
  explicit PgTxn(pqxx::work& txn) : txn_(txn) {}

  bool queued() const { return queued_; }

  absl::Status LockTeam(const std::string& team) override {
    txn_.exec_prepared(queries::kLockTeam.name, team);
    return absl::OkStatus();
  }
  absl::Status LockTicket(int64_t ticket_id) override {
    txn_.exec_prepared(queries::kLockTicket.name, ticket_id);
    return absl::OkStatus();
  }
  absl::StatusOr<std::optional<TicketView>> GetTicket(int64_t id) override {
    pqxx::result rows = txn_.exec_prepared(queries::kTicketById.name, id);
    if (rows.empty()) return std::optional<TicketView>();
    return std::optional<TicketView>(ReadTicketView(rows[0]));
  }
  absl::StatusOr<std::vector<TicketView>> GetTickets(
      const std::vector<int64_t>& ids) override {
    std::vector<TicketView> out;
    for (const auto& row :
         txn_.exec_prepared(queries::kTicketsByIds.name, IntArray(ids))) {
      out.push_back(ReadTicketView(row));
    }
    return out;
  }
  absl::Status PutTicket(const TicketView& t) override {
    txn_.exec_prepared(
        queries::kUpsertTicket.name, t.id, t.version, t.status, t.route.kind,
        t.route.cx_level, t.route.priority, t.route.channel,
        ArrayLiteral(t.route.tags), t.route.subject, t.route.customer_email,
        t.team, t.assignee, t.pending_assignee, MicrosOrNull(t.queued_at),
        std::string(Name(t.strategy)), t.routed);
    return absl::OkStatus();
  }
  absl::StatusOr<std::map<std::string, int>> OpenTickets(
      const std::vector<std::string>& agents) override {
    return ReadOpenTickets(txn_, agents);
  }
  absl::StatusOr<std::vector<QueuedTicket>> TeamQueue(
      const std::string& team) override {
    return ReadQueue(txn_, team);
  }
  absl::Status SetClockDeadline(int64_t ticket_id, const std::string& metric,
                                std::optional<absl::Time> deadline) override {
    if (deadline.has_value()) {
      txn_.exec_prepared(queries::kSetDeadline.name, ticket_id, metric,
                         absl::ToUnixMicros(*deadline));
    } else {
      txn_.exec_prepared(queries::kClearDeadline.name, ticket_id, metric);
    }
    return absl::OkStatus();
  }
  absl::StatusOr<RoundRobinState> GetRoundRobin(
      const std::string& team) override {
    pqxx::result rows = txn_.exec_prepared(queries::kRoundRobin.name, team);
    RoundRobinState state;
    if (!rows.empty()) state.last_agent = rows[0][0].as<std::string>();
    return state;
  }
  absl::Status PutRoundRobin(const std::string& team,
                             const RoundRobinState& state) override {
    txn_.exec_prepared(queries::kPutRoundRobin.name, team, state.last_agent);
    return absl::OkStatus();
  }
  absl::StatusOr<int64_t> AddDecision(const Decision& d) override {
    return txn_
        .exec_prepared1(queries::kInsertDecision.name, d.ticket_id,
                        absl::ToUnixMicros(d.at), std::string(Name(d.trigger)),
                        d.rule_id, d.team, std::string(Name(d.strategy)),
                        std::string(Name(d.outcome)), d.agent,
                        ArrayLiteral(d.candidates), d.explanation)[0]
        .as<int64_t>();
  }
  absl::Status CancelRoutingActions(int64_t ticket_id, const std::string& why,
                                    absl::Time now) override {
    txn_.exec_prepared(queries::kCancelRoutingActions.name, ticket_id, why,
                       absl::ToUnixMicros(now));
    return absl::OkStatus();
  }
  absl::StatusOr<int64_t> AddAction(const ActionRecord& a) override {
    if (a.state == ActionRecord::State::kPending) queued_ = true;
    return txn_
        .exec_prepared1(queries::kInsertAction.name, a.ticket_id,
                        std::string(Name(a.kind)), std::string(Name(a.state)),
                        a.assignee, a.team, a.unassign, a.note, a.request_id,
                        a.escalation_id, a.action_index, a.decision_id,
                        absl::ToUnixMicros(a.next_attempt), a.detail, a.error,
                        MicrosOrNull(a.done_time))[0]
        .as<int64_t>();
  }
  absl::StatusOr<std::optional<CycleState>> GetCycle(
      const CycleKey& key) override {
    pqxx::result rows = txn_.exec_prepared(queries::kCycle.name, key.ticket_id,
                                           key.metric, key.cycle);
    if (rows.empty()) return std::optional<CycleState>();
    return std::optional<CycleState>(ReadCycle(rows[0]));
  }
  absl::Status PutCycle(const CycleState& s) override {
    std::vector<int64_t> done(s.ladder.done_levels.begin(),
                              s.ladder.done_levels.end());
    std::optional<absl::Time> breached;
    if (s.ladder.breached_at != absl::InfinitePast()) {
      breached = s.ladder.breached_at;
    }
    txn_.exec_prepared(queries::kPutCycle.name, s.key.ticket_id, s.key.metric,
                       s.key.cycle, s.ladder.warned, MicrosOrNull(breached),
                       s.ladder.met_or_cancelled, s.ladder.acknowledged,
                       s.acknowledged_by, MicrosOrNull(s.acknowledge_time),
                       IntArray(done));
    return absl::OkStatus();
  }
  absl::StatusOr<int64_t> AddEscalation(const EscalationRecord& e) override {
    std::vector<std::string> words;
    for (const Action& a : e.actions) words.push_back(ActionWord(a));
    return txn_
        .exec_prepared1(
            queries::kInsertEscalation.name, e.key.ticket_id, e.key.metric,
            e.key.cycle, e.level, std::string(Name(e.trigger)), e.team,
            absl::ToUnixMicros(e.occur_time), absl::ToUnixMicros(e.record_time),
            e.skipped, e.explanation, ArrayLiteral(words),
            ArrayLiteral(e.recipients))[0]
        .as<int64_t>();
  }
  absl::Status ArmTimer(const CycleKey& key, int level,
                        absl::Time due) override {
    queued_ = true;
    txn_.exec_prepared(queries::kArmTimer.name, key.ticket_id, key.metric,
                       key.cycle, level, absl::ToUnixMicros(due));
    return absl::OkStatus();
  }
  absl::Status DisarmTimers(const CycleKey& key) override {
    txn_.exec_prepared(queries::kDisarmTimers.name, key.ticket_id, key.metric,
                       key.cycle);
    return absl::OkStatus();
  }
  absl::StatusOr<int64_t> AddNotification(
      const NotificationRecord& n) override {
    queued_ = true;
    return txn_
        .exec_prepared1(queries::kInsertNotification.name, n.recipient,
                        n.ticket_id, n.escalation_id, n.level, n.metric,
                        n.title, n.body, n.team,
                        absl::ToUnixMicros(n.create_time))[0]
        .as<int64_t>();
  }
  absl::StatusOr<int64_t> AddDelivery(const DeliveryRecord& d) override {
    queued_ = true;
    return txn_
        .exec_prepared1(queries::kInsertDelivery.name, d.team,
                        d.notification_id, d.url, d.payload,
                        absl::ToUnixMicros(d.next_attempt))[0]
        .as<int64_t>();
  }
  absl::Status SetCursor(const std::string& consumer,
                         const std::string& cursor) override {
    txn_.exec_prepared(queries::kSetCursor.name, consumer, cursor);
    return absl::OkStatus();
  }

  static std::map<std::string, int> ReadOpenTickets(
      pqxx::transaction_base& txn, const std::vector<std::string>& agents) {
    std::map<std::string, int> open;
    if (agents.empty()) return open;
    for (const auto& row :
         txn.exec_prepared(queries::kOpenTickets.name, ArrayLiteral(agents))) {
      open[row[0].as<std::string>()] = row[1].as<int>();
    }
    return open;
  }
  static std::vector<QueuedTicket> ReadQueue(pqxx::transaction_base& txn,
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

 private:
  pqxx::work& txn_;
  bool queued_ = false;
};

}  // namespace

const std::vector<common::NamedQuery>&
PostgresEscalationStore::PreparedQueries() {
  return queries::All();
}

void PostgresEscalationStore::Published() {
  if (publisher_ != nullptr) publisher_->Publish();
}

// ---- teams ----

absl::StatusOr<TeamRecord> PostgresEscalationStore::CreateTeam(
    const TeamRecord& team, absl::Time now) {
  CXDESK_RETURN_IF_ERROR(pool_.Transact([&](pqxx::work& txn) -> absl::Status {
    CXDESK_RETURN_IF_ERROR(CheckSingleDefault(txn, team));
    WriteTeamRow(txn, queries::kInsertTeam.name, team, now);
    txn.exec_prepared(queries::kBumpRevision.name);
    return absl::OkStatus();
  }));
  return GetTeam(team.team.id);
}

absl::StatusOr<TeamRecord> PostgresEscalationStore::GetTeam(
    const std::string& id) {
  std::optional<TeamRecord> out;
  CXDESK_RETURN_IF_ERROR(pool_.Autocommit([&](pqxx::transaction_base& txn) {
    pqxx::result rows = txn.exec_prepared(queries::kTeamById.name, id);
    if (!rows.empty()) out = ReadTeam(rows[0]);
    return absl::OkStatus();
  }));
  if (!out.has_value()) return NotFound("team", id);
  return *std::move(out);
}

absl::StatusOr<std::vector<TeamRecord>> PostgresEscalationStore::ListTeams(
    int offset, int limit) {
  std::vector<TeamRecord> out;
  CXDESK_RETURN_IF_ERROR(pool_.Autocommit([&](pqxx::transaction_base& txn) {
    out.clear();
    for (const auto& row :
         txn.exec_prepared(queries::kListTeams.name, offset, limit)) {
      out.push_back(ReadTeam(row));
    }
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<TeamRecord> PostgresEscalationStore::UpdateTeam(
    const TeamRecord& team, int64_t expected_version, absl::Time now) {
  CXDESK_RETURN_IF_ERROR(pool_.Transact([&](pqxx::work& txn) -> absl::Status {
    CXDESK_RETURN_IF_ERROR(CheckVersion(
        txn.exec_prepared(queries::kLockTeamRow.name, team.team.id),
        expected_version, "team", team.team.id));
    CXDESK_RETURN_IF_ERROR(CheckSingleDefault(txn, team));
    WriteTeamRow(txn, queries::kUpdateTeam.name, team, now);
    txn.exec_prepared(queries::kBumpRevision.name);
    return absl::OkStatus();
  }));
  return GetTeam(team.team.id);
}

absl::Status PostgresEscalationStore::DeleteTeam(const std::string& id) {
  return pool_.Transact([&](pqxx::work& txn) -> absl::Status {
    CXDESK_RETURN_IF_ERROR(
        CheckVersion(txn.exec_prepared(queries::kLockTeamRow.name, id),
                     std::nullopt, "team", id));
    pqxx::row in_use = txn.exec_prepared1(queries::kTeamInUse.name, id);
    if (in_use[0].as<bool>()) {
      return absl::FailedPreconditionError(
          absl::StrCat("team ", common::Excerpt(id),
                       " is the default team; make another one default"));
    }
    if (in_use[1].as<bool>()) {
      return absl::FailedPreconditionError(absl::StrCat(
          "team ", common::Excerpt(id), " is the target of a routing rule"));
    }
    if (in_use[2].as<bool>()) {
      return absl::FailedPreconditionError(
          absl::StrCat("team ", common::Excerpt(id), " still has agents"));
    }
    txn.exec_prepared(queries::kDeleteTeam.name, id);
    txn.exec_prepared(queries::kBumpRevision.name);
    return absl::OkStatus();
  });
}

// ---- agents ----

absl::StatusOr<AgentRecord> PostgresEscalationStore::CreateAgent(
    const AgentRecord& agent, absl::Time now) {
  CXDESK_RETURN_IF_ERROR(pool_.Transact([&](pqxx::work& txn) -> absl::Status {
    WriteAgentRow(txn, queries::kInsertAgent.name, agent, now);
    txn.exec_prepared(queries::kBumpRevision.name);
    return absl::OkStatus();
  }));
  return GetAgent(agent.agent.id);
}

absl::StatusOr<AgentRecord> PostgresEscalationStore::GetAgent(
    const std::string& id) {
  std::optional<AgentRecord> out;
  CXDESK_RETURN_IF_ERROR(pool_.Autocommit([&](pqxx::transaction_base& txn) {
    pqxx::result rows = txn.exec_prepared(queries::kAgentById.name, id);
    if (!rows.empty()) {
      out = ReadAgent(rows[0]);
      auto open = PgTxn::ReadOpenTickets(txn, {id});
      out->open_tickets = open.count(id) ? open[id] : 0;
    }
    return absl::OkStatus();
  }));
  if (!out.has_value()) return NotFound("agent", id);
  return *std::move(out);
}

absl::StatusOr<std::vector<AgentRecord>> PostgresEscalationStore::ListAgents(
    const std::string& team, int offset, int limit) {
  std::vector<AgentRecord> out;
  CXDESK_RETURN_IF_ERROR(pool_.Autocommit([&](pqxx::transaction_base& txn) {
    out.clear();
    std::vector<std::string> ids;
    for (const auto& row :
         txn.exec_prepared(queries::kListAgents.name, team, offset, limit)) {
      out.push_back(ReadAgent(row));
      ids.push_back(out.back().agent.id);
    }
    auto open = PgTxn::ReadOpenTickets(txn, ids);
    for (AgentRecord& a : out) a.open_tickets = open[a.agent.id];
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<AgentRecord> PostgresEscalationStore::UpdateAgent(
    const AgentRecord& agent, int64_t expected_version, absl::Time now) {
  CXDESK_RETURN_IF_ERROR(pool_.Transact([&](pqxx::work& txn) -> absl::Status {
    CXDESK_RETURN_IF_ERROR(CheckVersion(
        txn.exec_prepared(queries::kLockAgentRow.name, agent.agent.id),
        expected_version, "agent", agent.agent.id));
    WriteAgentRow(txn, queries::kUpdateAgent.name, agent, now);
    txn.exec_prepared(queries::kBumpRevision.name);
    return absl::OkStatus();
  }));
  return GetAgent(agent.agent.id);
}

absl::Status PostgresEscalationStore::DeleteAgent(const std::string& id) {
  return pool_.Transact([&](pqxx::work& txn) -> absl::Status {
    CXDESK_RETURN_IF_ERROR(
        CheckVersion(txn.exec_prepared(queries::kLockAgentRow.name, id),
                     std::nullopt, "agent", id));
    pqxx::result leads = txn.exec_prepared(queries::kAgentLeads.name, id);
    if (!leads.empty()) {
      return absl::FailedPreconditionError(absl::StrCat(
          "agent ", common::Excerpt(id), " leads or manages team \"",
          leads[0][0].as<std::string>(), "\""));
    }
    txn.exec_prepared(queries::kDeleteAgent.name, id);
    txn.exec_prepared(queries::kBumpRevision.name);
    return absl::OkStatus();
  });
}

absl::StatusOr<AgentRecord> PostgresEscalationStore::SetAvailability(
    const std::string& id, Availability availability, absl::Time now) {
  CXDESK_RETURN_IF_ERROR(pool_.Transact([&](pqxx::work& txn) -> absl::Status {
    if (txn.exec_prepared(queries::kSetAvailability.name, id,
                          std::string(Name(availability)),
                          absl::ToUnixMicros(now))
            .empty()) {
      return NotFound("agent", id);
    }
    txn.exec_prepared(queries::kBumpRevision.name);
    return absl::OkStatus();
  }));
  return GetAgent(id);
}

// ---- rules ----

absl::StatusOr<RuleRecord> PostgresEscalationStore::CreateRule(
    const RuleRecord& rule, absl::Time now) {
  CXDESK_RETURN_IF_ERROR(pool_.Transact([&](pqxx::work& txn) -> absl::Status {
    WriteRuleRow(txn, queries::kInsertRule.name, rule, now);
    txn.exec_prepared(queries::kBumpRevision.name);
    return absl::OkStatus();
  }));
  return GetRule(rule.rule.id);
}

absl::StatusOr<RuleRecord> PostgresEscalationStore::GetRule(
    const std::string& id) {
  std::optional<RuleRecord> out;
  CXDESK_RETURN_IF_ERROR(pool_.Autocommit([&](pqxx::transaction_base& txn) {
    pqxx::result rows = txn.exec_prepared(queries::kRuleById.name, id);
    if (!rows.empty()) out = ReadRule(rows[0]);
    return absl::OkStatus();
  }));
  if (!out.has_value()) return NotFound("routing rule", id);
  return *std::move(out);
}

absl::StatusOr<std::vector<RuleRecord>> PostgresEscalationStore::ListRules(
    int offset, int limit) {
  std::vector<RuleRecord> out;
  CXDESK_RETURN_IF_ERROR(pool_.Autocommit([&](pqxx::transaction_base& txn) {
    out.clear();
    for (const auto& row :
         txn.exec_prepared(queries::kListRules.name, offset, limit)) {
      out.push_back(ReadRule(row));
    }
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<RuleRecord> PostgresEscalationStore::UpdateRule(
    const RuleRecord& rule, int64_t expected_version, absl::Time now) {
  CXDESK_RETURN_IF_ERROR(pool_.Transact([&](pqxx::work& txn) -> absl::Status {
    CXDESK_RETURN_IF_ERROR(CheckVersion(
        txn.exec_prepared(queries::kLockRuleRow.name, rule.rule.id),
        expected_version, "routing rule", rule.rule.id));
    WriteRuleRow(txn, queries::kUpdateRule.name, rule, now);
    txn.exec_prepared(queries::kBumpRevision.name);
    return absl::OkStatus();
  }));
  return GetRule(rule.rule.id);
}

absl::Status PostgresEscalationStore::DeleteRule(const std::string& id) {
  return pool_.Transact([&](pqxx::work& txn) -> absl::Status {
    CXDESK_RETURN_IF_ERROR(
        CheckVersion(txn.exec_prepared(queries::kLockRuleRow.name, id),
                     std::nullopt, "routing rule", id));
    txn.exec_prepared(queries::kDeleteRule.name, id);
    txn.exec_prepared(queries::kBumpRevision.name);
    return absl::OkStatus();
  });
}

// ---- ladders ----

absl::StatusOr<LadderRecord> PostgresEscalationStore::SetLadder(
    const Ladder& ladder, std::optional<int64_t> expected, absl::Time now) {
  CXDESK_RETURN_IF_ERROR(pool_.Transact([&](pqxx::work& txn) -> absl::Status {
    if (expected.has_value()) {
      CXDESK_RETURN_IF_ERROR(CheckVersion(
          txn.exec_prepared(queries::kLockLadder.name, ladder.metric), expected,
          "ladder", ladder.metric));
    }
    txn.exec_prepared(queries::kUpsertLadder.name, ladder.metric,
                      absl::ToUnixMicros(now));
    WriteLadderSteps(txn, ladder);
    txn.exec_prepared(queries::kBumpRevision.name);
    return absl::OkStatus();
  }));
  return GetLadder(ladder.metric);
}

absl::StatusOr<LadderRecord> PostgresEscalationStore::GetLadder(
    const std::string& metric) {
  std::vector<LadderRecord> out;
  CXDESK_RETURN_IF_ERROR(pool_.Autocommit([&](pqxx::transaction_base& txn) {
    out = ReadLadders(txn, metric);
    return absl::OkStatus();
  }));
  if (out.empty()) {
    return absl::NotFoundError(
        absl::StrCat("no escalation ladder for metric ", metric));
  }
  return std::move(out.front());
}

absl::StatusOr<std::vector<LadderRecord>>
PostgresEscalationStore::ListLadders() {
  std::vector<LadderRecord> out;
  CXDESK_RETURN_IF_ERROR(pool_.Autocommit([&](pqxx::transaction_base& txn) {
    out = ReadLadders(txn, "");
    return absl::OkStatus();
  }));
  return out;
}

absl::Status PostgresEscalationStore::DeleteLadder(const std::string& metric) {
  return pool_.Transact([&](pqxx::work& txn) -> absl::Status {
    if (txn.exec_prepared(queries::kDeleteLadder.name, metric).empty()) {
      return absl::NotFoundError(
          absl::StrCat("no escalation ladder for metric ", metric));
    }
    txn.exec_prepared(queries::kBumpRevision.name);
    return absl::OkStatus();
  });
}

absl::StatusOr<Directory> PostgresEscalationStore::LoadDirectory() {
  Directory d;
  // One snapshot: a directory never mixes two revisions.
  CXDESK_RETURN_IF_ERROR(pool_.Transact([&](pqxx::work& txn) {
    d = Directory{};
    txn.exec("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY");
    d.revision =
        txn.exec_prepared1(queries::kReadRevision.name)[0].as<int64_t>();
    constexpr int kAll = 1 << 30;
    for (const auto& row :
         txn.exec_prepared(queries::kListTeams.name, 0, kAll)) {
      d.teams.push_back(ReadTeam(row));
    }
    for (const auto& row :
         txn.exec_prepared(queries::kListAgents.name, "", 0, kAll)) {
      d.agents.push_back(ReadAgent(row).agent);
    }
    for (const auto& row :
         txn.exec_prepared(queries::kListRules.name, 0, kAll)) {
      d.rules.push_back(ReadRule(row).rule);
    }
    for (LadderRecord& r : ReadLadders(txn, "")) {
      d.ladders.push_back(std::move(r.ladder));
    }
    return absl::OkStatus();
  }));
  return d;
}

absl::StatusOr<int64_t> PostgresEscalationStore::ConfigRevision() {
  int64_t revision = 0;
  CXDESK_RETURN_IF_ERROR(pool_.Autocommit([&](pqxx::transaction_base& txn) {
    revision = txn.exec_prepared1(queries::kReadRevision.name)[0].as<int64_t>();
    return absl::OkStatus();
  }));
  return revision;
}

// ---- units of work ----

absl::Status PostgresEscalationStore::Run(
    const std::function<absl::Status(EscalationTxn&)>& work) {
  bool queued = false;
  CXDESK_RETURN_IF_ERROR(pool_.Transact([&](pqxx::work& txn) {
    txn.exec_prepared(queries::kLockUnits.name);
    PgTxn unit(txn);
    absl::Status status = work(unit);
    queued = unit.queued();
    return status;
  }));
  if (queued) Published();
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<Lease>> PostgresEscalationStore::TryAcquireLease(
    int64_t key) {
  CXDESK_ASSIGN_OR_RETURN(
      std::unique_ptr<common::SessionLock> lock,
      common::TryAcquireSessionLock(pool_.url(), kLeaseSpace,
                                    static_cast<int32_t>(key)));
  return std::unique_ptr<Lease>(std::move(lock));
}

absl::StatusOr<std::string> PostgresEscalationStore::ReadCursor(
    const std::string& consumer) {
  std::string cursor;
  CXDESK_RETURN_IF_ERROR(pool_.Autocommit([&](pqxx::transaction_base& txn) {
    pqxx::result rows = txn.exec_prepared(queries::kReadCursor.name, consumer);
    cursor = rows.empty() ? "" : rows[0][0].as<std::string>();
    return absl::OkStatus();
  }));
  return cursor;
}

absl::StatusOr<int> PostgresEscalationStore::FireDueTimers(
    absl::Time now, int limit, const std::string& replica,
    const std::function<absl::Status(EscalationTxn&, const DueTimer&)>& fire) {
  int claimed = 0;
  bool queued = false;
  CXDESK_RETURN_IF_ERROR(pool_.Transact([&](pqxx::work& txn) -> absl::Status {
    claimed = 0;
    txn.exec_prepared(queries::kLockUnits.name);
    PgTxn unit(txn);
    const int64_t now_us = absl::ToUnixMicros(now);
    for (const auto& row :
         txn.exec_prepared(queries::kDueTimers.name, now_us, limit)) {
      PgCols c(row);
      DueTimer t;
      t.key.ticket_id = c.Int();
      t.key.metric = c.Str();
      t.key.cycle = static_cast<int>(c.Int());
      t.level = static_cast<int>(c.Int());
      t.due = c.Time();
      // The ticket's lock first (as every writer of its ladders takes it),
      // without waiting: a busy ticket is fired by its holder or next round.
      if (!txn.exec_prepared1(queries::kTryLockTicket.name, t.key.ticket_id)[0]
               .as<bool>()) {
        continue;
      }
      if (txn.exec_prepared(queries::kClaimTimer.name, t.key.ticket_id,
                            t.key.metric, t.key.cycle, t.level)
              .empty()) {
        continue;
      }
      CXDESK_RETURN_IF_ERROR(fire(unit, t));
      txn.exec_prepared(queries::kMarkTimerFired.name, t.key.ticket_id,
                        t.key.metric, t.key.cycle, t.level, now_us, replica);
      ++claimed;
    }
    queued = unit.queued();
    return absl::OkStatus();
  }));
  if (queued) Published();
  return claimed;
}

namespace {

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

}  // namespace

absl::StatusOr<std::optional<absl::Time>>
PostgresEscalationStore::NextTimerDue() {
  return MinTime(pool_, queries::kNextTimerDue.name);
}

absl::StatusOr<std::vector<ClaimedAction>>
PostgresEscalationStore::ClaimDueActions(absl::Time now, absl::Time lease_until,
                                         int limit) {
  std::vector<ClaimedAction> claimed;
  // One statement, hence one short transaction of its own.
  CXDESK_RETURN_IF_ERROR(pool_.Autocommit([&](pqxx::transaction_base& txn) {
    claimed.clear();
    for (const auto& row :
         txn.exec_prepared(queries::kClaimActions.name, absl::ToUnixMicros(now),
                           absl::ToUnixMicros(lease_until), limit)) {
      ClaimedAction c;
      c.action = ReadAction(row);
      const int n = static_cast<int>(row.size());
      c.action.ticket_open = row[n - 3].as<bool>(true);
      c.action.ticket_assignee = row[n - 2].as<std::string>(std::string());
      c.claim = row[n - 1].as<int64_t>();
      c.lease_until = lease_until;
      claimed.push_back(std::move(c));
    }
    return absl::OkStatus();
  }));
  // The claim's order (RETURNING keeps none): escalation steps first.
  std::sort(claimed.begin(), claimed.end(),
            [](const ClaimedAction& x, const ClaimedAction& y) {
              return std::make_pair(x.action.escalation_id == 0, x.action.id) <
                     std::make_pair(y.action.escalation_id == 0, y.action.id);
            });
  return claimed;
}

absl::StatusOr<bool> PostgresEscalationStore::FinishAction(
    int64_t claim, const ActionRecord& a) {
  bool recorded = false;
  CXDESK_RETURN_IF_ERROR(pool_.Autocommit([&](pqxx::transaction_base& txn) {
    recorded = txn.exec_prepared(queries::kFinishAction.name, a.id, claim,
                                 std::string(Name(a.state)), a.attempts,
                                 absl::ToUnixMicros(a.next_attempt), a.detail,
                                 a.error, MicrosOrNull(a.done_time))
                   .affected_rows() == 1;
    return absl::OkStatus();
  }));
  return recorded;
}

absl::StatusOr<std::optional<absl::Time>>
PostgresEscalationStore::NextActionDue() {
  return MinTime(pool_, queries::kNextActionDue.name);
}

absl::StatusOr<std::vector<ClaimedDelivery>>
PostgresEscalationStore::ClaimDueDeliveries(absl::Time now,
                                            absl::Time lease_until, int limit) {
  std::vector<ClaimedDelivery> claimed;
  CXDESK_RETURN_IF_ERROR(pool_.Autocommit([&](pqxx::transaction_base& txn) {
    claimed.clear();
    for (const auto& row : txn.exec_prepared(
             queries::kClaimDeliveries.name, absl::ToUnixMicros(now),
             absl::ToUnixMicros(lease_until), limit)) {
      PgCols c(row);
      ClaimedDelivery d;
      d.delivery = ReadDelivery(c);
      d.secret = c.Str();
      d.claim = c.Int();
      d.lease_until = lease_until;
      claimed.push_back(std::move(d));
    }
    return absl::OkStatus();
  }));
  std::sort(claimed.begin(), claimed.end(),
            [](const ClaimedDelivery& x, const ClaimedDelivery& y) {
              return std::make_pair(x.delivery.next_attempt, x.delivery.id) <
                     std::make_pair(y.delivery.next_attempt, y.delivery.id);
            });
  return claimed;
}

absl::StatusOr<bool> PostgresEscalationStore::FinishDelivery(
    int64_t claim, const DeliveryRecord& d) {
  bool recorded = false;
  CXDESK_RETURN_IF_ERROR(pool_.Autocommit([&](pqxx::transaction_base& txn) {
    recorded = txn.exec_prepared(queries::kFinishDelivery.name, d.id, claim,
                                 std::string(Name(d.state)), d.attempts,
                                 d.last_status_code, d.last_error,
                                 absl::ToUnixMicros(d.next_attempt),
                                 MicrosOrNull(d.deliver_time))
                   .affected_rows() == 1;
    return absl::OkStatus();
  }));
  return recorded;
}

absl::StatusOr<std::optional<absl::Time>>
PostgresEscalationStore::NextDeliveryDue() {
  return MinTime(pool_, queries::kNextDeliveryDue.name);
}

absl::StatusOr<std::vector<DeliveryRecord>>
PostgresEscalationStore::ListDeliveries(
    const std::string& team, std::optional<DeliveryRecord::State> state,
    int64_t before_id, int limit) {
  std::vector<DeliveryRecord> out;
  CXDESK_RETURN_IF_ERROR(pool_.Autocommit([&](pqxx::transaction_base& txn) {
    out.clear();
    for (const auto& row : txn.exec_prepared(
             queries::kListDeliveries.name, team,
             state.has_value() ? std::string(Name(*state)) : std::string(),
             before_id, limit)) {
      PgCols c(row);
      out.push_back(ReadDelivery(c));
    }
    return absl::OkStatus();
  }));
  return out;
}

// ---- queries ----

absl::StatusOr<std::vector<Decision>> PostgresEscalationStore::ListDecisions(
    int64_t ticket_id) {
  std::vector<Decision> out;
  CXDESK_RETURN_IF_ERROR(pool_.Autocommit([&](pqxx::transaction_base& txn) {
    out.clear();
    for (const auto& row :
         txn.exec_prepared(queries::kDecisionsOfTicket.name, ticket_id)) {
      out.push_back(ReadDecision(row));
    }
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<std::vector<QueuedTicket>> PostgresEscalationStore::TeamQueue(
    const std::string& team) {
  std::vector<QueuedTicket> out;
  CXDESK_RETURN_IF_ERROR(pool_.Autocommit([&](pqxx::transaction_base& txn) {
    out = PgTxn::ReadQueue(txn, team);
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<std::map<std::string, int>> PostgresEscalationStore::OpenTickets(
    const std::vector<std::string>& agents) {
  std::map<std::string, int> out;
  CXDESK_RETURN_IF_ERROR(pool_.Autocommit([&](pqxx::transaction_base& txn) {
    out = PgTxn::ReadOpenTickets(txn, agents);
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<std::optional<TicketView>> PostgresEscalationStore::GetTicket(
    int64_t id) {
  std::optional<TicketView> out;
  CXDESK_RETURN_IF_ERROR(pool_.Autocommit([&](pqxx::transaction_base& txn) {
    pqxx::result rows = txn.exec_prepared(queries::kTicketById.name, id);
    out.reset();
    if (!rows.empty()) out = ReadTicketView(rows[0]);
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<std::vector<EscalationRecord>>
PostgresEscalationStore::ListEscalations(const EscalationQuery& q,
                                         int64_t before_id, int limit) {
  std::vector<EscalationRecord> out;
  CXDESK_RETURN_IF_ERROR(pool_.Autocommit([&](pqxx::transaction_base& txn) {
    out.clear();
    for (const auto& row :
         txn.exec_prepared(queries::kListEscalations.name, q.ticket_id, q.team,
                           q.level, MicrosOrNull(q.from), MicrosOrNull(q.to),
                           q.acknowledged, before_id, limit)) {
      out.push_back(ReadEscalation(row));
    }
    AttachResults(txn, out);
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<EscalationRecord> PostgresEscalationStore::GetEscalation(
    int64_t id) {
  std::vector<EscalationRecord> out;
  CXDESK_RETURN_IF_ERROR(pool_.Autocommit([&](pqxx::transaction_base& txn) {
    out.clear();
    for (const auto& row :
         txn.exec_prepared(queries::kEscalationById.name, id)) {
      out.push_back(ReadEscalation(row));
    }
    AttachResults(txn, out);
    return absl::OkStatus();
  }));
  if (out.empty()) {
    return absl::NotFoundError(absl::StrCat("escalation ", id, " not found"));
  }
  return std::move(out.front());
}

absl::StatusOr<bool> PostgresEscalationStore::NotifiedInCycle(
    const CycleKey& key, const std::string& who) {
  bool notified = false;
  CXDESK_RETURN_IF_ERROR(pool_.Autocommit([&](pqxx::transaction_base& txn) {
    notified = txn.exec_prepared1(queries::kNotifiedBy.name, key.ticket_id,
                                  key.metric, key.cycle, who)[0]
                   .as<bool>();
    return absl::OkStatus();
  }));
  return notified;
}

absl::StatusOr<std::vector<NotificationRecord>>
PostgresEscalationStore::ListNotifications(const std::string& recipient,
                                           bool unread_only, int64_t before_id,
                                           int limit) {
  std::vector<NotificationRecord> out;
  CXDESK_RETURN_IF_ERROR(pool_.Autocommit([&](pqxx::transaction_base& txn) {
    out.clear();
    for (const auto& row :
         txn.exec_prepared(queries::kListNotifications.name, recipient,
                           unread_only, before_id, limit)) {
      out.push_back(ReadNotification(row));
    }
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<int> PostgresEscalationStore::CountUnread(
    const std::string& recipient) {
  int count = 0;
  CXDESK_RETURN_IF_ERROR(pool_.Autocommit([&](pqxx::transaction_base& txn) {
    count =
        txn.exec_prepared1(queries::kCountUnread.name, recipient)[0].as<int>();
    return absl::OkStatus();
  }));
  return count;
}

absl::StatusOr<int> PostgresEscalationStore::MarkRead(
    const std::string& recipient, const std::vector<int64_t>& ids, bool all,
    absl::Time now) {
  int marked = 0;
  CXDESK_RETURN_IF_ERROR(pool_.Transact([&](pqxx::work& txn) {
    marked = static_cast<int>(txn.exec_prepared(queries::kMarkRead.name,
                                                recipient, IntArray(ids), all,
                                                absl::ToUnixMicros(now))
                                  .affected_rows());
    return absl::OkStatus();
  }));
  return marked;
}

absl::StatusOr<common::EventBatch<NotificationRecord>>
PostgresEscalationStore::ReadNotifications(const std::string& recipient,
                                           const common::EventCursor& after,
                                           int limit) {
  common::EventBatch<NotificationRecord> batch;
  CXDESK_RETURN_IF_ERROR(pool_.Autocommit([&](pqxx::transaction_base& txn) {
    batch = {};
    // Held-back first, rows second: see the ticket store's ReadEvents.
    batch.held_back =
        txn.exec_prepared1(queries::kNotificationsHeldBack.name)[0].as<bool>();
    for (const auto& row : txn.exec_prepared(queries::kReadNotifications.name,
                                             std::to_string(after.xid),
                                             after.id, recipient, limit)) {
      batch.events.push_back(ReadNotification(row));
    }
    return absl::OkStatus();
  }));
  return batch;
}

absl::StatusOr<Figures> PostgresEscalationStore::GetFigures(absl::Time from,
                                                            absl::Time to) {
  Figures f;
  const int64_t from_us = absl::ToUnixMicros(from);
  const int64_t to_us = absl::ToUnixMicros(to);
  CXDESK_RETURN_IF_ERROR(pool_.Transact([&](pqxx::work& txn) {
    f = Figures{};
    txn.exec("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY");
    for (const auto& row :
         txn.exec_prepared(queries::kAgentFigures.name, from_us, to_us)) {
      PgCols c(row);
      Figures::AgentRow a;
      a.agent = c.Str();
      a.capacity = static_cast<int>(c.Int());
      a.assignments = static_cast<int>(c.Int());
      a.open_tickets = static_cast<int>(c.Int());
      f.agents.push_back(std::move(a));
    }
    for (const auto& row :
         txn.exec_prepared(queries::kTeamFigures.name, from_us, to_us)) {
      PgCols c(row);
      Figures::TeamRow t;
      t.team = c.Str();
      t.routed = static_cast<int>(c.Int());
      t.queued = static_cast<int>(c.Int());
      std::vector<int64_t> waited;
      for (const std::string& w : c.TextArray()) {
        int64_t v = 0;
        if (absl::SimpleAtoi(w, &v)) waited.push_back(v);
      }
      t.waiting_now = static_cast<int>(c.Int());
      t.assigned_from_queue = static_cast<int>(waited.size());
      // Nearest rank, as the SLA report computes its percentiles.
      auto rank = [&](double p) {
        if (waited.empty()) return absl::ZeroDuration();
        size_t k = static_cast<size_t>(std::ceil(p * waited.size()));
        k = std::clamp<size_t>(k, 1, waited.size());
        return absl::Microseconds(waited[k - 1]);
      };
      t.queue_p50 = rank(0.5);
      t.queue_p90 = rank(0.9);
      t.queue_max = rank(1.0);
      f.teams.push_back(std::move(t));
    }
    for (const auto& row :
         txn.exec_prepared(queries::kLevelFigures.name, from_us, to_us)) {
      PgCols c(row);
      Figures::LevelRow l;
      l.level = static_cast<int>(c.Int());
      l.ran = static_cast<int>(c.Int());
      l.skipped = static_cast<int>(c.Int());
      l.acknowledged = static_cast<int>(c.Int());
      f.levels.push_back(l);
    }
    return absl::OkStatus();
  }));
  return f;
}

}  // namespace cxdesk::escalation
