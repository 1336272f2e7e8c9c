#include "services/escalation/escalation_loops.h"

#include <algorithm>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/common/log.h"
#include "services/escalation/webhook.h"

namespace cxdesk::escalation {

namespace {

bool Retryable(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kDeadlineExceeded:
    case absl::StatusCode::kAborted:
    case absl::StatusCode::kResourceExhausted:
    case absl::StatusCode::kInternal:
    case absl::StatusCode::kUnknown:
    case absl::StatusCode::kCancelled:
      return true;
    default:
      return false;
  }
}

}  // namespace

void PerformAction(TicketGateway& gateway, absl::Time now, int max_attempts,
                   ActionRecord& a) {
  absl::Status status;
  std::string detail;
  // A routing assignment is checked against the ticket service first: the
  // service's copy of the ticket lags behind while it catches up on the
  // stream, and a ticket solved or taken by hand meanwhile must be left
  // alone. If the ticket cannot be read, the assignment meets the same
  // error below and is retried or failed as any call is.
  if (a.decision_id != 0 && a.ticket_open &&
      a.kind == ActionRecord::Kind::kAssign) {
    if (absl::StatusOr<TicketToRoute> live = gateway.GetTicket(a.ticket_id);
        live.ok()) {
      a.ticket_open = live->open;
      a.ticket_assignee = live->assignee;
    }
  }
  // A routing assignment the ticket no longer needs (closed, or assigned by
  // someone else since it was decided) is skipped, not forced through.
  if (a.decision_id != 0 &&
      (!a.ticket_open ||
       (!a.ticket_assignee.empty() && a.ticket_assignee != a.assignee))) {
    a.state = ActionRecord::State::kSkipped;
    a.detail = !a.ticket_open ? "skipped: the ticket is closed or solved"
                              : absl::StrCat("skipped: assigned to ",
                                             a.ticket_assignee, " meanwhile");
    a.done_time = now;
    return;
  }
  switch (a.kind) {
    case ActionRecord::Kind::kAssign:
      status = gateway.Assign(a.ticket_id, a.assignee, a.team, a.unassign,
                              a.request_id);
      if (a.detail.empty()) {
        detail = a.assignee.empty() ? absl::StrCat("routed to team ", a.team)
                                    : absl::StrCat("assigned to ", a.assignee);
      }
      break;
    case ActionRecord::Kind::kRaisePriority: {
      absl::StatusOr<std::string> raised =
          gateway.RaisePriority(a.ticket_id, a.request_id);
      status = raised.status();
      if (raised.ok()) detail = *raised;
      break;
    }
    case ActionRecord::Kind::kAddNote:
      status = gateway.AddNote(a.ticket_id, a.note, a.request_id);
      detail = "internal note added";
      break;
    case ActionRecord::Kind::kNotify:
      a.state = ActionRecord::State::kDone;  // Notifications need no call.
      a.done_time = now;
      return;
  }
  ++a.attempts;
  if (status.ok()) {
    a.state = ActionRecord::State::kDone;
    if (!detail.empty()) a.detail = detail;
    a.error.clear();
    a.done_time = now;
    return;
  }
  a.error = std::string(status.message());
  if (!Retryable(status) || a.attempts >= max_attempts) {
    a.state = ActionRecord::State::kFailed;
    a.done_time = now;
    CXDESK_LOG(Warning) << "action " << a.id << " (" << Name(a.kind)
                        << ") on ticket " << a.ticket_id
                        << " failed for good: " << status;
    return;
  }
  a.next_attempt = now + WebhookBackoff(a.attempts, absl::Milliseconds(100),
                                        absl::Seconds(30));
}

void PerformDelivery(HttpPoster& poster, absl::Time now, int max_attempts,
                     absl::Duration base_backoff, absl::Duration timeout,
                     DeliveryRecord& d, const std::string& secret) {
  HttpRequest request;
  request.url = d.url;
  request.body = d.payload;
  request.timeout = timeout;
  request.headers.emplace_back(std::string(kDeliveryHeader),
                               absl::StrCat(d.id));
  request.headers.emplace_back(std::string(kEventHeader),
                               "escalation.notification");
  if (!secret.empty()) {
    request.headers.emplace_back(
        std::string(kSignatureHeader),
        WebhookSignature(secret, absl::ToUnixSeconds(now), d.payload));
  }
  ++d.attempts;
  absl::StatusOr<int> code = poster.Post(request);
  if (code.ok() && *code >= 200 && *code < 300) {
    d.state = DeliveryRecord::State::kDelivered;
    d.last_status_code = *code;
    d.last_error.clear();
    d.deliver_time = now;
    return;
  }
  if (code.ok()) {
    d.last_status_code = *code;
    d.last_error = absl::StrCat("the receiver answered HTTP ", *code);
  } else {
    d.last_error = std::string(code.status().message());
  }
  if (d.attempts >= max_attempts) {
    d.state = DeliveryRecord::State::kDead;
    CXDESK_LOG(Warning) << "webhook delivery " << d.id << " of team " << d.team
                        << " is a dead letter after " << d.attempts
                        << " attempts: " << d.last_error;
    return;
  }
  d.next_attempt =
      now + WebhookBackoff(d.attempts, base_backoff, absl::Minutes(1));
}

absl::Duration ActionLease(int batch) {
  return batch * kActionTimeBudget + kLeaseMargin;
}

absl::Duration DeliveryLease(absl::Duration timeout) {
  return kDeliveryBatch * timeout + kLeaseMargin;
}

