#include "services/escalation/testing/fake_escalation_store.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/common/status_macros.h"
#include "services/common/text.h"

namespace cxdesk::escalation {
namespace {

using State = FakeEscalationStore::State;

absl::Status NotFound(absl::string_view what, const std::string& id) {
  return absl::NotFoundError(
      absl::StrCat(what, " ", common::Excerpt(id), " not found"));
}

// As PgPool maps a unique violation.
absl::Status Duplicate() { return absl::AlreadyExistsError("already exists"); }

absl::Status CheckVersion(bool found, int64_t stored,
                          std::optional<int64_t> expected,
                          absl::string_view what, const std::string& id) {
  if (!found) return NotFound(what, id);
  if (expected.has_value() && *expected != stored) {
    return absl::AbortedError(
        absl::StrCat(what, " ", common::Excerpt(id),
                     " changed since it was read (stale etag)"));
  }
  return absl::OkStatus();
}

absl::Status CheckSingleDefault(const State& s, const TeamRecord& r) {
  if (!r.default_team) return absl::OkStatus();
  for (const auto& [id, t] : s.teams) {
    if (t.default_team && id != r.team.id) {
      return absl::FailedPreconditionError(
          absl::StrCat("team.default_team: team ", common::Excerpt(id),
                       " is the default team already; unset it there first"));
    }
  }
  return absl::OkStatus();
}

std::map<std::string, int> Loads(const State& s) {
  std::map<std::string, int> loads;
  for (const auto& [id, t] : s.tickets) {
    if (t.Open() && !t.LoadOf().empty()) ++loads[t.LoadOf()];
  }
  return loads;
}

std::map<std::string, int> LoadsOf(const State& s,
                                   const std::vector<std::string>& agents) {
  const std::map<std::string, int> all = Loads(s);
  std::map<std::string, int> out;
  for (const std::string& a : agents) {
    if (auto it = all.find(a); it != all.end()) out[a] = it->second;
  }
  return out;
}

std::vector<QueuedTicket> QueueOf(const State& s, const std::string& team) {
  std::vector<QueuedTicket> queue;
  for (const auto& [id, t] : s.tickets) {
    if (t.team != team || !t.queued_at.has_value()) continue;
    QueuedTicket q;
    q.ticket_id = id;
    q.queued_at = *t.queued_at;
    q.priority = t.route.priority;
    for (const auto& [key, deadline] : s.deadlines) {
      if (key.first == id)
        q.next_deadline = std::min(q.next_deadline, deadline);
    }
    queue.push_back(std::move(q));
  }
  return queue;
}

std::vector<RuleRecord> RulesInOrder(const State& s) {
  std::vector<RuleRecord> rules;
  for (const auto& [id, r] : s.rules) rules.push_back(r);
  std::stable_sort(rules.begin(), rules.end(),
                   [](const RuleRecord& a, const RuleRecord& b) {
                     return a.rule.position < b.rule.position;
                   });
  return rules;
}

template <typename T>
std::vector<T> Slice(std::vector<T> all, int offset, int limit) {
  std::vector<T> out;
  for (size_t i = std::max(offset, 0); i < all.size(); ++i) {
    if (static_cast<int>(out.size()) >= limit) break;
    out.push_back(std::move(all[i]));
  }
  return out;
}

// The unit of work over a copy of the state.
class FakeTxn final : public EscalationTxn {
 public:
  explicit FakeTxn(State& s) : s_(s) {}

  // One unit runs at a time: every lock is held already.
  absl::Status LockTeam(const std::string&) override {
    return absl::OkStatus();
  }
  absl::Status LockTicket(int64_t) override { return absl::OkStatus(); }

