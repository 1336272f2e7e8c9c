#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/common/text.h"
#include "services/escalation/testing/fake_escalation_internal.h"

namespace cxdesk::escalation::fake_internal {

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

namespace {

std::map<std::string, int> Loads(const State& s) {
  std::map<std::string, int> loads;
  for (const auto& [id, t] : s.tickets) {
    if (t.Open() && !t.LoadOf().empty()) ++loads[t.LoadOf()];
  }
  return loads;
}

}  // namespace

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

// Claimable at `now`: not leased, or its lease has ended.
bool Claimable(const Leases& leases, int64_t id, absl::Time now) {
  auto it = leases.find(id);
  return it == leases.end() || !it->second.until.has_value() ||
         *it->second.until <= now;
}

// When a pending row can be claimed: its next attempt, or its lease's end
// if later.
absl::Time ClaimableAt(const Leases& leases, int64_t id,
                       absl::Time next_attempt) {
  auto it = leases.find(id);
  if (it == leases.end() || !it->second.until.has_value()) return next_attempt;
  return std::max(next_attempt, *it->second.until);
}

// The unit of work over a copy of the state.
namespace {

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
      // One a relay leases beyond `now` is its claimer's: the call may be
      // in flight.
      if (a.ticket_id == ticket_id && a.decision_id != 0 &&
          a.state == ActionRecord::State::kPending &&
          Claimable(s_.action_leases, id, now)) {
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

std::unique_ptr<EscalationTxn> NewTxn(State& s) {
  return std::make_unique<FakeTxn>(s);
}

}  // namespace cxdesk::escalation::fake_internal
