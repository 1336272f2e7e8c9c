#ifndef CXDESK_SERVICES_TICKET_TICKET_H_
#define CXDESK_SERVICES_TICKET_TICKET_H_

// Domain types of the ticket service: no proto, no SQL.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "services/common/event_stream.h"

namespace cxdesk::ticket {

enum class Status {
  kUnspecified,
  kNew,
  kOpen,
  kPending,
  kOnHold,
  kSolved,
  kClosed
};
enum class Priority { kUnspecified, kLow, kNormal, kHigh, kUrgent };
enum class Kind { kUnspecified, kQuestion, kIncident, kRequest, kComplaint };
enum class CxLevel {
  kUnspecified,
  kProduct,
  kInteraction,
  kService,
  kEmotion,
  kBrand
};
enum class Channel { kUnspecified, kEmail, kWeb, kPhone, kChat, kSocial, kApi };
enum class Visibility { kUnspecified, kPublic, kInternal };
enum class ActorRole { kUnspecified, kCustomer, kAgent, kManager, kService };
enum class EventType {
  kUnspecified,
  kCreated,
  kUpdated,
  kCommentAdded,
  kAssigned,
  kStatusChanged,
  kRated
};

// Stable lower-case names, as stored in the database ("on_hold"). The
// unspecified value has the name "". Parse* return INVALID_ARGUMENT for an
// unknown name.
absl::string_view Name(Status v);
absl::string_view Name(Priority v);
absl::string_view Name(Kind v);
absl::string_view Name(CxLevel v);
absl::string_view Name(Channel v);
absl::string_view Name(Visibility v);
absl::string_view Name(ActorRole v);
absl::string_view Name(EventType v);
absl::StatusOr<Status> ParseStatus(absl::string_view name);
absl::StatusOr<Priority> ParsePriority(absl::string_view name);
absl::StatusOr<Kind> ParseKind(absl::string_view name);
absl::StatusOr<CxLevel> ParseCxLevel(absl::string_view name);
absl::StatusOr<Channel> ParseChannel(absl::string_view name);
absl::StatusOr<Visibility> ParseVisibility(absl::string_view name);
absl::StatusOr<ActorRole> ParseActorRole(absl::string_view name);
absl::StatusOr<EventType> ParseEventType(absl::string_view name);

struct Customer {
  int64_t id = 0;
  std::string email;
  std::string name;
};

struct Rating {
  int score = 0;
  std::string comment;
  absl::Time time;  // absl::InfinitePast() when not known (event snapshots).
};

struct Ticket {
  int64_t id = 0;
  std::string subject;
  std::string description;
  Kind kind = Kind::kQuestion;
  CxLevel cx_level = CxLevel::kUnspecified;
  Priority priority = Priority::kNormal;
  Channel channel = Channel::kWeb;
  Status status = Status::kNew;
  Customer customer;
  std::vector<std::string> tags;  // Sorted, unique.
  std::string assignee;
  std::string team;
  absl::Time create_time;
  absl::Time update_time;
  std::optional<absl::Time> solve_time;
  std::optional<Rating> rating;
  int64_t version = 0;
  // SHA-256 of the customer's access key. Never leaves the service.
  std::string access_key_hash;
};

// The etag of a version: quoted, as HTTP does.
std::string EtagOf(const Ticket& ticket);

struct Comment {
  int64_t id = 0;
  int64_t ticket_id = 0;
  Visibility visibility = Visibility::kPublic;
  std::string body;
  std::string author;
  ActorRole author_role = ActorRole::kUnspecified;
  absl::Time create_time;
};

// Who did something: a token subject or a customer's e-mail address.
struct Actor {
  std::string name;
  ActorRole role = ActorRole::kUnspecified;
};

// One applied change. `after` and `before` are snapshots without description,
// customer name or rating comment.
struct TicketEvent {
  common::EventCursor cursor;
  int64_t id = 0;
  int64_t ticket_id = 0;
  int64_t ticket_version = 0;
  EventType type = EventType::kUnspecified;
  Actor actor;
  absl::Time time;
  std::string reason;
  Ticket after;
  std::optional<Ticket> before;
  std::optional<Comment> comment;
};

// Filters of ListTickets; unset members do not filter.
struct TicketQuery {
  std::vector<Status> statuses;
  Priority priority = Priority::kUnspecified;
  Kind kind = Kind::kUnspecified;
  CxLevel cx_level = CxLevel::kUnspecified;
  std::string assignee;
  std::string team;
  std::string customer_email;
  std::string tag;
  std::optional<absl::Time> created_after;
  std::optional<absl::Time> created_before;
  bool unassigned = false;
  // "create_time desc" (default, also for ""), "create_time",
  // "update_time desc" or "priority desc".
  std::string order_by;
};

}  // namespace cxdesk::ticket

#endif  // CXDESK_SERVICES_TICKET_TICKET_H_
