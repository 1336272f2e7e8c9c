#include "services/escalation/routing.h"

#include <algorithm>
#include <cstddef>
#include <set>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/status_macros.h"
#include "services/common/text.h"

namespace cxdesk::escalation {
namespace {

constexpr absl::string_view kKinds[] = {"question", "incident", "request",
                                        "complaint"};
constexpr absl::string_view kCxLevels[] = {"product", "interaction", "service",
                                           "emotion", "brand"};
// Lowest first: the index is the rank SortQueue uses.
constexpr absl::string_view kPriorities[] = {"low", "normal", "high", "urgent"};
constexpr absl::string_view kChannels[] = {"email", "web",    "phone",
                                           "chat",  "social", "api"};

constexpr size_t kMaxHandleBytes = 64;
constexpr size_t kMaxTagBytes = 50;
constexpr size_t kMaxWordBytes = 100;
constexpr size_t kMaxEmailBytes = 254;

template <size_t N>
bool IsOneOf(absl::string_view value, const absl::string_view (&words)[N]) {
  return std::find(std::begin(words), std::end(words), value) !=
         std::end(words);
}

bool ContainsIgnoringCase(const std::vector<std::string>& values,
                          absl::string_view value) {
  return std::any_of(values.begin(), values.end(), [&](const std::string& v) {
    return absl::EqualsIgnoreCase(v, value);
  });
}

// Non-ASCII bytes count as word characters so that a word never ends in the
// middle of a UTF-8 letter ("café" does not contain the word "caf").
bool IsWordChar(unsigned char c) {
  return absl::ascii_isalnum(c) || c == '_' || c >= 0x80;
}

// Whether `lower_word` occurs in `lower_text` with a non-word character (or
// the text's edge) on both sides. Both are already ASCII lower-case.
bool ContainsWholeWord(absl::string_view lower_text,
                       absl::string_view lower_word) {
  if (lower_word.empty()) return false;
  for (size_t pos = lower_text.find(lower_word); pos != absl::string_view::npos;
       pos = lower_text.find(lower_word, pos + 1)) {
    const size_t end = pos + lower_word.size();
    const bool starts = pos == 0 || !IsWordChar(lower_text[pos - 1]);
    const bool ends = end == lower_text.size() || !IsWordChar(lower_text[end]);
    if (starts && ends) return true;
  }
  return false;
}

bool Matches(const RoutingRule& rule, const TicketToRoute& ticket,
             absl::string_view lower_subject,
             absl::string_view lower_description) {
  auto any_of_or_empty = [](const std::vector<std::string>& allowed,
                            absl::string_view value) {
    return allowed.empty() ||
           std::find(allowed.begin(), allowed.end(), value) != allowed.end();
  };
  if (!any_of_or_empty(rule.kinds, ticket.kind) ||
      !any_of_or_empty(rule.cx_levels, ticket.cx_level) ||
      !any_of_or_empty(rule.priorities, ticket.priority) ||
      !any_of_or_empty(rule.channels, ticket.channel)) {
    return false;
  }
  if (!rule.tags_any.empty() &&
      std::none_of(rule.tags_any.begin(), rule.tags_any.end(),
                   [&](const std::string& tag) {
                     return ContainsIgnoringCase(ticket.tags, tag);
                   })) {
    return false;
  }
  if (!rule.words_any.empty() &&
      std::none_of(rule.words_any.begin(), rule.words_any.end(),
                   [&](const std::string& word) {
                     const std::string lower_word = absl::AsciiStrToLower(word);
                     return ContainsWholeWord(lower_subject, lower_word) ||
                            ContainsWholeWord(lower_description, lower_word);
                   })) {
    return false;
  }
  if (!rule.customer_emails.empty() &&
      !ContainsIgnoringCase(rule.customer_emails, ticket.customer_email)) {
    return false;
  }
  return true;
}

absl::Status ValidateHandle(absl::string_view field, absl::string_view value) {
  if (value.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": must not be empty"));
  }
  const bool ok = value.size() <= kMaxHandleBytes &&
                  std::all_of(value.begin(), value.end(), [](unsigned char c) {
                    return absl::ascii_isalnum(c) || c == '_' || c == '.' ||
                           c == '@' || c == '-';
                  });
  if (!ok) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": must be 1..64 of [A-Za-z0-9_.@-], got ",
                     common::Excerpt(value)));
  }
  return absl::OkStatus();
}

