#include "services/ticket/ticket_manager.h"

#include <algorithm>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/crypto.h"
#include "services/common/event_stream.h"
#include "services/common/log.h"
#include "services/common/page_token.h"
#include "services/common/status_macros.h"
#include "services/common/text.h"
#include "services/ticket/ticket_rules.h"

namespace cxdesk::ticket {
namespace {

absl::Status ValidateId(int64_t id) {
  if (id <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("ticket_id: must be a positive ticket number, got ", id));
  }
  return absl::OkStatus();
}

ActorRole RoleOf(common::StaffRole role) {
  switch (role) {
    case common::StaffRole::kAgent:
      return ActorRole::kAgent;
    case common::StaffRole::kManager:
      return ActorRole::kManager;
    case common::StaffRole::kService:
      return ActorRole::kService;
  }
  return ActorRole::kUnspecified;
}

// A canonical text of a query's filters, so a page token is only accepted
// for the query it was issued for.
std::string Fingerprint(const TicketQuery& q) {
  std::vector<std::string> statuses;
  for (Status s : q.statuses) statuses.emplace_back(Name(s));
  return absl::StrCat(
      absl::StrJoin(statuses, ","), "|", Name(q.priority), "|", Name(q.kind),
      "|", Name(q.cx_level), "|", q.assignee, "|", q.team, "|",
      q.customer_email, "|", q.tag, "|",
      q.created_after ? absl::ToUnixMicros(*q.created_after) : -1, "|",
      q.created_before ? absl::ToUnixMicros(*q.created_before) : -1, "|",
      q.unassigned, "|", q.order_by);
}

using Decision = absl::StatusOr<std::optional<TicketChange>>;

// "Nothing to change": the store writes nothing and returns the ticket.
Decision NoChange() { return std::optional<TicketChange>(std::nullopt); }

Decision Change(Ticket after, EventType type, Actor actor, absl::Time at,
                std::string reason = "",
                std::optional<Comment> comment = std::nullopt) {
  return std::optional<TicketChange>(
      TicketChange{std::move(after), type, std::move(actor), std::move(reason),
                   std::move(comment), at});
}

absl::Status CheckOpenForChange(const Ticket& ticket) {
  if (ticket.status == Status::kClosed) {
    return absl::FailedPreconditionError(
        absl::StrCat("ticket ", ticket.id, " is closed and cannot change"));
  }
  return absl::OkStatus();
}

}  // namespace

TicketManager::TicketManager(TicketStore& store, const common::Clock& clock,
                             std::string token_secret,
                             const common::ChangeSignal* notifier,
                             SlaPromiseSource* promises)
    : store_(store),
      clock_(clock),
      token_secret_(std::move(token_secret)),
      auth_(token_secret_, clock),
      notifier_(notifier),
      promises_(promises) {}

absl::Time TicketManager::RecordTime() const {
  // PostgreSQL keeps microseconds: a time answered now must equal the same
  // time read back later (and the one every event consumer sees).
  return absl::FromUnixMicros(absl::ToUnixMicros(clock_.Now()));
}

absl::Time TicketManager::ChangeTime(const Ticket& current) const {
  return std::max(RecordTime(), current.update_time);
}

absl::StatusOr<TicketManager::Caller> TicketManager::Authenticate(
    const Credentials& creds) const {
  Caller caller;
  if (!creds.bearer_token.empty()) {
    CXDESK_ASSIGN_OR_RETURN(
        common::TokenClaims claims,
        common::VerifyToken(creds.bearer_token, token_secret_, clock_.Now()));
    caller.kind = Caller::Kind::kStaff;
    caller.role = claims.role;
    caller.subject = std::move(claims.subject);
  } else if (!creds.access_key.empty()) {
    caller.kind = Caller::Kind::kCustomer;
    caller.access_key = creds.access_key;
  }
  return caller;
}

