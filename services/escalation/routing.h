#ifndef CXDESK_SERVICES_ESCALATION_ROUTING_H_
#define CXDESK_SERVICES_ESCALATION_ROUTING_H_

// Pure routing rules: which team a ticket goes to, which agent of the team
// takes it, and in which order a team's queue is worked. No I/O; every
// function is thread-safe (ChooseAgent as far as its `in_shift` callback is).

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "services/escalation/directory.h"

namespace cxdesk::escalation {

// Stable lower-case names, as shown in explanations and stored by callers:
// "round_robin", "least_loaded", "skills_first", "queue_only"; "online",
// "away", "offline". An out-of-range value has the name "unknown".
absl::string_view Name(Strategy strategy);
absl::string_view Name(Availability availability);

// The first rule, in ascending `position` (ties: ascending `id`, then the
// order in `rules`), whose conditions the ticket meets; nullptr if none does
// (the caller then uses its default team). The pointer points into `rules`.
// Rules are expected to have passed ValidateRule; an invalid one is matched
// as written. Words match as whole words ignoring ASCII case: "Refund"
// matches "refund" and "refund's" but not "refunded"; word characters are
// ASCII letters, digits, '_' and every non-ASCII byte.
const RoutingRule* MatchRule(const std::vector<RoutingRule>& rules,
                             const TicketToRoute& ticket);

// OK if `rule` may be stored; otherwise INVALID_ARGUMENT naming the first bad
// field and why, e.g. `conditions.kinds[1]: unknown kind "bug"` or
// `team: must not be empty`. Checks: id and team are 1..64 of
// [A-Za-z0-9_.@-]; position >= 0; condition words are known and not
// repeated; tags 1..50 of [A-Za-z0-9_:.-]; words 1..100 bytes without control
// characters or surrounding spaces and with a letter or digit; customer
// e-mails have one '@' with text on both sides and no spaces; the strategy
// is one of Strategy.
absl::Status ValidateRule(const RoutingRule& rule);

// Where round-robin left off in one team; persisted by the caller per team.
struct RoundRobinState {
  std::string last_agent;  // "" = none yet.
};

// The outcome of ChooseAgent.
struct Assignment {
  // The chosen agent; nullopt = the ticket waits in the team queue.
  std::optional<std::string> agent;
  // The state to persist for the team (changes only when round-robin
  // assigns).
  RoundRobinState next_state;
  // Which agents were considered, why this one (or why none), for the
  // decision log, e.g. "least_loaded: chose bob (1/5, 20%) among 2 eligible
  // of 3 agents of team care: ann 2/5 (40%), bob 1/5 (20%), cid 4/4 full".
  std::string explanation;
  // Ids of the agents the strategy chose among, ascending: the eligible
  // agents (for skills-first, those whose skills cover the ticket's tags, if
  // any is eligible). Empty when nobody is eligible or for queue-only.
  std::vector<std::string> candidates;
};

// Chooses the agent of `team` that takes `ticket` under `strategy`.
//
// Members are the `agents` whose `teams` contain team.id. A member is
// eligible if it is kOnline, in_shift(agent) is true (an empty `in_shift`
// means always on shift) and open_tickets[agent.id] (missing = 0) is below
// its capacity.
//   - kRoundRobin: the first eligible agent whose id sorts after
//     state.last_agent, wrapping to the lowest id; over many tickets every
//     eligible agent gets the same share. next_state names the chosen agent.
//   - kLeastLoaded: lowest open/capacity ratio; ties by fewer open tickets,
//     then by id.
//   - kSkillsFirst: agents whose skills contain every tag of the ticket
//     (ignoring ASCII case) if any of them is eligible, else every eligible
//     agent; then least-loaded among them.
//   - kQueueOnly: nobody; the ticket waits in the team queue.
// If nobody is eligible, `agent` is nullopt and the explanation says why
// ("all 3 agents of team care are at capacity or away: ...").
// Errors (INVALID_ARGUMENT): empty team.id, an unknown strategy, a member
// with an empty or duplicate id or a negative capacity.
// Thread-safe if `in_shift` is; in_shift is called at most once per member.
absl::StatusOr<Assignment> ChooseAgent(
    const Team& team, const std::vector<Agent>& agents,
    const std::map<std::string, int>& open_tickets, Strategy strategy,
    const TicketToRoute& ticket, const RoundRobinState& state,
    const std::function<bool(const Agent&)>& in_shift);

// A ticket waiting in a team queue.
struct QueuedTicket {
  int64_t ticket_id = 0;
  absl::Time queued_at;
  // The next SLA deadline; absl::InfiniteFuture() if no SLA clock runs.
  absl::Time next_deadline = absl::InfiniteFuture();
  std::string priority;  // low|normal|high|urgent; anything else ranks last.
};

// Sorts a team queue into the order it is worked: least time to breach first
// (earliest next_deadline), then higher priority, then longest waiting
// (earliest queued_at), then lower ticket_id. The order is total, so the
// result does not depend on the input order.
void SortQueue(std::vector<QueuedTicket>& queue);

}  // namespace cxdesk::escalation

#endif  // CXDESK_SERVICES_ESCALATION_ROUTING_H_