// Checks every entry of a condition list with `check` (which returns "" or
// why the entry is bad) and rejects repeats (ignoring ASCII case).
template <typename Check>
absl::Status ValidateList(absl::string_view field,
                          const std::vector<std::string>& values, Check check) {
  std::set<std::string> seen;
  for (size_t i = 0; i < values.size(); ++i) {
    const std::string why = check(values[i]);
    if (!why.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("conditions.", field, "[", i, "]: ", why));
    }
    if (!seen.insert(absl::AsciiStrToLower(values[i])).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("conditions.", field, "[", i, "]: duplicate ",
                       common::Excerpt(values[i])));
    }
  }
  return absl::OkStatus();
}

template <size_t N>
auto KnownWord(absl::string_view what, const absl::string_view (&words)[N]) {
  return [what, &words](const std::string& value) -> std::string {
    if (IsOneOf(value, words)) return "";
    return absl::StrCat("unknown ", what, " ", common::Excerpt(value),
                        " (one of ", absl::StrJoin(words, ", "), ")");
  };
}

std::string CheckTag(const std::string& tag) {
  if (tag.empty()) return "must not be empty";
  const bool ok = tag.size() <= kMaxTagBytes &&
                  std::all_of(tag.begin(), tag.end(), [](unsigned char c) {
                    return absl::ascii_isalnum(c) || c == '_' || c == ':' ||
                           c == '.' || c == '-';
                  });
  if (!ok) {
    return absl::StrCat("must be 1..50 of [A-Za-z0-9_:.-], got ",
                        common::Excerpt(tag));
  }
  return "";
}

std::string CheckWord(const std::string& word) {
  if (word.empty()) return "must not be empty";
  if (word.size() > kMaxWordBytes) return "must be at most 100 bytes";
  if (std::any_of(word.begin(), word.end(),
                  [](unsigned char c) { return c < 0x20 || c == 0x7F; })) {
    return "must not contain control characters";
  }
  if (absl::StripAsciiWhitespace(word).size() != word.size()) {
    return absl::StrCat("must not start or end with a space, got ",
                        common::Excerpt(word));
  }
  if (std::none_of(word.begin(), word.end(),
                   [](unsigned char c) { return IsWordChar(c); })) {
    return absl::StrCat("must contain a letter or digit, got ",
                        common::Excerpt(word));
  }
  return "";
}

std::string CheckEmail(const std::string& email) {
  if (email.empty()) return "must not be empty";
  const size_t at = email.find('@');
  const bool ok =
      email.size() <= kMaxEmailBytes && at != std::string::npos && at > 0 &&
      at + 1 < email.size() && email.find('@', at + 1) == std::string::npos &&
      std::none_of(email.begin(), email.end(),
                   [](unsigned char c) { return c <= 0x20 || c == 0x7F; });
  if (!ok) {
    return absl::StrCat("not an e-mail address: ", common::Excerpt(email));
  }
  return "";
}

int PriorityRank(absl::string_view priority) {
  for (size_t i = 0; i < std::size(kPriorities); ++i) {
    if (kPriorities[i] == priority) return static_cast<int>(i);
  }
  return -1;
}

bool IsKnownStrategy(Strategy strategy) {
  switch (strategy) {
    case Strategy::kRoundRobin:
    case Strategy::kLeastLoaded:
    case Strategy::kSkillsFirst:
    case Strategy::kQueueOnly:
      return true;
  }
  return false;
}

// Why a member of the team cannot take a ticket now.
enum class Blocker { kNone, kFull, kAway, kOffline, kOffShift };

// A member of the team as ChooseAgent sees it.
struct Member {
  const Agent* agent = nullptr;
  int open = 0;
  Blocker blocker = Blocker::kNone;
  bool covers_tags = true;  // Only meaningful for skills-first.
};

// open/capacity rounded to a whole percent; capacity > 0.
int64_t Percent(const Member& m) {
  const int64_t cap = m.agent->capacity;
  return (int64_t{m.open} * 200 + cap) / (2 * cap);
}

