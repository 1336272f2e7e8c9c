#include "services/ticket/ticket.h"

#include <array>
#include <utility>

#include "absl/strings/str_cat.h"

namespace cxdesk::ticket {
namespace {

// Name tables, indexed by the enum's value.
constexpr std::array<absl::string_view, 7> kStatusNames = {
    "", "new", "open", "pending", "on_hold", "solved", "closed"};
constexpr std::array<absl::string_view, 5> kPriorityNames = {
    "", "low", "normal", "high", "urgent"};
constexpr std::array<absl::string_view, 5> kKindNames = {
    "", "question", "incident", "request", "complaint"};
constexpr std::array<absl::string_view, 6> kCxLevelNames = {
    "", "product", "interaction", "service", "emotion", "brand"};
constexpr std::array<absl::string_view, 7> kChannelNames = {
    "", "email", "web", "phone", "chat", "social", "api"};
constexpr std::array<absl::string_view, 3> kVisibilityNames = {"", "public",
                                                               "internal"};
constexpr std::array<absl::string_view, 5> kActorRoleNames = {
    "", "customer", "agent", "manager", "service"};
constexpr std::array<absl::string_view, 7> kEventTypeNames = {
    "",         "created",        "updated", "comment_added",
    "assigned", "status_changed", "rated"};

template <typename E, size_t N>
absl::string_view NameIn(const std::array<absl::string_view, N>& names, E v) {
  const size_t i = static_cast<size_t>(v);
  return i < N ? names[i] : "";
}

template <typename E, size_t N>
absl::StatusOr<E> ParseIn(const std::array<absl::string_view, N>& names,
                          absl::string_view what, absl::string_view name) {
  for (size_t i = 1; i < N; ++i) {
    if (names[i] == name) return static_cast<E>(i);
  }
  return absl::InvalidArgumentError(
      absl::StrCat(what, ": unknown value '", name, "'"));
}

}  // namespace

absl::string_view Name(Status v) { return NameIn(kStatusNames, v); }
absl::string_view Name(Priority v) { return NameIn(kPriorityNames, v); }
absl::string_view Name(Kind v) { return NameIn(kKindNames, v); }
absl::string_view Name(CxLevel v) { return NameIn(kCxLevelNames, v); }
absl::string_view Name(Channel v) { return NameIn(kChannelNames, v); }
absl::string_view Name(Visibility v) { return NameIn(kVisibilityNames, v); }
absl::string_view Name(ActorRole v) { return NameIn(kActorRoleNames, v); }
absl::string_view Name(EventType v) { return NameIn(kEventTypeNames, v); }

absl::StatusOr<Status> ParseStatus(absl::string_view name) {
  return ParseIn<Status>(kStatusNames, "status", name);
}
absl::StatusOr<Priority> ParsePriority(absl::string_view name) {
  return ParseIn<Priority>(kPriorityNames, "priority", name);
}
absl::StatusOr<Kind> ParseKind(absl::string_view name) {
  return ParseIn<Kind>(kKindNames, "kind", name);
}
absl::StatusOr<CxLevel> ParseCxLevel(absl::string_view name) {
  return ParseIn<CxLevel>(kCxLevelNames, "cx_level", name);
}
absl::StatusOr<Channel> ParseChannel(absl::string_view name) {
  return ParseIn<Channel>(kChannelNames, "channel", name);
}
absl::StatusOr<Visibility> ParseVisibility(absl::string_view name) {
  return ParseIn<Visibility>(kVisibilityNames, "visibility", name);
}
absl::StatusOr<ActorRole> ParseActorRole(absl::string_view name) {
  return ParseIn<ActorRole>(kActorRoleNames, "actor_role", name);
}
absl::StatusOr<EventType> ParseEventType(absl::string_view name) {
  return ParseIn<EventType>(kEventTypeNames, "event type", name);
}

std::string EtagOf(const Ticket& ticket) {
  return absl::StrCat("\"", ticket.version, "\"");
}

}  // namespace cxdesk::ticket
