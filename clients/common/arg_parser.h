#ifndef CXDESK_CLIENTS_COMMON_ARG_PARSER_H_
#define CXDESK_CLIENTS_COMMON_ARG_PARSER_H_

#include <cstddef>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace cxdesk::clients {

// One command-line flag, written `--name VALUE`, `--name=VALUE` or, for a
// switch, `--name`.
struct FlagSpec {
  std::string name;        // Without the leading "--".
  std::string value_name;  // Shown in help, e.g. "ID"; empty for a switch.
  std::string help;
  bool required = false;
  // May be given more than once; the values are joined with ','. Otherwise a
  // second use is an error.
  bool repeatable = false;
  // Another name that means the same flag (an older or a shorter one), e.g.
  // "since" for "from"; empty for none. Values are stored under `name`.
  std::string alias;

  bool is_switch() const { return value_name.empty(); }
};

// What was given on the command line.
struct ParsedFlags {
  std::map<std::string, std::string, std::less<>> values;  // value flags
  std::set<std::string, std::less<>> switches;             // switches given
  std::vector<std::string> positionals;
  bool help = false;  // --help or -h appeared

  // True if the flag (value or switch) was given.
  bool Has(absl::string_view name) const;
  // The value given, or `fallback`.
  std::string Get(absl::string_view name,
                  absl::string_view fallback = "") const;
};

// Parses flags against a set of specs. Not thread-safe to mutate; Parse is
// const and may be called concurrently.
class FlagParser {
 public:
  void Add(FlagSpec spec);
  void AddAll(const std::vector<FlagSpec>& specs);

  // Parses args[begin..] into `out` (which may hold earlier results). Stops
  // treating arguments as flags after "--". With `stop_at_positional`, returns
  // at the first positional argument and sets `*next` to its index (or
  // args.size()); otherwise positionals are collected and `*next` is
  // args.size(). INVALID_ARGUMENT naming the flag for an unknown flag, a
  // missing value, a value given to a switch, or a non-repeatable flag given
  // twice. `next` may be null.
  absl::Status Parse(const std::vector<std::string>& args, size_t begin,
                     bool stop_at_positional, ParsedFlags* out,
                     size_t* next) const;

  // INVALID_ARGUMENT naming the first required flag that is missing.
  absl::Status CheckRequired(const ParsedFlags& flags) const;

  // One line per flag, in the order added: "  --name VALUE   help".
  std::string Help() const;

  // The spec named `name` or aliased `name`; null if none.
  const FlagSpec* Find(absl::string_view name) const;

 private:
  std::vector<FlagSpec> specs_;
};

}  // namespace cxdesk::clients

#endif  // CXDESK_CLIENTS_COMMON_ARG_PARSER_H_
