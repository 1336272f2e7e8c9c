#ifndef CXDESK_SERVICES_TICKET_TICKET_MANAGER_H_
#define CXDESK_SERVICES_TICKET_TICKET_MANAGER_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/common/change_signal.h"
#include "services/common/clock.h"
#include "services/common/credentials.h"
#include "services/common/page_token.h"
#include "services/common/staff_auth.h"
#include "services/common/token.h"
#include "services/ticket/sla_promise_source.h"
#include "services/ticket/ticket.h"
#include "services/ticket/ticket_store.h"

namespace cxdesk::ticket {

// What the caller presented (gRPC metadata), not yet checked.
using Credentials = common::Credentials;

struct NewTicketInput {
  std::string subject;
  std::string description;
  Kind kind = Kind::kUnspecified;
  CxLevel cx_level = CxLevel::kUnspecified;
  Priority priority = Priority::kUnspecified;
  Channel channel = Channel::kUnspecified;
  std::string customer_email;
  std::string customer_name;
  std::vector<std::string> tags;
  std::string request_id;
};

struct CreatedTicket {
  Ticket ticket;
  std::string access_key;
};

// The fields UpdateTicket may change; unset members stay as they are.
struct TicketUpdate {
  std::optional<std::string> subject;
  std::optional<std::string> description;
  std::optional<Kind> kind;
  std::optional<CxLevel> cx_level;
  std::optional<Priority> priority;
  std::optional<Channel> channel;
  std::optional<std::vector<std::string>> tags;
};

struct AssignInput {
  std::string assignee;
  std::string team;
  bool unassign = false;
  std::string request_id;
};

using common::Page;

// What a customer sees: the ticket and its public conversation, the
// description first (as a comment with id 0), and the SLA promise.
struct StatusView {
  Ticket ticket;
  // The description, then the newest public replies that fit in
  // kMaxConversationBytes, oldest first.
  std::vector<Comment> conversation;
  // Public replies older than those in `conversation`, left out to keep the
  // answer within the message limit.
  int earlier_replies_omitted = 0;
  // Unset when there is none, no SLA service is configured, or it could not
  // be asked.
  std::optional<Promise> promise;
};

// The most comment text (bytes of bodies) in one answer: a page of
// ListComments stops before it, and GetTicketStatus keeps the newest replies
// within it, so that no answer outgrows the 4 MiB response limit whatever
// the page size (500 comments of 64 KiB would be 32 MiB).
inline constexpr size_t kMaxConversationBytes = 2 * 1024 * 1024;

// The ticket service's use cases: authenticate and authorise the caller,
// validate input, apply the rules, persist through the store. Errors:
// UNAUTHENTICATED (no or bad credentials), PERMISSION_DENIED (wrong role),
// NOT_FOUND (no such ticket, or not the customer's), INVALID_ARGUMENT
// (naming the field), FAILED_PRECONDITION (illegal transition), ABORTED
// (stale etag), and the store's errors. Thread-safe.
class TicketManager {
 public:
  // `notifier` wakes watchers; it may be null (watchers then poll).
  // `promises` feeds the promise of GetTicketStatus; null means no SLA
  // service is configured. Both must outlive the manager.
  TicketManager(TicketStore& store, const common::Clock& clock,
                std::string token_secret, const common::ChangeSignal* notifier,
                SlaPromiseSource* promises = nullptr);

