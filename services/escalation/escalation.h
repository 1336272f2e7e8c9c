#ifndef CXDESK_SERVICES_ESCALATION_ESCALATION_H_
#define CXDESK_SERVICES_ESCALATION_ESCALATION_H_

// Domain types of the escalation service beyond the pure rules
// (directory.h, routing.h, ladder.h): stored configuration records, the
// service's projection of tickets, routing decisions, escalation steps,
// the actions they ask of the ticket service, notifications and webhook
// deliveries. Plain data: no proto, no pqxx. Words are the lower-case names
// the ticket and SLA services use ("urgent", "first_response").

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "services/common/event_stream.h"
#include "services/escalation/directory.h"
#include "services/escalation/ladder.h"

namespace cxdesk::escalation {

// A team as stored.
struct TeamRecord {
  Team team;
  std::string display_name;
  bool default_team = false;
  std::string webhook_url;     // "" = no webhook.
  std::string webhook_secret;  // Never shown; "" = none.
  int64_t version = 0;         // The etag is its decimal form.
  absl::Time update_time;
};

// An agent as stored, with their load when read.
struct AgentRecord {
  Agent agent;
  int64_t version = 0;
  absl::Time update_time;
  int open_tickets = 0;  // Filled by reads; not stored.
};

// A routing rule as stored.
struct RuleRecord {
  RoutingRule rule;
  int64_t version = 0;
  absl::Time update_time;
};

// A ladder as stored.
struct LadderRecord {
  Ladder ladder;
  int64_t version = 0;
  absl::Time update_time;
};

// Everything routing and escalation read, at one configuration revision.
// Immutable once built; shared between threads by shared_ptr.
struct Directory {
  int64_t revision = 0;
  std::vector<TeamRecord> teams;
  std::vector<Agent> agents;
  std::vector<RoutingRule> rules;  // In the order they are tried.
  std::vector<Ladder> ladders;

  const TeamRecord* FindTeam(const std::string& id) const;
  const Agent* FindAgent(const std::string& id) const;
  const TeamRecord* DefaultTeam() const;
  const Ladder* FindLadder(const std::string& metric) const;
  // True if some rule looks at words (routing then needs the description).
  bool RulesReadWords() const;
  // Every shift calendar routing may ask about: the agents' own and the
  // teams' defaults, each once, sorted.
  std::vector<std::string> ShiftCalendarIds() const;
};

// The service's copy of a ticket, kept from the ticket event stream.
struct TicketView {
  int64_t id = 0;
  int64_t version = 0;  // The ticket version last applied.
  std::string status;   // new|open|pending|on_hold|solved|closed
  TicketToRoute route;  // kind, CX level, priority, channel, tags, ...
  std::string team;
  std::string assignee;
  // An assignment asked of the ticket service and not yet seen on the
  // stream: counts towards the agent's load meanwhile. "" = none.
  std::string pending_assignee;
  // Set while the ticket waits in its team's queue.
  std::optional<absl::Time> queued_at;
  // How the team assigns it when it leaves the queue.
  Strategy strategy = Strategy::kLeastLoaded;
  bool routed = false;  // A routing decision was taken for it.

