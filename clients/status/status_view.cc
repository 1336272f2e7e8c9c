#include "clients/status/status_view.h"

#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/common/json_text.h"
#include "services/common/proto_time.h"
#include "services/common/proto_words.h"

namespace cxdesk::clients::status {

using ::cxdesk::common::JsonQuote;

namespace {

namespace ticketpb = ::cxdesk::ticket::v1;

constexpr const char* kWeekdays[] = {"Mon", "Tue", "Wed", "Thu",
                                     "Fri", "Sat", "Sun"};
constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

int WeekdayIndex(absl::Weekday day) {
  switch (day) {
    case absl::Weekday::monday:
      return 0;
    case absl::Weekday::tuesday:
      return 1;
    case absl::Weekday::wednesday:
      return 2;
    case absl::Weekday::thursday:
      return 3;
    case absl::Weekday::friday:
      return 4;
    case absl::Weekday::saturday:
      return 5;
    case absl::Weekday::sunday:
      return 6;
  }
  return 0;
}

// The promise's time rounded up to the minute, as the SLA service words it:
// "by 14:31" for 14:30:20 is a promise kept, "by 14:30" one already broken.
absl::Time CeilMinute(absl::Time t) {
  return absl::UnixEpoch() +
         absl::Ceil(t - absl::UnixEpoch(), absl::Minutes(1));
}

bool IsDone(ticketpb::Status status) {
  return status == ticketpb::STATUS_SOLVED || status == ticketpb::STATUS_CLOSED;
}

bool HasTime(const google::protobuf::Timestamp& ts) {
  return ts.seconds() != 0 || ts.nanos() != 0;
}

std::string JsonTimeOrNull(const google::protobuf::Timestamp& ts) {
  if (!HasTime(ts)) return "null";
  return JsonQuote(Rfc3339(common::FromProtoTimestamp(ts)));
}

// `text` safe for a terminal: control characters other than newline and tab
// (an escape sequence could rewrite the screen) become '?'; a carriage
// return before a newline is dropped.
std::string Printable(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') continue;
    if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f) {
      out += '?';
    } else {
      out += text[i];
    }
  }
  return out;
}

// `text` with every line indented by `indent`, made Printable.
std::string Indent(absl::string_view text, absl::string_view indent) {
  std::string out;
  for (absl::string_view line : absl::StrSplit(Printable(text), '\n')) {
    absl::StrAppend(&out, indent, line, "\n");
  }
  return out;
}

}  // namespace

std::string StatusKey(ticketpb::Status status) {
  // The derived word (common::EnumValueWord): the API's own, "on_hold".
  std::string word =
      common::EnumValueWord(*ticketpb::Status_descriptor(), status);
  return word.empty() ? "unknown" : word;
}

std::string StatusText(ticketpb::Status status) {
  switch (status) {
    case ticketpb::STATUS_NEW:
      return "We have received your request and will look at it soon.";
    case ticketpb::STATUS_OPEN:
      return "We are working on it.";
    case ticketpb::STATUS_PENDING:
      return "We are waiting for your reply.";
    case ticketpb::STATUS_ON_HOLD:
      return "We are waiting on a third party before we can go on.";
    case ticketpb::STATUS_SOLVED:
      // A customer reply on a solved ticket reopens it (see AddComment).
      return "We think this is solved. If it isn't, reply and we will pick "
             "it up again.";
    case ticketpb::STATUS_CLOSED:
      return "Closed. This request is finished; open a new one if you need "
             "more help.";
    default:
      return "We cannot tell the status of this request right now.";
  }
}

std::string FormatLocalTime(absl::Time t, absl::Time now, absl::TimeZone tz) {
  const absl::TimeZone::CivilInfo at = tz.At(t);
  const absl::CivilSecond cs = at.cs;
  std::string year;
  if (cs.year() != tz.At(now).cs.year()) year = absl::StrCat(" ", cs.year());
  const std::string clock = absl::FormatTime("%H:%M", t, tz);
  return absl::StrCat(kWeekdays[WeekdayIndex(absl::GetWeekday(cs))], " ",
                      cs.day(), " ", kMonths[cs.month() - 1], year, " ", clock);
}

