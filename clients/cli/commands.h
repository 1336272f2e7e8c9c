#ifndef CXDESK_CLIENTS_CLI_COMMANDS_H_
#define CXDESK_CLIENTS_CLI_COMMANDS_H_

#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "clients/lib/audit_client.h"
#include "clients/lib/escalation_client.h"
#include "clients/lib/sla_client.h"
#include "clients/lib/ticket_client.h"

namespace cxdesk::clients::cli {

// Exit codes of the `cxdesk` command.
inline constexpr int kExitOk = 0;
inline constexpr int kExitError = 1;  // the service or the environment failed
inline constexpr int kExitUsage = 2;  // the command line is wrong

// Everything the CLI touches outside itself, so tests can replace it.
struct CliEnvironment {
  // Looks up an environment variable; nullopt when unset.
  std::function<std::optional<std::string>(const std::string&)> getenv;
  // The working directory, where the search for `.cxdesk/` starts.
  std::string cwd;
  // Times are shown in this zone; ages are relative to now().
  absl::TimeZone tz;
  std::function<absl::Time()> now;
  // Makes the ticket client for the resolved target and credentials.
  std::function<std::unique_ptr<TicketClient>(const std::string& target,
                                              CallCredentials credentials,
                                              absl::Duration timeout)>
      connect;
  // Makes the SLA service client for the resolved --sla-target and
  // credentials (the staff token only: access keys are the ticket service's).
  std::function<std::unique_ptr<SlaClient>(const std::string& target,
                                           CallCredentials credentials,
                                           absl::Duration timeout)>
      connect_sla;
  // Makes the escalation service client for the resolved
  // --escalation-target and credentials (the staff token only).
  std::function<std::unique_ptr<EscalationClient>(const std::string& target,
                                                  CallCredentials credentials,
                                                  absl::Duration timeout)>
      connect_escalation;
  // Makes the audit client for one of the three services' targets (the
  // staff token only); `audit verify` and `audit export` ask all three.
  std::function<std::unique_ptr<AuditClient>(const std::string& target,
                                             CallCredentials credentials,
                                             absl::Duration timeout)>
      connect_audit;
  // Checks the health of the server at `target`; the full name of the
  // cxdesk API it serves (ServedApi).
  std::function<absl::StatusOr<std::string>(const std::string& target,
                                            absl::Duration timeout)>
      check_health;
  std::istream* in = nullptr;
  std::ostream* out = nullptr;
  std::ostream* err = nullptr;
};

// The process's environment, working directory, local time zone, real
// clock, real network and standard streams.
CliEnvironment ProcessEnvironment();

// Runs one `cxdesk` command line (`args` without the program name) and
// returns the exit code: kExitOk; kExitUsage for an unknown command or flag,
// a missing required flag or argument, a bad value or a --file that cannot
// be read or parsed (the message, on err, names the flag or file and what is
// allowed); kExitError for an error from the service ("error: " +
// DescribeError, DescribeSlaError for the calendar, policy and sla commands,
// DescribeEscalationError for the team, agent, rule, ladder, route, queue,
// escalation(s), notifications and webhooks commands) or the environment
// (e.g. no token secret). Results go to out, messages to err. Tokens are
// printed only by `token issue`.
int RunCli(const std::vector<std::string>& args, const CliEnvironment& env);

// The token secret file used when neither --token-secret-file nor
// CXDESK_TOKEN_SECRET_FILE names one: `.cxdesk/token-secret` under `cwd` or
// the nearest parent that has a `.cxdesk/` folder; empty if none has.
std::string FindTokenSecretFile(const std::string& cwd);

}  // namespace cxdesk::clients::cli

#endif  // CXDESK_CLIENTS_CLI_COMMANDS_H_
