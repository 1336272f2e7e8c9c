// PostgresSlaStore, part 3 of 3: the read side: ticket rows, the ledger and
// its breaches, the WatchSlaEvents stream, reports and the changes a
// simulation replays (see postgres_sla_store.cc).

#include <algorithm>
#include <map>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/common/pg_values.h"
#include "services/common/status_macros.h"
#include "services/sla/clock_engine.h"
#include "services/sla/postgres_sla_store.h"
#include "services/sla/postgres_sla_store_internal.h"
#include "services/sla/queries.h"
#include "services/sla/state_codec.h"

namespace cxdesk::sla {
namespace {

using common::ArrayLiteral;
using common::PgCols;
using store_internal::MicrosOrNull;
using store_internal::OptNanos;
using store_internal::ReadTicketRow;
using store_internal::TimeOrInfinite;

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
