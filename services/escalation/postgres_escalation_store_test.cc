// Integration tests of PostgresEscalationStore against the real PostgreSQL
// that tests/run.sh starts (CXDESK_TEST_DATABASE_URL): configuration CRUD
// with versions and in-use checks, ladders, units of work (the ticket
// projection and its agent-load trigger, queues, decisions, the action
// outbox, cycles, steps, timers, notifications, deliveries, cursors), the
// claim loops under two parallel claimers, and the figures SQL. Every
// statement of queries/escalation.sql runs in at least one test here.
#include "services/escalation/postgres_escalation_store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <map>
#include <mutex>
#include <pqxx/pqxx>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "services/common/migrations.h"
#include "services/common/status_macros.h"
#include "services/common/testing/fake_clock.h"
#include "services/common/testing/test_database.h"
#include "services/escalation/escalation_loops.h"

namespace cxdesk::escalation {
namespace {

using absl::StatusCode;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

const absl::Time kT0 = absl::FromUnixMicros(1'767'225'600'000'000);
const std::string kFirst = "first_response";

class PostgresEscalationStoreTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<std::string> url =
        common::CreateTestDatabase("escalation_store");
    ASSERT_TRUE(url.ok()) << url.status();
    url_ = new std::string(*url);
  }

  void SetUp() override {
    ASSERT_NE(url_, nullptr) << "suite set-up failed";
    common::PgPool::Options options{*url_, 8};
    options.queries = PostgresEscalationStore::PreparedQueries();
    // Applies the migrations on the first test, a no-op afterwards.
    auto pool = common::MigrateAndOpenPool("escalation", EscalationMigrations(),
                                           options);
    ASSERT_TRUE(pool.ok()) << pool.status();
    ASSERT_TRUE(common::TruncateSchema(*url_, "escalation").ok());
    // The truncation empties the single-row revision table too.
    Exec("INSERT INTO escalation.config_revision (id, revision) VALUES (1, 1)");
    pool_ = *std::move(pool);
    store_ = std::make_unique<PostgresEscalationStore>(*pool_, nullptr);
  }

  void TearDown() override {
    store_.reset();
    pool_.reset();
  }

  // ---- raw SQL, for what the store does not show ----

  void Exec(const std::string& sql) {
    pqxx::connection conn(*url_);
    pqxx::work txn(conn);
    txn.exec(sql);
    txn.commit();
  }
  int64_t Count(const std::string& sql) {
    pqxx::connection conn(*url_);
    pqxx::nontransaction txn(conn);
    return txn.exec1(sql)[0].as<int64_t>();
  }

  // ---- records ----

  static TeamRecord MakeTeam(const std::string& id, bool default_team = false,
                             const std::string& lead = "",
                             const std::string& manager = "") {
    TeamRecord r;
    r.team.id = id;
    r.team.lead = lead;
    r.team.manager = manager;
    r.team.default_calendar = "office";
    r.display_name = absl::StrCat("Team ", id);
    r.default_team = default_team;
    return r;
  }

  static AgentRecord MakeAgent(const std::string& id,
                               std::vector<std::string> teams,
                               int capacity = 5) {
    AgentRecord r;
    r.agent.id = id;
    r.agent.name = absl::StrCat("Agent ", id);
    r.agent.teams = std::move(teams);
    r.agent.capacity = capacity;
    r.agent.availability = Availability::kOnline;
    return r;
  }

  static RuleRecord MakeRule(const std::string& id, int position,
                             const std::string& team) {
    RuleRecord r;
    r.rule.id = id;
    r.rule.position = position;
    r.rule.team = team;
    r.rule.strategy = Strategy::kLeastLoaded;
    return r;
  }

  static TicketView MakeTicket(int64_t id, const std::string& status,
                               const std::string& team,
                               const std::string& assignee,
                               const std::string& pending_assignee = "") {
    TicketView t;
    t.id = id;
    t.route.id = id;
    t.version = 1;
    t.status = status;
    t.route.kind = "incident";
    t.route.priority = "high";
    t.route.channel = "email";
    t.team = team;
    t.assignee = assignee;
    t.pending_assignee = pending_assignee;
    t.strategy = Strategy::kLeastLoaded;
    t.routed = true;
    return t;
  }

  static EscalationRecord MakeStep(int64_t ticket, const std::string& metric,
                                   int cycle, int level,
                                   const std::string& team, absl::Time at) {
    EscalationRecord e;
    e.key = {ticket, metric, cycle};
    e.level = level;
    e.trigger = Trigger::Kind::kOnBreach;
    e.team = team;
    e.occur_time = at;
    e.record_time = at + absl::Seconds(1);
    e.explanation = absl::StrCat("level ", level, " ran");
    e.actions = {Action::Notify({Recipient::Kind::kAssignee, ""})};
    return e;
  }

  static ActionRecord MakeAction(int64_t ticket, const std::string& request_id,
                                 absl::Time due) {
    ActionRecord a;
    a.ticket_id = ticket;
    a.kind = ActionRecord::Kind::kRaisePriority;
    a.state = ActionRecord::State::kPending;
    a.request_id = request_id;
    a.next_attempt = due;
    a.create_time = due;
    return a;
  }

  static Decision MakeDecision(int64_t ticket, absl::Time at,
                               RoutingTrigger trigger, const std::string& team,
                               RoutingOutcome outcome,
                               const std::string& agent = "") {
    Decision d;
    d.ticket_id = ticket;
    d.at = at;
    d.trigger = trigger;
    d.team = team;
    d.strategy = Strategy::kLeastLoaded;
    d.outcome = outcome;
    d.agent = agent;
    if (!agent.empty()) d.candidates = {agent};
    d.explanation = absl::StrCat("ticket ", ticket, ": ", Name(outcome));
    return d;
  }

  // ---- units of work ----

  absl::Status PutTickets(const std::vector<TicketView>& tickets) {
    return store_->Run([&](EscalationTxn& txn) -> absl::Status {
      for (const TicketView& t : tickets) {
        CXDESK_RETURN_IF_ERROR(txn.PutTicket(t));
      }
      return absl::OkStatus();
    });
  }

  absl::StatusOr<int64_t> AddStep(const EscalationRecord& step) {
    int64_t id = 0;
    CXDESK_RETURN_IF_ERROR(store_->Run([&](EscalationTxn& txn) -> absl::Status {
      CXDESK_ASSIGN_OR_RETURN(id, txn.AddEscalation(step));
      return absl::OkStatus();
    }));
    return id;
  }

  absl::StatusOr<int64_t> AddActionRecord(const ActionRecord& action) {
    int64_t id = 0;
    CXDESK_RETURN_IF_ERROR(store_->Run([&](EscalationTxn& txn) -> absl::Status {
      CXDESK_ASSIGN_OR_RETURN(id, txn.AddAction(action));
      return absl::OkStatus();
    }));
    return id;
  }

  // The two halves of a relay round by hand: claims the actions due at
  // `now` (leased for a minute), lets `perform` fill in each outcome and
  // records it. Returns how many it claimed; a dropped outcome fails.
  absl::StatusOr<int> PerformDue(
      absl::Time now, int limit,
      const std::function<void(ActionRecord&)>& perform) {
    CXDESK_ASSIGN_OR_RETURN(
        std::vector<ClaimedAction> claimed,
        store_->ClaimDueActions(now, now + absl::Minutes(1), limit));
    for (const ClaimedAction& c : claimed) {
      EXPECT_EQ(c.lease_until, now + absl::Minutes(1));
      ActionRecord outcome = c.action;
      perform(outcome);
      CXDESK_ASSIGN_OR_RETURN(bool recorded,
                              store_->FinishAction(c.claim, outcome));
      if (!recorded) return absl::InternalError("outcome dropped");
    }
    return static_cast<int>(claimed.size());
  }

  // Likewise for one webhook delivery; false if none is due.
  absl::StatusOr<bool> PerformNextDelivery(
      absl::Time now,
      const std::function<void(DeliveryRecord&, const std::string&)>& perform) {
    CXDESK_ASSIGN_OR_RETURN(
        std::vector<ClaimedDelivery> claimed,
        store_->ClaimDueDeliveries(now, now + absl::Minutes(1), 1));
    if (claimed.empty()) return false;
    DeliveryRecord outcome = claimed[0].delivery;
    perform(outcome, claimed[0].secret);
    CXDESK_ASSIGN_OR_RETURN(bool recorded,
                            store_->FinishDelivery(claimed[0].claim, outcome));
    if (!recorded) return absl::InternalError("outcome dropped");
    return true;
  }

  absl::StatusOr<int64_t> AddNotificationRecord(const NotificationRecord& n) {
    int64_t id = 0;
    CXDESK_RETURN_IF_ERROR(store_->Run([&](EscalationTxn& txn) -> absl::Status {
      CXDESK_ASSIGN_OR_RETURN(id, txn.AddNotification(n));
      return absl::OkStatus();
    }));
    return id;
  }

  absl::Status PutCycleState(const CycleState& state) {
    return store_->Run([&](EscalationTxn& txn) { return txn.PutCycle(state); });
  }

  static NotificationRecord MakeNotification(const std::string& recipient,
                                             int64_t escalation_id,
                                             absl::Time at) {
    NotificationRecord n;
    n.recipient = recipient;
    n.ticket_id = 7;
    n.escalation_id = escalation_id;
    n.level = 2;
    n.metric = kFirst;
    n.title = absl::StrCat("Ticket 7 breached (for ", recipient, ")");
    n.body = "First response is 10 minutes late, \"VIP\" customer.";
    n.team = "care";
    n.create_time = at;
    return n;
  }

  static std::vector<int64_t> Ids(const std::vector<NotificationRecord>& v) {
    std::vector<int64_t> ids;
    for (const NotificationRecord& n : v) ids.push_back(n.id);
    return ids;
  }
  static std::vector<int64_t> Ids(const std::vector<EscalationRecord>& v) {
    std::vector<int64_t> ids;
    for (const EscalationRecord& e : v) ids.push_back(e.id);
    return ids;
  }
  static std::vector<int64_t> Ids(const std::vector<DeliveryRecord>& v) {
    std::vector<int64_t> ids;
    for (const DeliveryRecord& d : v) ids.push_back(d.id);
    return ids;
  }
  static std::vector<std::string> AgentIds(const std::vector<AgentRecord>& v) {
    std::vector<std::string> ids;
    for (const AgentRecord& a : v) ids.push_back(a.agent.id);
    return ids;
  }

  static void ExpectSameTicket(const TicketView& got, const TicketView& want) {
    EXPECT_EQ(got.id, want.id);
    EXPECT_EQ(got.route.id, want.id);
    EXPECT_EQ(got.version, want.version);
    EXPECT_EQ(got.status, want.status);
    EXPECT_EQ(got.route.kind, want.route.kind);
    EXPECT_EQ(got.route.cx_level, want.route.cx_level);
    EXPECT_EQ(got.route.priority, want.route.priority);
    EXPECT_EQ(got.route.channel, want.route.channel);
    EXPECT_EQ(got.route.tags, want.route.tags);
    EXPECT_EQ(got.route.subject, want.route.subject);
    EXPECT_EQ(got.route.customer_email, want.route.customer_email);
    EXPECT_EQ(got.team, want.team);
    EXPECT_EQ(got.assignee, want.assignee);
    EXPECT_EQ(got.pending_assignee, want.pending_assignee);
    EXPECT_EQ(got.queued_at, want.queued_at);
    EXPECT_EQ(got.strategy, want.strategy);
    EXPECT_EQ(got.routed, want.routed);
  }

  static void ExpectSameLadder(const Ladder& got, const Ladder& want) {
    EXPECT_EQ(got.metric, want.metric);
    ASSERT_EQ(got.steps.size(), want.steps.size());
    for (size_t i = 0; i < want.steps.size(); ++i) {
      SCOPED_TRACE(absl::StrCat("step ", i));
      EXPECT_EQ(got.steps[i].level, want.steps[i].level);
      EXPECT_EQ(got.steps[i].trigger.kind, want.steps[i].trigger.kind);
      EXPECT_EQ(got.steps[i].trigger.delay, want.steps[i].trigger.delay);
      ASSERT_EQ(got.steps[i].actions.size(), want.steps[i].actions.size());
      for (size_t j = 0; j < want.steps[i].actions.size(); ++j) {
        EXPECT_TRUE(got.steps[i].actions[j] == want.steps[i].actions[j])
            << "action " << j << ": got " << ActionWord(got.steps[i].actions[j])
            << ", want " << ActionWord(want.steps[i].actions[j]);
      }
    }
  }

  static std::string* url_;
  std::unique_ptr<common::PgPool> pool_;
  std::unique_ptr<PostgresEscalationStore> store_;
};
std::string* PostgresEscalationStoreTest::url_ = nullptr;

// ---------------------------------------------------------------------------
// Configuration
// ---------------------------------------------------------------------------

TEST_F(PostgresEscalationStoreTest, TeamsKeepVersionsSecretAndOneDefault) {
  EXPECT_EQ(*store_->ConfigRevision(), 1);
  TeamRecord care = MakeTeam("care", /*default_team=*/true, "lead1", "mgr");
  care.webhook_url = "https://hooks.example.com/care";
  care.webhook_secret = "s-care";
  auto created = store_->CreateTeam(care, kT0);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->team.id, "care");
  EXPECT_EQ(created->display_name, "Team care");
  EXPECT_EQ(created->team.lead, "lead1");
  EXPECT_EQ(created->team.manager, "mgr");
  EXPECT_EQ(created->team.default_calendar, "office");
  EXPECT_TRUE(created->default_team);
  EXPECT_EQ(created->webhook_url, "https://hooks.example.com/care");
  EXPECT_EQ(created->webhook_secret, "s-care");
  EXPECT_EQ(created->version, 1);
  EXPECT_EQ(created->update_time, kT0);

  // A second default team, whether created or updated so.
  auto second = store_->CreateTeam(MakeTeam("billing", true), kT0);
  EXPECT_EQ(second.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(second.status().message(), HasSubstr("\"care\""));
  TeamRecord billing = MakeTeam("billing");
  billing.webhook_url = "https://hooks.example.com/billing";
  billing.webhook_secret = "s-billing";
  ASSERT_TRUE(store_->CreateTeam(billing, kT0).ok());
  EXPECT_EQ(store_->CreateTeam(billing, kT0).status().code(),
            StatusCode::kAlreadyExists);
  EXPECT_EQ(store_->GetTeam("nope").status().code(), StatusCode::kNotFound);

  auto all = store_->ListTeams(0, 10);
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].team.id, "billing");
  EXPECT_EQ((*all)[1].team.id, "care");
  auto page = store_->ListTeams(1, 10);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->size(), 1u);
  EXPECT_EQ(page->front().team.id, "care");
  page = store_->ListTeams(0, 1);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->size(), 1u);
  EXPECT_EQ(page->front().team.id, "billing");

  // An empty secret keeps the stored one.
  billing.display_name = "Billing & Refunds";
  billing.webhook_secret = "";
  auto updated = store_->UpdateTeam(billing, 1, kT0 + absl::Hours(1));
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->version, 2);
  EXPECT_EQ(updated->display_name, "Billing & Refunds");
  EXPECT_EQ(updated->webhook_secret, "s-billing");
  EXPECT_EQ(updated->update_time, kT0 + absl::Hours(1));
  EXPECT_EQ(store_->UpdateTeam(billing, 1, kT0).status().code(),
            StatusCode::kAborted);
  EXPECT_EQ(store_->UpdateTeam(MakeTeam("nope"), 1, kT0).status().code(),
            StatusCode::kNotFound);
  billing.default_team = true;
  EXPECT_EQ(store_->UpdateTeam(billing, 2, kT0).status().code(),
            StatusCode::kFailedPrecondition);
  billing.default_team = false;
  billing.webhook_secret = "s-billing-2";
  updated = store_->UpdateTeam(billing, 2, kT0 + absl::Hours(2));
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->version, 3);
  EXPECT_EQ(updated->webhook_secret, "s-billing-2");
  // The default team stays default through its own update.
  care.display_name = "Customer care";
  updated = store_->UpdateTeam(care, 1, kT0);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_TRUE(updated->default_team);
  EXPECT_EQ(updated->webhook_secret, "s-care");
  // 1 + two creates + three updates; the refused writes bumped nothing.
  EXPECT_EQ(*store_->ConfigRevision(), 6);
}

