#ifndef CXDESK_SERVICES_TICKET_TICKET_RULES_H_
#define CXDESK_SERVICES_TICKET_TICKET_RULES_H_

// Pure rules of the ticket service: the status state machine and input
// validation. No I/O. Every error names the field it is about.

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/common/text.h"
#include "services/ticket/ticket.h"

namespace cxdesk::ticket {

// Input limits (also documented in the proto).
inline constexpr int kMaxSubjectChars = 200;
inline constexpr int kMaxBodyBytes = 65536;
inline constexpr int kMaxTags = 20;
inline constexpr int kMaxTagChars = 50;
inline constexpr int kMaxEmailBytes = 254;
inline constexpr int kMaxNameChars = 200;
inline constexpr int kMaxRequestIdBytes = 100;
inline constexpr int kMaxRatingCommentBytes = 4096;
inline constexpr int kMaxReasonBytes = 1000;

// OK if a ticket may move from `from` to `to`; FAILED_PRECONDITION saying why
// not. `from == to` is not a transition (callers treat it as a no-op).
//   new      -> open, pending, on_hold, solved
//   open     -> pending, on_hold, solved
//   pending  -> open, on_hold, solved
//   on_hold  -> open, pending, solved
//   solved   -> open (reopen), closed
//   closed   -> nothing (final)
absl::Status CheckTransition(Status from, Status to);

// The status a ticket takes when a comment is added: a customer's reply to a
// pending or solved ticket reopens it; an agent's public reply opens a new
// ticket; anything else leaves it as it is.
Status StatusAfterComment(Status current, ActorRole author,
                          Visibility visibility);

// The status a ticket takes when assigned: a new ticket with an assignee is
// open.
Status StatusAfterAssignment(Status current, const std::string& assignee);

// The text checks below are common::CheckText (valid UTF-8, no NUL, control
// characters only where a field is multiline) plus each field's own rule.

// 1..200 characters on one line, not only white space.
absl::Status ValidateSubject(absl::string_view subject);
// 1..65536 bytes, lines allowed, not only white space; `field` names it in
// the error.
absl::Status ValidateBody(absl::string_view field, absl::string_view body);
// Lower-cases and checks an e-mail address (one '@', non-empty local part,
// a dot in the domain, no spaces or control characters, <= 254 bytes).
absl::StatusOr<std::string> NormalizeEmail(absl::string_view email);
// <= 200 characters on one line; may be empty.
absl::Status ValidateName(absl::string_view field, absl::string_view name);
// Trims surrounding white space, lower-cases, sorts and de-duplicates;
// each tag is then 1..50 of [a-z0-9_:.-], at most 20 of them.
absl::StatusOr<std::vector<std::string>> NormalizeTags(
    const std::vector<std::string>& tags);
// An agent subject or team name: 1..64 of [A-Za-z0-9_.@-].
absl::Status ValidateHandle(absl::string_view field, absl::string_view value);
// <= 100 bytes of printable ASCII; may be empty.
absl::Status ValidateRequestId(absl::string_view request_id);
// Score 1..5, comment <= 4096 bytes, lines allowed; may be empty.
absl::Status ValidateRating(int score, absl::string_view comment);
// A status change's reason: <= 1000 bytes, lines allowed; may be empty.
absl::Status ValidateReason(absl::string_view reason);
// Complaints need a CX level; other kinds must not have one.
absl::Status ValidateKindAndCxLevel(Kind kind, CxLevel cx_level);

}  // namespace cxdesk::ticket

#endif  // CXDESK_SERVICES_TICKET_TICKET_RULES_H_
