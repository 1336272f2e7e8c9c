#ifndef CXDESK_SERVICES_COMMON_FLAGS_H_
#define CXDESK_SERVICES_COMMON_FLAGS_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace cxdesk::common {

// Command-line flags with environment fallbacks, for service binaries.
// Precedence: `--name=value` (or `--name value`), then the environment
// variable, then the default. Not thread-safe; use from main only.
class FlagSet {
 public:
  explicit FlagSet(std::string program) : program_(std::move(program)) {}

  // Declares a flag. `env` may be empty for no environment fallback.
  void Add(std::string name, std::string env, std::string default_value,
           std::string help);

  // Parses argv. INVALID_ARGUMENT naming the flag for an unknown flag or a
  // missing value; CANCELLED when --help was asked for (print Usage()).
  absl::Status Parse(int argc, char** argv);

  // The value of a declared flag.
  const std::string& Get(absl::string_view name) const;

  std::string Usage() const;

 private:
  struct Flag {
    std::string env;
    std::string value;
    std::string help;
    bool set = false;
  };
  std::string program_;
  std::map<std::string, Flag, std::less<>> flags_;
  std::vector<std::string> order_;
};

// OK if `target` is host:port with a loopback host (127.x.x.x, localhost or
// [::1]) and a port 1..65535: plaintext channels that carry service tokens
// must not leave the machine. INVALID_ARGUMENT naming `flag` otherwise.
absl::Status ValidateLoopbackTarget(absl::string_view flag,
                                    absl::string_view target);

}  // namespace cxdesk::common

#endif  // CXDESK_SERVICES_COMMON_FLAGS_H_