TEST_F(PostgresEscalationStoreTest, DeleteTeamIsRefusedWhileInUse) {
  ASSERT_TRUE(store_->CreateTeam(MakeTeam("care", true), kT0).ok());
  ASSERT_TRUE(store_->CreateTeam(MakeTeam("billing"), kT0).ok());
  ASSERT_TRUE(store_->CreateRule(MakeRule("r1", 0, "billing"), kT0).ok());
  ASSERT_TRUE(store_->CreateAgent(MakeAgent("ann", {"billing"}), kT0).ok());

  absl::Status status = store_->DeleteTeam("care");
  EXPECT_EQ(status.code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(), HasSubstr("default team"));
  status = store_->DeleteTeam("billing");
  EXPECT_EQ(status.code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(), HasSubstr("routing rule"));
  ASSERT_TRUE(store_->DeleteRule("r1").ok());
  status = store_->DeleteTeam("billing");
  EXPECT_EQ(status.code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(), HasSubstr("agents"));
  ASSERT_TRUE(store_->UpdateAgent(MakeAgent("ann", {}), 1, kT0).ok());
  const int64_t before = *store_->ConfigRevision();
  EXPECT_TRUE(store_->DeleteTeam("billing").ok());
  EXPECT_EQ(*store_->ConfigRevision(), before + 1);
  EXPECT_EQ(store_->GetTeam("billing").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->DeleteTeam("billing").code(), StatusCode::kNotFound);

  ASSERT_TRUE(store_->UpdateTeam(MakeTeam("care", false), 1, kT0).ok());
  EXPECT_TRUE(store_->DeleteTeam("care").ok());
  EXPECT_EQ(Count("SELECT count(*) FROM escalation.teams"), 0);
}

TEST_F(PostgresEscalationStoreTest, AgentsListByTeamPageAndCarryTheirLoad) {
  ASSERT_TRUE(store_->CreateTeam(MakeTeam("care", true, "lead1"), kT0).ok());
  ASSERT_TRUE(
      store_->CreateTeam(MakeTeam("billing", false, "", "mgr"), kT0).ok());
  AgentRecord ann = MakeAgent("ann", {"care"});
  ann.agent.skills = {"refund", "VIP \"gold\"", "a,b"};
  ann.agent.tier = 2;
  ann.agent.shift_calendar = "early";
  auto created = store_->CreateAgent(ann, kT0);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->agent.id, "ann");
  EXPECT_EQ(created->agent.name, "Agent ann");
  EXPECT_EQ(created->agent.teams, std::vector<std::string>{"care"});
  EXPECT_EQ(created->agent.skills, ann.agent.skills);
  EXPECT_EQ(created->agent.tier, 2);
  EXPECT_EQ(created->agent.capacity, 5);
  EXPECT_EQ(created->agent.availability, Availability::kOnline);
  EXPECT_EQ(created->agent.shift_calendar, "early");
  EXPECT_EQ(created->version, 1);
  EXPECT_EQ(created->update_time, kT0);
  EXPECT_EQ(created->open_tickets, 0);
  EXPECT_EQ(store_->CreateAgent(ann, kT0).status().code(),
            StatusCode::kAlreadyExists);
  ASSERT_TRUE(
      store_->CreateAgent(MakeAgent("bob", {"care", "billing"}), kT0).ok());
  ASSERT_TRUE(store_->CreateAgent(MakeAgent("cid", {"billing"}), kT0).ok());
  ASSERT_TRUE(store_->CreateAgent(MakeAgent("lead1", {"care"}), kT0).ok());
  ASSERT_TRUE(store_->CreateAgent(MakeAgent("mgr", {}), kT0).ok());
  EXPECT_EQ(store_->GetAgent("zed").status().code(), StatusCode::kNotFound);

  auto list = store_->ListAgents("", 0, 10);
  ASSERT_TRUE(list.ok()) << list.status();
  EXPECT_THAT(AgentIds(*list),
              ElementsAre("ann", "bob", "cid", "lead1", "mgr"));
  list = store_->ListAgents("care", 0, 10);
  ASSERT_TRUE(list.ok());
  EXPECT_THAT(AgentIds(*list), ElementsAre("ann", "bob", "lead1"));
  list = store_->ListAgents("care", 1, 1);
  ASSERT_TRUE(list.ok());
  EXPECT_THAT(AgentIds(*list), ElementsAre("bob"));
  list = store_->ListAgents("billing", 0, 10);
  ASSERT_TRUE(list.ok());
  EXPECT_THAT(AgentIds(*list), ElementsAre("bob", "cid"));
  list = store_->ListAgents("", 3, 10);
  ASSERT_TRUE(list.ok());
  EXPECT_THAT(AgentIds(*list), ElementsAre("lead1", "mgr"));

  ann.agent.capacity = 7;
  ann.agent.teams = {"care", "billing"};
  ann.agent.availability = Availability::kAway;
  auto updated = store_->UpdateAgent(ann, 1, kT0 + absl::Minutes(5));
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->version, 2);
  EXPECT_EQ(updated->agent.capacity, 7);
  EXPECT_EQ(updated->agent.teams,
            (std::vector<std::string>{"care", "billing"}));
  EXPECT_EQ(updated->agent.availability, Availability::kAway);
  EXPECT_EQ(updated->update_time, kT0 + absl::Minutes(5));
  EXPECT_EQ(store_->UpdateAgent(ann, 1, kT0).status().code(),
            StatusCode::kAborted);
  EXPECT_EQ(store_->UpdateAgent(MakeAgent("zed", {}), 1, kT0).status().code(),
            StatusCode::kNotFound);

  auto away = store_->SetAvailability("bob", Availability::kOffline,
                                      kT0 + absl::Minutes(9));
  ASSERT_TRUE(away.ok()) << away.status();
  EXPECT_EQ(away->agent.availability, Availability::kOffline);
  EXPECT_EQ(away->version, 2);
  EXPECT_EQ(away->update_time, kT0 + absl::Minutes(9));
  EXPECT_EQ(store_->SetAvailability("zed", Availability::kOnline, kT0)
                .status()
                .code(),
            StatusCode::kNotFound);

  // Loads come from escalation.agent_loads (kept by the tickets trigger).
  ASSERT_TRUE(PutTickets({MakeTicket(1, "open", "care", "ann"),
                          MakeTicket(2, "pending", "care", "ann"),
                          MakeTicket(3, "new", "billing", "", "bob"),
                          MakeTicket(4, "solved", "billing", "cid")})
                  .ok());
  auto got = store_->GetAgent("ann");
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->open_tickets, 2);
  list = store_->ListAgents("billing", 0, 10);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 3u);  // ann, bob, cid
  EXPECT_EQ((*list)[0].open_tickets, 2);
  EXPECT_EQ((*list)[1].open_tickets, 1);
  EXPECT_EQ((*list)[2].open_tickets, 0);

  absl::Status status = store_->DeleteAgent("lead1");
  EXPECT_EQ(status.code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(), HasSubstr("\"care\""));
  status = store_->DeleteAgent("mgr");
  EXPECT_EQ(status.code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(), HasSubstr("\"billing\""));
  const int64_t before = *store_->ConfigRevision();
  EXPECT_TRUE(store_->DeleteAgent("cid").ok());
  EXPECT_EQ(*store_->ConfigRevision(), before + 1);
  EXPECT_EQ(store_->GetAgent("cid").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->DeleteAgent("cid").code(), StatusCode::kNotFound);
}

TEST_F(PostgresEscalationStoreTest, RulesListByPositionThenIdWithVersions) {
  ASSERT_TRUE(store_->CreateTeam(MakeTeam("care", true), kT0).ok());
  ASSERT_TRUE(store_->CreateTeam(MakeTeam("billing"), kT0).ok());
  RuleRecord full = MakeRule("r-b", 1, "billing");
  full.rule.kinds = {"complaint", "incident"};
  full.rule.cx_levels = {"service"};
  full.rule.priorities = {"high", "urgent"};
  full.rule.channels = {"email", "chat"};
  full.rule.tags_any = {"refund", "vip:gold"};
  full.rule.words_any = {"money back", "refund, please", "\"chargeback\""};
  full.rule.customer_emails = {"ana+vip@example.com"};
  full.rule.strategy = Strategy::kSkillsFirst;
  auto created = store_->CreateRule(full, kT0);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->version, 1);
  EXPECT_EQ(created->update_time, kT0);
  auto got = store_->GetRule("r-b");
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->rule.id, "r-b");
  EXPECT_EQ(got->rule.position, 1);
  EXPECT_EQ(got->rule.kinds, full.rule.kinds);
  EXPECT_EQ(got->rule.cx_levels, full.rule.cx_levels);
  EXPECT_EQ(got->rule.priorities, full.rule.priorities);
  EXPECT_EQ(got->rule.channels, full.rule.channels);
  EXPECT_EQ(got->rule.tags_any, full.rule.tags_any);
  EXPECT_EQ(got->rule.words_any, full.rule.words_any);
  EXPECT_EQ(got->rule.customer_emails, full.rule.customer_emails);
  EXPECT_EQ(got->rule.team, "billing");
  EXPECT_EQ(got->rule.strategy, Strategy::kSkillsFirst);
  EXPECT_EQ(store_->CreateRule(full, kT0).status().code(),
            StatusCode::kAlreadyExists);
  // The team must exist (routing_rules_team_fk).
  EXPECT_EQ(
      store_->CreateRule(MakeRule("r-x", 0, "ghosts"), kT0).status().code(),
      StatusCode::kFailedPrecondition);
  EXPECT_EQ(store_->GetRule("r-x").status().code(), StatusCode::kNotFound);

  RuleRecord round_robin = MakeRule("r-a", 1, "care");
  round_robin.rule.strategy = Strategy::kRoundRobin;
  ASSERT_TRUE(store_->CreateRule(round_robin, kT0).ok());
  RuleRecord queue = MakeRule("r-0", 0, "care");
  queue.rule.strategy = Strategy::kQueueOnly;
  ASSERT_TRUE(store_->CreateRule(queue, kT0).ok());
  auto ids = [](const std::vector<RuleRecord>& rules) {
    std::vector<std::string> out;
    for (const RuleRecord& r : rules) out.push_back(r.rule.id);
    return out;
  };
  auto list = store_->ListRules(0, 10);
  ASSERT_TRUE(list.ok()) << list.status();
  EXPECT_THAT(ids(*list), ElementsAre("r-0", "r-a", "r-b"));
  EXPECT_EQ((*list)[0].rule.strategy, Strategy::kQueueOnly);
  EXPECT_EQ((*list)[1].rule.strategy, Strategy::kRoundRobin);
  list = store_->ListRules(1, 1);
  ASSERT_TRUE(list.ok());
  EXPECT_THAT(ids(*list), ElementsAre("r-a"));

  full.rule.position = 0;
  full.rule.words_any = {"refund"};
  auto updated = store_->UpdateRule(full, 1, kT0 + absl::Hours(1));
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->version, 2);
  EXPECT_EQ(updated->rule.position, 0);
  EXPECT_EQ(updated->rule.words_any, std::vector<std::string>{"refund"});
  EXPECT_EQ(updated->update_time, kT0 + absl::Hours(1));
  EXPECT_EQ(store_->UpdateRule(full, 1, kT0).status().code(),
            StatusCode::kAborted);
  EXPECT_EQ(
      store_->UpdateRule(MakeRule("r-x", 0, "care"), 1, kT0).status().code(),
      StatusCode::kNotFound);
  list = store_->ListRules(0, 10);
  ASSERT_TRUE(list.ok());
  EXPECT_THAT(ids(*list), ElementsAre("r-0", "r-b", "r-a"));

  const int64_t before = *store_->ConfigRevision();
  EXPECT_TRUE(store_->DeleteRule("r-a").ok());
  EXPECT_EQ(*store_->ConfigRevision(), before + 1);
  EXPECT_EQ(store_->GetRule("r-a").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->DeleteRule("r-a").code(), StatusCode::kNotFound);
  EXPECT_EQ(*store_->ConfigRevision(), before + 1);
}

TEST_F(PostgresEscalationStoreTest, LaddersRoundTripEveryActionAndTrigger) {
  Ladder first;
  first.metric = kFirst;
  first.steps = {
      {1,
       Trigger::OnWarning(),
       {Action::Notify({Recipient::Kind::kAssignee, ""})}},
      {2,
       Trigger::OnBreach(),
       {Action::Notify({Recipient::Kind::kTeamLead, ""}),
        Action::Notify({Recipient::Kind::kTeamManager, ""}),
        Action::RaisePriority()}},
      {3,
       Trigger::AfterBreach(absl::Minutes(30)),
       {Action::Reassign({ReassignTarget::Kind::kTeamLead, ""}),
        Action::Notify({Recipient::Kind::kNamed, "mia"})}},
      {5,
       Trigger::AfterBreach(absl::Hours(2) + absl::Microseconds(1)),
       {Action::Reassign({ReassignTarget::Kind::kOtherTeam, "billing"}),
        Action::Reassign({ReassignTarget::Kind::kNextTier, ""}),
        Action::AddNote("Call the customer back, today: \"VIP\" {50% off}; "
                        "ask for Ana's order #12\\34 (NULL?) — café")}}};
  auto created = store_->SetLadder(first, std::nullopt, kT0);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->version, 1);
  EXPECT_EQ(created->update_time, kT0);
  ExpectSameLadder(created->ladder, first);
  auto got = store_->GetLadder(kFirst);
  ASSERT_TRUE(got.ok()) << got.status();
  ExpectSameLadder(got->ladder, first);
  EXPECT_EQ(got->ladder.steps[3].trigger.delay,
            absl::Hours(2) + absl::Microseconds(1));

  // Replace: the steps are exactly the new ones.
  Ladder replaced;
  replaced.metric = kFirst;
  replaced.steps = {
      {1, Trigger::OnBreach(), {Action::AddNote("escalated to the lead")}}};
  auto v2 = store_->SetLadder(replaced, 1, kT0 + absl::Hours(1));
  ASSERT_TRUE(v2.ok()) << v2.status();
  EXPECT_EQ(v2->version, 2);
  EXPECT_EQ(v2->update_time, kT0 + absl::Hours(1));
  ExpectSameLadder(v2->ladder, replaced);
  EXPECT_EQ(store_->SetLadder(first, 1, kT0).status().code(),
            StatusCode::kAborted);
  ExpectSameLadder(store_->GetLadder(kFirst)->ladder, replaced);
  // A guarded replace of a ladder that does not exist.
  Ladder resolution;
  resolution.metric = "resolution";
  resolution.steps = {{1,
                       Trigger::AfterBreach(absl::Minutes(5)),
                       {Action::Notify({Recipient::Kind::kNamed, "ops"})}}};
  EXPECT_EQ(store_->SetLadder(resolution, 1, kT0).status().code(),
            StatusCode::kNotFound);
  ASSERT_TRUE(store_->SetLadder(resolution, std::nullopt, kT0).ok());
  v2 = store_->SetLadder(first, std::nullopt, kT0 + absl::Hours(2));
  ASSERT_TRUE(v2.ok());
  EXPECT_EQ(v2->version, 3);

  auto all = store_->ListLadders();
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_EQ(all->size(), 2u);
  ExpectSameLadder((*all)[0].ladder, first);
  EXPECT_EQ((*all)[0].version, 3);
  ExpectSameLadder((*all)[1].ladder, resolution);
  EXPECT_EQ((*all)[1].version, 1);

  EXPECT_TRUE(store_->DeleteLadder(kFirst).ok());
  EXPECT_EQ(store_->GetLadder(kFirst).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->DeleteLadder(kFirst).code(), StatusCode::kNotFound);
  EXPECT_EQ(Count("SELECT count(*) FROM escalation.ladder_steps"), 1);
  all = store_->ListLadders();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ(all->front().ladder.metric, "resolution");
}

