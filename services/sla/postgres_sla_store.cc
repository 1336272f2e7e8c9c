#include "services/sla/postgres_sla_store.h"

// PostgresSlaStore, part 1 of 3: the shared value encodings, the lease and
// cursor, and the two writers of clocks (ApplyChanges, FireDueTimers) with
// the rows they write. Configuration: postgres_sla_config_store.cc; the
// read side: postgres_sla_reads.cc.

#include <algorithm>
#include <map>
#include <optional>
#include <pqxx/pqxx>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/pg_values.h"
#include "services/common/postgres_consumer.h"
#include "services/common/status_macros.h"
#include "services/sla/postgres_sla_store_internal.h"
#include "services/sla/queries.h"
#include "services/sla/state_codec.h"

namespace cxdesk::sla {

namespace store_internal {

using common::PgCols;

std::string IntArray(const std::vector<std::optional<int64_t>>& values) {
  std::vector<std::string> parts;
  parts.reserve(values.size());
  for (const auto& v : values) {
    parts.push_back(v.has_value() ? absl::StrCat(*v) : "NULL");
  }
  return absl::StrCat("{", absl::StrJoin(parts, ","), "}");
}

std::string IntArray(const std::vector<int64_t>& values) {
  return absl::StrCat("{", absl::StrJoin(values, ","), "}");
}

std::string BoolArray(const std::vector<bool>& values) {
  std::string out = "{";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out.push_back(',');
    out.push_back(values[i] ? 't' : 'f');
  }
  out.push_back('}');
  return out;
}

bool Finite(absl::Time t) {
  return t != absl::InfiniteFuture() && t != absl::InfinitePast();
}

std::optional<int64_t> MicrosOrNull(absl::Time t) {
  if (!Finite(t)) return std::nullopt;
  return absl::ToUnixMicros(t);
}

std::optional<int64_t> NanosOrNull(const std::optional<absl::Duration>& d) {
  if (!d.has_value()) return std::nullopt;
  return absl::ToInt64Nanoseconds(*d);
}

absl::Time TimeOrInfinite(const std::optional<absl::Time>& t) {
  return t.value_or(absl::InfiniteFuture());
}

std::optional<absl::Duration> OptNanos(PgCols& c) {
  std::optional<int64_t> v = c.OptInt();
  if (!v.has_value()) return std::nullopt;
  return absl::Nanoseconds(*v);
}

int64_t ReadRevision(pqxx::transaction_base& txn) {
  return txn.exec_prepared1(queries::kReadRevision.name)[0].as<int64_t>();
}

absl::StatusOr<StoredTicket> ReadTicketRow(const pqxx::row& row) {
  PgCols c(row);
  StoredTicket t;
  t.ticket_id = c.Int();
  t.policy_id = c.Str();
  c.Skip(1);  // status: kept in the state's facts
  t.dims.team = c.Str();
  t.dims.assignee = c.Str();
  std::optional<int64_t> csat = c.OptInt();
  if (csat.has_value()) t.csat = static_cast<int>(*csat);
  // encode(state, 'hex') always yields valid hex.
  CXDESK_ASSIGN_OR_RETURN(t.state,
                          DecodeClocksState(absl::HexStringToBytes(c.Str())));
  t.last_event_id = c.Int();
  t.create_time = c.Time();
  t.update_time = c.Time();
  return t;
}

}  // namespace store_internal

