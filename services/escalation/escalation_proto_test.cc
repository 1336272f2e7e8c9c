#include "services/escalation/escalation_proto.h"

#include <google/protobuf/text_format.h>
#include <google/protobuf/util/message_differencer.h>

#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace cxdesk::escalation {
namespace {

using ::google::protobuf::util::MessageDifferencer;
using ::testing::ElementsAre;

const absl::Time kT0 = absl::FromUnixSeconds(1795000000);

template <typename M>
M Parse(const std::string& text) {
  M message;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &message))
      << text;
  return message;
}

// Expects `status` to be INVALID_ARGUMENT with exactly `message`.
void ExpectInvalid(const absl::Status& status, const std::string& message) {
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  EXPECT_EQ(status.message(), message);
}

// Expects proto -> domain -> proto to give the same message back.
template <typename M, typename From, typename To>
void ExpectProtoRoundTrip(const M& proto, From from, To to) {
  auto domain = from(proto);
  ASSERT_TRUE(domain.ok()) << domain.status();
  M back;
  to(*domain, &back);
  EXPECT_TRUE(MessageDifferencer::Equals(proto, back))
      << "in:  " << proto.ShortDebugString()
      << "\nout: " << back.ShortDebugString();
}

// ---- single enums ----------------------------------------------------------

TEST(MetricTest, EveryMetricBothWays) {
  const std::pair<sla::v1::Metric, const char*> metrics[] = {
      {sla::v1::METRIC_FIRST_RESPONSE, "first_response"},
      {sla::v1::METRIC_NEXT_RESPONSE, "next_response"},
      {sla::v1::METRIC_PERIODIC_UPDATE, "periodic_update"},
      {sla::v1::METRIC_RESOLUTION, "resolution"}};
  for (const auto& [value, word] : metrics) {
    absl::StatusOr<std::string> w = MetricWordOf(value, "metric");
    ASSERT_TRUE(w.ok()) << w.status();
    EXPECT_EQ(*w, word);
    EXPECT_EQ(MetricOf(word), value);
  }
  EXPECT_EQ(MetricOf("breach"), sla::v1::METRIC_UNSPECIFIED);
  EXPECT_EQ(MetricOf(""), sla::v1::METRIC_UNSPECIFIED);
  ExpectInvalid(MetricWordOf(0, "metric").status(),
                "metric: unspecified metric");
  ExpectInvalid(MetricWordOf(5, "metric").status(), "metric: unknown metric 5");
  ExpectInvalid(MetricWordOf(-1, "metric").status(),
                "metric: unknown metric -1");
}

TEST(AvailabilityTest, BothWaysAndErrors) {
  EXPECT_EQ(*AvailabilityFromProto(v1::AVAILABILITY_ONLINE, "a"),
            Availability::kOnline);
  EXPECT_EQ(*AvailabilityFromProto(v1::AVAILABILITY_AWAY, "a"),
            Availability::kAway);
  EXPECT_EQ(*AvailabilityFromProto(v1::AVAILABILITY_OFFLINE, "a"),
            Availability::kOffline);
  EXPECT_EQ(AvailabilityToProto(Availability::kOnline),
            v1::AVAILABILITY_ONLINE);
  EXPECT_EQ(AvailabilityToProto(Availability::kAway), v1::AVAILABILITY_AWAY);
  EXPECT_EQ(AvailabilityToProto(Availability::kOffline),
            v1::AVAILABILITY_OFFLINE);
  ExpectInvalid(AvailabilityFromProto(0, "availability").status(),
                "availability: unspecified availability");
  ExpectInvalid(AvailabilityFromProto(4, "availability").status(),
                "availability: unknown availability 4");
}

TEST(DeliveryStateFilterTest, UnspecifiedIsAnyState) {
  EXPECT_EQ(*DeliveryStateFilter(0, "state"), std::nullopt);
  EXPECT_EQ(*DeliveryStateFilter(v1::DELIVERY_STATE_PENDING, "state"),
            DeliveryRecord::State::kPending);
  EXPECT_EQ(*DeliveryStateFilter(v1::DELIVERY_STATE_DELIVERED, "state"),
            DeliveryRecord::State::kDelivered);
  EXPECT_EQ(*DeliveryStateFilter(v1::DELIVERY_STATE_DEAD, "state"),
            DeliveryRecord::State::kDead);
  ExpectInvalid(DeliveryStateFilter(9, "state").status(),
                "state: unknown delivery state 9");
}

// ---- teams
// -------------------------------------------------------------------

