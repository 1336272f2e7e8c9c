// PostgresSlaStore, part 2 of 3: calendars, policies and the
// configuration revision (see postgres_sla_store.cc).

#include <array>
#include <map>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/log.h"
#include "services/common/pg_values.h"
#include "services/common/status_macros.h"
#include "services/common/text.h"
#include "services/sla/business_time.h"
#include "services/sla/postgres_sla_store.h"
#include "services/sla/postgres_sla_store_internal.h"
#include "services/sla/queries.h"
#include "services/sla/state_codec.h"

namespace cxdesk::sla {
namespace {

using common::ArrayLiteral;
using common::PgCols;
using store_internal::BoolArray;
using store_internal::IntArray;
using store_internal::ReadRevision;

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

}  // namespace

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

}  // namespace cxdesk::sla
