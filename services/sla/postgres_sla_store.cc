#include "services/sla/postgres_sla_store.h"

#include <algorithm>
#include <map>
#include <optional>
#include <pqxx/pqxx>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "services/common/log.h"
#include "services/common/pg_values.h"
#include "services/common/postgres_lease.h"
#include "services/common/status_macros.h"
#include "services/common/text.h"
#include "services/sla/business_time.h"
#include "services/sla/queries.h"
#include "services/sla/state_codec.h"

namespace cxdesk::sla {
namespace {

using common::ArrayLiteral;
using common::PgCols;

// ---- values ----

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

std::optional<int64_t> VersionOf(pqxx::result rows) {
  if (rows.empty()) return std::nullopt;
  return rows[0][0].as<int64_t>();
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

// ---- calendars ----

void WriteCalendarDetails(pqxx::work& txn, const CalendarRecord& r) {
  std::vector<std::optional<int64_t>> days, starts, ends;
  for (int d = 0; d < 7; ++d) {
    for (const BusinessInterval& i : r.calendar.week[d]) {
      days.push_back(d + 1);
      starts.push_back(i.start_minute);
      ends.push_back(i.end_minute);
    }
  }
  txn.exec_prepared(queries::kInsertCalendarHours.name, r.calendar.name,
                    IntArray(days), IntArray(starts), IntArray(ends));
  std::vector<std::string> dates, titles;
  std::vector<bool> yearly;
  for (const Holiday& h : r.calendar.holidays) {
    dates.push_back(absl::FormatCivilTime(h.day));
    yearly.push_back(h.yearly);
    titles.push_back(h.title);
  }
  txn.exec_prepared(queries::kInsertCalendarHolidays.name, r.calendar.name,
                    ArrayLiteral(dates), BoolArray(yearly),
                    ArrayLiteral(titles));
}

// Reads calendars (@calendar_columns@ rows) with their hours and
// holidays.
absl::StatusOr<std::vector<CalendarRecord>> ReadCalendars(
    pqxx::transaction_base& txn, const pqxx::result& rows) {
  std::vector<CalendarRecord> out;
  std::vector<std::string> ids;
  struct Raw {
    std::string tz;
    std::array<std::vector<BusinessInterval>, 7> week;
    std::vector<Holiday> holidays;
  };
  std::map<std::string, Raw> raw;
  for (const auto& row : rows) {
    PgCols c(row);
    CalendarRecord r;
    r.calendar.name = c.Str();
    raw[r.calendar.name].tz = c.Str();
    r.description = c.Str();
    r.version = c.Int();
    r.create_time = c.Time();
    r.update_time = c.Time();
    ids.push_back(r.calendar.name);
    out.push_back(std::move(r));
  }
  if (out.empty()) return out;
  for (const auto& row :
       txn.exec_prepared(queries::kCalendarHours.name, ArrayLiteral(ids))) {
    PgCols c(row);
    Raw& r = raw[c.Str()];
    const int64_t weekday = c.Int();
    BusinessInterval interval;
    interval.start_minute = static_cast<int>(c.Int());
    interval.end_minute = static_cast<int>(c.Int());
    if (weekday >= 1 && weekday <= 7) r.week[weekday - 1].push_back(interval);
  }
  for (const auto& row :
       txn.exec_prepared(queries::kCalendarHolidays.name, ArrayLiteral(ids))) {
    PgCols c(row);
    Raw& r = raw[c.Str()];
    Holiday h;
    const std::string day = c.Str();
    h.yearly = c.Bool();
    h.title = c.Str();
    if (!absl::ParseCivilTime(day, &h.day)) continue;
    r.holidays.push_back(std::move(h));
  }
  for (CalendarRecord& r : out) {
    Raw& parts = raw[r.calendar.name];
    absl::StatusOr<Calendar> calendar =
        MakeCalendar(r.calendar.name, parts.tz, std::move(parts.week),
                     std::move(parts.holidays));
    if (!calendar.ok()) {
      CXDESK_LOG(Error) << "stored calendar " << r.calendar.name
                        << " is unusable: " << calendar.status();
      return absl::DataLossError(
          absl::StrCat("stored calendar ", common::Excerpt(r.calendar.name),
                       " is unusable: ", calendar.status().message()));
    }
    r.calendar = *std::move(calendar);
  }
  return out;
}

// ---- policies ----

std::vector<std::string> WarningsText(const TargetSpec& spec) {
  std::vector<std::string> out;
  for (const WarningThreshold& w : spec.warnings)
    out.push_back(EncodeWarning(w));
  return out;
}

void WritePolicyRow(pqxx::work& txn, const char* query, const PolicyRecord& r,
                    absl::Time now) {
  const Policy& p = r.policy;
  const PolicyConditions& c = p.conditions;
  txn.exec_prepared(
      query, p.name, p.position, p.is_default, ArrayLiteral(c.priorities),
      ArrayLiteral(c.kinds), ArrayLiteral(c.cx_levels),
      ArrayLiteral(c.channels), ArrayLiteral(c.tags_any),
      ArrayLiteral(c.customer_emails), ArrayLiteral(p.pause_statuses),
      p.reopen_restarts_resolution, r.description, absl::ToUnixMicros(now));
}

void WritePolicyTargets(pqxx::work& txn, const PolicyRecord& r) {
  std::vector<std::string> priorities, metrics, calendars, warnings;
  std::vector<int64_t> targets;
  for (const auto& [priority, by_metric] : r.policy.targets) {
    for (const auto& [metric, spec] : by_metric) {
      priorities.push_back(priority);
      metrics.push_back(std::string(MetricName(metric)));
      targets.push_back(absl::ToInt64Nanoseconds(spec.target));
      calendars.push_back(spec.calendar);
      warnings.push_back(absl::StrJoin(WarningsText(spec), " "));
    }
  }
  txn.exec_prepared(queries::kInsertPolicyTargets.name, r.policy.name,
                    ArrayLiteral(priorities), ArrayLiteral(metrics),
                    IntArray(targets), ArrayLiteral(calendars),
                    ArrayLiteral(warnings));
}

absl::Status CheckSingleDefault(pqxx::work& txn, const Policy& p) {
  if (!p.is_default) return absl::OkStatus();
  pqxx::result other =
      txn.exec_prepared(queries::kOtherDefaultPolicy.name, p.name);
  if (!other.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "is_default: policy ", common::Excerpt(other[0][0].as<std::string>()),
        " is already the default"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<PolicyRecord>> ReadPolicies(
    pqxx::transaction_base& txn, const pqxx::result& rows) {
  std::vector<PolicyRecord> out;
  std::vector<std::string> ids;
  for (const auto& row : rows) {
    PgCols c(row);
    PolicyRecord r;
    Policy& p = r.policy;
    p.name = c.Str();
    p.position = static_cast<int>(c.Int());
    p.is_default = c.Bool();
    p.conditions.priorities = c.TextArray();
    p.conditions.kinds = c.TextArray();
    p.conditions.cx_levels = c.TextArray();
    p.conditions.channels = c.TextArray();
    p.conditions.tags_any = c.TextArray();
    p.conditions.customer_emails = c.TextArray();
    p.pause_statuses = c.TextArray();
    p.reopen_restarts_resolution = c.Bool();
    r.description = c.Str();
    r.version = c.Int();
    r.create_time = c.Time();
    r.update_time = c.Time();
    ids.push_back(p.name);
    out.push_back(std::move(r));
  }
  if (out.empty()) return out;
  std::map<std::string, Policy*> by_id;
  for (PolicyRecord& r : out) by_id[r.policy.name] = &r.policy;
  for (const auto& row :
       txn.exec_prepared(queries::kPolicyTargets.name, ArrayLiteral(ids))) {
    PgCols c(row);
    Policy* p = by_id[c.Str()];
    const std::string priority = c.Str();
    absl::StatusOr<Metric> metric = ParseMetric(c.Str());
    TargetSpec spec;
    spec.target = absl::Nanoseconds(c.Int());
    spec.calendar = c.Str();
    for (const std::string& w : c.TextArray()) {
      CXDESK_ASSIGN_OR_RETURN(WarningThreshold warning, DecodeWarning(w));
      spec.warnings.push_back(warning);
    }
    if (p == nullptr || !metric.ok()) {
      return absl::DataLossError("stored policy target is malformed");
    }
    p->targets[priority][*metric] = std::move(spec);
  }
  return out;
}

// ---- tickets, events, measurements, timers ----

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

absl::StatusOr<LedgerEvent> ReadLedgerEvent(PgCols& c) {
  LedgerEvent e;
  const std::string xid = c.Str();
  e.id = c.Int();
  if (!absl::SimpleAtoi(xid, &e.cursor.xid)) {
    return absl::DataLossError("event xid does not parse");
  }
  e.cursor.id = e.id;
  e.ticket_id = c.Int();
  CXDESK_ASSIGN_OR_RETURN(e.kind, ParseTransitionKind(c.Str()));
  CXDESK_ASSIGN_OR_RETURN(e.metric, ParseMetric(c.Str()));
  e.cycle = static_cast<int>(c.Int());
  e.occur_time = c.Time();
  e.record_time = c.Time();
  e.deadline = TimeOrInfinite(c.OptTime());
  e.policy_id = c.Str();
  e.calendar_id = c.Str();
  e.target = absl::Nanoseconds(c.Int());
  e.actor = c.Str();
  e.reason = c.Str();
  e.status = c.Str();
  e.met_late = c.Bool();
  e.overdue = c.Bool();
  const std::string warning = c.Str();
  if (!warning.empty()) {
    CXDESK_ASSIGN_OR_RETURN(e.warning, DecodeWarning(warning));
  }
  e.pause_business = OptNanos(c);
  e.pause_elapsed = OptNanos(c);
  e.business_time = OptNanos(c);
  e.calendar_time = OptNanos(c);
  e.ticket_event_id = c.Int();
  e.team = c.Str();
  e.assignee = c.Str();
  e.priority = c.Str();
  return e;
}

absl::StatusOr<std::vector<LedgerEvent>> ReadLedgerEvents(
    const pqxx::result& rows) {
  std::vector<LedgerEvent> out;
  out.reserve(rows.size());
  for (const auto& row : rows) {
    PgCols c(row);
    CXDESK_ASSIGN_OR_RETURN(LedgerEvent e, ReadLedgerEvent(c));
    out.push_back(std::move(e));
  }
  return out;
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

int64_t ReadRevision(pqxx::transaction_base& txn) {
  return txn.exec_prepared1(queries::kReadRevision.name)[0].as<int64_t>();
}

absl::StatusOr<RecordedChange> ReadChange(const pqxx::row& row) {
  PgCols c(row);
  RecordedChange r;
  r.ticket_event_id = c.Int();
  r.ticket_id = c.Int();
  r.change.at = absl::FromUnixNanos(c.Int());
  CXDESK_ASSIGN_OR_RETURN(r.change.kind, ParseChangeKind(c.Str()));
  r.change.actor = c.Str();
  r.change.reason = c.Str();
  TicketFacts& f = r.change.after;
  f.status = c.Str();
  f.priority = c.Str();
  f.kind = c.Str();
  f.cx_level = c.Str();
  f.channel = c.Str();
  f.tags = c.TextArray();
  f.customer_email = c.Str();
  r.dims.team = c.Str();
  r.dims.assignee = c.Str();
  std::optional<int64_t> csat = c.OptInt();
  if (csat.has_value()) r.csat = static_cast<int>(*csat);
  return r;
}

}  // namespace

const std::vector<common::NamedQuery>& PostgresSlaStore::PreparedQueries() {
  return queries::All();
}

// ---- configuration ----

absl::StatusOr<CalendarRecord> PostgresSlaStore::CreateCalendar(
    const CalendarRecord& record, absl::Time now) {
  CXDESK_RETURN_IF_ERROR(pool_.Transact([&](pqxx::work& txn) {
    txn.exec_prepared(queries::kInsertCalendar.name, record.calendar.name,
                      record.calendar.time_zone, record.description,
                      absl::ToUnixMicros(now));
    WriteCalendarDetails(txn, record);
    txn.exec_prepared(queries::kBumpRevision.name);
    return absl::OkStatus();
  }));
  return GetCalendar(record.calendar.name);
}

absl::StatusOr<CalendarRecord> PostgresSlaStore::GetCalendar(
    const std::string& id) {
  std::vector<CalendarRecord> found;
  CXDESK_RETURN_IF_ERROR(pool_.Autocommit([&](pqxx::transaction_base& txn) {
    CXDESK_ASSIGN_OR_RETURN(
        found,
        ReadCalendars(txn, txn.exec_prepared(queries::kGetCalendar.name, id)));
    return absl::OkStatus();
  }));
  if (found.empty()) {
    return absl::NotFoundError(
        absl::StrCat("calendar ", common::Excerpt(id), " not found"));
  }
  return found.front();
}

absl::StatusOr<std::vector<CalendarRecord>> PostgresSlaStore::ListCalendars(
    int offset, int limit) {
  std::vector<CalendarRecord> out;
  CXDESK_RETURN_IF_ERROR(pool_.Autocommit([&](pqxx::transaction_base& txn) {
    CXDESK_ASSIGN_OR_RETURN(
        out, ReadCalendars(txn, txn.exec_prepared(queries::kListCalendars.name,
                                                  offset, limit)));
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<CalendarRecord> PostgresSlaStore::UpdateCalendar(
    const CalendarRecord& record, int64_t expected_version, absl::Time now) {
  const std::string& id = record.calendar.name;
  CXDESK_RETURN_IF_ERROR(pool_.Transact([&](pqxx::work& txn) -> absl::Status {
    CXDESK_RETURN_IF_ERROR(CheckVersion(
        VersionOf(txn.exec_prepared(queries::kLockCalendar.name, id)),
        expected_version, "calendar", id));
    txn.exec_prepared(queries::kUpdateCalendar.name, id,
                      record.calendar.time_zone, record.description,
                      absl::ToUnixMicros(now));
    txn.exec_prepared(queries::kDeleteCalendarHours.name, id);
    txn.exec_prepared(queries::kDeleteCalendarHolidays.name, id);
    WriteCalendarDetails(txn, record);
    txn.exec_prepared(queries::kBumpRevision.name);
    return absl::OkStatus();
  }));
  return GetCalendar(id);
}

absl::Status PostgresSlaStore::DeleteCalendar(
    const std::string& id, std::optional<int64_t> expected_version) {
  return pool_.Transact([&](pqxx::work& txn) -> absl::Status {
    CXDESK_RETURN_IF_ERROR(CheckVersion(
        VersionOf(txn.exec_prepared(queries::kLockCalendar.name, id)),
        expected_version, "calendar", id));
    pqxx::row in_use = txn.exec_prepared1(queries::kCalendarInUse.name, id);
    if (in_use[0].as<bool>()) {
      return absl::FailedPreconditionError(absl::StrCat(
          "calendar ", common::Excerpt(id), " is used by a policy target"));
    }
    if (in_use[1].as<bool>()) {
      return absl::FailedPreconditionError(absl::StrCat(
          "calendar ", common::Excerpt(id), " is used by an open clock"));
    }
    txn.exec_prepared(queries::kDeleteCalendar.name, id);
    txn.exec_prepared(queries::kBumpRevision.name);
    return absl::OkStatus();
  });
}

absl::StatusOr<PolicyRecord> PostgresSlaStore::CreatePolicy(
    const PolicyRecord& record, absl::Time now) {
  CXDESK_RETURN_IF_ERROR(pool_.Transact([&](pqxx::work& txn) -> absl::Status {
    CXDESK_RETURN_IF_ERROR(CheckSingleDefault(txn, record.policy));
    WritePolicyRow(txn, queries::kInsertPolicy.name, record, now);
    WritePolicyTargets(txn, record);
    txn.exec_prepared(queries::kBumpRevision.name);
    return absl::OkStatus();
  }));
  return GetPolicy(record.policy.name);
}

absl::StatusOr<PolicyRecord> PostgresSlaStore::GetPolicy(
    const std::string& id) {
  std::vector<PolicyRecord> found;
  CXDESK_RETURN_IF_ERROR(pool_.Autocommit([&](pqxx::transaction_base& txn) {
    CXDESK_ASSIGN_OR_RETURN(
        found,
        ReadPolicies(txn, txn.exec_prepared(queries::kGetPolicy.name, id)));
    return absl::OkStatus();
  }));
  if (found.empty()) {
    return absl::NotFoundError(
        absl::StrCat("policy ", common::Excerpt(id), " not found"));
  }
  return found.front();
}

absl::StatusOr<std::vector<PolicyRecord>> PostgresSlaStore::ListPolicies(
    int offset, int limit) {
  std::vector<PolicyRecord> out;
  CXDESK_RETURN_IF_ERROR(pool_.Autocommit([&](pqxx::transaction_base& txn) {
    CXDESK_ASSIGN_OR_RETURN(
        out, ReadPolicies(txn, txn.exec_prepared(queries::kListPolicies.name,
                                                 offset, limit)));
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<PolicyRecord> PostgresSlaStore::UpdatePolicy(
    const PolicyRecord& record, int64_t expected_version, absl::Time now) {
  const std::string& id = record.policy.name;
  CXDESK_RETURN_IF_ERROR(pool_.Transact([&](pqxx::work& txn) -> absl::Status {
    CXDESK_RETURN_IF_ERROR(CheckVersion(
        VersionOf(txn.exec_prepared(queries::kLockPolicy.name, id)),
        expected_version, "policy", id));
    CXDESK_RETURN_IF_ERROR(CheckSingleDefault(txn, record.policy));
    WritePolicyRow(txn, queries::kUpdatePolicy.name, record, now);
    txn.exec_prepared(queries::kDeletePolicyTargets.name, id);
    WritePolicyTargets(txn, record);
    txn.exec_prepared(queries::kBumpRevision.name);
    return absl::OkStatus();
  }));
  return GetPolicy(id);
}

absl::Status PostgresSlaStore::DeletePolicy(
    const std::string& id, std::optional<int64_t> expected_version) {
  return pool_.Transact([&](pqxx::work& txn) -> absl::Status {
    CXDESK_RETURN_IF_ERROR(CheckVersion(
        VersionOf(txn.exec_prepared(queries::kLockPolicy.name, id)),
        expected_version, "policy", id));
    txn.exec_prepared(queries::kDeletePolicy.name, id);
    txn.exec_prepared(queries::kBumpRevision.name);
    return absl::OkStatus();
  });
}

absl::StatusOr<SlaConfig> PostgresSlaStore::LoadConfig() {
  SlaConfig config;
  CXDESK_RETURN_IF_ERROR(pool_.Transact([&](pqxx::work& txn) -> absl::Status {
    config = {};
    config.revision = ReadRevision(txn);
    CXDESK_ASSIGN_OR_RETURN(
        std::vector<CalendarRecord> calendars,
        ReadCalendars(txn, txn.exec_prepared(queries::kAllCalendars.name)));
    for (CalendarRecord& c : calendars) {
      std::string id = c.calendar.name;
      config.calendars.emplace(std::move(id), std::move(c.calendar));
    }
    CXDESK_ASSIGN_OR_RETURN(
        std::vector<PolicyRecord> policies,
        ReadPolicies(
            txn, txn.exec_prepared(queries::kListPolicies.name, 0, 1 << 30)));
    for (PolicyRecord& p : policies) {
      config.policies.push_back(std::move(p.policy));
    }
    return absl::OkStatus();
  }));
  return config;
}

absl::StatusOr<int64_t> PostgresSlaStore::ConfigRevision() {
  int64_t revision = 0;
  CXDESK_RETURN_IF_ERROR(pool_.Autocommit([&](pqxx::transaction_base& txn) {
    revision = ReadRevision(txn);
    return absl::OkStatus();
  }));
  return revision;
}

// ---- clocks ----

namespace {

// Advisory-lock space of the SLA service's consumer leases.
constexpr int32_t kLeaseSpace = 3;

}  // namespace

absl::StatusOr<std::unique_ptr<Lease>> PostgresSlaStore::TryAcquireLease(
    int64_t key) {
  CXDESK_ASSIGN_OR_RETURN(
      std::unique_ptr<common::SessionLock> lock,
      common::TryAcquireSessionLock(pool_.url(), kLeaseSpace,
                                    static_cast<int32_t>(key)));
  return std::unique_ptr<Lease>(std::move(lock));
}

absl::StatusOr<std::string> PostgresSlaStore::ReadCursor(
    const std::string& consumer) {
  std::string cursor;
  CXDESK_RETURN_IF_ERROR(pool_.Autocommit([&](pqxx::transaction_base& txn) {
    pqxx::result rows = txn.exec_prepared(queries::kReadCursor.name, consumer);
    cursor = rows.empty() ? "" : rows[0][0].as<std::string>();
    return absl::OkStatus();
  }));
  return cursor;
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

// ---- queries ----

absl::StatusOr<StoredTicket> PostgresSlaStore::GetTicket(int64_t ticket_id) {
  std::optional<StoredTicket> ticket;
  CXDESK_RETURN_IF_ERROR(
      pool_.Autocommit([&](pqxx::transaction_base& txn) -> absl::Status {
        pqxx::result rows =
            txn.exec_prepared(queries::kGetTicketRow.name, ticket_id);
        if (!rows.empty()) {
          CXDESK_ASSIGN_OR_RETURN(ticket, ReadTicketRow(rows[0]));
        }
        return absl::OkStatus();
      }));
  if (!ticket.has_value()) {
    return absl::NotFoundError(
        absl::StrCat("the SLA service has not seen ticket ", ticket_id));
  }
  return *std::move(ticket);
}

absl::StatusOr<std::vector<LedgerEvent>> PostgresSlaStore::ListEvents(
    const EventFilter& filter, int64_t after_id, int limit) {
  std::vector<LedgerEvent> out;
  std::vector<std::string> kinds;
  for (SlaTransition::Kind k : filter.kinds) {
    kinds.push_back(std::string(TransitionName(k)));
  }
  const std::string metric =
      filter.metric.has_value() ? std::string(MetricName(*filter.metric)) : "";
  CXDESK_RETURN_IF_ERROR(
      pool_.Autocommit([&](pqxx::transaction_base& txn) -> absl::Status {
        CXDESK_ASSIGN_OR_RETURN(
            out, ReadLedgerEvents(txn.exec_prepared(
                     queries::kListEvents.name, after_id, filter.ticket_id,
                     ArrayLiteral(kinds), metric, MicrosOrNull(filter.start),
                     MicrosOrNull(filter.end), limit)));
        return absl::OkStatus();
      }));
  return out;
}

absl::StatusOr<std::vector<BreachRecord>> PostgresSlaStore::ListBreaches(
    const BreachFilter& filter, int64_t after_id, int limit) {
  std::vector<BreachRecord> out;
  const std::string metric =
      filter.metric.has_value() ? std::string(MetricName(*filter.metric)) : "";
  std::optional<int64_t> after;
  if (after_id > 0) after = after_id;
  CXDESK_RETURN_IF_ERROR(
      pool_.Autocommit([&](pqxx::transaction_base& txn) -> absl::Status {
        for (const auto& row : txn.exec_prepared(
                 queries::kListBreaches.name, MicrosOrNull(filter.start),
                 MicrosOrNull(filter.end), filter.team, filter.assignee, metric,
                 filter.priority, filter.open_only, after, limit)) {
          PgCols c(row);
          BreachRecord b;
          CXDESK_ASSIGN_OR_RETURN(b.event, ReadLedgerEvent(c));
          CXDESK_ASSIGN_OR_RETURN(b.state, ParseClockState(c.Str()));
          if (b.state == ClockState::kMet) {
            b.met_time = TimeOrInfinite(c.OptTime());
          }
          out.push_back(std::move(b));
        }
        return absl::OkStatus();
      }));
  return out;
}

absl::StatusOr<common::EventBatch<LedgerEvent>> PostgresSlaStore::ReadEvents(
    const common::EventCursor& after, int limit) {
  common::EventBatch<LedgerEvent> batch;
  CXDESK_RETURN_IF_ERROR(
      pool_.Autocommit([&](pqxx::transaction_base& txn) -> absl::Status {
        batch = {};
        // Held-back first, events second: see the ticket store's ReadEvents.
        batch.held_back =
            txn.exec_prepared1(queries::kEventsHeldBack.name)[0].as<bool>();
        CXDESK_ASSIGN_OR_RETURN(
            batch.events, ReadLedgerEvents(txn.exec_prepared(
                              queries::kReadEvents.name,
                              std::to_string(after.xid), after.id, limit)));
        return absl::OkStatus();
      }));
  return batch;
}

absl::StatusOr<Report> PostgresSlaStore::BuildSlaReport(
    absl::Time start, absl::Time end, const std::vector<Dimension>& group_by) {
  bool grouped[7] = {false, false, false, false, false, false, false};
  for (Dimension d : group_by) grouped[static_cast<int>(d)] = true;
  Report report;
  report.start = start;
  report.end = end;
  report.group_by = group_by;
  using Key = std::vector<std::string>;
  std::map<Key, ReportRow> rows;
  // The group values of a row in request order, from its 7 g columns.
  auto key_of = [&](PgCols& c) {
    std::string all[7];
    for (std::string& v : all) v = c.Str();
    Key key;
    for (Dimension d : group_by) key.push_back(all[static_cast<int>(d)]);
    return key;
  };
  auto stats_of = [](PgCols& c,
                     int64_t count) -> absl::StatusOr<DurationStats> {
    DurationStats s;
    s.count = count;
    if (c.IsNull()) {
      c.Skip(2);
      return s;
    }
    std::vector<std::string> ps = c.TextArray();
    int64_t v[3];
    if (ps.size() != 3 || !absl::SimpleAtoi(ps[0], &v[0]) ||
        !absl::SimpleAtoi(ps[1], &v[1]) || !absl::SimpleAtoi(ps[2], &v[2])) {
      return absl::InternalError("percentiles do not parse");
    }
    s.p50 = absl::Nanoseconds(v[0]);
    s.p90 = absl::Nanoseconds(v[1]);
    s.p99 = absl::Nanoseconds(v[2]);
    s.max = absl::Nanoseconds(c.Int());
    return s;
  };
  CXDESK_RETURN_IF_ERROR(pool_.Transact([&](pqxx::work& txn) -> absl::Status {
    rows.clear();
    report.clocks = 0;
    txn.exec_prepared(queries::kReportSettings.name);
    const int64_t from = absl::ToUnixMicros(start);
    const int64_t to = absl::ToUnixMicros(end);
    for (const auto& row : txn.exec_prepared(
             queries::kReportMetrics.name, from, to, grouped[0], grouped[1],
             grouped[2], grouped[3], grouped[4], grouped[5], grouped[6])) {
      PgCols c(row);
      ReportRow& r = rows[key_of(c)];
      MetricReport m;
      CXDESK_ASSIGN_OR_RETURN(m.metric, ParseMetric(c.Str()));
      m.clocks = c.Int();
      m.met_on_time = c.Int();
      m.breached = c.Int();
      m.open = c.Int();
      m.cancelled = c.Int();
      const int64_t met = c.Int();
      m.compliance_percent = CompliancePercent(m.met_on_time, m.breached);
      CXDESK_ASSIGN_OR_RETURN(m.business_time, stats_of(c, met));
      CXDESK_ASSIGN_OR_RETURN(m.calendar_time, stats_of(c, met));
      report.clocks += m.clocks;
      r.metrics.push_back(m);
    }
    for (const auto& row : txn.exec_prepared(
             queries::kReportTickets.name, from, to, grouped[0], grouped[1],
             grouped[2], grouped[3], grouped[4], grouped[5], grouped[6])) {
      PgCols c(row);
      ReportRow& r = rows[key_of(c)];
      r.tickets = c.Int();
      r.ratings = c.Int();
      const int64_t sum = c.Int();
      r.average_csat =
          r.ratings > 0 ? static_cast<double>(sum) / r.ratings : 0.0;
    }
    return absl::OkStatus();
  }));
  for (auto& [key, row] : rows) {
    row.group_values = key;
    std::sort(row.metrics.begin(), row.metrics.end(),
              [](const MetricReport& a, const MetricReport& b) {
                return a.metric < b.metric;
              });
    report.rows.push_back(std::move(row));
  }
  return report;
}

absl::StatusOr<std::vector<std::vector<RecordedChange>>>
PostgresSlaStore::LoadChangesForReplay(absl::Time start, absl::Time end) {
  std::vector<std::vector<RecordedChange>> out;
  CXDESK_RETURN_IF_ERROR(
      pool_.Autocommit([&](pqxx::transaction_base& txn) -> absl::Status {
        out.clear();
        for (const auto& row : txn.exec_prepared(
                 queries::kChangesForReplay.name, absl::ToUnixMicros(start),
                 absl::ToUnixMicros(end))) {
          CXDESK_ASSIGN_OR_RETURN(RecordedChange change, ReadChange(row));
          if (out.empty() || out.back().front().ticket_id != change.ticket_id) {
            out.emplace_back();
          }
          out.back().push_back(std::move(change));
        }
        return absl::OkStatus();
      }));
  return out;
}

}  // namespace cxdesk::sla