namespace {

using common::ArrayLiteral;
using common::PgCols;
using store_internal::BoolArray;
using store_internal::IntArray;
using store_internal::MicrosOrNull;
using store_internal::NanosOrNull;
using store_internal::ReadRevision;
using store_internal::ReadTicketRow;

// ---- tickets, events, measurements, timers ----

std::string StateHex(const StoredTicket& t) {
  return absl::BytesToHexString(EncodeClocksState(t.state));
}

void UpsertTicket(pqxx::work& txn, const StoredTicket& t) {
  std::optional<int64_t> csat;
  if (t.csat.has_value()) csat = *t.csat;
  txn.exec_prepared(queries::kUpsertTicket.name, t.ticket_id, t.policy_id,
                    t.state.facts.status, t.dims.team, t.dims.assignee, csat,
                    StateHex(t), t.last_event_id,
                    absl::ToUnixMicros(t.create_time),
                    absl::ToUnixMicros(t.update_time));
}

void InsertEvents(pqxx::work& txn, const std::vector<LedgerEvent>& events) {
  if (events.empty()) return;
  std::vector<std::optional<int64_t>> ticket, cycle, occur, deadline, target,
      pause_b, pause_e, business, calendar, ticket_event;
  std::vector<std::string> kind, metric, policy, cal, actor, reason, status,
      warning, team, assignee, priority;
  std::vector<bool> met_late, overdue;
  for (const LedgerEvent& e : events) {
    ticket.push_back(e.ticket_id);
    kind.push_back(std::string(TransitionName(e.kind)));
    metric.push_back(std::string(MetricName(e.metric)));
    cycle.push_back(e.cycle);
    occur.push_back(absl::ToUnixMicros(e.occur_time));
    deadline.push_back(MicrosOrNull(e.deadline));
    policy.push_back(e.policy_id);
    cal.push_back(e.calendar_id);
    target.push_back(absl::ToInt64Nanoseconds(e.target));
    actor.push_back(e.actor);
    reason.push_back(e.reason);
    status.push_back(e.status);
    met_late.push_back(e.met_late);
    overdue.push_back(e.overdue);
    warning.push_back(e.warning.has_value() ? EncodeWarning(*e.warning) : "");
    pause_b.push_back(NanosOrNull(e.pause_business));
    pause_e.push_back(NanosOrNull(e.pause_elapsed));
    business.push_back(NanosOrNull(e.business_time));
    calendar.push_back(NanosOrNull(e.calendar_time));
    ticket_event.push_back(e.ticket_event_id);
    team.push_back(e.team);
    assignee.push_back(e.assignee);
    priority.push_back(e.priority);
  }
  txn.exec_prepared(
      queries::kInsertEvents.name, IntArray(ticket), ArrayLiteral(kind),
      ArrayLiteral(metric), IntArray(cycle), IntArray(occur),
      IntArray(deadline), ArrayLiteral(policy), ArrayLiteral(cal),
      IntArray(target), ArrayLiteral(actor), ArrayLiteral(reason),
      ArrayLiteral(status), BoolArray(met_late), BoolArray(overdue),
      ArrayLiteral(warning), IntArray(pause_b), IntArray(pause_e),
      IntArray(business), IntArray(calendar), IntArray(ticket_event),
      ArrayLiteral(team), ArrayLiteral(assignee), ArrayLiteral(priority));
}

void UpsertMeasurements(pqxx::work& txn, const std::vector<Measurement>& ms) {
  if (ms.empty()) return;
  std::vector<std::optional<int64_t>> ticket, cycle, target, started, deadline,
      ended, business, calendar;
  std::vector<std::string> metric, policy, cal, state, team, assignee, priority,
      kind, cx_level, channel;
  std::vector<bool> breached, met_late;
  for (const Measurement& m : ms) {
    ticket.push_back(m.ticket_id);
    metric.push_back(std::string(MetricName(m.metric)));
    cycle.push_back(m.cycle);
    policy.push_back(m.policy_id);
    cal.push_back(m.calendar_id);
    target.push_back(absl::ToInt64Nanoseconds(m.target));
    started.push_back(absl::ToUnixMicros(m.started));
    deadline.push_back(MicrosOrNull(m.deadline));
    ended.push_back(MicrosOrNull(m.ended));
    state.push_back(std::string(ClockStateName(m.state)));
    breached.push_back(m.breached);
    met_late.push_back(m.met_late);
    business.push_back(NanosOrNull(m.business_time));
    calendar.push_back(NanosOrNull(m.calendar_time));
    team.push_back(m.team);
    assignee.push_back(m.assignee);
    priority.push_back(m.priority);
    kind.push_back(m.kind);
    cx_level.push_back(m.cx_level);
    channel.push_back(m.channel);
  }
  txn.exec_prepared(
      queries::kUpsertMeasurements.name, IntArray(ticket), ArrayLiteral(metric),
      IntArray(cycle), ArrayLiteral(policy), ArrayLiteral(cal),
      IntArray(target), IntArray(started), IntArray(deadline), IntArray(ended),
      ArrayLiteral(state), BoolArray(breached), BoolArray(met_late),
      IntArray(business), IntArray(calendar), ArrayLiteral(team),
      ArrayLiteral(assignee), ArrayLiteral(priority), ArrayLiteral(kind),
      ArrayLiteral(cx_level), ArrayLiteral(channel));
}

const char* TimerKindName(TimerSpec::Kind kind) {
  return kind == TimerSpec::Kind::kWarning ? "warning" : "breach";
}

absl::StatusOr<ArmedTimer> ReadTimer(const pqxx::row& row) {
  PgCols c(row);
  ArmedTimer t;
  t.id = c.Int();
  t.ticket_id = c.Int();
  CXDESK_ASSIGN_OR_RETURN(t.spec.metric, ParseMetric(c.Str()));
  t.spec.cycle = static_cast<int>(c.Int());
  t.spec.kind = c.Str() == "warning" ? TimerSpec::Kind::kWarning
                                     : TimerSpec::Kind::kBreach;
  t.spec.warning = static_cast<int>(c.Int());
  t.spec.due = absl::FromUnixNanos(c.Int());
  return t;
}

// Makes the armed timers of the tickets in `wanted` exactly `wanted`: keeps
// the rows that match, deletes the others, inserts the missing. Returns
// whether it armed any.
absl::StatusOr<bool> SyncTimers(
    pqxx::work& txn, const std::map<int64_t, std::vector<TimerSpec>>& wanted) {
  if (wanted.empty()) return false;
  std::vector<int64_t> ids;
  for (const auto& [id, specs] : wanted) ids.push_back(id);
  std::map<int64_t, std::vector<TimerSpec>> missing = wanted;
  std::vector<int64_t> stale;
  for (const auto& row :
       txn.exec_prepared(queries::kArmedTimersOf.name, IntArray(ids))) {
    CXDESK_ASSIGN_OR_RETURN(ArmedTimer t, ReadTimer(row));
    std::vector<TimerSpec>& want = missing[t.ticket_id];
    auto it = std::find(want.begin(), want.end(), t.spec);
    if (it == want.end()) {
      stale.push_back(t.id);
    } else {
      want.erase(it);
    }
  }
  if (!stale.empty()) {
    txn.exec_prepared(queries::kDeleteTimers.name, IntArray(stale));
  }
  std::vector<std::optional<int64_t>> ticket, cycle, warning, due;
  std::vector<std::string> metric, kind;
  for (const auto& [id, specs] : missing) {
    for (const TimerSpec& s : specs) {
      ticket.push_back(id);
      metric.push_back(std::string(MetricName(s.metric)));
      cycle.push_back(s.cycle);
      kind.push_back(TimerKindName(s.kind));
      warning.push_back(s.warning);
      due.push_back(absl::ToUnixNanos(s.due));
    }
  }
  if (ticket.empty()) return false;
  txn.exec_prepared(queries::kInsertTimers.name, IntArray(ticket),
                    ArrayLiteral(metric), IntArray(cycle), ArrayLiteral(kind),
                    IntArray(warning), IntArray(due));
  return true;
}

// Writes what the engine decided for a set of tickets (apply: with the
// ticket rows; fire: states only). Returns whether any timer was armed.
absl::StatusOr<bool> WriteUpdates(pqxx::work& txn,
                                  const std::vector<ClockUpdate>& updates,
                                  bool full_ticket_rows) {
  std::vector<LedgerEvent> events;
  std::vector<Measurement> measurements;
  std::map<int64_t, std::vector<TimerSpec>> armed;
  std::vector<std::optional<int64_t>> state_ids;
  std::vector<std::string> states;
  for (const ClockUpdate& u : updates) {
    if (full_ticket_rows) {
      UpsertTicket(txn, u.ticket);
    } else {
      state_ids.push_back(u.ticket.ticket_id);
      states.push_back(StateHex(u.ticket));
    }
    events.insert(events.end(), u.events.begin(), u.events.end());
    measurements.insert(measurements.end(), u.measurements.begin(),
                        u.measurements.end());
    armed[u.ticket.ticket_id] = u.armed;
  }
  if (!state_ids.empty()) {
    txn.exec_prepared(queries::kUpdateTicketStates.name, IntArray(state_ids),
                      ArrayLiteral(states));
  }
  InsertEvents(txn, events);
  UpsertMeasurements(txn, measurements);
  return SyncTimers(txn, armed);
}

}  // namespace