TEST_F(PostgresEscalationStoreTest, LoadDirectoryAndRevisionFollowEveryWrite) {
  int64_t revision = 1;
  auto expect_bumped = [&](const absl::Status& status) {
    ASSERT_TRUE(status.ok()) << status;
    auto now = store_->ConfigRevision();
    ASSERT_TRUE(now.ok()) << now.status();
    EXPECT_EQ(*now, ++revision);
  };
  EXPECT_EQ(*store_->ConfigRevision(), 1);
  expect_bumped(
      store_->CreateTeam(MakeTeam("care", true, "ann"), kT0).status());
  expect_bumped(store_->CreateTeam(MakeTeam("billing"), kT0).status());
  expect_bumped(store_->CreateAgent(MakeAgent("bob", {"care"}), kT0).status());
  expect_bumped(store_->CreateAgent(MakeAgent("ann", {"care"}), kT0).status());
  expect_bumped(store_->CreateRule(MakeRule("r2", 2, "care"), kT0).status());
  expect_bumped(store_->CreateRule(MakeRule("r1", 1, "billing"), kT0).status());
  Ladder ladder;
  ladder.metric = kFirst;
  ladder.steps = {{1,
                   Trigger::OnBreach(),
                   {Action::Notify({Recipient::Kind::kTeamLead, ""})}}};
  expect_bumped(store_->SetLadder(ladder, std::nullopt, kT0).status());

  auto dir = store_->LoadDirectory();
  ASSERT_TRUE(dir.ok()) << dir.status();
  EXPECT_EQ(dir->revision, 8);
  ASSERT_EQ(dir->teams.size(), 2u);
  EXPECT_EQ(dir->teams[0].team.id, "billing");
  ASSERT_NE(dir->DefaultTeam(), nullptr);
  EXPECT_EQ(dir->DefaultTeam()->team.id, "care");
  EXPECT_EQ(dir->FindTeam("care")->team.lead, "ann");
  ASSERT_EQ(dir->agents.size(), 2u);
  EXPECT_EQ(dir->agents[0].id, "ann");
  EXPECT_EQ(dir->agents[1].id, "bob");
  EXPECT_EQ(dir->FindAgent("bob")->teams, std::vector<std::string>{"care"});
  ASSERT_EQ(dir->rules.size(), 2u);
  EXPECT_EQ(dir->rules[0].id, "r1");  // In the order they are tried.
  EXPECT_EQ(dir->rules[1].id, "r2");
  ASSERT_EQ(dir->ladders.size(), 1u);
  ASSERT_NE(dir->FindLadder(kFirst), nullptr);
  ExpectSameLadder(*dir->FindLadder(kFirst), ladder);
  EXPECT_FALSE(dir->RulesReadWords());

  expect_bumped(store_->UpdateTeam(MakeTeam("billing"), 1, kT0).status());
  expect_bumped(
      store_->UpdateAgent(MakeAgent("bob", {"care"}, 9), 1, kT0).status());
  expect_bumped(
      store_->SetAvailability("bob", Availability::kAway, kT0).status());
  expect_bumped(store_->UpdateRule(MakeRule("r2", 0, "care"), 1, kT0).status());
  expect_bumped(store_->SetLadder(ladder, 1, kT0).status());
  expect_bumped(store_->DeleteRule("r1"));
  expect_bumped(store_->DeleteLadder(kFirst));
  expect_bumped(store_->DeleteAgent("bob"));
  expect_bumped(store_->DeleteTeam("billing"));
  // Refused writes leave the revision alone.
  EXPECT_EQ(store_->UpdateTeam(MakeTeam("care", true), 7, kT0).status().code(),
            StatusCode::kAborted);
  EXPECT_EQ(store_->DeleteTeam("care").code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(*store_->ConfigRevision(), revision);

  dir = store_->LoadDirectory();
  ASSERT_TRUE(dir.ok()) << dir.status();
  EXPECT_EQ(dir->revision, 17);
  ASSERT_EQ(dir->teams.size(), 1u);
  ASSERT_EQ(dir->agents.size(), 1u);
  EXPECT_EQ(dir->agents[0].id, "ann");
  ASSERT_EQ(dir->rules.size(), 1u);
  EXPECT_EQ(dir->rules[0].position, 0);
  EXPECT_TRUE(dir->ladders.empty());
}

// ---------------------------------------------------------------------------
// Units of work
// ---------------------------------------------------------------------------

TEST_F(PostgresEscalationStoreTest, TicketViewRoundTripsInsideAndOutside) {
  TicketView t = MakeTicket(7, "open", "care", "ann");
  t.version = 4;
  t.route.kind = "complaint";
  t.route.cx_level = "service";
  t.route.priority = "urgent";
  t.route.channel = "chat";
  t.route.tags = {"refund", "gold \"plus\"", "a,b", "back\\slash"};
  t.route.subject = "Where's my refund? It's been 3 weeks!";
  t.route.customer_email = "ana+vip@example.com";
  t.queued_at = kT0 + absl::Microseconds(123);
  t.strategy = Strategy::kSkillsFirst;
  t.routed = true;
  TicketView other = MakeTicket(8, "new", "billing", "");
  other.routed = false;
  other.strategy = Strategy::kRoundRobin;
  ASSERT_TRUE(store_
                  ->Run([&](EscalationTxn& txn) -> absl::Status {
                    CXDESK_RETURN_IF_ERROR(txn.LockTicket(7));
                    CXDESK_RETURN_IF_ERROR(txn.LockTeam("care"));
                    CXDESK_ASSIGN_OR_RETURN(std::optional<TicketView> none,
                                            txn.GetTicket(7));
                    EXPECT_FALSE(none.has_value());
                    CXDESK_RETURN_IF_ERROR(txn.PutTicket(t));
                    CXDESK_RETURN_IF_ERROR(txn.PutTicket(other));
                    // The unit sees its own writes.
                    CXDESK_ASSIGN_OR_RETURN(std::optional<TicketView> mine,
                                            txn.GetTicket(7));
                    EXPECT_TRUE(mine.has_value());
                    if (mine.has_value()) ExpectSameTicket(*mine, t);
                    return absl::OkStatus();
                  })
                  .ok());
  auto got = store_->GetTicket(7);
  ASSERT_TRUE(got.ok()) << got.status();
  ASSERT_TRUE(got->has_value());
  ExpectSameTicket(**got, t);
  auto missing = store_->GetTicket(99);
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());

  std::vector<TicketView> known;
  ASSERT_TRUE(store_
                  ->Run([&](EscalationTxn& txn) -> absl::Status {
                    CXDESK_ASSIGN_OR_RETURN(known, txn.GetTickets({8, 99, 7}));
                    return absl::OkStatus();
                  })
                  .ok());
  ASSERT_EQ(known.size(), 2u);
  std::sort(
      known.begin(), known.end(),
      [](const TicketView& a, const TicketView& b) { return a.id < b.id; });
  ExpectSameTicket(known[0], t);
  ExpectSameTicket(known[1], other);

  // An upsert replaces every column; queued_at goes back to NULL.
  t.version = 5;
  t.status = "pending";
  t.queued_at.reset();
  t.route.tags.clear();
  t.pending_assignee = "bob";
  ASSERT_TRUE(PutTickets({t}).ok());
  got = store_->GetTicket(7);
  ASSERT_TRUE(got.ok() && got->has_value());
  ExpectSameTicket(**got, t);
  EXPECT_EQ(Count("SELECT count(*) FROM escalation.tickets"), 2);
}

TEST_F(PostgresEscalationStoreTest, AgentLoadsFollowAssigneeAndPending) {
  ASSERT_TRUE(PutTickets({MakeTicket(1, "open", "care", "ann"),
                          MakeTicket(2, "new", "care", "", "bob"),
                          MakeTicket(3, "solved", "care", "cid")})
                  .ok());
  const std::vector<std::string> agents = {"ann", "bob", "cid"};
  using Loads = std::map<std::string, int>;
  EXPECT_EQ(*store_->OpenTickets(agents), (Loads{{"ann", 1}, {"bob", 1}}));
  Loads in_txn;
  ASSERT_TRUE(store_
                  ->Run([&](EscalationTxn& txn) -> absl::Status {
                    CXDESK_ASSIGN_OR_RETURN(in_txn, txn.OpenTickets(agents));
                    return absl::OkStatus();
                  })
                  .ok());
  EXPECT_EQ(in_txn, (Loads{{"ann", 1}, {"bob", 1}}));

  // The pending assignment to bob lands on cid instead.
  ASSERT_TRUE(PutTickets({MakeTicket(2, "open", "care", "cid")}).ok());
  EXPECT_EQ(*store_->OpenTickets(agents), (Loads{{"ann", 1}, {"cid", 1}}));
  // Solving ann's ticket frees her; reopening counts it again.
  ASSERT_TRUE(PutTickets({MakeTicket(1, "solved", "care", "ann")}).ok());
  EXPECT_EQ(*store_->OpenTickets(agents), (Loads{{"cid", 1}}));
  ASSERT_TRUE(PutTickets({MakeTicket(1, "open", "care", "ann"),
                          MakeTicket(3, "open", "care", "cid"),
                          MakeTicket(4, "on_hold", "care", "", "ann")})
                  .ok());
  EXPECT_EQ(*store_->OpenTickets(agents), (Loads{{"ann", 2}, {"cid", 2}}));
  EXPECT_EQ(*store_->OpenTickets({"cid"}), (Loads{{"cid", 2}}));
  EXPECT_TRUE(store_->OpenTickets({})->empty());
  // The trigger agrees with a count of the tickets.
  EXPECT_EQ(Count("SELECT count(*) FROM escalation.agent_loads l WHERE "
                  "open_tickets <> (SELECT count(*) FROM escalation.tickets t "
                  "WHERE t.is_open AND (CASE WHEN t.pending_assignee <> '' "
                  "THEN t.pending_assignee ELSE t.assignee END) = l.agent_id)"),
            0);
}

TEST_F(PostgresEscalationStoreTest, TeamQueueCarriesTheNextClockDeadline) {
  TicketView a = MakeTicket(10, "new", "care", "");
  a.queued_at = kT0;
  TicketView b = MakeTicket(11, "new", "care", "");
  b.queued_at = kT0 + absl::Minutes(1);
  b.route.priority = "urgent";
  TicketView c = MakeTicket(12, "open", "care", "ann");  // Not queued.
  TicketView d = MakeTicket(13, "new", "billing", "");
  d.queued_at = kT0;
  ASSERT_TRUE(PutTickets({a, b, c, d}).ok());
  ASSERT_TRUE(store_
                  ->Run([&](EscalationTxn& txn) -> absl::Status {
                    CXDESK_RETURN_IF_ERROR(
                        txn.SetClockDeadline(10, kFirst, kT0 + absl::Hours(1)));
                    CXDESK_RETURN_IF_ERROR(txn.SetClockDeadline(
                        10, "resolution", kT0 + absl::Hours(8)));
                    CXDESK_RETURN_IF_ERROR(txn.SetClockDeadline(
                        11, kFirst, kT0 + absl::Minutes(30)));
                    CXDESK_RETURN_IF_ERROR(txn.SetClockDeadline(
                        12, kFirst, kT0 + absl::Minutes(1)));
                    return absl::OkStatus();
                  })
                  .ok());
  auto queue_of = [&](const std::string& team) {
    std::vector<QueuedTicket> q = *store_->TeamQueue(team);
    std::sort(q.begin(), q.end(),
              [](const QueuedTicket& x, const QueuedTicket& y) {
                return x.ticket_id < y.ticket_id;
              });
    return q;
  };
  std::vector<QueuedTicket> q = queue_of("care");
  ASSERT_EQ(q.size(), 2u);
  EXPECT_EQ(q[0].ticket_id, 10);
  EXPECT_EQ(q[0].queued_at, kT0);
  EXPECT_EQ(q[0].priority, "high");
  EXPECT_EQ(q[0].next_deadline, kT0 + absl::Hours(1));
  EXPECT_EQ(q[1].ticket_id, 11);
  EXPECT_EQ(q[1].queued_at, kT0 + absl::Minutes(1));
  EXPECT_EQ(q[1].priority, "urgent");
  EXPECT_EQ(q[1].next_deadline, kT0 + absl::Minutes(30));
  q = queue_of("billing");
  ASSERT_EQ(q.size(), 1u);
  EXPECT_EQ(q[0].next_deadline, absl::InfiniteFuture());  // No clock runs.

  // Clearing (nullopt) and moving deadlines, read inside the unit.
  std::vector<QueuedTicket> in_txn;
  ASSERT_TRUE(store_
                  ->Run([&](EscalationTxn& txn) -> absl::Status {
                    CXDESK_RETURN_IF_ERROR(
                        txn.SetClockDeadline(10, kFirst, std::nullopt));
                    CXDESK_RETURN_IF_ERROR(txn.SetClockDeadline(
                        11, kFirst, kT0 + absl::Minutes(45)));
                    CXDESK_ASSIGN_OR_RETURN(in_txn, txn.TeamQueue("care"));
                    return absl::OkStatus();
                  })
                  .ok());
  ASSERT_EQ(in_txn.size(), 2u);
  q = queue_of("care");
  ASSERT_EQ(q.size(), 2u);
  EXPECT_EQ(q[0].next_deadline, kT0 + absl::Hours(8));
  EXPECT_EQ(q[1].next_deadline, kT0 + absl::Minutes(45));
  ASSERT_TRUE(store_
                  ->Run([&](EscalationTxn& txn) {
                    return txn.SetClockDeadline(10, "resolution", std::nullopt);
                  })
                  .ok());
  q = queue_of("care");
  EXPECT_EQ(q[0].next_deadline, absl::InfiniteFuture());
  EXPECT_EQ(Count("SELECT count(*) FROM escalation.clock_deadlines"), 2);
}

