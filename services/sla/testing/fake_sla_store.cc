#include "services/sla/testing/fake_sla_store.h"

#include <algorithm>
#include <array>
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/common/status_macros.h"
#include "services/common/text.h"
#include "services/sla/business_time.h"

namespace cxdesk::sla {
namespace {

bool Finite(absl::Time t) {
  return t != absl::InfiniteFuture() && t != absl::InfinitePast();
}

// An instant as timestamptz keeps it: whole microseconds, infinite ones as
// NULL (read back as InfiniteFuture).
absl::Time Micros(absl::Time t) {
  if (!Finite(t)) return absl::InfiniteFuture();
  return absl::FromUnixMicros(absl::ToUnixMicros(t));
}

// A timer's `due` column: its due instant rounded up to the microsecond.
int64_t CeilMicros(absl::Time t) {
  const int64_t ns = absl::ToUnixNanos(t);
  return ns >= 0 ? (ns + 999) / 1000 : ns / 1000;
}

absl::Status CheckVersion(const std::optional<int64_t>& found,
                          std::optional<int64_t> expected,
                          absl::string_view what, const std::string& id) {
  if (!found.has_value()) {
    return absl::NotFoundError(
        absl::StrCat(what, " ", common::Excerpt(id), " not found"));
  }
  if (expected.has_value() && *expected != *found) {
    return absl::AbortedError(
        absl::StrCat(what, " ", common::Excerpt(id),
                     " changed since it was read (stale etag)"));
  }
  return absl::OkStatus();
}

template <typename T>
std::vector<T> Slice(std::vector<T> all, int offset, int limit) {
  const size_t from = std::min(all.size(), static_cast<size_t>(offset));
  all.erase(all.begin(), all.begin() + from);
  if (static_cast<int>(all.size()) > limit) all.resize(limit);
  return all;
}

}  // namespace

// The leases, shared with the lease objects so they may outlive the store.
struct FakeSlaStore::LeaseTable {
  absl::Mutex mu;
  std::set<int64_t> held ABSL_GUARDED_BY(mu);
  std::set<int64_t> broken ABSL_GUARDED_BY(mu);
};

class FakeSlaStore::FakeLease final : public Lease {
 public:
  FakeLease(std::shared_ptr<LeaseTable> table, int64_t key)
      : table_(std::move(table)), key_(key) {}
  ~FakeLease() override {
    absl::MutexLock lock(&table_->mu);
    table_->held.erase(key_);
    table_->broken.erase(key_);
  }
  bool Alive() override {
    absl::MutexLock lock(&table_->mu);
    return table_->broken.count(key_) == 0;
  }

