#include "services/escalation/escalation.h"

#include <set>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "services/escalation/routing.h"

namespace cxdesk::escalation {

const TeamRecord* Directory::FindTeam(const std::string& id) const {
  for (const TeamRecord& t : teams) {
    if (t.team.id == id) return &t;
  }
  return nullptr;
}

const Agent* Directory::FindAgent(const std::string& id) const {
  for (const Agent& a : agents) {
    if (a.id == id) return &a;
  }
  return nullptr;
}

const TeamRecord* Directory::DefaultTeam() const {
  for (const TeamRecord& t : teams) {
    if (t.default_team) return &t;
  }
  return nullptr;
}

const Ladder* Directory::FindLadder(const std::string& metric) const {
  for (const Ladder& l : ladders) {
    if (l.metric == metric) return &l;
  }
  return nullptr;
}

std::vector<std::string> Directory::ShiftCalendarIds() const {
  std::set<std::string> ids;
  for (const Agent& a : agents) {
    if (!a.shift_calendar.empty()) ids.insert(a.shift_calendar);
  }
  for (const TeamRecord& t : teams) {
    if (!t.team.default_calendar.empty()) ids.insert(t.team.default_calendar);
  }
  return std::vector<std::string>(ids.begin(), ids.end());
}

bool Directory::RulesReadWords() const {
  for (const RoutingRule& r : rules) {
    if (!r.words_any.empty()) return true;
  }
  return false;
}

namespace {

// A table of (value, word) for one enum; the last entry is the fallback
// name of an out-of-range value.
template <typename E, size_t N>
const char* NameIn(const std::pair<E, const char*> (&table)[N], E value) {
  for (const auto& [v, word] : table) {
    if (v == value) return word;
  }
  return "unknown";
}

template <typename E, size_t N>
absl::StatusOr<E> ParseIn(const std::pair<E, const char*> (&table)[N],
                          absl::string_view word, absl::string_view what) {
  for (const auto& [v, w] : table) {
    if (word == w) return v;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("unknown ", what, " \"", word, "\""));
}

const std::pair<RoutingTrigger, const char*> kTriggers[] = {
    {RoutingTrigger::kNewTicket, "new_ticket"},
    {RoutingTrigger::kCapacityFreed, "capacity_freed"},
    {RoutingTrigger::kManual, "manual"},
    {RoutingTrigger::kDryRun, "dry_run"}};
const std::pair<RoutingOutcome, const char*> kOutcomes[] = {
    {RoutingOutcome::kAssigned, "assigned"},
    {RoutingOutcome::kQueued, "queued"},
    {RoutingOutcome::kRouted, "routed"}};
const std::pair<ActionRecord::Kind, const char*> kActionKinds[] = {
    {ActionRecord::Kind::kAssign, "assign"},
    {ActionRecord::Kind::kRaisePriority, "raise_priority"},
    {ActionRecord::Kind::kAddNote, "note"},
    {ActionRecord::Kind::kNotify, "notify"}};
const std::pair<ActionRecord::State, const char*> kActionStates[] = {
    {ActionRecord::State::kPending, "pending"},
    {ActionRecord::State::kDone, "done"},
    {ActionRecord::State::kFailed, "failed"},
    {ActionRecord::State::kSkipped, "skipped"}};
const std::pair<DeliveryRecord::State, const char*> kDeliveryStates[] = {
    {DeliveryRecord::State::kPending, "pending"},
    {DeliveryRecord::State::kDelivered, "delivered"},
    {DeliveryRecord::State::kDead, "dead"}};
const std::pair<Trigger::Kind, const char*> kTriggerKinds[] = {
    {Trigger::Kind::kOnWarning, "on_warning"},
    {Trigger::Kind::kOnBreach, "on_breach"},
    {Trigger::Kind::kAfterBreach, "after_breach"}};
const std::pair<Strategy, const char*> kStrategies[] = {
    {Strategy::kRoundRobin, "round_robin"},
    {Strategy::kLeastLoaded, "least_loaded"},
    {Strategy::kSkillsFirst, "skills_first"},
    {Strategy::kQueueOnly, "queue_only"}};
const std::pair<Availability, const char*> kAvailabilities[] = {
    {Availability::kOnline, "online"},
    {Availability::kAway, "away"},
    {Availability::kOffline, "offline"}};

}  // namespace

const char* Name(RoutingTrigger v) { return NameIn(kTriggers, v); }
const char* Name(RoutingOutcome v) { return NameIn(kOutcomes, v); }
const char* Name(ActionRecord::Kind v) { return NameIn(kActionKinds, v); }
const char* Name(ActionRecord::State v) { return NameIn(kActionStates, v); }
const char* Name(DeliveryRecord::State v) { return NameIn(kDeliveryStates, v); }
const char* Name(Trigger::Kind v) { return NameIn(kTriggerKinds, v); }

absl::StatusOr<Strategy> ParseStrategy(absl::string_view w) {
  return ParseIn(kStrategies, w, "strategy");
}
absl::StatusOr<Availability> ParseAvailability(absl::string_view w) {
  return ParseIn(kAvailabilities, w, "availability");
}
absl::StatusOr<RoutingTrigger> ParseRoutingTrigger(absl::string_view w) {
  return ParseIn(kTriggers, w, "routing trigger");
}
absl::StatusOr<RoutingOutcome> ParseRoutingOutcome(absl::string_view w) {
  return ParseIn(kOutcomes, w, "routing outcome");
}
absl::StatusOr<ActionRecord::Kind> ParseActionKind(absl::string_view w) {
  return ParseIn(kActionKinds, w, "action kind");
}
absl::StatusOr<ActionRecord::State> ParseActionState(absl::string_view w) {
  return ParseIn(kActionStates, w, "action state");
}
absl::StatusOr<DeliveryRecord::State> ParseDeliveryState(absl::string_view w) {
  return ParseIn(kDeliveryStates, w, "delivery state");
}
absl::StatusOr<Trigger::Kind> ParseTriggerKind(absl::string_view w) {
  return ParseIn(kTriggerKinds, w, "trigger");
}

std::string ActionWord(const Action& a) {
  switch (a.kind) {
    case Action::Kind::kNotify:
      switch (a.recipient.kind) {
        case Recipient::Kind::kAssignee:
          return "notify:assignee";
        case Recipient::Kind::kTeamLead:
          return "notify:team_lead";
        case Recipient::Kind::kTeamManager:
          return "notify:team_manager";
        case Recipient::Kind::kNamed:
          return absl::StrCat("notify:named:", a.recipient.name);
        case Recipient::Kind::kNone:
          return "notify:";
      }
      return "notify:";
    case Action::Kind::kRaisePriority:
      return "raise_priority";
    case Action::Kind::kReassign:
      switch (a.reassign.kind) {
        case ReassignTarget::Kind::kTeamLead:
          return "reassign:team_lead";
        case ReassignTarget::Kind::kOtherTeam:
          return absl::StrCat("reassign:other_team:", a.reassign.team);
        case ReassignTarget::Kind::kNextTier:
          return "reassign:next_tier";
        case ReassignTarget::Kind::kNone:
          return "reassign:";
      }
      return "reassign:";
    case Action::Kind::kAddNote:
      return absl::StrCat("note:", a.note);
  }
  return "";
}

absl::StatusOr<Action> ParseActionWord(absl::string_view w) {
  if (w == "notify:assignee")
    return Action::Notify({Recipient::Kind::kAssignee, ""});
  if (w == "notify:team_lead")
    return Action::Notify({Recipient::Kind::kTeamLead, ""});
  if (w == "notify:team_manager") {
    return Action::Notify({Recipient::Kind::kTeamManager, ""});
  }
  if (absl::ConsumePrefix(&w, "notify:named:")) {
    return Action::Notify({Recipient::Kind::kNamed, std::string(w)});
  }
  if (w == "raise_priority") return Action::RaisePriority();
  if (w == "reassign:team_lead") {
    return Action::Reassign({ReassignTarget::Kind::kTeamLead, ""});
  }
  if (w == "reassign:next_tier") {
    return Action::Reassign({ReassignTarget::Kind::kNextTier, ""});
  }
  if (absl::ConsumePrefix(&w, "reassign:other_team:")) {
    return Action::Reassign({ReassignTarget::Kind::kOtherTeam, std::string(w)});
  }
  if (absl::ConsumePrefix(&w, "note:")) return Action::AddNote(std::string(w));
  return absl::InvalidArgumentError(
      absl::StrCat("unknown ladder action \"", w, "\""));
}

std::string Describe(const Action& a) {
  switch (a.kind) {
    case Action::Kind::kNotify:
      switch (a.recipient.kind) {
        case Recipient::Kind::kAssignee:
          return "notify the assignee";
        case Recipient::Kind::kTeamLead:
          return "notify the team lead";
        case Recipient::Kind::kTeamManager:
          return "notify the team manager";
        case Recipient::Kind::kNamed:
          return absl::StrCat("notify ", a.recipient.name);
        case Recipient::Kind::kNone:
          break;
      }
      return "notify nobody";
    case Action::Kind::kRaisePriority:
      return "raise the priority";
    case Action::Kind::kReassign:
      switch (a.reassign.kind) {
        case ReassignTarget::Kind::kTeamLead:
          return "reassign to the team lead";
        case ReassignTarget::Kind::kOtherTeam:
          return absl::StrCat("reassign to team ", a.reassign.team);
        case ReassignTarget::Kind::kNextTier:
          return "reassign to the next tier";
        case ReassignTarget::Kind::kNone:
          break;
      }
      return "reassign to nobody";
    case Action::Kind::kAddNote:
      return "add an internal note";
  }
  return "";
}

}  // namespace cxdesk::escalation
