#ifndef CXDESK_SERVICES_COMMON_FLAGS_H_
#define CXDESK_SERVICES_COMMON_FLAGS_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
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

// The host:port in flag `name` of a service that may also be turned off:
// "" when the flag says "none", else INVALID_ARGUMENT naming --`name` unless
// it passes ValidateLoopbackTarget.
absl::StatusOr<std::string> OptionalLoopbackTarget(const FlagSet& flags,
                                                   absl::string_view name);

// `name` if set, else this process's replica name: "<host>-<pid>".
std::string ReplicaName(const std::string& name);

// The flags every cxdesk server takes, read and checked in one place.
struct ServerFlags {
  std::string database_url;  // --database-url, CXDESK_DATABASE_URL
  std::string listen;        // --listen, `listen_env`
  std::string
      token_secret_file;  // --token-secret-file, CXDESK_TOKEN_SECRET_FILE
  std::string port_file;  // --port-file
  int pool_size = 8;      // --pool-size, `pool_env`
};

// Declares the ServerFlags flags on `flags`.
void AddServerFlags(FlagSet& flags, const std::string& listen_env,
                    const std::string& listen_default,
                    const std::string& pool_env,
                    const std::string& pool_default = "8");

// Reads them after flags.Parse: INVALID_ARGUMENT naming the flag when the
// database URL is missing, --listen is not host:port, or --pool-size is not
// within min_pool..256.
absl::StatusOr<ServerFlags> ReadServerFlags(const FlagSet& flags, int min_pool);

// flags.Parse(argc, argv), then ReadServerFlags: what every server's config
// parser starts with. CANCELLED after printing the usage for --help.
absl::StatusOr<ServerFlags> ParseServerFlags(FlagSet& flags, int argc,
                                             char** argv, int min_pool);

}  // namespace cxdesk::common

#endif  // CXDESK_SERVICES_COMMON_FLAGS_H_
