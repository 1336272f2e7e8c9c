#ifndef CXDESK_CLIENTS_COMMON_ARG_VALUES_H_
#define CXDESK_CLIENTS_COMMON_ARG_VALUES_H_

// The values of command-line flags and arguments every client takes: ticket
// numbers, whole numbers, lists, instants and durations. Every error is
// INVALID_ARGUMENT whose message names the flag or argument (`what`) and says
// what is allowed.

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace cxdesk::clients {

// A ticket number: "12" or "#12", positive. `what` names the argument.
absl::StatusOr<int64_t> ParseTicketId(absl::string_view what,
                                      absl::string_view text);

// A comma-separated list, each item trimmed, empty items dropped.
std::vector<std::string> SplitList(absl::string_view text);

// A whole number within [min, max], named `what` in errors.
absl::StatusOr<int64_t> ParseInt(absl::string_view what, absl::string_view text,
                                 int64_t min, int64_t max);

// Parses an instant given as a date ("2026-11-01", midnight UTC) or an RFC
// 3339 time; INVALID_ARGUMENT naming `what` otherwise.
absl::StatusOr<absl::Time> ParseTimeFlag(absl::string_view what,
                                         absl::string_view text);

// A positive duration: anything absl::ParseDuration takes ("720h", "90m",
// "1h30m") plus whole days ("30d").
absl::StatusOr<absl::Duration> ParseDurationFlag(absl::string_view what,
                                                 absl::string_view text);

}  // namespace cxdesk::clients

#endif  // CXDESK_CLIENTS_COMMON_ARG_VALUES_H_
