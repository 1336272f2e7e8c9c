#ifndef CXDESK_SERVICES_ESCALATION_ESCALATION_ENGINE_H_
#define CXDESK_SERVICES_ESCALATION_ESCALATION_ENGINE_H_

// What the escalation service does on its own: route new tickets, assign
// waiting ones as capacity frees, climb the ladders on SLA events and
// after-breach timers. Every change is one store unit of work, which also
// queues the actions it wants of the ticket service (the action outbox),
// the notifications and the webhook deliveries, so that a replica killed at
// any point neither loses nor doubles an effect. Neither proto nor pqxx.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/common/clock.h"
#include "services/escalation/escalation.h"
#include "services/escalation/escalation_store.h"
#include "services/escalation/ticket_gateway.h"

namespace cxdesk::escalation {

// The directory at the newest revision seen; reloaded when the stored
// revision moves. Thread-safe.
class DirectoryCache {
 public:
  explicit DirectoryCache(EscalationStore& store) : store_(store) {}
  // The directory as of now: one revision read, a reload only if it moved.
  absl::StatusOr<std::shared_ptr<const Directory>> Current();

 private:
  EscalationStore& store_;
  absl::Mutex mu_;
  std::shared_ptr<const Directory> directory_ ABSL_GUARDED_BY(mu_);
};

class Engine {
 public:
  struct Options {
    // Prefix of the idempotency keys sent to the ticket service.
    std::string request_prefix = "esc";
  };
  // `gateway` is read from only (GetTicket: descriptions for word rules);
  // `shifts` may be null (everyone always on shift).
  Engine(EscalationStore& store, DirectoryCache& directory,
         TicketGateway& gateway, ShiftCalendars* shifts,
         const common::Clock& clock, Options options)
      : store_(store),
        directory_(directory),
        gateway_(gateway),
        shifts_(shifts),
        clock_(clock),
        options_(std::move(options)) {}

  // Applies ticket events (in stream order) and sets `consumer`'s cursor to
  // the last one's, in one transaction: keeps the ticket projection, routes
  // new tickets, and assigns waiting tickets of the teams where capacity
  // freed. Events of a ticket version already applied are skipped.
  absl::Status ApplyTicketEvents(const std::string& consumer,
                                 const std::vector<TicketEventIn>& events);
  // Applies SLA events likewise: keeps clock deadlines (queue order) and
  // climbs the ladders.
  absl::Status ApplySlaEvents(const std::string& consumer,
                              const std::vector<SlaEventIn>& events);
  // Fires after-breach timers due at `now`; returns how many it claimed.
  absl::StatusOr<int> FireTimers(absl::Time now, int limit,
                                 const std::string& replica);

  // The decision routing would take for `ticket` now; records nothing.
  absl::StatusOr<Decision> DryRun(const TicketToRoute& ticket);
  // Re-routes a known ticket now (trigger kManual): records the decision
  // and queues its assignment. NOT_FOUND if the service has not seen it.
  absl::StatusOr<Decision> Reroute(int64_t ticket_id);
  // Assigns waiting tickets of `teams` as far as capacity allows (after an
  // agent came online or changed).
  absl::Status DrainTeams(const std::vector<std::string>& teams);
  // Marks the cycle of escalation `id` acknowledged by `who` and records
  // the skip of any notify-only step that is due meanwhile.
  absl::StatusOr<EscalationRecord> Acknowledge(int64_t id,
                                               const std::string& who);

 private:
  class Unit;

  EscalationStore& store_;
  DirectoryCache& directory_;
  TicketGateway& gateway_;
  ShiftCalendars* const shifts_;
  const common::Clock& clock_;
  const Options options_;
};

}  // namespace cxdesk::escalation

#endif  // CXDESK_SERVICES_ESCALATION_ESCALATION_ENGINE_H_