TEST_F(PostgresEscalationStoreTest, RoundRobinAndDecisionsRoundTrip) {
  RoundRobinState first, second, third;
  Decision d1 = MakeDecision(7, kT0, RoutingTrigger::kNewTicket, "care",
                             RoutingOutcome::kAssigned, "bob");
  d1.rule_id = "r-vip";
  d1.strategy = Strategy::kRoundRobin;
  d1.candidates = {"ann", "bob", "cid"};
  d1.explanation = "round_robin: chose bob after ann among 3 eligible";
  Decision d2 = MakeDecision(7, kT0 + absl::Minutes(5), RoutingTrigger::kManual,
                             "billing", RoutingOutcome::kQueued);
  d2.strategy = Strategy::kQueueOnly;
  Decision d3 = MakeDecision(8, kT0, RoutingTrigger::kCapacityFreed, "care",
                             RoutingOutcome::kRouted);
  int64_t id1 = 0, id2 = 0;
  ASSERT_TRUE(store_
                  ->Run([&](EscalationTxn& txn) -> absl::Status {
                    CXDESK_ASSIGN_OR_RETURN(first, txn.GetRoundRobin("care"));
                    CXDESK_RETURN_IF_ERROR(txn.PutRoundRobin("care", {"ann"}));
                    CXDESK_ASSIGN_OR_RETURN(second, txn.GetRoundRobin("care"));
                    CXDESK_RETURN_IF_ERROR(txn.PutRoundRobin("care", {"bob"}));
                    CXDESK_ASSIGN_OR_RETURN(id1, txn.AddDecision(d1));
                    CXDESK_ASSIGN_OR_RETURN(id2, txn.AddDecision(d2));
                    CXDESK_RETURN_IF_ERROR(txn.AddDecision(d3).status());
                    return absl::OkStatus();
                  })
                  .ok());
  ASSERT_TRUE(store_
                  ->Run([&](EscalationTxn& txn) -> absl::Status {
                    CXDESK_ASSIGN_OR_RETURN(third, txn.GetRoundRobin("care"));
                    return absl::OkStatus();
                  })
                  .ok());
  EXPECT_EQ(first.last_agent, "");
  EXPECT_EQ(second.last_agent, "ann");
  EXPECT_EQ(third.last_agent, "bob");
  EXPECT_LT(id1, id2);

  auto decisions = store_->ListDecisions(7);
  ASSERT_TRUE(decisions.ok()) << decisions.status();
  ASSERT_EQ(decisions->size(), 2u);
  const Decision& g1 = (*decisions)[0];
  EXPECT_EQ(g1.id, id1);
  EXPECT_EQ(g1.ticket_id, 7);
  EXPECT_EQ(g1.at, kT0);
  EXPECT_EQ(g1.trigger, RoutingTrigger::kNewTicket);
  EXPECT_EQ(g1.rule_id, "r-vip");
  EXPECT_EQ(g1.team, "care");
  EXPECT_EQ(g1.strategy, Strategy::kRoundRobin);
  EXPECT_EQ(g1.outcome, RoutingOutcome::kAssigned);
  EXPECT_EQ(g1.agent, "bob");
  EXPECT_EQ(g1.candidates, (std::vector<std::string>{"ann", "bob", "cid"}));
  EXPECT_EQ(g1.explanation, d1.explanation);
  const Decision& g2 = (*decisions)[1];
  EXPECT_EQ(g2.id, id2);
  EXPECT_EQ(g2.trigger, RoutingTrigger::kManual);
  EXPECT_EQ(g2.rule_id, "");
  EXPECT_EQ(g2.team, "billing");
  EXPECT_EQ(g2.strategy, Strategy::kQueueOnly);
  EXPECT_EQ(g2.outcome, RoutingOutcome::kQueued);
  EXPECT_EQ(g2.agent, "");
  EXPECT_TRUE(g2.candidates.empty());
  auto eight = store_->ListDecisions(8);
  ASSERT_TRUE(eight.ok());
  ASSERT_EQ(eight->size(), 1u);
  EXPECT_EQ(eight->front().trigger, RoutingTrigger::kCapacityFreed);
  EXPECT_EQ(eight->front().outcome, RoutingOutcome::kRouted);
  EXPECT_TRUE(store_->ListDecisions(9)->empty());
}

TEST_F(PostgresEscalationStoreTest, ADuplicateRequestIdRollsTheUnitBack) {
  ASSERT_TRUE(AddActionRecord(MakeAction(7, "req-1", kT0)).ok());
  // The second unit's decision and ticket go with its failed action.
  absl::Status status = store_->Run([&](EscalationTxn& txn) -> absl::Status {
    CXDESK_RETURN_IF_ERROR(txn.PutTicket(MakeTicket(8, "open", "care", "ann")));
    CXDESK_ASSIGN_OR_RETURN(
        int64_t decision,
        txn.AddDecision(MakeDecision(8, kT0, RoutingTrigger::kNewTicket, "care",
                                     RoutingOutcome::kAssigned, "ann")));
    ActionRecord assign = MakeAction(8, "req-1", kT0);
    assign.kind = ActionRecord::Kind::kAssign;
    assign.assignee = "ann";
    assign.decision_id = decision;
    CXDESK_RETURN_IF_ERROR(txn.AddAction(assign).status());
    return absl::OkStatus();
  });
  EXPECT_EQ(status.code(), StatusCode::kAlreadyExists) << status;
  EXPECT_TRUE(store_->ListDecisions(8)->empty());
  EXPECT_FALSE(store_->GetTicket(8)->has_value());
  EXPECT_TRUE(store_->OpenTickets({"ann"})->empty());
  EXPECT_EQ(Count("SELECT count(*) FROM escalation.actions"), 1);
  // Another request id goes through, linked to its decision.
  status = store_->Run([&](EscalationTxn& txn) -> absl::Status {
    CXDESK_ASSIGN_OR_RETURN(
        int64_t decision,
        txn.AddDecision(MakeDecision(8, kT0, RoutingTrigger::kNewTicket, "care",
                                     RoutingOutcome::kAssigned, "ann")));
    ActionRecord assign = MakeAction(8, "req-2", kT0);
    assign.decision_id = decision;
    return txn.AddAction(assign).status();
  });
  EXPECT_TRUE(status.ok()) << status;
  EXPECT_EQ(Count("SELECT count(*) FROM escalation.actions a JOIN "
                  "escalation.decisions d USING (decision_id) WHERE "
                  "a.request_id = 'req-2' AND d.ticket_id = 8"),
            1);
}

TEST_F(PostgresEscalationStoreTest, AnErrorOfTheWorkRollsItsWritesBack) {
  absl::Status status = store_->Run([&](EscalationTxn& txn) -> absl::Status {
    CXDESK_RETURN_IF_ERROR(txn.PutTicket(MakeTicket(7, "open", "care", "ann")));
    CXDESK_RETURN_IF_ERROR(txn.SetCursor("tickets", "5-17"));
    CXDESK_RETURN_IF_ERROR(txn.PutRoundRobin("care", {"ann"}));
    CXDESK_RETURN_IF_ERROR(
        txn.AddDecision(MakeDecision(7, kT0, RoutingTrigger::kNewTicket, "care",
                                     RoutingOutcome::kAssigned, "ann"))
            .status());
    CXDESK_RETURN_IF_ERROR(txn.ArmTimer({7, kFirst, 1}, 3, kT0));
    CXDESK_RETURN_IF_ERROR(txn.PutCycle({{7, kFirst, 1}, {}, "", {}}));
    return absl::FailedPreconditionError("ticket 7 changed meanwhile");
  });
  EXPECT_EQ(status.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(status.message(), "ticket 7 changed meanwhile");
  EXPECT_FALSE(store_->GetTicket(7)->has_value());
  EXPECT_EQ(*store_->ReadCursor("tickets"), "");
  EXPECT_TRUE(store_->ListDecisions(7)->empty());
  EXPECT_TRUE(store_->OpenTickets({"ann"})->empty());
  EXPECT_FALSE(store_->NextTimerDue()->has_value());
  EXPECT_EQ(Count("SELECT (SELECT count(*) FROM escalation.round_robin) + "
                  "(SELECT count(*) FROM escalation.cycles) + (SELECT count(*) "
                  "FROM escalation.agent_loads)"),
            0);
}

TEST_F(PostgresEscalationStoreTest, CyclesStepsAndCursorsRoundTrip) {
  const CycleKey key{7, kFirst, 2};
  std::optional<CycleState> none, fresh, full;
  CycleState state;
  state.key = key;
  state.ladder.warned = true;
  state.ladder.breached_at = kT0 + absl::Microseconds(7);
  state.ladder.acknowledged = true;
  state.ladder.done_levels = {1, 3};
  state.acknowledged_by = "ann";
  state.acknowledge_time = kT0 + absl::Minutes(5);
  ASSERT_TRUE(
      store_
          ->Run([&](EscalationTxn& txn) -> absl::Status {
            CXDESK_ASSIGN_OR_RETURN(none, txn.GetCycle(key));
            CXDESK_RETURN_IF_ERROR(txn.PutCycle({{7, kFirst, 1}}));
            CXDESK_ASSIGN_OR_RETURN(fresh, txn.GetCycle({7, kFirst, 1}));
            CXDESK_RETURN_IF_ERROR(txn.PutCycle(state));
            return absl::OkStatus();
          })
          .ok());
  EXPECT_FALSE(none.has_value());
  ASSERT_TRUE(fresh.has_value());
  EXPECT_FALSE(fresh->ladder.warned);
  EXPECT_EQ(fresh->ladder.breached_at, absl::InfinitePast());
  EXPECT_FALSE(fresh->ladder.met_or_cancelled);
  EXPECT_FALSE(fresh->ladder.acknowledged);
  EXPECT_TRUE(fresh->ladder.done_levels.empty());
  EXPECT_EQ(fresh->acknowledged_by, "");
  EXPECT_FALSE(fresh->acknowledge_time.has_value());

  auto read = [&]() {
    std::optional<CycleState> out;
    EXPECT_TRUE(store_
                    ->Run([&](EscalationTxn& txn) -> absl::Status {
                      CXDESK_ASSIGN_OR_RETURN(out, txn.GetCycle(key));
                      return absl::OkStatus();
                    })
                    .ok());
    return out;
  };
  full = read();
  ASSERT_TRUE(full.has_value());
  EXPECT_EQ(full->key.ticket_id, 7);
  EXPECT_EQ(full->key.metric, kFirst);
  EXPECT_EQ(full->key.cycle, 2);
  EXPECT_TRUE(full->ladder.warned);
  EXPECT_EQ(full->ladder.breached_at, kT0 + absl::Microseconds(7));
  EXPECT_FALSE(full->ladder.met_or_cancelled);
  EXPECT_TRUE(full->ladder.acknowledged);
  EXPECT_EQ(full->ladder.done_levels, (std::set<int>{1, 3}));
  EXPECT_EQ(full->acknowledged_by, "ann");
  EXPECT_EQ(full->acknowledge_time, kT0 + absl::Minutes(5));
  // The upsert replaces the state: stopped, one more level done.
  state.ladder.met_or_cancelled = true;
  state.ladder.done_levels.insert(4);
  ASSERT_TRUE(PutCycleState(state).ok());
  full = read();
  ASSERT_TRUE(full.has_value());
  EXPECT_TRUE(full->ladder.met_or_cancelled);
  EXPECT_EQ(full->ladder.done_levels, (std::set<int>{1, 3, 4}));

  // A level runs once per (ticket, metric, cycle).
  auto step = AddStep(MakeStep(7, kFirst, 2, 1, "care", kT0));
  ASSERT_TRUE(step.ok()) << step.status();
  EXPECT_EQ(AddStep(MakeStep(7, kFirst, 2, 1, "care", kT0)).status().code(),
            StatusCode::kAlreadyExists);
  EXPECT_TRUE(AddStep(MakeStep(7, kFirst, 3, 1, "care", kT0)).ok());
  EXPECT_TRUE(AddStep(MakeStep(7, "resolution", 2, 1, "care", kT0)).ok());
  EXPECT_TRUE(AddStep(MakeStep(8, kFirst, 2, 1, "care", kT0)).ok());
  EXPECT_TRUE(AddStep(MakeStep(7, kFirst, 2, 2, "care", kT0)).ok());
  EXPECT_EQ(Count("SELECT count(*) FROM escalation.escalations"), 5);

  EXPECT_EQ(*store_->ReadCursor("tickets"), "");
  ASSERT_TRUE(store_
                  ->Run([&](EscalationTxn& txn) -> absl::Status {
                    CXDESK_RETURN_IF_ERROR(txn.SetCursor("tickets", "12-34"));
                    return txn.SetCursor("sla", "3-1");
                  })
                  .ok());
  EXPECT_EQ(*store_->ReadCursor("tickets"), "12-34");
  EXPECT_EQ(*store_->ReadCursor("sla"), "3-1");
  ASSERT_TRUE(store_
                  ->Run([&](EscalationTxn& txn) {
                    return txn.SetCursor("tickets", "12-40");
                  })
                  .ok());
  EXPECT_EQ(*store_->ReadCursor("tickets"), "12-40");
}

TEST_F(PostgresEscalationStoreTest, LeasesHaveOneHolderAtATime) {
  auto first = store_->TryAcquireLease(42);
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_NE(*first, nullptr);
  EXPECT_TRUE((*first)->Alive());
  auto second = store_->TryAcquireLease(42);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(*second, nullptr);
  auto other = store_->TryAcquireLease(43);
  ASSERT_TRUE(other.ok());
  EXPECT_NE(*other, nullptr);
  first->reset();
  second = store_->TryAcquireLease(42);
  ASSERT_TRUE(second.ok());
  EXPECT_NE(*second, nullptr);
}

// ---------------------------------------------------------------------------
// The action outbox
// ---------------------------------------------------------------------------

TEST_F(PostgresEscalationStoreTest, FinishActionStoresTheOutcome) {
  EscalationRecord step = MakeStep(7, kFirst, 1, 2, "care", kT0);
  step.actions = {Action::RaisePriority(),
                  Action::Reassign({ReassignTarget::Kind::kOtherTeam, "bill"}),
                  Action::AddNote("Customer waits: call back."),
                  Action::AddNote("second note"),
                  Action::Notify({Recipient::Kind::kTeamLead, ""})};
  auto e = AddStep(step);
  ASSERT_TRUE(e.ok()) << e.status();
  const absl::Time due = kT0 - absl::Minutes(1);
  std::vector<ActionRecord> queued(5);
  queued[0] = MakeAction(7, "e1-0", due);
  queued[1] = MakeAction(7, "e1-1", due);
  queued[1].kind = ActionRecord::Kind::kAssign;
  queued[1].team = "bill";
  queued[1].unassign = true;
  queued[2] = MakeAction(7, "e1-2", due);
  queued[2].kind = ActionRecord::Kind::kAddNote;
  queued[2].note = "Customer waits: call back.";
  queued[3] = MakeAction(7, "e1-3", kT0 + absl::Minutes(10));  // Not yet due.
  queued[3].kind = ActionRecord::Kind::kAddNote;
  queued[3].note = "second note";
  queued[4] = MakeAction(7, "e1-4", due);  // Recorded done: never claimed.
  queued[4].kind = ActionRecord::Kind::kNotify;
  queued[4].state = ActionRecord::State::kDone;
  queued[4].detail = "notified lead1";
  queued[4].done_time = due;
  std::vector<int64_t> ids;
  for (size_t i = 0; i < queued.size(); ++i) {
    queued[i].escalation_id = *e;
    queued[i].action_index = static_cast<int>(i);
    auto id = AddActionRecord(queued[i]);
    ASSERT_TRUE(id.ok()) << id.status();
    ids.push_back(*id);
  }
  EXPECT_EQ(*store_->NextActionDue(), due);

  std::vector<ActionRecord> seen;
  auto claimed = PerformDue(kT0, 10, [&](ActionRecord& a) {
    seen.push_back(a);
    a.attempts += 1;
    if (a.request_id == "e1-0") {
      a.state = ActionRecord::State::kDone;
      a.detail = "priority high -> urgent";
      a.done_time = kT0;
    } else if (a.request_id == "e1-1") {
      a.state = ActionRecord::State::kFailed;
      a.error = "team \"bill\" not found";
      a.done_time = kT0;
    } else {
      a.error = "ticket service unavailable";
      a.next_attempt = kT0 + absl::Seconds(30);
    }
  });
  ASSERT_TRUE(claimed.ok()) << claimed.status();
  EXPECT_EQ(*claimed, 3);
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0].id, ids[0]);
  EXPECT_EQ(seen[1].id, ids[1]);
  EXPECT_EQ(seen[2].id, ids[2]);
  // `perform` sees the stored action.
  EXPECT_EQ(seen[1].ticket_id, 7);
  EXPECT_EQ(seen[1].kind, ActionRecord::Kind::kAssign);
  EXPECT_EQ(seen[1].state, ActionRecord::State::kPending);
  EXPECT_EQ(seen[1].team, "bill");
  EXPECT_TRUE(seen[1].unassign);
  EXPECT_EQ(seen[1].request_id, "e1-1");
  EXPECT_EQ(seen[1].escalation_id, *e);
  EXPECT_EQ(seen[1].action_index, 1);
  EXPECT_EQ(seen[1].decision_id, 0);
  EXPECT_EQ(seen[1].attempts, 0);
  EXPECT_EQ(seen[1].next_attempt, due);
  EXPECT_EQ(seen[1].create_time, due);
  EXPECT_FALSE(seen[1].done_time.has_value());
  EXPECT_EQ(seen[2].note, "Customer waits: call back.");

  EXPECT_EQ(*PerformDue(kT0, 10, [](ActionRecord&) {}), 0);
  EXPECT_EQ(*store_->NextActionDue(), kT0 + absl::Seconds(30));

  auto got = store_->GetEscalation(*e);
  ASSERT_TRUE(got.ok()) << got.status();
  ASSERT_EQ(got->results.size(), 5u);
  const std::vector<ActionRecord>& r = got->results;
  for (size_t i = 0; i < r.size(); ++i) {
    EXPECT_EQ(r[i].id, ids[i]);
    EXPECT_EQ(r[i].action_index, static_cast<int>(i));
  }
  EXPECT_EQ(r[0].state, ActionRecord::State::kDone);
  EXPECT_EQ(r[0].attempts, 1);
  EXPECT_EQ(r[0].detail, "priority high -> urgent");
  EXPECT_EQ(r[0].error, "");
  EXPECT_EQ(r[0].done_time, kT0);
  EXPECT_EQ(r[1].state, ActionRecord::State::kFailed);
  EXPECT_EQ(r[1].attempts, 1);
  EXPECT_EQ(r[1].error, "team \"bill\" not found");
  EXPECT_EQ(r[1].done_time, kT0);
  EXPECT_EQ(r[2].state, ActionRecord::State::kPending);
  EXPECT_EQ(r[2].attempts, 1);
  EXPECT_EQ(r[2].error, "ticket service unavailable");
  EXPECT_EQ(r[2].next_attempt, kT0 + absl::Seconds(30));
  EXPECT_FALSE(r[2].done_time.has_value());
  EXPECT_EQ(r[3].state, ActionRecord::State::kPending);
  EXPECT_EQ(r[3].attempts, 0);
  EXPECT_EQ(r[3].next_attempt, kT0 + absl::Minutes(10));
  EXPECT_EQ(r[4].state, ActionRecord::State::kDone);
  EXPECT_EQ(r[4].detail, "notified lead1");
  EXPECT_EQ(r[4].done_time, due);

  // At the later one's due instant both are due, the retry first.
  seen.clear();
  claimed = PerformDue(kT0 + absl::Minutes(10), 10, [&](ActionRecord& a) {
    seen.push_back(a);
    a.state = ActionRecord::State::kSkipped;
    a.done_time = kT0 + absl::Minutes(10);
  });
  ASSERT_TRUE(claimed.ok());
  EXPECT_EQ(*claimed, 2);
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].id, ids[2]);
  EXPECT_EQ(seen[1].id, ids[3]);
  EXPECT_FALSE(store_->NextActionDue()->has_value());
}