 private:
  const std::shared_ptr<LeaseTable> table_;
  const int64_t key_;
};

FakeSlaStore::FakeSlaStore(const common::Clock& clock,
                           common::ChangeCounter* events,
                           common::ChangeCounter* timers)
    : clock_(clock),
      event_counter_(events),
      timer_counter_(timers),
      leases_(std::make_shared<LeaseTable>()) {}

FakeSlaStore::~FakeSlaStore() = default;

absl::Status FakeSlaStore::Enter(const char* method) {
  ++calls_[method];
  if (failures_.empty()) return absl::OkStatus();
  absl::Status failure = std::move(failures_.front());
  failures_.pop_front();
  return failure;
}

void FakeSlaStore::Announce(const Written& written) {
  if (written.events && event_counter_ != nullptr) event_counter_->Bump();
  if (written.armed && timer_counter_ != nullptr) timer_counter_->Bump();
}

// ---- configuration ----

absl::StatusOr<CalendarRecord> FakeSlaStore::ReadCalendar(
    const CalendarRecord& stored) const {
  // As read back from the rows: hours by weekday and start, holidays by
  // day, the calendar rebuilt by MakeCalendar.
  CalendarRecord r = stored;
  std::array<std::vector<BusinessInterval>, 7> week = stored.calendar.week;
  for (auto& day : week) {
    std::sort(day.begin(), day.end(),
              [](const BusinessInterval& a, const BusinessInterval& b) {
                return a.start_minute < b.start_minute;
              });
  }
  std::vector<Holiday> holidays = stored.calendar.holidays;
  std::stable_sort(
      holidays.begin(), holidays.end(),
      [](const Holiday& a, const Holiday& b) { return a.day < b.day; });
  absl::StatusOr<Calendar> calendar =
      MakeCalendar(stored.calendar.name, stored.calendar.time_zone,
                   std::move(week), std::move(holidays));
  if (!calendar.ok()) {
    return absl::DataLossError(
        absl::StrCat("stored calendar ", common::Excerpt(stored.calendar.name),
                     " is unusable: ", calendar.status().message()));
  }
  r.calendar = *std::move(calendar);
  return r;
}

absl::StatusOr<CalendarRecord> FakeSlaStore::CreateCalendar(
    const CalendarRecord& record, absl::Time now) {
  absl::MutexLock writer(&write_mu_);
  absl::MutexLock lock(&mu_);
  CXDESK_RETURN_IF_ERROR(Enter("CreateCalendar"));
  const std::string& id = record.calendar.name;
  if (state_.calendars.count(id) > 0) {
    return absl::AlreadyExistsError("already exists");
  }
  CalendarRecord stored = record;
  stored.version = 1;
  stored.create_time = stored.update_time = Micros(now);
  CXDESK_ASSIGN_OR_RETURN(CalendarRecord read, ReadCalendar(stored));
  state_.calendars[id] = std::move(stored);
  ++state_.revision;
  return read;
}

absl::StatusOr<CalendarRecord> FakeSlaStore::GetCalendar(
    const std::string& id) {
  absl::MutexLock lock(&mu_);
  CXDESK_RETURN_IF_ERROR(Enter("GetCalendar"));
  auto it = state_.calendars.find(id);
  if (it == state_.calendars.end()) {
    return absl::NotFoundError(
        absl::StrCat("calendar ", common::Excerpt(id), " not found"));
  }
  return ReadCalendar(it->second);
}

absl::StatusOr<std::vector<CalendarRecord>> FakeSlaStore::ListCalendars(
    int offset, int limit) {
  absl::MutexLock lock(&mu_);
  CXDESK_RETURN_IF_ERROR(Enter("ListCalendars"));
  std::vector<CalendarRecord> all;
  for (const auto& [id, stored] : state_.calendars) {
    CXDESK_ASSIGN_OR_RETURN(CalendarRecord r, ReadCalendar(stored));
    all.push_back(std::move(r));
  }
  return Slice(std::move(all), offset, limit);
}

absl::StatusOr<CalendarRecord> FakeSlaStore::UpdateCalendar(
    const CalendarRecord& record, int64_t expected_version, absl::Time now) {
  absl::MutexLock writer(&write_mu_);
  absl::MutexLock lock(&mu_);
  CXDESK_RETURN_IF_ERROR(Enter("UpdateCalendar"));
  const std::string& id = record.calendar.name;
  auto it = state_.calendars.find(id);
  CXDESK_RETURN_IF_ERROR(CheckVersion(
      it == state_.calendars.end() ? std::nullopt
                                   : std::optional<int64_t>(it->second.version),
      expected_version, "calendar", id));
  CalendarRecord stored = record;
  stored.version = it->second.version + 1;
  stored.create_time = it->second.create_time;
  stored.update_time = Micros(now);
  CXDESK_ASSIGN_OR_RETURN(CalendarRecord read, ReadCalendar(stored));
  it->second = std::move(stored);
  ++state_.revision;
  return read;
}

absl::Status FakeSlaStore::DeleteCalendar(
    const std::string& id, std::optional<int64_t> expected_version) {
  absl::MutexLock writer(&write_mu_);
  absl::MutexLock lock(&mu_);
  CXDESK_RETURN_IF_ERROR(Enter("DeleteCalendar"));
  auto it = state_.calendars.find(id);
  CXDESK_RETURN_IF_ERROR(CheckVersion(
      it == state_.calendars.end() ? std::nullopt
                                   : std::optional<int64_t>(it->second.version),
      expected_version, "calendar", id));
  for (const auto& [policy_id, p] : state_.policies) {
    for (const auto& [priority, by_metric] : p.policy.targets) {
      for (const auto& [metric, spec] : by_metric) {
        if (spec.calendar == id) {
          return absl::FailedPreconditionError(absl::StrCat(
              "calendar ", common::Excerpt(id), " is used by a policy target"));
        }
      }
    }
  }
  for (const auto& [key, m] : state_.measurements) {
    if (m.calendar_id == id &&
        (m.state == ClockState::kRunning || m.state == ClockState::kPaused)) {
      return absl::FailedPreconditionError(absl::StrCat(
          "calendar ", common::Excerpt(id), " is used by an open clock"));
    }
  }
  state_.calendars.erase(it);
  ++state_.revision;
  return absl::OkStatus();
}

absl::Status FakeSlaStore::CheckSingleDefault(const State& s,
                                              const Policy& p) const {
  if (!p.is_default) return absl::OkStatus();
  for (const auto& [id, other] : s.policies) {
    if (other.policy.is_default && id != p.name) {
      return absl::FailedPreconditionError(
          absl::StrCat("is_default: policy ", common::Excerpt(id),
                       " is already the default"));
    }
  }
  return absl::OkStatus();
}

absl::Status FakeSlaStore::CheckTargetsKnown(const State& s,
                                             const Policy& p) const {
  // The foreign key of sla.policy_targets, as PgPool maps its violation.
  for (const auto& [priority, by_metric] : p.targets) {
    for (const auto& [metric, spec] : by_metric) {
      if (s.calendars.count(spec.calendar) == 0) {
        return absl::FailedPreconditionError(
            "the change violates a constraint");
      }
    }
  }
  return absl::OkStatus();
}

std::vector<PolicyRecord> FakeSlaStore::PoliciesInOrder(const State& s) const {
  std::vector<PolicyRecord> all;
  for (const auto& [id, p] : s.policies) all.push_back(p);
  std::sort(all.begin(), all.end(),
            [](const PolicyRecord& a, const PolicyRecord& b) {
              return std::make_tuple(a.policy.is_default, a.policy.position,
                                     a.policy.name) <
                     std::make_tuple(b.policy.is_default, b.policy.position,
                                     b.policy.name);
            });
  return all;
}

absl::StatusOr<PolicyRecord> FakeSlaStore::CreatePolicy(
    const PolicyRecord& record, absl::Time now) {
  absl::MutexLock writer(&write_mu_);
  absl::MutexLock lock(&mu_);
  CXDESK_RETURN_IF_ERROR(Enter("CreatePolicy"));
  CXDESK_RETURN_IF_ERROR(CheckSingleDefault(state_, record.policy));
  if (state_.policies.count(record.policy.name) > 0) {
    return absl::AlreadyExistsError("already exists");
  }
  CXDESK_RETURN_IF_ERROR(CheckTargetsKnown(state_, record.policy));
  PolicyRecord stored = record;
  stored.version = 1;
  stored.create_time = stored.update_time = Micros(now);
  state_.policies[stored.policy.name] = stored;
  ++state_.revision;
  return stored;
}

absl::StatusOr<PolicyRecord> FakeSlaStore::GetPolicy(const std::string& id) {
  absl::MutexLock lock(&mu_);
  CXDESK_RETURN_IF_ERROR(Enter("GetPolicy"));
  auto it = state_.policies.find(id);
  if (it == state_.policies.end()) {
    return absl::NotFoundError(
        absl::StrCat("policy ", common::Excerpt(id), " not found"));
  }
  return it->second;
}

absl::StatusOr<std::vector<PolicyRecord>> FakeSlaStore::ListPolicies(
    int offset, int limit) {
  absl::MutexLock lock(&mu_);
  CXDESK_RETURN_IF_ERROR(Enter("ListPolicies"));
  return Slice(PoliciesInOrder(state_), offset, limit);
}

absl::StatusOr<PolicyRecord> FakeSlaStore::UpdatePolicy(
    const PolicyRecord& record, int64_t expected_version, absl::Time now) {
  absl::MutexLock writer(&write_mu_);
  absl::MutexLock lock(&mu_);
  CXDESK_RETURN_IF_ERROR(Enter("UpdatePolicy"));
  const std::string& id = record.policy.name;
  auto it = state_.policies.find(id);
  CXDESK_RETURN_IF_ERROR(CheckVersion(
      it == state_.policies.end() ? std::nullopt
                                  : std::optional<int64_t>(it->second.version),
      expected_version, "policy", id));
  CXDESK_RETURN_IF_ERROR(CheckSingleDefault(state_, record.policy));
  CXDESK_RETURN_IF_ERROR(CheckTargetsKnown(state_, record.policy));
  PolicyRecord stored = record;
  stored.version = it->second.version + 1;
  stored.create_time = it->second.create_time;
  stored.update_time = Micros(now);
  it->second = stored;
  ++state_.revision;
  return stored;
}

absl::Status FakeSlaStore::DeletePolicy(
    const std::string& id, std::optional<int64_t> expected_version) {
  absl::MutexLock writer(&write_mu_);
  absl::MutexLock lock(&mu_);
  CXDESK_RETURN_IF_ERROR(Enter("DeletePolicy"));
  auto it = state_.policies.find(id);
  CXDESK_RETURN_IF_ERROR(CheckVersion(
      it == state_.policies.end() ? std::nullopt
                                  : std::optional<int64_t>(it->second.version),
      expected_version, "policy", id));
  state_.policies.erase(it);
  ++state_.revision;
  return absl::OkStatus();
}

absl::StatusOr<SlaConfig> FakeSlaStore::LoadConfig() {
  absl::MutexLock lock(&mu_);
  CXDESK_RETURN_IF_ERROR(Enter("LoadConfig"));
  SlaConfig config;
  config.revision = state_.revision;
  for (const auto& [id, stored] : state_.calendars) {
    CXDESK_ASSIGN_OR_RETURN(CalendarRecord r, ReadCalendar(stored));
    config.calendars.emplace(id, std::move(r.calendar));
  }
  for (PolicyRecord& p : PoliciesInOrder(state_)) {
    config.policies.push_back(std::move(p.policy));
  }
  return config;
}

absl::StatusOr<int64_t> FakeSlaStore::ConfigRevision() {
  absl::MutexLock lock(&mu_);
  CXDESK_RETURN_IF_ERROR(Enter("ConfigRevision"));
  return state_.revision;
}

// ---- leases and cursors ----

absl::StatusOr<std::unique_ptr<Lease>> FakeSlaStore::TryAcquireLease(
    int64_t key) {
  {
    absl::MutexLock lock(&mu_);
    CXDESK_RETURN_IF_ERROR(Enter("TryAcquireLease"));
  }
  absl::MutexLock lock(&leases_->mu);
  if (!leases_->held.insert(key).second) return std::unique_ptr<Lease>();
  return std::unique_ptr<Lease>(std::make_unique<FakeLease>(leases_, key));
}

absl::StatusOr<std::string> FakeSlaStore::ReadCursor(
    const std::string& consumer) {
  absl::MutexLock lock(&mu_);
  CXDESK_RETURN_IF_ERROR(Enter("ReadCursor"));
  auto it = state_.cursors.find(consumer);
  return it == state_.cursors.end() ? "" : it->second;
}

// ---- clocks ----

bool FakeSlaStore::SyncTimers(
    State& s, const std::map<int64_t, std::vector<TimerSpec>>& wanted) const {
  std::map<int64_t, std::vector<TimerSpec>> missing = wanted;
  for (auto it = s.timers.begin(); it != s.timers.end();) {
    const TimerRow& row = it->second;
    auto want = missing.find(row.timer.ticket_id);
    if (row.fired || want == missing.end()) {
      ++it;
      continue;
    }
    auto match =
        std::find(want->second.begin(), want->second.end(), row.timer.spec);
    if (match == want->second.end()) {
      it = s.timers.erase(it);  // No longer armed: deleted, as in SQL.
    } else {
      want->second.erase(match);
      ++it;
    }
  }
  bool armed = false;
  for (const auto& [ticket_id, specs] : missing) {
    for (const TimerSpec& spec : specs) {
      TimerRow row;
      row.timer.id = s.next_timer_id++;
      row.timer.ticket_id = ticket_id;
      row.timer.spec = spec;
      s.timers[row.timer.id] = row;
      armed = true;
    }
  }
  return armed;
}

FakeSlaStore::Written FakeSlaStore::WriteUpdates(
    State& s, uint64_t xid, const std::vector<ClockUpdate>& updates,
    bool full_ticket_rows) const {
  Written written;
  std::map<int64_t, std::vector<TimerSpec>> armed;
  const absl::Time record_time = Micros(clock_.Now());
  for (const ClockUpdate& u : updates) {
    const int64_t id = u.ticket.ticket_id;
    if (full_ticket_rows) {
      StoredTicket row = u.ticket;
      row.update_time = Micros(row.update_time);
      auto old = s.tickets.find(id);
      row.create_time = old != s.tickets.end() ? old->second.create_time
                                               : Micros(row.create_time);
      s.tickets[id] = std::move(row);
    } else if (auto row = s.tickets.find(id); row != s.tickets.end()) {
      row->second.state = u.ticket.state;
    }
    for (const LedgerEvent& in : u.events) {
      LedgerEvent e = in;
      e.id = s.next_event_id++;
      e.cursor = {xid, e.id};
      e.occur_time = Micros(e.occur_time);
      e.record_time = record_time;
      e.deadline = Micros(e.deadline);
      s.events[e.id] = std::move(e);
      written.events = true;
    }
    for (const Measurement& in : u.measurements) {
      Measurement m = in;
      m.started = Micros(m.started);
      m.deadline = Micros(m.deadline);
      m.ended = Micros(m.ended);
      s.measurements[{m.ticket_id, m.metric, m.cycle}] = std::move(m);
    }
    armed[id] = u.armed;
  }
  written.armed = SyncTimers(s, armed);
  return written;
}

absl::Status FakeSlaStore::ApplyChanges(
    const std::string& consumer, const std::vector<RecordedChange>& changes,
    const DecideApply& decide) {
  if (changes.empty()) return absl::OkStatus();
  Written written;
  {
    absl::MutexLock writer(&write_mu_);
    State s;  // Staged: kept only if every step succeeds.
    {
      absl::MutexLock lock(&mu_);
      CXDESK_RETURN_IF_ERROR(Enter("ApplyChanges"));
      s = state_;
    }
    const uint64_t xid = s.next_xid++;
    std::set<int64_t> recorded;
    for (const RecordedChange& change : changes) {
      if (s.changes.count(change.ticket_event_id) > 0) continue;
      RecordedChange row = change;
      row.cursor.clear();  // Not a column of sla.ticket_changes.
      s.changes[change.ticket_event_id] = std::move(row);
      recorded.insert(change.ticket_event_id);
    }
    if (!recorded.empty()) {
      std::map<int64_t, std::optional<StoredTicket>> current;
      for (const RecordedChange& change : changes) {
        auto it = s.tickets.find(change.ticket_id);
        if (it != s.tickets.end()) current[change.ticket_id] = it->second;
      }
      // Per ticket: its final row, its events in order, its latest
      // measurement per clock, its timers after the last change.
      std::map<int64_t, ClockUpdate> merged;
      std::map<int64_t, std::map<std::pair<Metric, int>, Measurement>> rows;
      for (const RecordedChange& change : changes) {
        if (recorded.count(change.ticket_event_id) == 0) continue;
        CXDESK_ASSIGN_OR_RETURN(
            std::optional<ClockUpdate> update,
            decide(change, current[change.ticket_id], s.revision));
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
        updates.push_back(std::move(update));
      }
      written = WriteUpdates(s, xid, updates, true);
    }
    s.cursors[consumer] = changes.back().cursor;
    absl::MutexLock lock(&mu_);
    state_ = std::move(s);
  }
  Announce(written);
  return absl::OkStatus();
}

absl::StatusOr<int> FakeSlaStore::FireDueTimers(absl::Time now, int limit,
                                                const std::string& replica,
                                                const DecideFire& decide) {
  int claimed = 0;
  Written written;
  {
    absl::MutexLock writer(&write_mu_);
    State s;
    {
      absl::MutexLock lock(&mu_);
      CXDESK_RETURN_IF_ERROR(Enter("FireDueTimers"));
      s = state_;
    }
    const uint64_t xid = s.next_xid++;
    // The candidates, as kClaimCandidates orders them (by due; ties by id).
    std::vector<const TimerRow*> due;
    const int64_t now_us = absl::ToUnixMicros(now);
    for (const auto& [id, row] : s.timers) {
      if (!row.fired && CeilMicros(row.timer.spec.due) <= now_us) {
        due.push_back(&row);
      }
    }
    std::stable_sort(
        due.begin(), due.end(), [](const TimerRow* a, const TimerRow* b) {
          return CeilMicros(a->timer.spec.due) < CeilMicros(b->timer.spec.due);
        });
    if (static_cast<int>(due.size()) > limit) due.resize(limit);
    std::map<int64_t, std::vector<ArmedTimer>> by_ticket;
    for (const TimerRow* row : due) {
      by_ticket[row->timer.ticket_id].push_back(row->timer);
      ++claimed;
    }
    if (claimed == 0) return 0;
    std::vector<ClockUpdate> updates;
    std::vector<std::pair<int64_t, TimerOutcome>> outcomes;
    for (const auto& [ticket_id, timers] : by_ticket) {
      auto it = s.tickets.find(ticket_id);
      if (it == s.tickets.end()) {
        for (const ArmedTimer& t : timers) {
          outcomes.emplace_back(t.id, TimerOutcome::kStale);
        }
        continue;
      }
      CXDESK_ASSIGN_OR_RETURN(FireUpdate fired,
                              decide(it->second, timers, s.revision));
      outcomes.insert(outcomes.end(), fired.outcomes.begin(),
                      fired.outcomes.end());
      updates.push_back(std::move(fired.update));
    }
    const absl::Time fired_at = Micros(clock_.Now());
    for (const auto& [id, outcome] : outcomes) {
      auto row = s.timers.find(id);
      if (row == s.timers.end()) continue;
      row->second.fired = true;
      row->second.outcome = outcome;
      row->second.fired_by = replica;
      row->second.fired_at = fired_at;
    }
    written = WriteUpdates(s, xid, updates, false);
    absl::MutexLock lock(&mu_);
    state_ = std::move(s);
  }
  Announce(written);
  return claimed;
}

absl::StatusOr<absl::Time> FakeSlaStore::NextTimerDue() {
  absl::MutexLock lock(&mu_);
  CXDESK_RETURN_IF_ERROR(Enter("NextTimerDue"));
  absl::Time next = absl::InfiniteFuture();
  for (const auto& [id, row] : state_.timers) {
    if (!row.fired) next = std::min(next, row.timer.spec.due);
  }
  return next;
}

// ---- queries ----

absl::StatusOr<StoredTicket> FakeSlaStore::GetTicket(int64_t ticket_id) {
  absl::MutexLock lock(&mu_);
  CXDESK_RETURN_IF_ERROR(Enter("GetTicket"));
  auto it = state_.tickets.find(ticket_id);
  if (it == state_.tickets.end()) {
    return absl::NotFoundError(
        absl::StrCat("the SLA service has not seen ticket ", ticket_id));
  }
  return it->second;
}

absl::StatusOr<std::vector<LedgerEvent>> FakeSlaStore::ListEvents(
    const EventFilter& filter, int64_t after_id, int limit) {
  absl::MutexLock lock(&mu_);
  CXDESK_RETURN_IF_ERROR(Enter("ListEvents"));
  std::vector<LedgerEvent> out;
  for (auto it = state_.events.upper_bound(after_id);
       it != state_.events.end() && static_cast<int>(out.size()) < limit;
       ++it) {
    const LedgerEvent& e = it->second;
    if (filter.ticket_id != 0 && e.ticket_id != filter.ticket_id) continue;
    if (!filter.kinds.empty() &&
        std::find(filter.kinds.begin(), filter.kinds.end(), e.kind) ==
            filter.kinds.end()) {
      continue;
    }
    if (filter.metric.has_value() && e.metric != *filter.metric) continue;
    if (Finite(filter.start) && e.occur_time < Micros(filter.start)) continue;
    if (Finite(filter.end) && e.occur_time >= Micros(filter.end)) continue;
    out.push_back(e);
  }
  return out;
}

absl::StatusOr<std::vector<BreachRecord>> FakeSlaStore::ListBreaches(
    const BreachFilter& filter, int64_t after_id, int limit) {
  absl::MutexLock lock(&mu_);
  CXDESK_RETURN_IF_ERROR(Enter("ListBreaches"));
  std::optional<std::pair<absl::Time, int64_t>> before;
  if (after_id > 0) {
    auto it = state_.events.find(after_id);
    // SQL compares with the previous page's last breach; a missing one
    // compares as NULL and matches nothing.
    if (it == state_.events.end()) return std::vector<BreachRecord>();
    before = std::make_pair(it->second.occur_time, after_id);
  }
  std::vector<BreachRecord> out;
  for (const auto& [id, e] : state_.events) {
    if (e.kind != SlaTransition::Kind::kBreached) continue;
    auto m = state_.measurements.find({e.ticket_id, e.metric, e.cycle});
    if (m == state_.measurements.end()) continue;  // An inner join.
    const ClockState state = m->second.state;
    if (Finite(filter.start) && e.occur_time < Micros(filter.start)) continue;
    if (Finite(filter.end) && e.occur_time >= Micros(filter.end)) continue;
    if (!filter.team.empty() && e.team != filter.team) continue;
    if (!filter.assignee.empty() && e.assignee != filter.assignee) continue;
    if (filter.metric.has_value() && e.metric != *filter.metric) continue;
    if (!filter.priority.empty() && e.priority != filter.priority) continue;
    if (filter.open_only && state != ClockState::kRunning &&
        state != ClockState::kPaused) {
      continue;
    }
    if (before.has_value() && !(std::make_pair(e.occur_time, e.id) < *before)) {
      continue;
    }
    BreachRecord b;
    b.event = e;
    b.state = state;
    if (state == ClockState::kMet) b.met_time = m->second.ended;
    out.push_back(std::move(b));
  }
  std::sort(out.begin(), out.end(),
            [](const BreachRecord& a, const BreachRecord& b) {
              return std::make_pair(a.event.occur_time, a.event.id) >
                     std::make_pair(b.event.occur_time, b.event.id);
            });
  if (static_cast<int>(out.size()) > limit) out.resize(limit);
  return out;
}

absl::StatusOr<common::EventBatch<LedgerEvent>> FakeSlaStore::ReadEvents(
    const common::EventCursor& after, int limit) {
  absl::MutexLock lock(&mu_);
  CXDESK_RETURN_IF_ERROR(Enter("ReadEvents"));
  // Every call commits before it returns: nothing is ever held back.
  common::EventBatch<LedgerEvent> batch;
  std::vector<LedgerEvent> all;
  for (const auto& [id, e] : state_.events) {
    if (std::make_pair(e.cursor.xid, e.cursor.id) >
        std::make_pair(after.xid, after.id)) {
      all.push_back(e);
    }
  }
  std::sort(all.begin(), all.end(),
            [](const LedgerEvent& a, const LedgerEvent& b) {
              return std::make_pair(a.cursor.xid, a.cursor.id) <
                     std::make_pair(b.cursor.xid, b.cursor.id);
            });
  if (static_cast<int>(all.size()) > limit) all.resize(limit);
  batch.events = std::move(all);
  return batch;
}

absl::StatusOr<Report> FakeSlaStore::BuildSlaReport(
    absl::Time start, absl::Time end, const std::vector<Dimension>& group_by) {
  absl::MutexLock lock(&mu_);
  CXDESK_RETURN_IF_ERROR(Enter("BuildSlaReport"));
  std::vector<Measurement> measurements;
  for (const auto& [key, m] : state_.measurements) measurements.push_back(m);
  std::map<int64_t, int> csat;
  for (const auto& [id, t] : state_.tickets) {
    if (t.csat.has_value()) csat[id] = *t.csat;
  }
  return BuildReport(measurements, csat, Micros(start), Micros(end), group_by);
}

absl::StatusOr<std::vector<std::vector<RecordedChange>>>
FakeSlaStore::LoadChangesForReplay(absl::Time start, absl::Time end) {
  absl::MutexLock lock(&mu_);
  CXDESK_RETURN_IF_ERROR(Enter("LoadChangesForReplay"));
  std::set<int64_t> tickets;
  for (const auto& [id, c] : state_.changes) {
    const absl::Time at = Micros(c.change.at);
    if (at >= Micros(start) && at < Micros(end)) tickets.insert(c.ticket_id);
  }
  std::map<int64_t, std::vector<RecordedChange>> by_ticket;
  for (const auto& [id, c] : state_.changes) {
    if (tickets.count(c.ticket_id) > 0) by_ticket[c.ticket_id].push_back(c);
  }
  std::vector<std::vector<RecordedChange>> out;
  for (auto& [id, changes] : by_ticket) out.push_back(std::move(changes));
  return out;
}

// ---- for tests ----

void FakeSlaStore::FailNext(absl::Status status) {
  absl::MutexLock lock(&mu_);
  failures_.push_back(std::move(status));
}

void FakeSlaStore::BreakLease(int64_t key) {
  absl::MutexLock lock(&leases_->mu);
  if (leases_->held.count(key) > 0) leases_->broken.insert(key);
}

int FakeSlaStore::calls(const std::string& method) const {
  absl::MutexLock lock(&mu_);
  auto it = calls_.find(method);
  return it == calls_.end() ? 0 : it->second;
}

std::vector<LedgerEvent> FakeSlaStore::events() const {
  absl::MutexLock lock(&mu_);
  std::vector<LedgerEvent> out;
  for (const auto& [id, e] : state_.events) out.push_back(e);
  return out;
}

std::vector<RecordedChange> FakeSlaStore::changes() const {
  absl::MutexLock lock(&mu_);
  std::vector<RecordedChange> out;
  for (const auto& [id, c] : state_.changes) out.push_back(c);
  return out;
}

std::vector<FakeSlaStore::TimerRow> FakeSlaStore::timers() const {
  absl::MutexLock lock(&mu_);
  std::vector<TimerRow> out;
  for (const auto& [id, row] : state_.timers) out.push_back(row);
  return out;
}

std::vector<ArmedTimer> FakeSlaStore::armed_timers() const {
  absl::MutexLock lock(&mu_);
  std::vector<ArmedTimer> out;
  for (const auto& [id, row] : state_.timers) {
    if (!row.fired) out.push_back(row.timer);
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const ArmedTimer& a, const ArmedTimer& b) {
                     return a.spec.due < b.spec.due;
                   });
  return out;
}

std::vector<Measurement> FakeSlaStore::measurements() const {
  absl::MutexLock lock(&mu_);
  std::vector<Measurement> out;
  for (const auto& [key, m] : state_.measurements) out.push_back(m);
  return out;
}

}  // namespace cxdesk::sla