std::string ZoneAbbreviation(absl::Time t, absl::TimeZone tz) {
  const absl::TimeZone::CivilInfo at = tz.At(t);
  std::string abbr = at.zone_abbr;
  // Zones without a letter abbreviation give their offset ("+0530" or
  // "+05"); say it the same way every time.
  if (abbr.empty() || abbr[0] == '+' || abbr[0] == '-') {
    return absl::FormatTime("UTC%z", t, tz);
  }
  return abbr;
}

std::string DurationWords(absl::Duration d) {
  const int64_t minutes = absl::ToInt64Minutes(d);
  if (minutes < 1) return "less than a minute";
  const int64_t days = minutes / (24 * 60);
  const int64_t hours = minutes / 60 % 24;
  const int64_t mins = minutes % 60;
  if (days > 0) {
    std::string out = absl::StrCat(days, days == 1 ? " day" : " days");
    if (hours > 0) absl::StrAppend(&out, " ", hours, " h");
    return out;
  }
  if (hours > 0) {
    std::string out = absl::StrCat(hours, " h");
    if (mins > 0) absl::StrAppend(&out, " ", mins, " min");
    return out;
  }
  return absl::StrCat(mins, " min");
}

Promise DescribePromise(const ticketpb::TicketStatusView& view, absl::Time now,
                        absl::TimeZone tz) {
  Promise promise;
  if (IsDone(view.status())) {
    promise.kind = "none";
    promise.text = view.status() == ticketpb::STATUS_SOLVED
                       ? "Nothing more is due from us unless you reply."
                       : "Nothing more is due: the request is closed.";
    return promise;
  }
  const bool resolution = absl::StartsWith(view.promise(), "We aim to resolve");
  if (HasTime(view.promise_time())) {
    const absl::Time due = common::FromProtoTimestamp(view.promise_time());
    promise.kind = resolution ? "resolution" : "reply";
    promise.due = due;
    if (due > now) {
      const absl::Time shown = CeilMinute(due);
      promise.text = absl::StrCat(
          resolution ? "We aim to resolve this by " : "We will reply by ",
          FormatLocalTime(shown, now, tz), " your time (",
          ZoneAbbreviation(shown, tz), ").");
    } else {
      promise.overdue = true;
      promise.overdue_seconds = absl::ToInt64Seconds(now - due);
      promise.text = absl::StrCat(
          resolution
              ? "Resolving this is taking longer than we aimed for: it was due "
              : "Our reply is overdue: it was due ",
          FormatLocalTime(due, now, tz), " your time (",
          ZoneAbbreviation(due, tz), "), ", DurationWords(now - due),
          " ago. We are sorry for the wait.");
    }
    return promise;
  }
  if (view.status() == ticketpb::STATUS_PENDING ||
      absl::StartsWith(view.promise(), "We are waiting for your reply")) {
    promise.kind = "waiting_for_you";
    promise.text = "Nothing is due from us until you reply.";
    return promise;
  }
  promise.kind = "none";
  promise.text = view.promise().empty()
                     ? "We cannot give you a time for our next reply right "
                       "now."
                     : absl::StrCat(view.promise(), ".");
  return promise;
}

std::string AuthorLabel(const ticketpb::Comment& comment) {
  if (comment.author_role() == ticketpb::ROLE_CUSTOMER) return "You";
  if (comment.author_role() == ticketpb::ROLE_SERVICE ||
      comment.author().empty()) {
    return "The support team";
  }
  return absl::StrCat(comment.author(), " (support team)");
}

