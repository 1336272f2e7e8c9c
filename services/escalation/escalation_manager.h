#ifndef CXDESK_SERVICES_ESCALATION_ESCALATION_MANAGER_H_
#define CXDESK_SERVICES_ESCALATION_ESCALATION_MANAGER_H_

// The escalation service's use cases behind its API: authorise, validate,
// read and write through the store, route on request. Neither proto nor
// pqxx.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/common/change_signal.h"
#include "services/common/clock.h"
#include "services/common/page_token.h"
#include "services/common/staff_auth.h"
#include "services/common/token.h"
#include "services/escalation/escalation.h"
#include "services/escalation/escalation_engine.h"
#include "services/escalation/escalation_store.h"

namespace cxdesk::escalation {

// One page of a List call.
using common::Page;

// What RouteTicket routes: an existing ticket or a draft.
using RouteTarget = std::variant<int64_t, TicketToRoute>;

class EscalationManager {
 public:
  // `engine` routes on request (it shares the directory cache with the
  // loops); `notification_notifier` (may be null: the watch then polls)
  // wakes WatchNotifications.
  EscalationManager(EscalationStore& store, Engine& engine,
                    const common::Clock& clock, std::string token_secret,
                    const common::ChangeSignal* notification_notifier)
      : store_(store),
        engine_(engine),
        clock_(clock),
        auth_(std::move(token_secret), clock),
        notifier_(notification_notifier) {}

  // Every method first checks the bearer token: UNAUTHENTICATED without
  // one (or with a bad one), PERMISSION_DENIED for a role the call is not
  // for (see the proto's service comment). Bad input is INVALID_ARGUMENT
  // naming the field ("team.lead: ..."); a stale or missing etag on update
  // is ABORTED / INVALID_ARGUMENT.

  // Teams. lead/manager must be existing agents (NOT_FOUND otherwise); a
  // default calendar is not checked against the SLA service.
  absl::StatusOr<TeamRecord> CreateTeam(const std::string& bearer,
                                        TeamRecord input);
  absl::StatusOr<TeamRecord> GetTeam(const std::string& bearer,
                                     const std::string& id);
  absl::StatusOr<Page<TeamRecord>> ListTeams(const std::string& bearer,
                                             int32_t page_size,
                                             const std::string& page_token);
  absl::StatusOr<TeamRecord> UpdateTeam(const std::string& bearer,
                                        TeamRecord input,
                                        const std::string& etag);
  absl::Status DeleteTeam(const std::string& bearer, const std::string& id);

  // Agents. Teams must exist (NOT_FOUND).
  absl::StatusOr<AgentRecord> CreateAgent(const std::string& bearer,
                                          AgentRecord input);
  absl::StatusOr<AgentRecord> GetAgent(const std::string& bearer,
                                       const std::string& id);
  absl::StatusOr<Page<AgentRecord>> ListAgents(const std::string& bearer,
                                               const std::string& team,
                                               int32_t page_size,
                                               const std::string& page_token);
  absl::StatusOr<AgentRecord> UpdateAgent(const std::string& bearer,
                                          AgentRecord input,
                                          const std::string& etag);
  absl::Status DeleteAgent(const std::string& bearer, const std::string& id);
  // `id` "" = the caller. An agent may set only their own.
  absl::StatusOr<AgentRecord> SetAvailability(const std::string& bearer,
                                              const std::string& id,
                                              Availability availability);

  // Routing rules. The team must exist (NOT_FOUND).
  absl::StatusOr<RuleRecord> CreateRule(const std::string& bearer,
                                        RuleRecord input);
  absl::StatusOr<RuleRecord> GetRule(const std::string& bearer,
                                     const std::string& id);
  absl::StatusOr<Page<RuleRecord>> ListRules(const std::string& bearer,
                                             int32_t page_size,
                                             const std::string& page_token);
  absl::StatusOr<RuleRecord> UpdateRule(const std::string& bearer,
                                        RuleRecord input,
                                        const std::string& etag);
  absl::Status DeleteRule(const std::string& bearer, const std::string& id);

  // A draft needs dry_run (INVALID_ARGUMENT otherwise); a ticket the
  // service has not seen is NOT_FOUND.
  absl::StatusOr<Decision> RouteTicket(const std::string& bearer,
                                       const RouteTarget& target, bool dry_run);
  // NOT_FOUND if no decision was taken for the ticket.
  absl::StatusOr<std::vector<Decision>> ExplainRouting(
      const std::string& bearer, int64_t ticket_id);
  // The waiting tickets in the order they will be assigned, at most
  // `page_size` (0: 50), and how many wait in all.
  absl::StatusOr<std::pair<std::vector<QueuedTicket>, int>> ListTeamQueue(
      const std::string& bearer, const std::string& team, int32_t page_size);

  // Ladders. ValidateLadder's errors; named recipients and teams must exist.
  absl::StatusOr<LadderRecord> SetLadder(const std::string& bearer,
                                         const Ladder& ladder,
                                         const std::string& etag);
  absl::StatusOr<LadderRecord> GetLadder(const std::string& bearer,
                                         const std::string& metric);
  absl::StatusOr<std::vector<LadderRecord>> ListLadders(
      const std::string& bearer);
  absl::Status DeleteLadder(const std::string& bearer,
                            const std::string& metric);

  absl::StatusOr<Page<EscalationRecord>> ListEscalations(
      const std::string& bearer, const EscalationQuery& query,
      int32_t page_size, const std::string& page_token);
  // PERMISSION_DENIED unless the caller was notified by the cycle, is the
  // ticket's assignee or a manager.
  absl::StatusOr<EscalationRecord> AcknowledgeEscalation(
      const std::string& bearer, int64_t escalation_id);

  // `recipient` "" = the caller; only managers may name someone else.
  // Returns the page and the recipient's unread count.
  absl::StatusOr<std::pair<Page<NotificationRecord>, int>> ListNotifications(
      const std::string& bearer, const std::string& recipient, bool unread_only,
      int32_t page_size, const std::string& page_token);
  absl::StatusOr<int> MarkNotificationsRead(const std::string& bearer,
                                            const std::vector<int64_t>& ids,
                                            bool all);
  // Streams until `send` returns false or `cancelled` returns true; see
  // common::RunWatch. `recipient` "*" (managers only) follows everyone.
  absl::Status WatchNotifications(
      const std::string& bearer, const std::string& recipient,
      const std::string& after_cursor,
      const std::function<bool(const NotificationRecord&)>& send,
      const std::function<bool()>& cancelled);
  absl::StatusOr<Page<DeliveryRecord>> ListWebhookDeliveries(
      const std::string& bearer, const std::string& team,
      std::optional<DeliveryRecord::State> state, int32_t page_size,
      const std::string& page_token);

  // INVALID_ARGUMENT if the window is missing or empty.
  absl::StatusOr<Figures> GetFigures(const std::string& bearer,
                                     absl::Time start, absl::Time end);

 private:
  EscalationStore& store_;
  Engine& engine_;
  const common::Clock& clock_;
  const common::StaffAuthorizer auth_;
  const common::ChangeSignal* const notifier_;
};

}  // namespace cxdesk::escalation

#endif  // CXDESK_SERVICES_ESCALATION_ESCALATION_MANAGER_H_