TEST(TeamTest, SecretIsInputOnly) {
  const v1::Team in = Parse<v1::Team>(R"pb(
    team_id: "care"
    display_name: "Customer care"
    lead: "lee"
    manager: "mia"
    default_calendar: "berlin"
    default_team: true
    webhook {
      url: "https://hooks.example/care"
      secret: "s3cret"
      secret_set: false
    }
    etag: "ignored"
    update_time { seconds: 5 }
  )pb");
  absl::StatusOr<TeamRecord> r = TeamFromProto(in);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->team.id, "care");
  EXPECT_EQ(r->display_name, "Customer care");
  EXPECT_EQ(r->team.lead, "lee");
  EXPECT_EQ(r->team.manager, "mia");
  EXPECT_EQ(r->team.default_calendar, "berlin");
  EXPECT_TRUE(r->default_team);
  EXPECT_EQ(r->webhook_url, "https://hooks.example/care");
  EXPECT_EQ(r->webhook_secret, "s3cret");
  EXPECT_EQ(r->version, 0);

  r->version = 12;
  r->update_time = kT0;
  v1::Team out;
  TeamToProto(*r, &out);
  EXPECT_TRUE(MessageDifferencer::Equals(
      out, Parse<v1::Team>(R"pb(
        team_id: "care"
        display_name: "Customer care"
        lead: "lee"
        manager: "mia"
        default_calendar: "berlin"
        default_team: true
        webhook { url: "https://hooks.example/care" secret_set: true }
        etag: "12"
        update_time { seconds: 1795000000 }
      )pb")))
      << out.ShortDebugString();
}

TEST(TeamTest, NoSecretNoSecretSet) {
  TeamRecord r;
  r.team.id = "care";
  v1::Team out;
  TeamToProto(r, &out);
  EXPECT_FALSE(out.webhook().secret_set());
  EXPECT_EQ(out.webhook().secret(), "");
  EXPECT_EQ(out.etag(), "0");
}

// ---- agents
// ------------------------------------------------------------------

TEST(AgentTest, RoundTrip) {
  ExpectProtoRoundTrip(Parse<v1::Agent>(R"pb(
                         agent_id: "ann"
                         display_name: "Ann Example"
                         team_ids: "care"
                         team_ids: "billing"
                         skills: "refunds"
                         tier: 2
                         capacity: 5
                         availability: AVAILABILITY_AWAY
                         shift_calendar: "early"
                         open_tickets: 0
                         etag: "0"
                       )pb"),
                       AgentFromProto, AgentToProto);
}

TEST(AgentTest, OutputCarriesLoadEtagAndTime) {
  absl::StatusOr<AgentRecord> r = AgentFromProto(Parse<v1::Agent>(R"pb(
    agent_id: "ann"
    capacity: 3
    open_tickets: 9
    etag: "99"
  )pb"));
  ASSERT_TRUE(r.ok()) << r.status();
  // Output-only fields are not read; unset values take their defaults.
  EXPECT_EQ(r->open_tickets, 0);
  EXPECT_EQ(r->version, 0);
  EXPECT_EQ(r->agent.availability, Availability::kOffline);
  EXPECT_EQ(r->agent.tier, 1);
  r->open_tickets = 2;
  r->version = 7;
  r->update_time = kT0;
  v1::Agent out;
  AgentToProto(*r, &out);
  EXPECT_EQ(out.open_tickets(), 2);
  EXPECT_EQ(out.etag(), "7");
  EXPECT_EQ(out.update_time().seconds(), 1795000000);
  EXPECT_EQ(out.availability(), v1::AVAILABILITY_OFFLINE);
  EXPECT_EQ(out.tier(), 1);
}

TEST(AgentTest, UnknownAvailabilityIsNamed) {
  v1::Agent in;
  in.set_agent_id("ann");
  in.set_availability(static_cast<v1::Availability>(9));
  ExpectInvalid(AgentFromProto(in).status(),
                "agent.availability: unknown availability 9");
}

// ---- routing rules
// -----------------------------------------------------------

TEST(RuleTest, RoundTripWithEveryCondition) {
  const v1::RoutingRule in = Parse<v1::RoutingRule>(R"pb(
    rule_id: "emotion-to-care"
    position: 10
    conditions {
      kinds: KIND_COMPLAINT
      kinds: KIND_INCIDENT
      cx_levels: CX_LEVEL_EMOTION
      priorities: PRIORITY_URGENT
      channels: CHANNEL_EMAIL
      channels: CHANNEL_SOCIAL
      tags_any: "vip"
      words_any: "refund"
      customer_emails: "boss@example.com"
    }
    team_id: "care"
    strategy: STRATEGY_SKILLS_FIRST
    etag: "0"
  )pb");
  absl::StatusOr<RuleRecord> r = RuleFromProto(in);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_THAT(r->rule.kinds, ElementsAre("complaint", "incident"));
  EXPECT_THAT(r->rule.cx_levels, ElementsAre("emotion"));
  EXPECT_THAT(r->rule.priorities, ElementsAre("urgent"));
  EXPECT_THAT(r->rule.channels, ElementsAre("email", "social"));
  EXPECT_THAT(r->rule.tags_any, ElementsAre("vip"));
  EXPECT_THAT(r->rule.words_any, ElementsAre("refund"));
  EXPECT_THAT(r->rule.customer_emails, ElementsAre("boss@example.com"));
  EXPECT_EQ(r->rule.team, "care");
  EXPECT_EQ(r->rule.strategy, Strategy::kSkillsFirst);
  ExpectProtoRoundTrip(in, RuleFromProto, RuleToProto);
}

TEST(RuleTest, EveryStrategy) {
  for (int s = v1::STRATEGY_ROUND_ROBIN; s <= v1::STRATEGY_QUEUE_ONLY; ++s) {
    v1::RoutingRule in;
    in.set_rule_id("r");
    in.set_team_id("t");
    in.set_strategy(static_cast<v1::Strategy>(s));
    in.mutable_conditions();  // Always written, empty or not.
    in.set_etag("0");
    ExpectProtoRoundTrip(in, RuleFromProto, RuleToProto);
  }
}

TEST(RuleTest, BadEnumsNameTheField) {
  v1::RoutingRule in;
  in.set_rule_id("r");
  in.set_strategy(v1::STRATEGY_ROUND_ROBIN);
  in.mutable_conditions()->add_kinds(ticket::v1::KIND_COMPLAINT);
  in.mutable_conditions()->add_kinds(static_cast<ticket::v1::Kind>(7));
  ExpectInvalid(RuleFromProto(in).status(),
                "rule.conditions.kinds[1]: unknown kind 7");

  in.mutable_conditions()->clear_kinds();
  in.mutable_conditions()->add_cx_levels(ticket::v1::CX_LEVEL_UNSPECIFIED);
  ExpectInvalid(RuleFromProto(in).status(),
                "rule.conditions.cx_levels[0]: unspecified CX level");

  in.mutable_conditions()->clear_cx_levels();
  in.mutable_conditions()->add_priorities(ticket::v1::PRIORITY_HIGH);
  in.mutable_conditions()->add_priorities(
      static_cast<ticket::v1::Priority>(42));
  ExpectInvalid(RuleFromProto(in).status(),
                "rule.conditions.priorities[1]: unknown priority 42");

  in.mutable_conditions()->clear_priorities();
  in.mutable_conditions()->add_channels(static_cast<ticket::v1::Channel>(-3));
  ExpectInvalid(RuleFromProto(in).status(),
                "rule.conditions.channels[0]: unknown channel -3");

  in.mutable_conditions()->clear_channels();
  in.set_strategy(v1::STRATEGY_UNSPECIFIED);
  ExpectInvalid(RuleFromProto(in).status(),
                "rule.strategy: unspecified strategy");
  in.set_strategy(static_cast<v1::Strategy>(5));
  ExpectInvalid(RuleFromProto(in).status(),
                "rule.strategy: unknown strategy 5");
}

// ---- ladders
// -----------------------------------------------------------------

constexpr char kLadderText[] = R"pb(
  metric: METRIC_FIRST_RESPONSE
  steps {
    level: 1
    trigger: TRIGGER_KIND_ON_WARNING
    actions { kind: ACTION_KIND_NOTIFY recipient: RECIPIENT_KIND_ASSIGNEE }
  }
  steps {
    level: 2
    trigger: TRIGGER_KIND_ON_BREACH
    actions { kind: ACTION_KIND_RAISE_PRIORITY }
    actions { kind: ACTION_KIND_REASSIGN reassign: REASSIGN_KIND_TEAM_LEAD }
    actions {
      kind: ACTION_KIND_REASSIGN
      reassign: REASSIGN_KIND_OTHER_TEAM
      reassign_team_id: "tier2"
    }
  }
  steps {
    level: 3
    trigger: TRIGGER_KIND_AFTER_BREACH
    delay { seconds: 1800 }
    actions {
      kind: ACTION_KIND_NOTIFY
      recipient: RECIPIENT_KIND_NAMED
      recipient_agent_id: "mia"
    }
    actions { kind: ACTION_KIND_ADD_NOTE note: "Escalated to management" }
  }
  etag: "4"
  update_time { seconds: 1795000000 }
)pb";

TEST(LadderTest, FromProto) {
  absl::StatusOr<Ladder> ladder =
      LadderFromProto(Parse<v1::Ladder>(kLadderText));
  ASSERT_TRUE(ladder.ok()) << ladder.status();
  EXPECT_EQ(ladder->metric, "first_response");
  ASSERT_EQ(ladder->steps.size(), 3u);
  EXPECT_EQ(ladder->steps[0].level, 1);
  EXPECT_EQ(ladder->steps[0].trigger.kind, Trigger::Kind::kOnWarning);
  EXPECT_THAT(ladder->steps[0].actions,
              ElementsAre(Action::Notify({Recipient::Kind::kAssignee, ""})));
  EXPECT_EQ(ladder->steps[1].trigger.kind, Trigger::Kind::kOnBreach);
  EXPECT_THAT(
      ladder->steps[1].actions,
      ElementsAre(
          Action::RaisePriority(),
          Action::Reassign({ReassignTarget::Kind::kTeamLead, ""}),
          Action::Reassign({ReassignTarget::Kind::kOtherTeam, "tier2"})));
  EXPECT_EQ(ladder->steps[2].trigger.kind, Trigger::Kind::kAfterBreach);
  EXPECT_EQ(ladder->steps[2].trigger.delay, absl::Minutes(30));
  EXPECT_THAT(ladder->steps[2].actions,
              ElementsAre(Action::Notify({Recipient::Kind::kNamed, "mia"}),
                          Action::AddNote("Escalated to management")));
  // The converted ladder is a valid one.
  EXPECT_TRUE(ValidateLadder(*ladder).ok()) << ValidateLadder(*ladder);
}

TEST(LadderTest, RoundTrip) {
  const v1::Ladder in = Parse<v1::Ladder>(kLadderText);
  absl::StatusOr<Ladder> ladder = LadderFromProto(in);
  ASSERT_TRUE(ladder.ok()) << ladder.status();
  LadderRecord record{*ladder, 4, kT0};
  v1::Ladder out;
  LadderToProto(record, &out);
  EXPECT_TRUE(MessageDifferencer::Equals(in, out)) << out.ShortDebugString();
}

TEST(LadderTest, EveryRecipientAndReassignKind) {
  const v1::Ladder in = Parse<v1::Ladder>(R"pb(
    metric: METRIC_PERIODIC_UPDATE
    steps {
      level: 1
      trigger: TRIGGER_KIND_ON_BREACH
      actions { kind: ACTION_KIND_NOTIFY recipient: RECIPIENT_KIND_ASSIGNEE }
      actions { kind: ACTION_KIND_NOTIFY recipient: RECIPIENT_KIND_TEAM_LEAD }
      actions {
        kind: ACTION_KIND_NOTIFY
        recipient: RECIPIENT_KIND_TEAM_MANAGER
      }
      actions {
        kind: ACTION_KIND_NOTIFY
        recipient: RECIPIENT_KIND_NAMED
        recipient_agent_id: "mia"
      }
      actions { kind: ACTION_KIND_REASSIGN reassign: REASSIGN_KIND_TEAM_LEAD }
      actions {
        kind: ACTION_KIND_REASSIGN
        reassign: REASSIGN_KIND_OTHER_TEAM
        reassign_team_id: "tier2"
      }
      actions { kind: ACTION_KIND_REASSIGN reassign: REASSIGN_KIND_NEXT_TIER }
    }
    etag: "0"
  )pb");
  absl::StatusOr<Ladder> ladder = LadderFromProto(in);
  ASSERT_TRUE(ladder.ok()) << ladder.status();
  EXPECT_THAT(
      ladder->steps[0].actions,
      ElementsAre(Action::Notify({Recipient::Kind::kAssignee, ""}),
                  Action::Notify({Recipient::Kind::kTeamLead, ""}),
                  Action::Notify({Recipient::Kind::kTeamManager, ""}),
                  Action::Notify({Recipient::Kind::kNamed, "mia"}),
                  Action::Reassign({ReassignTarget::Kind::kTeamLead, ""}),
                  Action::Reassign({ReassignTarget::Kind::kOtherTeam, "tier2"}),
                  Action::Reassign({ReassignTarget::Kind::kNextTier, ""})));
  LadderRecord record{*ladder, 0, absl::InfinitePast()};
  v1::Ladder out;
  LadderToProto(record, &out);
  EXPECT_TRUE(MessageDifferencer::Equals(in, out)) << out.ShortDebugString();
}

TEST(LadderTest, BadValuesNameTheField) {
  v1::Ladder in = Parse<v1::Ladder>(kLadderText);
  in.set_metric(sla::v1::METRIC_UNSPECIFIED);
  ExpectInvalid(LadderFromProto(in).status(),
                "ladder.metric: unspecified metric");

  in = Parse<v1::Ladder>(kLadderText);
  in.mutable_steps(1)->set_trigger(static_cast<v1::TriggerKind>(8));
  ExpectInvalid(LadderFromProto(in).status(),
                "ladder.steps[1].trigger: unknown trigger 8");

  in = Parse<v1::Ladder>(kLadderText);
  in.mutable_steps(0)->set_trigger(v1::TRIGGER_KIND_UNSPECIFIED);
  ExpectInvalid(LadderFromProto(in).status(),
                "ladder.steps[0].trigger: unspecified trigger");

  in = Parse<v1::Ladder>(kLadderText);
  in.mutable_steps(1)->mutable_actions(2)->set_kind(
      v1::ACTION_KIND_UNSPECIFIED);
  ExpectInvalid(LadderFromProto(in).status(),
                "ladder.steps[1].actions[2].kind: unspecified action kind");

  in = Parse<v1::Ladder>(kLadderText);
  in.mutable_steps(2)->mutable_actions(0)->set_recipient(
      static_cast<v1::RecipientKind>(5));
  ExpectInvalid(
      LadderFromProto(in).status(),
      "ladder.steps[2].actions[0].recipient: unknown recipient kind 5");

  in = Parse<v1::Ladder>(kLadderText);
  in.mutable_steps(1)->mutable_actions(1)->set_reassign(
      static_cast<v1::ReassignKind>(-1));
  ExpectInvalid(
      LadderFromProto(in).status(),
      "ladder.steps[1].actions[1].reassign: unknown reassign kind -1");

  in = Parse<v1::Ladder>(kLadderText);
  in.mutable_steps(2)->mutable_delay()->set_nanos(-5);
  ExpectInvalid(LadderFromProto(in).status(),
                "ladder.steps[2].delay: malformed duration (1800s, -5ns)");
}

TEST(LadderTest, UnspecifiedRecipientIsLeftToValidation) {
  v1::Ladder in = Parse<v1::Ladder>(kLadderText);
  in.mutable_steps(0)->mutable_actions(0)->set_recipient(
      v1::RECIPIENT_KIND_UNSPECIFIED);
  absl::StatusOr<Ladder> ladder = LadderFromProto(in);
  ASSERT_TRUE(ladder.ok()) << ladder.status();
  EXPECT_EQ(ladder->steps[0].actions[0].recipient.kind, Recipient::Kind::kNone);
  EXPECT_EQ(ValidateLadder(*ladder).code(), absl::StatusCode::kInvalidArgument);
}

// ---- routing
// -----------------------------------------------------------------

TEST(DraftTest, Defaults) {
  absl::StatusOr<TicketToRoute> t = TicketDraftFromProto(v1::TicketDraft());
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->id, 0);
  EXPECT_EQ(t->kind, "question");
  EXPECT_EQ(t->cx_level, "");
  EXPECT_EQ(t->priority, "normal");
  EXPECT_EQ(t->channel, "web");
}

