#include "services/escalation/escalation_loops.h"

#include <algorithm>
#include <string>

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

}  // namespace cxdesk::escalation