const std::vector<common::NamedQuery>& PostgresSlaStore::PreparedQueries() {
  return queries::All();
}

// ---- clocks ----

namespace {

// Advisory-lock space of the SLA service's consumer leases.
constexpr int32_t kLeaseSpace = 3;

}  // namespace

absl::StatusOr<std::unique_ptr<Lease>> PostgresSlaStore::TryAcquireLease(
    int64_t key) {
  return common::TryAcquireConsumerLease(pool_, kLeaseSpace, key);
}

absl::StatusOr<std::string> PostgresSlaStore::ReadCursor(
    const std::string& consumer) {
  return common::ReadConsumerCursor(pool_, queries::kReadCursor.name, consumer);
}

absl::Status PostgresSlaStore::ApplyChanges(
    const std::string& consumer, const std::vector<RecordedChange>& changes,
    const DecideApply& decide) {
  if (changes.empty()) return absl::OkStatus();
  std::vector<int64_t> tickets;
  for (const RecordedChange& c : changes) tickets.push_back(c.ticket_id);
  std::sort(tickets.begin(), tickets.end());
  tickets.erase(std::unique(tickets.begin(), tickets.end()), tickets.end());
  // The batch as parallel arrays.
  std::vector<std::optional<int64_t>> event_ids, ticket_ids, at_ns, csat;
  std::vector<std::string> kinds, actors, reasons, statuses, priorities,
      ticket_kinds, cx_levels, channels, tags, emails, teams, assignees;
  for (const RecordedChange& change : changes) {
    const TicketChange& c = change.change;
    event_ids.push_back(change.ticket_event_id);
    ticket_ids.push_back(change.ticket_id);
    at_ns.push_back(absl::ToUnixNanos(c.at));
    kinds.push_back(std::string(ChangeKindName(c.kind)));
    actors.push_back(c.actor);
    reasons.push_back(c.reason);
    statuses.push_back(c.after.status);
    priorities.push_back(c.after.priority);
    ticket_kinds.push_back(c.after.kind);
    cx_levels.push_back(c.after.cx_level);
    channels.push_back(c.after.channel);
    tags.push_back(absl::StrJoin(c.after.tags, ","));
    emails.push_back(c.after.customer_email);
    teams.push_back(change.dims.team);
    assignees.push_back(change.dims.assignee);
    csat.push_back(change.csat.has_value()
                       ? std::optional<int64_t>(*change.csat)
                       : std::nullopt);
  }
  bool wrote_events = false;
  bool armed = false;
  CXDESK_RETURN_IF_ERROR(pool_.Transact([&](pqxx::work& txn) -> absl::Status {
    wrote_events = false;
    armed = false;
    // First statement: see kLockTicketKeys.
    txn.exec_prepared(queries::kLockTicketKeys.name, IntArray(tickets));
    std::set<int64_t> recorded;
    for (const auto& row : txn.exec_prepared(
             queries::kInsertChanges.name, IntArray(event_ids),
             IntArray(ticket_ids), IntArray(at_ns), ArrayLiteral(kinds),
             ArrayLiteral(actors), ArrayLiteral(reasons),
             ArrayLiteral(statuses), ArrayLiteral(priorities),
             ArrayLiteral(ticket_kinds), ArrayLiteral(cx_levels),
             ArrayLiteral(channels), ArrayLiteral(tags), ArrayLiteral(emails),
             ArrayLiteral(teams), ArrayLiteral(assignees), IntArray(csat))) {
      recorded.insert(row[0].as<int64_t>());
    }
    if (!recorded.empty()) {
      const int64_t revision = ReadRevision(txn);
      std::map<int64_t, std::optional<StoredTicket>> current;
      for (const auto& row :
           txn.exec_prepared(queries::kGetTicketRows.name, IntArray(tickets))) {
        CXDESK_ASSIGN_OR_RETURN(StoredTicket t, ReadTicketRow(row));
        const int64_t id = t.ticket_id;
        current[id] = std::move(t);
      }
      // Per ticket: its final row, its events in order, its latest
      // measurement per clock, its timers after the last change.
      std::map<int64_t, ClockUpdate> merged;
      std::map<int64_t, std::map<std::pair<Metric, int>, Measurement>> rows;
      for (const RecordedChange& change : changes) {
        if (recorded.count(change.ticket_event_id) == 0) continue;
        CXDESK_ASSIGN_OR_RETURN(
            std::optional<ClockUpdate> update,
            decide(change, current[change.ticket_id], revision));
        if (!update.has_value()) continue;
        current[change.ticket_id] = update->ticket;
        ClockUpdate& m = merged[change.ticket_id];
        m.ticket = update->ticket;
        m.armed = update->armed;
        m.events.insert(m.events.end(), update->events.begin(),
                        update->events.end());
        for (const Measurement& r : update->measurements) {
          rows[change.ticket_id][{r.metric, r.cycle}] = r;
        }
      }
      std::vector<ClockUpdate> updates;
      for (auto& [id, update] : merged) {
        for (auto& [key, r] : rows[id]) update.measurements.push_back(r);
        wrote_events = wrote_events || !update.events.empty();
        updates.push_back(std::move(update));
      }
      CXDESK_ASSIGN_OR_RETURN(armed, WriteUpdates(txn, updates, true));
    }
    txn.exec_prepared(queries::kSetCursor.name, consumer,
                      changes.back().cursor);
    return absl::OkStatus();
  }));
  if (wrote_events && event_publisher_ != nullptr) event_publisher_->Publish();
  if (armed && timer_publisher_ != nullptr) timer_publisher_->Publish();
  return absl::OkStatus();
}