TEST(DraftTest, EveryField) {
  absl::StatusOr<TicketToRoute> t =
      TicketDraftFromProto(Parse<v1::TicketDraft>(R"pb(
        kind: KIND_COMPLAINT
        cx_level: CX_LEVEL_EMOTION
        priority: PRIORITY_HIGH
        channel: CHANNEL_PHONE
        tags: "vip"
        tags: "refund"
        subject: "Rude agent"
        description: "I want a refund"
        customer_email: "c@example.com"
      )pb"));
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->kind, "complaint");
  EXPECT_EQ(t->cx_level, "emotion");
  EXPECT_EQ(t->priority, "high");
  EXPECT_EQ(t->channel, "phone");
  EXPECT_THAT(t->tags, ElementsAre("vip", "refund"));
  EXPECT_EQ(t->subject, "Rude agent");
  EXPECT_EQ(t->description, "I want a refund");
  EXPECT_EQ(t->customer_email, "c@example.com");
}

TEST(DraftTest, UnknownValuesNameTheField) {
  v1::TicketDraft d;
  d.set_kind(static_cast<ticket::v1::Kind>(9));
  ExpectInvalid(TicketDraftFromProto(d).status(), "draft.kind: unknown kind 9");
  d = v1::TicketDraft();
  d.set_cx_level(static_cast<ticket::v1::CxLevel>(6));
  ExpectInvalid(TicketDraftFromProto(d).status(),
                "draft.cx_level: unknown CX level 6");
  d = v1::TicketDraft();
  d.set_priority(static_cast<ticket::v1::Priority>(5));
  ExpectInvalid(TicketDraftFromProto(d).status(),
                "draft.priority: unknown priority 5");
  d = v1::TicketDraft();
  d.set_channel(static_cast<ticket::v1::Channel>(77));
  ExpectInvalid(TicketDraftFromProto(d).status(),
                "draft.channel: unknown channel 77");
}

