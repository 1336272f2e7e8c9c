#include "services/sla/clock_engine.h"

#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/common/status_macros.h"
#include "services/sla/business_time.h"

namespace cxdesk::sla {
namespace {

const Policy& NoPolicy() {
  static const Policy* const kNone = [] {
    auto* p = new Policy;
    p->name = "";
    return p;
  }();
  return *kNone;
}

CalendarLookup LookupIn(const SlaConfig& config) {
  return [&config](const std::string& id) { return config.FindCalendar(id); };
}

const SlaClock* FindClock(const TicketClocksState& state, Metric metric,
                          int cycle) {
  for (const SlaClock& c : state.clocks) {
    if (c.metric == metric && c.cycle == cycle) return &c;
  }
  return nullptr;
}

LedgerEvent ToLedgerEvent(const StoredTicket& ticket, const SlaTransition& t,
                          const SlaConfig& config, int64_t ticket_event_id) {
  LedgerEvent e;
  e.ticket_id = ticket.ticket_id;
  e.kind = t.kind;
  e.metric = t.metric;
  e.cycle = t.cycle;
  e.occur_time = t.at;
  e.deadline = t.deadline;
  e.policy_id = ticket.policy_id;
  e.actor = t.actor;
  e.reason = t.reason;
  e.status = t.status;
  e.met_late = t.met_late;
  e.overdue = t.overdue;
  e.ticket_event_id = ticket_event_id;
  e.team = ticket.dims.team;
  e.assignee = ticket.dims.assignee;
  e.priority = ticket.state.facts.priority;
  if (t.kind == SlaTransition::Kind::kWarned) e.warning = t.warning;
  if (t.kind == SlaTransition::Kind::kResumed) {
    e.pause_business = t.pause_business;
    e.pause_elapsed = t.pause_elapsed;
  }
  if (const SlaClock* clock = FindClock(ticket.state, t.metric, t.cycle)) {
    e.calendar_id = clock->calendar;
    e.target = clock->target;
    if (t.kind == SlaTransition::Kind::kMet) {
      const Measurement m =
          Measure(ticket, *clock, config.FindCalendar(clock->calendar));
      e.business_time = m.business_time;
      e.calendar_time = m.calendar_time;
    }
  }
  return e;
}

// Measurements of the clocks `events` touched, once each; with
// `dims_changed`, of every open clock too: a report groups an open clock by
// the ticket's team and assignee now, so a reassignment moves it.
std::vector<Measurement> TouchedMeasurements(
    const StoredTicket& ticket, const std::vector<LedgerEvent>& events,
    const SlaConfig& config, bool dims_changed = false) {
  std::set<std::pair<Metric, int>> touched;
  for (const LedgerEvent& e : events) touched.insert({e.metric, e.cycle});
  std::vector<Measurement> out;
  for (const SlaClock& c : ticket.state.clocks) {
    if (touched.count({c.metric, c.cycle}) == 0 &&
        !(dims_changed && c.open())) {
      continue;
    }
    out.push_back(Measure(ticket, c, config.FindCalendar(c.calendar)));
  }
  return out;
}

constexpr std::array<absl::string_view, 7> kChangeKindNames = {
    "created",       "public_agent_reply", "customer_message",
    "internal_note", "status_changed",     "priority_changed",
    "other"};

}  // namespace

absl::string_view ChangeKindName(TicketChange::Kind kind) {
  return kChangeKindNames[static_cast<int>(kind)];
}

absl::StatusOr<TicketChange::Kind> ParseChangeKind(absl::string_view name) {
  for (size_t i = 0; i < kChangeKindNames.size(); ++i) {
    if (kChangeKindNames[i] == name) return static_cast<TicketChange::Kind>(i);
  }
  return absl::InvalidArgumentError(
      absl::StrCat("unknown change kind \"", name, "\""));
}

absl::StatusOr<SlaTransition::Kind> ParseTransitionKind(
    absl::string_view name) {
  for (int i = 0; i <= static_cast<int>(SlaTransition::Kind::kBreached); ++i) {
    const auto kind = static_cast<SlaTransition::Kind>(i);
    if (TransitionName(kind) == name) return kind;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("unknown SLA event kind \"", name, "\""));
}

absl::StatusOr<ClockState> ParseClockState(absl::string_view name) {
  for (int i = 0; i <= static_cast<int>(ClockState::kCancelled); ++i) {
    const auto state = static_cast<ClockState>(i);
    if (ClockStateName(state) == name) return state;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("unknown clock state \"", name, "\""));
}

const Policy& PolicyFor(const SlaConfig& config, const TicketFacts& facts) {
  const Policy* policy = MatchPolicy(config.policies, facts);
  return policy != nullptr ? *policy : NoPolicy();
}

Measurement Measure(const StoredTicket& ticket, const SlaClock& clock,
                    const Calendar* calendar) {
  Measurement m;
  m.ticket_id = ticket.ticket_id;
  m.metric = clock.metric;
  m.cycle = clock.cycle;
  m.policy_id = ticket.policy_id;
  m.calendar_id = clock.calendar;
  m.target = clock.target;
  m.started = clock.started;
  m.deadline = clock.deadline;
  m.ended = clock.ended;
  m.state = clock.state;
  m.breached = clock.breached;
  m.met_late = clock.state == ClockState::kMet && clock.ended > clock.deadline;
  if (clock.state == ClockState::kMet) {
    m.calendar_time = clock.ended - clock.started;
    m.business_time = calendar != nullptr
                          ? ElapsedBusinessTime(clock, *calendar, clock.ended)
                          : absl::ZeroDuration();
  }
  const TicketFacts& facts = ticket.state.facts;
  m.team = ticket.dims.team;
  m.assignee = ticket.dims.assignee;
  m.priority = facts.priority;
  m.kind = facts.kind;
  m.cx_level = facts.cx_level;
  m.channel = facts.channel;
  return m;
}

absl::StatusOr<ClockUpdate> ApplyChange(
    const std::optional<StoredTicket>& current, const RecordedChange& change,
    const SlaConfig& config) {
  ClockUpdate update;
  StoredTicket& ticket = update.ticket;
  if (current.has_value()) {
    ticket = *current;
  } else {
    ticket.ticket_id = change.ticket_id;
    ticket.create_time = change.change.at;
  }
  TicketClocks clocks(ticket.state);
  const Policy& policy = PolicyFor(config, change.change.after);
  CXDESK_ASSIGN_OR_RETURN(
      std::vector<SlaTransition> transitions,
      clocks.Apply(change.change, policy, LookupIn(config)));
  ticket.state = clocks.state();
  ticket.policy_id = policy.name;
  const bool dims_changed = ticket.dims.team != change.dims.team ||
                            ticket.dims.assignee != change.dims.assignee;
  ticket.dims = change.dims;
  if (change.csat.has_value()) ticket.csat = change.csat;
  ticket.last_event_id = change.ticket_event_id;
  ticket.update_time = change.change.at;
  for (const SlaTransition& t : transitions) {
    update.events.push_back(
        ToLedgerEvent(ticket, t, config, change.ticket_event_id));
  }
  update.armed = clocks.ArmedTimers();
  update.measurements =
      TouchedMeasurements(ticket, update.events, config, dims_changed);
  return update;
}

FireUpdate FireTimers(const StoredTicket& ticket,
                      const std::vector<ArmedTimer>& timers, absl::Time now,
                      const SlaConfig& config) {
  FireUpdate result;
  result.update.ticket = ticket;
  TicketClocks clocks(ticket.state);
  std::vector<ArmedTimer> ordered = timers;
  std::sort(ordered.begin(), ordered.end(),
            [](const ArmedTimer& a, const ArmedTimer& b) {
              return std::tie(a.spec.due, a.id) < std::tie(b.spec.due, b.id);
            });
  for (const ArmedTimer& timer : ordered) {
    absl::StatusOr<SlaTransition> t = clocks.FireTimer(timer.spec, now);
    if (!t.ok()) {
      // Not armed any more (met, paused, moved, or already fired): the
      // change that disarmed it raced with the claim. Nothing to record.
      result.outcomes.push_back({timer.id, TimerOutcome::kStale});
      continue;
    }
    // The SLA instant of a warning or breach is when it was due; when it
    // was written is the event's record time.
    t->at = timer.spec.due;
    result.update.ticket.state = clocks.state();
    result.update.events.push_back(
        ToLedgerEvent(result.update.ticket, *t, config, 0));
    result.outcomes.push_back({timer.id, TimerOutcome::kFired});
  }
  result.update.ticket.state = clocks.state();
  result.update.armed = clocks.ArmedTimers();
  result.update.measurements =
      TouchedMeasurements(result.update.ticket, result.update.events, config);
  return result;
}

std::vector<Measurement> ReplayTicket(
    const std::vector<RecordedChange>& changes, const SlaConfig& config,
    absl::Time until, std::optional<int>* csat) {
  std::optional<StoredTicket> ticket;
  std::vector<TimerSpec> armed;
  // As live: a clock's row is rewritten only by the changes and timers that
  // touch it, so an ended clock keeps the group values it ended with.
  std::map<std::pair<Metric, int>, Measurement> rows;
  std::vector<std::pair<Metric, int>> order;
  auto keep = [&](const std::vector<Measurement>& touched) {
    for (const Measurement& m : touched) {
      const auto key = std::make_pair(m.metric, m.cycle);
      if (rows.count(key) == 0) order.push_back(key);
      rows[key] = m;
    }
  };
  auto fire_until = [&](absl::Time t) {
    if (!ticket.has_value()) return;
    std::vector<ArmedTimer> due;
    for (const TimerSpec& spec : armed) {
      if (spec.due <= t) due.push_back({0, ticket->ticket_id, spec});
    }
    if (due.empty()) return;
    FireUpdate fired = FireTimers(*ticket, due, t, config);
    ticket = fired.update.ticket;
    armed = fired.update.armed;
    keep(fired.update.measurements);
  };
  for (const RecordedChange& change : changes) {
    // Timers due strictly before the change fire first; one due at the
    // change's instant loses to the change (the live service would race).
    fire_until(change.change.at - absl::Nanoseconds(1));
    absl::StatusOr<ClockUpdate> update = ApplyChange(ticket, change, config);
    if (!update.ok()) continue;
    ticket = update->ticket;
    armed = update->armed;
    keep(update->measurements);
  }
  fire_until(until);
  std::vector<Measurement> out;
  if (!ticket.has_value()) return out;
  if (csat != nullptr) *csat = ticket->csat;
  for (const auto& key : order) out.push_back(rows[key]);
  return out;
}

}  // namespace cxdesk::sla