namespace {

// The second half of a relay round: performs the claimed items in order,
// each outside any transaction, and records each outcome. `Claimed` is
// ClaimedAction or ClaimedDelivery, `record` the member holding its row.
template <typename Claimed, typename Record>
absl::StatusOr<int> PerformClaimed(
    const std::vector<Claimed>& claimed, Record Claimed::*record,
    const common::Clock& clock, absl::Duration budget, const char* what,
    const std::function<void(const Claimed&, absl::Time, Record&)>& perform,
    const std::function<absl::StatusOr<bool>(int64_t, const Record&)>& finish) {
  bool give_back = false;
  for (const Claimed& c : claimed) {
    Record outcome = c.*record;
    const absl::Time at = clock.Now();
    // Too late to finish inside the lease: give this one and the rest back
    // untouched, for any relay to claim again at once.
    if (!give_back && at + budget > c.lease_until) give_back = true;
    if (!give_back) perform(c, at, outcome);
    absl::StatusOr<bool> recorded = finish(c.claim, outcome);
    if (!recorded.ok()) return recorded.status();
    if (!*recorded && !give_back) {
      CXDESK_LOG(Info) << what << " " << outcome.id
                       << ": its lease was lost before the outcome was "
                          "recorded; the outcome is dropped";
    }
  }
  return static_cast<int>(claimed.size());
}

}  // namespace

absl::StatusOr<int> RelayDueActions(EscalationStore& store,
                                    TicketGateway& gateway,
                                    const common::Clock& clock,
                                    const ActionRelayOptions& options,
                                    absl::Time now) {
  absl::StatusOr<std::vector<ClaimedAction>> claimed = store.ClaimDueActions(
      now, now + ActionLease(options.batch), options.batch);
  if (!claimed.ok()) return claimed.status();
  return PerformClaimed<ClaimedAction, ActionRecord>(
      *claimed, &ClaimedAction::action, clock, kActionTimeBudget, "action",
      [&](const ClaimedAction&, absl::Time at, ActionRecord& a) {
        PerformAction(gateway, at, options.max_attempts, a);
      },
      [&](int64_t claim, const ActionRecord& a) {
        return store.FinishAction(claim, a);
      });
}

absl::StatusOr<int> RelayDueDeliveries(EscalationStore& store,
                                       HttpPoster& poster,
                                       const common::Clock& clock,
                                       const DeliveryRelayOptions& options,
                                       absl::Time now) {
  absl::StatusOr<std::vector<ClaimedDelivery>> claimed =
      store.ClaimDueDeliveries(now, now + DeliveryLease(options.timeout),
                               kDeliveryBatch);
  if (!claimed.ok()) return claimed.status();
  return PerformClaimed<ClaimedDelivery, DeliveryRecord>(
      *claimed, &ClaimedDelivery::delivery, clock, options.timeout,
      "webhook delivery",
      [&](const ClaimedDelivery& c, absl::Time at, DeliveryRecord& d) {
        PerformDelivery(poster, at, options.max_attempts, options.base_backoff,
                        options.timeout, d, c.secret);
      },
      [&](int64_t claim, const DeliveryRecord& d) {
        return store.FinishDelivery(claim, d);
      });
}

DueLoop::Work TimerWork(Engine& engine, EscalationStore& store,
                        std::string replica) {
  return {"firing ladder timers",
          [&engine, replica = std::move(replica)](absl::Time now) {
            return engine.FireTimers(now, kTimerBatch, replica);
          },
          [&store] { return store.NextTimerDue(); }};
}

DueLoop::Work ActionRelayWork(EscalationStore& store, TicketGateway& gateway,
                              const common::Clock& clock,
                              ActionRelayOptions options) {
  return {"carrying out actions",
          [&store, &gateway, &clock, options](absl::Time now) {
            return RelayDueActions(store, gateway, clock, options, now);
          },
          [&store] { return store.NextActionDue(); }};
}

DueLoop::Work DeliveryRelayWork(EscalationStore& store, HttpPoster& poster,
                                const common::Clock& clock,
                                DeliveryRelayOptions options) {
  return {"delivering webhooks",
          [&store, &poster, &clock, options](absl::Time now) {
            return RelayDueDeliveries(store, poster, clock, options, now);
          },
          [&store] { return store.NextDeliveryDue(); }};
}

std::unique_ptr<common::StreamConsumer<TicketEventIn>> TicketEventConsumer(
    EscalationStore& store, Engine& engine,
    EventSource<TicketEventIn>& source) {
  return std::make_unique<common::StreamConsumer<TicketEventIn>>(
      common::StreamConsumer<TicketEventIn>::Options{kTicketConsumer},
      [&store] { return store.TryAcquireLease(kTicketConsumerLease); },
      [&store] { return store.ReadCursor(kTicketConsumer); }, source,
      [&engine](const std::vector<TicketEventIn>& batch) {
        return engine.ApplyTicketEvents(kTicketConsumer, batch);
      });
}

std::unique_ptr<common::StreamConsumer<SlaEventIn>> SlaEventConsumer(
    EscalationStore& store, Engine& engine, EventSource<SlaEventIn>& source) {
  return std::make_unique<common::StreamConsumer<SlaEventIn>>(
      common::StreamConsumer<SlaEventIn>::Options{kSlaConsumer},
      [&store] { return store.TryAcquireLease(kSlaConsumerLease); },
      [&store] { return store.ReadCursor(kSlaConsumer); }, source,
      [&engine](const std::vector<SlaEventIn>& batch) {
        return engine.ApplySlaEvents(kSlaConsumer, batch);
      });
}

}  // namespace cxdesk::escalation