  bool Open() const { return status != "solved" && status != "closed"; }
  // Whose load the ticket counts towards.
  const std::string& LoadOf() const {
    return pending_assignee.empty() ? assignee : pending_assignee;
  }
};

// Why a routing decision was taken.
enum class RoutingTrigger { kNewTicket, kCapacityFreed, kManual, kDryRun };
// What it did.
enum class RoutingOutcome { kAssigned, kQueued, kRouted };

// One routing decision and why it was taken.
struct Decision {
  int64_t id = 0;  // 0 until stored (and for dry runs).
  int64_t ticket_id = 0;
  absl::Time at;
  RoutingTrigger trigger = RoutingTrigger::kNewTicket;
  std::string rule_id;  // "" = the default team.
  std::string team;
  Strategy strategy = Strategy::kRoundRobin;
  RoutingOutcome outcome = RoutingOutcome::kRouted;
  std::string agent;  // kAssigned only.
  std::vector<std::string> candidates;
  std::string explanation;
};

// Something the ticket service is asked to do, kept until it is done
// (transactional outbox: recorded with the decision or step that wants it).
struct ActionRecord {
  enum class Kind { kAssign, kRaisePriority, kAddNote, kNotify };
  enum class State { kPending, kDone, kFailed, kSkipped };
  int64_t id = 0;
  int64_t ticket_id = 0;
  Kind kind = Kind::kAssign;
  State state = State::kPending;
  // kAssign: the agent ("" with unassign) and team ("" = keep).
  std::string assignee;
  std::string team;
  bool unassign = false;
  std::string note;  // kAddNote: the text.
  // The idempotency key passed to the ticket service; unique.
  std::string request_id;
  int64_t escalation_id = 0;  // 0 unless a step asked for it.
  int action_index = 0;       // Its position in the step's actions.
  int64_t decision_id = 0;    // 0 unless routing asked for it.
  int attempts = 0;
  absl::Time next_attempt;
  std::string detail;  // What it did, e.g. "priority high -> urgent".
  std::string error;   // kFailed: why.
  absl::Time create_time;
  std::optional<absl::Time> done_time;
  // Filled by claims: the ticket as the service last saw it.
  bool ticket_open = true;
  std::string ticket_assignee;
};

// Identifies one SLA clock cycle of a ticket.
struct CycleKey {
  int64_t ticket_id = 0;
  std::string metric;  // first_response|next_response|...
  int cycle = 0;
};

// The stored ladder state of a cycle, with who acknowledged it.
struct CycleState {
  CycleKey key;
  LadderState ladder;
  std::string acknowledged_by;
  std::optional<absl::Time> acknowledge_time;
};

// One escalation step taken (or skipped) for one cycle.
struct EscalationRecord {
  int64_t id = 0;
  CycleKey key;
  int level = 0;
  Trigger::Kind trigger = Trigger::Kind::kOnBreach;
  std::string team;
  absl::Time occur_time;
  absl::Time record_time;
  bool skipped = false;
  std::string explanation;
  std::vector<std::string> recipients;
  // The step's actions as the ladder had them, with what became of them
  // (filled by reads: one ActionRecord per action, same order).
  std::vector<Action> actions;
  std::vector<ActionRecord> results;
  // From the cycle (filled by reads).
  bool acknowledged = false;
  std::string acknowledged_by;
  std::optional<absl::Time> acknowledge_time;
};

// A message in a recipient's feed (also the notifications outbox stream).
struct NotificationRecord {
  int64_t id = 0;
  common::EventCursor cursor;  // Filled by reads.
  std::string recipient;
  int64_t ticket_id = 0;
  int64_t escalation_id = 0;
  int level = 0;
  std::string metric;
  std::string title;
  std::string body;
  std::string team;  // The ticket's team (for its webhook).
  absl::Time create_time;
  bool read = false;
};

// A notification on its way to a team's webhook.
struct DeliveryRecord {
  enum class State { kPending, kDelivered, kDead };
  int64_t id = 0;
  std::string team;
  int64_t notification_id = 0;
  std::string url;
  std::string payload;  // The JSON body, fixed when queued.
  State state = State::kPending;
  int attempts = 0;
  int last_status_code = 0;
  std::string last_error;
  absl::Time next_attempt;
  absl::Time create_time;
  std::optional<absl::Time> deliver_time;
};

// A filter for ListEscalations.
struct EscalationQuery {
  int64_t ticket_id = 0;
  std::string team;
  int level = 0;
  std::optional<absl::Time> from;
  std::optional<absl::Time> to;
  std::optional<bool> acknowledged;
};

// What GetEscalationFigures reports.
struct Figures {
  struct AgentRow {
    std::string agent;
    int assignments = 0;
    int open_tickets = 0;
    int capacity = 0;
  };
  struct TeamRow {
    std::string team;
    int routed = 0;
    int queued = 0;
    int assigned_from_queue = 0;
    absl::Duration queue_p50, queue_p90, queue_max;
    int waiting_now = 0;
  };
  struct LevelRow {
    int level = 0;
    int ran = 0;
    int skipped = 0;
    int acknowledged = 0;
  };
  std::vector<AgentRow> agents;
  std::vector<TeamRow> teams;
  std::vector<LevelRow> levels;
};

// Stable lower-case words, as stored.
const char* Name(RoutingTrigger trigger);
const char* Name(RoutingOutcome outcome);
const char* Name(ActionRecord::Kind kind);
const char* Name(ActionRecord::State state);
const char* Name(DeliveryRecord::State state);
const char* Name(Trigger::Kind kind);
// The inverses; INVALID_ARGUMENT for an unknown word.
absl::StatusOr<Strategy> ParseStrategy(absl::string_view word);
absl::StatusOr<Availability> ParseAvailability(absl::string_view word);
absl::StatusOr<RoutingTrigger> ParseRoutingTrigger(absl::string_view word);
absl::StatusOr<RoutingOutcome> ParseRoutingOutcome(absl::string_view word);
absl::StatusOr<ActionRecord::Kind> ParseActionKind(absl::string_view word);
absl::StatusOr<ActionRecord::State> ParseActionState(absl::string_view word);
absl::StatusOr<DeliveryRecord::State> ParseDeliveryState(
    absl::string_view word);
absl::StatusOr<Trigger::Kind> ParseTriggerKind(absl::string_view word);

// A ladder action as one stored word with its arguments, e.g.
// "notify:assignee", "notify:named:mia", "raise_priority",
// "reassign:team_lead", "reassign:other_team:product", "reassign:next_tier",
// "note:<text>"; and back (INVALID_ARGUMENT for anything else).
std::string ActionWord(const Action& action);
absl::StatusOr<Action> ParseActionWord(absl::string_view word);
// The action in words for people, e.g. "notify the team lead".
std::string Describe(const Action& action);

}  // namespace cxdesk::escalation

#endif  // CXDESK_SERVICES_ESCALATION_ESCALATION_H_