TEST_F(PostgresEscalationStoreTest, CancelRoutingActionsSkipsOnlyPendingOnes) {
  const absl::Time due = kT0 - absl::Minutes(1);
  std::vector<int64_t> decisions;
  ASSERT_TRUE(store_
                  ->Run([&](EscalationTxn& txn) -> absl::Status {
                    for (int64_t ticket : {9, 10}) {
                      CXDESK_ASSIGN_OR_RETURN(
                          int64_t id,
                          txn.AddDecision(MakeDecision(
                              ticket, due, RoutingTrigger::kNewTicket, "care",
                              RoutingOutcome::kAssigned, "ann")));
                      decisions.push_back(id);
                    }
                    return absl::OkStatus();
                  })
                  .ok());
  ActionRecord route9 = MakeAction(9, "route-9", due);
  route9.kind = ActionRecord::Kind::kAssign;
  route9.assignee = "ann";
  route9.decision_id = decisions[0];
  ActionRecord route10 = route9;
  route10.ticket_id = 10;
  route10.request_id = "route-10";
  route10.decision_id = decisions[1];
  ActionRecord raise9 = MakeAction(9, "raise-9", due);  // Not routing.
  for (const ActionRecord& a : {route9, route10, raise9}) {
    ASSERT_TRUE(AddActionRecord(a).ok());
  }
  ASSERT_TRUE(store_
                  ->Run([&](EscalationTxn& txn) {
                    return txn.CancelRoutingActions(9, "skipped: closed", kT0);
                  })
                  .ok());
  std::vector<std::string> claimed;
  auto n = PerformDue(kT0, 10, [&](ActionRecord& a) {
    claimed.push_back(a.request_id);
    a.state = ActionRecord::State::kDone;
  });
  ASSERT_TRUE(n.ok()) << n.status();
  EXPECT_EQ(claimed, (std::vector<std::string>{"route-10", "raise-9"}));
}

TEST_F(PostgresEscalationStoreTest, TwoPerformersClaimDisjointActions) {
  ASSERT_TRUE(store_
                  ->Run([&](EscalationTxn& txn) -> absl::Status {
                    for (int i = 1; i <= 20; ++i) {
                      CXDESK_RETURN_IF_ERROR(
                          txn.AddAction(MakeAction(i, absl::StrCat("c-", i),
                                                   kT0 - absl::Seconds(i)))
                              .status());
                    }
                    return absl::OkStatus();
                  })
                  .ok());
  std::mutex mu;
  std::map<int64_t, int> performed;  // action id -> how often
  std::map<std::string, std::set<int64_t>> claimed_by;
  auto performer = [&](const std::string& name) {
    while (true) {
      auto claimed = PerformDue(kT0, 1, [&](ActionRecord& a) {
        {
          std::lock_guard<std::mutex> lock(mu);
          ++performed[a.id];
          claimed_by[name].insert(a.id);
        }
        a.attempts += 1;
        a.state = ActionRecord::State::kDone;
        a.detail = name;
        a.done_time = kT0;
      });
      ASSERT_TRUE(claimed.ok()) << claimed.status();
      ASSERT_LE(*claimed, 1);
      if (*claimed == 0) return;
    }
  };
  std::thread a(performer, "a");
  std::thread b(performer, "b");
  a.join();
  b.join();
  EXPECT_EQ(performed.size(), 20u);
  for (const auto& [id, times] : performed) {
    EXPECT_EQ(times, 1) << "action " << id;
  }
  for (int64_t id : claimed_by["a"]) {
    EXPECT_EQ(claimed_by["b"].count(id), 0u) << "action " << id;
  }
  EXPECT_EQ(claimed_by["a"].size() + claimed_by["b"].size(), 20u);
  EXPECT_EQ(Count("SELECT count(*) FROM escalation.actions WHERE state = "
                  "'done' AND attempts = 1 AND done_at IS NOT NULL"),
            20);
  EXPECT_EQ(Count("SELECT count(*) FROM escalation.actions WHERE detail = 'a'"),
            static_cast<int64_t>(claimed_by["a"].size()));
  EXPECT_FALSE(store_->NextActionDue()->has_value());
}

TEST_F(PostgresEscalationStoreTest, AnExpiredLeaseIsTakenOverAndFencesTheLate) {
  auto id = AddActionRecord(MakeAction(7, "lease-1", kT0 - absl::Minutes(1)));
  ASSERT_TRUE(id.ok()) << id.status();
  // Relay a claims it until kT0 + 30 s, then stalls (or dies).
  auto a = store_->ClaimDueActions(kT0, kT0 + absl::Seconds(30), 10);
  ASSERT_TRUE(a.ok()) << a.status();
  ASSERT_EQ(a->size(), 1u);
  EXPECT_EQ((*a)[0].action.id, *id);
  EXPECT_EQ((*a)[0].action.request_id, "lease-1");
  EXPECT_EQ((*a)[0].lease_until, kT0 + absl::Seconds(30));
  // While the lease lasts nobody else claims it; it is due when it ends.
  auto during = store_->ClaimDueActions(kT0 + absl::Seconds(29),
                                        kT0 + absl::Seconds(89), 10);
  ASSERT_TRUE(during.ok()) << during.status();
  EXPECT_TRUE(during->empty());
  EXPECT_EQ(*store_->NextActionDue(), kT0 + absl::Seconds(30));
  // At its end relay b takes the action over, with a newer claim.
  auto b = store_->ClaimDueActions(kT0 + absl::Seconds(30),
                                   kT0 + absl::Seconds(90), 10);
  ASSERT_TRUE(b.ok()) << b.status();
  ASSERT_EQ(b->size(), 1u);
  EXPECT_EQ((*b)[0].action.id, *id);
  EXPECT_EQ((*b)[0].claim, (*a)[0].claim + 1);
  EXPECT_EQ((*b)[0].action.attempts, 0);
  EXPECT_EQ(*store_->NextActionDue(), kT0 + absl::Seconds(90));
  // a wakes up: its outcome is dropped; b's is recorded, once.
  ActionRecord late = (*a)[0].action;
  late.state = ActionRecord::State::kFailed;
  late.attempts = 1;
  late.error = "late";
  late.done_time = kT0 + absl::Seconds(40);
  auto dropped = store_->FinishAction((*a)[0].claim, late);
  ASSERT_TRUE(dropped.ok()) << dropped.status();
  EXPECT_FALSE(*dropped);
  ActionRecord done = (*b)[0].action;
  done.state = ActionRecord::State::kDone;
  done.attempts = 1;
  done.detail = "priority high -> urgent";
  done.done_time = kT0 + absl::Seconds(31);
  auto recorded = store_->FinishAction((*b)[0].claim, done);
  ASSERT_TRUE(recorded.ok()) << recorded.status();
  EXPECT_TRUE(*recorded);
  EXPECT_FALSE(*store_->FinishAction((*b)[0].claim, late));  // Not pending.
  EXPECT_EQ(
      Count(absl::StrCat(
          "SELECT count(*) FROM escalation.actions WHERE action_id = ", *id,
          " AND state = 'done' AND attempts = 1 AND error = ''"
          " AND detail = 'priority high -> urgent'"
          " AND lease_until IS NULL AND done_at = to_timestamp(",
          absl::ToUnixSeconds(kT0 + absl::Seconds(31)), ")")),
      1);
  EXPECT_FALSE(store_->NextActionDue()->has_value());
}

TEST_F(PostgresEscalationStoreTest, AnUntouchedOutcomeGivesTheActionBack) {
  const absl::Time due = kT0 - absl::Minutes(1);
  auto id = AddActionRecord(MakeAction(7, "back-1", due));
  ASSERT_TRUE(id.ok()) << id.status();
  auto first = store_->ClaimDueActions(kT0, kT0 + absl::Seconds(30), 10);
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_EQ(first->size(), 1u);
  auto given_back = store_->FinishAction((*first)[0].claim, (*first)[0].action);
  ASSERT_TRUE(given_back.ok()) << given_back.status();
  EXPECT_TRUE(*given_back);
  // Due again at once, as it was before the claim.
  EXPECT_EQ(*store_->NextActionDue(), due);
  auto again = store_->ClaimDueActions(kT0, kT0 + absl::Seconds(30), 10);
  ASSERT_TRUE(again.ok()) << again.status();
  ASSERT_EQ(again->size(), 1u);
  EXPECT_EQ((*again)[0].action.id, *id);
  EXPECT_EQ((*again)[0].action.state, ActionRecord::State::kPending);
  EXPECT_EQ((*again)[0].action.attempts, 0);
  EXPECT_EQ((*again)[0].action.next_attempt, due);
  EXPECT_EQ((*again)[0].claim, (*first)[0].claim + 1);
}

TEST_F(PostgresEscalationStoreTest, CancelLeavesALeasedAssignmentToItsClaimer) {
  const absl::Time due = kT0 - absl::Minutes(1);
  int64_t decision = 0;
  ASSERT_TRUE(store_
                  ->Run([&](EscalationTxn& txn) -> absl::Status {
                    CXDESK_ASSIGN_OR_RETURN(
                        decision,
                        txn.AddDecision(MakeDecision(
                            9, due, RoutingTrigger::kNewTicket, "care",
                            RoutingOutcome::kAssigned, "ann")));
                    return absl::OkStatus();
                  })
                  .ok());
  std::vector<int64_t> ids;
  for (const char* request_id : {"route-9a", "route-9b"}) {
    ActionRecord route = MakeAction(9, request_id, due);
    route.kind = ActionRecord::Kind::kAssign;
    route.assignee = "ann";
    route.decision_id = decision;
    auto id = AddActionRecord(route);
    ASSERT_TRUE(id.ok()) << id.status();
    ids.push_back(*id);
  }
  // The first is claimed (its call may be in flight) when the ticket closes.
  auto claimed = store_->ClaimDueActions(kT0, kT0 + absl::Seconds(30), 1);
  ASSERT_TRUE(claimed.ok()) << claimed.status();
  ASSERT_EQ(claimed->size(), 1u);
  EXPECT_EQ((*claimed)[0].action.id, ids[0]);
  ASSERT_TRUE(store_
                  ->Run([&](EscalationTxn& txn) {
                    return txn.CancelRoutingActions(9, "skipped: closed",
                                                    kT0 + absl::Seconds(1));
                  })
                  .ok());
  const std::string state_of = "SELECT count(*) FROM escalation.actions WHERE ";
  EXPECT_EQ(Count(absl::StrCat(state_of, "action_id = ", ids[0],
                               " AND state = 'pending'")),
            1);
  EXPECT_EQ(Count(absl::StrCat(state_of, "action_id = ", ids[1],
                               " AND state = 'skipped'"
                               " AND detail = 'skipped: closed'")),
            1);
  // The claimer's outcome is what happened.
  ActionRecord done = (*claimed)[0].action;
  done.state = ActionRecord::State::kDone;
  done.attempts = 1;
  done.detail = "assigned to ann";
  done.done_time = kT0 + absl::Seconds(2);
  EXPECT_TRUE(*store_->FinishAction((*claimed)[0].claim, done));
  EXPECT_EQ(Count(absl::StrCat(state_of, "action_id = ", ids[0],
                               " AND state = 'done'")),
            1);
}