  absl::StatusOr<std::optional<TicketView>> GetTicket(int64_t id) override {
    auto it = s_.tickets.find(id);
    if (it == s_.tickets.end()) return std::optional<TicketView>();
    return std::optional<TicketView>(it->second);
  }
  absl::StatusOr<std::vector<TicketView>> GetTickets(
      const std::vector<int64_t>& ids) override {
    std::vector<TicketView> out;
    for (int64_t id : ids) {
      if (auto it = s_.tickets.find(id); it != s_.tickets.end()) {
        out.push_back(it->second);
      }
    }
    return out;
  }
  absl::Status PutTicket(const TicketView& ticket) override {
    s_.tickets[ticket.id] = ticket;
    return absl::OkStatus();
  }
  absl::StatusOr<std::map<std::string, int>> OpenTickets(
      const std::vector<std::string>& agents) override {
    return LoadsOf(s_, agents);
  }
  absl::StatusOr<std::vector<QueuedTicket>> TeamQueue(
      const std::string& team) override {
    return QueueOf(s_, team);
  }
  absl::Status SetClockDeadline(int64_t ticket_id, const std::string& metric,
                                std::optional<absl::Time> deadline) override {
    if (deadline.has_value()) {
      s_.deadlines[{ticket_id, metric}] = *deadline;
    } else {
      s_.deadlines.erase({ticket_id, metric});
    }
    return absl::OkStatus();
  }
  absl::StatusOr<RoundRobinState> GetRoundRobin(
      const std::string& team) override {
    auto it = s_.round_robin.find(team);
    return it == s_.round_robin.end() ? RoundRobinState{} : it->second;
  }
  absl::Status PutRoundRobin(const std::string& team,
                             const RoundRobinState& state) override {
    s_.round_robin[team] = state;
    return absl::OkStatus();
  }
  absl::StatusOr<int64_t> AddDecision(const Decision& decision) override {
    Decision d = decision;
    d.id = s_.NextId();
    s_.decisions[d.id] = d;
    return d.id;
  }
  absl::Status CancelRoutingActions(int64_t ticket_id, const std::string& why,
                                    absl::Time now) override {
    for (auto& [id, a] : s_.actions) {
      if (a.ticket_id == ticket_id && a.decision_id != 0 &&
          a.state == ActionRecord::State::kPending) {
        a.state = ActionRecord::State::kSkipped;
        a.detail = why;
        a.done_time = now;
      }
    }
    return absl::OkStatus();
  }
  absl::StatusOr<int64_t> AddAction(const ActionRecord& action) override {
    for (const auto& [id, a] : s_.actions) {
      if (a.request_id == action.request_id) return Duplicate();
    }
    ActionRecord a = action;
    a.id = s_.NextId();
    a.create_time = a.next_attempt;  // As the insert statement stores it.
    a.attempts = 0;
    s_.actions[a.id] = a;
    return a.id;
  }
  absl::StatusOr<std::optional<CycleState>> GetCycle(
      const CycleKey& key) override {
    auto it = s_.cycles.find({key.ticket_id, key.metric, key.cycle});
    if (it == s_.cycles.end()) return std::optional<CycleState>();
    return std::optional<CycleState>(it->second);
  }
  absl::Status PutCycle(const CycleState& state) override {
    s_.cycles[{state.key.ticket_id, state.key.metric, state.key.cycle}] = state;
    return absl::OkStatus();
  }
  absl::StatusOr<int64_t> AddEscalation(const EscalationRecord& step) override {
    for (const auto& [id, e] : s_.escalations) {
      if (e.key.ticket_id == step.key.ticket_id &&
          e.key.metric == step.key.metric && e.key.cycle == step.key.cycle &&
          e.level == step.level) {
        return Duplicate();
      }
    }
    EscalationRecord e = step;
    e.id = s_.NextId();
    e.results.clear();
    s_.escalations[e.id] = e;
    return e.id;
  }
  absl::Status ArmTimer(const CycleKey& key, int level,
                        absl::Time due) override {
    FakeEscalationStore::Timer& t =
        s_.timers[{key.ticket_id, key.metric, key.cycle, level}];
    if (!t.fired_at.has_value()) t.due = due;  // A fired timer stays fired.
    return absl::OkStatus();
  }
  absl::Status DisarmTimers(const CycleKey& key) override {
    for (auto it = s_.timers.begin(); it != s_.timers.end();) {
      const auto& [ticket, metric, cycle, level] = it->first;
      if (ticket == key.ticket_id && metric == key.metric &&
          cycle == key.cycle && !it->second.fired_at.has_value()) {
        it = s_.timers.erase(it);
      } else {
        ++it;
      }
    }
    return absl::OkStatus();
  }
  absl::StatusOr<int64_t> AddNotification(
      const NotificationRecord& notification) override {
    NotificationRecord n = notification;
    n.id = s_.NextId();
    n.read = false;
    n.cursor = {};  // Given at commit.
    s_.notifications[n.id] = n;
    return n.id;
  }
  absl::StatusOr<int64_t> AddDelivery(const DeliveryRecord& delivery) override {
    DeliveryRecord d = delivery;
    d.id = s_.NextId();
    d.state = DeliveryRecord::State::kPending;
    d.attempts = 0;
    d.create_time = d.next_attempt;
    s_.deliveries[d.id] = d;
    return d.id;
  }
  absl::Status SetCursor(const std::string& consumer,
                         const std::string& cursor) override {
    s_.cursors[consumer] = cursor;
    return absl::OkStatus();
  }

 private:
  State& s_;
};

}  // namespace

// ---- leases ----

struct FakeEscalationStore::LeaseTable {
  absl::Mutex mu;
  std::set<int64_t> held ABSL_GUARDED_BY(mu);
};

namespace {

class FakeLease final : public Lease {
 public:
  FakeLease(std::shared_ptr<FakeEscalationStore::LeaseTable> table, int64_t key)
      : table_(std::move(table)), key_(key) {}
  ~FakeLease() override {
    absl::MutexLock lock(&table_->mu);
    table_->held.erase(key_);
  }
  bool Alive() override { return true; }

