// The `calendar ...` and `policy ...` commands: the SLA service's
// configuration.

#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "clients/cli/command.h"
#include "clients/cli/sla_output.h"
#include "google/protobuf/empty.pb.h"
#include "services/common/status_macros.h"

namespace cxdesk::clients::cli {
namespace {

namespace slapb = ::cxdesk::sla::v1;

absl::Status RunCalendarCreate(Invocation& inv) {
  CXDESK_ASSIGN_OR_RETURN(slapb::Calendar calendar,
                          ReadConfigFile<slapb::Calendar>(inv));
  slapb::CreateCalendarRequest request;
  *request.mutable_calendar() = std::move(calendar);
  CXDESK_ASSIGN_OR_RETURN(slapb::Calendar created,
                          FromServer(inv.sla().CreateCalendar(request)));
  return PrintWritten(inv, created, "calendar", created.calendar_id(),
                      "created", created.etag());
}

Command CalendarCreateCommand() {
  return Command("calendar create")
      .Summary(
          "create a business calendar from a Calendar file (text format, JSON "
          "or YAML) (manager)")
      .Required("file", "FILE",
                "the Calendar as text format, JSON (.json) or YAML (.yaml) "
                "(calendar_id, time_zone, hours, holidays, description); - "
                "reads standard input")
      .Service(Service::kSla)
      .Run(&RunCalendarCreate);
}

absl::Status RunCalendarUpdate(Invocation& inv) {
  CXDESK_ASSIGN_OR_RETURN(slapb::Calendar calendar,
                          ReadConfigFile<slapb::Calendar>(inv));
  if (calendar.calendar_id().empty()) {
    return UsageError(absl::StrCat("--file ", inv.flags().Get("file"),
                                   ": calendar_id is not set (it names the "
                                   "calendar to update)"));
  }
  slapb::UpdateCalendarRequest request;
  if (inv.flags().Has("etag")) {
    request.set_etag(inv.flags().Get("etag"));
  } else {
    slapb::GetCalendarRequest get;
    get.set_calendar_id(calendar.calendar_id());
    CXDESK_ASSIGN_OR_RETURN(slapb::Calendar current,
                            FromServer(inv.sla().GetCalendar(get)));
    request.set_etag(current.etag());
  }
  *request.mutable_calendar() = std::move(calendar);
  CXDESK_ASSIGN_OR_RETURN(slapb::Calendar updated,
                          FromServer(inv.sla().UpdateCalendar(request)));
  return PrintWritten(inv, updated, "calendar", updated.calendar_id(),
                      "updated", updated.etag());
}

Command CalendarUpdateCommand() {
  return Command("calendar update")
      .Summary(
          "replace the calendar named by calendar_id in the file (manager)")
      .Required("file", "FILE",
                "the new Calendar as text format, JSON (.json) or YAML (.yaml)")
      .Flag("etag", "ETAG",
            "fail if the calendar changed since this etag (default: the "
            "current one, i.e. overwrite)")
      .Service(Service::kSla)
      .Run(&RunCalendarUpdate);
}

absl::Status RunCalendarGet(Invocation& inv) {
  slapb::GetCalendarRequest request;
  request.set_calendar_id(inv.arg(0));
  return PrintReply(inv, inv.sla().GetCalendar(request),
                    &FormatCalendarDetails);
}

Command CalendarGetCommand() {
  return Command("calendar get")
      .Args("ID", 1)
      .Summary("a calendar's time zone, business hours and holidays (staff)")
      .Service(Service::kSla)
      .Run(&RunCalendarGet);
}

absl::Status RunCalendarList(Invocation& inv) {
  slapb::ListCalendarsRequest request;
  request.set_page_size(500);
  std::vector<slapb::Calendar> calendars;
  while (true) {
    CXDESK_ASSIGN_OR_RETURN(slapb::ListCalendarsResponse page,
                            FromServer(inv.sla().ListCalendars(request)));
    if (inv.global().json) CXDESK_RETURN_IF_ERROR(inv.PrintJson(page));
    for (slapb::Calendar& c : *page.mutable_calendars()) calendars.push_back(c);
    // A token equal to the one just used would loop forever.
    if (page.next_page_token().empty() ||
        page.next_page_token() == request.page_token()) {
      break;
    }
    request.set_page_token(page.next_page_token());
  }
  if (inv.global().json) return absl::OkStatus();
  if (calendars.empty()) {
    inv.out() << "no calendars\n";
  } else {
    inv.out() << FormatCalendarTable(calendars, inv.output());
  }
  return absl::OkStatus();
}

Command CalendarListCommand() {
  return Command("calendar list")
      .Summary("all calendars as a table (staff)")
      .Service(Service::kSla)
      .Run(&RunCalendarList);
}

absl::Status RunCalendarDelete(Invocation& inv) {
  slapb::DeleteCalendarRequest request;
  request.set_calendar_id(inv.arg(0));
  request.set_etag(inv.flags().Get("etag"));
  CXDESK_RETURN_IF_ERROR(FromServer(inv.sla().DeleteCalendar(request)));
  if (inv.global().json) return inv.PrintJson(google::protobuf::Empty());
  inv.out() << "calendar " << request.calendar_id() << " deleted\n";
  return absl::OkStatus();
}

Command CalendarDeleteCommand() {
  return Command("calendar delete")
      .Args("ID", 1)
      .Summary("delete a calendar no policy or open clock uses (manager)")
      .Flag("etag", "ETAG", "fail if the calendar changed since this etag")
      .Service(Service::kSla)
      .Run(&RunCalendarDelete);
}

absl::Status RunPolicyCreate(Invocation& inv) {
  CXDESK_ASSIGN_OR_RETURN(slapb::Policy policy,
                          ReadConfigFile<slapb::Policy>(inv));
  slapb::CreatePolicyRequest request;
  *request.mutable_policy() = std::move(policy);
  CXDESK_ASSIGN_OR_RETURN(slapb::Policy created,
                          FromServer(inv.sla().CreatePolicy(request)));
  return PrintWritten(inv, created, "policy", created.policy_id(), "created",
                      created.etag());
}

Command PolicyCreateCommand() {
  return Command("policy create")
      .Summary(
          "create an SLA policy from a Policy file (text format, JSON or YAML) "
          "(manager)")
      .Required(
          "file", "FILE",
          "the Policy as text format, JSON (.json) or YAML (.yaml) (policy_id, "
          "position, conditions, targets, ...); - reads standard input")
      .Service(Service::kSla)
      .Run(&RunPolicyCreate);
}

absl::Status RunPolicyUpdate(Invocation& inv) {
  CXDESK_ASSIGN_OR_RETURN(slapb::Policy policy,
                          ReadConfigFile<slapb::Policy>(inv));
  if (policy.policy_id().empty()) {
    return UsageError(
        absl::StrCat("--file ", inv.flags().Get("file"),
                     ": policy_id is not set (it names the policy to update)"));
  }
  slapb::UpdatePolicyRequest request;
  if (inv.flags().Has("etag")) {
    request.set_etag(inv.flags().Get("etag"));
  } else {
    slapb::GetPolicyRequest get;
    get.set_policy_id(policy.policy_id());
    CXDESK_ASSIGN_OR_RETURN(slapb::Policy current,
                            FromServer(inv.sla().GetPolicy(get)));
    request.set_etag(current.etag());
  }
  *request.mutable_policy() = std::move(policy);
  CXDESK_ASSIGN_OR_RETURN(slapb::Policy updated,
                          FromServer(inv.sla().UpdatePolicy(request)));
  return PrintWritten(inv, updated, "policy", updated.policy_id(), "updated",
                      updated.etag());
}

Command PolicyUpdateCommand() {
  return Command("policy update")
      .Summary("replace the policy named by policy_id in the file (manager)")
      .Required("file", "FILE",
                "the new Policy as text format, JSON (.json) or YAML (.yaml)")
      .Flag("etag", "ETAG",
            "fail if the policy changed since this etag (default: the current "
            "one, i.e. overwrite)")
      .Service(Service::kSla)
      .Run(&RunPolicyUpdate);
}

absl::Status RunPolicyGet(Invocation& inv) {
  slapb::GetPolicyRequest request;
  request.set_policy_id(inv.arg(0));
  return PrintReply(inv, inv.sla().GetPolicy(request), &FormatPolicyDetails);
}

Command PolicyGetCommand() {
  return Command("policy get")
      .Args("ID", 1)
      .Summary("a policy's conditions and targets (staff)")
      .Service(Service::kSla)
      .Run(&RunPolicyGet);
}

absl::Status RunPolicyList(Invocation& inv) {
  slapb::ListPoliciesRequest request;
  request.set_page_size(500);
  std::vector<slapb::Policy> policies;
  while (true) {
    CXDESK_ASSIGN_OR_RETURN(slapb::ListPoliciesResponse page,
                            FromServer(inv.sla().ListPolicies(request)));
    if (inv.global().json) CXDESK_RETURN_IF_ERROR(inv.PrintJson(page));
    for (slapb::Policy& p : *page.mutable_policies()) policies.push_back(p);
    if (page.next_page_token().empty() ||
        page.next_page_token() == request.page_token()) {
      break;
    }
    request.set_page_token(page.next_page_token());
  }
  if (inv.global().json) return absl::OkStatus();
  if (policies.empty()) {
    inv.out() << "no policies\n";
  } else {
    inv.out() << FormatPolicyTable(policies);
  }
  return absl::OkStatus();
}

Command PolicyListCommand() {
  return Command("policy list")
      .Summary("all policies in the order they are tried (staff)")
      .Service(Service::kSla)
      .Run(&RunPolicyList);
}

absl::Status RunPolicyDelete(Invocation& inv) {
  slapb::DeletePolicyRequest request;
  request.set_policy_id(inv.arg(0));
  request.set_etag(inv.flags().Get("etag"));
  CXDESK_RETURN_IF_ERROR(FromServer(inv.sla().DeletePolicy(request)));
  if (inv.global().json) return inv.PrintJson(google::protobuf::Empty());
  inv.out() << "policy " << request.policy_id() << " deleted\n";
  return absl::OkStatus();
}

Command PolicyDeleteCommand() {
  return Command("policy delete")
      .Args("ID", 1)
      .Summary("delete a policy (manager)")
      .Flag("etag", "ETAG", "fail if the policy changed since this etag")
      .Service(Service::kSla)
      .Run(&RunPolicyDelete);
}

}  // namespace

std::vector<Command> SlaConfigCommands() {
  return {CalendarCreateCommand(), CalendarUpdateCommand(),
          CalendarGetCommand(),    CalendarListCommand(),
          CalendarDeleteCommand(), PolicyCreateCommand(),
          PolicyUpdateCommand(),   PolicyGetCommand(),
          PolicyListCommand(),     PolicyDeleteCommand()};
}

}  // namespace cxdesk::clients::cli
