#ifndef CXDESK_CLIENTS_CLI_REPORT_HTML_H_
#define CXDESK_CLIENTS_CLI_REPORT_HTML_H_

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "cxdesk/sla/v1/sla_service.pb.h"

namespace cxdesk::clients::cli {

// Compliance in one slice of the window: a report without grouping.
struct ComplianceBucket {
  absl::Time start;
  absl::Time end;
  sla::v1::SlaReport report;
};

// One first response met in the window: how long it took against its target.
struct FirstResponse {
  absl::Duration business_time;
  absl::Duration target;
};

// Everything the HTML report shows; the CLI fetches it (sla report --html).
struct HtmlReportInput {
  std::string title;  // e.g. "SLA report, 2026-11-01 to 2026-12-01"
  absl::TimeZone tz;  // dates on the page are in this zone
  absl::Time generated;
  // The report as the terminal table shows it, grouped by --by.
  sla::v1::SlaReport report;
  // "day" or "week"; the buckets in order.
  std::string bucket_name;
  std::vector<ComplianceBucket> buckets;
  // The first responses of the window.
  std::vector<FirstResponse> first_responses;
  // The same window grouped by CX level and by team, for the breach charts.
  sla::v1::SlaReport by_cx_level;
  sla::v1::SlaReport by_team;
};

// "day" for a window up to 62 days long, "week" beyond.
std::string BucketNameFor(absl::Time from, absl::Time to);
// The buckets' [start, end) instants covering [from, to): whole days (or
// weeks starting on Monday) in `tz`, the first and last cut to the window.
std::vector<std::pair<absl::Time, absl::Time>> BucketBounds(
    absl::Time from, absl::Time to, absl::TimeZone tz,
    const std::string& bucket_name);

// A self-contained HTML page: no scripts, no fonts, no links to fetch; the
// charts are inline SVG. Every cell of the report table carries its CSV value
// in data-value, and its column's CSV name in data-column; the table is
// id="report". Chart elements carry data-* values too (the tests read them).
std::string FormatSlaReportHtml(const HtmlReportInput& input);

// The share of the target a first response used, in the histogram's bins of
// 10 points: 0 for [0%, 10%), ..., 19 for [190%, 200%), 20 for 200% and more.
int FirstResponseBin(const FirstResponse& response);

}  // namespace cxdesk::clients::cli

#endif  // CXDESK_CLIENTS_CLI_REPORT_HTML_H_
