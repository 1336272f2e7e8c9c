#ifndef CXDESK_SERVICES_ESCALATION_DIRECTORY_H_
#define CXDESK_SERVICES_ESCALATION_DIRECTORY_H_

// Domain types of routing and escalation: who works in which team, and the
// rules that send a ticket to a team. Plain data: no proto, no SQL, no I/O.
// Words (kinds, CX levels, priorities, channels) are the lower-case names the
// ticket service stores ("incident", "emotion", "urgent", "email").

#include <cstdint>
#include <string>
#include <vector>

namespace cxdesk::escalation {

// Whether an agent is taking work right now. Only kOnline agents are assigned
// tickets; kAway and kOffline agents keep what they have.
enum class Availability { kOnline, kAway, kOffline };

// An agent of the help desk.
struct Agent {
  std::string id;                   // Token subject, e.g. "ann"; unique.
  std::string name;                 // Display name; informational only.
  std::vector<std::string> teams;   // Team ids the agent belongs to.
  std::vector<std::string> skills;  // Matched against ticket tags, any case.
  int tier = 1;                     // Support tier (1 = first line).
  // How many open tickets the agent may hold at once; 0 = takes none.
  int capacity = 0;
  Availability availability = Availability::kOffline;
  // Name of the business calendar of the agent's shift; "" = always on shift.
  std::string shift_calendar;
};

// A team tickets are routed to.
struct Team {
  std::string id;       // e.g. "care"; unique.
  std::string lead;     // Agent id of the team lead ("" = none).
  std::string manager;  // Agent id of the manager ("" = none).
  // Calendar for the team's agents that have no shift_calendar of their own.
  std::string default_calendar;
};

// How a ticket routed to a team is given to one of its agents.
enum class Strategy {
  kRoundRobin,   // The next eligible agent after the last one, by id.
  kLeastLoaded,  // The eligible agent with the lowest open/capacity ratio.
  kSkillsFirst,  // Least-loaded among agents whose skills cover the tags.
  kQueueOnly,    // Route to the team queue; do not assign.
};

// A routing rule: if a ticket meets every non-empty condition, it goes to
// `team` and is assigned with `strategy`. An empty condition list matches
// any ticket; a non-empty one matches if the ticket has ANY of its values.
// Rules are tried in ascending `position`; the first match wins.
struct RoutingRule {
  std::string id;
  int position = 0;
  std::vector<std::string> kinds;       // question|incident|request|complaint
  std::vector<std::string> cx_levels;   // product|interaction|service|...
  std::vector<std::string> priorities;  // low|normal|high|urgent
  std::vector<std::string> channels;    // email|web|phone|chat|social|api
  std::vector<std::string> tags_any;    // Any of these tags (any case).
  // Any of these words or phrases, as whole words, ignoring ASCII case, in
  // the subject or the description.
  std::vector<std::string> words_any;
  std::vector<std::string> customer_emails;  // Any of these (any case).
  std::string team;
  Strategy strategy = Strategy::kRoundRobin;
};

// What routing looks at in a ticket.
struct TicketToRoute {
  int64_t id = 0;
  std::string kind;      // e.g. "incident".
  std::string cx_level;  // "" unless the ticket is a complaint.
  std::string priority;  // e.g. "high".
  std::string channel;   // e.g. "email".
  std::vector<std::string> tags;
  std::string subject;
  std::string description;
  std::string customer_email;
  // Where the ticket stands at the ticket service now: the action relay's
  // last check before it assigns (the service's own copy lags behind the
  // stream while it catches up).
  bool open = true;      // Neither solved nor closed.
  std::string assignee;  // "" when unassigned.
};

}  // namespace cxdesk::escalation

#endif  // CXDESK_SERVICES_ESCALATION_DIRECTORY_H_
