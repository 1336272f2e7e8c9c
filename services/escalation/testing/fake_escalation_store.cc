#include "services/escalation/testing/fake_escalation_store.h"

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/common/status_macros.h"
#include "services/common/text.h"
#include "services/escalation/testing/fake_escalation_internal.h"

namespace cxdesk::escalation {

using fake_internal::CheckSingleDefault;
using fake_internal::CheckVersion;
using fake_internal::Claimable;
using fake_internal::ClaimableAt;
using fake_internal::Duplicate;
using fake_internal::LoadsOf;
using fake_internal::NewTxn;
using fake_internal::NotFound;
using fake_internal::QueueOf;
using fake_internal::RulesInOrder;
using fake_internal::Slice;

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

FakeEscalationStore::OutboxLease FakeEscalationStore::ActionLease(
    int64_t id) const {
  absl::MutexLock lock(&mu_);
  auto it = state_.action_leases.find(id);
  return it == state_.action_leases.end() ? OutboxLease{} : it->second;
}

FakeEscalationStore::OutboxLease FakeEscalationStore::DeliveryLease(
    int64_t id) const {
  absl::MutexLock lock(&mu_);
  auto it = state_.delivery_leases.find(id);
  return it == state_.delivery_leases.end() ? OutboxLease{} : it->second;
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

}  // namespace cxdesk::escalation