absl::StatusOr<TicketManager::Caller> TicketManager::RequireStaff(
    const Credentials& creds) const {
  CXDESK_ASSIGN_OR_RETURN(common::TokenClaims claims,
                          auth_.Require(creds, common::StaffNeed::kStaff));
  Caller caller;
  caller.kind = Caller::Kind::kStaff;
  caller.role = claims.role;
  caller.subject = std::move(claims.subject);
  return caller;
}

absl::Status TicketManager::CheckCustomerKey(const Caller& caller,
                                             const Ticket& ticket,
                                             int64_t id) const {
  // The same answer as for a ticket that does not exist: a wrong key must
  // not reveal that the ticket is there.
  if (!common::ConstantTimeEquals(common::Sha256Hex(caller.access_key),
                                  ticket.access_key_hash)) {
    return absl::NotFoundError(absl::StrCat("ticket ", id, " not found"));
  }
  return absl::OkStatus();
}

Actor TicketManager::StaffActor(const Caller& caller) {
  return Actor{caller.subject, RoleOf(caller.role)};
}

std::string TicketManager::AccessKeyFor(const std::string& request_id) const {
  // With a request id the key is derived from it under the deployment
  // secret, so a retried create returns the same key; only its hash is
  // stored either way.
  if (request_id.empty()) return common::RandomToken(24);
  return absl::WebSafeBase64Escape(
             common::HmacSha256(token_secret_,
                                absl::StrCat("access-key\n", request_id)))
      .substr(0, 32);
}

std::optional<Promise> TicketManager::PromiseFor(int64_t id) {
  if (promises_ == nullptr) return std::nullopt;
  absl::StatusOr<std::optional<Promise>> promise = promises_->GetPromise(id);
  if (promise.ok()) return *std::move(promise);
  // The promise is a courtesy: the customer still gets the view.
  LogPromiseFailure(promise.status());
  return std::nullopt;
}

void TicketManager::LogPromiseFailure(const absl::Status& status) {
  // A down SLA service fails every view; one line per interval says so
  // without flooding the log.
  const absl::Time now = clock_.Now();
  int64_t unlogged = 0;
  {
    absl::MutexLock lock(&promise_log_mu_);
    if (now < next_promise_log_) {
      ++promise_failures_unlogged_;
      return;
    }
    next_promise_log_ = now + kPromiseFailureLogInterval;
    unlogged = std::exchange(promise_failures_unlogged_, 0);
  }
  CXDESK_LOG(Warning)
      << "SLA promise unavailable, customer views answered without it: "
      << status
      << (unlogged > 0 ? absl::StrCat(" (and ", unlogged,
                                      " failures since the last report)")
                       : "");
}

absl::StatusOr<CreatedTicket> TicketManager::CreateTicket(
    const Credentials& creds, const NewTicketInput& input) {
  CXDESK_ASSIGN_OR_RETURN(Caller caller, Authenticate(creds));
  CXDESK_RETURN_IF_ERROR(ValidateSubject(input.subject));
  CXDESK_RETURN_IF_ERROR(ValidateBody("description", input.description));
  CXDESK_ASSIGN_OR_RETURN(std::string email,
                          NormalizeEmail(input.customer_email));
  CXDESK_RETURN_IF_ERROR(ValidateName("customer_name", input.customer_name));
  CXDESK_ASSIGN_OR_RETURN(std::vector<std::string> tags,
                          NormalizeTags(input.tags));
  CXDESK_RETURN_IF_ERROR(ValidateRequestId(input.request_id));
  Ticket t;
  t.subject = input.subject;
  t.description = input.description;
  t.kind = input.kind == Kind::kUnspecified ? Kind::kQuestion : input.kind;
  t.cx_level = input.cx_level;
  CXDESK_RETURN_IF_ERROR(ValidateKindAndCxLevel(t.kind, t.cx_level));
  t.priority = input.priority == Priority::kUnspecified ? Priority::kNormal
                                                        : input.priority;
  t.channel =
      input.channel == Channel::kUnspecified ? Channel::kWeb : input.channel;
  t.status = Status::kNew;
  t.customer.email = email;
  t.customer.name = input.customer_name;
  t.tags = std::move(tags);
  t.create_time = RecordTime();
  t.update_time = t.create_time;
  CreatedTicket created;
  created.access_key = AccessKeyFor(input.request_id);
  t.access_key_hash = common::Sha256Hex(created.access_key);
  const Actor actor = caller.kind == Caller::Kind::kStaff
                          ? StaffActor(caller)
                          : Actor{email, ActorRole::kCustomer};
  CXDESK_ASSIGN_OR_RETURN(CreateResult result,
                          store_.CreateTicket(t, input.request_id, actor));
  created.ticket = std::move(result.ticket);
  return created;
}

