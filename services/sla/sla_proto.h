#ifndef CXDESK_SERVICES_SLA_SLA_PROTO_H_
#define CXDESK_SERVICES_SLA_SLA_PROTO_H_

// The SLA service's API messages <-> its domain types, one explicitly named
// function per message. Pure functions: no server, no rules beyond what the
// conversion itself needs (the manager validates the values). Thread-safe.
//
// Conventions, the same for every function here:
//  - Ticket enums (priority, kind, CX level, channel, status) become the
//    ticket service's lower-case words ("urgent", "on_hold"); SLA enums
//    (metric, clock state, event kind, report dimension) map to the domain
//    enums of policy.h, sla_clock.h and report.h, whose order is the proto
//    numbering minus one.
//  - A value the conversion cannot represent is INVALID_ARGUMENT whose
//    message starts with the field's path in the request, e.g.
//    "calendar.hours[2].end: must be HH:MM, 00:01..24:00" or
//    "group_by[1]: unspecified or unknown dimension 9".
//  - Output-only fields (etag, create_time, update_time) are ignored on
//    input: the record has version 0. On output the etag is the decimal
//    record version.
//  - Times: an infinite absl::Time (an unknown deadline, an open pause, an
//    open clock's end) is written as an unset Timestamp; an unset request
//    window end reads as InfinitePast (start) or InfiniteFuture (end), which
//    the manager reports as missing where a window is required.

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "cxdesk/sla/v1/sla_service.pb.h"
#include "services/sla/policy.h"
#include "services/sla/report.h"
#include "services/sla/sla.h"
#include "services/sla/sla_manager.h"
#include "services/sla/sla_store.h"

namespace cxdesk::sla {

// ---- enums ----------------------------------------------------------------

// METRIC_FIRST_RESPONSE -> kFirstResponse, ...; INVALID_ARGUMENT
// "<field>: unspecified or unknown metric <value>" otherwise.
absl::StatusOr<Metric> MetricFromProto(int value, const std::string& field);
// A filter's metric: nullopt for METRIC_UNSPECIFIED and for unknown values
// (a filter that names no known metric filters nothing).
std::optional<Metric> MetricFilterFromProto(int value);
v1::Metric MetricToProto(Metric metric);

// The report dimensions of `group_by`, in order; INVALID_ARGUMENT
// "group_by[<i>]: unspecified or unknown dimension <value>" for the first
// value that is not one. Repeats are the manager's to reject.
absl::StatusOr<std::vector<Dimension>> DimensionsFromProto(
    const google::protobuf::RepeatedField<int>& group_by);

// ---- configuration ----------------------------------------------------------

// A calendar as the request gives it (field prefix "calendar."). Hours are
// "HH:MM": a start 00:00..23:59, an end 00:01..24:00 after its start; a
// holiday's date is a real day written exactly YYYY-MM-DD and is not given
// twice with the same `yearly`. Errors: INVALID_ARGUMENT naming the field,
// e.g. "calendar.hours[0].weekday: unspecified or unknown weekday",
// "calendar.holidays[1].date: the same day as holidays[0]". Whether the
// time zone exists and the hours overlap is the manager's job.
absl::StatusOr<CalendarRecord> CalendarFromProto(const v1::Calendar& proto);
// Hours by weekday (Monday first), each day's intervals in stored order.
void CalendarToProto(const CalendarRecord& record, v1::Calendar* out);

// A policy as the request gives it (field prefix "policy."). No pause
// statuses given means the default ones (policy.h); keep_resolution_on_reopen
// is the inverse of reopen_restarts_resolution. Errors: INVALID_ARGUMENT for
// an unspecified or unknown enum in the conditions or pause statuses
// ("policy.conditions.kinds[1]: unspecified or unknown value 9"), a target's
// unknown priority or metric, a second target for the same priority and
// metric, a warning with neither minutes_before nor percent_elapsed.
absl::StatusOr<PolicyRecord> PolicyFromProto(const v1::Policy& proto);
// Targets by priority word, then metric.
void PolicyToProto(const PolicyRecord& record, v1::Policy* out);

// ---- clocks ---------------------------------------------------------------

// One clock with what GetTicketSla computed about it. The deadline, end
// time, a pause's end and the next warning time are unset while infinite.
void ClockViewToProto(const ClockView& view, v1::SlaClock* out);
// The ticket's clocks in start order and the instant they were viewed at.
void TicketSlaToProto(const TicketSlaView& view, v1::TicketSla* out);
// due_time is unset while the deadline is unknown (a paused clock).
void SlaPromiseToProto(const SlaPromise& promise, v1::SlaPromise* out);

// ---- ledger and breaches ----------------------------------------------------

// The cursor is common::EncodeCursor of the event's cursor; optional
// figures (warning, pause and met times) are set only when present.
void LedgerEventToProto(const LedgerEvent& event, v1::SlaEvent* out);

// The filter of ListSlaEvents. An unspecified or unknown metric filters
// nothing (MetricFilterFromProto); unset times leave the window open.
// Errors: INVALID_ARGUMENT "kinds[<i>]: unspecified or unknown kind <value>".
// A negative ticket_id is the manager's to reject.
absl::StatusOr<EventFilter> EventFilterFromProto(
    const v1::ListSlaEventsRequest& request);

// The filter of ListBreaches. An unspecified or unknown metric or priority
// filters nothing; unset times leave the window open. Cannot fail.
BreachFilter BreachFilterFromProto(const v1::ListBreachesRequest& request);
// met_time is unset while the clock is not met.
void BreachToProto(const BreachRecord& breach, v1::Breach* out);

// ---- reports ----------------------------------------------------------------

// The window and grouping of a report request. Unset times are
// InfinitePast (start) and InfiniteFuture (end): the manager rejects a
// missing window.
struct ReportQuery {
  absl::Time start = absl::InfinitePast();
  absl::Time end = absl::InfiniteFuture();
  std::vector<Dimension> group_by;
};

// Errors: DimensionsFromProto's.
absl::StatusOr<ReportQuery> ReportQueryFromProto(
    const v1::GetSlaReportRequest& request);

// A SimulatePolicy request: the draft policy and the report to run it over.
struct Simulation {
  PolicyRecord draft;
  ReportQuery query;
};

// Errors: DimensionsFromProto's first, then PolicyFromProto's.
absl::StatusOr<Simulation> SimulationFromProto(
    const v1::SimulatePolicyRequest& request);

// Rows in order, each with its metrics; enums map to their namesakes.
void ReportToProto(const Report& report, v1::SlaReport* out);

}  // namespace cxdesk::sla

#endif  // CXDESK_SERVICES_SLA_SLA_PROTO_H_
