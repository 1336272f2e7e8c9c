// EscalationManager on the in-memory store and FakeClock: authorisation,
// validation with the field named, configuration CRUD with versions and the
// configuration revision, routing on request, acknowledgement, and the
// paged listings. Exact codes, messages and instants. No PostgreSQL.

#include "services/escalation/escalation_manager.h"

#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/testing/fake_clock.h"
#include "services/common/token.h"
#include "services/escalation/testing/escalation_builders.h"
#include "services/escalation/testing/fake_escalation_store.h"
#include "services/escalation/testing/fake_shift_calendars.h"
#include "services/escalation/testing/fake_ticket_gateway.h"

namespace cxdesk::escalation {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using testing::MakeAgent;
using testing::MakeLadder;
using testing::MakeRule;
using testing::MakeStep;
using testing::MakeTeam;
using ::testing::SizeIs;
using testing::SlaEvent;
using ::testing::StartsWith;
using testing::TicketEvent;

// 2026-01-01T09:00:00Z.
const absl::Time kT0 = absl::FromUnixSeconds(1767258000);
constexpr char kSecret[] = "manager-test-secret";

// The code and message of a failed call, for one-line assertions.
template <typename T>
std::pair<absl::StatusCode, std::string> Failure(const absl::StatusOr<T>& r) {
  return {r.status().code(), std::string(r.status().message())};
}
std::pair<absl::StatusCode, std::string> Failure(const absl::Status& s) {
  return {s.code(), std::string(s.message())};
}

class ManagerTest : public ::testing::Test {
 protected:
  std::string Token(common::StaffRole role, const std::string& subject) {
    return *common::SignToken({subject, role, clock_.Now() + absl::Hours(1)},
                              kSecret);
  }
  std::string Manager() { return Token(common::StaffRole::kManager, "boss"); }
  std::string Agent(const std::string& who = "ann") {
    return Token(common::StaffRole::kAgent, who);
  }
  // The team care (lead "lead") with agents lead, ann and bob.
  void Desk() {
    ASSERT_TRUE(manager_.CreateAgent(Manager(), MakeAgent("lead", {}, 5)).ok());
    ASSERT_TRUE(manager_.CreateTeam(Manager(), MakeTeam("care", "lead")).ok());
    ASSERT_TRUE(
        manager_.CreateAgent(Manager(), MakeAgent("ann", {"care"}, 1)).ok());
    ASSERT_TRUE(
        manager_.CreateAgent(Manager(), MakeAgent("bob", {"care"}, 1)).ok());
  }

