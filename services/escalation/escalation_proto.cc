#include "services/escalation/escalation_proto.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/common/event_stream.h"
#include "services/common/proto_time.h"
#include "services/common/proto_words.h"
#include "services/common/status_macros.h"

namespace cxdesk::escalation {
namespace {

using common::FromProtoDuration;
using common::FromProtoTimestamp;
using common::ToProtoDuration;
using common::ToProtoTimestamp;

constexpr const char* kMetricWords[] = {"first_response", "next_response",
                                        "periodic_update", "resolution"};

// The enum mappings below that are arithmetic rely on these orders.
static_assert(static_cast<int>(Strategy::kQueueOnly) + 1 ==
              v1::STRATEGY_QUEUE_ONLY);
static_assert(static_cast<int>(Availability::kOffline) + 1 ==
              v1::AVAILABILITY_OFFLINE);
static_assert(static_cast<int>(RoutingTrigger::kDryRun) + 1 ==
              v1::ROUTING_TRIGGER_DRY_RUN);
static_assert(static_cast<int>(RoutingOutcome::kRouted) + 1 ==
              v1::ROUTING_OUTCOME_ROUTED);
static_assert(static_cast<int>(ActionRecord::State::kSkipped) + 1 ==
              v1::ACTION_STATE_SKIPPED);
static_assert(static_cast<int>(DeliveryRecord::State::kDead) + 1 ==
              v1::DELIVERY_STATE_DEAD);
static_assert(static_cast<int>(Recipient::Kind::kTeamManager) ==
                  v1::RECIPIENT_KIND_TEAM_MANAGER &&
              static_cast<int>(Recipient::Kind::kNamed) ==
                  v1::RECIPIENT_KIND_NAMED);
static_assert(static_cast<int>(ReassignTarget::Kind::kOtherTeam) ==
                  v1::REASSIGN_KIND_OTHER_TEAM &&
              static_cast<int>(ReassignTarget::Kind::kNextTier) ==
                  v1::REASSIGN_KIND_NEXT_TIER);

bool Finite(absl::Time t) {
  return t != absl::InfiniteFuture() && t != absl::InfinitePast();
}

// Writes a finite `t` into the field `mutable_field` of `message`; leaves
// the field unset (not even created) for an infinite one.
template <typename M>
void SetTime(absl::Time t, M* message,
             google::protobuf::Timestamp* (M::*mutable_field)()) {
  if (Finite(t)) ToProtoTimestamp(t, (message->*mutable_field)());
}

// A timestamp the message may leave unset: InfinitePast when it does.
absl::Time TimeOrPast(bool has, const google::protobuf::Timestamp& ts) {
  return has ? FromProtoTimestamp(ts) : absl::InfinitePast();
}

// INVALID_ARGUMENT "<field>: unspecified <what>" for 0, "<field>: unknown
// <what> <value>" otherwise.
absl::Status BadEnum(const std::string& field, absl::string_view what,
                     int value) {
  if (value == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": unspecified ", what));
  }
  return absl::InvalidArgumentError(
      absl::StrCat(field, ": unknown ", what, " ", value));
}

// A proto enum value in [first, last] mapped onto a domain enum listed in
// the same order; BadEnum otherwise.
template <typename E>
absl::StatusOr<E> EnumInRange(int value, int first, int last,
                              const std::string& field,
                              absl::string_view what) {
  if (value < first || value > last) return BadEnum(field, what, value);
  return static_cast<E>(value - first);
}

// The ticket words of a repeated ticket enum; `word_of` yields "" for the
// unspecified or an unknown value.
absl::StatusOr<std::vector<std::string>> TicketWords(
    const google::protobuf::RepeatedField<int>& values,
    const std::string& field, absl::string_view what,
    std::string (*word_of)(int)) {
  std::vector<std::string> out;
  for (int i = 0; i < values.size(); ++i) {
    std::string word = word_of(values[i]);
    if (word.empty()) {
      return BadEnum(absl::StrCat(field, "[", i, "]"), what, values[i]);
    }
    out.push_back(std::move(word));
  }
  return out;
}

