#ifndef CXDESK_CLIENTS_STATUS_STATUS_COMMANDS_H_
#define CXDESK_CLIENTS_STATUS_STATUS_COMMANDS_H_

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "clients/lib/ticket_client.h"

namespace cxdesk::clients::status {

// Exit codes of `cxdesk-status`.
inline constexpr int kExitOk = 0;
inline constexpr int kExitError = 1;  // the help desk refused or is down
inline constexpr int kExitUsage = 2;  // the command line is wrong

// Everything the program touches outside itself, so tests can replace it.
struct StatusEnvironment {
  // Looks up an environment variable; nullopt when unset.
  std::function<std::optional<std::string>(const std::string&)> getenv;
  // The customer's zone when --tz is not given.
  absl::TimeZone tz;
  std::function<absl::Time()> now;
  // Makes the ticket client for the target, credentials and timeout.
  std::function<std::unique_ptr<TicketClient>(const std::string& target,
                                              CallCredentials credentials,
                                              absl::Duration timeout)>
      connect;
  // Standard input (messages and descriptions), whether it is a terminal
  // (then a prompt is shown on err), output and messages.
  std::istream* in = nullptr;
  bool in_is_terminal = false;
  std::ostream* out = nullptr;
  std::ostream* err = nullptr;
};

// The process's environment, local time zone (TZ), real clock, network and
// standard streams.
StatusEnvironment ProcessStatusEnvironment();

// Runs one `cxdesk-status` command line (`args` without the program name):
//   TICKET_ID --key KEY                       show the status
//   reply TICKET_ID --key KEY [--message TEXT]   (else standard input)
//   rate TICKET_ID --key KEY --score 1..5 [--comment TEXT]
//   open --email E --subject S [--name N] [--description TEXT] [--kind K]
//        [--cx-level L]                        (description else from stdin)
// with the global flags --target HOST:PORT (env CXDESK_TICKET_ADDR, default
// 127.0.0.1:7101), --json, --timeout DURATION, --tz ZONE; --key falls back
// to env CXDESK_ACCESS_KEY. Returns kExitOk, kExitUsage (the message names
// the flag or argument and why) or kExitError (the help desk's answer in
// plain words, see DescribeCustomerError). Results go to out; messages to
// err, except with --json, where every outcome, errors included, is one JSON
// object on out. The access key is printed only by `open`.
int RunStatus(const std::vector<std::string>& args,
              const StatusEnvironment& env);

// A customer's explanation of `status`, an error from the ticket service at
// `target` for ticket `ticket_id` (0 when there is none yet):
//   NOT_FOUND              "No ticket 123 matches that access key. Check the
//                          number and the key from your confirmation
//                          message."  (the server does not say which is
//                          wrong, nor does this)
//   UNAVAILABLE, DEADLINE_EXCEEDED  "The help desk cannot be reached at
//                          <target> right now. Please try again in a few
//                          minutes."
//   anything else          a plain sentence with the server's message.
std::string DescribeCustomerError(const absl::Status& status,
                                  absl::string_view target, int64_t ticket_id);

}  // namespace cxdesk::clients::status

#endif  // CXDESK_CLIENTS_STATUS_STATUS_COMMANDS_H_
