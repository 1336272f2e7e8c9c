#include "services/escalation/ladder_unit.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "services/common/json_text.h"
#include "services/common/status_macros.h"
#include "services/escalation/routing.h"

namespace cxdesk::escalation {

std::string WebhookPayload(const NotificationRecord& n, int64_t id) {
  return absl::StrCat(
      "{\"event\":\"escalation.notification\",\"notification_id\":", id,
      ",\"ticket_id\":", n.ticket_id, ",\"escalation_id\":", n.escalation_id,
      ",\"level\":", n.level, ",\"metric\":", common::JsonQuote(n.metric),
      ",\"recipient\":", common::JsonQuote(n.recipient),
      ",\"team\":", common::JsonQuote(n.team),
      ",\"title\":", common::JsonQuote(n.title),
      ",\"body\":", common::JsonQuote(n.body), ",\"created_at\":",
      common::JsonQuote(absl::FormatTime(absl::RFC3339_full, n.create_time,
                                         absl::UTCTimeZone())),
      "}");
}

namespace {

std::string MetricWords(const std::string& metric) {
  std::string out = metric;
  std::replace(out.begin(), out.end(), '_', ' ');
  return out;
}

// Whom a notify action reaches for ticket `t` of `team` ("" = nobody).
std::string RecipientOf(const Action& a, const TicketView& t,
                        const TeamRecord* team) {
  switch (a.recipient.kind) {
    case Recipient::Kind::kAssignee: {
      std::string who = t.LoadOf();
      if (who.empty() && team != nullptr) who = team->team.lead;
      return who;
    }
    case Recipient::Kind::kTeamLead:
      return team != nullptr ? team->team.lead : std::string();
    case Recipient::Kind::kTeamManager:
      return team != nullptr ? team->team.manager : std::string();
    case Recipient::Kind::kNamed:
      return a.recipient.name;
    case Recipient::Kind::kNone:
      break;
  }
  return std::string();
}

}  // namespace

absl::Status LadderUnit::Signal(const SlaEventIn& e, const Ladder* ladder) {
  SlaSignal signal;
  signal.at = e.occur_time;
  if (e.kind == "warned") {
    signal.kind = SlaSignal::Kind::kWarned;
  } else if (e.kind == "breached") {
    signal.kind = SlaSignal::Kind::kBreached;
  } else if (e.kind == "met") {
    signal.kind = SlaSignal::Kind::kMet;
  } else if (e.kind == "cancelled") {
    signal.kind = SlaSignal::Kind::kCancelled;
  } else {
    return absl::OkStatus();
  }
  const bool stops = signal.kind == SlaSignal::Kind::kMet ||
                     signal.kind == SlaSignal::Kind::kCancelled;
  CycleKey key{e.ticket_id, e.metric, e.cycle};
  CXDESK_RETURN_IF_ERROR(txn_.LockTicket(e.ticket_id));
  CXDESK_ASSIGN_OR_RETURN(std::optional<CycleState> found, txn_.GetCycle(key));
  // Most clocks are met without ever warning: no row for them.
  if (stops && !found.has_value()) return absl::OkStatus();
  if (ladder == nullptr && !found.has_value()) return absl::OkStatus();
  CycleState cycle = found.value_or(CycleState{key, {}, "", std::nullopt});
  if (ladder == nullptr) {
    // The ladder was deleted mid-cycle: nothing more runs.
    cycle.ladder.met_or_cancelled = cycle.ladder.met_or_cancelled || stops;
    CXDESK_RETURN_IF_ERROR(txn_.DisarmTimers(key));
    return txn_.PutCycle(cycle);
  }
  std::vector<DueStep> due = OnSignal(*ladder, cycle.ladder, signal);
  if (!due.empty()) {
    // A step acts on the ticket's team and assignee: wait until the ticket
    // stream has brought the ticket and it was routed (the two streams
    // are independent; under a backlog a breach can come first). The
    // error rolls the batch back and the consumer retries it.
    CXDESK_ASSIGN_OR_RETURN(std::optional<TicketView> t,
                            routing_.Ticket(e.ticket_id));
    if (!t.has_value() || !t->routed) {
      return absl::UnavailableError(
          absl::StrCat("ticket ", e.ticket_id,
                       " is not routed yet; waiting for the ticket stream"));
    }
  }
  for (const DueStep& step : due) {
    CXDESK_RETURN_IF_ERROR(RunStep(cycle, *ladder, step, &e));
  }
  CXDESK_RETURN_IF_ERROR(ArmPending(cycle, *ladder));
  return txn_.PutCycle(cycle);
}

absl::Status LadderUnit::Timer(const DueTimer& t) {
  const Ladder* ladder = dir_.FindLadder(t.key.metric);
  if (ladder == nullptr) return absl::OkStatus();
  CXDESK_ASSIGN_OR_RETURN(std::optional<CycleState> found,
                          txn_.GetCycle(t.key));
  if (!found.has_value()) return absl::OkStatus();
  CycleState cycle = *std::move(found);
  // Recorded at its due instant (a late claim keeps the ladder's times).
  std::vector<DueStep> due =
      OnTimer(*ladder, cycle.ladder, t.level, std::max(t.due, now_));
  for (DueStep& step : due) {
    step.at = t.due;
    CXDESK_RETURN_IF_ERROR(RunStep(cycle, *ladder, step, nullptr));
  }
  return txn_.PutCycle(cycle);
}

absl::Status LadderUnit::ArmPending(CycleState& cycle, const Ladder& ladder) {
  if (cycle.ladder.met_or_cancelled) return txn_.DisarmTimers(cycle.key);
  for (const TimerRequest& r : PendingTimers(ladder, cycle.ladder)) {
    CXDESK_RETURN_IF_ERROR(txn_.ArmTimer(cycle.key, r.level, r.due));
  }
  return absl::OkStatus();
}

absl::Status LadderUnit::RunStep(CycleState& cycle, const Ladder& ladder,
                                 const DueStep& step, const SlaEventIn* e) {
  CXDESK_ASSIGN_OR_RETURN(TicketView t, StepTicket(cycle.key, e));
  const TeamRecord* team = dir_.FindTeam(t.team);
  CXDESK_ASSIGN_OR_RETURN(StepMessage message,
                          RecordStep(cycle.key, ladder, step, t, team));
  std::set<std::string> notified;
  for (size_t i = 0; i < step.actions.size(); ++i) {
    CXDESK_RETURN_IF_ERROR(RunAction(i, step, message, t, team, notified));
  }
  return routing_.Put(t);
}

absl::StatusOr<TicketView> LadderUnit::StepTicket(const CycleKey& key,
                                                  const SlaEventIn* e) {
  CXDESK_ASSIGN_OR_RETURN(std::optional<TicketView> found,
                          routing_.Ticket(key.ticket_id));
  if (found.has_value()) return *std::move(found);
  TicketView t;
  t.id = key.ticket_id;
  t.route.id = key.ticket_id;
  if (e != nullptr) {
    t.team = e->team;
    t.assignee = e->assignee;
    t.route.priority = e->priority;
  }
  return t;
}

absl::StatusOr<LadderUnit::StepMessage> LadderUnit::RecordStep(
    const CycleKey& key, const Ladder& ladder, const DueStep& step,
    const TicketView& t, const TeamRecord* team) {
  StepMessage m;
  EscalationRecord& rec = m.record;
  rec.key = key;
  rec.level = step.level;
  for (const Step& s : ladder.steps) {
    if (s.level == step.level) rec.trigger = s.trigger.kind;
  }
  rec.team = t.team;
  rec.occur_time = step.at;
  rec.record_time = now_;
  rec.skipped = step.skipped;
  rec.actions = step.actions;
  std::vector<std::string> notes;
  m.recipients.resize(step.actions.size());
  for (size_t i = 0; i < step.actions.size(); ++i) {
    const Action& a = step.actions[i];
    if (a.kind != Action::Kind::kNotify) continue;
    const std::string who = RecipientOf(a, t, team);
    m.recipients[i] = who;
    if (who.empty()) {
      notes.push_back(absl::StrCat("nobody to ", Describe(a)));
    } else if (std::find(rec.recipients.begin(), rec.recipients.end(), who) ==
                   rec.recipients.end() &&
               !step.skipped) {
      rec.recipients.push_back(who);
    }
  }
  rec.explanation = step.explanation;
  if (!notes.empty()) {
    absl::StrAppend(&rec.explanation, " (", absl::StrJoin(notes, "; "), ")");
  }
  CXDESK_ASSIGN_OR_RETURN(rec.id, txn_.AddEscalation(rec));

  m.title = absl::StrCat(
      "Ticket ", key.ticket_id, ": ", MetricWords(key.metric), " ",
      rec.trigger == Trigger::Kind::kOnWarning ? "warning" : "breached",
      " (level ", step.level, ")");
  std::vector<std::string> described;
  for (const Action& a : step.actions) described.push_back(Describe(a));
  m.body = absl::StrCat(
      rec.explanation, "\nTeam: ", t.team.empty() ? "-" : t.team,
      "; assignee: ", t.LoadOf().empty() ? "-" : t.LoadOf(),
      "; priority: ", t.route.priority.empty() ? "-" : t.route.priority,
      "\nSteps: ", absl::StrJoin(described, ", "),
      "\nAcknowledge: cxdesk escalation ack ", rec.id);
  return m;
}

absl::Status LadderUnit::RunAction(size_t i, const DueStep& step,
                                   const StepMessage& message, TicketView& t,
                                   const TeamRecord* team,
                                   std::set<std::string>& notified) {
  const EscalationRecord& rec = message.record;
  const Action& a = step.actions[i];
  ActionRecord r;
  r.ticket_id = rec.key.ticket_id;
  r.escalation_id = rec.id;
  r.action_index = static_cast<int>(i);
  r.request_id =
      absl::StrCat(routing_.request_prefix(), "-step-", rec.id, "-", i);
  r.next_attempt = now_;
  r.create_time = now_;
  if (step.skipped) {
    r.kind = a.kind == Action::Kind::kNotify ? ActionRecord::Kind::kNotify
                                             : ActionRecord::Kind::kAddNote;
    r.state = ActionRecord::State::kSkipped;
    r.detail = "skipped: the escalation was acknowledged";
    r.done_time = now_;
    return txn_.AddAction(r).status();
  }
  switch (a.kind) {
    case Action::Kind::kNotify: {
      r.kind = ActionRecord::Kind::kNotify;
      r.done_time = now_;
      const std::string& who = message.recipients[i];
      if (who.empty()) {
        r.state = ActionRecord::State::kFailed;
        r.error = absl::StrCat("nobody to ", Describe(a));
      } else {
        r.state = ActionRecord::State::kDone;
        r.detail = absl::StrCat("notified ", who);
        if (notified.insert(who).second) {
          CXDESK_RETURN_IF_ERROR(
              Notify(who, t.team, team, rec, message.title, message.body));
        } else {
          absl::StrAppend(&r.detail, " (once for this step)");
        }
      }
      break;
    }
    case Action::Kind::kRaisePriority:
      r.kind = ActionRecord::Kind::kRaisePriority;
      break;
    case Action::Kind::kAddNote:
      r.kind = ActionRecord::Kind::kAddNote;
      r.note = a.note;
      break;
    case Action::Kind::kReassign:
      r.kind = ActionRecord::Kind::kAssign;
      CXDESK_RETURN_IF_ERROR(Reassign(a.reassign, t, team, r));
      break;
  }
  return txn_.AddAction(r).status();
}

absl::Status LadderUnit::Notify(const std::string& who,
                                const std::string& team_id,
                                const TeamRecord* team,
                                const EscalationRecord& rec,
                                const std::string& title,
                                const std::string& body) {
  NotificationRecord n;
  n.recipient = who;
  n.ticket_id = rec.key.ticket_id;
  n.escalation_id = rec.id;
  n.level = rec.level;
  n.metric = rec.key.metric;
  n.title = title;
  n.body = body;
  n.team = team_id;
  n.create_time = now_;
  CXDESK_ASSIGN_OR_RETURN(int64_t id, txn_.AddNotification(n));
  if (team == nullptr || team->webhook_url.empty()) return absl::OkStatus();
  DeliveryRecord d;
  d.team = team->team.id;
  d.notification_id = id;
  d.url = team->webhook_url;
  d.payload = WebhookPayload(n, id);
  d.next_attempt = now_;
  return txn_.AddDelivery(d).status();
}

absl::Status LadderUnit::Reassign(const ReassignTarget& target, TicketView& t,
                                  const TeamRecord* team, ActionRecord& r) {
  auto fail = [&](std::string why) {
    r.state = ActionRecord::State::kFailed;
    r.error = std::move(why);
    r.done_time = now_;
    return absl::OkStatus();
  };
  switch (target.kind) {
    case ReassignTarget::Kind::kTeamLead: {
      if (team == nullptr || team->team.lead.empty()) {
        return fail(absl::StrCat("team ", t.team.empty() ? "-" : t.team,
                                 " has no lead"));
      }
      r.assignee = team->team.lead;
      r.team = t.team;
      r.detail = absl::StrCat("reassigned to team lead ", r.assignee);
      break;
    }
    case ReassignTarget::Kind::kOtherTeam: {
      const TeamRecord* other = dir_.FindTeam(target.team);
      if (other == nullptr) {
        return fail(absl::StrCat("team ", target.team, " does not exist"));
      }
      Decision d;
      d.team = other->team.id;
      d.strategy = kFallbackStrategy;
      t.queued_at.reset();
      t.strategy = kFallbackStrategy;
      CXDESK_RETURN_IF_ERROR(routing_.Decide(t, d));
      r.team = d.team;
      if (d.outcome == RoutingOutcome::kAssigned) {
        r.assignee = d.agent;
        r.detail = absl::StrCat("reassigned to ", d.agent, " of team ", d.team,
                                ": ", d.explanation);
      } else {
        r.unassign = true;
        t.pending_assignee.clear();
        r.detail = absl::StrCat("moved to the queue of team ", d.team, ": ",
                                d.explanation);
      }
      return absl::OkStatus();
    }
    case ReassignTarget::Kind::kNextTier: {
      if (team == nullptr) return fail("the ticket has no team");
      const Agent* current = dir_.FindAgent(t.LoadOf());
      const int tier = current == nullptr ? 0 : current->tier;
      std::vector<Agent> higher;
      for (const Agent& a : dir_.agents) {
        if (a.tier > tier) higher.push_back(a);
      }
      CXDESK_RETURN_IF_ERROR(txn_.LockTeam(t.team));
      using LoadMap = std::map<std::string, int>;
      CXDESK_ASSIGN_OR_RETURN(LoadMap open,
                              routing_.Loads(MemberIds(dir_, t.team)));
      CXDESK_ASSIGN_OR_RETURN(
          Assignment a,
          ChooseAgent(team->team, higher, open, Strategy::kLeastLoaded, t.route,
                      {}, [&](const Agent& agent) {
                        return routing_.InShift(agent, *team);
                      }));
      if (!a.agent.has_value()) {
        return fail(absl::StrCat("no available agent above tier ", tier,
                                 " in team ", t.team, ": ", a.explanation));
      }
      r.assignee = *a.agent;
      r.team = t.team;
      r.detail = absl::StrCat("reassigned to ", *a.agent, " (tier above ", tier,
                              "): ", a.explanation);
      break;
    }
    case ReassignTarget::Kind::kNone:
      return fail("no reassign target");
  }
  t.pending_assignee = r.assignee;
  t.queued_at.reset();
  return absl::OkStatus();
}

}  // namespace cxdesk::escalation