// One optional ticket word: `fallback` for the unspecified value.
absl::StatusOr<std::string> TicketWordOr(int value, const std::string& field,
                                         absl::string_view what,
                                         std::string (*word_of)(int),
                                         std::string fallback) {
  if (value == 0) return fallback;
  std::string word = word_of(value);
  if (word.empty()) return BadEnum(field, what, value);
  return word;
}

std::vector<std::string> Strings(
    const google::protobuf::RepeatedPtrField<std::string>& values) {
  return std::vector<std::string>(values.begin(), values.end());
}

// A Duration as the proto requires it: |nanos| < 1e9, same sign as seconds.
absl::StatusOr<absl::Duration> DurationOf(const google::protobuf::Duration& d,
                                          const std::string& field) {
  const int64_t s = d.seconds();
  const int32_t n = d.nanos();
  if (n <= -1000000000 || n >= 1000000000 || (s > 0 && n < 0) ||
      (s < 0 && n > 0) || s > 315576000000 || s < -315576000000) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": malformed duration (", s, "s, ", n, "ns)"));
  }
  return FromProtoDuration(d);
}

v1::Strategy StrategyToProto(Strategy s) {
  return static_cast<v1::Strategy>(static_cast<int>(s) + 1);
}

absl::StatusOr<Strategy> StrategyFromProto(int value,
                                           const std::string& field) {
  return EnumInRange<Strategy>(value, v1::STRATEGY_ROUND_ROBIN,
                               v1::STRATEGY_QUEUE_ONLY, field, "strategy");
}

// ---- ladders ----

v1::TriggerKind TriggerToProto(Trigger::Kind k) {
  switch (k) {
    case Trigger::Kind::kOnWarning:
      return v1::TRIGGER_KIND_ON_WARNING;
    case Trigger::Kind::kOnBreach:
      return v1::TRIGGER_KIND_ON_BREACH;
    case Trigger::Kind::kAfterBreach:
      return v1::TRIGGER_KIND_AFTER_BREACH;
  }
  return v1::TRIGGER_KIND_UNSPECIFIED;
}

absl::StatusOr<Trigger::Kind> TriggerFromProto(int value,
                                               const std::string& field) {
  switch (value) {
    case v1::TRIGGER_KIND_ON_WARNING:
      return Trigger::Kind::kOnWarning;
    case v1::TRIGGER_KIND_ON_BREACH:
      return Trigger::Kind::kOnBreach;
    case v1::TRIGGER_KIND_AFTER_BREACH:
      return Trigger::Kind::kAfterBreach;
    default:
      return BadEnum(field, "trigger", value);
  }
}

v1::ActionKind ActionKindToProto(Action::Kind k) {
  switch (k) {
    case Action::Kind::kNotify:
      return v1::ACTION_KIND_NOTIFY;
    case Action::Kind::kRaisePriority:
      return v1::ACTION_KIND_RAISE_PRIORITY;
    case Action::Kind::kReassign:
      return v1::ACTION_KIND_REASSIGN;
    case Action::Kind::kAddNote:
      return v1::ACTION_KIND_ADD_NOTE;
  }
  return v1::ACTION_KIND_UNSPECIFIED;
}

absl::StatusOr<Action::Kind> ActionKindFromProto(int value,
                                                 const std::string& field) {
  switch (value) {
    case v1::ACTION_KIND_NOTIFY:
      return Action::Kind::kNotify;
    case v1::ACTION_KIND_RAISE_PRIORITY:
      return Action::Kind::kRaisePriority;
    case v1::ACTION_KIND_REASSIGN:
      return Action::Kind::kReassign;
    case v1::ACTION_KIND_ADD_NOTE:
      return Action::Kind::kAddNote;
    default:
      return BadEnum(field, "action kind", value);
  }
}

// Recipient::Kind and ReassignTarget::Kind list kNone first, in the order of
// the proto's values (UNSPECIFIED first), so the mapping is the identity.
v1::RecipientKind RecipientToProto(Recipient::Kind k) {
  return static_cast<v1::RecipientKind>(static_cast<int>(k));
}