// Lower open/capacity ratio first (compared exactly by cross-multiplying),
// then fewer open tickets, then id. Both members are eligible (capacity > 0).
bool LessLoaded(const Member& a, const Member& b) {
  const int64_t lhs = int64_t{a.open} * b.agent->capacity;
  const int64_t rhs = int64_t{b.open} * a.agent->capacity;
  if (lhs != rhs) return lhs < rhs;
  if (a.open != b.open) return a.open < b.open;
  return a.agent->id < b.agent->id;
}

std::string Load(const Member& m) {
  return absl::StrCat(m.open, "/", m.agent->capacity);
}

// "bob 1/5 (20%)", "cid 4/4 full", "dan 0/5 away".
std::string Describe(const Member& m, bool show_skills) {
  std::string out = absl::StrCat(m.agent->id, " ", Load(m));
  switch (m.blocker) {
    case Blocker::kNone:
      absl::StrAppend(&out, " (", Percent(m), "%)");
      if (show_skills && !m.covers_tags) absl::StrAppend(&out, " lacks skills");
      break;
    case Blocker::kFull:
      absl::StrAppend(&out, " full");
      break;
    case Blocker::kAway:
      absl::StrAppend(&out, " away");
      break;
    case Blocker::kOffline:
      absl::StrAppend(&out, " offline");
      break;
    case Blocker::kOffShift:
      absl::StrAppend(&out, " off shift");
      break;
  }
  return out;
}

std::string DescribeAll(const std::vector<Member>& members, bool show_skills) {
  return absl::StrJoin(members, ", ",
                       [show_skills](std::string* out, const Member& m) {
                         out->append(Describe(m, show_skills));
                       });
}

// "a", "a or b", "a, b or c".
std::string JoinOr(const std::vector<std::string>& parts) {
  if (parts.size() <= 1) return absl::StrJoin(parts, "");
  return absl::StrCat(absl::StrJoin(parts.begin(), parts.end() - 1, ", "),
                      " or ", parts.back());
}

std::string NobodyEligible(const Team& team,
                           const std::vector<Member>& members) {
  if (members.empty()) {
    return absl::StrCat("team ", team.id,
                        " has no agents; the ticket waits in the team queue");
  }
  std::vector<std::string> reasons;
  const std::pair<Blocker, const char*> kReasons[] = {
      {Blocker::kFull, "at capacity"},
      {Blocker::kAway, "away"},
      {Blocker::kOffline, "offline"},
      {Blocker::kOffShift, "off shift"}};
  for (const auto& [blocker, words] : kReasons) {
    if (std::any_of(
            members.begin(), members.end(),
            [b = blocker](const Member& m) { return m.blocker == b; })) {
      reasons.push_back(words);
    }
  }
  const std::string who =
      members.size() == 1
          ? absl::StrCat("the only agent of team ", team.id, " is ")
          : absl::StrCat("all ", members.size(), " agents of team ", team.id,
                         " are ");
  return absl::StrCat(who, JoinOr(reasons), ": ", DescribeAll(members, false),
                      "; the ticket waits in the team queue");
}

}  // namespace

absl::string_view Name(Strategy strategy) {
  switch (strategy) {
    case Strategy::kRoundRobin:
      return "round_robin";
    case Strategy::kLeastLoaded:
      return "least_loaded";
    case Strategy::kSkillsFirst:
      return "skills_first";
    case Strategy::kQueueOnly:
      return "queue_only";
  }
  return "unknown";
}

absl::string_view Name(Availability availability) {
  switch (availability) {
    case Availability::kOnline:
      return "online";
    case Availability::kAway:
      return "away";
    case Availability::kOffline:
      return "offline";
  }
  return "unknown";
}

