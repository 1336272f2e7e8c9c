// The units of work, the outboxes and the reads of FakeEscalationStore.

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/common/status_macros.h"
#include "services/common/text.h"
#include "services/escalation/testing/fake_escalation_internal.h"
#include "services/escalation/testing/fake_escalation_store.h"

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

// ---- units of work ----

absl::Status FakeEscalationStore::Run(
    const std::function<absl::Status(EscalationTxn&)>& work) {
  absl::MutexLock lock(&mu_);
  return Unit([&](State& s) {
    std::unique_ptr<EscalationTxn> txn = NewTxn(s);
    return work(*txn);
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
    std::unique_ptr<EscalationTxn> txn = NewTxn(s);
    for (const DueTimer& t : due) {
      CXDESK_RETURN_IF_ERROR(fire(*txn, t));
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

absl::StatusOr<std::vector<ClaimedAction>> FakeEscalationStore::ClaimDueActions(
    absl::Time now, absl::Time lease_until, int limit) {
  absl::MutexLock lock(&mu_);
  std::vector<ClaimedAction> claimed;
  CXDESK_RETURN_IF_ERROR(Unit([&](State& s) -> absl::Status {
    claimed.clear();
    std::vector<int64_t> ids;
    for (const auto& [id, a] : s.actions) {
      if (a.state == ActionRecord::State::kPending && a.next_attempt <= now &&
          Claimable(s.action_leases, id, now)) {
        ids.push_back(id);
      }
    }
    // Escalation steps first, then routing; each oldest first.
    std::stable_sort(ids.begin(), ids.end(), [&](int64_t a, int64_t b) {
      return (s.actions[a].escalation_id == 0) <
             (s.actions[b].escalation_id == 0);
    });
    if (static_cast<int>(ids.size()) > limit) ids.resize(std::max(limit, 0));
    for (int64_t id : ids) {
      OutboxLease& lease = s.action_leases[id];
      lease.until = lease_until;
      ++lease.claim;
      ClaimedAction c;
      c.action = s.actions[id];
      auto t = s.tickets.find(c.action.ticket_id);
      c.action.ticket_open = t == s.tickets.end() || t->second.Open();
      c.action.ticket_assignee = t == s.tickets.end() ? "" : t->second.assignee;
      c.claim = lease.claim;
      c.lease_until = lease_until;
      claimed.push_back(std::move(c));
    }
    return absl::OkStatus();
  }));
  return claimed;
}

absl::StatusOr<bool> FakeEscalationStore::FinishAction(int64_t claim,
                                                       const ActionRecord& a) {
  absl::MutexLock lock(&mu_);
  bool recorded = false;
  CXDESK_RETURN_IF_ERROR(Unit([&](State& s) -> absl::Status {
    auto it = s.actions.find(a.id);
    OutboxLease& lease = s.action_leases[a.id];
    recorded = it != s.actions.end() &&
               it->second.state == ActionRecord::State::kPending &&
               lease.claim == claim;
    if (!recorded) return absl::OkStatus();
    ActionRecord& stored = it->second;
    stored.state = a.state;
    stored.attempts = a.attempts;
    stored.next_attempt = a.next_attempt;
    stored.detail = a.detail;
    stored.error = a.error;
    stored.done_time = a.done_time;
    lease.until.reset();
    return absl::OkStatus();
  }));
  return recorded;
}

absl::StatusOr<std::optional<absl::Time>> FakeEscalationStore::NextActionDue() {
  absl::MutexLock lock(&mu_);
  std::optional<absl::Time> next;
  for (const auto& [id, a] : state_.actions) {
    if (a.state != ActionRecord::State::kPending) continue;
    const absl::Time at = ClaimableAt(state_.action_leases, id, a.next_attempt);
    if (!next.has_value() || at < *next) next = at;
  }
  return next;
}

absl::StatusOr<std::vector<ClaimedDelivery>>
FakeEscalationStore::ClaimDueDeliveries(absl::Time now, absl::Time lease_until,
                                        int limit) {
  absl::MutexLock lock(&mu_);
  std::vector<ClaimedDelivery> claimed;
  CXDESK_RETURN_IF_ERROR(Unit([&](State& s) -> absl::Status {
    claimed.clear();
    std::vector<int64_t> ids;
    for (const auto& [id, d] : s.deliveries) {
      if (d.state == DeliveryRecord::State::kPending && d.next_attempt <= now &&
          Claimable(s.delivery_leases, id, now)) {
        ids.push_back(id);
      }
    }
    // The oldest next attempt first, then by id.
    std::stable_sort(ids.begin(), ids.end(), [&](int64_t a, int64_t b) {
      return s.deliveries[a].next_attempt < s.deliveries[b].next_attempt;
    });
    if (static_cast<int>(ids.size()) > limit) ids.resize(std::max(limit, 0));
    for (int64_t id : ids) {
      OutboxLease& lease = s.delivery_leases[id];
      lease.until = lease_until;
      ++lease.claim;
      ClaimedDelivery c;
      c.delivery = s.deliveries[id];
      auto team = s.teams.find(c.delivery.team);
      c.secret = team == s.teams.end() ? "" : team->second.webhook_secret;
      c.claim = lease.claim;
      c.lease_until = lease_until;
      claimed.push_back(std::move(c));
    }
    return absl::OkStatus();
  }));
  return claimed;
}

absl::StatusOr<bool> FakeEscalationStore::FinishDelivery(
    int64_t claim, const DeliveryRecord& d) {
  absl::MutexLock lock(&mu_);
  bool recorded = false;
  CXDESK_RETURN_IF_ERROR(Unit([&](State& s) -> absl::Status {
    auto it = s.deliveries.find(d.id);
    OutboxLease& lease = s.delivery_leases[d.id];
    recorded = it != s.deliveries.end() &&
               it->second.state == DeliveryRecord::State::kPending &&
               lease.claim == claim;
    if (!recorded) return absl::OkStatus();
    DeliveryRecord& stored = it->second;
    stored.state = d.state;
    stored.attempts = d.attempts;
    stored.last_status_code = d.last_status_code;
    stored.last_error = d.last_error;
    stored.next_attempt = d.next_attempt;
    stored.deliver_time = d.deliver_time;
    lease.until.reset();
    return absl::OkStatus();
  }));
  return recorded;
}

absl::StatusOr<std::optional<absl::Time>>
FakeEscalationStore::NextDeliveryDue() {
  absl::MutexLock lock(&mu_);
  std::optional<absl::Time> next;
  for (const auto& [id, d] : state_.deliveries) {
    if (d.state != DeliveryRecord::State::kPending) continue;
    const absl::Time at =
        ClaimableAt(state_.delivery_leases, id, d.next_attempt);
    if (!next.has_value() || at < *next) next = at;
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

namespace {

using State = FakeEscalationStore::State;

bool InWindow(absl::Time at, absl::Time from, absl::Time to) {
  return at >= from && at < to;
}

std::vector<Figures::AgentRow> AgentFigures(const State& s, absl::Time from,
                                            absl::Time to) {
  std::vector<Figures::AgentRow> rows;
  for (const auto& [id, a] : s.agents) {
    Figures::AgentRow row;
    row.agent = id;
    row.capacity = a.agent.capacity;
    for (const auto& [did, d] : s.decisions) {
      if (d.agent == id && d.outcome == RoutingOutcome::kAssigned &&
          InWindow(d.at, from, to)) {
        ++row.assignments;
      }
    }
    const std::map<std::string, int> loads = LoadsOf(s, {id});
    row.open_tickets = loads.count(id) ? loads.at(id) : 0;
    rows.push_back(std::move(row));
  }
  return rows;
}

// Nearest rank, as the PostgreSQL store computes it.
absl::Duration Rank(const std::vector<absl::Duration>& sorted, double p) {
  if (sorted.empty()) return absl::ZeroDuration();
  size_t k = static_cast<size_t>(std::ceil(p * sorted.size()));
  k = std::clamp<size_t>(k, 1, sorted.size());
  return sorted[k - 1];
}

std::vector<Figures::TeamRow> TeamFigures(const State& s, absl::Time from,
                                          absl::Time to) {
  std::vector<Figures::TeamRow> rows;
  for (const auto& [team, record] : s.teams) {
    Figures::TeamRow row;
    row.team = team;
    std::set<int64_t> routed;
    // Per ticket queued in the window: when it was first queued.
    std::map<int64_t, absl::Time> queued;
    for (const auto& [id, d] : s.decisions) {
      if (d.team != team || !InWindow(d.at, from, to)) continue;
      if (d.trigger == RoutingTrigger::kNewTicket ||
          d.trigger == RoutingTrigger::kManual) {
        routed.insert(d.ticket_id);
      }
      if (d.outcome == RoutingOutcome::kQueued) {
        auto [it, fresh] = queued.emplace(d.ticket_id, d.at);
        if (!fresh) it->second = std::min(it->second, d.at);
      }
    }
    std::vector<absl::Duration> waited;
    for (const auto& [ticket, at] : queued) {
      std::optional<absl::Time> left;
      for (const auto& [id, x] : s.decisions) {
        if (x.ticket_id == ticket && x.team == team &&
            x.trigger == RoutingTrigger::kCapacityFreed &&
            x.outcome == RoutingOutcome::kAssigned && x.at >= at &&
            (!left.has_value() || x.at < *left)) {
          left = x.at;
        }
      }
      if (left.has_value()) waited.push_back(*left - at);
    }
    std::sort(waited.begin(), waited.end());
    row.routed = static_cast<int>(routed.size());
    row.queued = static_cast<int>(queued.size());
    row.assigned_from_queue = static_cast<int>(waited.size());
    row.queue_p50 = Rank(waited, 0.5);
    row.queue_p90 = Rank(waited, 0.9);
    row.queue_max = Rank(waited, 1.0);
    row.waiting_now = static_cast<int>(QueueOf(s, team).size());
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace

absl::StatusOr<Figures> FakeEscalationStore::GetFigures(absl::Time from,
                                                        absl::Time to) {
  absl::MutexLock lock(&mu_);
  Figures f;
  f.agents = AgentFigures(state_, from, to);
  f.teams = TeamFigures(state_, from, to);
  std::map<int, Figures::LevelRow> levels;
  for (const auto& [id, e] : state_.escalations) {
    if (!InWindow(e.occur_time, from, to)) continue;
    Figures::LevelRow& row = levels[e.level];
    row.level = e.level;
    ++(e.skipped ? row.skipped : row.ran);
    if (WithResults(state_, e).acknowledged) ++row.acknowledged;
  }
  for (const auto& [level, row] : levels) f.levels.push_back(row);
  return f;
}

}  // namespace cxdesk::escalation