TEST(DecisionTest, RoundTrip) {
  Decision d;
  d.id = 31;
  d.ticket_id = 42;
  d.at = kT0;
  d.trigger = RoutingTrigger::kCapacityFreed;
  d.rule_id = "emotion-to-care";
  d.team = "care";
  d.strategy = Strategy::kLeastLoaded;
  d.outcome = RoutingOutcome::kAssigned;
  d.agent = "bob";
  d.candidates = {"ann", "bob"};
  d.explanation = "least_loaded: chose bob";
  v1::RoutingDecision proto;
  DecisionToProto(d, &proto);
  EXPECT_TRUE(
      MessageDifferencer::Equals(proto, Parse<v1::RoutingDecision>(R"pb(
                                   decision_id: 31
                                   ticket_id: 42
                                   decide_time { seconds: 1795000000 }
                                   trigger: ROUTING_TRIGGER_CAPACITY_FREED
                                   rule_id: "emotion-to-care"
                                   team_id: "care"
                                   strategy: STRATEGY_LEAST_LOADED
                                   outcome: ROUTING_OUTCOME_ASSIGNED
                                   agent_id: "bob"
                                   candidates: "ann"
                                   candidates: "bob"
                                   explanation: "least_loaded: chose bob"
                                 )pb")))
      << proto.ShortDebugString();
  absl::StatusOr<Decision> back = DecisionFromProto(proto);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->id, 31);
  EXPECT_EQ(back->at, kT0);
  EXPECT_EQ(back->trigger, RoutingTrigger::kCapacityFreed);
  EXPECT_EQ(back->strategy, Strategy::kLeastLoaded);
  EXPECT_EQ(back->outcome, RoutingOutcome::kAssigned);
  EXPECT_THAT(back->candidates, ElementsAre("ann", "bob"));
}

TEST(DecisionTest, EveryTriggerAndOutcome) {
  for (int t = v1::ROUTING_TRIGGER_NEW_TICKET; t <= v1::ROUTING_TRIGGER_DRY_RUN;
       ++t) {
    for (int o = v1::ROUTING_OUTCOME_ASSIGNED; o <= v1::ROUTING_OUTCOME_ROUTED;
         ++o) {
      v1::RoutingDecision in;
      in.set_trigger(static_cast<v1::RoutingTrigger>(t));
      in.set_outcome(static_cast<v1::RoutingOutcome>(o));
      in.set_strategy(v1::STRATEGY_QUEUE_ONLY);
      ExpectProtoRoundTrip(in, DecisionFromProto, DecisionToProto);
    }
  }
  v1::RoutingDecision in;
  in.set_strategy(v1::STRATEGY_QUEUE_ONLY);
  in.set_outcome(v1::ROUTING_OUTCOME_ROUTED);
  ExpectInvalid(DecisionFromProto(in).status(),
                "decision.trigger: unspecified trigger");
  in.set_trigger(v1::ROUTING_TRIGGER_MANUAL);
  in.set_outcome(static_cast<v1::RoutingOutcome>(4));
  ExpectInvalid(DecisionFromProto(in).status(),
                "decision.outcome: unknown outcome 4");
}

TEST(QueuedTicketTest, NoClockLeavesTheDeadlineUnset) {
  QueuedTicket t;
  t.ticket_id = 7;
  t.priority = "urgent";
  t.queued_at = kT0;
  v1::QueuedTicket out;
  QueuedTicketToProto(t, &out);
  EXPECT_EQ(out.ticket_id(), 7);
  EXPECT_EQ(out.priority(), ticket::v1::PRIORITY_URGENT);
  EXPECT_EQ(out.queue_time().seconds(), 1795000000);
  EXPECT_FALSE(out.has_next_deadline());
  t.next_deadline = kT0 + absl::Minutes(5);
  QueuedTicketToProto(t, &out);
  EXPECT_EQ(out.next_deadline().seconds(), 1795000300);
}

// ---- escalations, notifications, deliveries
// ----------------------------------

TEST(EscalationQueryTest, OptionalFilters) {
  v1::ListEscalationsRequest r;
  EscalationQuery q = EscalationQueryFromProto(r);
  EXPECT_EQ(q.ticket_id, 0);
  EXPECT_EQ(q.from, std::nullopt);
  EXPECT_EQ(q.to, std::nullopt);
  EXPECT_EQ(q.acknowledged, std::nullopt);
  r = Parse<v1::ListEscalationsRequest>(R"pb(
    ticket_id: 4
    team_id: "care"
    level: 2
    start_time { seconds: 1795000000 }
    end_time { seconds: 1795003600 }
    acknowledged: false
  )pb");
  q = EscalationQueryFromProto(r);
  EXPECT_EQ(q.ticket_id, 4);
  EXPECT_EQ(q.team, "care");
  EXPECT_EQ(q.level, 2);
  EXPECT_EQ(q.from, kT0);
  EXPECT_EQ(q.to, kT0 + absl::Hours(1));
  EXPECT_EQ(q.acknowledged, false);
}

EscalationRecord SampleEscalation() {
  EscalationRecord r;
  r.id = 88;
  r.key = {42, "resolution", 2};
  r.level = 2;
  r.trigger = Trigger::Kind::kOnBreach;
  r.team = "care";
  r.occur_time = kT0;
  r.record_time = kT0 + absl::Seconds(1);
  r.explanation = "resolution breached";
  r.recipients = {"lee"};
  r.actions = {Action::RaisePriority(),
               Action::Notify({Recipient::Kind::kTeamLead, ""})};
  ActionRecord raised;
  raised.state = ActionRecord::State::kFailed;
  raised.detail = "priority high -> urgent";
  raised.error = "ticket closed";
  ActionRecord notified;
  notified.state = ActionRecord::State::kDone;
  notified.detail = "notified lee";
  r.results = {raised, notified};
  r.acknowledged = true;
  r.acknowledged_by = "lee";
  r.acknowledge_time = kT0 + absl::Minutes(3);
  return r;
}

TEST(EscalationTest, ActionsCarryTheirResults) {
  v1::Escalation out;
  EscalationToProto(SampleEscalation(), &out);
  EXPECT_TRUE(
      MessageDifferencer::Equals(out, Parse<v1::Escalation>(R"pb(
                                   escalation_id: 88
                                   ticket_id: 42
                                   metric: METRIC_RESOLUTION
                                   cycle: 2
                                   level: 2
                                   trigger: TRIGGER_KIND_ON_BREACH
                                   team_id: "care"
                                   occur_time { seconds: 1795000000 }
                                   record_time { seconds: 1795000001 }
                                   skipped: false
                                   explanation: "resolution breached"
                                   actions {
                                     action { kind: ACTION_KIND_RAISE_PRIORITY }
                                     state: ACTION_STATE_FAILED
                                     detail: "priority high -> urgent"
                                     error: "ticket closed"
                                   }
                                   actions {
                                     action {
                                       kind: ACTION_KIND_NOTIFY
                                       recipient: RECIPIENT_KIND_TEAM_LEAD
                                     }
                                     state: ACTION_STATE_DONE
                                     detail: "notified lee"
                                   }
                                   recipients: "lee"
                                   acknowledged: true
                                   acknowledged_by: "lee"
                                   acknowledge_time { seconds: 1795000180 }
                                 )pb")))
      << out.ShortDebugString();
  ExpectProtoRoundTrip(out, EscalationFromProto, EscalationToProto);
}

TEST(EscalationTest, MissingResultIsPendingAndUnacknowledgedHasNoTime) {
  EscalationRecord r = SampleEscalation();
  r.results.resize(1);
  r.acknowledged = false;
  r.acknowledged_by.clear();
  r.acknowledge_time.reset();
  r.skipped = true;
  v1::Escalation out;
  EscalationToProto(r, &out);
  ASSERT_EQ(out.actions_size(), 2);
  EXPECT_EQ(out.actions(1).state(), v1::ACTION_STATE_PENDING);
  EXPECT_TRUE(out.skipped());
  EXPECT_FALSE(out.has_acknowledge_time());
  absl::StatusOr<EscalationRecord> back = EscalationFromProto(out);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->acknowledge_time, std::nullopt);
  ASSERT_EQ(back->results.size(), 2u);
  EXPECT_EQ(back->results[1].state, ActionRecord::State::kPending);
  EXPECT_EQ(back->results[1].action_index, 1);
  EXPECT_EQ(back->results[1].escalation_id, 88);
  EXPECT_EQ(back->actions, r.actions);
}

TEST(EscalationTest, EveryActionState) {
  for (int s = v1::ACTION_STATE_PENDING; s <= v1::ACTION_STATE_SKIPPED; ++s) {
    v1::Escalation in;
    in.set_metric(sla::v1::METRIC_NEXT_RESPONSE);
    in.set_trigger(v1::TRIGGER_KIND_ON_WARNING);
    v1::ActionResult* a = in.add_actions();
    a->mutable_action()->set_kind(v1::ACTION_KIND_ADD_NOTE);
    a->mutable_action()->set_note("n");
    a->set_state(static_cast<v1::ActionState>(s));
    ExpectProtoRoundTrip(in, EscalationFromProto, EscalationToProto);
  }
  v1::Escalation in;
  in.set_metric(sla::v1::METRIC_NEXT_RESPONSE);
  in.set_trigger(v1::TRIGGER_KIND_ON_WARNING);
  in.add_actions()->mutable_action()->set_kind(v1::ACTION_KIND_RAISE_PRIORITY);
  ExpectInvalid(EscalationFromProto(in).status(),
                "escalation.actions[0].state: unspecified action state");
  in.mutable_actions(0)->set_state(v1::ACTION_STATE_DONE);
  in.mutable_actions(0)->mutable_action()->set_kind(
      static_cast<v1::ActionKind>(12));
  ExpectInvalid(EscalationFromProto(in).status(),
                "escalation.actions[0].action.kind: unknown action kind 12");
}

TEST(NotificationTest, RoundTripWithCursor) {
  NotificationRecord r;
  r.id = 5;
  r.cursor = {1234, 5};
  r.recipient = "ann";
  r.ticket_id = 42;
  r.escalation_id = 88;
  r.level = 1;
  r.metric = "first_response";
  r.title = "Ticket 42: first response warning (level 1)";
  r.body = "line one\nline two";
  r.team = "care";
  r.create_time = kT0;
  r.read = true;
  v1::Notification out;
  NotificationToProto(r, &out);
  EXPECT_EQ(out.cursor(), "1234-5");
  EXPECT_EQ(out.metric(), sla::v1::METRIC_FIRST_RESPONSE);
  EXPECT_EQ(out.create_time().seconds(), 1795000000);
  absl::StatusOr<NotificationRecord> back = NotificationFromProto(out);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->cursor, r.cursor);
  EXPECT_EQ(back->id, 5);
  EXPECT_EQ(back->recipient, "ann");
  EXPECT_EQ(back->metric, "first_response");
  EXPECT_EQ(back->body, r.body);
  EXPECT_EQ(back->create_time, kT0);
  EXPECT_TRUE(back->read);
  EXPECT_EQ(back->team, "");  // Not part of the message.
  ExpectProtoRoundTrip(out, NotificationFromProto, NotificationToProto);
}

TEST(NotificationTest, BadCursorAndMetric) {
  v1::Notification in;
  in.set_metric(sla::v1::METRIC_RESOLUTION);
  in.set_cursor("12:5");
  ExpectInvalid(NotificationFromProto(in).status(),
                "notification.cursor: malformed cursor (expected the cursor of "
                "an event)");
  in.set_cursor("");
  in.set_metric(static_cast<sla::v1::Metric>(10));
  ExpectInvalid(NotificationFromProto(in).status(),
                "notification.metric: unknown metric 10");
}

TEST(DeliveryTest, NextAttemptOnlyWhilePending) {
  DeliveryRecord r;
  r.id = 3;
  r.team = "care";
  r.notification_id = 5;
  r.url = "https://hooks.example/care";
  r.payload = "{}";
  r.state = DeliveryRecord::State::kPending;
  r.attempts = 2;
  r.last_status_code = 503;
  r.last_error = "HTTP 503";
  r.next_attempt = kT0 + absl::Minutes(1);
  r.create_time = kT0;
  v1::WebhookDelivery out;
  DeliveryToProto(r, &out);
  EXPECT_TRUE(
      MessageDifferencer::Equals(out, Parse<v1::WebhookDelivery>(R"pb(
                                   delivery_id: 3
                                   team_id: "care"
                                   notification_id: 5
                                   url: "https://hooks.example/care"
                                   state: DELIVERY_STATE_PENDING
                                   attempts: 2
                                   last_status_code: 503
                                   last_error: "HTTP 503"
                                   next_attempt_time { seconds: 1795000060 }
                                   create_time { seconds: 1795000000 }
                                 )pb")))
      << out.ShortDebugString();
  ExpectProtoRoundTrip(out, DeliveryFromProto, DeliveryToProto);

  r.state = DeliveryRecord::State::kDelivered;
  r.deliver_time = kT0 + absl::Minutes(2);
  out.Clear();
  DeliveryToProto(r, &out);
  EXPECT_EQ(out.state(), v1::DELIVERY_STATE_DELIVERED);
  EXPECT_FALSE(out.has_next_attempt_time());
  EXPECT_EQ(out.deliver_time().seconds(), 1795000120);
  ExpectProtoRoundTrip(out, DeliveryFromProto, DeliveryToProto);

  r.state = DeliveryRecord::State::kDead;
  r.deliver_time.reset();
  out.Clear();
  DeliveryToProto(r, &out);
  EXPECT_EQ(out.state(), v1::DELIVERY_STATE_DEAD);
  EXPECT_FALSE(out.has_deliver_time());

  out.set_state(v1::DELIVERY_STATE_UNSPECIFIED);
  ExpectInvalid(DeliveryFromProto(out).status(),
                "delivery.state: unspecified delivery state");
}

TEST(FiguresTest, RoundTrip) {
  Figures f;
  f.agents = {{"ann", 4, 2, 5}, {"bob", 0, 0, 3}};
  Figures::TeamRow team;
  team.team = "care";
  team.routed = 10;
  team.queued = 3;
  team.assigned_from_queue = 2;
  team.queue_p50 = absl::Minutes(4);
  team.queue_p90 = absl::Minutes(9);
  team.queue_max = absl::Minutes(12) + absl::Milliseconds(500);
  team.waiting_now = 1;
  f.teams = {team};
  f.levels = {{1, 6, 1, 2}, {2, 2, 0, 1}};
  v1::EscalationFigures out;
  FiguresToProto(f, kT0, kT0 + absl::Hours(24), &out);
  EXPECT_EQ(out.start_time().seconds(), 1795000000);
  EXPECT_EQ(out.end_time().seconds(), 1795086400);
  ASSERT_EQ(out.agents_size(), 2);
  EXPECT_EQ(out.agents(0).agent_id(), "ann");
  EXPECT_EQ(out.agents(0).assignments(), 4);
  EXPECT_EQ(out.agents(0).open_tickets(), 2);
  EXPECT_EQ(out.agents(0).capacity(), 5);
  ASSERT_EQ(out.teams_size(), 1);
  EXPECT_EQ(out.teams(0).queue_time_max().seconds(), 720);
  EXPECT_EQ(out.teams(0).queue_time_max().nanos(), 500000000);
  ASSERT_EQ(out.levels_size(), 2);
  EXPECT_EQ(out.levels(1).acknowledged(), 1);

  const Figures back = FiguresFromProto(out);
  ASSERT_EQ(back.agents.size(), 2u);
  EXPECT_EQ(back.agents[1].agent, "bob");
  EXPECT_EQ(back.agents[1].capacity, 3);
  ASSERT_EQ(back.teams.size(), 1u);
  EXPECT_EQ(back.teams[0].team, "care");
  EXPECT_EQ(back.teams[0].routed, 10);
  EXPECT_EQ(back.teams[0].queued, 3);
  EXPECT_EQ(back.teams[0].assigned_from_queue, 2);
  EXPECT_EQ(back.teams[0].queue_p50, absl::Minutes(4));
  EXPECT_EQ(back.teams[0].queue_p90, absl::Minutes(9));
  EXPECT_EQ(back.teams[0].queue_max, team.queue_max);
  EXPECT_EQ(back.teams[0].waiting_now, 1);
  ASSERT_EQ(back.levels.size(), 2u);
  EXPECT_EQ(back.levels[0].level, 1);
  EXPECT_EQ(back.levels[0].ran, 6);
  EXPECT_EQ(back.levels[0].skipped, 1);
  EXPECT_EQ(back.levels[0].acknowledged, 2);
}

TEST(FiguresTest, MissingWindowEndsStayUnset) {
  v1::EscalationFigures out;
  FiguresToProto(Figures(), absl::InfinitePast(), absl::InfiniteFuture(), &out);
  EXPECT_FALSE(out.has_start_time());
  EXPECT_FALSE(out.has_end_time());
}

}  // namespace
}  // namespace cxdesk::escalation
