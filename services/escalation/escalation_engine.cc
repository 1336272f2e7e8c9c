#include "services/escalation/escalation_engine.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "services/common/json_text.h"
#include "services/common/log.h"
#include "services/common/status_macros.h"
#include "services/escalation/routing.h"

namespace cxdesk::escalation {

absl::StatusOr<std::shared_ptr<const Directory>> DirectoryCache::Current() {
  CXDESK_ASSIGN_OR_RETURN(int64_t revision, store_.ConfigRevision());
  {
    absl::MutexLock lock(&mu_);
    if (directory_ != nullptr && directory_->revision >= revision) {
      return directory_;
    }
  }
  // Loaded outside the lock: a slow load must not block readers of a
  // revision that is already cached.
  CXDESK_ASSIGN_OR_RETURN(Directory loaded, store_.LoadDirectory());
  auto fresh = std::make_shared<const Directory>(std::move(loaded));
  absl::MutexLock lock(&mu_);
  if (directory_ == nullptr || directory_->revision < fresh->revision) {
    directory_ = fresh;
  }
  return directory_;
}

namespace {

// The strategy of a team that no rule named (the default team, a ladder's
// "other team"): capacity-aware, which is what a catch-all needs.
constexpr Strategy kFallbackStrategy = Strategy::kLeastLoaded;

// The JSON body POSTed to a team's webhook for one notification.
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

std::string MetricWords(const std::string& metric) {
  std::string out = metric;
  std::replace(out.begin(), out.end(), '_', ' ');
  return out;
}

std::vector<std::string> MemberIds(const Directory& dir,
                                   const std::string& team) {
  std::vector<std::string> ids;
  for (const Agent& a : dir.agents) {
    if (std::find(a.teams.begin(), a.teams.end(), team) != a.teams.end()) {
      ids.push_back(a.id);
    }
  }
  return ids;
}

}  // namespace

// Everything one unit of work needs: the transaction, the directory it
// decides on, and the instant it decides at.
class Engine::Unit {
 public:
  Unit(Engine& engine, EscalationTxn& txn, const Directory& dir, absl::Time now)
      : e_(engine), txn_(txn), dir_(dir), now_(now) {}

  // The unit reads each ticket, agent load and round-robin position once
  // and keeps them for the rest of the transaction (every write goes
  // through it, and the team and ticket locks it takes keep other writers
  // out), so a batch costs a few statements per ticket, not a dozen.

  // Reads the tickets of a batch in one statement.
  absl::Status Prefetch(std::vector<int64_t> ids) {
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    CXDESK_ASSIGN_OR_RETURN(std::vector<TicketView> found,
                            txn_.GetTickets(ids));
    for (int64_t id : ids) tickets_[id] = std::nullopt;
    for (TicketView& t : found) tickets_[t.id] = std::move(t);
    return absl::OkStatus();
  }

  absl::StatusOr<std::optional<TicketView>> Ticket(int64_t id) {
    if (auto it = tickets_.find(id); it != tickets_.end()) return it->second;
    CXDESK_ASSIGN_OR_RETURN(std::optional<TicketView> t, txn_.GetTicket(id));
    tickets_[id] = t;
    return t;
  }

  // Writes `t` and keeps the cached loads in step with the row's trigger.
  absl::Status Put(const TicketView& t) {
    std::string before;
    if (auto it = tickets_.find(t.id);
        it != tickets_.end() && it->second.has_value() && it->second->Open()) {
      before = it->second->LoadOf();
    }
    const std::string after = t.Open() ? t.LoadOf() : std::string();
    if (before != after) {
      if (auto it = loads_.find(before);
          !before.empty() && it != loads_.end()) {
        --it->second;
      }
      if (auto it = loads_.find(after); !after.empty() && it != loads_.end()) {
        ++it->second;
      }
    }
    CXDESK_RETURN_IF_ERROR(txn_.PutTicket(t));
    tickets_[t.id] = t;
    return absl::OkStatus();
  }

