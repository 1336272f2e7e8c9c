#ifndef CXDESK_SERVICES_TICKET_POSTGRES_TICKET_STORE_H_
#define CXDESK_SERVICES_TICKET_POSTGRES_TICKET_STORE_H_

#include <memory>
#include <string>
#include <vector>

#include "services/common/migrations.h"
#include "services/common/postgres_notifier.h"
#include "services/common/postgres_pool.h"
#include "services/ticket/ticket_store.h"

namespace cxdesk {
// The ticket schema's migrations, embedded from db/ticket/migrations.
const std::vector<common::Migration>& TicketMigrations();
}  // namespace cxdesk

namespace cxdesk::ticket {

// The channel writers NOTIFY after appending events.
inline constexpr char kEventChannel[] = "cxdesk_ticket_events";

// TicketStore over PostgreSQL (schema `ticket`). Thread-safe.
class PostgresTicketStore final : public TicketStore {
 public:
  // `pool` must have been created with PreparedQueries(). After each write
  // commits, `publisher` (may be null) is asked to NOTIFY kEventChannel.
  PostgresTicketStore(common::PgPool& pool,
                      common::PgNotifyPublisher* publisher)
      : pool_(pool), publisher_(publisher) {}

  // The statements to prepare on every connection of the pool.
  static const std::vector<common::NamedQuery>& PreparedQueries();

  absl::StatusOr<CreateResult> CreateTicket(const Ticket& ticket,
                                            const std::string& request_id,
                                            const Actor& actor) override;
  absl::StatusOr<Ticket> GetTicket(int64_t id) override;
  absl::StatusOr<std::vector<Ticket>> ListTickets(const TicketQuery& query,
                                                  int64_t offset,
                                                  int limit) override;
  absl::StatusOr<MutationResult> MutateTicket(
      int64_t id, const std::string& request_id,
      const DecideChange& decide) override;
  absl::StatusOr<std::vector<Comment>> ListComments(int64_t ticket_id,
                                                    bool include_internal,
                                                    int64_t after_id,
                                                    int limit) override;
  absl::StatusOr<std::vector<TicketEvent>> ListTicketEvents(
      int64_t ticket_id, int64_t after_version, int limit) override;
  absl::StatusOr<common::EventCursor> LatestEventCursor() override;
  absl::StatusOr<common::EventBatch<TicketEvent>> ReadEvents(
      const common::EventCursor& after, int limit) override;

 private:
  void Published() {
    if (publisher_ != nullptr) publisher_->Publish();
  }

  common::PgPool& pool_;
  common::PgNotifyPublisher* const publisher_;
};

}  // namespace cxdesk::ticket

#endif  // CXDESK_SERVICES_TICKET_POSTGRES_TICKET_STORE_H_