absl::StatusOr<Recipient::Kind> RecipientFromProto(int value,
                                                   const std::string& field) {
  if (value < v1::RECIPIENT_KIND_UNSPECIFIED ||
      value > v1::RECIPIENT_KIND_NAMED) {
    return BadEnum(field, "recipient kind", value);
  }
  return static_cast<Recipient::Kind>(value);
}

v1::ReassignKind ReassignToProto(ReassignTarget::Kind k) {
  return static_cast<v1::ReassignKind>(static_cast<int>(k));
}

absl::StatusOr<ReassignTarget::Kind> ReassignFromProto(
    int value, const std::string& field) {
  if (value < v1::REASSIGN_KIND_UNSPECIFIED ||
      value > v1::REASSIGN_KIND_NEXT_TIER) {
    return BadEnum(field, "reassign kind", value);
  }
  return static_cast<ReassignTarget::Kind>(value);
}

void ActionToProto(const Action& a, v1::EscalationAction* out) {
  out->set_kind(ActionKindToProto(a.kind));
  out->set_recipient(RecipientToProto(a.recipient.kind));
  out->set_recipient_agent_id(a.recipient.name);
  out->set_reassign(ReassignToProto(a.reassign.kind));
  out->set_reassign_team_id(a.reassign.team);
  out->set_note(a.note);
}

absl::StatusOr<Action> ActionFromProto(const v1::EscalationAction& p,
                                       const std::string& field) {
  Action a;
  CXDESK_ASSIGN_OR_RETURN(a.kind,
                          ActionKindFromProto(p.kind(), field + ".kind"));
  CXDESK_ASSIGN_OR_RETURN(
      a.recipient.kind,
      RecipientFromProto(p.recipient(), field + ".recipient"));
  a.recipient.name = p.recipient_agent_id();
  CXDESK_ASSIGN_OR_RETURN(a.reassign.kind,
                          ReassignFromProto(p.reassign(), field + ".reassign"));
  a.reassign.team = p.reassign_team_id();
  a.note = p.note();
  return a;
}

// ---- escalations ----

v1::ActionState ActionStateToProto(ActionRecord::State s) {
  return static_cast<v1::ActionState>(static_cast<int>(s) + 1);
}

absl::StatusOr<ActionRecord::State> ActionStateFromProto(
    int value, const std::string& field) {
  return EnumInRange<ActionRecord::State>(value, v1::ACTION_STATE_PENDING,
                                          v1::ACTION_STATE_SKIPPED, field,
                                          "action state");
}

v1::DeliveryState DeliveryStateToProto(DeliveryRecord::State s) {
  return static_cast<v1::DeliveryState>(static_cast<int>(s) + 1);
}

absl::StatusOr<DeliveryRecord::State> DeliveryStateFromProto(
    int value, const std::string& field) {
  return EnumInRange<DeliveryRecord::State>(value, v1::DELIVERY_STATE_PENDING,
                                            v1::DELIVERY_STATE_DEAD, field,
                                            "delivery state");
}

}  // namespace

// ---- single enums ----

absl::StatusOr<std::string> MetricWordOf(int metric, const std::string& field) {
  if (metric < sla::v1::METRIC_FIRST_RESPONSE ||
      metric > sla::v1::METRIC_RESOLUTION) {
    return BadEnum(field, "metric", metric);
  }
  return std::string(kMetricWords[metric - sla::v1::METRIC_FIRST_RESPONSE]);
}

sla::v1::Metric MetricOf(const std::string& word) {
  for (int i = 0; i < 4; ++i) {
    if (word == kMetricWords[i]) {
      return static_cast<sla::v1::Metric>(sla::v1::METRIC_FIRST_RESPONSE + i);
    }
  }
  return sla::v1::METRIC_UNSPECIFIED;
}

absl::StatusOr<Availability> AvailabilityFromProto(int value,
                                                   const std::string& field) {
  return EnumInRange<Availability>(value, v1::AVAILABILITY_ONLINE,
                                   v1::AVAILABILITY_OFFLINE, field,
                                   "availability");
}

v1::Availability AvailabilityToProto(Availability availability) {
  return static_cast<v1::Availability>(static_cast<int>(availability) + 1);
}