absl::StatusOr<Ticket> TicketManager::GetTicket(const Credentials& creds,
                                                int64_t id) {
  CXDESK_RETURN_IF_ERROR(RequireStaff(creds).status());
  CXDESK_RETURN_IF_ERROR(ValidateId(id));
  return store_.GetTicket(id);
}

absl::StatusOr<Page<Ticket>> TicketManager::ListTickets(
    const Credentials& creds, const TicketQuery& query, int32_t page_size,
    const std::string& page_token) {
  CXDESK_RETURN_IF_ERROR(RequireStaff(creds).status());
  CXDESK_ASSIGN_OR_RETURN(int limit, common::ResolvePageSize(page_size));
  TicketQuery q = query;
  if (q.order_by.empty()) q.order_by = "create_time desc";
  if (q.order_by != "create_time desc" && q.order_by != "create_time" &&
      q.order_by != "update_time desc" && q.order_by != "priority desc") {
    return absl::InvalidArgumentError(absl::StrCat(
        "order_by: must be one of \"create_time desc\", \"create_time\", "
        "\"update_time desc\", \"priority desc\"; got ",
        common::Excerpt(q.order_by)));
  }
  if (!q.assignee.empty()) {
    CXDESK_RETURN_IF_ERROR(ValidateHandle("assignee", q.assignee));
  }
  if (!q.team.empty()) CXDESK_RETURN_IF_ERROR(ValidateHandle("team", q.team));
  if (!q.customer_email.empty()) {
    CXDESK_ASSIGN_OR_RETURN(q.customer_email, NormalizeEmail(q.customer_email));
  }
  if (!q.tag.empty()) {
    CXDESK_ASSIGN_OR_RETURN(std::vector<std::string> tag,
                            NormalizeTags({q.tag}));
    q.tag = tag.front();
  }
  if (q.created_after && q.created_before &&
      *q.created_after >= *q.created_before) {
    return absl::InvalidArgumentError(
        "created_before: must be later than created_after");
  }
  const std::string fingerprint = Fingerprint(q);
  CXDESK_ASSIGN_OR_RETURN(int64_t offset,
                          common::DecodePageToken(page_token, fingerprint));
  // One extra row tells whether there is a next page.
  CXDESK_ASSIGN_OR_RETURN(std::vector<Ticket> tickets,
                          store_.ListTickets(q, offset, limit + 1));
  Page<Ticket> page;
  if (static_cast<int>(tickets.size()) > limit) {
    tickets.pop_back();
    page.next_page_token = common::EncodePageToken(fingerprint, offset + limit);
  }
  page.items = std::move(tickets);
  return page;
}