absl::StatusOr<int> PostgresSlaStore::FireDueTimers(absl::Time now, int limit,
                                                    const std::string& replica,
                                                    const DecideFire& decide) {
  int claimed = 0;
  bool wrote_events = false;
  bool armed = false;
  CXDESK_RETURN_IF_ERROR(pool_.Transact([&](pqxx::work& txn) -> absl::Status {
    claimed = 0;
    wrote_events = false;
    armed = false;
    // Both steps, in this order: see kClaimCandidates.
    std::vector<int64_t> candidates;
    for (const auto& row : txn.exec_prepared(queries::kClaimCandidates.name,
                                             absl::ToUnixMicros(now), limit)) {
      candidates.push_back(row[0].as<int64_t>());
    }
    if (candidates.empty()) return absl::OkStatus();
    std::map<int64_t, std::vector<ArmedTimer>> by_ticket;
    for (const auto& row :
         txn.exec_prepared(queries::kClaimTimers.name, IntArray(candidates))) {
      CXDESK_ASSIGN_OR_RETURN(ArmedTimer t, ReadTimer(row));
      by_ticket[t.ticket_id].push_back(t);
      ++claimed;
    }
    if (claimed == 0) return absl::OkStatus();
    std::vector<std::optional<int64_t>> ids;
    for (const auto& [id, timers] : by_ticket) ids.push_back(id);
    const int64_t revision = ReadRevision(txn);
    std::map<int64_t, StoredTicket> tickets;
    for (const auto& row :
         txn.exec_prepared(queries::kGetTicketRows.name, IntArray(ids))) {
      CXDESK_ASSIGN_OR_RETURN(StoredTicket t, ReadTicketRow(row));
      const int64_t id = t.ticket_id;
      tickets.emplace(id, std::move(t));
    }
    std::vector<ClockUpdate> updates;
    std::vector<std::optional<int64_t>> timer_ids;
    std::vector<std::string> outcomes;
    for (const auto& [ticket_id, timers] : by_ticket) {
      auto it = tickets.find(ticket_id);
      if (it == tickets.end()) {
        for (const ArmedTimer& t : timers) {
          timer_ids.push_back(t.id);
          outcomes.push_back("stale");
        }
        continue;
      }
      CXDESK_ASSIGN_OR_RETURN(FireUpdate fired,
                              decide(it->second, timers, revision));
      for (const auto& [id, outcome] : fired.outcomes) {
        timer_ids.push_back(id);
        outcomes.push_back(outcome == TimerOutcome::kFired ? "fired" : "stale");
      }
      wrote_events = wrote_events || !fired.update.events.empty();
      updates.push_back(std::move(fired.update));
    }
    txn.exec_prepared(queries::kMarkTimers.name, IntArray(timer_ids),
                      ArrayLiteral(outcomes), replica);
    CXDESK_ASSIGN_OR_RETURN(armed, WriteUpdates(txn, updates, false));
    return absl::OkStatus();
  }));
  if (wrote_events && event_publisher_ != nullptr) event_publisher_->Publish();
  if (armed && timer_publisher_ != nullptr) timer_publisher_->Publish();
  return claimed;
}

absl::StatusOr<absl::Time> PostgresSlaStore::NextTimerDue() {
  absl::Time due = absl::InfiniteFuture();
  CXDESK_RETURN_IF_ERROR(pool_.Autocommit([&](pqxx::transaction_base& txn) {
    pqxx::result rows = txn.exec_prepared(queries::kNextTimerDue.name);
    if (!rows.empty()) due = absl::FromUnixNanos(rows[0][0].as<int64_t>());
    return absl::OkStatus();
  }));
  return due;
}

}  // namespace cxdesk::sla
