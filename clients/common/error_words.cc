#include "clients/common/error_words.h"

#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/types/span.h"

namespace cxdesk::clients {
namespace {

using Code = absl::StatusCode;

// The text for one status code. Placeholders: {service} (e.g. "SLA
// service"), {target}, {msg} (the server's message), {code} ("INTERNAL"),
// {detail} ("\n  detail: " and the message, or nothing without one),
// {paren_msg} (" (" message ")", or nothing), {reason} (the message without
// a leading "field: "), {busy} (DescribeResourceExhausted) and {ticket} (the
// ticket number).
struct Text {
  Code code;
  const char* text;
  // Only when a ticket number is known (ErrorSubject::ticket_id > 0).
  bool needs_ticket = false;
};

// --- staff: the cxdesk CLI and console ---------------------------------------

constexpr Text kTicketTexts[] = {
    {Code::kUnavailable,
     "cannot reach the ticket service at {target}: is it running? (start it "
     "with ./deploy/up.sh){detail}"},
    {Code::kPermissionDenied,
     "not allowed for your role: {msg} (customers use --access-key for their "
     "own ticket; staff need a token with the right role)"},
    {Code::kNotFound,
     "not found: {msg} (check the ticket number, and the access key if you "
     "are the customer)"},
};

constexpr Text kSlaTexts[] = {
    {Code::kUnavailable,
     "cannot reach the SLA service at {target}: is it running? (pass "
     "--sla-target or set CXDESK_SLA_TARGET if it listens elsewhere){detail}"},
    {Code::kPermissionDenied,
     "not allowed for your role: {msg} (calendars, policies, reports and "
     "simulations need a manager token; other reads any staff token)"},
    {Code::kNotFound,
     "not found: {msg} (check the id or ticket number; the SLA service knows "
     "a ticket once it has seen a change to it)"},
};

constexpr Text kEscalationTexts[] = {
    {Code::kUnavailable,
     "cannot reach the escalation service at {target}: is it running? (pass "
     "--escalation-target or set CXDESK_ESCALATION_TARGET if it listens "
     "elsewhere){detail}"},
    {Code::kPermissionDenied,
     "not allowed for your role: {msg} (teams, agents, rules, ladders, "
     "re-routing, webhooks and figures need a manager token; agents may read "
     "them, set their own availability and read their own notifications)"},
    {Code::kNotFound,
     "not found: {msg} (check the id, team, metric or ticket number; the "
     "escalation service knows a ticket once it has seen it created)"},
};

// What staff read for any of the three services, after the service's own.
constexpr Text kStaffTexts[] = {
    {Code::kOk, "ok"},
    {Code::kUnauthenticated,
     "not signed in or token rejected ({msg}); set CXDESK_TOKEN, e.g. export "
     "CXDESK_TOKEN=$(cxdesk token issue --role agent --subject alice)"},
    {Code::kInvalidArgument, "invalid input: {msg}"},
    {Code::kFailedPrecondition, "not allowed now: {msg}"},
    {Code::kAborted, "someone else changed it first: {msg}; reload and retry"},
    {Code::kAlreadyExists, "already exists: {msg}"},
    {Code::kDeadlineExceeded,
     "the {service} at {target} did not answer in time ({msg}); try again, "
     "or allow longer with --timeout"},
    {Code::kResourceExhausted, "{busy}"},
    {Code::kCancelled, "cancelled: {msg}"},
    {Code::kUnimplemented,
     "the {service} at {target} does not support this call ({msg}); is it an "
     "older version?"},
    {Code::kOutOfRange, "out of range: {msg}"},
};
// INTERNAL, UNKNOWN, DATA_LOSS: the server's fault, not the user's.
constexpr char kStaffOtherwise[] =
    "the {service} at {target} failed ({code}: {msg}); see its log";

// --- staff, about an audit trail -------------------------------------------

constexpr Text kAuditTexts[] = {
    {Code::kOk, "ok"},
    {Code::kUnavailable,
     "cannot reach the {service} at {target}: is it running?{paren_msg}"},
    {Code::kUnauthenticated,
     "the {service} did not accept your token: {msg} (pass --token or set "
     "CXDESK_TOKEN)"},
    {Code::kPermissionDenied,
     "not allowed for your role: {msg} (the audit trail needs a manager "
     "token)"},
    {Code::kUnimplemented,
     "the {service} at {target} has no audit trail ({msg}); is it an older "
     "version?"},
    {Code::kDeadlineExceeded,
     "the {service} at {target} did not answer in time ({msg}); allow longer "
     "with --timeout"},
};
constexpr char kAuditOtherwise[] = "the {service} at {target}: {code}: {msg}";

// --- customers: cxdesk-status ------------------------------------------------

constexpr Text kCustomerTexts[] = {
    {Code::kOk, "ok"},
    // The server does not say whether the number or the key is wrong, nor
    // does this.
    {Code::kNotFound,
     "No ticket {ticket} matches that access key. Check the number and the "
     "key from your confirmation message.",
     /*needs_ticket=*/true},
    {Code::kNotFound, "The help desk could not find that: {msg}."},
    {Code::kUnavailable,
     "The help desk cannot be reached at {target} right now. Please try "
     "again in a few minutes."},
    {Code::kDeadlineExceeded,
     "The help desk cannot be reached at {target} right now. Please try "
     "again in a few minutes."},
    {Code::kInvalidArgument, "The help desk did not accept that: {msg}."},
    {Code::kUnauthenticated,
     "The help desk did not accept the access key: {msg}."},
    {Code::kPermissionDenied,
     "The help desk did not accept the access key: {msg}."},
    {Code::kFailedPrecondition, "That is not possible now: {msg}."},
    {Code::kResourceExhausted,
     "The help desk is busy right now. Please try again in a few minutes."},
};
constexpr char kCustomerOtherwise[] =
    "Something went wrong at the help desk ({code}). Please try again later.";

// --- agents: the console's status line ---------------------------------------

// {reason} is the server's message without a leading "field: ".
constexpr Text kConsoleTexts[] = {
    {Code::kOk, "ok"},
    {Code::kFailedPrecondition, "{reason}"},
    {Code::kPermissionDenied, "you may not do that: {reason}"},
    {Code::kAborted, "someone changed this ticket first — reloaded, try again"},
    {Code::kUnavailable, "{service} unreachable, retrying"},
    {Code::kDeadlineExceeded, "{service} too slow to answer, try again"},
    {Code::kUnauthenticated,
     "not signed in: {reason} — start with a valid token"},
    {Code::kNotFound, "not found: {reason}"},
    {Code::kInvalidArgument, "rejected: {msg}"},
    {Code::kAlreadyExists, "already done: {reason}"},
    {Code::kResourceExhausted, "{service} is busy, try again shortly"},
};
constexpr char kConsoleOtherwise[] = "{service} error: {msg}";

// One voice: the service it names, its tables in the order consulted, and
// the text for any other code.
struct Voice {
  const char* service;  // "" when the subject names it (kAudit, kConsole)
  absl::Span<const Text> own;
  absl::Span<const Text> shared;
  const char* otherwise;
};

Voice VoiceOf(ErrorVoice voice) {
  switch (voice) {
    case ErrorVoice::kTicket:
      return {"ticket service", kTicketTexts, kStaffTexts, kStaffOtherwise};
    case ErrorVoice::kSla:
      return {"SLA service", kSlaTexts, kStaffTexts, kStaffOtherwise};
    case ErrorVoice::kEscalation:
      return {"escalation service", kEscalationTexts, kStaffTexts,
              kStaffOtherwise};
    case ErrorVoice::kAudit:
      return {"", kAuditTexts, {}, kAuditOtherwise};
    case ErrorVoice::kCustomer:
      return {"help desk", kCustomerTexts, {}, kCustomerOtherwise};
    case ErrorVoice::kConsole:
      return {"", kConsoleTexts, {}, kConsoleOtherwise};
  }
  return {"", {}, {}, kStaffOtherwise};
}

// `message` without a leading field name ("status: cannot move" -> "cannot
// move"): a first word of fewer than 24 characters followed by ": ".
absl::string_view Reason(absl::string_view message) {
  const size_t colon = message.find(": ");
  if (colon != absl::string_view::npos && colon < 24 &&
      message.substr(0, colon).find(' ') == absl::string_view::npos) {
    message.remove_prefix(colon + 2);
  }
  return message;
}

// The first text of `texts` for the status, or null.
const char* Find(absl::Span<const Text> texts, Code code, bool has_ticket) {
  for (const Text& t : texts) {
    if (t.code == code && (!t.needs_ticket || has_ticket)) return t.text;
  }
  return nullptr;
}

}  // namespace

std::string DescribeStatus(const absl::Status& status, ErrorVoice voice,
                           const ErrorSubject& subject) {
  const Voice v = VoiceOf(voice);
  const bool has_ticket = subject.ticket_id > 0;
  const char* text = Find(v.own, status.code(), has_ticket);
  if (text == nullptr) text = Find(v.shared, status.code(), has_ticket);
  if (text == nullptr) text = v.otherwise;
  const absl::string_view msg = status.message();
  const std::string service = *v.service != '\0'
                                  ? std::string(v.service)
                                  : absl::StrCat(subject.service, " service");
  return absl::StrReplaceAll(
      text, {{"{service}", service},
             {"{target}", subject.target},
             {"{msg}", msg},
             {"{reason}", Reason(msg)},
             {"{code}", absl::StatusCodeToString(status.code())},
             {"{detail}", msg.empty() ? "" : absl::StrCat("\n  detail: ", msg)},
             {"{paren_msg}", msg.empty() ? "" : absl::StrCat(" (", msg, ")")},
             {"{busy}",
              DescribeResourceExhausted(absl::StrCat("the ", service), msg)},
             {"{ticket}", absl::StrCat(subject.ticket_id)}});
}

std::string DescribeResourceExhausted(absl::string_view service,
                                      absl::string_view message) {
  int64_t size = 0;
  int64_t limit = 0;
  constexpr absl::string_view kPrefix = "Received message larger than max (";
  if (absl::StartsWith(message, kPrefix)) {
    const std::vector<absl::string_view> parts =
        absl::StrSplit(message.substr(kPrefix.size()), absl::ByAnyChar(" )"),
                       absl::SkipEmpty());
    if (parts.size() >= 3 && parts[1] == "vs." &&
        absl::SimpleAtoi(parts[0], &size) &&
        absl::SimpleAtoi(parts[2], &limit)) {
      return absl::StrCat("the request is ", size, " bytes, more than the ",
                          limit, " bytes ", service,
                          " accepts in one request; send less (see "
                          "docs/limits.md)");
    }
  }
  return absl::StrCat(service, " is busy or a limit was hit (", message,
                      "); try again later");
}

}  // namespace cxdesk::clients
