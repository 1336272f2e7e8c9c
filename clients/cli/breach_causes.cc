#include "clients/cli/breach_causes.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "clients/cli/output.h"
#include "clients/common/enum_words.h"

namespace cxdesk::clients::cli {
namespace {

namespace slapb = ::cxdesk::sla::v1;
namespace escpb = ::cxdesk::escalation::v1;
namespace ticketpb = ::cxdesk::ticket::v1;

// Spans shorter than this are not worth a word.
constexpr absl::Duration kNoticeable = absl::Minutes(1);

bool SameClock(const slapb::SlaEvent& e, const slapb::SlaEvent& breach) {
  return e.metric() == breach.metric() && e.cycle() == breach.cycle();
}

// The length of [from, to) inside [lo, hi).
absl::Duration Overlap(absl::Time from, absl::Time to, absl::Time lo,
                       absl::Time hi) {
  const absl::Time a = std::max(from, lo), b = std::min(to, hi);
  return b > a ? b - a : absl::ZeroDuration();
}

// The clock's start: its STARTED event, else the ticket's creation (the
// infinite past when neither is known).
absl::Time ClockStart(const BreachHistory& history,
                      const slapb::SlaEvent& breach) {
  for (const slapb::SlaEvent& e : history.sla_events) {
    if (SameClock(e, breach) && e.kind() == slapb::SLA_EVENT_KIND_STARTED) {
      return ToTime(e.occur_time());
    }
  }
  if (!history.ticket_events.empty()) {
    return ToTime(history.ticket_events.front().create_time());
  }
  return absl::InfinitePast();
}

// Who held the ticket over the clock, from the ticket's history.
void AddHolderCauses(const BreachHistory& history, absl::Time start,
                     absl::Time deadline, std::vector<std::string>& causes) {
  if (!history.ticket_known || start == absl::InfinitePast() ||
      start >= deadline) {
    return;
  }
  absl::Duration unassigned;
  std::vector<std::string> holders;
  std::string assignee;
  absl::Time since = start;
  bool ever_assigned = false;
  for (const ticketpb::TicketEvent& e : history.ticket_events) {
    const absl::Time at = ToTime(e.create_time());
    if (at >= deadline) break;
    const std::string& next = e.after().assignee();
    if (next == assignee) continue;
    if (at > start && assignee.empty()) {
      unassigned += Overlap(since, at, start, deadline);
    }
    if (!next.empty()) {
      ever_assigned = true;
      if (at >= start) holders.push_back(next);
    }
    assignee = next;
    since = std::max(at, start);
  }
  if (assignee.empty()) unassigned += Overlap(since, deadline, start, deadline);
  if (!ever_assigned) {
    causes.push_back(absl::StrCat("never assigned in the ",
                                  FormatShortDuration(deadline - start),
                                  " before the deadline"));
  } else if (unassigned >= kNoticeable) {
    causes.push_back(absl::StrCat(
        "unassigned for ", FormatShortDuration(unassigned), " of the ",
        FormatShortDuration(deadline - start), " before the deadline"));
  }
  if (holders.size() >= 2) {
    causes.push_back(
        absl::StrCat("reassigned ", holders.size() - 1,
                     holders.size() == 2 ? " time" : " times",
                     " before the deadline: ", absl::StrJoin(holders, " -> ")));
  }
}

// Waiting in a full team's queue, from the routing decisions.
void AddQueueCauses(const BreachHistory& history, absl::Time start,
                    absl::Time deadline, std::vector<std::string>& causes) {
  for (size_t i = 0; i < history.decisions.size(); ++i) {
    const escpb::RoutingDecision& d = history.decisions[i];
    if (d.outcome() != escpb::ROUTING_OUTCOME_QUEUED) continue;
    const absl::Time queued = ToTime(d.decide_time());
    absl::Time left = deadline;
    for (size_t j = i + 1; j < history.decisions.size(); ++j) {
      if (history.decisions[j].outcome() != escpb::ROUTING_OUTCOME_QUEUED) {
        left = ToTime(history.decisions[j].decide_time());
        break;
      }
    }
    const absl::Duration waited = Overlap(queued, left, start, deadline);
    if (waited >= kNoticeable) {
      causes.push_back(absl::StrCat("waited ", FormatShortDuration(waited),
                                    " in the full queue of team ",
                                    d.team_id()));
    }
  }
}

// Pauses (excluded from the clock) and deadlines moved by a priority.
void AddPauseCauses(const BreachHistory& history, const slapb::SlaEvent& breach,
                    absl::Time deadline, std::vector<std::string>& causes) {
  absl::Duration paused;
  for (const slapb::SlaEvent& e : history.sla_events) {
    if (!SameClock(e, breach) || ToTime(e.occur_time()) > deadline) continue;
    if (e.kind() == slapb::SLA_EVENT_KIND_RESUMED) {
      paused += absl::Seconds(e.pause_elapsed().seconds());
    } else if (e.kind() == slapb::SLA_EVENT_KIND_RETARGETED) {
      causes.push_back(
          e.overdue()
              ? absl::StrCat("the priority became ", PriorityWord(e.priority()),
                             " and the new, shorter target had already passed")
              : absl::StrCat("the deadline moved when the priority became ",
                             PriorityWord(e.priority())));
    }
  }
  if (paused >= kNoticeable) {
    causes.push_back(absl::StrCat("paused ", FormatShortDuration(paused),
                                  " waiting on the customer (not counted)"));
  }
}

// Who held it when it fell due.
std::string HeldAtDeadline(const slapb::SlaEvent& breach) {
  if (breach.assignee().empty()) {
    return breach.team().empty()
               ? "nobody held it at the deadline"
               : absl::StrCat("held by no agent (team ", breach.team(),
                              ") at the deadline");
  }
  return absl::StrCat(
      "held by ", breach.assignee(),
      breach.team().empty() ? "" : absl::StrCat(" (team ", breach.team(), ")"),
      " at the deadline");
}

// The escalation steps of this clock cycle, by level, and who acknowledged.
void AddStepCauses(const BreachHistory& history, const slapb::SlaEvent& breach,
                   std::vector<std::string>& causes) {
  std::vector<const escpb::Escalation*> steps;
  for (const escpb::Escalation& s : history.escalations) {
    if (s.metric() == breach.metric() && s.cycle() == breach.cycle()) {
      steps.push_back(&s);
    }
  }
  std::sort(steps.begin(), steps.end(),
            [](const escpb::Escalation* a, const escpb::Escalation* b) {
              return a->level() < b->level();
            });
  std::string acknowledged_by;
  for (const escpb::Escalation* s : steps) {
    std::vector<std::string> done;
    for (const escpb::ActionResult& a : s->actions()) {
      if (a.state() == escpb::ACTION_STATE_DONE && !a.detail().empty()) {
        done.push_back(a.detail());
      } else if (a.state() == escpb::ACTION_STATE_FAILED) {
        done.push_back(absl::StrCat("failed: ", a.error()));
      } else if (a.state() == escpb::ACTION_STATE_PENDING) {
        done.push_back("pending");
      }
    }
    const std::string trigger = TriggerKindWord(s->trigger());
    if (s->skipped()) {
      causes.push_back(absl::StrCat("step ", s->level(), " ", trigger,
                                    ": skipped, already acknowledged"));
    } else {
      causes.push_back(absl::StrCat(
          "step ", s->level(), " ", trigger, ": ",
          done.empty() ? "nothing to do" : absl::StrJoin(done, "; ")));
    }
    if (s->acknowledged()) acknowledged_by = s->acknowledged_by();
  }
  if (!acknowledged_by.empty()) {
    causes.push_back(absl::StrCat("acknowledged by ", acknowledged_by));
  }
}

// How it ended: met late, cancelled (by which change), or still open.
void AddEndingCause(const BreachHistory& history, absl::Time deadline,
                    absl::Time now, std::vector<std::string>& causes) {
  const slapb::SlaEvent& breach = history.breach.event();
  const absl::Time met = ToTime(history.breach.met_time());
  if (met != absl::InfinitePast()) {
    causes.push_back(
        absl::StrCat("met ", FormatShortDuration(met - deadline), " late"));
  } else if (history.breach.state() == slapb::CLOCK_STATE_CANCELLED) {
    // The ledger says which change ended the clock.
    std::string how;
    for (const slapb::SlaEvent& e : history.sla_events) {
      if (!SameClock(e, breach) ||
          e.kind() != slapb::SLA_EVENT_KIND_CANCELLED) {
        continue;
      }
      how = absl::StrCat(" (", e.actor().empty() ? "the ticket" : e.actor(),
                         e.actor().empty() ? " became " : " set it to ",
                         StatusWord(e.status()), ", priority ",
                         PriorityWord(e.priority()), ")");
    }
    causes.push_back(absl::StrCat("cancelled before it was met", how));
  } else if (now > deadline) {
    causes.push_back(absl::StrCat(
        "still open, ", FormatShortDuration(now - deadline), " overdue"));
  }
}

}  // namespace

std::vector<std::string> BreachCauses(const BreachHistory& history,
                                      absl::Time now) {
  std::vector<std::string> causes;
  const slapb::SlaEvent& breach = history.breach.event();
  const absl::Time deadline = ToTime(breach.occur_time());
  const absl::Time start = ClockStart(history, breach);
  AddHolderCauses(history, start, deadline, causes);
  AddQueueCauses(history, start, deadline, causes);
  AddPauseCauses(history, breach, deadline, causes);
  causes.push_back(HeldAtDeadline(breach));
  AddStepCauses(history, breach, causes);
  AddEndingCause(history, deadline, now, causes);
  return causes;
}

}  // namespace cxdesk::clients::cli
