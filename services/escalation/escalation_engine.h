#ifndef CXDESK_SERVICES_ESCALATION_ESCALATION_ENGINE_H_
#define CXDESK_SERVICES_ESCALATION_ESCALATION_ENGINE_H_

// What the escalation service does on its own: route new tickets, assign
// waiting ones as capacity frees, climb the ladders on SLA events and
// after-breach timers. Every change is one store unit of work, which also
// queues the actions it wants of the ticket service (the action outbox),
// the notifications and the webhook deliveries, so that a replica killed at
// any point neither loses nor doubles an effect. A unit of work composes a
// RoutingUnit (routing_unit.h) and, for SLA events and timers, a LadderUnit
// (ladder_unit.h) on it. Neither proto nor pqxx.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/common/clock.h"
#include "services/common/revision_cache.h"
#include "services/escalation/escalation.h"
#include "services/escalation/escalation_store.h"
#include "services/escalation/routing_unit.h"
#include "services/escalation/ticket_gateway.h"

namespace cxdesk::escalation {

// The directory cache every part of the service shares: the common
// configuration cache over the store's LoadDirectory (the Engine asks it
// for the store's ConfigRevision or later). Only a constructor: the cache
// is common::RevisionCache<Directory>. Thread-safe.
class DirectoryCache final : public common::RevisionCache<Directory> {
 public:
  // `store` must outlive the cache.
  explicit DirectoryCache(EscalationStore& store)
      : RevisionCache([&store] { return store.LoadDirectory(); }) {}
};

// The escalation service's own work, one store unit of work per call (see
// the file comment); errors are the store's and the gateway's unless a
// method says otherwise. Thread-safe: it keeps no state of its own.
class Engine {
 public:
  struct Options {
    // Prefix of the idempotency keys sent to the ticket service.
    std::string request_prefix = "esc";
  };
  // `gateway` is read from only (GetTicket: descriptions for word rules);
  // `shifts` may be null (everyone always on shift). `directory` loads from
  // `store`; all must outlive the engine.
  Engine(EscalationStore& store, common::RevisionCache<Directory>& directory,
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
  // and queues its assignment. NOT_FOUND if the service has not seen it (or
  // the ticket service does not know it), FAILED_PRECONDITION if it is
  // solved or closed.
  absl::StatusOr<Decision> Reroute(int64_t ticket_id);
  // Assigns waiting tickets of `teams` as far as capacity allows (after an
  // agent came online or changed).
  absl::Status DrainTeams(const std::vector<std::string>& teams);
  // Marks the cycle of escalation `id` acknowledged by `who` and records
  // the skip of any notify-only step that is due meanwhile.
  absl::StatusOr<EscalationRecord> Acknowledge(int64_t id,
                                               const std::string& who);

 private:
  // The directory at the store's current configuration revision or later,
  // with the shift calendars it names warmed (ShiftCalendars::Warm): called
  // before every unit of work that routes, outside it.
  absl::StatusOr<std::shared_ptr<const Directory>> CurrentDirectory();
  // The routing unit of one transaction deciding at `now`.
  RoutingUnit MakeRouting(EscalationTxn& txn, const Directory& dir,
                          absl::Time now) const;

  EscalationStore& store_;
  common::RevisionCache<Directory>& directory_;
  TicketGateway& gateway_;
  ShiftCalendars* const shifts_;
  const common::Clock& clock_;
  const Options options_;
};

}  // namespace cxdesk::escalation

#endif  // CXDESK_SERVICES_ESCALATION_ESCALATION_ENGINE_H_