absl::StatusOr<std::optional<DeliveryRecord::State>> DeliveryStateFilter(
    int value, const std::string& field) {
  if (value == v1::DELIVERY_STATE_UNSPECIFIED) {
    return std::optional<DeliveryRecord::State>();
  }
  CXDESK_ASSIGN_OR_RETURN(DeliveryRecord::State state,
                          DeliveryStateFromProto(value, field));
  return std::optional<DeliveryRecord::State>(state);
}

// ---- configuration ----

absl::StatusOr<TeamRecord> TeamFromProto(const v1::Team& proto) {
  TeamRecord r;
  r.team.id = proto.team_id();
  r.team.lead = proto.lead();
  r.team.manager = proto.manager();
  r.team.default_calendar = proto.default_calendar();
  r.display_name = proto.display_name();
  r.default_team = proto.default_team();
  r.webhook_url = proto.webhook().url();
  r.webhook_secret = proto.webhook().secret();
  r.update_time = absl::InfinitePast();
  return r;
}

void TeamToProto(const TeamRecord& r, v1::Team* out) {
  out->set_team_id(r.team.id);
  out->set_display_name(r.display_name);
  out->set_lead(r.team.lead);
  out->set_manager(r.team.manager);
  out->set_default_calendar(r.team.default_calendar);
  out->set_default_team(r.default_team);
  v1::Webhook* webhook = out->mutable_webhook();
  webhook->set_url(r.webhook_url);
  // The secret never leaves the service.
  webhook->set_secret_set(!r.webhook_secret.empty());
  out->set_etag(absl::StrCat(r.version));
  SetTime(r.update_time, out, &v1::Team::mutable_update_time);
}

absl::StatusOr<AgentRecord> AgentFromProto(const v1::Agent& proto) {
  AgentRecord r;
  Agent& a = r.agent;
  a.id = proto.agent_id();
  a.name = proto.display_name();
  a.teams = Strings(proto.team_ids());
  a.skills = Strings(proto.skills());
  a.tier = proto.tier() == 0 ? 1 : proto.tier();
  a.capacity = proto.capacity();
  if (proto.availability() == v1::AVAILABILITY_UNSPECIFIED) {
    a.availability = Availability::kOffline;
  } else {
    CXDESK_ASSIGN_OR_RETURN(
        a.availability,
        AvailabilityFromProto(proto.availability(), "agent.availability"));
  }
  a.shift_calendar = proto.shift_calendar();
  r.update_time = absl::InfinitePast();
  return r;
}

void AgentToProto(const AgentRecord& r, v1::Agent* out) {
  const Agent& a = r.agent;
  out->set_agent_id(a.id);
  out->set_display_name(a.name);
  for (const std::string& t : a.teams) out->add_team_ids(t);
  for (const std::string& s : a.skills) out->add_skills(s);
  out->set_tier(a.tier);
  out->set_capacity(a.capacity);
  out->set_availability(AvailabilityToProto(a.availability));
  out->set_shift_calendar(a.shift_calendar);
  out->set_open_tickets(r.open_tickets);
  out->set_etag(absl::StrCat(r.version));
  SetTime(r.update_time, out, &v1::Agent::mutable_update_time);
}

absl::StatusOr<RuleRecord> RuleFromProto(const v1::RoutingRule& proto) {
  RuleRecord r;
  RoutingRule& rule = r.rule;
  rule.id = proto.rule_id();
  rule.position = proto.position();
  const v1::RoutingConditions& c = proto.conditions();
  const std::string field = "rule.conditions.";
  CXDESK_ASSIGN_OR_RETURN(rule.kinds, TicketWords(c.kinds(), field + "kinds",
                                                  "kind", &common::KindWord));
  CXDESK_ASSIGN_OR_RETURN(rule.cx_levels,
                          TicketWords(c.cx_levels(), field + "cx_levels",
                                      "CX level", &common::CxLevelWord));
  CXDESK_ASSIGN_OR_RETURN(rule.priorities,
                          TicketWords(c.priorities(), field + "priorities",
                                      "priority", &common::PriorityWord));
  CXDESK_ASSIGN_OR_RETURN(
      rule.channels, TicketWords(c.channels(), field + "channels", "channel",
                                 &common::ChannelWord));
  rule.tags_any = Strings(c.tags_any());
  rule.words_any = Strings(c.words_any());
  rule.customer_emails = Strings(c.customer_emails());
  rule.team = proto.team_id();
  CXDESK_ASSIGN_OR_RETURN(rule.strategy,
                          StrategyFromProto(proto.strategy(), "rule.strategy"));
  r.update_time = absl::InfinitePast();
  return r;
}