absl::StatusOr<Ticket> TicketManager::UpdateTicket(
    const Credentials& creds, int64_t id, const TicketUpdate& update,
    const std::string& etag, const std::string& request_id) {
  CXDESK_ASSIGN_OR_RETURN(Caller caller, RequireStaff(creds));
  CXDESK_RETURN_IF_ERROR(ValidateId(id));
  if (update.subject) CXDESK_RETURN_IF_ERROR(ValidateSubject(*update.subject));
  if (update.description) {
    CXDESK_RETURN_IF_ERROR(ValidateBody("description", *update.description));
  }
  if (update.kind && *update.kind == Kind::kUnspecified) {
    return absl::InvalidArgumentError("kind: required when in update_mask");
  }
  if (update.priority && *update.priority == Priority::kUnspecified) {
    return absl::InvalidArgumentError("priority: required when in update_mask");
  }
  if (update.channel && *update.channel == Channel::kUnspecified) {
    return absl::InvalidArgumentError("channel: required when in update_mask");
  }
  std::optional<std::vector<std::string>> tags;
  if (update.tags) {
    CXDESK_ASSIGN_OR_RETURN(tags, NormalizeTags(*update.tags));
  }
  CXDESK_RETURN_IF_ERROR(ValidateRequestId(request_id));
  CXDESK_ASSIGN_OR_RETURN(
      MutationResult result,
      store_.MutateTicket(
          id, request_id, [&](const Ticket& current) -> Decision {
            // Taken under the ticket's lock, and never before its last change:
            // the changes of one ticket carry increasing times.
            const absl::Time now = ChangeTime(current);
            if (!etag.empty() && etag != EtagOf(current)) {
              return absl::AbortedError(absl::StrCat(
                  "etag: ticket ", id, " changed since ", etag, " (now ",
                  EtagOf(current), "); reload and retry"));
            }
            CXDESK_RETURN_IF_ERROR(CheckOpenForChange(current));
            Ticket after = current;
            if (update.subject) after.subject = *update.subject;
            if (update.description) after.description = *update.description;
            if (update.kind) after.kind = *update.kind;
            if (update.cx_level) after.cx_level = *update.cx_level;
            if (update.priority) after.priority = *update.priority;
            if (update.channel) after.channel = *update.channel;
            if (tags) after.tags = *tags;
            CXDESK_RETURN_IF_ERROR(
                ValidateKindAndCxLevel(after.kind, after.cx_level));
            if (after.subject == current.subject &&
                after.description == current.description &&
                after.kind == current.kind &&
                after.cx_level == current.cx_level &&
                after.priority == current.priority &&
                after.channel == current.channel &&
                after.tags == current.tags) {
              return NoChange();
            }
            return Change(std::move(after), EventType::kUpdated,
                          StaffActor(caller), now);
          }));
  return result.ticket;
}

absl::StatusOr<Comment> TicketManager::AddComment(
    const Credentials& creds, int64_t id, Visibility visibility,
    const std::string& body, const std::string& request_id) {
  CXDESK_ASSIGN_OR_RETURN(Caller caller, Authenticate(creds));
  if (caller.kind == Caller::Kind::kAnonymous) {
    return absl::UnauthenticatedError(
        "this call needs a staff token or the ticket's access key");
  }
  CXDESK_RETURN_IF_ERROR(ValidateId(id));
  if (caller.kind == Caller::Kind::kCustomer) {
    if (visibility == Visibility::kInternal) {
      return absl::PermissionDeniedError(
          "visibility: customers can only add public replies");
    }
    visibility = Visibility::kPublic;
  } else if (visibility == Visibility::kUnspecified) {
    return absl::InvalidArgumentError(
        "visibility: required (public reply or internal note)");
  }
  CXDESK_RETURN_IF_ERROR(ValidateBody("body", body));
  CXDESK_RETURN_IF_ERROR(ValidateRequestId(request_id));
  CXDESK_ASSIGN_OR_RETURN(
      MutationResult result,
      store_.MutateTicket(
          id, request_id, [&](const Ticket& current) -> Decision {
            // Taken under the ticket's lock, and never before its last change:
            // the changes of one ticket carry increasing times.
            const absl::Time now = ChangeTime(current);
            Actor actor = StaffActor(caller);
            if (caller.kind == Caller::Kind::kCustomer) {
              CXDESK_RETURN_IF_ERROR(CheckCustomerKey(caller, current, id));
              actor = Actor{current.customer.email, ActorRole::kCustomer};
            }
            CXDESK_RETURN_IF_ERROR(CheckOpenForChange(current));
            Ticket after = current;
            after.status =
                StatusAfterComment(current.status, actor.role, visibility);
            if (after.status != Status::kSolved) after.solve_time.reset();
            Comment comment;
            comment.visibility = visibility;
            comment.body = body;
            comment.author = actor.name;
            comment.author_role = actor.role;
            return Change(std::move(after), EventType::kCommentAdded,
                          std::move(actor), now, "", std::move(comment));
          }));
  if (result.replayed) {
    // The store did not call the decision, so the checks it makes happen
    // here; the stored comment is answered only to a retry of the call that
    // added it, never to another caller who reuses (or guesses) its key.
    Actor actor = StaffActor(caller);
    if (caller.kind == Caller::Kind::kCustomer) {
      CXDESK_RETURN_IF_ERROR(CheckCustomerKey(caller, result.ticket, id));
      actor = Actor{result.ticket.customer.email, ActorRole::kCustomer};
    }
    if (!result.comment || result.comment->ticket_id != id ||
        result.comment->author != actor.name ||
        result.comment->author_role != actor.role) {
      return absl::AlreadyExistsError(
          "request_id: already used for another request");
    }
  }
  return *std::move(result.comment);
}