  // Routes `t` (trigger kNewTicket or kManual): records the decision and
  // queues the assignment; updates `t` (caller stores it).
  absl::StatusOr<Decision> Route(TicketView& t, RoutingTrigger trigger) {
    Decision d;
    d.ticket_id = t.id;
    d.at = now_;
    d.trigger = trigger;
    std::optional<std::string> why = PickTeam(t.route, d);
    if (!why.has_value()) {
      t.routed = true;
      CXDESK_ASSIGN_OR_RETURN(d.id, txn_.AddDecision(d));
      return d;
    }
    t.strategy = d.strategy;
    CXDESK_RETURN_IF_ERROR(Decide(t, d));
    d.explanation = absl::StrCat(*why, "; ", d.explanation);
    CXDESK_ASSIGN_OR_RETURN(d.id, txn_.AddDecision(d));
    CXDESK_RETURN_IF_ERROR(QueueAssignment(t, d));
    t.routed = true;
    return d;
  }

  // Assigns waiting tickets of `team` while someone has capacity.
  absl::Status Drain(const std::string& team) {
    const TeamRecord* record = dir_.FindTeam(team);
    if (record == nullptr) return absl::OkStatus();
    CXDESK_RETURN_IF_ERROR(txn_.LockTeam(team));
    CXDESK_ASSIGN_OR_RETURN(std::vector<QueuedTicket> queue,
                            txn_.TeamQueue(team));
    SortQueue(queue);
    for (const QueuedTicket& q : queue) {
      CXDESK_ASSIGN_OR_RETURN(std::optional<TicketView> found,
                              Ticket(q.ticket_id));
      if (!found.has_value()) continue;
      TicketView& t = *found;
      if (!t.Open() || !t.assignee.empty() || t.team != team) {
        t.queued_at.reset();  // Taken by hand meanwhile, or closed.
        CXDESK_RETURN_IF_ERROR(Put(t));
        continue;
      }
      Decision d;
      d.ticket_id = t.id;
      d.at = now_;
      d.trigger = RoutingTrigger::kCapacityFreed;
      d.team = team;
      d.strategy =
          t.strategy == Strategy::kQueueOnly ? kFallbackStrategy : t.strategy;
      const absl::Time waited_since = t.queued_at.value_or(now_);
      CXDESK_RETURN_IF_ERROR(Decide(t, d, /*lock=*/false));
      if (d.outcome != RoutingOutcome::kAssigned) break;  // Still full.
      t.queued_at.reset();
      d.explanation =
          absl::StrCat("left the queue of team ", team, " after ",
                       absl::FormatDuration(absl::Trunc(now_ - waited_since,
                                                        absl::Milliseconds(1))),
                       " (next deadline first); ", d.explanation);
      CXDESK_ASSIGN_OR_RETURN(d.id, txn_.AddDecision(d));
      CXDESK_RETURN_IF_ERROR(QueueAssignment(t, d));
      CXDESK_RETURN_IF_ERROR(Put(t));
    }
    return absl::OkStatus();
  }

  // A dry run: the decision without recording anything.
  absl::StatusOr<Decision> DryRun(const TicketToRoute& route) {
    TicketView t;
    t.route = route;
    t.status = "new";
    Decision d;
    d.at = now_;
    d.trigger = RoutingTrigger::kDryRun;
    std::optional<std::string> why = PickTeam(route, d);
    if (!why.has_value()) return d;
    CXDESK_RETURN_IF_ERROR(
        Decide(t, d, /*lock=*/false, /*keep_position=*/false));
    d.explanation = absl::StrCat(*why, "; ", d.explanation);
    return d;
  }

