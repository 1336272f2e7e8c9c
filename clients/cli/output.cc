// The time and text formats and the building blocks of every group's output.

#include "clients/cli/output.h"

#include <algorithm>
#include <cstdint>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/util/json_util.h"
#include "services/common/proto_time.h"

namespace cxdesk::clients::cli {
namespace {

bool IsContinuationByte(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

// "5m ago" for a past time, "in 5m" for a future one.
std::string Relative(absl::Time time, absl::Time now) {
  if (time <= now) return absl::StrCat(FormatAge(now - time), " ago");
  return absl::StrCat("in ", FormatAge(time - now));
}

}  // namespace

// Width on a terminal, approximated by UTF-8 code points.
size_t DisplayWidth(absl::string_view text) {
  return std::count_if(text.begin(), text.end(),
                       [](char c) { return !IsContinuationByte(c); });
}

std::string OrNone(absl::string_view text) {
  return text.empty() ? "(none)" : std::string(text);
}

std::string OrDash(absl::string_view text) {
  return text.empty() ? "-" : std::string(text);
}

std::string Quote(absl::string_view text) {
  return absl::StrCat("\"", Truncate(text, 60), "\"");
}

// Appends "  label:" padded, then the value.
void Field(std::string *out, absl::string_view label, absl::string_view value) {
  constexpr size_t kWidth = 12;
  std::string head = absl::StrCat("  ", label, ":");
  head.resize(std::max(kWidth, head.size() + 1), ' ');
  absl::StrAppend(out, head, value, "\n");
}

// Every line of `text` indented by `indent` spaces.
std::string Indent(absl::string_view text, int indent) {
  const std::string pad(indent, ' ');
  std::string out;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    absl::StrAppend(&out, pad, line, "\n");
  }
  return out;
}

std::string PadRight(std::string text, size_t width) {
  const size_t w = DisplayWidth(text);
  if (w < width) text.append(width - w, ' ');
  return text;
}

// The lines of a table whose first row is the header: columns padded to their
// widest cell plus two blanks; the last column is not padded (no trailing
// blanks).
std::vector<std::string> TableLines(
    const std::vector<std::vector<std::string>> &rows) {
  std::vector<size_t> widths;
  for (const auto &row : rows) {
    if (widths.size() < row.size()) widths.resize(row.size(), 0);
    for (size_t c = 0; c < row.size(); ++c) {
      widths[c] = std::max(widths[c], DisplayWidth(row[c]));
    }
  }
  std::vector<std::string> lines;
  for (const auto &row : rows) {
    std::string line;
    for (size_t c = 0; c < row.size(); ++c) {
      absl::StrAppend(
          &line, c + 1 < row.size() ? PadRight(row[c], widths[c] + 2) : row[c]);
    }
    lines.push_back(std::move(line));
  }
  return lines;
}

std::string FormatTable(const std::vector<std::vector<std::string>> &rows) {
  std::string out;
  for (const std::string &line : TableLines(rows)) {
    absl::StrAppend(&out, line, "\n");
  }
  return out;
}

// "2026-11-22 14:03 (in 5m)"; `unset` for an unset timestamp.
std::string FormatDue(const google::protobuf::Timestamp &timestamp,
                      const OutputContext &context, absl::string_view unset) {
  const absl::Time time = ToTime(timestamp);
  if (time == absl::InfinitePast()) return std::string(unset);
  return absl::StrCat(FormatShortTime(time, context.tz), " (",
                      Relative(time, context.now), ")");
}

// Appends "  label:" and the first of `values`, then the others aligned
// under it; "(none)" when there are none.
void MultiField(std::string *out, absl::string_view label,
                const std::vector<std::string> &values) {
  if (values.empty()) {
    Field(out, label, "(none)");
    return;
  }
  Field(out, label, values[0]);
  for (size_t i = 1; i < values.size(); ++i) {
    absl::StrAppend(out, std::string(12, ' '), values[i], "\n");
  }
}

std::string YesNo(bool value) { return value ? "yes" : "no"; }

// One cell of CSV, quoted when it has to be.
std::string CsvCell(absl::string_view text) {
  if (text.find_first_of(",\"\r\n") == absl::string_view::npos) {
    return std::string(text);
  }
  return absl::StrCat("\"", absl::StrReplaceAll(text, {{"\"", "\"\""}}), "\"");
}

absl::Time ToTime(const google::protobuf::Timestamp &timestamp) {
  // An unset timestamp means "not known", shown as "-".
  if (timestamp.seconds() == 0 && timestamp.nanos() == 0) {
    return absl::InfinitePast();
  }
  return common::FromProtoTimestamp(timestamp);
}

std::string FormatShortTime(absl::Time time, absl::TimeZone tz) {
  if (time == absl::InfinitePast()) return "-";
  return absl::FormatTime("%Y-%m-%d %H:%M", time, tz);
}

std::string FormatSecondTime(absl::Time time, absl::TimeZone tz) {
  if (time == absl::InfinitePast()) return "-";
  return absl::FormatTime("%Y-%m-%d %H:%M:%S", time, tz);
}

std::string FormatAge(absl::Duration age) {
  if (age < absl::ZeroDuration()) age = absl::ZeroDuration();
  if (age < absl::Minutes(1)) {
    return absl::StrCat(absl::ToInt64Seconds(age), "s");
  }
  if (age < absl::Hours(1)) {
    return absl::StrCat(absl::ToInt64Minutes(age), "m");
  }
  if (age < absl::Hours(24)) return absl::StrCat(absl::ToInt64Hours(age), "h");
  return absl::StrCat(absl::ToInt64Hours(age) / 24, "d");
}

std::string FormatShortTimeWithAge(const google::protobuf::Timestamp &timestamp,
                                   const OutputContext &context) {
  const absl::Time time = ToTime(timestamp);
  if (time == absl::InfinitePast()) return "-";
  return absl::StrCat(FormatShortTime(time, context.tz), " (",
                      FormatAge(context.now - time), " ago)");
}

std::string Truncate(absl::string_view text, size_t max_chars) {
  std::string flat(text);
  for (char &c : flat) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  if (DisplayWidth(flat) <= max_chars) return flat;
  const size_t keep = max_chars > 3 ? max_chars - 3 : 0;
  size_t chars = 0;
  size_t i = 0;
  for (; i < flat.size(); ++i) {
    if (!IsContinuationByte(flat[i])) {
      if (chars == keep) break;
      ++chars;
    }
  }
  flat.resize(i);
  return flat + std::string(std::min<size_t>(3, max_chars), '.');
}

std::string FormatShortDuration(absl::Duration duration) {
  const char *sign = "";
  if (duration < absl::ZeroDuration()) {
    sign = "-";
    duration = -duration;
  }
  const int64_t s = absl::ToInt64Seconds(duration);
  if (s == 0) return "0s";
  if (s < 60) return absl::StrCat(sign, s, "s");
  if (s < 3600) {
    if (s % 60 == 0) return absl::StrCat(sign, s / 60, "m");
    return absl::StrCat(sign, s / 60, "m ", absl::Dec(s % 60, absl::kZeroPad2),
                        "s");
  }
  const int64_t minutes = s % 3600 / 60;
  if (minutes == 0) return absl::StrCat(sign, s / 3600, "h");
  return absl::StrCat(sign, s / 3600, "h ", absl::Dec(minutes, absl::kZeroPad2),
                      "m");
}

absl::StatusOr<std::string> ToJson(const google::protobuf::Message &message) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = false;
  options.always_print_primitive_fields = true;
  options.preserve_proto_field_names = true;
  std::string json;
  auto status =
      google::protobuf::util::MessageToJsonString(message, &json, options);
  if (!status.ok()) {
    return absl::InternalError(absl::StrCat("cannot print ",
                                            message.GetTypeName(),
                                            " as JSON: ", status.ToString()));
  }
  return json;
}

}  // namespace cxdesk::clients::cli