absl::StatusOr<Page<Comment>> TicketManager::ListComments(
    const Credentials& creds, int64_t id, int32_t page_size,
    const std::string& page_token) {
  CXDESK_RETURN_IF_ERROR(RequireStaff(creds).status());
  CXDESK_RETURN_IF_ERROR(ValidateId(id));
  CXDESK_ASSIGN_OR_RETURN(int limit, common::ResolvePageSize(page_size));
  const std::string fingerprint = absl::StrCat("comments|", id);
  CXDESK_ASSIGN_OR_RETURN(int64_t after_id,
                          common::DecodePageToken(page_token, fingerprint));
  CXDESK_ASSIGN_OR_RETURN(std::vector<Comment> comments,
                          store_.ListComments(id, true, after_id, limit + 1));
  Page<Comment> page;
  bool more = static_cast<int>(comments.size()) > limit;
  if (more) comments.pop_back();
  // A page also ends before kMaxConversationBytes of bodies (always holding
  // at least one comment).
  size_t bytes = 0;
  for (size_t i = 0; i < comments.size(); ++i) {
    bytes += comments[i].body.size();
    if (i > 0 && bytes > kMaxConversationBytes) {
      comments.resize(i);
      more = true;
      break;
    }
  }
  if (more) {
    page.next_page_token =
        common::EncodePageToken(fingerprint, comments.back().id);
  }
  page.items = std::move(comments);
  return page;
}

absl::StatusOr<Ticket> TicketManager::AssignTicket(const Credentials& creds,
                                                   int64_t id,
                                                   const AssignInput& input) {
  CXDESK_ASSIGN_OR_RETURN(Caller caller, RequireStaff(creds));
  CXDESK_RETURN_IF_ERROR(ValidateId(id));
  if (input.assignee.empty() && input.team.empty() && !input.unassign) {
    return absl::InvalidArgumentError(
        "assignee: give an assignee, a team, or unassign");
  }
  if (input.unassign && !input.assignee.empty()) {
    return absl::InvalidArgumentError(
        "unassign: cannot be combined with an assignee");
  }
  if (!input.assignee.empty()) {
    CXDESK_RETURN_IF_ERROR(ValidateHandle("assignee", input.assignee));
  }
  if (!input.team.empty()) {
    CXDESK_RETURN_IF_ERROR(ValidateHandle("team", input.team));
  }
  CXDESK_RETURN_IF_ERROR(ValidateRequestId(input.request_id));
  CXDESK_ASSIGN_OR_RETURN(
      MutationResult result,
      store_.MutateTicket(
          id, input.request_id, [&](const Ticket& current) -> Decision {
            // Taken under the ticket's lock, and never before its last change:
            // the changes of one ticket carry increasing times.
            const absl::Time now = ChangeTime(current);
            CXDESK_RETURN_IF_ERROR(CheckOpenForChange(current));
            Ticket after = current;
            if (input.unassign) after.assignee.clear();
            if (!input.assignee.empty()) after.assignee = input.assignee;
            if (!input.team.empty()) after.team = input.team;
            after.status =
                StatusAfterAssignment(current.status, after.assignee);
            if (after.assignee == current.assignee &&
                after.team == current.team) {
              return NoChange();
            }
            return Change(std::move(after), EventType::kAssigned,
                          StaffActor(caller), now);
          }));
  return result.ticket;
}

