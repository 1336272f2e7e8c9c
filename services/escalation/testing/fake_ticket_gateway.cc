#include "services/escalation/testing/fake_ticket_gateway.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace cxdesk::escalation {

void FakeTicketGateway::PutTicket(const TicketToRoute& ticket) {
  absl::MutexLock lock(&mu_);
  tickets_[ticket.id] = ticket;
}

void FakeTicketGateway::FailWith(absl::Status status, int times) {
  absl::MutexLock lock(&mu_);
  failure_ = std::move(status);
  failures_left_ = times;
}

std::vector<FakeTicketGateway::Call> FakeTicketGateway::calls() const {
  absl::MutexLock lock(&mu_);
  return calls_;
}

void FakeTicketGateway::ClearCalls() {
  absl::MutexLock lock(&mu_);
  calls_.clear();
}

void FakeTicketGateway::OnCall(std::function<void(const Call&)> hook) {
  absl::MutexLock lock(&mu_);
  hook_ = std::move(hook);
}

absl::Status FakeTicketGateway::Record(Call call) {
  calls_.push_back(std::move(call));
  if (hook_) hook_(calls_.back());
  if (failure_.ok()) return absl::OkStatus();
  absl::Status failure = failure_;
  if (failures_left_ > 0 && --failures_left_ == 0) failure_ = absl::OkStatus();
  return failure;
}

absl::Status FakeTicketGateway::Assign(int64_t ticket_id,
                                       const std::string& assignee,
                                       const std::string& team, bool unassign,
                                       const std::string& request_id) {
  absl::MutexLock lock(&mu_);
  return Record(
      {"Assign", ticket_id, assignee, team, unassign, "", request_id});
}

absl::StatusOr<std::string> FakeTicketGateway::RaisePriority(
    int64_t ticket_id, const std::string& request_id) {
  absl::MutexLock lock(&mu_);
  absl::Status failed =
      Record({"RaisePriority", ticket_id, "", "", false, "", request_id});
  if (!failed.ok()) return failed;
  std::string& priority = tickets_[ticket_id].priority;
  const std::string before = priority.empty() ? "normal" : priority;
  if (before == "urgent") return std::string("priority already urgent");
  priority = before == "low"      ? "normal"
             : before == "normal" ? "high"
                                  : "urgent";
  return absl::StrCat("priority ", before, " -> ", priority);
}

absl::Status FakeTicketGateway::AddNote(int64_t ticket_id,
                                        const std::string& text,
                                        const std::string& request_id) {
  absl::MutexLock lock(&mu_);
  return Record({"AddNote", ticket_id, "", "", false, text, request_id});
}

absl::StatusOr<TicketToRoute> FakeTicketGateway::GetTicket(int64_t ticket_id) {
  absl::MutexLock lock(&mu_);
  absl::Status failed = Record({"GetTicket", ticket_id, "", "", false, "", ""});
  if (!failed.ok()) return failed;
  auto it = tickets_.find(ticket_id);
  if (it == tickets_.end()) {
    return absl::NotFoundError(
        absl::StrCat("ticket ", ticket_id, " not found"));
  }
  return it->second;
}

}  // namespace cxdesk::escalation
