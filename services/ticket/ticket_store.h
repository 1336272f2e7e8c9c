#ifndef CXDESK_SERVICES_TICKET_TICKET_STORE_H_
#define CXDESK_SERVICES_TICKET_TICKET_STORE_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/common/event_stream.h"
#include "services/ticket/ticket.h"

namespace cxdesk::ticket {

// A change to one ticket, decided by the manager while the store holds the
// ticket's row lock.
struct TicketChange {
  // The ticket's new state: subject, description, kind, cx_level, priority,
  // channel, status, tags, assignee, team, solve_time and rating are written.
  Ticket after;
  EventType type = EventType::kUnspecified;
  Actor actor;
  std::string reason;
  // A comment to insert (its id and time are filled in by the store).
  std::optional<Comment> comment;
  absl::Time time;
};

// Decides the change from the ticket as it is under lock: an error aborts
// the whole write, nullopt means "nothing to change".
using DecideChange = std::function<absl::StatusOr<std::optional<TicketChange>>(
    const Ticket& current)>;

struct CreateResult {
  Ticket ticket;
  // True when `request_id` had been seen: `ticket` is the first result.
  bool replayed = false;
};

struct MutationResult {
  Ticket ticket;
  // The comment inserted; for a replayed request id, the comment that
  // request inserted, if any (it may be on another ticket).
  std::optional<Comment> comment;
  // False for a no-op or a replayed request id.
  bool changed = false;
  // True when the request id had been seen: nothing was written.
  bool replayed = false;
};

// Persistence of the ticket service. Every write is one transaction that
// also appends the ticket event (transactional outbox) and notifies
// watchers. Thread-safe. Errors: NOT_FOUND for a missing ticket,
// UNAVAILABLE / DEADLINE_EXCEEDED / ABORTED / INTERNAL from the database.
class TicketStore {
 public:
  virtual ~TicketStore() = default;

  // Inserts `ticket` (status new, version 1), finding or creating its
  // customer by e-mail (an existing customer keeps its name), and appends
  // the created event performed by `actor`. With a non-empty `request_id`
  // already used, returns the ticket created then (`replayed`), or
  // ALREADY_EXISTS if that ticket is for another customer.
  virtual absl::StatusOr<CreateResult> CreateTicket(
      const Ticket& ticket, const std::string& request_id,
      const Actor& actor) = 0;

  virtual absl::StatusOr<Ticket> GetTicket(int64_t id) = 0;

  // Tickets matching `query`, in its order, skipping `offset`.
  virtual absl::StatusOr<std::vector<Ticket>> ListTickets(
      const TicketQuery& query, int64_t offset, int limit) = 0;

  // Serialises on the ticket (an advisory lock taken before the transaction
  // has an id, so that changes of one ticket get increasing transaction ids),
  // locks its row, calls `decide` and applies
  // its change: bumps the version, inserts the comment, appends the event,
  // and records a non-empty `request_id` with the comment it inserted. A
  // non-empty `request_id` seen before (on any ticket) makes this a no-op
  // (`decide` is not called) returning the ticket as it is now, `replayed`,
  // and the comment that request inserted, if any. A change that `decide`
  // turns into a no-op does not record `request_id`.
  virtual absl::StatusOr<MutationResult> MutateTicket(
      int64_t id, const std::string& request_id,
      const DecideChange& decide) = 0;

  // Comments with id > `after_id`, oldest first; internal notes only when
  // `include_internal`.
  virtual absl::StatusOr<std::vector<Comment>> ListComments(
      int64_t ticket_id, bool include_internal, int64_t after_id,
      int limit) = 0;

  // Events of one ticket with version > `after_version`, in version order.
  virtual absl::StatusOr<std::vector<TicketEvent>> ListTicketEvents(
      int64_t ticket_id, int64_t after_version, int limit) = 0;

  // The next events of the whole stream after `after` (see
  // common::RunWatch).
  virtual absl::StatusOr<common::EventBatch<TicketEvent>> ReadEvents(
      const common::EventCursor& after, int limit) = 0;

  // The cursor of the last event ReadEvents could return now; the zero
  // cursor when there is none.
  virtual absl::StatusOr<common::EventCursor> LatestEventCursor() = 0;
};

}  // namespace cxdesk::ticket

#endif  // CXDESK_SERVICES_TICKET_TICKET_STORE_H_
