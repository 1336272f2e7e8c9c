#include "clients/common/arg_values.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace cxdesk::clients {

absl::StatusOr<int64_t> ParseTicketId(absl::string_view what,
                                      absl::string_view text) {
  absl::string_view digits = absl::StripAsciiWhitespace(text);
  absl::ConsumePrefix(&digits, "#");
  int64_t id = 0;
  if (!absl::SimpleAtoi(digits, &id) || id <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, ": '", text, "' is not a ticket number"));
  }
  return id;
}

std::vector<std::string> SplitList(absl::string_view text) {
  std::vector<std::string> out;
  for (absl::string_view item : absl::StrSplit(text, ',')) {
    item = absl::StripAsciiWhitespace(item);
    if (!item.empty()) out.emplace_back(item);
  }
  return out;
}

absl::StatusOr<int64_t> ParseInt(absl::string_view what, absl::string_view text,
                                 int64_t min, int64_t max) {
  int64_t value = 0;
  if (!absl::SimpleAtoi(text, &value) || value < min || value > max) {
    return absl::InvalidArgumentError(absl::StrCat(
        what, ": '", text, "' is not a whole number from ", min, " to ", max));
  }
  return value;
}

absl::StatusOr<absl::Time> ParseTimeFlag(absl::string_view what,
                                         absl::string_view text) {
  absl::Time t;
  std::string err;
  if (absl::ParseTime(absl::RFC3339_full, text, &t, &err) ||
      absl::ParseTime("%Y-%m-%d", text, absl::UTCTimeZone(), &t, &err)) {
    return t;
  }
  return absl::InvalidArgumentError(
      absl::StrCat(what, ": '", text,
                   "' is not a date (2026-11-01, UTC) or an RFC 3339 time "
                   "(2026-11-01T09:30:00+01:00)"));
}

absl::StatusOr<absl::Duration> ParseDurationFlag(absl::string_view what,
                                                 absl::string_view text) {
  absl::Duration duration;
  int64_t days = 0;
  if (absl::EndsWith(text, "d") &&
      absl::SimpleAtoi(text.substr(0, text.size() - 1), &days) && days > 0 &&
      days < 100000) {
    return absl::Hours(24 * days);
  }
  if (!absl::ParseDuration(text, &duration) ||
      duration <= absl::ZeroDuration() ||
      duration == absl::InfiniteDuration()) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, ": '", text,
                     "' is not a positive duration such as 90s, 30m, 720h "
                     "or 30d"));
  }
  return duration;
}

}  // namespace cxdesk::clients