void RuleToProto(const RuleRecord& r, v1::RoutingRule* out) {
  const RoutingRule& rule = r.rule;
  out->set_rule_id(rule.id);
  out->set_position(rule.position);
  v1::RoutingConditions* c = out->mutable_conditions();
  for (const auto& w : rule.kinds) c->add_kinds(common::KindOf(w));
  for (const auto& w : rule.cx_levels) c->add_cx_levels(common::CxLevelOf(w));
  for (const auto& w : rule.priorities) {
    c->add_priorities(common::PriorityOf(w));
  }
  for (const auto& w : rule.channels) c->add_channels(common::ChannelOf(w));
  for (const auto& t : rule.tags_any) c->add_tags_any(t);
  for (const auto& w : rule.words_any) c->add_words_any(w);
  for (const auto& e : rule.customer_emails) c->add_customer_emails(e);
  out->set_team_id(rule.team);
  out->set_strategy(StrategyToProto(rule.strategy));
  out->set_etag(absl::StrCat(r.version));
  SetTime(r.update_time, out, &v1::RoutingRule::mutable_update_time);
}

absl::StatusOr<Ladder> LadderFromProto(const v1::Ladder& proto) {
  Ladder ladder;
  CXDESK_ASSIGN_OR_RETURN(ladder.metric,
                          MetricWordOf(proto.metric(), "ladder.metric"));
  for (int i = 0; i < proto.steps_size(); ++i) {
    const v1::EscalationStep& p = proto.steps(i);
    const std::string field = absl::StrCat("ladder.steps[", i, "]");
    Step step;
    step.level = p.level();
    CXDESK_ASSIGN_OR_RETURN(step.trigger.kind,
                            TriggerFromProto(p.trigger(), field + ".trigger"));
    CXDESK_ASSIGN_OR_RETURN(step.trigger.delay,
                            DurationOf(p.delay(), field + ".delay"));
    for (int j = 0; j < p.actions_size(); ++j) {
      CXDESK_ASSIGN_OR_RETURN(
          Action action,
          ActionFromProto(p.actions(j),
                          absl::StrCat(field, ".actions[", j, "]")));
      step.actions.push_back(std::move(action));
    }
    ladder.steps.push_back(std::move(step));
  }
  return ladder;
}

void LadderToProto(const LadderRecord& r, v1::Ladder* out) {
  out->set_metric(MetricOf(r.ladder.metric));
  for (const Step& s : r.ladder.steps) {
    v1::EscalationStep* step = out->add_steps();
    step->set_level(s.level);
    step->set_trigger(TriggerToProto(s.trigger.kind));
    // The delay means something for after-breach steps only.
    if (s.trigger.kind == Trigger::Kind::kAfterBreach ||
        s.trigger.delay != absl::ZeroDuration()) {
      ToProtoDuration(s.trigger.delay, step->mutable_delay());
    }
    for (const Action& a : s.actions) ActionToProto(a, step->add_actions());
  }
  out->set_etag(absl::StrCat(r.version));
  SetTime(r.update_time, out, &v1::Ladder::mutable_update_time);
}

// ---- routing ----

absl::StatusOr<TicketToRoute> TicketDraftFromProto(
    const v1::TicketDraft& proto) {
  TicketToRoute t;
  CXDESK_ASSIGN_OR_RETURN(t.kind,
                          TicketWordOr(proto.kind(), "draft.kind", "kind",
                                       &common::KindWord, "question"));
  CXDESK_ASSIGN_OR_RETURN(
      t.cx_level, TicketWordOr(proto.cx_level(), "draft.cx_level", "CX level",
                               &common::CxLevelWord, ""));
  CXDESK_ASSIGN_OR_RETURN(
      t.priority, TicketWordOr(proto.priority(), "draft.priority", "priority",
                               &common::PriorityWord, "normal"));
  CXDESK_ASSIGN_OR_RETURN(
      t.channel, TicketWordOr(proto.channel(), "draft.channel", "channel",
                              &common::ChannelWord, "web"));
  t.tags = Strings(proto.tags());
  t.subject = proto.subject();
  t.description = proto.description();
  t.customer_email = proto.customer_email();
  return t;
}

