#ifndef CXDESK_SERVICES_ESCALATION_TICKET_GATEWAY_H_
#define CXDESK_SERVICES_ESCALATION_TICKET_GATEWAY_H_

// What the escalation service needs from the other services: the ticket
// service's writes (each with an idempotency key, so that a retry after a
// crash or a lost reply never acts twice), its event stream and the SLA
// event stream, and the SLA service's calendars for agents' shifts.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/common/stream_consumer.h"
#include "services/escalation/escalation.h"

namespace cxdesk::escalation {

// Writes to the ticket service. Errors are the ticket service's (NOT_FOUND,
// FAILED_PRECONDITION for a closed ticket, INVALID_ARGUMENT) or the
// transport's (UNAVAILABLE, DEADLINE_EXCEEDED: worth retrying with the same
// request_id). Thread-safe.
class TicketGateway {
 public:
  virtual ~TicketGateway() = default;

  // AssignTicket: `assignee` ("" keeps it), `team` ("" keeps it), or
  // `unassign`.
  virtual absl::Status Assign(int64_t ticket_id, const std::string& assignee,
                              const std::string& team, bool unassign,
                              const std::string& request_id) = 0;
  // Raises the priority one step (low -> normal -> high -> urgent); returns
  // what it did in words, e.g. "priority high -> urgent" or "priority
  // already urgent".
  virtual absl::StatusOr<std::string> RaisePriority(
      int64_t ticket_id, const std::string& request_id) = 0;
  // Adds an internal note.
  virtual absl::Status AddNote(int64_t ticket_id, const std::string& text,
                               const std::string& request_id) = 0;
  // The ticket's routing fields, description included (stream snapshots
  // omit it).
  virtual absl::StatusOr<TicketToRoute> GetTicket(int64_t ticket_id) = 0;
};

// One event of the ticket stream, as routing sees it.
struct TicketEventIn {
  int64_t id = 0;
  std::string cursor;
  int64_t ticket_id = 0;
  std::string
      type;  // created|updated|comment_added|assigned|status_changed|rated
  absl::Time at;
  // The ticket after the change: id, version (the event's ticket version),
  // status, route fields (no description), team, assignee.
  TicketView after;
};

// One event of the SLA stream, as the ladder sees it.
struct SlaEventIn {
  int64_t id = 0;
  std::string cursor;
  int64_t ticket_id = 0;
  // started|paused|resumed|met|cancelled|retargeted|warned|breached
  std::string kind;
  std::string
      metric;  // first_response|next_response|periodic_update|resolution
  int cycle = 0;
  absl::Time occur_time;
  std::optional<absl::Time> deadline;  // After the event; none while paused.
  std::string team;
  std::string assignee;
  std::string priority;
};

// A server stream followed from a cursor (see common::EventSource).
using common::EventSource;

// Whether an agent's shift calendar (an SLA service calendar) is in
// business time at an instant. Thread-safe.
class ShiftCalendars {
 public:
  virtual ~ShiftCalendars() = default;
  // Reads each of `calendar_ids` that is not fresh in memory. The engine
  // calls it outside any transaction, before each unit of work that routes,
  // so that InShift never waits for the network while rows are locked.
  // Never blocks longer than the implementation's deadline per calendar.
  virtual void Warm(const std::vector<std::string>& calendar_ids) = 0;
  // True inside the calendar's business hours, from what Warm read. An
  // unknown calendar, or one that could not be read (SLA service down),
  // counts as on shift: a missing calendar must not stop all routing.
  // Never makes a call.
  virtual bool InShift(const std::string& calendar_id, absl::Time at) = 0;
};

}  // namespace cxdesk::escalation

#endif  // CXDESK_SERVICES_ESCALATION_TICKET_GATEWAY_H_
