// The `sla ...` commands: clocks, the event ledger, breaches and reports of the
// SLA service.

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "clients/cli/breach_causes.h"
#include "clients/cli/command.h"
#include "clients/cli/report_html.h"
#include "clients/cli/requests.h"
#include "clients/cli/sla_output.h"
#include "clients/common/enum_words.h"
#include "services/common/proto_time.h"
#include "services/common/status_macros.h"

namespace cxdesk::clients::cli {
namespace {

namespace ticketpb = ::cxdesk::ticket::v1;
namespace slapb = ::cxdesk::sla::v1;
namespace escpb = ::cxdesk::escalation::v1;

absl::Status RunSlaShow(Invocation& inv) {
  CXDESK_ASSIGN_OR_RETURN(int64_t id,
                          AsUsage(ParseTicketId("TICKET_ID", inv.arg(0))));
  slapb::GetTicketSlaRequest request;
  request.set_ticket_id(id);
  return PrintReply(inv, inv.sla().GetTicketSla(request), &FormatTicketSla);
}

Command SlaShowCommand() {
  return Command("sla show")
      .Args("TICKET_ID", 1)
      .Summary(
          "every SLA clock of a ticket and why it stands where it does (staff)")
      .Service(Service::kSla)
      .Run(&RunSlaShow);
}

absl::Status RunSlaPromise(Invocation& inv) {
  CXDESK_ASSIGN_OR_RETURN(int64_t id,
                          AsUsage(ParseTicketId("TICKET_ID", inv.arg(0))));
  slapb::GetSlaPromiseRequest request;
  request.set_ticket_id(id);
  return PrintReply(inv, inv.sla().GetSlaPromise(request), &FormatSlaPromise);
}

Command SlaPromiseCommand() {
  return Command("sla promise")
      .Args("TICKET_ID", 1)
      .Summary(
          "what the customer may be promised for a ticket (staff, service)")
      .Service(Service::kSla)
      .Run(&RunSlaPromise);
}

absl::Status RunSlaEvents(Invocation& inv) {
  CXDESK_ASSIGN_OR_RETURN(slapb::ListSlaEventsRequest request,
                          AsUsage(BuildListSlaEventsRequest(inv.flags())));
  CXDESK_ASSIGN_OR_RETURN(int64_t limit, AsUsage(ParseLimit(inv.flags())));
  const OutputContext context = inv.output();
  int64_t printed = 0;
  bool more = false;
  while (true) {
    CXDESK_ASSIGN_OR_RETURN(slapb::ListSlaEventsResponse page,
                            FromServer(inv.sla().ListSlaEvents(request)));
    more = !KeepAtMost(limit == 0 ? 0 : limit - printed, page.mutable_events());
    if (inv.global().json) {
      CXDESK_RETURN_IF_ERROR(inv.PrintJson(page));
    } else {
      for (const slapb::SlaEvent& event : page.events()) {
        inv.out() << FormatSlaEventLine(event, context, /*stream=*/false)
                  << "\n";
      }
    }
    printed += page.events_size();
    const std::string& next = page.next_page_token();
    if (next.empty() || next == request.page_token()) break;
    if (limit > 0 && printed >= limit) {
      more = true;
      break;
    }
    request.set_page_token(next);
  }
  if (inv.global().json) return absl::OkStatus();
  if (printed == 0) inv.out() << "no events\n";
  if (more) {
    inv.out() << "more events: stopped at --limit " << limit << "\n";
  }
  return absl::OkStatus();
}

Command SlaEventsCommand() {
  return Command("sla events")
      .Summary(
          "the SLA event ledger, oldest first, following every page (staff)")
      .Flag("ticket", "ID", "only this ticket")
      .Repeatable("kind", "K,K",
                  absl::StrCat("only these kinds: ", SlaEventKindWords()))
      .Flag("metric", "METRIC", absl::StrCat("one of ", MetricWords()))
      .Flag("since", "TIME",
            "only events at or after TIME (2026-11-01 or RFC 3339)")
      .Flag("until", "TIME", "only events before TIME")
      .Flag("limit", "N", "stop after N events")
      .Service(Service::kSla)
      .Run(&RunSlaEvents);
}

// Follows every page of a List call: `fetch(token)` returns a page, whose
// items `take(page)` keeps; stops at an empty or repeated token.
template <typename Page, typename Fetch, typename Take>
absl::Status EveryPage(const Fetch& fetch, const Take& take) {
  std::string token;
  while (true) {
    absl::StatusOr<Page> page = fetch(token);
    if (!page.ok()) return page.status();
    take(*page);
    if (page->next_page_token().empty() || page->next_page_token() == token) {
      return absl::OkStatus();
    }
    token = page->next_page_token();
  }
}

// What the three services recorded about ticket `ticket_id`, for
// BreachCauses (the breach itself is left unset). The SLA ledger is required
// (sla breaches is the SLA service's command); the ticket and escalation
// services are optional: when one cannot be asked, ticket_known or
// escalation_known is false and the rest still explains the breach.
absl::StatusOr<BreachHistory> FetchBreachHistory(Invocation& inv,
                                                 int64_t ticket_id) {
  BreachHistory history;
  absl::Status ticket = EveryPage<ticketpb::ListTicketEventsResponse>(
      [&](const std::string& token) {
        ticketpb::ListTicketEventsRequest request;
        request.set_ticket_id(ticket_id);
        request.set_page_size(500);
        request.set_page_token(token);
        return inv.client().ListTicketEvents(request);
      },
      [&](const ticketpb::ListTicketEventsResponse& page) {
        for (const ticketpb::TicketEvent& e : page.events()) {
          history.ticket_events.push_back(e);
        }
      });
  if (!ticket.ok()) {
    history.ticket_known = false;
    history.ticket_events.clear();
  }
  CXDESK_RETURN_IF_ERROR(FromServer(EveryPage<slapb::ListSlaEventsResponse>(
      [&](const std::string& token) {
        slapb::ListSlaEventsRequest request;
        request.set_ticket_id(ticket_id);
        request.set_page_size(1000);
        request.set_page_token(token);
        return inv.sla().ListSlaEvents(request);
      },
      [&](const slapb::ListSlaEventsResponse& page) {
        for (const slapb::SlaEvent& e : page.events()) {
          history.sla_events.push_back(e);
        }
      })));
  escpb::ExplainRoutingRequest explain;
  explain.set_ticket_id(ticket_id);
  absl::StatusOr<escpb::ExplainRoutingResponse> routing =
      inv.escalation().ExplainRouting(explain);
  absl::Status steps = EveryPage<escpb::ListEscalationsResponse>(
      [&](const std::string& token) {
        escpb::ListEscalationsRequest request;
        request.set_ticket_id(ticket_id);
        request.set_page_size(500);
        request.set_page_token(token);
        return inv.escalation().ListEscalations(request);
      },
      [&](const escpb::ListEscalationsResponse& page) {
        for (const escpb::Escalation& e : page.escalations()) {
          history.escalations.push_back(e);
        }
      });
  if (!routing.ok() || !steps.ok()) {
    history.escalation_known = false;
    history.escalations.clear();
    return history;
  }
  history.decisions.assign(routing->decisions().begin(),
                           routing->decisions().end());
  return history;
}

// At most this many breaches are explained by one sla breaches.
constexpr size_t kMaxExplainedBreaches = 100;

absl::Status RunSlaBreaches(Invocation& inv) {
  CXDESK_ASSIGN_OR_RETURN(slapb::ListBreachesRequest request,
                          AsUsage(BuildListBreachesRequest(inv.flags())));
  CXDESK_ASSIGN_OR_RETURN(int64_t limit, AsUsage(ParseLimit(inv.flags())));
  std::vector<slapb::Breach> breaches;
  bool more = false;
  while (true) {
    CXDESK_ASSIGN_OR_RETURN(slapb::ListBreachesResponse page,
                            FromServer(inv.sla().ListBreaches(request)));
    const int64_t left =
        limit == 0 ? 0 : limit - static_cast<int64_t>(breaches.size());
    more = !KeepAtMost(left, page.mutable_breaches());
    if (inv.global().json) CXDESK_RETURN_IF_ERROR(inv.PrintJson(page));
    for (slapb::Breach& b : *page.mutable_breaches()) breaches.push_back(b);
    const std::string& next = page.next_page_token();
    if (next.empty() || next == request.page_token()) break;
    if (limit > 0 && static_cast<int64_t>(breaches.size()) >= limit) {
      more = true;
      break;
    }
    request.set_page_token(next);
  }
  if (inv.global().json) return absl::OkStatus();
  if (breaches.empty()) {
    inv.out() << "no breaches\n";
  } else {
    const OutputContext context = inv.output();
    inv.out() << FormatBreachTable(breaches, context);
    if (!inv.flags().Has("no-causes")) {
      bool told_escalation_down = false;
      // Each explanation asks three services four questions: a long window
      // is explained for its newest breaches only, and says so.
      const size_t explained = std::min(breaches.size(), kMaxExplainedBreaches);
      bool told_ticket_down = false;
      // One history per ticket, however many of its clocks breached.
      std::map<int64_t, BreachHistory> histories;
      for (size_t i = 0; i < explained; ++i) {
        const slapb::Breach& b = breaches[i];
        const int64_t ticket_id = b.event().ticket_id();
        auto it = histories.find(ticket_id);
        if (it == histories.end()) {
          CXDESK_ASSIGN_OR_RETURN(BreachHistory fetched,
                                  FetchBreachHistory(inv, ticket_id));
          it = histories.emplace(ticket_id, std::move(fetched)).first;
        }
        BreachHistory& history = it->second;
        history.breach = b;
        const std::vector<std::string> causes =
            BreachCauses(history, context.now);
        // Said once, below, rather than under every breach.
        if (!history.escalation_known) told_escalation_down = true;
        if (!history.ticket_known) told_ticket_down = true;
        inv.out() << "\n#" << b.event().ticket_id() << " "
                  << MetricWord(b.event().metric()) << ", due "
                  << FormatSecondTime(ToTime(b.event().occur_time()),
                                      context.tz)
                  << ":\n";
        for (const std::string& cause : causes) {
          inv.out() << "  - " << cause << "\n";
        }
      }
      if (explained < breaches.size()) {
        inv.out() << "\ncauses shown for the newest " << explained << " of "
                  << breaches.size()
                  << " breaches; narrow the window, or --limit\n";
      }
      if (told_ticket_down) {
        inv.out() << "\nnote: the ticket service at " << inv.global().target
                  << " could not be asked: who held each ticket, and for how "
                     "long, is missing from the causes\n";
      }
      if (told_escalation_down) {
        inv.out() << "\nnote: the escalation service at "
                  << inv.global().escalation_target
                  << " could not be asked: routing and escalation steps are "
                     "missing from the causes\n";
      }
    }
  }
  if (more) {
    inv.out() << "more breaches: stopped at --limit " << limit << "\n";
  }
  return absl::OkStatus();
}

Command SlaBreachesCommand() {
  return Command("sla breaches")
      .Summary(
          "SLA breaches, newest deadline first, and what became of them "
          "(staff)")
      .Flag("team", "TEAM", "only this team")
      .Flag("agent", "AGENT", "only tickets assigned to this agent")
      .Flag("metric", "METRIC", absl::StrCat("one of ", MetricWords()))
      .Flag("priority", "PRIORITY", absl::StrCat("one of ", PriorityWords()))
      .Switch("open", "only clocks not met yet")
      .Flag("from", "TIME", "only breaches due at or after TIME")
      .Alias("since")
      .Flag("to", "TIME", "only breaches due before TIME")
      .Alias("until")
      .Switch("no-causes",
              "skip the causes (they ask the ticket and escalation services "
              "about each breach)")
      .Flag("limit", "N", "stop after N breaches")
      .Service(Service::kSla)
      .Run(&RunSlaBreaches);
}

absl::Status PrintReport(Invocation& inv, const slapb::SlaReport& report,
                         ReportFormat format) {
  if (inv.global().json) return inv.PrintJson(report);
  if (format == ReportFormat::kCsv) {
    inv.out() << FormatSlaReportCsv(report);
  } else {
    inv.out() << FormatSlaReportTable(report, inv.output());
  }
  return absl::OkStatus();
}

// The report of the same window with one grouping (none for `dimension`
// UNSPECIFIED).
absl::StatusOr<slapb::SlaReport> ReportOfWindow(
    Invocation& inv, absl::Time from, absl::Time to,
    slapb::ReportDimension dimension) {
  slapb::GetSlaReportRequest request;
  common::ToProtoTimestamp(from, request.mutable_start_time());
  common::ToProtoTimestamp(to, request.mutable_end_time());
  if (dimension != slapb::REPORT_DIMENSION_UNSPECIFIED) {
    request.add_group_by(dimension);
  }
  return FromServer(inv.sla().GetSlaReport(request));
}

// sla report --html FILE: the report, a report per day or week, the first
// responses of the window and the breaches by CX level and team, as a page.
absl::Status WriteHtmlReport(Invocation& inv, const slapb::SlaReport& report) {
  const absl::Time from = common::FromProtoTimestamp(report.start_time());
  const absl::Time to = common::FromProtoTimestamp(report.end_time());
  const OutputContext context = inv.output();
  HtmlReportInput input;
  input.title = absl::StrCat(
      "SLA report ", absl::FormatTime("%Y-%m-%d", from, context.tz), " to ",
      absl::FormatTime("%Y-%m-%d", to, context.tz));
  input.tz = context.tz;
  input.generated = context.now;
  input.report = report;
  input.bucket_name = inv.flags().Get("bucket", BucketNameFor(from, to));
  if (input.bucket_name != "day" && input.bucket_name != "week") {
    return UsageError(absl::StrCat("--bucket: '", input.bucket_name,
                                   "' is not one of day, week"));
  }
  const auto bounds = BucketBounds(from, to, context.tz, input.bucket_name);
  if (bounds.size() > 400) {
    return UsageError(absl::StrCat(
        "--bucket ", input.bucket_name, ": the window has ", bounds.size(),
        " of them; at most 400 fit a chart (use --bucket week)"));
  }
  for (const auto& [start, end] : bounds) {
    CXDESK_ASSIGN_OR_RETURN(
        slapb::SlaReport slice,
        ReportOfWindow(inv, start, end, slapb::REPORT_DIMENSION_UNSPECIFIED));
    input.buckets.push_back({start, end, std::move(slice)});
  }
  CXDESK_ASSIGN_OR_RETURN(
      input.by_cx_level,
      ReportOfWindow(inv, from, to, slapb::REPORT_DIMENSION_CX_LEVEL));
  CXDESK_ASSIGN_OR_RETURN(
      input.by_team,
      ReportOfWindow(inv, from, to, slapb::REPORT_DIMENSION_TEAM));
  slapb::ListSlaEventsRequest events;
  events.add_kinds(slapb::SLA_EVENT_KIND_MET);
  events.set_metric(slapb::METRIC_FIRST_RESPONSE);
  common::ToProtoTimestamp(from, events.mutable_start_time());
  common::ToProtoTimestamp(to, events.mutable_end_time());
  events.set_page_size(1000);
  while (true) {
    CXDESK_ASSIGN_OR_RETURN(slapb::ListSlaEventsResponse page,
                            FromServer(inv.sla().ListSlaEvents(events)));
    for (const slapb::SlaEvent& e : page.events()) {
      input.first_responses.push_back(
          {common::FromProtoDuration(e.business_time()),
           common::FromProtoDuration(e.target())});
    }
    if (page.next_page_token().empty() ||
        page.next_page_token() == events.page_token()) {
      break;
    }
    events.set_page_token(page.next_page_token());
  }
  const std::string name = inv.flags().Get("html");
  std::filesystem::path path(name);
  if (path.is_relative()) path = std::filesystem::path(inv.env().cwd) / path;
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file << FormatSlaReportHtml(input);
  file.close();
  if (!file) {
    return Tagged(absl::UnavailableError(
                      absl::StrCat("--html ", name, ": cannot be written")),
                  kServerPayload);
  }
  inv.out() << "wrote " << name << ": " << report.clocks() << " clocks, "
            << input.buckets.size() << " " << input.bucket_name
            << (input.buckets.size() == 1 ? "" : "s") << ", "
            << input.first_responses.size() << " first responses\n";
  return absl::OkStatus();
}

absl::Status RunSlaReport(Invocation& inv) {
  CXDESK_ASSIGN_OR_RETURN(slapb::GetSlaReportRequest request,
                          AsUsage(BuildSlaReportRequest(inv.flags())));
  CXDESK_ASSIGN_OR_RETURN(ReportFormat format,
                          AsUsage(ParseReportFormat(inv.flags())));
  if (inv.flags().Has("html") &&
      (inv.flags().Has("csv") || inv.global().json)) {
    return UsageError(
        "--html writes a page; it goes with neither --csv nor --json");
  }
  CXDESK_ASSIGN_OR_RETURN(slapb::SlaReport report,
                          FromServer(inv.sla().GetSlaReport(request)));
  if (inv.flags().Has("html")) return WriteHtmlReport(inv, report);
  return PrintReport(inv, report, format);
}

Command SlaReportCommand() {
  return Command("sla report")
      .Summary(
          "compliance and response times of the clocks started in a window, as "
          "a table, CSV or an HTML page with charts (manager)")
      .Required("from", "TIME",
                "clocks that started at or after TIME (2026-11-01 or RFC 3339)")
      .Alias("since")
      .Required("to", "TIME", "clocks that started before TIME")
      .Alias("until")
      .Repeatable(
          "by", "D,D",
          absl::StrCat("one row per group of: ", ReportDimensionWords()))
      .Alias("group-by")
      .Switch("csv", "print CSV instead of a table")
      .Flag("html", "FILE",
            "write a self-contained HTML page with charts (compliance by day "
            "or week, first responses against the target, breaches by CX level "
            "and team) to FILE")
      .Flag("bucket", "day|week",
            "the HTML chart's slices (default: day up to 62 days, else week)")
      .Flag("format", "FORMAT", "table (default) or csv")
      .Service(Service::kSla)
      .Run(&RunSlaReport);
}

absl::Status RunSlaSimulate(Invocation& inv) {
  CXDESK_ASSIGN_OR_RETURN(slapb::Policy policy,
                          ReadConfigFile<slapb::Policy>(inv, "policy"));
  CXDESK_ASSIGN_OR_RETURN(
      slapb::SimulatePolicyRequest request,
      AsUsage(BuildSimulatePolicyRequest(std::move(policy), inv.flags())));
  CXDESK_ASSIGN_OR_RETURN(ReportFormat format,
                          AsUsage(ParseReportFormat(inv.flags())));
  CXDESK_ASSIGN_OR_RETURN(slapb::SlaReport report,
                          FromServer(inv.sla().SimulatePolicy(request)));
  return PrintReport(inv, report, format);
}

Command SlaSimulateCommand() {
  return Command("sla simulate")
      .Summary(
          "the report a past window would have had under a draft policy; "
          "changes nothing (manager)")
      .Required(
          "policy", "FILE",
          "the draft Policy as JSON (.json), YAML (.yaml) or text format; it "
          "replaces the policy with its policy_id, or is added")
      .Alias("file")
      .Required("from", "TIME", "clocks that started at or after TIME")
      .Alias("since")
      .Required(
          "to", "TIME",
          "clocks that started before TIME (at most 31 days after --from)")
      .Alias("until")
      .Repeatable(
          "by", "D,D",
          absl::StrCat("one row per group of: ", ReportDimensionWords()))
      .Alias("group-by")
      .Switch("csv", "print CSV instead of a table")
      .Flag("format", "FORMAT", "table (default) or csv")
      .Service(Service::kSla)
      .Run(&RunSlaSimulate);
}

absl::Status RunSlaWatch(Invocation& inv) {
  CXDESK_ASSIGN_OR_RETURN(const int64_t count,
                          inv.WatchCount());  // 0: no limit.
  slapb::WatchSlaEventsRequest request;
  request.set_after_cursor(inv.flags().Get("after"));
  int64_t seen = 0;
  absl::Status print_status;
  absl::Status status =
      inv.sla().WatchSlaEvents(request, [&](const slapb::SlaEvent& event) {
        if (inv.global().json) {
          print_status = inv.PrintJson(event);
          if (!print_status.ok()) return false;
        } else {
          inv.out() << FormatSlaEventLine(event, inv.output(), /*stream=*/true)
                    << "\n";
        }
        // Live output: whoever reads it (a pipe, a test) sees each event now.
        inv.out().flush();
        return count == 0 || ++seen < count;
      });
  CXDESK_RETURN_IF_ERROR(print_status);
  return FromServer(status);
}

Command SlaWatchCommand() {
  return Command("sla watch")
      .Summary(
          "follow the SLA event stream live, one line per event with its "
          "cursor (staff)")
      .Flag("after", "CURSOR",
            "resume after this cursor (default: from the beginning)")
      .Flag("count", "N", "stop after N events")
      .Service(Service::kSla)
      .Run(&RunSlaWatch);
}

}  // namespace

std::vector<Command> SlaCommands() {
  return {SlaShowCommand(),     SlaPromiseCommand(), SlaEventsCommand(),
          SlaBreachesCommand(), SlaReportCommand(),  SlaSimulateCommand(),
          SlaWatchCommand()};
}

}  // namespace cxdesk::clients::cli