const RoutingRule* MatchRule(const std::vector<RoutingRule>& rules,
                             const TicketToRoute& ticket) {
  std::vector<const RoutingRule*> ordered;
  ordered.reserve(rules.size());
  for (const RoutingRule& rule : rules) ordered.push_back(&rule);
  std::stable_sort(ordered.begin(), ordered.end(),
                   [](const RoutingRule* a, const RoutingRule* b) {
                     if (a->position != b->position) {
                       return a->position < b->position;
                     }
                     return a->id < b->id;
                   });
  // Lower-cased once here rather than once per rule and word.
  const std::string lower_subject = absl::AsciiStrToLower(ticket.subject);
  const std::string lower_description =
      absl::AsciiStrToLower(ticket.description);
  for (const RoutingRule* rule : ordered) {
    if (Matches(*rule, ticket, lower_subject, lower_description)) return rule;
  }
  return nullptr;
}

absl::Status ValidateRule(const RoutingRule& rule) {
  if (absl::Status s = ValidateHandle("id", rule.id); !s.ok()) return s;
  if (rule.position < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("position: must not be negative, got ", rule.position));
  }
  const absl::Status checks[] = {
      ValidateList("kinds", rule.kinds, KnownWord("kind", kKinds)),
      ValidateList("cx_levels", rule.cx_levels,
                   KnownWord("CX level", kCxLevels)),
      ValidateList("priorities", rule.priorities,
                   KnownWord("priority", kPriorities)),
      ValidateList("channels", rule.channels, KnownWord("channel", kChannels)),
      ValidateList("tags_any", rule.tags_any, CheckTag),
      ValidateList("words_any", rule.words_any, CheckWord),
      ValidateList("customer_emails", rule.customer_emails, CheckEmail),
      ValidateHandle("team", rule.team),
  };
  for (const absl::Status& s : checks) {
    if (!s.ok()) return s;
  }
  if (!IsKnownStrategy(rule.strategy)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "strategy: unknown value ", static_cast<int>(rule.strategy)));
  }
  return absl::OkStatus();
}

namespace {

// The agents of `team` with their open tickets and what, if anything, keeps
// each from taking a ticket, sorted by id; or the first malformed agent.
absl::StatusOr<std::vector<Member>> TeamMembers(
    const Team& team, const std::vector<Agent>& agents,
    const std::map<std::string, int>& open_tickets,
    const std::function<bool(const Agent&)>& in_shift) {
  std::vector<Member> members;
  std::set<absl::string_view> ids;
  for (size_t i = 0; i < agents.size(); ++i) {
    const Agent& agent = agents[i];
    if (std::find(agent.teams.begin(), agent.teams.end(), team.id) ==
        agent.teams.end()) {
      continue;
    }
    if (agent.id.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("agents[", i, "].id: must not be empty"));
    }
    if (!ids.insert(agent.id).second) {
      return absl::InvalidArgumentError(absl::StrCat(
          "agents[", i, "].id: duplicate ", common::Excerpt(agent.id)));
    }
    if (agent.capacity < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("agents[", i, "].capacity: must not be negative, got ",
                       agent.capacity));
    }
    Member m;
    m.agent = &agent;
    if (auto it = open_tickets.find(agent.id); it != open_tickets.end()) {
      m.open = it->second;
    }
    if (agent.availability == Availability::kAway) {
      m.blocker = Blocker::kAway;
    } else if (agent.availability != Availability::kOnline) {
      m.blocker = Blocker::kOffline;
    } else if (in_shift && !in_shift(agent)) {
      m.blocker = Blocker::kOffShift;
    } else if (m.open >= agent.capacity) {
      m.blocker = Blocker::kFull;
    }
    members.push_back(m);
  }
  // A stable order, whatever order the directory returned the agents in.
  std::sort(members.begin(), members.end(),
            [](const Member& a, const Member& b) {
              return a.agent->id < b.agent->id;
            });
  return members;
}

}  // namespace