void DecisionToProto(const Decision& d, v1::RoutingDecision* out) {
  out->set_decision_id(d.id);
  out->set_ticket_id(d.ticket_id);
  SetTime(d.at, out, &v1::RoutingDecision::mutable_decide_time);
  out->set_trigger(
      static_cast<v1::RoutingTrigger>(static_cast<int>(d.trigger) + 1));
  out->set_rule_id(d.rule_id);
  out->set_team_id(d.team);
  out->set_strategy(StrategyToProto(d.strategy));
  out->set_outcome(
      static_cast<v1::RoutingOutcome>(static_cast<int>(d.outcome) + 1));
  out->set_agent_id(d.agent);
  for (const std::string& c : d.candidates) out->add_candidates(c);
  out->set_explanation(d.explanation);
}

absl::StatusOr<Decision> DecisionFromProto(const v1::RoutingDecision& proto) {
  Decision d;
  d.id = proto.decision_id();
  d.ticket_id = proto.ticket_id();
  d.at = TimeOrPast(proto.has_decide_time(), proto.decide_time());
  CXDESK_ASSIGN_OR_RETURN(
      d.trigger, EnumInRange<RoutingTrigger>(proto.trigger(),
                                             v1::ROUTING_TRIGGER_NEW_TICKET,
                                             v1::ROUTING_TRIGGER_DRY_RUN,
                                             "decision.trigger", "trigger"));
  d.rule_id = proto.rule_id();
  d.team = proto.team_id();
  CXDESK_ASSIGN_OR_RETURN(
      d.strategy, StrategyFromProto(proto.strategy(), "decision.strategy"));
  CXDESK_ASSIGN_OR_RETURN(
      d.outcome,
      EnumInRange<RoutingOutcome>(proto.outcome(), v1::ROUTING_OUTCOME_ASSIGNED,
                                  v1::ROUTING_OUTCOME_ROUTED,
                                  "decision.outcome", "outcome"));
  d.agent = proto.agent_id();
  d.candidates = Strings(proto.candidates());
  d.explanation = proto.explanation();
  return d;
}

void QueuedTicketToProto(const QueuedTicket& t, v1::QueuedTicket* out) {
  out->set_ticket_id(t.ticket_id);
  out->set_priority(common::PriorityOf(t.priority));
  SetTime(t.queued_at, out, &v1::QueuedTicket::mutable_queue_time);
  SetTime(t.next_deadline, out, &v1::QueuedTicket::mutable_next_deadline);
}

// ---- escalations, notifications, deliveries ----

EscalationQuery EscalationQueryFromProto(const v1::ListEscalationsRequest& r) {
  EscalationQuery q;
  q.ticket_id = r.ticket_id();
  q.team = r.team_id();
  q.level = r.level();
  if (r.has_start_time()) q.from = FromProtoTimestamp(r.start_time());
  if (r.has_end_time()) q.to = FromProtoTimestamp(r.end_time());
  if (r.has_acknowledged()) q.acknowledged = r.acknowledged();
  return q;
}

