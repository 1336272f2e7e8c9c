#include "services/ticket/ticket_rules.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace cxdesk::ticket {
namespace {

// Counts UTF-8 characters; -1 if `s` is not valid UTF-8.
int Utf8Length(absl::string_view s) {
  int chars = 0;
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = s[i];
    int len = c < 0x80           ? 1
              : (c >> 5) == 0x6  ? 2
              : (c >> 4) == 0xE  ? 3
              : (c >> 3) == 0x1E ? 4
                                 : 0;
    if (len == 0 || i + len > s.size()) return -1;
    for (int k = 1; k < len; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return -1;
    }
    i += len;
    ++chars;
  }
  return chars;
}

bool HasControl(absl::string_view s, bool allow_newlines) {
  for (unsigned char c : s) {
    if (c == 0x7F) return true;
    if (c < 0x20 &&
        !(allow_newlines && (c == '\n' || c == '\r' || c == '\t'))) {
      return true;
    }
  }
  return false;
}

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
  const int chars = Utf8Length(subject);
  if (chars < 0) return absl::InvalidArgumentError("subject: not valid UTF-8");
  if (absl::StripAsciiWhitespace(subject).empty()) {
    return absl::InvalidArgumentError("subject: required");
  }
  if (chars > kMaxSubjectChars) {
    return absl::InvalidArgumentError(absl::StrCat(
        "subject: at most ", kMaxSubjectChars, " characters, got ", chars));
  }
  if (HasControl(subject, false)) {
    return absl::InvalidArgumentError(
        "subject: must be one line without control characters");
  }
  return absl::OkStatus();
}

absl::Status ValidateBody(absl::string_view field, absl::string_view body) {
  if (absl::StripAsciiWhitespace(body).empty()) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": required"));
  }
  if (body.size() > kMaxBodyBytes) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ": at most ", kMaxBodyBytes, " bytes, got ", body.size()));
  }
  if (Utf8Length(body) < 0) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": not valid UTF-8"));
  }
  if (HasControl(body, true)) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": contains control characters"));
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
    return absl::InvalidArgumentError(
        absl::StrCat("customer_email: '", e, "' is not an e-mail address"));
  }
  return e;
}

absl::Status ValidateName(absl::string_view field, absl::string_view name) {
  const int chars = Utf8Length(name);
  if (chars < 0) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": not valid UTF-8"));
  }
  if (chars > kMaxNameChars) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": at most ", kMaxNameChars, " characters"));
  }
  if (HasControl(name, false)) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": contains control characters"));
  }
  return absl::OkStatus();
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
        return absl::InvalidArgumentError(absl::StrCat(
            "tags: '", tag, "' may only contain a-z, 0-9 and _ : . -"));
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
  if (comment.size() > kMaxRatingCommentBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("comment: at most ", kMaxRatingCommentBytes, " bytes"));
  }
  if (Utf8Length(comment) < 0 || HasControl(comment, true)) {
    return absl::InvalidArgumentError("comment: not valid UTF-8 text");
  }
  return absl::OkStatus();
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
