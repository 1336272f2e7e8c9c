#ifndef CXDESK_SERVICES_ESCALATION_TESTING_FAKE_TICKET_GATEWAY_H_
#define CXDESK_SERVICES_ESCALATION_TESTING_FAKE_TICKET_GATEWAY_H_

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "services/escalation/directory.h"
#include "services/escalation/ticket_gateway.h"

namespace cxdesk::escalation {

// A TicketGateway for unit tests: records every call in order, answers
// GetTicket from the tickets it was given (NOT_FOUND otherwise), raises
// priorities it keeps per ticket, and fails calls with a given status when
// told to. A request id seen before is answered as the first time and
// recorded again (the ticket service is idempotent). Thread-safe.
class FakeTicketGateway final : public TicketGateway {
 public:
  // One call as the gateway received it.
  struct Call {
    std::string method;  // Assign|RaisePriority|AddNote|GetTicket
    int64_t ticket_id = 0;
    std::string assignee;
    std::string team;
    bool unassign = false;
    std::string text;  // AddNote.
    std::string request_id;

    friend bool operator==(const Call& a, const Call& b) {
      return a.method == b.method && a.ticket_id == b.ticket_id &&
             a.assignee == b.assignee && a.team == b.team &&
             a.unassign == b.unassign && a.text == b.text &&
             a.request_id == b.request_id;
    }
  };

  // GetTicket answers `ticket` for its id; RaisePriority starts from its
  // priority.
  void PutTicket(const TicketToRoute& ticket);
  // Every call from now on (GetTicket included) fails with `status` (OK
  // again: calls succeed); `times` > 0 limits it to that many calls.
  void FailWith(absl::Status status, int times = 0);
  // Runs `hook` on every call after it is recorded, before it is answered
  // (e.g. to advance a FakeClock: a slow ticket service). Must not call the
  // gateway.
  void OnCall(std::function<void(const Call&)> hook);
  // The calls so far, oldest first; and forgetting them.
  std::vector<Call> calls() const;
  void ClearCalls();

  absl::Status Assign(int64_t ticket_id, const std::string& assignee,
                      const std::string& team, bool unassign,
                      const std::string& request_id) override;
  absl::StatusOr<std::string> RaisePriority(
      int64_t ticket_id, const std::string& request_id) override;
  absl::Status AddNote(int64_t ticket_id, const std::string& text,
                       const std::string& request_id) override;
  absl::StatusOr<TicketToRoute> GetTicket(int64_t ticket_id) override;

 private:
  // Records `call` and returns the failure to answer (OK: none).
  absl::Status Record(Call call) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  mutable absl::Mutex mu_;
  std::map<int64_t, TicketToRoute> tickets_ ABSL_GUARDED_BY(mu_);
  std::vector<Call> calls_ ABSL_GUARDED_BY(mu_);
  absl::Status failure_ ABSL_GUARDED_BY(mu_);
  int failures_left_ ABSL_GUARDED_BY(mu_) = 0;  // 0: until told otherwise.
  std::function<void(const Call&)> hook_ ABSL_GUARDED_BY(mu_);
};

}  // namespace cxdesk::escalation

#endif  // CXDESK_SERVICES_ESCALATION_TESTING_FAKE_TICKET_GATEWAY_H_