 private:
  const std::shared_ptr<FakeEscalationStore::LeaseTable> table_;
  const int64_t key_;
};

}  // namespace

FakeEscalationStore::FakeEscalationStore()
    : leases_(std::make_shared<LeaseTable>()) {}

FakeEscalationStore::~FakeEscalationStore() = default;

absl::StatusOr<std::unique_ptr<Lease>> FakeEscalationStore::TryAcquireLease(
    int64_t key) {
  absl::MutexLock lock(&leases_->mu);
  if (!leases_->held.insert(key).second) return std::unique_ptr<Lease>();
  return std::unique_ptr<Lease>(std::make_unique<FakeLease>(leases_, key));
}

// ---- test controls ----

void FakeEscalationStore::FailNextUnits(absl::Status status, int count) {
  absl::MutexLock lock(&mu_);
  fail_status_ = std::move(status);
  fail_count_ = count;
}

int FakeEscalationStore::commits() const {
  absl::MutexLock lock(&mu_);
  return commits_;
}

absl::Status FakeEscalationStore::Unit(
    const std::function<absl::Status(State&)>& work) {
  if (fail_count_ > 0) {
    --fail_count_;
    return fail_status_;
  }
  State copy = state_;
  CXDESK_RETURN_IF_ERROR(work(copy));
  // Notifications become readable in commit order, as the xid cursor does.
  ++copy.last_xid;
  for (auto& [id, n] : copy.notifications) {
    if (n.cursor.xid == 0) n.cursor = {copy.last_xid, id};
  }
  state_ = std::move(copy);
  ++commits_;
  return absl::OkStatus();
}

std::vector<ActionRecord> FakeEscalationStore::Actions() const {
  absl::MutexLock lock(&mu_);
  std::vector<ActionRecord> out;
  for (const auto& [id, a] : state_.actions) out.push_back(a);
  return out;
}

std::vector<Decision> FakeEscalationStore::Decisions() const {
  absl::MutexLock lock(&mu_);
  std::vector<Decision> out;
  for (const auto& [id, d] : state_.decisions) out.push_back(d);
  return out;
}

std::vector<NotificationRecord> FakeEscalationStore::Notifications() const {
  absl::MutexLock lock(&mu_);
  std::vector<NotificationRecord> out;
  for (const auto& [id, n] : state_.notifications) out.push_back(n);
  return out;
}

std::vector<DeliveryRecord> FakeEscalationStore::Deliveries() const {
  absl::MutexLock lock(&mu_);
  std::vector<DeliveryRecord> out;
  for (const auto& [id, d] : state_.deliveries) out.push_back(d);
  return out;
}

std::vector<EscalationRecord> FakeEscalationStore::Escalations() const {
  absl::MutexLock lock(&mu_);
  std::vector<EscalationRecord> out;
  for (const auto& [id, e] : state_.escalations) {
    out.push_back(WithResults(state_, e));
  }
  return out;
}

std::map<FakeEscalationStore::TimerId, FakeEscalationStore::Timer>
FakeEscalationStore::Timers() const {
  absl::MutexLock lock(&mu_);
  return state_.timers;
}

std::optional<CycleState> FakeEscalationStore::Cycle(
    const CycleKey& key) const {
  absl::MutexLock lock(&mu_);
  auto it = state_.cycles.find({key.ticket_id, key.metric, key.cycle});
  if (it == state_.cycles.end()) return std::nullopt;
  return it->second;
}

std::string FakeEscalationStore::Cursor(const std::string& consumer) const {
  absl::MutexLock lock(&mu_);
  auto it = state_.cursors.find(consumer);
  return it == state_.cursors.end() ? "" : it->second;
}

RoundRobinState FakeEscalationStore::RoundRobin(const std::string& team) const {
  absl::MutexLock lock(&mu_);
  auto it = state_.round_robin.find(team);
  return it == state_.round_robin.end() ? RoundRobinState{} : it->second;
}

EscalationRecord FakeEscalationStore::WithResults(const State& s,
                                                  EscalationRecord e) const {
  e.results.clear();
  for (const auto& [id, a] : s.actions) {
    if (a.escalation_id == e.id) e.results.push_back(a);
  }
  std::stable_sort(e.results.begin(), e.results.end(),
                   [](const ActionRecord& a, const ActionRecord& b) {
                     return a.action_index < b.action_index;
                   });
  auto c = s.cycles.find({e.key.ticket_id, e.key.metric, e.key.cycle});
  e.acknowledged = c != s.cycles.end() && c->second.ladder.acknowledged;
  e.acknowledged_by = c != s.cycles.end() ? c->second.acknowledged_by : "";
  e.acknowledge_time = c != s.cycles.end() ? c->second.acknowledge_time
                                           : std::optional<absl::Time>();
  return e;
}

AgentRecord FakeEscalationStore::WithLoad(const State& s, AgentRecord a) const {
  const std::map<std::string, int> loads = LoadsOf(s, {a.agent.id});
  a.open_tickets = loads.count(a.agent.id) ? loads.at(a.agent.id) : 0;
  return a;
}

// ---- teams ----

absl::StatusOr<TeamRecord> FakeEscalationStore::CreateTeam(
    const TeamRecord& team, absl::Time now) {
  absl::MutexLock lock(&mu_);
  CXDESK_RETURN_IF_ERROR(Unit([&](State& s) -> absl::Status {
    if (s.teams.count(team.team.id) != 0) return Duplicate();
    CXDESK_RETURN_IF_ERROR(CheckSingleDefault(s, team));
    TeamRecord r = team;
    r.version = 1;
    r.update_time = now;
    s.teams[r.team.id] = r;
    ++s.revision;
    return absl::OkStatus();
  }));
  return state_.teams.at(team.team.id);
}

absl::StatusOr<TeamRecord> FakeEscalationStore::GetTeam(const std::string& id) {
  absl::MutexLock lock(&mu_);
  auto it = state_.teams.find(id);
  if (it == state_.teams.end()) return NotFound("team", id);
  return it->second;
}

absl::StatusOr<std::vector<TeamRecord>> FakeEscalationStore::ListTeams(
    int offset, int limit) {
  absl::MutexLock lock(&mu_);
  std::vector<TeamRecord> all;
  for (const auto& [id, t] : state_.teams) all.push_back(t);
  return Slice(std::move(all), offset, limit);
}

absl::StatusOr<TeamRecord> FakeEscalationStore::UpdateTeam(
    const TeamRecord& team, int64_t expected_version, absl::Time now) {
  absl::MutexLock lock(&mu_);
  CXDESK_RETURN_IF_ERROR(Unit([&](State& s) -> absl::Status {
    auto it = s.teams.find(team.team.id);
    CXDESK_RETURN_IF_ERROR(CheckVersion(
        it != s.teams.end(), it != s.teams.end() ? it->second.version : 0,
        expected_version, "team", team.team.id));
    CXDESK_RETURN_IF_ERROR(CheckSingleDefault(s, team));
    TeamRecord r = team;
    if (r.webhook_secret.empty()) r.webhook_secret = it->second.webhook_secret;
    r.version = it->second.version + 1;
    r.update_time = now;
    it->second = r;
    ++s.revision;
    return absl::OkStatus();
  }));
  return state_.teams.at(team.team.id);
}

absl::Status FakeEscalationStore::DeleteTeam(const std::string& id) {
  absl::MutexLock lock(&mu_);
  return Unit([&](State& s) -> absl::Status {
    auto it = s.teams.find(id);
    if (it == s.teams.end()) return NotFound("team", id);
    if (it->second.default_team) {
      return absl::FailedPreconditionError(
          absl::StrCat("team ", common::Excerpt(id),
                       " is the default team; make another one default"));
    }
    for (const auto& [rid, r] : s.rules) {
      if (r.rule.team == id) {
        return absl::FailedPreconditionError(absl::StrCat(
            "team ", common::Excerpt(id), " is the target of a routing rule"));
      }
    }
    for (const auto& [aid, a] : s.agents) {
      const std::vector<std::string>& teams = a.agent.teams;
      if (std::find(teams.begin(), teams.end(), id) != teams.end()) {
        return absl::FailedPreconditionError(
            absl::StrCat("team ", common::Excerpt(id), " still has agents"));
      }
    }
    s.teams.erase(it);
    ++s.revision;
    return absl::OkStatus();
  });
}

// ---- agents ----

absl::StatusOr<AgentRecord> FakeEscalationStore::CreateAgent(
    const AgentRecord& agent, absl::Time now) {
  absl::MutexLock lock(&mu_);
  CXDESK_RETURN_IF_ERROR(Unit([&](State& s) -> absl::Status {
    if (s.agents.count(agent.agent.id) != 0) return Duplicate();
    AgentRecord r = agent;
    r.version = 1;
    r.update_time = now;
    r.open_tickets = 0;
    s.agents[r.agent.id] = r;
    ++s.revision;
    return absl::OkStatus();
  }));
  return WithLoad(state_, state_.agents.at(agent.agent.id));
}

absl::StatusOr<AgentRecord> FakeEscalationStore::GetAgent(
    const std::string& id) {
  absl::MutexLock lock(&mu_);
  auto it = state_.agents.find(id);
  if (it == state_.agents.end()) return NotFound("agent", id);
  return WithLoad(state_, it->second);
}

absl::StatusOr<std::vector<AgentRecord>> FakeEscalationStore::ListAgents(
    const std::string& team, int offset, int limit) {
  absl::MutexLock lock(&mu_);
  std::vector<AgentRecord> all;
  for (const auto& [id, a] : state_.agents) {
    const std::vector<std::string>& teams = a.agent.teams;
    if (team.empty() ||
        std::find(teams.begin(), teams.end(), team) != teams.end()) {
      all.push_back(WithLoad(state_, a));
    }
  }
  return Slice(std::move(all), offset, limit);
}

absl::StatusOr<AgentRecord> FakeEscalationStore::UpdateAgent(
    const AgentRecord& agent, int64_t expected_version, absl::Time now) {
  absl::MutexLock lock(&mu_);
  CXDESK_RETURN_IF_ERROR(Unit([&](State& s) -> absl::Status {
    auto it = s.agents.find(agent.agent.id);
    CXDESK_RETURN_IF_ERROR(CheckVersion(
        it != s.agents.end(), it != s.agents.end() ? it->second.version : 0,
        expected_version, "agent", agent.agent.id));
    AgentRecord r = agent;
    r.version = it->second.version + 1;
    r.update_time = now;
    it->second = r;
    ++s.revision;
    return absl::OkStatus();
  }));
  return WithLoad(state_, state_.agents.at(agent.agent.id));
}

absl::Status FakeEscalationStore::DeleteAgent(const std::string& id) {
  absl::MutexLock lock(&mu_);
  return Unit([&](State& s) -> absl::Status {
    auto it = s.agents.find(id);
    if (it == s.agents.end()) return NotFound("agent", id);
    for (const auto& [tid, t] : s.teams) {
      if (t.team.lead == id || t.team.manager == id) {
        return absl::FailedPreconditionError(
            absl::StrCat("agent ", common::Excerpt(id),
                         " leads or manages team \"", tid, "\""));
      }
    }
    s.agents.erase(it);
    ++s.revision;
    return absl::OkStatus();
  });
}

absl::StatusOr<AgentRecord> FakeEscalationStore::SetAvailability(
    const std::string& id, Availability availability, absl::Time now) {
  absl::MutexLock lock(&mu_);
  CXDESK_RETURN_IF_ERROR(Unit([&](State& s) -> absl::Status {
    auto it = s.agents.find(id);
    if (it == s.agents.end()) return NotFound("agent", id);
    it->second.agent.availability = availability;
    ++it->second.version;
    it->second.update_time = now;
    ++s.revision;
    return absl::OkStatus();
  }));
  return WithLoad(state_, state_.agents.at(id));
}

// ---- rules ----

absl::StatusOr<RuleRecord> FakeEscalationStore::CreateRule(
    const RuleRecord& rule, absl::Time now) {
  absl::MutexLock lock(&mu_);
  CXDESK_RETURN_IF_ERROR(Unit([&](State& s) -> absl::Status {
    if (s.rules.count(rule.rule.id) != 0) return Duplicate();
    RuleRecord r = rule;
    r.version = 1;
    r.update_time = now;
    s.rules[r.rule.id] = r;
    ++s.revision;
    return absl::OkStatus();
  }));
  return state_.rules.at(rule.rule.id);
}

absl::StatusOr<RuleRecord> FakeEscalationStore::GetRule(const std::string& id) {
  absl::MutexLock lock(&mu_);
  auto it = state_.rules.find(id);
  if (it == state_.rules.end()) return NotFound("routing rule", id);
  return it->second;
}

absl::StatusOr<std::vector<RuleRecord>> FakeEscalationStore::ListRules(
    int offset, int limit) {
  absl::MutexLock lock(&mu_);
  return Slice(RulesInOrder(state_), offset, limit);
}

absl::StatusOr<RuleRecord> FakeEscalationStore::UpdateRule(
    const RuleRecord& rule, int64_t expected_version, absl::Time now) {
  absl::MutexLock lock(&mu_);
  CXDESK_RETURN_IF_ERROR(Unit([&](State& s) -> absl::Status {
    auto it = s.rules.find(rule.rule.id);
    CXDESK_RETURN_IF_ERROR(CheckVersion(
        it != s.rules.end(), it != s.rules.end() ? it->second.version : 0,
        expected_version, "routing rule", rule.rule.id));
    RuleRecord r = rule;
    r.version = it->second.version + 1;
    r.update_time = now;
    it->second = r;
    ++s.revision;
    return absl::OkStatus();
  }));
  return state_.rules.at(rule.rule.id);
}

absl::Status FakeEscalationStore::DeleteRule(const std::string& id) {
  absl::MutexLock lock(&mu_);
  return Unit([&](State& s) -> absl::Status {
    if (s.rules.erase(id) == 0) return NotFound("routing rule", id);
    ++s.revision;
    return absl::OkStatus();
  });
}

// ---- ladders ----

absl::StatusOr<LadderRecord> FakeEscalationStore::SetLadder(
    const Ladder& ladder, std::optional<int64_t> expected, absl::Time now) {
  absl::MutexLock lock(&mu_);
  CXDESK_RETURN_IF_ERROR(Unit([&](State& s) -> absl::Status {
    auto it = s.ladders.find(ladder.metric);
    if (expected.has_value()) {
      CXDESK_RETURN_IF_ERROR(CheckVersion(
          it != s.ladders.end(), it != s.ladders.end() ? it->second.version : 0,
          expected, "ladder", ladder.metric));
    }
    LadderRecord r;
    r.ladder = ladder;
    r.version = it == s.ladders.end() ? 1 : it->second.version + 1;
    r.update_time = now;
    s.ladders[ladder.metric] = r;
    ++s.revision;
    return absl::OkStatus();
  }));
  return state_.ladders.at(ladder.metric);
}

absl::StatusOr<LadderRecord> FakeEscalationStore::GetLadder(
    const std::string& metric) {
  absl::MutexLock lock(&mu_);
  auto it = state_.ladders.find(metric);
  if (it == state_.ladders.end()) {
    return absl::NotFoundError(
        absl::StrCat("no escalation ladder for metric ", metric));
  }
  return it->second;
}

absl::StatusOr<std::vector<LadderRecord>> FakeEscalationStore::ListLadders() {
  absl::MutexLock lock(&mu_);
  std::vector<LadderRecord> out;
  for (const auto& [metric, l] : state_.ladders) out.push_back(l);
  return out;
}

absl::Status FakeEscalationStore::DeleteLadder(const std::string& metric) {
  absl::MutexLock lock(&mu_);
  return Unit([&](State& s) -> absl::Status {
    if (s.ladders.erase(metric) == 0) {
      return absl::NotFoundError(
          absl::StrCat("no escalation ladder for metric ", metric));
    }
    ++s.revision;
    return absl::OkStatus();
  });
}

absl::StatusOr<Directory> FakeEscalationStore::LoadDirectory() {
  absl::MutexLock lock(&mu_);
  Directory d;
  d.revision = state_.revision;
  for (const auto& [id, t] : state_.teams) d.teams.push_back(t);
  for (const auto& [id, a] : state_.agents) d.agents.push_back(a.agent);
  for (const RuleRecord& r : RulesInOrder(state_)) d.rules.push_back(r.rule);
  for (const auto& [metric, l] : state_.ladders) d.ladders.push_back(l.ladder);
  return d;
}

absl::StatusOr<int64_t> FakeEscalationStore::ConfigRevision() {
  absl::MutexLock lock(&mu_);
  return state_.revision;
}

// ---- units of work ----

absl::Status FakeEscalationStore::Run(
    const std::function<absl::Status(EscalationTxn&)>& work) {
  absl::MutexLock lock(&mu_);
  return Unit([&](State& s) {
    FakeTxn txn(s);
    return work(txn);
  });
}

absl::StatusOr<std::string> FakeEscalationStore::ReadCursor(
    const std::string& consumer) {
  absl::MutexLock lock(&mu_);
  auto it = state_.cursors.find(consumer);
  return it == state_.cursors.end() ? "" : it->second;
}

absl::StatusOr<int> FakeEscalationStore::FireDueTimers(
    absl::Time now, int limit, const std::string& replica,
    const std::function<absl::Status(EscalationTxn&, const DueTimer&)>& fire) {
  absl::MutexLock lock(&mu_);
  int claimed = 0;
  CXDESK_RETURN_IF_ERROR(Unit([&](State& s) -> absl::Status {
    claimed = 0;
    std::vector<DueTimer> due;
    for (const auto& [id, t] : s.timers) {
      if (t.fired_at.has_value() || t.due > now) continue;
      const auto& [ticket, metric, cycle, level] = id;
      due.push_back(DueTimer{CycleKey{ticket, metric, cycle}, level, t.due});
    }
    std::stable_sort(
        due.begin(), due.end(),
        [](const DueTimer& a, const DueTimer& b) { return a.due < b.due; });
    if (static_cast<int>(due.size()) > limit) due.resize(limit);
    FakeTxn txn(s);
    for (const DueTimer& t : due) {
      CXDESK_RETURN_IF_ERROR(fire(txn, t));
      Timer& stored =
          s.timers[{t.key.ticket_id, t.key.metric, t.key.cycle, t.level}];
      stored.fired_at = now;
      stored.fired_by = replica;
      ++claimed;
    }
    return absl::OkStatus();
  }));
  return claimed;
}

absl::StatusOr<std::optional<absl::Time>> FakeEscalationStore::NextTimerDue() {
  absl::MutexLock lock(&mu_);
  std::optional<absl::Time> next;
  for (const auto& [id, t] : state_.timers) {
    if (!t.fired_at.has_value() && (!next.has_value() || t.due < *next)) {
      next = t.due;
    }
  }
  return next;
}

absl::StatusOr<int> FakeEscalationStore::PerformDueActions(
    absl::Time now, int limit,
    const std::function<void(ActionRecord&)>& perform) {
  absl::MutexLock lock(&mu_);
  int claimed = 0;
  CXDESK_RETURN_IF_ERROR(Unit([&](State& s) -> absl::Status {
    std::vector<int64_t> ids;
    for (const auto& [id, a] : s.actions) {
      if (a.state == ActionRecord::State::kPending && a.next_attempt <= now) {
        ids.push_back(id);
      }
    }
    // Escalation steps first, then routing; each oldest first.
    std::stable_sort(ids.begin(), ids.end(), [&](int64_t a, int64_t b) {
      return (s.actions[a].escalation_id == 0) <
             (s.actions[b].escalation_id == 0);
    });
    if (static_cast<int>(ids.size()) > limit) ids.resize(limit);
    claimed = static_cast<int>(ids.size());
    for (int64_t id : ids) {
      ActionRecord a = s.actions[id];
      auto t = s.tickets.find(a.ticket_id);
      a.ticket_open = t == s.tickets.end() || t->second.Open();
      a.ticket_assignee = t == s.tickets.end() ? "" : t->second.assignee;
      perform(a);
      ActionRecord& stored = s.actions[id];
      stored.state = a.state;
      stored.attempts = a.attempts;
      stored.next_attempt = a.next_attempt;
      stored.detail = a.detail;
      stored.error = a.error;
      stored.done_time = a.done_time;
    }
    return absl::OkStatus();
  }));
  return claimed;
}

absl::StatusOr<std::optional<absl::Time>> FakeEscalationStore::NextActionDue() {
  absl::MutexLock lock(&mu_);
  std::optional<absl::Time> next;
  for (const auto& [id, a] : state_.actions) {
    if (a.state == ActionRecord::State::kPending &&
        (!next.has_value() || a.next_attempt < *next)) {
      next = a.next_attempt;
    }
  }
  return next;
}

absl::StatusOr<bool> FakeEscalationStore::PerformNextDelivery(
    absl::Time now,
    const std::function<void(DeliveryRecord&, const std::string&)>& perform) {
  absl::MutexLock lock(&mu_);
  bool found = false;
  CXDESK_RETURN_IF_ERROR(Unit([&](State& s) -> absl::Status {
    const DeliveryRecord* next = nullptr;
    for (const auto& [id, d] : s.deliveries) {
      if (d.state != DeliveryRecord::State::kPending || d.next_attempt > now) {
        continue;
      }
      if (next == nullptr || d.next_attempt < next->next_attempt) next = &d;
    }
    found = next != nullptr;
    if (!found) return absl::OkStatus();
    DeliveryRecord d = *next;
    auto team = s.teams.find(d.team);
    perform(d, team == s.teams.end() ? "" : team->second.webhook_secret);
    DeliveryRecord& stored = s.deliveries[d.id];
    stored.state = d.state;
    stored.attempts = d.attempts;
    stored.last_status_code = d.last_status_code;
    stored.last_error = d.last_error;
    stored.next_attempt = d.next_attempt;
    stored.deliver_time = d.deliver_time;
    return absl::OkStatus();
  }));
  return found;
}

absl::StatusOr<std::optional<absl::Time>>
FakeEscalationStore::NextDeliveryDue() {
  absl::MutexLock lock(&mu_);
  std::optional<absl::Time> next;
  for (const auto& [id, d] : state_.deliveries) {
    if (d.state == DeliveryRecord::State::kPending &&
        (!next.has_value() || d.next_attempt < *next)) {
      next = d.next_attempt;
    }
  }
  return next;
}

absl::StatusOr<std::vector<DeliveryRecord>> FakeEscalationStore::ListDeliveries(
    const std::string& team, std::optional<DeliveryRecord::State> state,
    int64_t before_id, int limit) {
  absl::MutexLock lock(&mu_);
  std::vector<DeliveryRecord> out;
  for (auto it = state_.deliveries.rbegin(); it != state_.deliveries.rend();
       ++it) {
    const DeliveryRecord& d = it->second;
    if (static_cast<int>(out.size()) >= limit) break;
    if ((!team.empty() && d.team != team) ||
        (state.has_value() && d.state != *state) ||
        (before_id != 0 && d.id >= before_id)) {
      continue;
    }
    out.push_back(d);
  }
  return out;
}

// ---- queries ----

absl::StatusOr<std::vector<Decision>> FakeEscalationStore::ListDecisions(
    int64_t ticket_id) {
  absl::MutexLock lock(&mu_);
  std::vector<Decision> out;
  for (const auto& [id, d] : state_.decisions) {
    if (d.ticket_id == ticket_id) out.push_back(d);
  }
  return out;
}

absl::StatusOr<std::vector<QueuedTicket>> FakeEscalationStore::TeamQueue(
    const std::string& team) {
  absl::MutexLock lock(&mu_);
  return QueueOf(state_, team);
}

absl::StatusOr<std::map<std::string, int>> FakeEscalationStore::OpenTickets(
    const std::vector<std::string>& agents) {
  absl::MutexLock lock(&mu_);
  return LoadsOf(state_, agents);
}

absl::StatusOr<std::optional<TicketView>> FakeEscalationStore::GetTicket(
    int64_t id) {
  absl::MutexLock lock(&mu_);
  auto it = state_.tickets.find(id);
  if (it == state_.tickets.end()) return std::optional<TicketView>();
  return std::optional<TicketView>(it->second);
}

absl::StatusOr<std::vector<EscalationRecord>>
FakeEscalationStore::ListEscalations(const EscalationQuery& q,
                                     int64_t before_id, int limit) {
  absl::MutexLock lock(&mu_);
  std::vector<EscalationRecord> out;
  for (auto it = state_.escalations.rbegin();
       it != state_.escalations.rend() && static_cast<int>(out.size()) < limit;
       ++it) {
    EscalationRecord e = WithResults(state_, it->second);
    if ((q.ticket_id != 0 && e.key.ticket_id != q.ticket_id) ||
        (!q.team.empty() && e.team != q.team) ||
        (q.level != 0 && e.level != q.level) ||
        (q.from.has_value() && e.occur_time < *q.from) ||
        (q.to.has_value() && e.occur_time >= *q.to) ||
        (q.acknowledged.has_value() && e.acknowledged != *q.acknowledged) ||
        (before_id != 0 && e.id >= before_id)) {
      continue;
    }
    out.push_back(std::move(e));
  }
  return out;
}

absl::StatusOr<EscalationRecord> FakeEscalationStore::GetEscalation(
    int64_t id) {
  absl::MutexLock lock(&mu_);
  auto it = state_.escalations.find(id);
  if (it == state_.escalations.end()) {
    return absl::NotFoundError(absl::StrCat("escalation ", id, " not found"));
  }
  return WithResults(state_, it->second);
}

absl::StatusOr<bool> FakeEscalationStore::NotifiedInCycle(
    const CycleKey& key, const std::string& who) {
  absl::MutexLock lock(&mu_);
  for (const auto& [id, n] : state_.notifications) {
    auto e = state_.escalations.find(n.escalation_id);
    if (n.recipient == who && e != state_.escalations.end() &&
        e->second.key.ticket_id == key.ticket_id &&
        e->second.key.metric == key.metric &&
        e->second.key.cycle == key.cycle) {
      return true;
    }
  }
  return false;
}

absl::StatusOr<std::vector<NotificationRecord>>
FakeEscalationStore::ListNotifications(const std::string& recipient,
                                       bool unread_only, int64_t before_id,
                                       int limit) {
  absl::MutexLock lock(&mu_);
  std::vector<NotificationRecord> out;
  for (auto it = state_.notifications.rbegin();
       it != state_.notifications.rend() &&
       static_cast<int>(out.size()) < limit;
       ++it) {
    const NotificationRecord& n = it->second;
    if (n.recipient != recipient || (unread_only && n.read) ||
        (before_id != 0 && n.id >= before_id)) {
      continue;
    }
    out.push_back(n);
  }
  return out;
}

absl::StatusOr<int> FakeEscalationStore::CountUnread(
    const std::string& recipient) {
  absl::MutexLock lock(&mu_);
  int count = 0;
  for (const auto& [id, n] : state_.notifications) {
    if (n.recipient == recipient && !n.read) ++count;
  }
  return count;
}

absl::StatusOr<int> FakeEscalationStore::MarkRead(
    const std::string& recipient, const std::vector<int64_t>& ids, bool all,
    absl::Time now) {
  absl::MutexLock lock(&mu_);
  int marked = 0;
  CXDESK_RETURN_IF_ERROR(Unit([&](State& s) -> absl::Status {
    marked = 0;
    for (auto& [id, n] : s.notifications) {
      if (n.recipient != recipient || n.read) continue;
      if (!all && std::find(ids.begin(), ids.end(), id) == ids.end()) continue;
      n.read = true;
      ++marked;
    }
    return absl::OkStatus();
  }));
  return marked;
}

absl::StatusOr<common::EventBatch<NotificationRecord>>
FakeEscalationStore::ReadNotifications(const std::string& recipient,
                                       const common::EventCursor& after,
                                       int limit) {
  absl::MutexLock lock(&mu_);
  std::vector<NotificationRecord> all;
  for (const auto& [id, n] : state_.notifications) {
    if (recipient != "*" && n.recipient != recipient) continue;
    if (std::make_pair(n.cursor.xid, n.cursor.id) <=
        std::make_pair(after.xid, after.id)) {
      continue;
    }
    all.push_back(n);
  }
  std::sort(all.begin(), all.end(),
            [](const NotificationRecord& a, const NotificationRecord& b) {
              return std::make_pair(a.cursor.xid, a.cursor.id) <
                     std::make_pair(b.cursor.xid, b.cursor.id);
            });
  common::EventBatch<NotificationRecord> batch;
  batch.events = Slice(std::move(all), 0, limit);
  return batch;
}

absl::StatusOr<Figures> FakeEscalationStore::GetFigures(absl::Time,
                                                        absl::Time) {
  return absl::UnimplementedError("FakeEscalationStore: no GetFigures");
}

}  // namespace cxdesk::escalation
