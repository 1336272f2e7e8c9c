#ifndef CXDESK_CLIENTS_CLI_OUTPUT_H_
#define CXDESK_CLIENTS_CLI_OUTPUT_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/message.h"
#include "google/protobuf/repeated_field.h"
#include "google/protobuf/timestamp.pb.h"

// What the `cxdesk` commands print: the time and text formats and the
// building blocks (fields, tables, CSV cells) every group's output uses. The
// groups' own formats are in ticket_output.h, sla_output.h and
// escalation_output.h.

namespace cxdesk::clients::cli {

// Where and when output is rendered: times are shown in `tz`, ages relative
// to `now`.
struct OutputContext {
  absl::TimeZone tz;
  absl::Time now;
};

// Timestamps. An unset Timestamp (0 s, 0 ns) is absl::InfinitePast().
absl::Time ToTime(const google::protobuf::Timestamp &timestamp);
// "2026-11-22 14:03" in `tz`; "-" for an unset time.
std::string FormatShortTime(absl::Time time, absl::TimeZone tz);
// "2026-11-22 14:03:07": SLA deadlines are kept to the second.
std::string FormatSecondTime(absl::Time time, absl::TimeZone tz);
// The largest whole unit: "45s", "5m", "3h", "2d"; "0s" for negative ages
// (clock skew).
std::string FormatAge(absl::Duration age);
// "2026-11-22 14:03 (5m ago)"; "-" for an unset time.
std::string FormatShortTimeWithAge(const google::protobuf::Timestamp &timestamp,
                                   const OutputContext &context);

// `text` on one line (line breaks and tabs become spaces), cut to at most
// `max_chars` characters (UTF-8 code points), ending in "..." if cut.
std::string Truncate(absl::string_view text, size_t max_chars);

// Hours and minutes, minutes and seconds, or seconds, truncated to the
// second, without a zero second unit: "1h 05m", "2h", "3m 10s", "42s", "0s";
// negative with a leading '-': "-3m 10s".
std::string FormatShortDuration(absl::Duration duration);

// --- building blocks of every group's output -------------------------------

// Width on a terminal, approximated by UTF-8 code points.
size_t DisplayWidth(absl::string_view text);

// `text`, or "(none)" when it is empty.
std::string OrNone(absl::string_view text);

// `text`, or "-" when it is empty.
std::string OrDash(absl::string_view text);

// `text` in double quotes, cut to 60 characters (Truncate).
std::string Quote(absl::string_view text);

// Appends "  label:" padded, then the value.
void Field(std::string *out, absl::string_view label, absl::string_view value);

// Every line of `text` indented by `indent` spaces.
std::string Indent(absl::string_view text, int indent);

// `text` padded with blanks to `width` (DisplayWidth); longer text as is.
std::string PadRight(std::string text, size_t width);

// The lines of a table whose first row is the header: columns padded to their
// widest cell plus two blanks; the last column is not padded (no trailing
// blanks).
std::vector<std::string> TableLines(
    const std::vector<std::vector<std::string>> &rows);

// TableLines, each ending in a line break.
std::string FormatTable(const std::vector<std::vector<std::string>> &rows);

// "2026-11-22 14:03 (in 5m)"; `unset` for an unset timestamp.
std::string FormatDue(const google::protobuf::Timestamp &timestamp,
                      const OutputContext &context, absl::string_view unset);

// Appends "  label:" and the first of `values`, then the others aligned
// under it; "(none)" when there are none.
void MultiField(std::string *out, absl::string_view label,
                const std::vector<std::string> &values);

// "yes" or "no".
std::string YesNo(bool value);

// One cell of CSV, quoted when it has to be.
std::string CsvCell(absl::string_view text);

// The words of `values` (enum numbers of E) joined with ", ".
template <typename E, typename WordFn>
std::string JoinWords(const google::protobuf::RepeatedField<int> &values,
                      WordFn word) {
  std::vector<std::string> words;
  for (int v : values) words.push_back(word(static_cast<E>(v)));
  return absl::StrJoin(words, ", ");
}

// The message as one line of proto3 JSON with the proto's field names, every
// field present. INTERNAL if the message cannot be printed.
absl::StatusOr<std::string> ToJson(const google::protobuf::Message &message);

}  // namespace cxdesk::clients::cli

#endif  // CXDESK_CLIENTS_CLI_OUTPUT_H_