void EscalationToProto(const EscalationRecord& r, v1::Escalation* out) {
  out->set_escalation_id(r.id);
  out->set_ticket_id(r.key.ticket_id);
  out->set_metric(MetricOf(r.key.metric));
  out->set_cycle(r.key.cycle);
  out->set_level(r.level);
  out->set_trigger(TriggerToProto(r.trigger));
  out->set_team_id(r.team);
  SetTime(r.occur_time, out, &v1::Escalation::mutable_occur_time);
  SetTime(r.record_time, out, &v1::Escalation::mutable_record_time);
  out->set_skipped(r.skipped);
  out->set_explanation(r.explanation);
  for (size_t i = 0; i < r.actions.size(); ++i) {
    v1::ActionResult* result = out->add_actions();
    ActionToProto(r.actions[i], result->mutable_action());
    if (i < r.results.size()) {
      const ActionRecord& done = r.results[i];
      result->set_state(ActionStateToProto(done.state));
      result->set_detail(done.detail);
      result->set_error(done.error);
    } else {
      result->set_state(v1::ACTION_STATE_PENDING);
    }
  }
  for (const std::string& who : r.recipients) out->add_recipients(who);
  out->set_acknowledged(r.acknowledged);
  out->set_acknowledged_by(r.acknowledged_by);
  if (r.acknowledge_time.has_value()) {
    SetTime(*r.acknowledge_time, out,
            &v1::Escalation::mutable_acknowledge_time);
  }
}

absl::StatusOr<EscalationRecord> EscalationFromProto(
    const v1::Escalation& proto) {
  EscalationRecord r;
  r.id = proto.escalation_id();
  r.key.ticket_id = proto.ticket_id();
  CXDESK_ASSIGN_OR_RETURN(r.key.metric,
                          MetricWordOf(proto.metric(), "escalation.metric"));
  r.key.cycle = proto.cycle();
  r.level = proto.level();
  CXDESK_ASSIGN_OR_RETURN(
      r.trigger, TriggerFromProto(proto.trigger(), "escalation.trigger"));
  r.team = proto.team_id();
  r.occur_time = TimeOrPast(proto.has_occur_time(), proto.occur_time());
  r.record_time = TimeOrPast(proto.has_record_time(), proto.record_time());
  r.skipped = proto.skipped();
  r.explanation = proto.explanation();
  for (int i = 0; i < proto.actions_size(); ++i) {
    const v1::ActionResult& p = proto.actions(i);
    const std::string field = absl::StrCat("escalation.actions[", i, "]");
    CXDESK_ASSIGN_OR_RETURN(Action action,
                            ActionFromProto(p.action(), field + ".action"));
    ActionRecord result;
    result.ticket_id = r.key.ticket_id;
    result.escalation_id = r.id;
    result.action_index = i;
    CXDESK_ASSIGN_OR_RETURN(result.state,
                            ActionStateFromProto(p.state(), field + ".state"));
    result.detail = p.detail();
    result.error = p.error();
    r.actions.push_back(std::move(action));
    r.results.push_back(std::move(result));
  }
  r.recipients = Strings(proto.recipients());
  r.acknowledged = proto.acknowledged();
  r.acknowledged_by = proto.acknowledged_by();
  if (proto.has_acknowledge_time()) {
    r.acknowledge_time = FromProtoTimestamp(proto.acknowledge_time());
  }
  return r;
}

void NotificationToProto(const NotificationRecord& r, v1::Notification* out) {
  out->set_cursor(common::EncodeCursor(r.cursor));
  out->set_notification_id(r.id);
  out->set_recipient(r.recipient);
  out->set_ticket_id(r.ticket_id);
  out->set_escalation_id(r.escalation_id);
  out->set_level(r.level);
  out->set_metric(MetricOf(r.metric));
  out->set_title(r.title);
  out->set_body(r.body);
  SetTime(r.create_time, out, &v1::Notification::mutable_create_time);
  out->set_read(r.read);
}

absl::StatusOr<NotificationRecord> NotificationFromProto(
    const v1::Notification& proto) {
  NotificationRecord r;
  CXDESK_ASSIGN_OR_RETURN(
      r.cursor, common::DecodeCursor(proto.cursor(), "notification.cursor"));
  r.id = proto.notification_id();
  r.recipient = proto.recipient();
  r.ticket_id = proto.ticket_id();
  r.escalation_id = proto.escalation_id();
  r.level = proto.level();
  CXDESK_ASSIGN_OR_RETURN(r.metric,
                          MetricWordOf(proto.metric(), "notification.metric"));
  r.title = proto.title();
  r.body = proto.body();
  r.create_time = TimeOrPast(proto.has_create_time(), proto.create_time());
  r.read = proto.read();
  return r;
}