TEST_F(PostgresEscalationStoreTest, DeliveryLeasesFenceLikeActionLeases) {
  TeamRecord care = MakeTeam("care", true);
  care.webhook_url = "https://hooks.example.com/care";
  care.webhook_secret = "s1";
  ASSERT_TRUE(store_->CreateTeam(care, kT0).ok());
  auto e = AddStep(MakeStep(7, kFirst, 1, 1, "care", kT0));
  ASSERT_TRUE(e.ok()) << e.status();
  auto n = AddNotificationRecord(MakeNotification("ann", *e, kT0));
  ASSERT_TRUE(n.ok()) << n.status();
  DeliveryRecord queued;
  queued.team = "care";
  queued.notification_id = *n;
  queued.url = care.webhook_url;
  queued.payload = "{}";
  queued.next_attempt = kT0;
  int64_t id = 0;
  ASSERT_TRUE(store_
                  ->Run([&](EscalationTxn& txn) -> absl::Status {
                    CXDESK_ASSIGN_OR_RETURN(id, txn.AddDelivery(queued));
                    return absl::OkStatus();
                  })
                  .ok());
  auto a = store_->ClaimDueDeliveries(kT0, kT0 + absl::Seconds(7), 5);
  ASSERT_TRUE(a.ok()) << a.status();
  ASSERT_EQ(a->size(), 1u);
  EXPECT_EQ((*a)[0].delivery.id, id);
  EXPECT_EQ((*a)[0].secret, "s1");
  EXPECT_EQ((*a)[0].lease_until, kT0 + absl::Seconds(7));
  auto during = store_->ClaimDueDeliveries(kT0 + absl::Seconds(6),
                                           kT0 + absl::Seconds(13), 5);
  ASSERT_TRUE(during.ok()) << during.status();
  EXPECT_TRUE(during->empty());
  EXPECT_EQ(*store_->NextDeliveryDue(), kT0 + absl::Seconds(7));
  auto b = store_->ClaimDueDeliveries(kT0 + absl::Seconds(7),
                                      kT0 + absl::Seconds(14), 5);
  ASSERT_TRUE(b.ok()) << b.status();
  ASSERT_EQ(b->size(), 1u);
  EXPECT_EQ((*b)[0].claim, (*a)[0].claim + 1);
  DeliveryRecord outcome = (*a)[0].delivery;
  outcome.state = DeliveryRecord::State::kDelivered;
  outcome.attempts = 1;
  outcome.last_status_code = 204;
  outcome.deliver_time = kT0 + absl::Seconds(8);
  auto dropped = store_->FinishDelivery((*a)[0].claim, outcome);
  ASSERT_TRUE(dropped.ok()) << dropped.status();
  EXPECT_FALSE(*dropped);
  auto recorded = store_->FinishDelivery((*b)[0].claim, outcome);
  ASSERT_TRUE(recorded.ok()) << recorded.status();
  EXPECT_TRUE(*recorded);
  auto all = store_->ListDeliveries("care", std::nullopt, 0, 10);
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ((*all)[0].state, DeliveryRecord::State::kDelivered);
  EXPECT_EQ((*all)[0].attempts, 1);
  EXPECT_EQ((*all)[0].last_status_code, 204);
  EXPECT_EQ((*all)[0].deliver_time, kT0 + absl::Seconds(8));
  EXPECT_FALSE(store_->NextDeliveryDue()->has_value());
}

// ---------------------------------------------------------------------------
// The action relay against a slow ticket service
// ---------------------------------------------------------------------------

// A ticket service that is slow, deterministically: each call moves
// `clock` on by `per_call`, and while held every call waits for Release()
// (so a test can look at the database while calls are in flight, as it
// would while a real ticket service takes 2 s per call).
class SlowTicketService final : public TicketGateway {
 public:
  SlowTicketService(common::FakeClock& clock, absl::Duration per_call,
                    bool held)
      : clock_(clock), per_call_(per_call), released_(!held) {}

  absl::Status Assign(int64_t, const std::string&, const std::string&, bool,
                      const std::string& request_id) override {
    return Call(request_id);
  }
  absl::StatusOr<std::string> RaisePriority(
      int64_t, const std::string& request_id) override {
    CXDESK_RETURN_IF_ERROR(Call(request_id));
    return "priority high -> urgent";
  }
  absl::Status AddNote(int64_t, const std::string&,
                       const std::string& request_id) override {
    return Call(request_id);
  }
  absl::StatusOr<TicketToRoute> GetTicket(int64_t) override {
    return absl::UnimplementedError("not used by the relay");
  }

  // Blocks until `n` calls have started.
  void AwaitCalls(int n) {
    absl::MutexLock lock(&mu_);
    std::pair<const SlowTicketService*, int> arg{this, n};
    mu_.Await(absl::Condition(
        +[](std::pair<const SlowTicketService*, int>* p) {
          return static_cast<int>(p->first->request_ids_.size()) >= p->second;
        },
        &arg));
  }
  void Release() {
    absl::MutexLock lock(&mu_);
    released_ = true;
  }
  std::vector<std::string> request_ids() const {
    absl::MutexLock lock(&mu_);
    return request_ids_;
  }

 private:
  absl::Status Call(const std::string& request_id) {
    absl::MutexLock lock(&mu_);
    request_ids_.push_back(request_id);
    mu_.Await(absl::Condition(&released_));
    clock_.Advance(per_call_);
    return absl::OkStatus();
  }

  common::FakeClock& clock_;
  const absl::Duration per_call_;
  mutable absl::Mutex mu_;
  bool released_;
  std::vector<std::string> request_ids_;
};

TEST_F(PostgresEscalationStoreTest, ASlowTicketServiceHoldsNoConnection) {
  // Two connections, and a store call that gives up soon when none is
  // free: performing inside a transaction would hold both.
  constexpr int kPool = 2;
  common::PgPool::Options options{*url_, kPool};
  options.queries = PostgresEscalationStore::PreparedQueries();
  options.acquire_timeout = absl::Milliseconds(100);
  auto pool = common::PgPool::Create(options);
  ASSERT_TRUE(pool.ok()) << pool.status();
  PostgresEscalationStore store(**pool, nullptr);
  std::vector<int64_t> ids;
  for (int i = 1; i <= kPool + 1; ++i) {
    auto id = AddActionRecord(
        MakeAction(i, absl::StrCat("slow-", i), kT0 - absl::Minutes(1)));
    ASSERT_TRUE(id.ok()) << id.status();
    ids.push_back(*id);
  }
  common::FakeClock clock(kT0);
  SlowTicketService ticket_service(clock, absl::Seconds(2), /*held=*/true);
  const ActionRelayOptions one_each{/*batch=*/1, /*max_attempts=*/20};
  std::vector<absl::StatusOr<int>> relayed(kPool, absl::UnknownError("-"));
  std::vector<std::thread> relays;
  for (int i = 0; i < kPool; ++i) {
    relays.emplace_back([&, i] {
      relayed[i] = RelayDueActions(store, ticket_service, clock, one_each, kT0);
    });
  }
  ticket_service.AwaitCalls(kPool);

  // As many calls in flight as the pool has connections, and the database
  // is all the store's: a claim, a unit of work, a read.
  auto third = store.ClaimDueActions(kT0, kT0 + ActionLease(1), 1);
  ASSERT_TRUE(third.ok()) << third.status();
  ASSERT_EQ(third->size(), 1u);
  EXPECT_EQ((*third)[0].action.id, ids[2]);
  EXPECT_TRUE(store
                  .Run([](EscalationTxn& txn) {
                    return txn.SetCursor("ticket-events", "c-1");
                  })
                  .ok());
  EXPECT_EQ(*store.ReadCursor("ticket-events"), "c-1");

  ticket_service.Release();
  for (std::thread& t : relays) t.join();
  for (const absl::StatusOr<int>& r : relayed) {
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(*r, 1);
  }
  EXPECT_THAT(ticket_service.request_ids(),
              ::testing::UnorderedElementsAre("slow-1", "slow-2"));
  EXPECT_EQ(Count("SELECT count(*) FROM escalation.actions WHERE state ="
                  " 'done' AND attempts = 1 AND lease_until IS NULL"
                  " AND detail = 'priority high -> urgent'"),
            2);
  EXPECT_TRUE(*store.FinishAction((*third)[0].claim, (*third)[0].action));
}

TEST_F(PostgresEscalationStoreTest, ARelayGivesBackWhatNoLongerFitsItsLease) {
  // A batch of three is leased for 3 x 4 s + 2 s = 14 s; each call takes
  // 6 s. The third would start at kT0 + 12 s and could end after the lease:
  // it is given back untouched, for any relay to claim at once.
  const absl::Time due = kT0 - absl::Minutes(1);
  std::vector<int64_t> ids;
  for (int i = 1; i <= 3; ++i) {
    ActionRecord note = MakeAction(i, absl::StrCat("note-", i), due);
    note.kind = ActionRecord::Kind::kAddNote;
    note.note = "Customer waits.";
    auto id = AddActionRecord(note);
    ASSERT_TRUE(id.ok()) << id.status();
    ids.push_back(*id);
  }
  ASSERT_EQ(ActionLease(3), absl::Seconds(14));
  common::FakeClock clock(kT0);
  SlowTicketService ticket_service(clock, absl::Seconds(6), /*held=*/false);
  auto relayed = RelayDueActions(*store_, ticket_service, clock,
                                 {/*batch=*/3, /*max_attempts=*/20}, kT0);
  ASSERT_TRUE(relayed.ok()) << relayed.status();
  EXPECT_EQ(*relayed, 3);
  EXPECT_EQ(ticket_service.request_ids(),
            (std::vector<std::string>{"note-1", "note-2"}));
  auto done_at_seconds = [&](int64_t id) {
    return Count(absl::StrCat(
        "SELECT (extract(epoch FROM done_at))::bigint FROM escalation.actions"
        " WHERE state = 'done' AND attempts = 1 AND action_id = ",
        id));
  };
  EXPECT_EQ(done_at_seconds(ids[0]), absl::ToUnixSeconds(kT0));
  EXPECT_EQ(done_at_seconds(ids[1]),
            absl::ToUnixSeconds(kT0 + absl::Seconds(6)));
  EXPECT_EQ(*store_->NextActionDue(), due);
  auto rest = store_->ClaimDueActions(kT0 + absl::Seconds(12),
                                      kT0 + absl::Seconds(18), 10);
  ASSERT_TRUE(rest.ok()) << rest.status();
  ASSERT_EQ(rest->size(), 1u);
  EXPECT_EQ((*rest)[0].action.id, ids[2]);
  EXPECT_EQ((*rest)[0].action.attempts, 0);
}

// ---------------------------------------------------------------------------
// Timers
// ---------------------------------------------------------------------------