absl::StatusOr<Ticket> TicketManager::ChangeStatus(const Credentials& creds,
                                                   int64_t id, Status status,
                                                   const std::string& reason) {
  CXDESK_ASSIGN_OR_RETURN(Caller caller, RequireStaff(creds));
  CXDESK_RETURN_IF_ERROR(ValidateId(id));
  if (status == Status::kUnspecified) {
    return absl::InvalidArgumentError("status: required");
  }
  CXDESK_RETURN_IF_ERROR(ValidateReason(reason));
  CXDESK_ASSIGN_OR_RETURN(
      MutationResult result,
      store_.MutateTicket(id, "", [&](const Ticket& current) -> Decision {
        // Taken under the ticket's lock, and never before its last change:
        // the changes of one ticket carry increasing times.
        const absl::Time now = ChangeTime(current);
        if (current.status == status) return NoChange();
        CXDESK_RETURN_IF_ERROR(CheckTransition(current.status, status));
        Ticket after = current;
        after.status = status;
        if (status == Status::kSolved) after.solve_time = now;
        if (status != Status::kSolved && status != Status::kClosed) {
          after.solve_time.reset();
        }
        return Change(std::move(after), EventType::kStatusChanged,
                      StaffActor(caller), now, reason);
      }));
  return result.ticket;
}

absl::StatusOr<Ticket> TicketManager::RateTicket(const Credentials& creds,
                                                 int64_t id, int score,
                                                 const std::string& comment) {
  CXDESK_ASSIGN_OR_RETURN(Caller caller, Authenticate(creds));
  if (caller.kind == Caller::Kind::kAnonymous) {
    return absl::UnauthenticatedError(
        "rating needs the ticket's access key (x-cxdesk-access-key)");
  }
  if (caller.kind == Caller::Kind::kStaff) {
    return absl::PermissionDeniedError("only the customer can rate a ticket");
  }
  CXDESK_RETURN_IF_ERROR(ValidateId(id));
  CXDESK_RETURN_IF_ERROR(ValidateRating(score, comment));
  CXDESK_ASSIGN_OR_RETURN(
      MutationResult result,
      store_.MutateTicket(id, "", [&](const Ticket& current) -> Decision {
        // Taken under the ticket's lock, and never before its last change:
        // the changes of one ticket carry increasing times.
        const absl::Time now = ChangeTime(current);
        CXDESK_RETURN_IF_ERROR(CheckCustomerKey(caller, current, id));
        if (current.status != Status::kSolved &&
            current.status != Status::kClosed) {
          return absl::FailedPreconditionError(
              absl::StrCat("ticket ", id, " is ", Name(current.status),
                           "; it can be rated once solved"));
        }
        if (current.rating) {
          return absl::FailedPreconditionError(
              absl::StrCat("ticket ", id, " is already rated"));
        }
        Ticket after = current;
        after.rating = Rating{score, comment, now};
        return Change(std::move(after), EventType::kRated,
                      Actor{current.customer.email, ActorRole::kCustomer}, now);
      }));
  return result.ticket;
}