void DeliveryToProto(const DeliveryRecord& r, v1::WebhookDelivery* out) {
  out->set_delivery_id(r.id);
  out->set_team_id(r.team);
  out->set_notification_id(r.notification_id);
  out->set_url(r.url);
  out->set_state(DeliveryStateToProto(r.state));
  out->set_attempts(r.attempts);
  out->set_last_status_code(r.last_status_code);
  out->set_last_error(r.last_error);
  if (r.state == DeliveryRecord::State::kPending) {
    SetTime(r.next_attempt, out,
            &v1::WebhookDelivery::mutable_next_attempt_time);
  }
  SetTime(r.create_time, out, &v1::WebhookDelivery::mutable_create_time);
  if (r.deliver_time.has_value()) {
    SetTime(*r.deliver_time, out, &v1::WebhookDelivery::mutable_deliver_time);
  }
}

absl::StatusOr<DeliveryRecord> DeliveryFromProto(
    const v1::WebhookDelivery& proto) {
  DeliveryRecord r;
  r.id = proto.delivery_id();
  r.team = proto.team_id();
  r.notification_id = proto.notification_id();
  r.url = proto.url();
  CXDESK_ASSIGN_OR_RETURN(
      r.state, DeliveryStateFromProto(proto.state(), "delivery.state"));
  r.attempts = proto.attempts();
  r.last_status_code = proto.last_status_code();
  r.last_error = proto.last_error();
  r.next_attempt =
      TimeOrPast(proto.has_next_attempt_time(), proto.next_attempt_time());
  r.create_time = TimeOrPast(proto.has_create_time(), proto.create_time());
  if (proto.has_deliver_time()) {
    r.deliver_time = FromProtoTimestamp(proto.deliver_time());
  }
  return r;
}

void FiguresToProto(const Figures& f, absl::Time start, absl::Time end,
                    v1::EscalationFigures* out) {
  SetTime(start, out, &v1::EscalationFigures::mutable_start_time);
  SetTime(end, out, &v1::EscalationFigures::mutable_end_time);
  for (const Figures::AgentRow& a : f.agents) {
    v1::AgentFigures* p = out->add_agents();
    p->set_agent_id(a.agent);
    p->set_assignments(a.assignments);
    p->set_open_tickets(a.open_tickets);
    p->set_capacity(a.capacity);
  }
  for (const Figures::TeamRow& t : f.teams) {
    v1::TeamQueueFigures* p = out->add_teams();
    p->set_team_id(t.team);
    p->set_routed(t.routed);
    p->set_queued(t.queued);
    p->set_assigned_from_queue(t.assigned_from_queue);
    ToProtoDuration(t.queue_p50, p->mutable_queue_time_p50());
    ToProtoDuration(t.queue_p90, p->mutable_queue_time_p90());
    ToProtoDuration(t.queue_max, p->mutable_queue_time_max());
    p->set_waiting_now(t.waiting_now);
  }
  for (const Figures::LevelRow& l : f.levels) {
    v1::LevelFigures* p = out->add_levels();
    p->set_level(l.level);
    p->set_ran(l.ran);
    p->set_skipped(l.skipped);
    p->set_acknowledged(l.acknowledged);
  }
}

Figures FiguresFromProto(const v1::EscalationFigures& proto) {
  Figures f;
  for (const v1::AgentFigures& p : proto.agents()) {
    f.agents.push_back(
        {p.agent_id(), p.assignments(), p.open_tickets(), p.capacity()});
  }
  for (const v1::TeamQueueFigures& p : proto.teams()) {
    Figures::TeamRow t;
    t.team = p.team_id();
    t.routed = p.routed();
    t.queued = p.queued();
    t.assigned_from_queue = p.assigned_from_queue();
    t.queue_p50 = FromProtoDuration(p.queue_time_p50());
    t.queue_p90 = FromProtoDuration(p.queue_time_p90());
    t.queue_max = FromProtoDuration(p.queue_time_max());
    t.waiting_now = p.waiting_now();
    f.teams.push_back(std::move(t));
  }
  for (const v1::LevelFigures& p : proto.levels()) {
    f.levels.push_back({p.level(), p.ran(), p.skipped(), p.acknowledged()});
  }
  return f;
}

}  // namespace cxdesk::escalation