TEST_F(PostgresEscalationStoreTest, TimersFireOnceWhenDue) {
  const CycleKey seven{7, kFirst, 1};
  const CycleKey eight{8, "resolution", 1};
  ASSERT_TRUE(store_
                  ->Run([&](EscalationTxn& txn) -> absl::Status {
                    CXDESK_RETURN_IF_ERROR(
                        txn.ArmTimer(seven, 3, kT0 + absl::Minutes(30)));
                    CXDESK_RETURN_IF_ERROR(
                        txn.ArmTimer(seven, 4, kT0 + absl::Hours(2)));
                    return txn.ArmTimer(eight, 2, kT0 + absl::Hours(1));
                  })
                  .ok());
  EXPECT_EQ(*store_->NextTimerDue(), kT0 + absl::Minutes(30));
  // Re-armed at a new instant.
  ASSERT_TRUE(store_
                  ->Run([&](EscalationTxn& txn) {
                    return txn.ArmTimer(seven, 3, kT0 + absl::Minutes(20));
                  })
                  .ok());
  EXPECT_EQ(*store_->NextTimerDue(), kT0 + absl::Minutes(20));

  std::vector<DueTimer> fired;
  auto fire = [&](EscalationTxn& txn, const DueTimer& t) -> absl::Status {
    fired.push_back(t);
    // The callback writes in the claiming transaction.
    return txn
        .AddEscalation(MakeStep(t.key.ticket_id, t.key.metric, t.key.cycle,
                                t.level, "care", t.due))
        .status();
  };
  auto claimed = store_->FireDueTimers(kT0 + absl::Minutes(10), 10, "r1", fire);
  ASSERT_TRUE(claimed.ok()) << claimed.status();
  EXPECT_EQ(*claimed, 0);
  EXPECT_TRUE(fired.empty());

  // Due at exactly `now`: claimed.
  claimed = store_->FireDueTimers(kT0 + absl::Minutes(20), 10, "r1", fire);
  ASSERT_TRUE(claimed.ok()) << claimed.status();
  EXPECT_EQ(*claimed, 1);
  ASSERT_EQ(fired.size(), 1u);
  EXPECT_EQ(fired[0].key.ticket_id, 7);
  EXPECT_EQ(fired[0].key.metric, kFirst);
  EXPECT_EQ(fired[0].key.cycle, 1);
  EXPECT_EQ(fired[0].level, 3);
  EXPECT_EQ(fired[0].due, kT0 + absl::Minutes(20));
  EXPECT_EQ(Count("SELECT count(*) FROM escalation.timers WHERE ticket_id = 7 "
                  "AND level = 3 AND fired_by = 'r1' AND fired_at = "
                  "'2026-01-01 00:20:00+00'"),
            1);
  EXPECT_EQ(Count("SELECT count(*) FROM escalation.escalations WHERE "
                  "ticket_id = 7 AND level = 3"),
            1);
  claimed = store_->FireDueTimers(kT0 + absl::Minutes(25), 10, "r2", fire);
  ASSERT_TRUE(claimed.ok());
  EXPECT_EQ(*claimed, 0);
  EXPECT_EQ(fired.size(), 1u);
  EXPECT_EQ(*store_->NextTimerDue(), kT0 + absl::Hours(1));
  // A fired timer is not re-armed.
  ASSERT_TRUE(store_
                  ->Run([&](EscalationTxn& txn) {
                    return txn.ArmTimer(seven, 3, kT0 + absl::Minutes(40));
                  })
                  .ok());
  EXPECT_EQ(*store_->NextTimerDue(), kT0 + absl::Hours(1));

  // An error of `fire` rolls the claim back: the timer fires later.
  claimed = store_->FireDueTimers(
      kT0 + absl::Hours(1), 10, "r1", [&](EscalationTxn&, const DueTimer&) {
        return absl::UnavailableError("ticket service down");
      });
  EXPECT_EQ(claimed.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(*store_->NextTimerDue(), kT0 + absl::Hours(1));

  // Disarming drops the cycle's unfired timers and keeps the fired one.
  ASSERT_TRUE(
      store_->Run([&](EscalationTxn& txn) { return txn.DisarmTimers(seven); })
          .ok());
  EXPECT_EQ(Count("SELECT count(*) FROM escalation.timers WHERE ticket_id = "
                  "7 AND fired_at IS NULL"),
            0);
  EXPECT_EQ(Count("SELECT count(*) FROM escalation.timers WHERE ticket_id = 7"),
            1);
  EXPECT_EQ(*store_->NextTimerDue(), kT0 + absl::Hours(1));
  fired.clear();
  claimed = store_->FireDueTimers(kT0 + absl::Hours(3), 10, "r2", fire);
  ASSERT_TRUE(claimed.ok()) << claimed.status();
  EXPECT_EQ(*claimed, 1);
  ASSERT_EQ(fired.size(), 1u);
  EXPECT_EQ(fired[0].key.ticket_id, 8);
  EXPECT_EQ(fired[0].level, 2);
  EXPECT_FALSE(store_->NextTimerDue()->has_value());
}

TEST_F(PostgresEscalationStoreTest, FireDueTimersLeavesABusyTicketForLater) {
  ASSERT_TRUE(
      store_
          ->Run([&](EscalationTxn& txn) -> absl::Status {
            CXDESK_RETURN_IF_ERROR(txn.ArmTimer({7, kFirst, 1}, 3, kT0));
            CXDESK_RETURN_IF_ERROR(
                txn.ArmTimer({8, kFirst, 1}, 3, kT0 + absl::Seconds(1)));
            return txn.ArmTimer({9, kFirst, 1}, 3, kT0 + absl::Seconds(2));
          })
          .ok());
  std::vector<int64_t> fired;
  auto fire = [&](EscalationTxn&, const DueTimer& t) {
    fired.push_back(t.key.ticket_id);
    return absl::OkStatus();
  };
  // The limit takes the earliest due first.
  auto claimed = store_->FireDueTimers(kT0 + absl::Minutes(1), 1, "r1", fire);
  ASSERT_TRUE(claimed.ok()) << claimed.status();
  EXPECT_EQ(*claimed, 1);
  EXPECT_THAT(fired, ElementsAre(7));
  // Another transaction holds ticket 8 (as LockTicket does): skipped.
  {
    pqxx::connection conn(*url_);
    pqxx::work holder(conn);
    holder.exec("SELECT pg_advisory_xact_lock(6, hashtext('8'))");
    claimed = store_->FireDueTimers(kT0 + absl::Minutes(1), 10, "r1", fire);
    ASSERT_TRUE(claimed.ok()) << claimed.status();
    EXPECT_EQ(*claimed, 1);
    EXPECT_THAT(fired, ElementsAre(7, 9));
    holder.commit();
  }
  EXPECT_EQ(*store_->NextTimerDue(), kT0 + absl::Seconds(1));
  claimed = store_->FireDueTimers(kT0 + absl::Minutes(1), 10, "r1", fire);
  ASSERT_TRUE(claimed.ok()) << claimed.status();
  EXPECT_EQ(*claimed, 1);
  EXPECT_THAT(fired, ElementsAre(7, 9, 8));
  EXPECT_FALSE(store_->NextTimerDue()->has_value());
}

// ---------------------------------------------------------------------------
// Notifications and webhook deliveries
// ---------------------------------------------------------------------------

TEST_F(PostgresEscalationStoreTest, NotificationsFeedPagesAndMarksRead) {
  auto e = AddStep(MakeStep(7, kFirst, 1, 2, "care", kT0));
  ASSERT_TRUE(e.ok()) << e.status();
  auto n1 = AddNotificationRecord(MakeNotification("ann", *e, kT0));
  auto n2 = AddNotificationRecord(
      MakeNotification("bob", *e, kT0 + absl::Minutes(1)));
  auto n3 = AddNotificationRecord(
      MakeNotification("ann", *e, kT0 + absl::Minutes(2)));
  ASSERT_TRUE(n1.ok() && n2.ok() && n3.ok());

  auto feed = store_->ListNotifications("ann", false, 0, 10);
  ASSERT_TRUE(feed.ok()) << feed.status();
  EXPECT_THAT(Ids(*feed), ElementsAre(*n3, *n1));
  const NotificationRecord& newest = feed->front();
  EXPECT_EQ(newest.recipient, "ann");
  EXPECT_EQ(newest.ticket_id, 7);
  EXPECT_EQ(newest.escalation_id, *e);
  EXPECT_EQ(newest.level, 2);
  EXPECT_EQ(newest.metric, kFirst);
  EXPECT_EQ(newest.title, "Ticket 7 breached (for ann)");
  EXPECT_EQ(newest.body,
            "First response is 10 minutes late, \"VIP\" customer.");
  EXPECT_EQ(newest.team, "care");
  EXPECT_EQ(newest.create_time, kT0 + absl::Minutes(2));
  EXPECT_FALSE(newest.read);
  EXPECT_EQ(newest.cursor.id, *n3);
  EXPECT_GT(newest.cursor.xid, 0u);
  EXPECT_THAT(Ids(*store_->ListNotifications("ann", false, *n3, 10)),
              ElementsAre(*n1));
  EXPECT_THAT(Ids(*store_->ListNotifications("ann", false, 0, 1)),
              ElementsAre(*n3));
  EXPECT_THAT(Ids(*store_->ListNotifications("bob", false, 0, 10)),
              ElementsAre(*n2));
  EXPECT_TRUE(store_->ListNotifications("cid", false, 0, 10)->empty());
  EXPECT_EQ(*store_->CountUnread("ann"), 2);
  EXPECT_EQ(*store_->CountUnread("bob"), 1);
  EXPECT_EQ(*store_->CountUnread("cid"), 0);

  // By ids: only the recipient's own unread ones change.
  EXPECT_EQ(*store_->MarkRead("ann", {*n1, *n2}, false, kT0 + absl::Hours(1)),
            1);
  EXPECT_EQ(*store_->MarkRead("ann", {*n1}, false, kT0 + absl::Hours(1)), 0);
  EXPECT_EQ(*store_->CountUnread("ann"), 1);
  EXPECT_EQ(*store_->CountUnread("bob"), 1);
  EXPECT_THAT(Ids(*store_->ListNotifications("ann", true, 0, 10)),
              ElementsAre(*n3));
  feed = store_->ListNotifications("ann", false, 0, 10);
  ASSERT_TRUE(feed.ok());
  ASSERT_EQ(feed->size(), 2u);
  EXPECT_FALSE((*feed)[0].read);
  EXPECT_TRUE((*feed)[1].read);
  EXPECT_EQ(Count(absl::StrCat("SELECT count(*) FROM escalation.notifications "
                               "WHERE notification_id = ",
                               *n1, " AND read_at = '2026-01-01 01:00:00+00'")),
            1);
  // All of them.
  EXPECT_EQ(*store_->MarkRead("ann", {}, true, kT0 + absl::Hours(2)), 1);
  EXPECT_EQ(*store_->MarkRead("ann", {}, true, kT0 + absl::Hours(2)), 0);
  EXPECT_EQ(*store_->CountUnread("ann"), 0);
  EXPECT_TRUE(store_->ListNotifications("ann", true, 0, 10)->empty());
  EXPECT_EQ(*store_->MarkRead("bob", {}, true, kT0), 1);
  EXPECT_EQ(*store_->CountUnread("bob"), 0);

  // The stream, in (xid, id) order, for one recipient or everyone.
  auto batch = store_->ReadNotifications("ann", {}, 10);
  ASSERT_TRUE(batch.ok()) << batch.status();
  EXPECT_FALSE(batch->held_back);
  EXPECT_THAT(Ids(batch->events), ElementsAre(*n1, *n3));
  batch = store_->ReadNotifications("*", {}, 10);
  ASSERT_TRUE(batch.ok()) << batch.status();
  EXPECT_THAT(Ids(batch->events), ElementsAre(*n1, *n2, *n3));
  EXPECT_LT(batch->events[0].cursor.xid, batch->events[1].cursor.xid);
  EXPECT_LT(batch->events[1].cursor.xid, batch->events[2].cursor.xid);
  const common::EventCursor after_first = batch->events[0].cursor;
  batch = store_->ReadNotifications("*", after_first, 10);
  ASSERT_TRUE(batch.ok());
  EXPECT_THAT(Ids(batch->events), ElementsAre(*n2, *n3));
  batch = store_->ReadNotifications("*", {}, 2);
  ASSERT_TRUE(batch.ok());
  EXPECT_THAT(Ids(batch->events), ElementsAre(*n1, *n2));
  batch = store_->ReadNotifications("bob", after_first, 10);
  ASSERT_TRUE(batch.ok());
  EXPECT_THAT(Ids(batch->events), ElementsAre(*n2));
  batch = store_->ReadNotifications("*", batch->events[0].cursor, 10);
  ASSERT_TRUE(batch.ok());
  EXPECT_THAT(Ids(batch->events), ElementsAre(*n3));
}

TEST_F(PostgresEscalationStoreTest, ReadNotificationsWaitsForEarlierWriters) {
  auto e = AddStep(MakeStep(7, kFirst, 1, 1, "care", kT0));
  ASSERT_TRUE(e.ok()) << e.status();
  // An earlier transaction takes its id first and writes last.
  pqxx::connection conn(*url_);
  pqxx::work early(conn);
  const std::string early_xid =
      early.exec1("SELECT pg_current_xact_id()::text")[0].as<std::string>();
  auto late = AddNotificationRecord(MakeNotification("ann", *e, kT0));
  ASSERT_TRUE(late.ok()) << late.status();
  auto batch = store_->ReadNotifications("*", {}, 10);
  ASSERT_TRUE(batch.ok()) << batch.status();
  EXPECT_TRUE(batch->events.empty());
  EXPECT_TRUE(batch->held_back);
  const int64_t early_id =
      early
          .exec1(absl::StrCat(
              "INSERT INTO escalation.notifications (recipient, ticket_id, "
              "escalation_id, level, metric, title, body, team_id, "
              "created_at) VALUES ('ann', 7, ",
              *e,
              ", 1, 'first_response', 'early', 'body', 'care', now()) "
              "RETURNING notification_id"))[0]
          .as<int64_t>();
  early.commit();
  EXPECT_GT(early_id, *late);
  batch = store_->ReadNotifications("*", {}, 10);
  ASSERT_TRUE(batch.ok()) << batch.status();
  EXPECT_FALSE(batch->held_back);
  // The early writer's row first, though its id is the greater.
  EXPECT_THAT(Ids(batch->events), ElementsAre(early_id, *late));
  EXPECT_EQ(std::to_string(batch->events[0].cursor.xid), early_xid);
  EXPECT_EQ(batch->events[0].title, "early");
}

TEST_F(PostgresEscalationStoreTest, DeliveriesUseTheTeamsCurrentSecret) {
  TeamRecord care = MakeTeam("care", true);
  care.webhook_url = "https://hooks.example.com/care";
  care.webhook_secret = "s1";
  ASSERT_TRUE(store_->CreateTeam(care, kT0).ok());
  ASSERT_TRUE(store_->CreateTeam(MakeTeam("billing"), kT0).ok());
  auto e = AddStep(MakeStep(7, kFirst, 1, 1, "care", kT0));
  ASSERT_TRUE(e.ok()) << e.status();
  auto n = AddNotificationRecord(MakeNotification("ann", *e, kT0));
  ASSERT_TRUE(n.ok()) << n.status();
  DeliveryRecord first;
  first.team = "care";
  first.notification_id = *n;
  first.url = care.webhook_url;
  first.payload = R"({"ticket_id":7,"title":"Ticket 7 \"breached\""})";
  first.next_attempt = kT0;
  DeliveryRecord second = first;
  second.team = "billing";
  second.url = "https://hooks.example.com/billing";
  second.payload = "{}";
  second.next_attempt = kT0 + absl::Minutes(1);
  int64_t d1 = 0, d2 = 0;
  ASSERT_TRUE(store_
                  ->Run([&](EscalationTxn& txn) -> absl::Status {
                    CXDESK_ASSIGN_OR_RETURN(d1, txn.AddDelivery(first));
                    CXDESK_ASSIGN_OR_RETURN(d2, txn.AddDelivery(second));
                    return absl::OkStatus();
                  })
                  .ok());
  EXPECT_EQ(*store_->NextDeliveryDue(), kT0);
  care.webhook_secret = "s2";  // Rotated after the delivery was queued.
  ASSERT_TRUE(store_->UpdateTeam(care, 1, kT0).ok());

  std::vector<std::pair<DeliveryRecord, std::string>> seen;
  auto found = PerformNextDelivery(
      kT0, [&](DeliveryRecord& d, const std::string& secret) {
        seen.push_back({d, secret});
        d.state = DeliveryRecord::State::kDelivered;
        d.attempts = 1;
        d.last_status_code = 204;
        d.deliver_time = kT0 + absl::Milliseconds(5);
      });
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_TRUE(*found);
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].second, "s2");
  const DeliveryRecord& claimed = seen[0].first;
  EXPECT_EQ(claimed.id, d1);
  EXPECT_EQ(claimed.team, "care");
  EXPECT_EQ(claimed.notification_id, *n);
  EXPECT_EQ(claimed.url, "https://hooks.example.com/care");
  EXPECT_EQ(claimed.payload, first.payload);
  EXPECT_EQ(claimed.state, DeliveryRecord::State::kPending);
  EXPECT_EQ(claimed.attempts, 0);
  EXPECT_EQ(claimed.next_attempt, kT0);
  EXPECT_EQ(claimed.create_time, kT0);
  EXPECT_FALSE(claimed.deliver_time.has_value());
  // The second is not due yet.
  found = PerformNextDelivery(
      kT0, [&](DeliveryRecord&, const std::string&) { ADD_FAILURE(); });
  ASSERT_TRUE(found.ok());
  EXPECT_FALSE(*found);
  EXPECT_EQ(*store_->NextDeliveryDue(), kT0 + absl::Minutes(1));
  found = PerformNextDelivery(
      kT0 + absl::Hours(1), [&](DeliveryRecord& d, const std::string& secret) {
        seen.push_back({d, secret});
        d.state = DeliveryRecord::State::kDead;
        d.attempts = 8;
        d.last_status_code = 500;
        d.last_error = "HTTP 500: upstream \"broke\"";
        d.next_attempt = kT0 + absl::Hours(2);
      });
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_TRUE(*found);
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[1].first.id, d2);
  EXPECT_EQ(seen[1].second, "");  // billing has no secret.
  EXPECT_FALSE(store_->NextDeliveryDue()->has_value());

  auto all = store_->ListDeliveries("", std::nullopt, 0, 10);
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_THAT(Ids(*all), ElementsAre(d2, d1));
  const DeliveryRecord& dead = (*all)[0];
  EXPECT_EQ(dead.state, DeliveryRecord::State::kDead);
  EXPECT_EQ(dead.attempts, 8);
  EXPECT_EQ(dead.last_status_code, 500);
  EXPECT_EQ(dead.last_error, "HTTP 500: upstream \"broke\"");
  EXPECT_EQ(dead.next_attempt, kT0 + absl::Hours(2));
  EXPECT_FALSE(dead.deliver_time.has_value());
  const DeliveryRecord& delivered = (*all)[1];
  EXPECT_EQ(delivered.state, DeliveryRecord::State::kDelivered);
  EXPECT_EQ(delivered.attempts, 1);
  EXPECT_EQ(delivered.last_status_code, 204);
  EXPECT_EQ(delivered.last_error, "");
  EXPECT_EQ(delivered.deliver_time, kT0 + absl::Milliseconds(5));
  EXPECT_EQ(delivered.payload, first.payload);
  EXPECT_THAT(Ids(*store_->ListDeliveries("care", std::nullopt, 0, 10)),
              ElementsAre(d1));
  EXPECT_THAT(
      Ids(*store_->ListDeliveries("", DeliveryRecord::State::kDead, 0, 10)),
      ElementsAre(d2));
  EXPECT_THAT(Ids(*store_->ListDeliveries(
                  "care", DeliveryRecord::State::kDelivered, 0, 10)),
              ElementsAre(d1));
  EXPECT_TRUE(
      store_->ListDeliveries("care", DeliveryRecord::State::kDead, 0, 10)
          ->empty());
  EXPECT_TRUE(store_->ListDeliveries("", DeliveryRecord::State::kPending, 0, 10)
                  ->empty());
  EXPECT_THAT(Ids(*store_->ListDeliveries("", std::nullopt, d2, 10)),
              ElementsAre(d1));
  EXPECT_THAT(Ids(*store_->ListDeliveries("", std::nullopt, 0, 1)),
              ElementsAre(d2));
}

