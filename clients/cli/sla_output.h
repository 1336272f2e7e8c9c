#ifndef CXDESK_CLIENTS_CLI_SLA_OUTPUT_H_
#define CXDESK_CLIENTS_CLI_SLA_OUTPUT_H_

// What the `cxdesk` commands of the SLA service print.

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "clients/cli/output.h"
#include "cxdesk/sla/v1/sla_service.pb.h"

namespace cxdesk::clients::cli {

// "80% elapsed" or "15m before"; "-" when no threshold is set.
std::string FormatWarning(const sla::v1::Warning &warning);

// A calendar: "calendar ID: DESCRIPTION", then time zone, business hours
// (one line per weekday, in week order), holidays, etag and times.
std::string FormatCalendarDetails(const sla::v1::Calendar &calendar,
                                  const OutputContext &context);

// A table with a header line: ID, TIME ZONE, HOURS/WEEK, HOLIDAYS, UPDATED,
// DESCRIPTION (cut to 50 characters).
std::string FormatCalendarTable(const std::vector<sla::v1::Calendar> &calendars,
                                const OutputContext &context);

// Which tickets the conditions accept, in words: "priority urgent, high;
// kind complaint"; "every ticket" when there are none.
std::string DescribeConditions(const sla::v1::PolicyConditions &conditions);

// A policy: "policy ID: DESCRIPTION", its position, conditions, pause
// statuses, reopen behaviour, etag and times, then a table of its targets
// (PRIORITY, METRIC, TARGET, CALENDAR, WARNINGS).
std::string FormatPolicyDetails(const sla::v1::Policy &policy,
                                const OutputContext &context);

// A table with a header line: ID, POSITION, DEFAULT, TARGETS, APPLIES TO
// (cut to 60 characters).
std::string FormatPolicyTable(const std::vector<sla::v1::Policy> &policies);

// The clocks of a ticket: a "ticket #ID: policy P, status S, as of T" line,
// then a table (METRIC, CYCLE, STATE, BREACHED, TARGET, DEADLINE, REMAINING,
// PAUSED, NEXT WARNING) with each clock's explanation indented under its
// row. Times are in context.tz; durations are business time.
std::string FormatTicketSla(const sla::v1::TicketSla &sla,
                            const OutputContext &context);

// "ticket #ID: TEXT", then the metric and the due time.
std::string FormatSlaPromise(const sla::v1::SlaPromise &promise,
                             const OutputContext &context);

// One line per event: time, ticket, kind, metric and cycle, then what the
// kind records (target, deadline, pause, measurement, warning), the actor
// and reason. With `stream` (for watch), it starts with the cursor.
std::string FormatSlaEventLine(const sla::v1::SlaEvent &event,
                               const OutputContext &context, bool stream);

// A table with a header line: TICKET, METRIC, PRIORITY, TEAM, AGENT, DUE,
// STATE, MET, LATE (how far past the deadline it was met, or is now if still
// open).
std::string FormatBreachTable(const std::vector<sla::v1::Breach> &breaches,
                              const OutputContext &context);

// A report as a table: a line naming the window and the number of clocks,
// then one row per group and metric: one column per group_by dimension
// ("(none)" for an empty value), METRIC, TICKETS, CLOCKS, MET, BREACHED,
// OPEN, COMPLIANCE ("95.0%", "-" when nothing is decided), BIZ P50/P90/P99/
// MAX and CAL P50/P90/P99/MAX (FormatShortDuration, "-" without measurements)
// and CSAT ("4.20", "-" without ratings). A group without clocks has one row
// with METRIC "-".
std::string FormatSlaReportTable(const sla::v1::SlaReport &report,
                                 const OutputContext &context);

// The same rows and columns as CSV (RFC 4180) with a header line of
// snake_case names; durations in whole seconds (columns "..._seconds"),
// compliance as a number without '%', empty cells where the table has "-".
std::string FormatSlaReportCsv(const sla::v1::SlaReport &report);

// The cells of FormatSlaReportTable (`csv` false) or FormatSlaReportCsv
// (`csv` true), header row first: the HTML report shows the one and carries
// the other, so a page can be checked against the CSV cell by cell.
std::vector<std::vector<std::string>> SlaReportCells(
    const sla::v1::SlaReport &report, bool csv);

}  // namespace cxdesk::clients::cli

#endif  // CXDESK_CLIENTS_CLI_SLA_OUTPUT_H_