std::string RenderStatusText(const ticketpb::TicketStatusView& view,
                             absl::Time now, absl::TimeZone tz) {
  std::string out = absl::StrCat("Ticket ", view.ticket_id(), ": ",
                                 Printable(view.subject()), "\n");
  absl::StrAppend(&out, "Status: ", StatusText(view.status()), "\n");
  const Promise promise = DescribePromise(view, now, tz);
  absl::StrAppend(&out, "Next:   ", Printable(promise.text), "\n");
  absl::StrAppend(&out, "\nConversation (oldest first):\n");
  if (view.conversation().empty()) absl::StrAppend(&out, "  (none yet)\n");
  for (const ticketpb::Comment& c : view.conversation()) {
    absl::StrAppend(&out, "\n  ", Printable(AuthorLabel(c)));
    if (HasTime(c.create_time())) {
      const absl::Time at = common::FromProtoTimestamp(c.create_time());
      absl::StrAppend(&out, ", ", FormatLocalTime(at, now, tz), " ",
                      ZoneAbbreviation(at, tz));
    }
    absl::StrAppend(&out, ":\n", Indent(c.body(), "    "));
  }
  absl::StrAppend(&out, "\n");
  if (view.has_rating() && view.rating().score() > 0) {
    absl::StrAppend(&out, "Your rating: ", view.rating().score(), "/5");
    if (!view.rating().comment().empty()) {
      absl::StrAppend(&out, " \"", Printable(view.rating().comment()), "\"");
    }
    absl::StrAppend(&out, ". Thank you!\n");
  } else if (IsDone(view.status())) {
    absl::StrAppend(&out, "How did we do? Rate it: cxdesk-status rate ",
                    view.ticket_id(), " --key KEY --score 1..5\n");
  } else {
    absl::StrAppend(&out, "Reply with: cxdesk-status reply ", view.ticket_id(),
                    " --key KEY --message TEXT\n");
  }
  return out;
}

std::string Rfc3339(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", t, absl::UTCTimeZone());
}

std::string RenderStatusJson(const ticketpb::TicketStatusView& view,
                             absl::Time now, absl::TimeZone tz) {
  const Promise promise = DescribePromise(view, now, tz);
  std::string out =
      absl::StrCat("{\"ticket_id\":", view.ticket_id(),
                   ",\"subject\":", JsonQuote(view.subject()),
                   ",\"status\":", JsonQuote(StatusKey(view.status())),
                   ",\"status_text\":", JsonQuote(StatusText(view.status())),
                   ",\"created\":", JsonTimeOrNull(view.create_time()),
                   ",\"updated\":", JsonTimeOrNull(view.update_time()));
  absl::StrAppend(
      &out, ",\"promise\":{\"kind\":", JsonQuote(promise.kind),
      ",\"text\":", JsonQuote(promise.text), ",\"due\":",
      promise.due.has_value() ? JsonQuote(Rfc3339(*promise.due)) : "null",
      ",\"overdue\":", promise.overdue ? "true" : "false",
      ",\"overdue_seconds\":", promise.overdue_seconds, "}");
  absl::StrAppend(&out, ",\"conversation\":[");
  bool first = true;
  for (const ticketpb::Comment& c : view.conversation()) {
    if (!first) out += ",";
    first = false;
    absl::StrAppend(
        &out, "{\"author\":", JsonQuote(AuthorLabel(c)), ",\"author_role\":",
        c.author_role() == ticketpb::ROLE_CUSTOMER ? "\"customer\""
                                                   : "\"support\"",
        ",\"public\":true,\"time\":", JsonTimeOrNull(c.create_time()),
        ",\"body\":", JsonQuote(c.body()), "}");
  }
  absl::StrAppend(&out, "],\"rating\":");
  if (view.has_rating() && view.rating().score() > 0) {
    absl::StrAppend(&out, "{\"score\":", view.rating().score(),
                    ",\"comment\":", JsonQuote(view.rating().comment()),
                    ",\"time\":", JsonTimeOrNull(view.rating().create_time()),
                    "}");
  } else {
    out += "null";
  }
  out += "}";
  return out;
}

std::string RenderErrorJson(absl::string_view code, absl::string_view message) {
  return absl::StrCat("{\"error\":{\"code\":", JsonQuote(code),
                      ",\"message\":", JsonQuote(message), "}}");
}

}  // namespace cxdesk::clients::status
