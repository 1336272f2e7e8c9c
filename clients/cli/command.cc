#include "clients/cli/command.h"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <system_error>

#include "absl/strings/ascii.h"
#include "absl/strings/cord.h"
#include "clients/cli/requests.h"
#include "google/protobuf/empty.pb.h"

namespace cxdesk::clients::cli {

absl::Status Tagged(absl::Status status, absl::string_view payload) {
  if (!status.ok()) status.SetPayload(payload, absl::Cord("1"));
  return status;
}

absl::Status UsageError(absl::string_view message) {
  return Tagged(absl::InvalidArgumentError(message), kUsagePayload);
}

absl::Status AsUsage(absl::Status status) {
  return Tagged(std::move(status), kUsagePayload);
}

absl::Status FromServer(absl::Status status) {
  return Tagged(std::move(status), kServerPayload);
}

TicketClient& Invocation::client() {
  if (client_ == nullptr) {
    client_ = env_.connect(global_.target, {global_.token, global_.access_key},
                           global_.timeout);
  }
  return *client_;
}

SlaClient& Invocation::sla() {
  if (sla_client_ == nullptr) {
    sla_client_ = env_.connect_sla(global_.sla_target, {global_.token, ""},
                                   global_.timeout);
  }
  return *sla_client_;
}

EscalationClient& Invocation::escalation() {
  if (escalation_client_ == nullptr) {
    escalation_client_ = env_.connect_escalation(
        global_.escalation_target, {global_.token, ""}, global_.timeout);
  }
  return *escalation_client_;
}

absl::Status Invocation::PrintJson(const google::protobuf::Message& message) {
  CXDESK_ASSIGN_OR_RETURN(std::string json, ToJson(message));
  out() << json << "\n";
  return absl::OkStatus();
}

absl::StatusOr<int64_t> Invocation::TicketId(size_t i) const {
  return AsUsage(ParseTicketId("ID", flags_.positionals[i]));
}

std::string Invocation::Body() const {
  std::string body = flags_.Get("body");
  if (body == "-" && env_.in != nullptr) {
    body.assign(std::istreambuf_iterator<char>(*env_.in),
                std::istreambuf_iterator<char>());
    absl::StripTrailingAsciiWhitespace(&body);
  }
  return body;
}

absl::StatusOr<std::string> Invocation::ReadFile(const std::string& name,
                                                 absl::string_view flag) const {
  std::string text;
  if (name == "-") {
    if (env_.in != nullptr) {
      text.assign(std::istreambuf_iterator<char>(*env_.in),
                  std::istreambuf_iterator<char>());
    }
    return text;
  }
  std::filesystem::path path(name);
  if (path.is_relative()) path = std::filesystem::path(env_.cwd) / path;
  std::ifstream in(path, std::ios::binary);
  std::error_code ec;
  if (!in || std::filesystem::is_directory(path, ec)) {
    return UsageError(absl::StrCat(flag, " ", name, ": cannot be read (",
                                   std::filesystem::exists(path, ec)
                                       ? "no permission, or a folder"
                                       : "no such file",
                                   ")"));
  }
  text.assign(std::istreambuf_iterator<char>(in),
              std::istreambuf_iterator<char>());
  return text;
}

absl::StatusOr<int64_t> Invocation::WatchCount() const {
  if (!flags_.Has("count")) return 0;
  return AsUsage(ParseInt("--count", flags_.Get("count"), 1,
                          std::numeric_limits<int32_t>::max()));
}

absl::Status PrintWritten(Invocation& inv,
                          const google::protobuf::Message& message,
                          absl::string_view what, absl::string_view id,
                          absl::string_view done, absl::string_view etag) {
  if (inv.global().json) return inv.PrintJson(message);
  inv.out() << what << " " << id << " " << done << ", etag "
            << (etag.empty() ? "-" : etag) << "\n";
  return absl::OkStatus();
}

absl::Status PrintDeleted(Invocation& inv, absl::string_view what,
                          absl::string_view id) {
  if (inv.global().json) return inv.PrintJson(google::protobuf::Empty());
  inv.out() << what << " " << id << " deleted\n";
  return absl::OkStatus();
}

absl::Status RequireId(Invocation& inv, const std::string& id,
                       absl::string_view field, absl::string_view what) {
  if (!id.empty()) return absl::OkStatus();
  return UsageError(absl::StrCat("--file ", inv.flags().Get("file"), ": ",
                                 field, " is not set (it names the ", what,
                                 " to update)"));
}

}  // namespace cxdesk::clients::cli