  common::FakeClock clock_{kT0};
  FakeEscalationStore store_;
  DirectoryCache directory_{store_};
  FakeTicketGateway gateway_;
  FakeShiftCalendars shifts_;
  Engine engine_{store_, directory_, gateway_, &shifts_, clock_, {"esc"}};
  EscalationManager manager_{store_, engine_, clock_, kSecret, nullptr};
};

// ---- authorisation ----

TEST_F(ManagerTest, EveryCallNeedsAValidTokenAndWritesNeedAManager) {
  EXPECT_EQ(manager_.GetTeam("", "care").status().code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(manager_.GetTeam("not-a-token", "care").status().code(),
            absl::StatusCode::kUnauthenticated);
  const std::string expired = Agent();
  clock_.Advance(absl::Hours(2));
  EXPECT_EQ(manager_.ListTeams(expired, 0, "").status().code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(Failure(manager_.CreateTeam(Agent(), MakeTeam("care"))),
            std::make_pair(absl::StatusCode::kPermissionDenied,
                           std::string("this call is for managers only")));
  EXPECT_EQ(manager_.DeleteLadder(Agent(), "resolution").code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(manager_.ListWebhookDeliveries(Agent(), "", std::nullopt, 0, "")
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(store_.LoadDirectory()->teams, IsEmpty());
}

// ---- teams ----

TEST_F(ManagerTest, TeamInputIsValidatedFieldByField) {
  EXPECT_EQ(Failure(manager_.CreateTeam(Manager(), MakeTeam(""))),
            std::make_pair(absl::StatusCode::kInvalidArgument,
                           std::string("team.team_id: required")));
  TeamRecord hook = MakeTeam("care");
  hook.webhook_url = "ftp://hooks.example";
  EXPECT_EQ(Failure(manager_.CreateTeam(Manager(), hook)),
            std::make_pair(
                absl::StatusCode::kInvalidArgument,
                std::string(
                    "team.webhook.url: must start with http:// or https://")));
  EXPECT_EQ(
      Failure(manager_.CreateTeam(Manager(), MakeTeam("care", "ghost"))),
      std::make_pair(absl::StatusCode::kNotFound,
                     std::string("team.lead: agent \"ghost\" not found")));
  EXPECT_EQ(
      manager_.CreateTeam(Manager(), MakeTeam("care team")).status().code(),
      absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(*store_.ConfigRevision(), 0);  // Nothing was written.
}

TEST_F(ManagerTest, TeamsAreVersionedAndEveryWriteMovesTheRevision) {
  absl::StatusOr<TeamRecord> created =
      manager_.CreateTeam(Manager(), MakeTeam("care"));
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->version, 1);
  EXPECT_EQ(created->update_time, kT0);
  EXPECT_EQ(*store_.ConfigRevision(), 1);
  EXPECT_EQ(manager_.CreateTeam(Manager(), MakeTeam("care")).status().code(),
            absl::StatusCode::kAlreadyExists);

  clock_.Set(kT0 + absl::Minutes(1));
  TeamRecord change = *created;
  change.display_name = "Customer care";
  absl::StatusOr<TeamRecord> updated =
      manager_.UpdateTeam(Manager(), change, "1");
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->version, 2);
  EXPECT_EQ(updated->display_name, "Customer care");
  EXPECT_EQ(updated->update_time, kT0 + absl::Minutes(1));
  EXPECT_EQ(*store_.ConfigRevision(), 2);

  EXPECT_EQ(Failure(manager_.UpdateTeam(Manager(), change, "1")),
            std::make_pair(absl::StatusCode::kAborted,
                           std::string("team \"care\" changed since it was "
                                       "read (stale etag)")));
  EXPECT_EQ(Failure(manager_.UpdateTeam(Manager(), change, "")),
            std::make_pair(absl::StatusCode::kInvalidArgument,
                           std::string("etag: required")));
  EXPECT_EQ(manager_.UpdateTeam(Manager(), change, "x").status().code(),
            absl::StatusCode::kInvalidArgument);
  change.team.id = "ghost";
  EXPECT_EQ(manager_.UpdateTeam(Manager(), change, "1").status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(*store_.ConfigRevision(), 2);
}

TEST_F(ManagerTest, OnlyOneDefaultTeamAndNoDeletingATeamInUse) {
  Desk();
  TeamRecord other = MakeTeam("other");
  other.default_team = true;
  ASSERT_TRUE(manager_.CreateTeam(Manager(), other).ok());
  TeamRecord care = *manager_.GetTeam(Agent(), "care");
  care.default_team = true;
  EXPECT_EQ(Failure(manager_.UpdateTeam(Manager(), care, "1")),
            std::make_pair(absl::StatusCode::kFailedPrecondition,
                           std::string("team.default_team: team \"other\" is "
                                       "the default team already; unset it "
                                       "there first")));
  EXPECT_EQ(Failure(manager_.DeleteTeam(Manager(), "care")),
            std::make_pair(absl::StatusCode::kFailedPrecondition,
                           std::string("team \"care\" still has agents")));
  EXPECT_EQ(manager_.DeleteTeam(Manager(), "other").code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(manager_.DeleteTeam(Manager(), "ghost").code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(Failure(manager_.DeleteAgent(Manager(), "lead")),
            std::make_pair(absl::StatusCode::kFailedPrecondition,
                           std::string("agent \"lead\" leads or manages team "
                                       "\"care\"")));
}

TEST_F(ManagerTest, TeamsArePagedInIdOrder) {
  for (const char* id : {"c", "a", "b"}) {
    ASSERT_TRUE(manager_.CreateTeam(Manager(), MakeTeam(id)).ok());
  }
  absl::StatusOr<Page<TeamRecord>> first = manager_.ListTeams(Agent(), 2, "");
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_THAT(first->items, SizeIs(2));
  EXPECT_EQ(first->items[0].team.id, "a");
  EXPECT_EQ(first->items[1].team.id, "b");
  EXPECT_FALSE(first->next_page_token.empty());
  absl::StatusOr<Page<TeamRecord>> second =
      manager_.ListTeams(Agent(), 2, first->next_page_token);
  ASSERT_TRUE(second.ok()) << second.status();
  ASSERT_THAT(second->items, SizeIs(1));
  EXPECT_EQ(second->items[0].team.id, "c");
  EXPECT_EQ(second->next_page_token, "");
  EXPECT_EQ(manager_.ListTeams(Agent(), -1, "").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(manager_.ListTeams(Agent(), 2, "garbage").status().code(),
            absl::StatusCode::kInvalidArgument);
  // A token of another listing is refused.
  EXPECT_EQ(
      manager_.ListRules(Agent(), 2, first->next_page_token).status().code(),
      absl::StatusCode::kInvalidArgument);
}

// ---- agents ----

TEST_F(ManagerTest, AgentInputIsValidatedAndNormalised) {
  Desk();
  EXPECT_EQ(
      Failure(manager_.CreateAgent(Manager(), MakeAgent("cid", {"ghost"}))),
      std::make_pair(
          absl::StatusCode::kNotFound,
          std::string("agent.team_ids[0]: team \"ghost\" not found")));
  AgentRecord tier = MakeAgent("cid", {"care"});
  tier.agent.tier = 0;
  EXPECT_EQ(Failure(manager_.CreateAgent(Manager(), tier)),
            std::make_pair(absl::StatusCode::kInvalidArgument,
                           std::string("agent.tier: must be 1..9")));
  AgentRecord cap = MakeAgent("cid", {"care"}, 1001);
  EXPECT_EQ(Failure(manager_.CreateAgent(Manager(), cap)),
            std::make_pair(absl::StatusCode::kInvalidArgument,
                           std::string("agent.capacity: must be 0..1000")));
  AgentRecord cid = MakeAgent("cid", {"care", "care"});
  cid.agent.skills = {"Billing", "billing", "API"};
  absl::StatusOr<AgentRecord> created = manager_.CreateAgent(Manager(), cid);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_THAT(created->agent.teams, ElementsAre("care"));
  EXPECT_THAT(created->agent.skills, ElementsAre("api", "billing"));
  EXPECT_EQ(created->version, 1);
  EXPECT_EQ(created->open_tickets, 0);
}

TEST_F(ManagerTest, AgentsSetOnlyTheirOwnAvailabilityAndOnlineDrainsTheQueue) {
  Desk();
  EXPECT_EQ(manager_.SetAvailability(Agent("ann"), "bob", Availability::kAway)
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);
  ASSERT_TRUE(
      manager_.SetAvailability(Agent("ann"), "", Availability::kOffline).ok());
  ASSERT_TRUE(
      manager_.SetAvailability(Manager(), "bob", Availability::kOffline).ok());
  EXPECT_EQ(manager_.SetAvailability(Manager(), "ghost", Availability::kOnline)
                .status()
                .code(),
            absl::StatusCode::kNotFound);

  // Nobody online: a new ticket of the default team waits in its queue.
  TeamRecord care = *manager_.GetTeam(Agent(), "care");
  care.default_team = true;
  ASSERT_TRUE(manager_.UpdateTeam(Manager(), care, "1").ok());
  ASSERT_TRUE(engine_
                  .ApplyTicketEvents("tickets",
                                     {TicketEvent("created", 9, 1, "c1", kT0)})
                  .ok());
  EXPECT_EQ(store_.Decisions().back().outcome, RoutingOutcome::kQueued);

  clock_.Set(kT0 + absl::Minutes(5));
  absl::StatusOr<AgentRecord> ann =
      manager_.SetAvailability(Agent("ann"), "", Availability::kOnline);
  ASSERT_TRUE(ann.ok()) << ann.status();
  EXPECT_EQ(ann->agent.availability, Availability::kOnline);
  EXPECT_EQ(ann->update_time, kT0 + absl::Minutes(5));
  const Decision d = store_.Decisions().back();
  EXPECT_EQ(d.ticket_id, 9);
  EXPECT_EQ(d.trigger, RoutingTrigger::kCapacityFreed);
  EXPECT_EQ(d.at, kT0 + absl::Minutes(5));
  EXPECT_EQ(d.agent, "ann");
  EXPECT_EQ(manager_.GetAgent(Agent(), "ann")->open_tickets, 1);
}

// ---- routing rules and routing ----

TEST_F(ManagerTest, RulesNameAnExistingTeamAndListInPositionOrder) {
  Desk();
  EXPECT_EQ(
      Failure(manager_.CreateRule(
          Manager(), MakeRule("r", 1, "ghost", Strategy::kRoundRobin))),
      std::make_pair(absl::StatusCode::kNotFound,
                     std::string("rule.team_id: team \"ghost\" not found")));
  RuleRecord bad = MakeRule("r", 1, "care", Strategy::kRoundRobin);
  bad.rule.priorities = {"whenever"};
  absl::Status invalid = manager_.CreateRule(Manager(), bad).status();
  EXPECT_EQ(invalid.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(invalid.message()), StartsWith("rule."));

  ASSERT_TRUE(manager_
                  .CreateRule(Manager(),
                              MakeRule("z", 1, "care", Strategy::kRoundRobin))
                  .ok());
  ASSERT_TRUE(manager_
                  .CreateRule(Manager(),
                              MakeRule("a", 2, "care", Strategy::kRoundRobin))
                  .ok());
  ASSERT_TRUE(manager_
                  .CreateRule(Manager(),
                              MakeRule("m", 1, "care", Strategy::kRoundRobin))
                  .ok());
  absl::StatusOr<Page<RuleRecord>> page = manager_.ListRules(Agent(), 0, "");
  ASSERT_TRUE(page.ok()) << page.status();
  std::vector<std::string> ids;
  for (const RuleRecord& r : page->items) ids.push_back(r.rule.id);
  EXPECT_THAT(ids, ElementsAre("m", "z", "a"));
  EXPECT_EQ(Failure(manager_.DeleteTeam(Manager(), "care")).second,
            "team \"care\" is the target of a routing rule");
}

TEST_F(ManagerTest, RouteTicketChecksTheTargetAndWhoMayReroute) {
  Desk();
  ASSERT_TRUE(manager_
                  .CreateRule(Manager(), MakeRule("all", 1, "care",
                                                  Strategy::kLeastLoaded))
                  .ok());
  EXPECT_EQ(
      Failure(manager_.RouteTicket(Agent(), TicketToRoute{}, false)),
      std::make_pair(
          absl::StatusCode::kInvalidArgument,
          std::string("dry_run: a draft can only be routed as a dry run")));
  EXPECT_EQ(Failure(manager_.RouteTicket(Agent(), int64_t{0}, true)),
            std::make_pair(absl::StatusCode::kInvalidArgument,
                           std::string("ticket_id: must be positive")));
  EXPECT_EQ(Failure(manager_.RouteTicket(Agent(), int64_t{3}, true)),
            std::make_pair(absl::StatusCode::kNotFound,
                           std::string("ticket 3 has not reached the "
                                       "escalation service")));
  absl::StatusOr<Decision> draft =
      manager_.RouteTicket(Agent(), TicketToRoute{}, true);
  ASSERT_TRUE(draft.ok()) << draft.status();
  EXPECT_EQ(draft->agent, "ann");
  EXPECT_EQ(draft->at, kT0);

  ASSERT_TRUE(engine_
                  .ApplyTicketEvents("tickets",
                                     {TicketEvent("created", 3, 1, "c1", kT0)})
                  .ok());
  absl::StatusOr<Decision> dry =
      manager_.RouteTicket(Agent(), int64_t{3}, true);
  ASSERT_TRUE(dry.ok()) << dry.status();
  EXPECT_EQ(dry->ticket_id, 3);
  EXPECT_EQ(dry->trigger, RoutingTrigger::kDryRun);
  EXPECT_EQ(Failure(manager_.RouteTicket(Agent(), int64_t{3}, false)).first,
            absl::StatusCode::kPermissionDenied);
  gateway_.PutTicket(TicketToRoute{3});
  clock_.Set(kT0 + absl::Seconds(30));
  absl::StatusOr<Decision> rerouted =
      manager_.RouteTicket(Manager(), int64_t{3}, false);
  ASSERT_TRUE(rerouted.ok()) << rerouted.status();
  EXPECT_EQ(rerouted->trigger, RoutingTrigger::kManual);
  EXPECT_EQ(rerouted->at, kT0 + absl::Seconds(30));

  absl::StatusOr<std::vector<Decision>> explained =
      manager_.ExplainRouting(Agent(), 3);
  ASSERT_TRUE(explained.ok()) << explained.status();
  ASSERT_THAT(*explained, SizeIs(2));
  EXPECT_EQ((*explained)[0].trigger, RoutingTrigger::kNewTicket);
  EXPECT_EQ((*explained)[1].trigger, RoutingTrigger::kManual);
  EXPECT_EQ(Failure(manager_.ExplainRouting(Agent(), 4)),
            std::make_pair(absl::StatusCode::kNotFound,
                           std::string("no routing decision for ticket 4")));
}

TEST_F(ManagerTest, TheTeamQueueIsListedInWorkOrderWithItsTotal) {
  Desk();
  ASSERT_TRUE(manager_
                  .CreateRule(Manager(),
                              MakeRule("all", 1, "care", Strategy::kQueueOnly))
                  .ok());
  // Queue-only tickets are routed, not queued; capacity decides a queue.
  ASSERT_TRUE(
      manager_.SetAvailability(Manager(), "ann", Availability::kAway).ok());
  ASSERT_TRUE(
      manager_.SetAvailability(Manager(), "bob", Availability::kAway).ok());
  ASSERT_TRUE(
      manager_
          .UpdateRule(Manager(),
                      MakeRule("all", 1, "care", Strategy::kLeastLoaded), "1")
          .ok());
  for (int64_t id : {11, 12, 13}) {
    clock_.Set(kT0 + absl::Seconds(id));
    ASSERT_TRUE(engine_
                    .ApplyTicketEvents(
                        "tickets", {TicketEvent("created", id, 1,
                                                absl::StrCat("c", id), kT0)})
                    .ok());
  }
  auto queue = manager_.ListTeamQueue(Agent(), "care", 2);
  ASSERT_TRUE(queue.ok()) << queue.status();
  EXPECT_EQ(queue->second, 3);
  ASSERT_THAT(queue->first, SizeIs(2));
  EXPECT_EQ(queue->first[0].ticket_id, 11);
  EXPECT_EQ(queue->first[0].queued_at, kT0 + absl::Seconds(11));
  EXPECT_EQ(queue->first[1].ticket_id, 12);
  EXPECT_EQ(manager_.ListTeamQueue(Agent(), "ghost", 0).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(manager_.ListTeamQueue(Agent(), "", 0).status().code(),
            absl::StatusCode::kInvalidArgument);
}

// ---- ladders and escalations ----

Ladder WarningLadder() {
  return MakeLadder(
      "first_response",
      {MakeStep(1, Trigger::OnWarning(),
                {Action::Notify({Recipient::Kind::kAssignee, ""})}),
       MakeStep(2, Trigger::OnBreach(),
                {Action::Notify({Recipient::Kind::kTeamLead, ""})})});
}

TEST_F(ManagerTest, LaddersAreValidatedAndVersioned) {
  Desk();
  Ladder unknown = WarningLadder();
  unknown.metric = "lunch";
  EXPECT_EQ(Failure(manager_.SetLadder(Manager(), unknown, "")),
            std::make_pair(absl::StatusCode::kInvalidArgument,
                           std::string("ladder.metric: unknown SLA metric "
                                       "\"lunch\"")));
  Ladder named = WarningLadder();
  named.steps[0].actions[0] = Action::Notify({Recipient::Kind::kNamed, "zoe"});
  EXPECT_EQ(Failure(manager_.SetLadder(Manager(), named, "")),
            std::make_pair(absl::StatusCode::kNotFound,
                           std::string("ladder.steps[0].actions[0]."
                                       "recipient_agent_id: agent \"zoe\" not "
                                       "found")));
  Ladder empty = WarningLadder();
  empty.steps.clear();
  EXPECT_EQ(manager_.SetLadder(Manager(), empty, "").status().code(),
            absl::StatusCode::kInvalidArgument);

  absl::StatusOr<LadderRecord> set =
      manager_.SetLadder(Manager(), WarningLadder(), "");
  ASSERT_TRUE(set.ok()) << set.status();
  EXPECT_EQ(set->version, 1);
  EXPECT_EQ(manager_.SetLadder(Manager(), WarningLadder(), "1")->version, 2);
  EXPECT_EQ(manager_.SetLadder(Manager(), WarningLadder(), "1").status().code(),
            absl::StatusCode::kAborted);
  EXPECT_THAT(*manager_.ListLadders(Agent()), SizeIs(1));
  EXPECT_EQ(Failure(manager_.GetLadder(Agent(), "resolution")),
            std::make_pair(absl::StatusCode::kNotFound,
                           std::string("no escalation ladder for metric "
                                       "resolution")));
  EXPECT_TRUE(manager_.DeleteLadder(Manager(), "first_response").ok());
  EXPECT_EQ(manager_.DeleteLadder(Manager(), "first_response").code(),
            absl::StatusCode::kNotFound);
}

class EscalatedTest : public ManagerTest {
 protected:
  void SetUp() override {
    Desk();
    ASSERT_TRUE(manager_.SetLadder(Manager(), WarningLadder(), "").ok());
    ASSERT_TRUE(manager_
                    .CreateRule(Manager(), MakeRule("all", 1, "care",
                                                    Strategy::kLeastLoaded))
                    .ok());
    ASSERT_TRUE(engine_
                    .ApplyTicketEvents("tickets",
                                       {TicketEvent("created", 1, 1, "c1", kT0),
                                        TicketEvent("assigned", 1, 2, "c2", kT0,
                                                    "open", "care", "ann")})
                    .ok());
    clock_.Set(kWarned);
    ASSERT_TRUE(
        engine_
            .ApplySlaEvents(
                "sla", {SlaEvent("warned", 1, "first_response", "s1", kWarned)})
            .ok());
    step_ = store_.Escalations().at(0).id;
  }
  const absl::Time kWarned = kT0 + absl::Minutes(45);
  int64_t step_ = 0;
};

TEST_F(EscalatedTest, OnlyRecipientsTheAssigneeOrAManagerAcknowledge) {
  EXPECT_EQ(Failure(manager_.AcknowledgeEscalation(Agent("bob"), step_)),
            std::make_pair(absl::StatusCode::kPermissionDenied,
                           absl::StrCat("escalation ", step_,
                                        ": only its recipients, the ticket's "
                                        "assignee or a manager may "
                                        "acknowledge it")));
  EXPECT_EQ(Failure(manager_.AcknowledgeEscalation(Agent("ann"), 0)),
            std::make_pair(absl::StatusCode::kInvalidArgument,
                           std::string("escalation_id: must be positive")));
  EXPECT_EQ(manager_.AcknowledgeEscalation(Agent("ann"), 999).status().code(),
            absl::StatusCode::kNotFound);

  clock_.Set(kWarned + absl::Minutes(3));
  absl::StatusOr<EscalationRecord> acked =
      manager_.AcknowledgeEscalation(Agent("ann"), step_);
  ASSERT_TRUE(acked.ok()) << acked.status();
  EXPECT_TRUE(acked->acknowledged);
  EXPECT_EQ(acked->acknowledged_by, "ann");
  EXPECT_EQ(acked->acknowledge_time, kWarned + absl::Minutes(3));
  // A manager's later acknowledgement keeps the first.
  EXPECT_EQ(manager_.AcknowledgeEscalation(Manager(), step_)->acknowledged_by,
            "ann");
}

TEST_F(EscalatedTest, EscalationsAreListedNewestFirstWithTheirFilters) {
  clock_.Set(kT0 + absl::Hours(1));
  ASSERT_TRUE(
      engine_
          .ApplySlaEvents("sla", {SlaEvent("breached", 1, "first_response",
                                           "s2", kT0 + absl::Hours(1))})
          .ok());
  EscalationQuery all;
  absl::StatusOr<Page<EscalationRecord>> page =
      manager_.ListEscalations(Agent(), all, 1, "");
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_THAT(page->items, SizeIs(1));
  EXPECT_EQ(page->items[0].level, 2);
  absl::StatusOr<Page<EscalationRecord>> next =
      manager_.ListEscalations(Agent(), all, 1, page->next_page_token);
  ASSERT_TRUE(next.ok()) << next.status();
  ASSERT_THAT(next->items, SizeIs(1));
  EXPECT_EQ(next->items[0].level, 1);

  EscalationQuery level;
  level.level = 1;
  EXPECT_THAT(manager_.ListEscalations(Agent(), level, 0, "")->items,
              SizeIs(1));
  EscalationQuery window;
  window.from = kT0 + absl::Minutes(50);
  window.to = kT0 + absl::Hours(2);
  absl::StatusOr<Page<EscalationRecord>> late =
      manager_.ListEscalations(Agent(), window, 0, "");
  ASSERT_THAT(late->items, SizeIs(1));
  EXPECT_EQ(late->items[0].occur_time, kT0 + absl::Hours(1));
  window.to = window.from;
  EXPECT_EQ(Failure(manager_.ListEscalations(Agent(), window, 0, "")),
            std::make_pair(absl::StatusCode::kInvalidArgument,
                           std::string("end_time: must be after start_time")));
  EscalationQuery negative;
  negative.ticket_id = -1;
  EXPECT_EQ(manager_.ListEscalations(Agent(), negative, 0, "").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(EscalatedTest, NotificationsAreTheirRecipientsToListAndMarkRead) {
  auto mine = manager_.ListNotifications(Agent("ann"), "", false, 0, "");
  ASSERT_TRUE(mine.ok()) << mine.status();
  ASSERT_THAT(mine->first.items, SizeIs(1));
  EXPECT_EQ(mine->first.items[0].escalation_id, step_);
  EXPECT_EQ(mine->first.items[0].create_time, kWarned);
  EXPECT_EQ(mine->second, 1);
  EXPECT_EQ(
      Failure(manager_.ListNotifications(Agent("bob"), "ann", false, 0, ""))
          .first,
      absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(
      manager_.ListNotifications(Manager(), "ann", true, 0, "")->first.items,
      SizeIs(1));

  EXPECT_EQ(Failure(manager_.MarkNotificationsRead(Agent("ann"), {}, false)),
            std::make_pair(
                absl::StatusCode::kInvalidArgument,
                std::string("notification_ids: give the ids to mark, or set "
                            "all")));
  // bob cannot mark ann's notification read.
  EXPECT_EQ(*manager_.MarkNotificationsRead(Agent("bob"),
                                            {mine->first.items[0].id}, false),
            0);
  EXPECT_EQ(*manager_.MarkNotificationsRead(Agent("ann"), {}, true), 1);
  auto unread = manager_.ListNotifications(Agent("ann"), "", true, 0, "");
  EXPECT_THAT(unread->first.items, IsEmpty());
  EXPECT_EQ(unread->second, 0);
}

TEST_F(ManagerTest, FiguresNeedAWholeWindow) {
  EXPECT_EQ(Failure(manager_.GetFigures(Manager(), absl::InfinitePast(), kT0)),
            std::make_pair(absl::StatusCode::kInvalidArgument,
                           std::string("start_time: required")));
  EXPECT_EQ(
      Failure(manager_.GetFigures(Manager(), kT0, absl::InfiniteFuture())),
      std::make_pair(absl::StatusCode::kInvalidArgument,
                     std::string("end_time: required")));
  EXPECT_EQ(Failure(manager_.GetFigures(Manager(), kT0, kT0)),
            std::make_pair(absl::StatusCode::kInvalidArgument,
                           std::string("end_time: must be after start_time")));
  EXPECT_EQ(
      manager_.GetFigures(Agent(), kT0, kT0 + absl::Hours(1)).status().code(),
      absl::StatusCode::kPermissionDenied);
}

TEST_F(ManagerTest, FiguresCountDecisionsQueueWaitsAndSteps) {
  Desk();
  TeamRecord care = *manager_.GetTeam(Agent(), "care");
  care.default_team = true;
  ASSERT_TRUE(manager_.UpdateTeam(Manager(), care, "1").ok());
  auto apply = [&](absl::Time at, const TicketEventIn& e) {
    clock_.Set(at);
    ASSERT_TRUE(engine_.ApplyTicketEvents("tickets", {e}).ok());
  };
  apply(kT0, TicketEvent("created", 1, 1, "c1", kT0));  // ann
  apply(kT0, TicketEvent("created", 2, 1, "c2", kT0));  // bob
  apply(kT0 + absl::Seconds(10), TicketEvent("created", 3, 1, "c3", kT0));
  apply(kT0 + absl::Seconds(70), TicketEvent("status_changed", 1, 2, "c4", kT0,
                                             "solved", "care", "ann"));

  absl::StatusOr<Figures> f =
      manager_.GetFigures(Manager(), kT0, kT0 + absl::Hours(1));
  ASSERT_TRUE(f.ok()) << f.status();
  ASSERT_THAT(f->agents, SizeIs(3));
  EXPECT_EQ(f->agents[0].agent, "ann");
  EXPECT_EQ(f->agents[0].assignments, 2);  // Tickets 1 and 3.
  EXPECT_EQ(f->agents[0].open_tickets, 1);
  EXPECT_EQ(f->agents[0].capacity, 1);
  EXPECT_EQ(f->agents[1].agent, "bob");
  EXPECT_EQ(f->agents[1].assignments, 1);
  EXPECT_EQ(f->agents[2].agent, "lead");
  EXPECT_EQ(f->agents[2].assignments, 0);
  ASSERT_THAT(f->teams, SizeIs(1));
  const Figures::TeamRow& t = f->teams[0];
  EXPECT_EQ(t.team, "care");
  EXPECT_EQ(t.routed, 3);
  EXPECT_EQ(t.queued, 1);
  EXPECT_EQ(t.assigned_from_queue, 1);
  EXPECT_EQ(t.queue_p50, absl::Seconds(60));
  EXPECT_EQ(t.queue_p90, absl::Seconds(60));
  EXPECT_EQ(t.queue_max, absl::Seconds(60));
  EXPECT_EQ(t.waiting_now, 0);
  EXPECT_THAT(f->levels, IsEmpty());
  // A window before any of it counts nothing.
  f = manager_.GetFigures(Manager(), kT0 - absl::Hours(1), kT0);
  EXPECT_EQ(f->agents[0].assignments, 0);
  EXPECT_EQ(f->teams[0].routed, 0);
}

TEST_F(EscalatedTest, FiguresCountTheStepsOfEachLevel) {
  ASSERT_TRUE(manager_.AcknowledgeEscalation(Agent("ann"), step_).ok());
  absl::StatusOr<Figures> f =
      manager_.GetFigures(Manager(), kT0, kT0 + absl::Hours(2));
  ASSERT_TRUE(f.ok()) << f.status();
  ASSERT_THAT(f->levels, SizeIs(1));
  EXPECT_EQ(f->levels[0].level, 1);
  EXPECT_EQ(f->levels[0].ran, 1);
  EXPECT_EQ(f->levels[0].skipped, 0);
  EXPECT_EQ(f->levels[0].acknowledged, 1);
}

}  // namespace
}  // namespace cxdesk::escalation
