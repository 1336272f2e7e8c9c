// The `token issue` command: a staff token signed with the deployment's secret,
// made locally (no service is asked).

#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "clients/cli/command.h"
#include "clients/cli/requests.h"
#include "google/protobuf/struct.pb.h"
#include "services/common/status_macros.h"
#include "services/common/token.h"

namespace cxdesk::clients::cli {
namespace {

absl::Status RunTokenIssue(Invocation& inv) {
  absl::StatusOr<common::StaffRole> role =
      common::ParseStaffRole(inv.flags().Get("role"));
  if (!role.ok()) {
    return UsageError(absl::StrCat("--role: '", inv.flags().Get("role"),
                                   "' is not one of agent, manager, service"));
  }
  const std::string subject = inv.flags().Get("subject");
  if (!common::IsValidSubject(subject)) {
    return UsageError(
        absl::StrCat("--subject: '", subject,
                     "' must be 1..64 characters of letters, digits, _ . @ -"));
  }
  CXDESK_ASSIGN_OR_RETURN(
      absl::Duration ttl,
      AsUsage(ParseDurationFlag("--ttl", inv.flags().Get("ttl", "720h"))));
  std::string path = inv.global().token_secret_file;
  if (path.empty()) path = FindTokenSecretFile(inv.env().cwd);
  if (path.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "no token secret: pass --token-secret-file or set "
        "CXDESK_TOKEN_SECRET_FILE (no .cxdesk/ folder in ",
        inv.env().cwd, " or above it; ./deploy/up.sh creates one)"));
  }
  CXDESK_ASSIGN_OR_RETURN(std::string secret, common::ReadSecretFile(path));
  common::TokenClaims claims{subject, *role, inv.env().now() + ttl};
  CXDESK_ASSIGN_OR_RETURN(std::string token, common::SignToken(claims, secret));
  if (inv.global().json) {
    google::protobuf::Struct json;
    auto& fields = *json.mutable_fields();
    fields["token"].set_string_value(token);
    fields["subject"].set_string_value(subject);
    fields["role"].set_string_value(std::string(common::StaffRoleName(*role)));
    fields["expire_time"].set_string_value(absl::FormatTime(
        absl::RFC3339_sec, claims.expiry, absl::UTCTimeZone()));
    return inv.PrintJson(json);
  }
  inv.out() << token << "\n";
  return absl::OkStatus();
}

Command TokenIssueCommand() {
  return Command("token issue")
      .Summary(
          "sign a staff token with the deployment's secret (prints only the "
          "token)")
      .Required("role", "ROLE", "agent, manager or service")
      .Required("subject", "NAME",
                "who the token names (1..64 of A-Za-z0-9_.@-)")
      .Flag("ttl", "DURATION", "how long it is valid (default 720h; 30d works)")
      .Run(&RunTokenIssue);
}

}  // namespace

std::vector<Command> TokenCommands() { return {TokenIssueCommand()}; }

}  // namespace cxdesk::clients::cli