  // Applies an SLA signal to the cycle's ladder and runs the due steps.
  absl::Status Signal(const SlaEventIn& e, const Ladder* ladder) {
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
    CXDESK_ASSIGN_OR_RETURN(std::optional<CycleState> found,
                            txn_.GetCycle(key));
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
      CXDESK_ASSIGN_OR_RETURN(std::optional<TicketView> t, Ticket(e.ticket_id));
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

  // An after-breach timer of `t` fired.
  absl::Status Timer(const DueTimer& t) {
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

 private:
  // Sets d's rule, team and strategy from the first matching rule, or the
  // default team; returns why, or nullopt if nothing takes the ticket (then
  // d is complete: routed nowhere, with its explanation).
  std::optional<std::string> PickTeam(const TicketToRoute& route,
                                      Decision& d) const {
    if (const RoutingRule* rule = MatchRule(dir_.rules, route);
        rule != nullptr) {
      d.rule_id = rule->id;
      d.team = rule->team;
      d.strategy = rule->strategy;
      return absl::StrCat("rule ", rule->id, " (position ", rule->position,
                          ") matched: team ", rule->team, ", ",
                          Name(rule->strategy));
    }
    if (const TeamRecord* def = dir_.DefaultTeam(); def != nullptr) {
      d.team = def->team.id;
      d.strategy = kFallbackStrategy;
      return absl::StrCat("no rule matched: default team ", d.team, ", ",
                          Name(d.strategy));
    }
    d.outcome = RoutingOutcome::kRouted;
    d.explanation =
        "no rule matched and there is no default team: left unrouted";
    return std::nullopt;
  }

  // Chooses the agent of d.team under d.strategy for `t`; fills the
  // decision's outcome, agent, candidates and explanation, and `t`'s team,
  // pending assignee and queue time. `lock`: take the team's lock first
  // (the caller holds it otherwise); `keep_position`: keep the round-robin
  // position (not for a dry run).
  absl::Status Decide(TicketView& t, Decision& d, bool lock = true,
                      bool keep_position = true) {
    const TeamRecord* record = dir_.FindTeam(d.team);
    if (record == nullptr) {
      d.outcome = RoutingOutcome::kRouted;
      d.explanation = absl::StrCat("team ", d.team, " does not exist");
      return absl::OkStatus();
    }
    if (lock) CXDESK_RETURN_IF_ERROR(txn_.LockTeam(d.team));
    using Loads = std::map<std::string, int>;
    CXDESK_ASSIGN_OR_RETURN(Loads open, this->Loads(MemberIds(dir_, d.team)));
    RoundRobinState rr;
    if (d.strategy == Strategy::kRoundRobin) {
      CXDESK_ASSIGN_OR_RETURN(rr, RoundRobin(d.team));
    }
    CXDESK_ASSIGN_OR_RETURN(
        Assignment a, ChooseAgent(record->team, dir_.agents, open, d.strategy,
                                  t.route, rr, [&](const Agent& agent) {
                                    return InShift(agent, *record);
                                  }));
    d.candidates = a.candidates;
    d.explanation = a.explanation;
    t.team = d.team;
    if (a.agent.has_value()) {
      d.outcome = RoutingOutcome::kAssigned;
      d.agent = *a.agent;
      t.pending_assignee = *a.agent;
      t.queued_at.reset();
      if (d.strategy == Strategy::kRoundRobin && keep_position) {
        CXDESK_RETURN_IF_ERROR(SetRoundRobin(d.team, a.next_state));
      }
    } else if (d.strategy == Strategy::kQueueOnly) {
      d.outcome = RoutingOutcome::kRouted;
    } else {
      d.outcome = RoutingOutcome::kQueued;
      if (!t.queued_at.has_value()) t.queued_at = now_;
    }
    return absl::OkStatus();
  }

  bool InShift(const Agent& agent, const TeamRecord& team) const {
    const std::string& calendar = agent.shift_calendar.empty()
                                      ? team.team.default_calendar
                                      : agent.shift_calendar;
    if (calendar.empty() || e_.shifts_ == nullptr) return true;
    return e_.shifts_->InShift(calendar, now_);
  }

  // Queues the AssignTicket the decision asks for (the team alone when
  // nobody was chosen).
  absl::Status QueueAssignment(const TicketView& t, const Decision& d) {
    ActionRecord a;
    a.ticket_id = t.id;
    a.kind = ActionRecord::Kind::kAssign;
    a.assignee = d.agent;
    a.team = d.team;
    a.decision_id = d.id;
    a.request_id = absl::StrCat(e_.options_.request_prefix, "-route-", d.id);
    a.next_attempt = now_;
    a.create_time = now_;
    return txn_.AddAction(a).status();
  }

  absl::Status ArmPending(CycleState& cycle, const Ladder& ladder) {
    if (cycle.ladder.met_or_cancelled) return txn_.DisarmTimers(cycle.key);
    for (const TimerRequest& r : PendingTimers(ladder, cycle.ladder)) {
      CXDESK_RETURN_IF_ERROR(txn_.ArmTimer(cycle.key, r.level, r.due));
    }
    return absl::OkStatus();
  }

  // Records a step, its notifications and deliveries, and queues its
  // ticket actions. `e` is the SLA event that triggered it (null for a
  // timer).
  absl::Status RunStep(CycleState& cycle, const Ladder& ladder,
                       const DueStep& step, const SlaEventIn* e) {
    const CycleKey& key = cycle.key;
    CXDESK_ASSIGN_OR_RETURN(std::optional<TicketView> found,
                            Ticket(key.ticket_id));
    TicketView t;
    if (found.has_value()) {
      t = *std::move(found);
    } else {
      t.id = key.ticket_id;
      t.route.id = key.ticket_id;
      if (e != nullptr) {
        t.team = e->team;
        t.assignee = e->assignee;
        t.route.priority = e->priority;
      }
    }
    const TeamRecord* team = dir_.FindTeam(t.team);
    EscalationRecord rec;
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
    // Who each notify action reaches.
    std::vector<std::string> recipients(step.actions.size());
    for (size_t i = 0; i < step.actions.size(); ++i) {
      const Action& a = step.actions[i];
      if (a.kind != Action::Kind::kNotify) continue;
      std::string who;
      switch (a.recipient.kind) {
        case Recipient::Kind::kAssignee:
          who = t.LoadOf();
          if (who.empty() && team != nullptr) who = team->team.lead;
          break;
        case Recipient::Kind::kTeamLead:
          if (team != nullptr) who = team->team.lead;
          break;
        case Recipient::Kind::kTeamManager:
          if (team != nullptr) who = team->team.manager;
          break;
        case Recipient::Kind::kNamed:
          who = a.recipient.name;
          break;
        case Recipient::Kind::kNone:
          break;
      }
      recipients[i] = who;
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

    const std::string title = absl::StrCat(
        "Ticket ", key.ticket_id, ": ", MetricWords(key.metric), " ",
        rec.trigger == Trigger::Kind::kOnWarning ? "warning" : "breached",
        " (level ", step.level, ")");
    std::vector<std::string> described;
    for (const Action& a : step.actions) described.push_back(Describe(a));
    const std::string body = absl::StrCat(
        rec.explanation, "\nTeam: ", t.team.empty() ? "-" : t.team,
        "; assignee: ", t.LoadOf().empty() ? "-" : t.LoadOf(),
        "; priority: ", t.route.priority.empty() ? "-" : t.route.priority,
        "\nSteps: ", absl::StrJoin(described, ", "),
        "\nAcknowledge: cxdesk escalation ack ", rec.id);
    std::set<std::string> notified;
    for (size_t i = 0; i < step.actions.size(); ++i) {
      const Action& a = step.actions[i];
      ActionRecord r;
      r.ticket_id = key.ticket_id;
      r.escalation_id = rec.id;
      r.action_index = static_cast<int>(i);
      r.request_id =
          absl::StrCat(e_.options_.request_prefix, "-step-", rec.id, "-", i);
      r.next_attempt = now_;
      r.create_time = now_;
      if (step.skipped) {
        r.kind = a.kind == Action::Kind::kNotify ? ActionRecord::Kind::kNotify
                                                 : ActionRecord::Kind::kAddNote;
        r.state = ActionRecord::State::kSkipped;
        r.detail = "skipped: the escalation was acknowledged";
        r.done_time = now_;
        CXDESK_RETURN_IF_ERROR(txn_.AddAction(r).status());
        continue;
      }
      switch (a.kind) {
        case Action::Kind::kNotify: {
          r.kind = ActionRecord::Kind::kNotify;
          r.done_time = now_;
          const std::string& who = recipients[i];
          if (who.empty()) {
            r.state = ActionRecord::State::kFailed;
            r.error = absl::StrCat("nobody to ", Describe(a));
          } else {
            r.state = ActionRecord::State::kDone;
            r.detail = absl::StrCat("notified ", who);
            if (notified.insert(who).second) {
              CXDESK_RETURN_IF_ERROR(
                  Notify(who, t.team, team, rec, title, body));
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
      CXDESK_RETURN_IF_ERROR(txn_.AddAction(r).status());
    }
    return Put(t);
  }

  absl::Status Notify(const std::string& who, const std::string& team_id,
                      const TeamRecord* team, const EscalationRecord& rec,
                      const std::string& title, const std::string& body) {
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

  // Fills a reassign action: whom the ticket goes to, or why it cannot.
  absl::Status Reassign(const ReassignTarget& target, TicketView& t,
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
        CXDESK_RETURN_IF_ERROR(Decide(t, d));
        r.team = d.team;
        if (d.outcome == RoutingOutcome::kAssigned) {
          r.assignee = d.agent;
          r.detail = absl::StrCat("reassigned to ", d.agent, " of team ",
                                  d.team, ": ", d.explanation);
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
        using Loads = std::map<std::string, int>;
        CXDESK_ASSIGN_OR_RETURN(Loads open,
                                this->Loads(MemberIds(dir_, t.team)));
        CXDESK_ASSIGN_OR_RETURN(
            Assignment a,
            ChooseAgent(
                team->team, higher, open, Strategy::kLeastLoaded, t.route, {},
                [&](const Agent& agent) { return InShift(agent, *team); }));
        if (!a.agent.has_value()) {
          return fail(absl::StrCat("no available agent above tier ", tier,
                                   " in team ", t.team, ": ", a.explanation));
        }
        r.assignee = *a.agent;
        r.team = t.team;
        r.detail = absl::StrCat("reassigned to ", *a.agent, " (tier above ",
                                tier, "): ", a.explanation);
        break;
      }
      case ReassignTarget::Kind::kNone:
        return fail("no reassign target");
    }
    t.pending_assignee = r.assignee;
    t.queued_at.reset();
    return absl::OkStatus();
  }

  // Open tickets of `agents`, read once per agent and unit.
  absl::StatusOr<std::map<std::string, int>> Loads(
      const std::vector<std::string>& agents) {
    std::vector<std::string> missing;
    for (const std::string& a : agents) {
      if (loads_.count(a) == 0) missing.push_back(a);
    }
    if (!missing.empty()) {
      using Counts = std::map<std::string, int>;
      CXDESK_ASSIGN_OR_RETURN(Counts read, txn_.OpenTickets(missing));
      for (const std::string& a : missing) loads_[a] = read[a];
    }
    std::map<std::string, int> out;
    for (const std::string& a : agents) out[a] = loads_[a];
    return out;
  }

  absl::StatusOr<RoundRobinState> RoundRobin(const std::string& team) {
    if (auto it = round_robin_.find(team); it != round_robin_.end()) {
      return it->second;
    }
    CXDESK_ASSIGN_OR_RETURN(RoundRobinState state, txn_.GetRoundRobin(team));
    round_robin_[team] = state;
    return state;
  }

  absl::Status SetRoundRobin(const std::string& team,
                             const RoundRobinState& state) {
    round_robin_[team] = state;
    return txn_.PutRoundRobin(team, state);
  }

  Engine& e_;
  EscalationTxn& txn_;
  const Directory& dir_;
  const absl::Time now_;
  std::map<int64_t, std::optional<TicketView>> tickets_;
  std::map<std::string, int> loads_;
  std::map<std::string, RoundRobinState> round_robin_;
};

absl::Status Engine::ApplyTicketEvents(
    const std::string& consumer, const std::vector<TicketEventIn>& events) {
  if (events.empty()) return absl::OkStatus();
  CXDESK_ASSIGN_OR_RETURN(std::shared_ptr<const Directory> dir,
                          directory_.Current());
  // Stream snapshots omit the description; word rules need it.
  std::map<int64_t, std::string> descriptions;
  if (dir->RulesReadWords()) {
    for (const TicketEventIn& e : events) {
      if (e.type != "created") continue;
      absl::StatusOr<TicketToRoute> full = gateway_.GetTicket(e.ticket_id);
      if (full.ok()) {
        descriptions[e.ticket_id] = full->description;
      } else if (full.status().code() != absl::StatusCode::kNotFound) {
        return full.status();
      }
    }
  }
  const absl::Time now = clock_.Now();
  CXDESK_RETURN_IF_ERROR(store_.Run([&](EscalationTxn& txn) -> absl::Status {
    Unit unit(*this, txn, *dir, now);
    std::vector<int64_t> ids;
    for (const TicketEventIn& e : events) ids.push_back(e.ticket_id);
    CXDESK_RETURN_IF_ERROR(unit.Prefetch(std::move(ids)));
    std::set<std::string> drain;
    auto freed = [&](const std::string& agent) {
      if (const Agent* a = dir->FindAgent(agent); a != nullptr) {
        drain.insert(a->teams.begin(), a->teams.end());
      }
    };
    for (const TicketEventIn& e : events) {
      CXDESK_ASSIGN_OR_RETURN(std::optional<TicketView> prev,
                              unit.Ticket(e.ticket_id));
      if (prev.has_value() && prev->version >= e.after.version) continue;
      TicketView t = e.after;
      t.id = e.ticket_id;
      t.route.id = e.ticket_id;
      if (prev.has_value()) {
        t.pending_assignee = prev->pending_assignee;
        t.queued_at = prev->queued_at;
        t.strategy = prev->strategy;
        t.routed = prev->routed;
      }
      // A routing assignment not carried out yet is obsolete once the
      // ticket is closed or someone else assigned it (e.g. a stream
      // replayed from the start on a desk that ran without this service).
      if (prev.has_value() &&
          (!t.Open() ||
           (e.type == "assigned" && !prev->pending_assignee.empty() &&
            t.assignee != prev->pending_assignee))) {
        CXDESK_RETURN_IF_ERROR(txn.CancelRoutingActions(
            t.id,
            !t.Open() ? absl::StrCat("skipped: the ticket is ", t.status)
                      : absl::StrCat("skipped: assigned to ", t.assignee,
                                     " meanwhile"),
            now));
        t.pending_assignee.clear();
      }
      // An assignment came through (ours or someone's): nothing pending.
      if (e.type == "assigned") t.pending_assignee.clear();
      if (!t.assignee.empty() || !t.Open()) t.queued_at.reset();
      if (prev.has_value()) {
        const std::string before = prev->LoadOf();
        if (prev->Open() && !before.empty() &&
            (!t.Open() || t.LoadOf() != before)) {
          freed(before);  // Solved, closed or reassigned: a slot freed.
        }
        // Moved to another team by hand, unassigned: it waits there.
        if (t.Open() && t.team != prev->team && !t.team.empty() &&
            t.LoadOf().empty()) {
          t.queued_at = now;
          drain.insert(t.team);
        }
      }
      if (e.type == "created" && !t.routed) {
        if (auto it = descriptions.find(t.id); it != descriptions.end()) {
          t.route.description = it->second;
        }
        CXDESK_RETURN_IF_ERROR(
            unit.Route(t, RoutingTrigger::kNewTicket).status());
      }
      CXDESK_RETURN_IF_ERROR(unit.Put(t));
    }
    for (const std::string& team : drain) {
      CXDESK_RETURN_IF_ERROR(unit.Drain(team));
    }
    return txn.SetCursor(consumer, events.back().cursor);
  }));
  return absl::OkStatus();
}

absl::Status Engine::ApplySlaEvents(const std::string& consumer,
                                    const std::vector<SlaEventIn>& events) {
  if (events.empty()) return absl::OkStatus();
  CXDESK_ASSIGN_OR_RETURN(std::shared_ptr<const Directory> dir,
                          directory_.Current());
  const absl::Time now = clock_.Now();
  CXDESK_RETURN_IF_ERROR(store_.Run([&](EscalationTxn& txn) -> absl::Status {
    Unit unit(*this, txn, *dir, now);
    for (const SlaEventIn& e : events) {
      if (e.kind == "started" || e.kind == "resumed" ||
          e.kind == "retargeted") {
        CXDESK_RETURN_IF_ERROR(
            txn.SetClockDeadline(e.ticket_id, e.metric, e.deadline));
      } else if (e.kind == "paused" || e.kind == "met" ||
                 e.kind == "cancelled") {
        CXDESK_RETURN_IF_ERROR(
            txn.SetClockDeadline(e.ticket_id, e.metric, std::nullopt));
      }
      CXDESK_RETURN_IF_ERROR(unit.Signal(e, dir->FindLadder(e.metric)));
    }
    return txn.SetCursor(consumer, events.back().cursor);
  }));
  return absl::OkStatus();
}

absl::StatusOr<int> Engine::FireTimers(absl::Time now, int limit,
                                       const std::string& replica) {
  CXDESK_ASSIGN_OR_RETURN(std::shared_ptr<const Directory> dir,
                          directory_.Current());
  CXDESK_ASSIGN_OR_RETURN(
      int fired,
      store_.FireDueTimers(now, limit, replica,
                           [&](EscalationTxn& txn, const DueTimer& t) {
                             return Unit(*this, txn, *dir, now).Timer(t);
                           }));
  return fired;
}

absl::StatusOr<Decision> Engine::DryRun(const TicketToRoute& ticket) {
  CXDESK_ASSIGN_OR_RETURN(std::shared_ptr<const Directory> dir,
                          directory_.Current());
  Decision out;
  // Read-only, but in a unit of work for a consistent view of the loads;
  // the transaction writes nothing.
  CXDESK_RETURN_IF_ERROR(store_.Run([&](EscalationTxn& txn) -> absl::Status {
    CXDESK_ASSIGN_OR_RETURN(
        out, Unit(*this, txn, *dir, clock_.Now()).DryRun(ticket));
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<Decision> Engine::Reroute(int64_t ticket_id) {
  CXDESK_ASSIGN_OR_RETURN(std::shared_ptr<const Directory> dir,
                          directory_.Current());
  CXDESK_ASSIGN_OR_RETURN(TicketToRoute full, gateway_.GetTicket(ticket_id));
  Decision out;
  CXDESK_RETURN_IF_ERROR(store_.Run([&](EscalationTxn& txn) -> absl::Status {
    Unit unit(*this, txn, *dir, clock_.Now());
    CXDESK_ASSIGN_OR_RETURN(std::optional<TicketView> found,
                            unit.Ticket(ticket_id));
    if (!found.has_value()) {
      return absl::NotFoundError(absl::StrCat(
          "ticket ", ticket_id, " has not reached the escalation service"));
    }
    TicketView t = *std::move(found);
    if (!t.Open()) {
      return absl::FailedPreconditionError(
          absl::StrCat("ticket ", ticket_id, " is ", t.status));
    }
    t.route.description = full.description;
    t.pending_assignee.clear();
    t.queued_at.reset();
    CXDESK_ASSIGN_OR_RETURN(out, unit.Route(t, RoutingTrigger::kManual));
    return unit.Put(t);
  }));
  return out;
}

absl::Status Engine::DrainTeams(const std::vector<std::string>& teams) {
  if (teams.empty()) return absl::OkStatus();
  CXDESK_ASSIGN_OR_RETURN(std::shared_ptr<const Directory> dir,
                          directory_.Current());
  CXDESK_RETURN_IF_ERROR(store_.Run([&](EscalationTxn& txn) -> absl::Status {
    Unit unit(*this, txn, *dir, clock_.Now());
    std::vector<std::string> sorted = teams;
    std::sort(sorted.begin(), sorted.end());
    for (const std::string& team : sorted) {
      CXDESK_RETURN_IF_ERROR(unit.Drain(team));
    }
    return absl::OkStatus();
  }));
  return absl::OkStatus();
}

absl::StatusOr<EscalationRecord> Engine::Acknowledge(int64_t id,
                                                     const std::string& who) {
  CXDESK_ASSIGN_OR_RETURN(EscalationRecord step, store_.GetEscalation(id));
  const absl::Time now = clock_.Now();
  CXDESK_RETURN_IF_ERROR(store_.Run([&](EscalationTxn& txn) -> absl::Status {
    CXDESK_RETURN_IF_ERROR(txn.LockTicket(step.key.ticket_id));
    CXDESK_ASSIGN_OR_RETURN(std::optional<CycleState> found,
                            txn.GetCycle(step.key));
    CycleState cycle =
        found.value_or(CycleState{step.key, {}, "", std::nullopt});
    if (cycle.ladder.acknowledged) return absl::OkStatus();  // First one kept.
    escalation::Acknowledge(cycle.ladder);
    cycle.acknowledged_by = who;
    cycle.acknowledge_time = now;
    return txn.PutCycle(cycle);
  }));
  return store_.GetEscalation(id);
}

}  // namespace cxdesk::escalation