absl::StatusOr<StatusView> TicketManager::GetTicketStatus(
    const Credentials& creds, int64_t id) {
  CXDESK_ASSIGN_OR_RETURN(Caller caller, Authenticate(creds));
  if (caller.kind == Caller::Kind::kAnonymous) {
    return absl::UnauthenticatedError(
        "this call needs the ticket's access key (x-cxdesk-access-key)");
  }
  CXDESK_RETURN_IF_ERROR(ValidateId(id));
  CXDESK_ASSIGN_OR_RETURN(Ticket ticket, store_.GetTicket(id));
  if (caller.kind == Caller::Kind::kCustomer) {
    CXDESK_RETURN_IF_ERROR(CheckCustomerKey(caller, ticket, id));
  }
  StatusView view;
  Comment description;
  description.ticket_id = id;
  description.visibility = Visibility::kPublic;
  description.body = ticket.description;
  description.author = ticket.customer.email;
  description.author_role = ActorRole::kCustomer;
  description.create_time = ticket.create_time;
  std::vector<Comment> replies;
  int64_t after_id = 0;
  while (true) {
    constexpr int kBatch = 500;
    CXDESK_ASSIGN_OR_RETURN(std::vector<Comment> comments,
                            store_.ListComments(id, false, after_id, kBatch));
    for (Comment& c : comments) replies.push_back(std::move(c));
    if (static_cast<int>(comments.size()) < kBatch) break;
    after_id = replies.back().id;
  }
  // The newest replies that fit beside the description.
  size_t bytes = description.body.size();
  size_t first = replies.size();
  while (first > 0 &&
         bytes + replies[first - 1].body.size() <= kMaxConversationBytes) {
    bytes += replies[--first].body.size();
  }
  view.earlier_replies_omitted = static_cast<int>(first);
  view.conversation.push_back(std::move(description));
  for (size_t i = first; i < replies.size(); ++i) {
    view.conversation.push_back(std::move(replies[i]));
  }
  view.ticket = std::move(ticket);
  // Only after the caller has been checked: the SLA service is not asked
  // about tickets the caller may not see.
  view.promise = PromiseFor(id);
  return view;
}

absl::StatusOr<Page<TicketEvent>> TicketManager::ListTicketEvents(
    const Credentials& creds, int64_t id, int32_t page_size,
    const std::string& page_token) {
  CXDESK_RETURN_IF_ERROR(RequireStaff(creds).status());
  CXDESK_RETURN_IF_ERROR(ValidateId(id));
  return common::ReadPage<TicketEvent>(
      page_size, page_token, absl::StrCat("events|", id),
      [&](int64_t after_version, int limit) {
        return store_.ListTicketEvents(id, after_version, limit);
      },
      [](int64_t, int, const TicketEvent& e) { return e.ticket_version; });
}

absl::Status TicketManager::WatchTicketEvents(
    const Credentials& creds, const std::string& after_cursor,
    const std::function<bool(const TicketEvent&)>& send,
    const std::function<bool()>& cancelled) {
  CXDESK_RETURN_IF_ERROR(RequireStaff(creds).status());
  CXDESK_ASSIGN_OR_RETURN(common::EventCursor cursor,
                          common::DecodeCursor(after_cursor, "after_cursor"));
  // Without a notifier, a signal that never fires: the watch polls.
  return common::RunWatch<TicketEvent>(
      cursor, notifier_ != nullptr ? *notifier_ : common::NoChanges(),
      [this](const common::EventCursor& after, int limit) {
        return store_.ReadEvents(after, limit);
      },
      [](const TicketEvent& e) { return e.cursor; }, send, cancelled);
}

absl::StatusOr<std::string> TicketManager::GetLatestEventCursor(
    const Credentials& creds) {
  CXDESK_RETURN_IF_ERROR(RequireStaff(creds).status());
  CXDESK_ASSIGN_OR_RETURN(common::EventCursor cursor,
                          store_.LatestEventCursor());
  if (cursor.id == 0) return std::string();
  return common::EncodeCursor(cursor);
}

}  // namespace cxdesk::ticket
