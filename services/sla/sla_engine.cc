#include "services/sla/sla_engine.h"

#include <utility>
#include <vector>

#include "services/common/log.h"
#include "services/common/status_macros.h"
#include "services/sla/clock_engine.h"

namespace cxdesk::sla {

// ---- ChangeConsumer ----

ChangeConsumer::ChangeConsumer(SlaStore& store, ConfigCache& config,
                               TicketEventSource& source)
    : store_(store),
      config_(config),
      consumer_(
          {kName, kMaxBatch, absl::Seconds(2)},
          [this] { return store_.TryAcquireLease(kLeaseKey); },
          [this] { return store_.ReadCursor(kName); }, source,
          [this](const std::vector<RecordedChange>& batch) {
            return ApplyBatch(batch);
          }) {}

absl::Status ChangeConsumer::ApplyBatch(
    const std::vector<RecordedChange>& batch) {
  const DecideApply decide =
      [&](const RecordedChange& change,
          const std::optional<StoredTicket>& current,
          int64_t revision) -> absl::StatusOr<std::optional<ClockUpdate>> {
    CXDESK_ASSIGN_OR_RETURN(std::shared_ptr<const SlaConfig> config,
                            config_.AtLeast(revision));
    absl::StatusOr<ClockUpdate> update = ApplyChange(current, change, *config);
    if (!update.ok()) {
      // Deterministic: retrying cannot help, and the stream must go on.
      CXDESK_LOG(Warning) << "ticket " << change.ticket_id << " event "
                          << change.ticket_event_id
                          << " moves no clock: " << update.status();
      return std::nullopt;
    }
    return std::optional<ClockUpdate>(*std::move(update));
  };
  return store_.ApplyChanges(kName, batch, decide);
}

// ---- TimerLoop ----

absl::StatusOr<int> TimerLoop::FireOnce(absl::Time now) {
  int64_t fired = 0;
  const DecideFire decide =
      [&](const StoredTicket& ticket, const std::vector<ArmedTimer>& timers,
          int64_t revision) -> absl::StatusOr<FireUpdate> {
    CXDESK_ASSIGN_OR_RETURN(std::shared_ptr<const SlaConfig> config,
                            config_.AtLeast(revision));
    FireUpdate update = FireTimers(ticket, timers, now, *config);
    for (const auto& [id, outcome] : update.outcomes) {
      if (outcome == TimerOutcome::kFired) ++fired;
    }
    return update;
  };
  CXDESK_ASSIGN_OR_RETURN(
      int claimed,
      store_.FireDueTimers(now, options_.batch, options_.replica, decide));
  fired_.fetch_add(fired);
  return claimed;
}

common::DueLoop::Work TimerLoop::Work() {
  return {"firing timers", [this](absl::Time now) { return FireOnce(now); },
          [this]() -> absl::StatusOr<std::optional<absl::Time>> {
            absl::StatusOr<absl::Time> next = store_.NextTimerDue();
            if (!next.ok()) return next.status();
            if (*next == absl::InfiniteFuture()) return std::nullopt;
            return *next;
          }};
}

}  // namespace cxdesk::sla