absl::StatusOr<Assignment> ChooseAgent(
    const Team& team, const std::vector<Agent>& agents,
    const std::map<std::string, int>& open_tickets, Strategy strategy,
    const TicketToRoute& ticket, const RoundRobinState& state,
    const std::function<bool(const Agent&)>& in_shift) {
  if (team.id.empty()) {
    return absl::InvalidArgumentError("team.id: must not be empty");
  }
  if (!IsKnownStrategy(strategy)) {
    return absl::InvalidArgumentError(
        absl::StrCat("strategy: unknown value ", static_cast<int>(strategy)));
  }

  Assignment result;
  result.next_state = state;
  if (strategy == Strategy::kQueueOnly) {
    result.explanation =
        absl::StrCat("queue_only: team ", team.id,
                     " does not assign; the ticket waits in the team queue");
    return result;
  }

  CXDESK_ASSIGN_OR_RETURN(std::vector<Member> members,
                          TeamMembers(team, agents, open_tickets, in_shift));

  std::vector<const Member*> eligible;
  for (const Member& m : members) {
    if (m.blocker == Blocker::kNone) eligible.push_back(&m);
  }
  if (eligible.empty()) {
    result.explanation = NobodyEligible(team, members);
    return result;
  }

  const std::string pool =
      absl::StrCat(eligible.size(), " eligible of ", members.size(),
                   " agents of team ", team.id);
  const Member* chosen = nullptr;
  std::vector<const Member*> candidates = eligible;
  std::string why;
  bool show_skills = false;
  switch (strategy) {
    case Strategy::kRoundRobin: {
      auto next = std::find_if(
          eligible.begin(), eligible.end(),
          [&](const Member* m) { return m->agent->id > state.last_agent; });
      const bool wrapped = next == eligible.end();
      chosen = wrapped ? eligible.front() : *next;
      why = absl::StrCat("round_robin: chose ", chosen->agent->id,
                         state.last_agent.empty()
                             ? ", the first"
                             : absl::StrCat(wrapped ? ", wrapping around after "
                                                    : ", the next after ",
                                            state.last_agent),
                         ", among ", pool);
      result.next_state.last_agent = chosen->agent->id;
      break;
    }
    case Strategy::kLeastLoaded: {
      chosen = *std::min_element(
          eligible.begin(), eligible.end(),
          [](const Member* a, const Member* b) { return LessLoaded(*a, *b); });
      why = absl::StrCat("least_loaded: chose ", chosen->agent->id, " (",
                         Load(*chosen), ", ", Percent(*chosen), "%) among ",
                         pool);
      break;
    }
    case Strategy::kSkillsFirst: {
      std::vector<const Member*> covering;
      for (Member& m : members) {
        m.covers_tags = std::all_of(
            ticket.tags.begin(), ticket.tags.end(), [&](const std::string& t) {
              return ContainsIgnoringCase(m.agent->skills, t);
            });
        if (m.blocker == Blocker::kNone && m.covers_tags) {
          covering.push_back(&m);
        }
      }
      const std::string skills = absl::StrJoin(ticket.tags, ", ");
      std::string among;
      if (ticket.tags.empty()) {
        among = absl::StrCat(pool, " (the ticket has no tags)");
      } else if (covering.empty()) {
        among = absl::StrCat(pool, ", as none has every skill of ", skills);
      } else {
        among = absl::StrCat("the ", covering.size(), " with every skill of ",
                             skills, " of ", pool);
        candidates = covering;
        show_skills = true;
      }
      chosen = *std::min_element(
          candidates.begin(), candidates.end(),
          [](const Member* a, const Member* b) { return LessLoaded(*a, *b); });
      why = absl::StrCat("skills_first: chose ", chosen->agent->id, " (",
                         Load(*chosen), ", ", Percent(*chosen),
                         "%), least loaded among ", among);
      break;
    }
    case Strategy::kQueueOnly:
      break;  // Handled above.
  }

  result.agent = chosen->agent->id;
  for (const Member* m : candidates) result.candidates.push_back(m->agent->id);
  result.explanation =
      absl::StrCat(why, ": ", DescribeAll(members, show_skills));
  return result;
}

void SortQueue(std::vector<QueuedTicket>& queue) {
  std::sort(queue.begin(), queue.end(),
            [](const QueuedTicket& a, const QueuedTicket& b) {
              if (a.next_deadline != b.next_deadline) {
                return a.next_deadline < b.next_deadline;
              }
              const int rank_a = PriorityRank(a.priority);
              const int rank_b = PriorityRank(b.priority);
              if (rank_a != rank_b) return rank_a > rank_b;
              if (a.queued_at != b.queued_at) return a.queued_at < b.queued_at;
              return a.ticket_id < b.ticket_id;
            });
}

}  // namespace cxdesk::escalation
