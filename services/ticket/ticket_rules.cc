#include "services/ticket/ticket_rules.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/common/status_macros.h"
#include "services/common/text.h"

namespace cxdesk::ticket {
namespace {

// The text rules of the fields below (their limits are also declared on
// the proto fields, which a test keeps equal to these).
constexpr common::TextRule kSubjectRule{kMaxSubjectChars, 0, false};
constexpr common::TextRule kBodyRule{0, kMaxBodyBytes, true};
constexpr common::TextRule kNameRule{kMaxNameChars, 0, false};
constexpr common::TextRule kRatingCommentRule{0, kMaxRatingCommentBytes, true};

}  // namespace

absl::Status CheckTransition(Status from, Status to) {
  if (to == Status::kUnspecified) {
    return absl::InvalidArgumentError("status: required");
  }
  if (to == Status::kNew) {
    return absl::FailedPreconditionError(
        "status: a ticket cannot go back to new");
  }
  bool allowed = false;
  switch (from) {
    case Status::kNew:
    case Status::kOpen:
    case Status::kPending:
    case Status::kOnHold:
      allowed = to == Status::kOpen || to == Status::kPending ||
                to == Status::kOnHold || to == Status::kSolved;
      break;
    case Status::kSolved:
      allowed = to == Status::kOpen || to == Status::kClosed;
      break;
    case Status::kClosed:
      return absl::FailedPreconditionError(
          "status: the ticket is closed, which is final");
    case Status::kUnspecified:
      break;
  }
  if (!allowed) {
    return absl::FailedPreconditionError(absl::StrCat(
        "status: cannot move a ", Name(from), " ticket to ", Name(to),
        to == Status::kClosed ? " (solve it first)" : ""));
  }
  return absl::OkStatus();
}

Status StatusAfterComment(Status current, ActorRole author,
                          Visibility visibility) {
  if (visibility != Visibility::kPublic) return current;
  if (author == ActorRole::kCustomer) {
    return current == Status::kPending || current == Status::kSolved
               ? Status::kOpen
               : current;
  }
  return current == Status::kNew ? Status::kOpen : current;
}

Status StatusAfterAssignment(Status current, const std::string& assignee) {
  return current == Status::kNew && !assignee.empty() ? Status::kOpen : current;
}

absl::Status ValidateSubject(absl::string_view subject) {
  CXDESK_RETURN_IF_ERROR(common::CheckText("subject", subject, kSubjectRule));
  if (absl::StripAsciiWhitespace(subject).empty()) {
    return absl::InvalidArgumentError("subject: required");
  }
  return absl::OkStatus();
}

absl::Status ValidateBody(absl::string_view field, absl::string_view body) {
  CXDESK_RETURN_IF_ERROR(common::CheckText(field, body, kBodyRule));
  if (absl::StripAsciiWhitespace(body).empty()) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": required"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> NormalizeEmail(absl::string_view email) {
  std::string e = absl::AsciiStrToLower(absl::StripAsciiWhitespace(email));
  if (e.empty()) return absl::InvalidArgumentError("customer_email: required");
  if (e.size() > kMaxEmailBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("customer_email: at most ", kMaxEmailBytes, " bytes"));
  }
  const size_t at = e.find('@');
  const bool ok = at != std::string::npos && at > 0 &&
                  e.find('@', at + 1) == std::string::npos &&
                  e.find('.', at + 2) != std::string::npos && e.back() != '.' &&
                  std::none_of(e.begin(), e.end(), [](unsigned char c) {
                    return c <= 0x20 || c == 0x7F || c == ',' || c == '<' ||
                           c == '>' || c == '"';
                  });
  if (!ok) {
    return absl::InvalidArgumentError(absl::StrCat(
        "customer_email: ", common::Excerpt(e), " is not an e-mail address"));
  }
  return e;
}

absl::Status ValidateName(absl::string_view field, absl::string_view name) {
  return common::CheckText(field, name, kNameRule);
}

absl::StatusOr<std::vector<std::string>> NormalizeTags(
    const std::vector<std::string>& tags) {
  std::vector<std::string> out;
  for (const std::string& raw : tags) {
    std::string tag = absl::AsciiStrToLower(absl::StripAsciiWhitespace(raw));
    if (tag.empty() || tag.size() > kMaxTagChars) {
      return absl::InvalidArgumentError(absl::StrCat(
          "tags: each tag must be 1..", kMaxTagChars, " characters"));
    }
    for (char c : tag) {
      if (!absl::ascii_isalnum(c) && c != '_' && c != ':' && c != '.' &&
          c != '-') {
        return absl::InvalidArgumentError(
            absl::StrCat("tags: ", common::Excerpt(tag),
                         " may only contain a-z, 0-9 and _ : . -"));
      }
    }
    out.push_back(std::move(tag));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  if (out.size() > static_cast<size_t>(kMaxTags)) {
    return absl::InvalidArgumentError(
        absl::StrCat("tags: at most ", kMaxTags, ", got ", out.size()));
  }
  return out;
}

absl::Status ValidateHandle(absl::string_view field, absl::string_view value) {
  bool ok = !value.empty() && value.size() <= 64;
  for (char c : value) {
    ok = ok && (absl::ascii_isalnum(c) || c == '_' || c == '.' || c == '@' ||
                c == '-');
  }
  if (!ok) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ": must be 1..64 characters of letters, digits, _ . @ -"));
  }
  return absl::OkStatus();
}

absl::Status ValidateRequestId(absl::string_view request_id) {
  if (request_id.size() > kMaxRequestIdBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("request_id: at most ", kMaxRequestIdBytes, " bytes"));
  }
  for (unsigned char c : request_id) {
    if (c <= 0x20 || c >= 0x7F) {
      return absl::InvalidArgumentError(
          "request_id: printable ASCII without spaces only");
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateRating(int score, absl::string_view comment) {
  if (score < 1 || score > 5) {
    return absl::InvalidArgumentError(
        absl::StrCat("score: must be 1..5, got ", score));
  }
  return common::CheckText("comment", comment, kRatingCommentRule);
}

absl::Status ValidateReason(absl::string_view reason) {
  return common::CheckText("reason", reason,
                           common::TextRule{0, kMaxReasonBytes, true});
}

absl::Status ValidateKindAndCxLevel(Kind kind, CxLevel cx_level) {
  if (kind == Kind::kComplaint && cx_level == CxLevel::kUnspecified) {
    return absl::InvalidArgumentError(
        "cx_level: required for complaints (product, interaction, service, "
        "emotion or brand)");
  }
  if (kind != Kind::kComplaint && cx_level != CxLevel::kUnspecified) {
    return absl::InvalidArgumentError(
        "cx_level: only complaints carry a CX level");
  }
  return absl::OkStatus();
}

}  // namespace cxdesk::ticket