// ---------------------------------------------------------------------------
// Queries
// ---------------------------------------------------------------------------

TEST_F(PostgresEscalationStoreTest, ListEscalationsFiltersAndAttachesResults) {
  EscalationRecord s1 = MakeStep(7, kFirst, 1, 1, "care", kT0);
  s1.trigger = Trigger::Kind::kOnWarning;
  s1.recipients = {"ann"};
  EscalationRecord s2 =
      MakeStep(7, kFirst, 1, 2, "care", kT0 + absl::Minutes(10));
  s2.actions = {Action::RaisePriority(),
                Action::Notify({Recipient::Kind::kNamed, "mia"}),
                Action::AddNote("Escalated: \"VIP\", call back; today!")};
  s2.recipients = {"mia", "lead1"};
  s2.explanation = "breached 10 min ago; raised priority";
  EscalationRecord s3 =
      MakeStep(8, "resolution", 1, 1, "billing", kT0 + absl::Minutes(20));
  s3.trigger = Trigger::Kind::kAfterBreach;
  EscalationRecord s4 =
      MakeStep(8, "resolution", 1, 2, "billing", kT0 + absl::Hours(1));
  s4.skipped = true;
  std::vector<int64_t> e;
  for (const EscalationRecord& s : {s1, s2, s3, s4}) {
    auto id = AddStep(s);
    ASSERT_TRUE(id.ok()) << id.status();
    e.push_back(*id);
  }
  // Ticket 7's cycle is acknowledged; ticket 8's has no cycle row.
  CycleState acked;
  acked.key = {7, kFirst, 1};
  acked.ladder.acknowledged = true;
  acked.acknowledged_by = "ann";
  acked.acknowledge_time = kT0 + absl::Minutes(15);
  ASSERT_TRUE(PutCycleState(acked).ok());
  ActionRecord raise = MakeAction(7, "s2-0", kT0 + absl::Minutes(10));
  raise.escalation_id = e[1];
  raise.action_index = 0;
  ActionRecord notify = MakeAction(7, "s2-1", kT0 + absl::Minutes(10));
  notify.kind = ActionRecord::Kind::kNotify;
  notify.state = ActionRecord::State::kDone;
  notify.escalation_id = e[1];
  notify.action_index = 1;
  notify.detail = "notified mia";
  notify.done_time = kT0 + absl::Minutes(10);
  // Stored out of order: read back by action_index.
  ASSERT_TRUE(AddActionRecord(notify).ok());
  ASSERT_TRUE(AddActionRecord(raise).ok());
  ASSERT_TRUE(AddNotificationRecord(MakeNotification("ann", e[0], kT0)).ok());

  auto list = [&](const EscalationQuery& q, int64_t before = 0,
                  int limit = 10) {
    auto out = store_->ListEscalations(q, before, limit);
    EXPECT_TRUE(out.ok()) << out.status();
    return out.ok() ? Ids(*out) : std::vector<int64_t>{};
  };
  EXPECT_THAT(list({}), ElementsAre(e[3], e[2], e[1], e[0]));
  EXPECT_THAT(list({7}), ElementsAre(e[1], e[0]));
  EXPECT_THAT(list({0, "billing"}), ElementsAre(e[3], e[2]));
  EXPECT_THAT(list({0, "", 2}), ElementsAre(e[3], e[1]));
  EXPECT_THAT(list({8, "", 1}), ElementsAre(e[2]));
  EXPECT_THAT(
      list({0, "", 0, kT0 + absl::Minutes(10), kT0 + absl::Minutes(20)}),
      ElementsAre(e[1]));
  EXPECT_THAT(list({0, "", 0, kT0 + absl::Minutes(20)}),
              ElementsAre(e[3], e[2]));
  EXPECT_THAT(list({0, "", 0, std::nullopt, kT0 + absl::Minutes(10)}),
              ElementsAre(e[0]));
  EXPECT_THAT(list({0, "", 0, std::nullopt, std::nullopt, true}),
              ElementsAre(e[1], e[0]));
  EXPECT_THAT(list({0, "", 0, std::nullopt, std::nullopt, false}),
              ElementsAre(e[3], e[2]));
  EXPECT_THAT(list({}, e[2]), ElementsAre(e[1], e[0]));
  EXPECT_THAT(list({}, 0, 1), ElementsAre(e[3]));
  EXPECT_TRUE(list({9}).empty());

  auto all = store_->ListEscalations({7}, 0, 10);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].results.size(), 2u);
  EXPECT_TRUE((*all)[1].results.empty());

  auto got = store_->GetEscalation(e[1]);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->id, e[1]);
  EXPECT_EQ(got->key.ticket_id, 7);
  EXPECT_EQ(got->key.metric, kFirst);
  EXPECT_EQ(got->key.cycle, 1);
  EXPECT_EQ(got->level, 2);
  EXPECT_EQ(got->trigger, Trigger::Kind::kOnBreach);
  EXPECT_EQ(got->team, "care");
  EXPECT_EQ(got->occur_time, kT0 + absl::Minutes(10));
  EXPECT_EQ(got->record_time, kT0 + absl::Minutes(10) + absl::Seconds(1));
  EXPECT_FALSE(got->skipped);
  EXPECT_EQ(got->explanation, "breached 10 min ago; raised priority");
  EXPECT_EQ(got->recipients, (std::vector<std::string>{"mia", "lead1"}));
  ASSERT_EQ(got->actions.size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_TRUE(got->actions[i] == s2.actions[i])
        << i << ": " << ActionWord(got->actions[i]);
  }
  EXPECT_TRUE(got->acknowledged);
  EXPECT_EQ(got->acknowledged_by, "ann");
  EXPECT_EQ(got->acknowledge_time, kT0 + absl::Minutes(15));
  ASSERT_EQ(got->results.size(), 2u);
  EXPECT_EQ(got->results[0].request_id, "s2-0");
  EXPECT_EQ(got->results[0].kind, ActionRecord::Kind::kRaisePriority);
  EXPECT_EQ(got->results[0].state, ActionRecord::State::kPending);
  EXPECT_EQ(got->results[1].request_id, "s2-1");
  EXPECT_EQ(got->results[1].kind, ActionRecord::Kind::kNotify);
  EXPECT_EQ(got->results[1].state, ActionRecord::State::kDone);
  EXPECT_EQ(got->results[1].detail, "notified mia");
  got = store_->GetEscalation(e[3]);
  ASSERT_TRUE(got.ok());
  EXPECT_TRUE(got->skipped);
  EXPECT_FALSE(got->acknowledged);
  EXPECT_EQ(got->acknowledged_by, "");
  EXPECT_FALSE(got->acknowledge_time.has_value());
  EXPECT_TRUE(got->results.empty());
  EXPECT_EQ(store_->GetEscalation(e[3] + 100).status().code(),
            StatusCode::kNotFound);

  EXPECT_TRUE(*store_->NotifiedInCycle({7, kFirst, 1}, "ann"));
  EXPECT_FALSE(*store_->NotifiedInCycle({7, kFirst, 1}, "bob"));
  EXPECT_FALSE(*store_->NotifiedInCycle({7, kFirst, 2}, "ann"));
  EXPECT_FALSE(*store_->NotifiedInCycle({7, "resolution", 1}, "ann"));
  EXPECT_FALSE(*store_->NotifiedInCycle({8, "resolution", 1}, "ann"));
}

TEST_F(PostgresEscalationStoreTest, FiguresOverAWindow) {
  ASSERT_TRUE(store_->CreateTeam(MakeTeam("care", true), kT0).ok());
  ASSERT_TRUE(store_->CreateTeam(MakeTeam("billing"), kT0).ok());
  ASSERT_TRUE(store_->CreateAgent(MakeAgent("ann", {"care"}, 5), kT0).ok());
  ASSERT_TRUE(store_->CreateAgent(MakeAgent("bob", {"care"}, 3), kT0).ok());
  const absl::Time from = kT0, to = kT0 + absl::Hours(1);
  using RT = RoutingTrigger;
  using RO = RoutingOutcome;
  const std::vector<Decision> decisions = {
      // Outside the window.
      MakeDecision(5, from - absl::Hours(1), RT::kNewTicket, "billing",
                   RO::kAssigned, "bob"),
      MakeDecision(1, from + absl::Minutes(1), RT::kNewTicket, "care",
                   RO::kAssigned, "ann"),
      // Queued, then assigned 30 s later when capacity freed.
      MakeDecision(2, from + absl::Minutes(2), RT::kNewTicket, "care",
                   RO::kQueued),
      MakeDecision(2, from + absl::Minutes(2) + absl::Seconds(30),
                   RT::kCapacityFreed, "care", RO::kAssigned, "bob"),
      // Queued, then assigned 90 s later.
      MakeDecision(6, from + absl::Minutes(4), RT::kManual, "care",
                   RO::kQueued),
      MakeDecision(6, from + absl::Minutes(5) + absl::Seconds(30),
                   RT::kCapacityFreed, "care", RO::kAssigned, "ann"),
      // Queued and still waiting.
      MakeDecision(3, from + absl::Minutes(3), RT::kNewTicket, "care",
                   RO::kQueued),
  };
  TicketView waiting = MakeTicket(3, "new", "care", "");
  waiting.queued_at = from + absl::Minutes(3);
  ASSERT_TRUE(store_
                  ->Run([&](EscalationTxn& txn) -> absl::Status {
                    for (const Decision& d : decisions) {
                      CXDESK_RETURN_IF_ERROR(txn.AddDecision(d).status());
                    }
                    CXDESK_RETURN_IF_ERROR(
                        txn.PutTicket(MakeTicket(1, "open", "care", "ann")));
                    CXDESK_RETURN_IF_ERROR(
                        txn.PutTicket(MakeTicket(2, "open", "care", "bob")));
                    CXDESK_RETURN_IF_ERROR(
                        txn.PutTicket(MakeTicket(6, "solved", "care", "ann")));
                    CXDESK_RETURN_IF_ERROR(txn.PutTicket(
                        MakeTicket(9, "open", "care", "", "ann")));
                    return txn.PutTicket(waiting);
                  })
                  .ok());
  // Steps: level 1 ran twice (once in an acknowledged cycle), level 2
  // skipped in that cycle, and one level-1 step outside the window.
  ASSERT_TRUE(AddStep(MakeStep(1, kFirst, 1, 1, "care", from)).ok());
  ASSERT_TRUE(
      AddStep(MakeStep(2, kFirst, 1, 1, "care", from + absl::Minutes(5))).ok());
  EscalationRecord skipped =
      MakeStep(2, kFirst, 1, 2, "care", from + absl::Minutes(6));
  skipped.skipped = true;
  ASSERT_TRUE(AddStep(skipped).ok());
  ASSERT_TRUE(AddStep(MakeStep(3, kFirst, 1, 1, "care", to)).ok());
  CycleState acked;
  acked.key = {2, kFirst, 1};
  acked.ladder.acknowledged = true;
  acked.acknowledged_by = "bob";
  acked.acknowledge_time = from + absl::Minutes(5);
  ASSERT_TRUE(PutCycleState(acked).ok());

  auto f = store_->GetFigures(from, to);
  ASSERT_TRUE(f.ok()) << f.status();
  ASSERT_EQ(f->agents.size(), 2u);
  EXPECT_EQ(f->agents[0].agent, "ann");
  EXPECT_EQ(f->agents[0].assignments, 2);   // Tickets 1 and 6.
  EXPECT_EQ(f->agents[0].open_tickets, 2);  // 1, and 9 pending.
  EXPECT_EQ(f->agents[0].capacity, 5);
  EXPECT_EQ(f->agents[1].agent, "bob");
  EXPECT_EQ(f->agents[1].assignments, 1);  // Ticket 5 was before the window.
  EXPECT_EQ(f->agents[1].open_tickets, 1);
  EXPECT_EQ(f->agents[1].capacity, 3);

  ASSERT_EQ(f->teams.size(), 2u);
  const Figures::TeamRow& billing = f->teams[0];
  EXPECT_EQ(billing.team, "billing");
  EXPECT_EQ(billing.routed, 0);
  EXPECT_EQ(billing.queued, 0);
  EXPECT_EQ(billing.assigned_from_queue, 0);
  EXPECT_EQ(billing.queue_p50, absl::ZeroDuration());
  EXPECT_EQ(billing.waiting_now, 0);
  const Figures::TeamRow& care = f->teams[1];
  EXPECT_EQ(care.team, "care");
  EXPECT_EQ(care.routed, 4);  // Tickets 1, 2, 3 and 6.
  EXPECT_EQ(care.queued, 3);  // 2, 3 and 6.
  EXPECT_EQ(care.assigned_from_queue, 2);
  EXPECT_EQ(care.queue_p50, absl::Seconds(30));
  EXPECT_EQ(care.queue_p90, absl::Seconds(90));
  EXPECT_EQ(care.queue_max, absl::Seconds(90));
  EXPECT_EQ(care.waiting_now, 1);

  ASSERT_EQ(f->levels.size(), 2u);
  EXPECT_EQ(f->levels[0].level, 1);
  EXPECT_EQ(f->levels[0].ran, 2);
  EXPECT_EQ(f->levels[0].skipped, 0);
  EXPECT_EQ(f->levels[0].acknowledged, 1);
  EXPECT_EQ(f->levels[1].level, 2);
  EXPECT_EQ(f->levels[1].ran, 0);
  EXPECT_EQ(f->levels[1].skipped, 1);
  EXPECT_EQ(f->levels[1].acknowledged, 1);

  // An empty window.
  f = store_->GetFigures(to + absl::Hours(1), to + absl::Hours(2));
  ASSERT_TRUE(f.ok()) << f.status();
  EXPECT_EQ(f->agents.size(), 2u);
  EXPECT_EQ(f->agents[0].assignments, 0);
  EXPECT_EQ(f->agents[0].open_tickets, 2);
  EXPECT_EQ(f->teams[1].routed, 0);
  EXPECT_EQ(f->teams[1].waiting_now, 1);
  EXPECT_TRUE(f->levels.empty());
}

}  // namespace
}  // namespace cxdesk::escalation
