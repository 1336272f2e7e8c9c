#include "clients/cli/report_html.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "clients/cli/output.h"
#include "clients/cli/sla_output.h"
#include "clients/common/enum_words.h"
#include "clients/common/html.h"
#include "services/common/proto_time.h"

namespace cxdesk::clients::cli {
namespace {

namespace slapb = ::cxdesk::sla::v1;

// Colours per metric, in the order of the Metric enum; readable on white and
// distinct for the common kinds of colour blindness.
std::string MetricColour(slapb::Metric metric) {
  switch (metric) {
    case slapb::METRIC_FIRST_RESPONSE:
      return "#0072b2";
    case slapb::METRIC_NEXT_RESPONSE:
      return "#e69f00";
    case slapb::METRIC_PERIODIC_UPDATE:
      return "#cc79a7";
    case slapb::METRIC_RESOLUTION:
      return "#009e73";
    default:
      return "#555555";
  }
}

constexpr char kStyle[] = R"(
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px;color:#1b1f24;max-width:1100px}
h1{font-size:22px;margin:0 0 4px} h2{font-size:17px;margin:28px 0 8px}
p.meta{color:#57606a;margin:0 0 16px}
.charts{display:flex;flex-wrap:wrap;gap:24px}
figure{margin:0} figcaption{color:#57606a;font-size:13px;margin-top:4px}
svg text{font-family:inherit;font-size:11px;fill:#3d444d}
table{border-collapse:collapse;font-size:13px;margin-top:8px}
th,td{border:1px solid #d0d7de;padding:4px 8px;text-align:right;white-space:nowrap}
th{background:#f6f8fa} td.group,td.metric{text-align:left}
td.bad{color:#b3261e;font-weight:600} div.wide{overflow-x:auto}
p.note{color:#57606a;font-size:13px}
)";

std::string Svg(int width, int height, absl::string_view id,
                absl::string_view label, absl::string_view body) {
  return absl::StrCat("<svg id=\"", id,
                      "\" xmlns=\"http://www.w3.org/2000/svg\" width=\"", width,
                      "\" height=\"", height, "\" viewBox=\"0 0 ", width, " ",
                      height, "\" role=\"img\" aria-label=\"",
                      HtmlEscape(label), "\">", body, "</svg>");
}

std::string Num(double v) { return absl::StrFormat("%.1f", v); }

// Compliance per bucket and metric: one line per metric, a point per bucket
// where something was decided.
std::string ComplianceChart(const HtmlReportInput& input) {
  const int width = 720, height = 260;
  const double left = 40, right = 12, top = 12, bottom = 40;
  const double plot_w = width - left - right, plot_h = height - top - bottom;
  const size_t n = input.buckets.size();
  std::string body;
  for (int pct = 0; pct <= 100; pct += 25) {
    const double y = top + plot_h * (1 - pct / 100.0);
    absl::StrAppend(&body, "<line x1=\"", left, "\" x2=\"", width - right,
                    "\" y1=\"", Num(y), "\" y2=\"", Num(y),
                    "\" stroke=\"#e5e7eb\"/><text x=\"", left - 6, "\" y=\"",
                    Num(y + 4), "\" text-anchor=\"end\">", pct, "%</text>");
  }
  auto x_of = [&](size_t i) {
    return n <= 1 ? left + plot_w / 2 : left + plot_w * i / (n - 1);
  };
  const size_t label_every = std::max<size_t>(1, (n + 11) / 12);
  for (size_t i = 0; i < n; ++i) {
    if (i % label_every != 0) continue;
    absl::StrAppend(&body, "<text x=\"", Num(x_of(i)), "\" y=\"",
                    height - bottom + 16, "\" text-anchor=\"middle\">",
                    absl::FormatTime("%m-%d", input.buckets[i].start, input.tz),
                    "</text>");
  }
  // Metrics in enum order, each with the points where it was decided.
  std::map<int, std::vector<std::pair<size_t, double>>> lines;
  std::string points;
  for (size_t i = 0; i < n; ++i) {
    for (const slapb::SlaReportRow& row : input.buckets[i].report.rows()) {
      for (const slapb::MetricReport& m : row.metrics()) {
        if (m.met_on_time() + m.breached() == 0) continue;
        lines[m.metric()].push_back({i, m.compliance_percent()});
        const double y = top + plot_h * (1 - m.compliance_percent() / 100.0);
        absl::StrAppend(
            &points, "<circle class=\"point\" cx=\"", Num(x_of(i)), "\" cy=\"",
            Num(y), "\" r=\"3\" fill=\"",
            MetricColour(static_cast<slapb::Metric>(m.metric())),
            "\" data-metric=\"", MetricWord(m.metric()), "\" data-bucket=\"",
            absl::FormatTime("%Y-%m-%d", input.buckets[i].start, input.tz),
            "\" data-compliance=\"", Num(m.compliance_percent()), "\"><title>",
            MetricWord(m.metric()), " ",
            absl::FormatTime("%Y-%m-%d", input.buckets[i].start, input.tz),
            ": ", Num(m.compliance_percent()), "% (", m.met_on_time(), " met, ",
            m.breached(), " breached)</title></circle>");
      }
    }
  }
  double legend_x = left;
  for (const auto& [metric, line] : lines) {
    const slapb::Metric m = static_cast<slapb::Metric>(metric);
    std::vector<std::string> xy;
    for (const auto& [i, pct] : line) {
      xy.push_back(absl::StrCat(Num(x_of(i)), ",",
                                Num(top + plot_h * (1 - pct / 100.0))));
    }
    absl::StrAppend(
        &body, "<polyline fill=\"none\" stroke-width=\"2\" stroke=\"",
        MetricColour(m), "\" points=\"", absl::StrJoin(xy, " "), "\"/>");
    absl::StrAppend(&body, "<rect x=\"", Num(legend_x), "\" y=\"", height - 14,
                    "\" width=\"10\" height=\"10\" fill=\"", MetricColour(m),
                    "\"/><text x=\"", Num(legend_x + 14), "\" y=\"", height - 5,
                    "\">", MetricWord(m), "</text>");
    legend_x += 130;
  }
  if (lines.empty()) {
    absl::StrAppend(&body, "<text x=\"", width / 2, "\" y=\"", height / 2,
                    "\" text-anchor=\"middle\">nothing met or breached in the "
                    "window</text>");
  }
  return Svg(width, height, "compliance-chart",
             absl::StrCat("SLA compliance by ", input.bucket_name),
             body + points);
}

std::string HistogramChart(const HtmlReportInput& input) {
  constexpr int kBins = 21;
  std::vector<int64_t> counts(kBins, 0);
  int64_t within = 0;
  for (const FirstResponse& r : input.first_responses) {
    ++counts[FirstResponseBin(r)];
    if (r.business_time <= r.target) ++within;
  }
  const int64_t most = *std::max_element(counts.begin(), counts.end());
  const int width = 720, height = 240;
  const double left = 40, right = 12, top = 12, bottom = 36;
  const double plot_w = width - left - right, plot_h = height - top - bottom;
  const double bin_w = plot_w / kBins;
  std::string body;
  for (int b = 0; b < kBins; ++b) {
    const double h = most == 0 ? 0 : plot_h * counts[b] / most;
    const std::string range = b == kBins - 1
                                  ? "200% or more"
                                  : absl::StrCat(b * 10, "-", b * 10 + 10, "%");
    absl::StrAppend(
        &body, "<rect class=\"bin\" x=\"", Num(left + b * bin_w + 1), "\" y=\"",
        Num(top + plot_h - h), "\" width=\"", Num(bin_w - 2), "\" height=\"",
        Num(h), "\" fill=\"", b >= 10 ? "#b3261e" : "#0072b2", "\" data-bin=\"",
        b, "\" data-count=\"", counts[b], "\"><title>", range,
        " of the target: ", counts[b], "</title></rect>");
    if (b % 5 == 0) {
      absl::StrAppend(&body, "<text x=\"", Num(left + b * bin_w), "\" y=\"",
                      height - bottom + 14, "\" text-anchor=\"middle\">",
                      b * 10, "%</text>");
    }
  }
  const double target_x = left + 10 * bin_w;
  absl::StrAppend(&body, "<line x1=\"", Num(target_x), "\" x2=\"",
                  Num(target_x), "\" y1=\"", top, "\" y2=\"", Num(top + plot_h),
                  "\" stroke=\"#1b1f24\" stroke-dasharray=\"4 3\"/><text x=\"",
                  Num(target_x + 4), "\" y=\"", top + 10, "\">target</text>",
                  "<text x=\"", Num(left + plot_w / 2), "\" y=\"", height - 4,
                  "\" text-anchor=\"middle\">business time to first response, "
                  "as a share of its target</text>");
  // The count axis: the largest bin, and its half when that is whole.
  for (const int64_t tick : {most, most % 2 == 0 ? most / 2 : int64_t{0}}) {
    if (tick <= 0) continue;
    const double y = top + plot_h * (1 - double(tick) / most);
    absl::StrAppend(&body, "<text x=\"", left - 6, "\" y=\"", Num(y + 4),
                    "\" text-anchor=\"end\">", tick, "</text>");
  }
  const size_t total = input.first_responses.size();
  return absl::StrCat(
      "<figure>",
      Svg(width, height, "first-response-chart",
          "Distribution of first response times against the target", body),
      "<figcaption id=\"first-response-caption\" data-total=\"", total,
      "\" data-within=\"", within, "\">", within, " of ", total,
      " first responses within their target",
      total == 0 ? "" : absl::StrFormat(" (%.1f%%)", 100.0 * within / total),
      "</figcaption></figure>");
}

// Breached clocks (all metrics) per group of a one-dimension report.
std::string BreachChart(const slapb::SlaReport& report, absl::string_view id,
                        absl::string_view what) {
  std::vector<std::pair<std::string, int64_t>> bars;
  for (const slapb::SlaReportRow& row : report.rows()) {
    int64_t breached = 0;
    for (const slapb::MetricReport& m : row.metrics()) breached += m.breached();
    std::string group = row.group_values_size() > 0 ? row.group_values(0) : "";
    bars.push_back({group.empty() ? "(none)" : group, breached});
  }
  int64_t most = 0;
  for (const auto& bar : bars) most = std::max(most, bar.second);
  const int row_h = 22, left = 110, width = 350;
  const int height =
      std::max<int>(row_h * static_cast<int>(bars.size()) + 8, 40);
  std::string body;
  for (size_t i = 0; i < bars.size(); ++i) {
    const double w =
        most == 0 ? 0 : (width - left - 40) * double(bars[i].second) / most;
    const int y = 4 + static_cast<int>(i) * row_h;
    absl::StrAppend(&body, "<text x=\"", left - 6, "\" y=\"", y + 14,
                    "\" text-anchor=\"end\">", HtmlEscape(bars[i].first),
                    "</text><rect class=\"breaches\" x=\"", left, "\" y=\"", y,
                    "\" width=\"", Num(w), "\" height=\"", row_h - 6,
                    "\" fill=\"#b3261e\" data-group=\"",
                    HtmlEscape(bars[i].first), "\" data-breached=\"",
                    bars[i].second, "\"/><text x=\"", Num(left + w + 4),
                    "\" y=\"", y + 14, "\">", bars[i].second, "</text>");
  }
  if (bars.empty()) {
    absl::StrAppend(&body,
                    "<text x=\"8\" y=\"24\">no clocks in the window</text>");
  }
  return absl::StrCat(
      "<figure>",
      Svg(width, height, id, absl::StrCat("Breaches by ", what), body),
      "<figcaption>Breached clocks by ", what,
      " (all metrics)</figcaption></figure>");
}

std::string ReportTable(const slapb::SlaReport& report) {
  const auto shown = SlaReportCells(report, /*csv=*/false);
  const auto values = SlaReportCells(report, /*csv=*/true);
  const size_t groups = report.group_by_size();
  std::string out = "<table id=\"report\"><thead><tr>";
  for (const std::string& name : shown[0]) {
    absl::StrAppend(&out, "<th>", HtmlEscape(name), "</th>");
  }
  absl::StrAppend(&out, "</tr></thead><tbody>");
  for (size_t r = 1; r < shown.size(); ++r) {
    absl::StrAppend(&out, "<tr>");
    for (size_t c = 0; c < shown[r].size(); ++c) {
      const std::string& column = values[0][c];
      std::string cls = c < groups ? "group" : (c == groups ? "metric" : "");
      double percent = 0;
      if (column == "compliance_percent" &&
          absl::SimpleAtod(values[r][c], &percent) && percent < 90.0) {
        cls = "bad";
      }
      absl::StrAppend(&out, "<td", cls.empty() ? "" : " class=\"" + cls + "\"",
                      " data-column=\"", HtmlEscape(column), "\" data-value=\"",
                      HtmlEscape(values[r][c]), "\">", HtmlEscape(shown[r][c]),
                      "</td>");
    }
    absl::StrAppend(&out, "</tr>");
  }
  absl::StrAppend(&out, "</tbody></table>");
  return out;
}

}  // namespace

std::string BucketNameFor(absl::Time from, absl::Time to) {
  return to - from <= absl::Hours(24 * 62) ? "day" : "week";
}

std::vector<std::pair<absl::Time, absl::Time>> BucketBounds(
    absl::Time from, absl::Time to, absl::TimeZone tz,
    const std::string& bucket_name) {
  std::vector<std::pair<absl::Time, absl::Time>> out;
  if (to <= from) return out;
  const absl::CivilDay first = absl::ToCivilDay(from, tz);
  absl::CivilDay day = first;
  if (bucket_name == "week") {
    while (absl::GetWeekday(day) != absl::Weekday::monday) day -= 1;
  }
  const int step = bucket_name == "week" ? 7 : 1;
  for (absl::Time start = from; start < to;) {
    day += step;
    const absl::Time end = std::min(to, absl::FromCivil(day, tz));
    if (end > start) out.push_back({start, end});
    start = end;
  }
  return out;
}

int FirstResponseBin(const FirstResponse& response) {
  if (response.target <= absl::ZeroDuration()) return 20;
  const double share =
      absl::FDivDuration(response.business_time, response.target);
  if (share < 0) return 0;
  return std::min(20, static_cast<int>(std::floor(share * 10 + 1e-9)));
}

std::string FormatSlaReportHtml(const HtmlReportInput& input) {
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">";
  absl::StrAppend(&out, "<title>", HtmlEscape(input.title), "</title><style>",
                  kStyle, "</style></head><body>");
  absl::StrAppend(
      &out, "<h1>", HtmlEscape(input.title),
      "</h1><p class=\"meta\">Clocks started ",
      absl::FormatTime("%Y-%m-%d %H:%M",
                       common::FromProtoTimestamp(input.report.start_time()),
                       input.tz),
      " to ",
      absl::FormatTime("%Y-%m-%d %H:%M",
                       common::FromProtoTimestamp(input.report.end_time()),
                       input.tz),
      " (", HtmlEscape(input.tz.name()), "): <span id=\"clocks\" data-value=\"",
      input.report.clocks(), "\">", input.report.clocks(),
      "</span> clocks. Generated ",
      absl::FormatTime("%Y-%m-%d %H:%M", input.generated, input.tz),
      " by cxdesk.</p>");
  absl::StrAppend(&out, "<h2>Compliance by ", input.bucket_name,
                  "</h2><figure>", ComplianceChart(input),
                  "<figcaption>Met on time as a share of met and breached "
                  "clocks, per metric and ",
                  input.bucket_name,
                  " the clock started</figcaption></figure>");
  absl::StrAppend(&out, "<h2>First response against the target</h2>",
                  HistogramChart(input));
  absl::StrAppend(
      &out, "<h2>Breaches</h2><div class=\"charts\">",
      BreachChart(input.by_cx_level, "breaches-by-cx-level", "CX level"),
      BreachChart(input.by_team, "breaches-by-team", "team"), "</div>");
  std::vector<std::string> dims;
  for (int d : input.report.group_by()) {
    dims.push_back(ReportDimensionWord(static_cast<slapb::ReportDimension>(d)));
  }
  absl::StrAppend(
      &out, "<h2>Report",
      dims.empty() ? "" : " by " + absl::StrJoin(dims, ", "),
      "</h2><div class=\"wide\">", ReportTable(input.report),
      "</div><p class=\"note\">Compliance: met on time / (met on time + "
      "breached). Business time excludes paused time and time "
      "outside the calendar's hours; percentiles are nearest-rank."
      "</p></body></html>\n");
  return out;
}

}  // namespace cxdesk::clients::cli