  // Anyone; staff act on a customer's behalf.
  absl::StatusOr<CreatedTicket> CreateTicket(const Credentials& creds,
                                             const NewTicketInput& input);
  // Staff.
  absl::StatusOr<Ticket> GetTicket(const Credentials& creds, int64_t id);
  absl::StatusOr<Page<Ticket>> ListTickets(const Credentials& creds,
                                           const TicketQuery& query,
                                           int32_t page_size,
                                           const std::string& page_token);
  // A non-empty `request_id` (see ValidateRequestId) already used makes
  // this a no-op returning the ticket as it is now.
  absl::StatusOr<Ticket> UpdateTicket(const Credentials& creds, int64_t id,
                                      const TicketUpdate& update,
                                      const std::string& etag,
                                      const std::string& request_id);
  // Staff (either visibility) or the ticket's customer (public only). A
  // non-empty `request_id` already used returns the comment its first call
  // added, writing nothing; ALREADY_EXISTS if that call was by another
  // author, on another ticket, or added no comment.
  absl::StatusOr<Comment> AddComment(const Credentials& creds, int64_t id,
                                     Visibility visibility,
                                     const std::string& body,
                                     const std::string& request_id);
  // Staff.
  absl::StatusOr<Page<Comment>> ListComments(const Credentials& creds,
                                             int64_t id, int32_t page_size,
                                             const std::string& page_token);
  absl::StatusOr<Ticket> AssignTicket(const Credentials& creds, int64_t id,
                                      const AssignInput& input);
  absl::StatusOr<Ticket> ChangeStatus(const Credentials& creds, int64_t id,
                                      Status status, const std::string& reason);
  // The ticket's customer only.
  absl::StatusOr<Ticket> RateTicket(const Credentials& creds, int64_t id,
                                    int score, const std::string& comment);
  // The ticket's customer, or staff. The SLA promise is best effort: when
  // the SLA service fails the view is answered without it (failures are
  // logged at most once every 30 s).
  absl::StatusOr<StatusView> GetTicketStatus(const Credentials& creds,
                                             int64_t id);
  // Staff.
  absl::StatusOr<Page<TicketEvent>> ListTicketEvents(
      const Credentials& creds, int64_t id, int32_t page_size,
      const std::string& page_token);
  // Staff. Streams events after `after_cursor` until `send` returns false or
  // `cancelled` returns true; see common::RunWatch.
  absl::Status WatchTicketEvents(
      const Credentials& creds, const std::string& after_cursor,
      const std::function<bool(const TicketEvent&)>& send,
      const std::function<bool()>& cancelled);
  // Staff. The cursor to watch after to skip the history; "" when there is
  // no event yet.
  absl::StatusOr<std::string> GetLatestEventCursor(const Credentials& creds);

 private:
  static constexpr absl::Duration kPromiseFailureLogInterval =
      absl::Seconds(30);

  struct Caller {
    enum class Kind { kAnonymous, kCustomer, kStaff } kind = Kind::kAnonymous;
    common::StaffRole role = common::StaffRole::kAgent;
    std::string subject;
    std::string access_key;
  };

  absl::StatusOr<Caller> Authenticate(const Credentials& creds) const;
  absl::StatusOr<Caller> RequireStaff(const Credentials& creds) const;
  // NOT_FOUND unless `caller` is the ticket's customer.
  absl::Status CheckCustomerKey(const Caller& caller, const Ticket& ticket,
                                int64_t id) const;
  static Actor StaffActor(const Caller& caller);
  // Now, truncated to the microsecond the database stores.
  absl::Time RecordTime() const;
  std::string AccessKeyFor(const std::string& request_id) const;
  // The time of a change to `current`, read under the ticket's lock: now,
  // but never before the ticket's last change (two writers of one ticket
  // that read the clock before queueing on its lock would otherwise record
  // times out of order).
  absl::Time ChangeTime(const Ticket& current) const;
  // The promise for an authorised view; nullopt on any failure.
  std::optional<Promise> PromiseFor(int64_t id);
  void LogPromiseFailure(const absl::Status& status);

  TicketStore& store_;
  const common::Clock& clock_;
  // Signs customers' access keys; verifies staff tokens through auth_.
  const std::string token_secret_;
  const common::StaffAuthorizer auth_;
  const common::ChangeSignal* notifier_;
  SlaPromiseSource* const promises_;

  absl::Mutex promise_log_mu_;
  absl::Time next_promise_log_ ABSL_GUARDED_BY(promise_log_mu_) =
      absl::InfinitePast();
  int64_t promise_failures_unlogged_ ABSL_GUARDED_BY(promise_log_mu_) = 0;
};

}  // namespace cxdesk::ticket

#endif  // CXDESK_SERVICES_TICKET_TICKET_MANAGER_H_
