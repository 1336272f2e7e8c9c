// End-to-end tests of the escalation service: the real cxdesk-ticketd,
// cxdesk-slad and cxdesk-escalationd binaries on loopback, over the real
// PostgreSQL started by tests/run.sh. Each test uses teams, agents, routing
// rules and an SLA policy of its own, matched by a tag of its own, so the
// tests share one database without interfering; the first-response ladder
// is the suite's:
//   level 1, on the warning: notify the assignee;
//   level 2, on the breach: raise the priority, reassign to the team lead,
//            add an internal note;
//   level 3, 2 s after the breach: notify the team manager.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <pqxx/pqxx>
#include <set>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "cxdesk/escalation/v1/escalation_service.grpc.pb.h"
#include "cxdesk/sla/v1/sla_service.grpc.pb.h"
#include "cxdesk/ticket/v1/ticket_service.grpc.pb.h"
#include "services/common/proto_time.h"
#include "services/common/testing/test_database.h"
#include "services/common/token.h"
#include "services/escalation/webhook.h"
#include "tests/support/http_receiver.h"
#include "tests/support/service_process.h"

namespace cxdesk {
namespace {

namespace escpb = ::cxdesk::escalation::v1;
namespace slapb = ::cxdesk::sla::v1;
namespace ticketpb = ::cxdesk::ticket::v1;
using common::FromProtoTimestamp;
using common::StaffRole;
using common::ToProtoDuration;

constexpr absl::Duration kLevel3Delay = absl::Seconds(2);

// Polls `done` every 50 ms until it holds or `timeout` passes.
bool Eventually(const std::function<bool()>& done,
                absl::Duration timeout = absl::Seconds(20)) {
  const absl::Time give_up = absl::Now() + timeout;
  while (absl::Now() < give_up) {
    if (done()) return true;
    absl::SleepFor(absl::Milliseconds(50));
  }
  return done();
}

class EscalationE2eTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<std::string> url =
        common::CreateTestDatabase("escalation_e2e");
    ASSERT_TRUE(url.ok()) << url.status();
    url_ = new std::string(*url);
    secret_ = new testing::TestSecret(testing::MakeTestSecret());
    sla_address_ = new std::string(
        absl::StrCat("127.0.0.1:", testing::FreeLoopbackPort()));
    esc_address_ = new std::string(
        absl::StrCat("127.0.0.1:", testing::FreeLoopbackPort()));
    auto ticketd = testing::ServiceProcess::Start(
        CXDESK_TICKETD,
        {"--database-url=" + *url_, "--token-secret-file=" + secret_->path,
         "--sla-target=" + *sla_address_});
    ASSERT_TRUE(ticketd.ok()) << ticketd.status();
    ticketd_ = ticketd->release();
    auto slad = testing::ServiceProcess::Start(
        CXDESK_SLAD,
        {"--database-url=" + *url_, "--token-secret-file=" + secret_->path,
         "--ticket-target=" + ticketd_->address()},
        absl::Seconds(30), *sla_address_);
    ASSERT_TRUE(slad.ok()) << slad.status();
    slad_ = slad->release();
    StartMainReplica();
    ASSERT_NE(escalationd_, nullptr);

    // Round-the-clock calendar: business time is elapsed time.
    slapb::CreateCalendarRequest cal;
    slapb::Calendar* c = cal.mutable_calendar();
    c->set_calendar_id("always");
    c->set_time_zone("UTC");
    for (int d = slapb::WEEKDAY_MONDAY; d <= slapb::WEEKDAY_SUNDAY; ++d) {
      slapb::BusinessHours* h = c->add_hours();
      h->set_weekday(static_cast<slapb::Weekday>(d));
      h->set_start("00:00");
      h->set_end("24:00");
    }
    {
      slapb::Calendar out;
      grpc::ClientContext context;
      Authorize(&context, Token(StaffRole::kManager));
      const grpc::Status s = SlaStub()->CreateCalendar(&context, cal, &out);
      ASSERT_TRUE(s.ok()) << s.error_message();
    }

    escpb::SetLadderRequest ladder;
    escpb::Ladder* l = ladder.mutable_ladder();
    l->set_metric(slapb::METRIC_FIRST_RESPONSE);
    escpb::EscalationStep* s1 = l->add_steps();
    s1->set_level(1);
    s1->set_trigger(escpb::TRIGGER_KIND_ON_WARNING);
    escpb::EscalationAction* a = s1->add_actions();
    a->set_kind(escpb::ACTION_KIND_NOTIFY);
    a->set_recipient(escpb::RECIPIENT_KIND_ASSIGNEE);
    escpb::EscalationStep* s2 = l->add_steps();
    s2->set_level(2);
    s2->set_trigger(escpb::TRIGGER_KIND_ON_BREACH);
    s2->add_actions()->set_kind(escpb::ACTION_KIND_RAISE_PRIORITY);
    a = s2->add_actions();
    a->set_kind(escpb::ACTION_KIND_REASSIGN);
    a->set_reassign(escpb::REASSIGN_KIND_TEAM_LEAD);
    a = s2->add_actions();
    a->set_kind(escpb::ACTION_KIND_ADD_NOTE);
    a->set_note("First response breached: escalated to the team lead.");
    escpb::EscalationStep* s3 = l->add_steps();
    s3->set_level(3);
    s3->set_trigger(escpb::TRIGGER_KIND_AFTER_BREACH);
    ToProtoDuration(kLevel3Delay, s3->mutable_delay());
    a = s3->add_actions();
    a->set_kind(escpb::ACTION_KIND_NOTIFY);
    a->set_recipient(escpb::RECIPIENT_KIND_TEAM_MANAGER);
    {
      escpb::Ladder out;
      grpc::ClientContext context;
      Authorize(&context, Token(StaffRole::kManager));
      const grpc::Status s = EscStub()->SetLadder(&context, ladder, &out);
      ASSERT_TRUE(s.ok()) << s.error_message();
    }
  }

  static void StartMainReplica() {
    escalationd_ = StartReplica("main", *esc_address_).release();
  }

  static std::unique_ptr<testing::ServiceProcess> StartReplica(
      const std::string& name, const std::string& listen = "127.0.0.1:0") {
    auto p = testing::ServiceProcess::Start(
        CXDESK_ESCALATIOND,
        {"--database-url=" + *url_, "--token-secret-file=" + secret_->path,
         "--ticket-target=" + ticketd_->address(),
         "--sla-target=" + *sla_address_, "--replica=" + name,
         "--webhook-backoff-ms=100", "--webhook-attempts=5"},
        absl::Seconds(30), listen);
    EXPECT_TRUE(p.ok()) << p.status();
    return p.ok() ? *std::move(p) : nullptr;
  }

  static void TearDownTestSuite() {
    delete escalationd_;
    escalationd_ = nullptr;
    delete slad_;
    slad_ = nullptr;
    delete ticketd_;
    ticketd_ = nullptr;
  }

  void SetUp() override {
    ASSERT_NE(ticketd_, nullptr) << "cxdesk-ticketd did not start";
    ASSERT_NE(slad_, nullptr) << "cxdesk-slad did not start";
    ASSERT_NE(escalationd_, nullptr) << "cxdesk-escalationd did not start";
  }

  // ---- plumbing ----

  static std::string Token(StaffRole role, const std::string& who = "maria") {
    return *common::SignToken({who, role, absl::Now() + absl::Hours(1)},
                              secret_->value);
  }
  static void Authorize(grpc::ClientContext* context,
                        const std::string& token) {
    context->AddMetadata("authorization", "Bearer " + token);
    context->set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
  }
  static std::unique_ptr<slapb::SlaService::Stub> SlaStub() {
    return slapb::SlaService::NewStub(
        grpc::CreateChannel(*sla_address_, grpc::InsecureChannelCredentials()));
  }
  static std::unique_ptr<ticketpb::TicketService::Stub> TicketStub() {
    return ticketpb::TicketService::NewStub(grpc::CreateChannel(
        ticketd_->address(), grpc::InsecureChannelCredentials()));
  }
  static std::unique_ptr<escpb::EscalationService::Stub> EscStub() {
    return escpb::EscalationService::NewStub(
        grpc::CreateChannel(*esc_address_, grpc::InsecureChannelCredentials()));
  }

  // Calls an escalation RPC as `token`; fails the test on an error.
  template <typename Request, typename Response>
  static Response Call(grpc::Status (escpb::EscalationService::Stub::*method)(
                           grpc::ClientContext*, const Request&, Response*),
                       const Request& request, const std::string& token) {
    Response out;
    grpc::ClientContext context;
    Authorize(&context, token);
    auto stub = EscStub();
    const grpc::Status s = ((*stub).*method)(&context, request, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  }

  static void CreateTeam(const std::string& id, const std::string& lead = "",
                         const std::string& manager = "",
                         const std::string& webhook_url = "",
                         const std::string& webhook_secret = "") {
    escpb::CreateTeamRequest r;
    r.mutable_team()->set_team_id(id);
    r.mutable_team()->set_display_name(id);
    r.mutable_team()->set_lead(lead);
    r.mutable_team()->set_manager(manager);
    r.mutable_team()->mutable_webhook()->set_url(webhook_url);
    r.mutable_team()->mutable_webhook()->set_secret(webhook_secret);
    Call(&escpb::EscalationService::Stub::CreateTeam, r,
         Token(StaffRole::kManager));
  }
  static void CreateAgent(
      const std::string& id, const std::vector<std::string>& teams,
      int capacity,
      escpb::Availability availability = escpb::AVAILABILITY_ONLINE,
      int tier = 1) {
    escpb::CreateAgentRequest r;
    escpb::Agent* a = r.mutable_agent();
    a->set_agent_id(id);
    for (const std::string& t : teams) a->add_team_ids(t);
    a->set_capacity(capacity);
    a->set_availability(availability);
    a->set_tier(tier);
    Call(&escpb::EscalationService::Stub::CreateAgent, r,
         Token(StaffRole::kManager));
  }
  static void SetLead(const std::string& team, const std::string& lead,
                      const std::string& manager) {
    escpb::GetTeamRequest get;
    get.set_team_id(team);
    escpb::Team t = Call(&escpb::EscalationService::Stub::GetTeam, get,
                         Token(StaffRole::kManager));
    escpb::UpdateTeamRequest r;
    *r.mutable_team() = t;
    r.mutable_team()->set_lead(lead);
    r.mutable_team()->set_manager(manager);
    r.set_etag(t.etag());
    Call(&escpb::EscalationService::Stub::UpdateTeam, r,
         Token(StaffRole::kManager));
  }
  // A rule routing tickets tagged `tag` (and, if given, of these CX levels)
  // to `team`.
  static void CreateRule(const std::string& id, int position,
                         const std::string& tag, const std::string& team,
                         escpb::Strategy strategy,
                         const std::vector<ticketpb::CxLevel>& cx_levels = {}) {
    escpb::CreateRoutingRuleRequest r;
    escpb::RoutingRule* rule = r.mutable_rule();
    rule->set_rule_id(id);
    rule->set_position(position);
    rule->mutable_conditions()->add_tags_any(tag);
    for (ticketpb::CxLevel l : cx_levels)
      rule->mutable_conditions()->add_cx_levels(l);
    rule->set_team_id(team);
    rule->set_strategy(strategy);
    Call(&escpb::EscalationService::Stub::CreateRoutingRule, r,
         Token(StaffRole::kManager));
  }
  // A first-response policy for high and urgent tickets tagged `tag`,
  // warning at half time.
  static void CreatePolicy(const std::string& id, const std::string& tag,
                           absl::Duration first_response) {
    static int position = 1;
    slapb::CreatePolicyRequest r;
    slapb::Policy* p = r.mutable_policy();
    p->set_policy_id(id);
    p->set_position(position++);
    p->mutable_conditions()->add_tags_any(tag);
    // Urgent too: the breach raises high tickets to urgent, and a priority
    // without a target would cancel the clock (and stop the ladder).
    for (ticketpb::Priority priority :
         {ticketpb::PRIORITY_HIGH, ticketpb::PRIORITY_URGENT}) {
      slapb::Target* t = p->add_targets();
      t->set_priority(priority);
      t->set_metric(slapb::METRIC_FIRST_RESPONSE);
      ToProtoDuration(first_response, t->mutable_target());
      t->set_calendar_id("always");
      t->add_warnings()->set_percent_elapsed(50);
    }
    slapb::Policy out;
    grpc::ClientContext context;
    Authorize(&context, Token(StaffRole::kManager));
    const grpc::Status s = SlaStub()->CreatePolicy(&context, r, &out);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }

  static int64_t Open(const std::string& tag,
                      ticketpb::CxLevel cx_level = ticketpb::CX_LEVEL_SERVICE,
                      ticketpb::Priority priority = ticketpb::PRIORITY_HIGH) {
    ticketpb::CreateTicketRequest r;
    r.set_subject("Nobody called me back");
    r.set_description("I was promised a call on Monday.");
    r.set_kind(ticketpb::KIND_COMPLAINT);
    r.set_cx_level(cx_level);
    r.set_priority(priority);
    r.set_channel(ticketpb::CHANNEL_EMAIL);
    r.set_customer_email("lea@example.com");
    r.add_tags(tag);
    ticketpb::CreateTicketResponse created;
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
    const grpc::Status s = TicketStub()->CreateTicket(&context, r, &created);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return created.ticket().id();
  }

  static ticketpb::Ticket GetTicket(int64_t id) {
    ticketpb::GetTicketRequest r;
    r.set_ticket_id(id);
    ticketpb::Ticket out;
    grpc::ClientContext context;
    Authorize(&context, Token(StaffRole::kAgent, "alice"));
    const grpc::Status s = TicketStub()->GetTicket(&context, r, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  }

  static void Assign(int64_t id, const std::string& agent) {
    ticketpb::AssignTicketRequest r;
    r.set_ticket_id(id);
    r.set_assignee(agent);
    ticketpb::Ticket out;
    grpc::ClientContext context;
    Authorize(&context, Token(StaffRole::kAgent, agent));
    const grpc::Status s = TicketStub()->AssignTicket(&context, r, &out);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }

  static void Solve(int64_t id, const std::string& agent) {
    ticketpb::ChangeTicketStatusRequest r;
    r.set_ticket_id(id);
    r.set_status(ticketpb::STATUS_SOLVED);
    ticketpb::Ticket out;
    grpc::ClientContext context;
    Authorize(&context, Token(StaffRole::kAgent, agent));
    const grpc::Status s = TicketStub()->ChangeTicketStatus(&context, r, &out);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }

  static std::vector<escpb::Escalation> Escalations(int64_t ticket_id) {
    escpb::ListEscalationsRequest r;
    r.set_ticket_id(ticket_id);
    r.set_page_size(100);
    escpb::ListEscalationsResponse out =
        Call(&escpb::EscalationService::Stub::ListEscalations, r,
             Token(StaffRole::kManager));
    std::vector<escpb::Escalation> steps(out.escalations().begin(),
                                         out.escalations().end());
    std::sort(steps.begin(), steps.end(), [](const auto& a, const auto& b) {
      return a.level() < b.level();
    });
    return steps;
  }

  static std::vector<escpb::Notification> NotificationsOf(
      const std::string& agent, int64_t ticket_id) {
    escpb::ListNotificationsRequest r;
    r.set_page_size(500);
    escpb::ListNotificationsResponse out =
        Call(&escpb::EscalationService::Stub::ListNotifications, r,
             Token(StaffRole::kAgent, agent));
    std::vector<escpb::Notification> mine;
    for (const escpb::Notification& n : out.notifications()) {
      if (n.ticket_id() == ticket_id) mine.push_back(n);
    }
    return mine;
  }

  static int64_t QueryInt(const std::string& sql) {
    pqxx::connection conn(*url_);
    pqxx::nontransaction txn(conn);
    return txn.exec1(sql)[0].as<int64_t>(0);
  }

  static std::string* url_;
  static testing::TestSecret* secret_;
  static std::string* sla_address_;
  static std::string* esc_address_;
  static testing::ServiceProcess* ticketd_;
  static testing::ServiceProcess* slad_;
  static testing::ServiceProcess* escalationd_;
};

std::string* EscalationE2eTest::url_ = nullptr;
testing::TestSecret* EscalationE2eTest::secret_ = nullptr;
std::string* EscalationE2eTest::sla_address_ = nullptr;
std::string* EscalationE2eTest::esc_address_ = nullptr;
testing::ServiceProcess* EscalationE2eTest::ticketd_ = nullptr;
testing::ServiceProcess* EscalationE2eTest::slad_ = nullptr;
testing::ServiceProcess* EscalationE2eTest::escalationd_ = nullptr;

TEST_F(EscalationE2eTest, EmotionComplaintGoesToCareAndItsLeastLoadedAgent) {
  CreateTeam("product1");
  CreateTeam("care1");
  CreateAgent("pete1", {"product1"}, 5);
  CreateAgent("ann1", {"care1"}, 4);
  CreateAgent("bob1", {"care1"}, 2);
  CreateAgent("cid1", {"care1"}, 9, escpb::AVAILABILITY_OFFLINE);
  CreateRule("product-complaints1", 100, "t1", "product1",
             escpb::STRATEGY_LEAST_LOADED, {ticketpb::CX_LEVEL_PRODUCT});
  CreateRule("care-complaints1", 101, "t1", "care1",
             escpb::STRATEGY_LEAST_LOADED,
             {ticketpb::CX_LEVEL_EMOTION, ticketpb::CX_LEVEL_SERVICE});
  // ann1 holds one ticket (1/4 = 25%), bob1 none (0/2).
  const int64_t held = Open("t1-held");
  Assign(held, "ann1");
  escpb::GetAgentRequest get_ann;
  get_ann.set_agent_id("ann1");
  ASSERT_TRUE(Eventually([&] {
    return Call(&escpb::EscalationService::Stub::GetAgent, get_ann,
                Token(StaffRole::kManager))
               .open_tickets() == 1;
  }));

  const int64_t emotion = Open("t1", ticketpb::CX_LEVEL_EMOTION);
  ASSERT_TRUE(Eventually([&] {
    return GetTicket(emotion).assignee() == "bob1";
  })) << GetTicket(emotion).DebugString();
  EXPECT_EQ(GetTicket(emotion).team(), "care1");
  escpb::ExplainRoutingRequest explain;
  explain.set_ticket_id(emotion);
  escpb::ExplainRoutingResponse why =
      Call(&escpb::EscalationService::Stub::ExplainRouting, explain,
           Token(StaffRole::kAgent, "bob1"));
  ASSERT_EQ(why.decisions_size(), 1);
  const escpb::RoutingDecision& d = why.decisions(0);
  EXPECT_EQ(d.trigger(), escpb::ROUTING_TRIGGER_NEW_TICKET);
  EXPECT_EQ(d.rule_id(), "care-complaints1");
  EXPECT_EQ(d.team_id(), "care1");
  EXPECT_EQ(d.outcome(), escpb::ROUTING_OUTCOME_ASSIGNED);
  EXPECT_EQ(d.agent_id(), "bob1");
  EXPECT_EQ(
      std::vector<std::string>(d.candidates().begin(), d.candidates().end()),
      (std::vector<std::string>{"ann1", "bob1"}));  // cid1 is offline.
  EXPECT_TRUE(absl::StrContains(d.explanation(), "least_loaded"))
      << d.explanation();

  const int64_t product = Open("t1", ticketpb::CX_LEVEL_PRODUCT);
  ASSERT_TRUE(
      Eventually([&] { return GetTicket(product).assignee() == "pete1"; }));
  EXPECT_EQ(GetTicket(product).team(), "product1");

  // A dry run of a draft routes without recording: bob1 is 1/2 now, ann1
  // 1/4, so the next emotion complaint would go to ann1.
  escpb::RouteTicketRequest dry;
  dry.mutable_draft()->set_kind(ticketpb::KIND_COMPLAINT);
  dry.mutable_draft()->set_cx_level(ticketpb::CX_LEVEL_EMOTION);
  dry.mutable_draft()->add_tags("t1");
  dry.set_dry_run(true);
  escpb::RoutingDecision planned =
      Call(&escpb::EscalationService::Stub::RouteTicket, dry,
           Token(StaffRole::kAgent, "ann1"));
  EXPECT_EQ(planned.decision_id(), 0);
  EXPECT_EQ(planned.team_id(), "care1");
  EXPECT_EQ(planned.agent_id(), "ann1");
  // A draft without dry_run is refused, naming the field.
  dry.set_dry_run(false);
  escpb::RoutingDecision refused;
  grpc::ClientContext context;
  Authorize(&context, Token(StaffRole::kManager));
  const grpc::Status s = EscStub()->RouteTicket(&context, dry, &refused);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(absl::StartsWith(s.error_message(), "dry_run:"))
      << s.error_message();
}

TEST_F(EscalationE2eTest, WaitsInTheQueueWhenFullAndIsAssignedWhenOneSolves) {
  CreateTeam("full2");
  CreateAgent("dan2", {"full2"}, 1);
  CreateRule("full2", 200, "t2", "full2", escpb::STRATEGY_LEAST_LOADED);
  const int64_t first = Open("t2");
  ASSERT_TRUE(
      Eventually([&] { return GetTicket(first).assignee() == "dan2"; }));
  const int64_t second = Open("t2");
  escpb::ListTeamQueueRequest queue;
  queue.set_team_id("full2");
  ASSERT_TRUE(Eventually([&] {
    escpb::ListTeamQueueResponse q =
        Call(&escpb::EscalationService::Stub::ListTeamQueue, queue,
             Token(StaffRole::kAgent, "dan2"));
    return q.total() == 1 && q.tickets(0).ticket_id() == second;
  }));
  EXPECT_EQ(GetTicket(second).assignee(), "");
  EXPECT_TRUE(Eventually([&] { return GetTicket(second).team() == "full2"; }));

  Solve(first, "dan2");
  ASSERT_TRUE(Eventually([&] {
    return GetTicket(second).assignee() == "dan2";
  })) << GetTicket(second).DebugString();
  escpb::ExplainRoutingRequest explain;
  explain.set_ticket_id(second);
  escpb::ExplainRoutingResponse why =
      Call(&escpb::EscalationService::Stub::ExplainRouting, explain,
           Token(StaffRole::kManager));
  ASSERT_EQ(why.decisions_size(), 2);
  EXPECT_EQ(why.decisions(0).outcome(), escpb::ROUTING_OUTCOME_QUEUED);
  EXPECT_EQ(why.decisions(1).trigger(), escpb::ROUTING_TRIGGER_CAPACITY_FREED);
  EXPECT_EQ(why.decisions(1).outcome(), escpb::ROUTING_OUTCOME_ASSIGNED);
  EXPECT_EQ(why.decisions(1).agent_id(), "dan2");
  escpb::ListTeamQueueResponse after =
      Call(&escpb::EscalationService::Stub::ListTeamQueue, queue,
           Token(StaffRole::kAgent, "dan2"));
  EXPECT_EQ(after.total(), 0);

  // The manager's figures: two assignments for dan2, one ticket queued and
  // assigned from the queue, its wait measured.
  escpb::GetEscalationFiguresRequest figures;
  common::ToProtoTimestamp(absl::Now() - absl::Hours(1),
                           figures.mutable_start_time());
  common::ToProtoTimestamp(absl::Now() + absl::Hours(1),
                           figures.mutable_end_time());
  escpb::EscalationFigures f =
      Call(&escpb::EscalationService::Stub::GetEscalationFigures, figures,
           Token(StaffRole::kManager));
  bool saw_agent = false, saw_team = false;
  for (const escpb::AgentFigures& a : f.agents()) {
    if (a.agent_id() != "dan2") continue;
    saw_agent = true;
    EXPECT_EQ(a.assignments(), 2);
    EXPECT_EQ(a.open_tickets(), 1);
    EXPECT_EQ(a.capacity(), 1);
  }
  for (const escpb::TeamQueueFigures& t : f.teams()) {
    if (t.team_id() != "full2") continue;
    saw_team = true;
    EXPECT_EQ(t.routed(), 2);
    EXPECT_EQ(t.queued(), 1);
    EXPECT_EQ(t.assigned_from_queue(), 1);
    EXPECT_GT(common::FromProtoDuration(t.queue_time_max()),
              absl::ZeroDuration());
    EXPECT_EQ(t.waiting_now(), 0);
  }
  EXPECT_TRUE(saw_agent && saw_team) << f.DebugString();
}

TEST_F(EscalationE2eTest, BreachRaisesPriorityReassignsToLeadThenNotifies) {
  CreateTeam("esc3");
  CreateAgent("erin3", {"esc3"}, 5);
  CreateAgent("lena3", {"esc3"}, 0, escpb::AVAILABILITY_ONLINE, 2);
  CreateAgent("max3", {}, 0, escpb::AVAILABILITY_AWAY, 3);
  SetLead("esc3", "lena3", "max3");
  CreateRule("esc3", 300, "t3", "esc3", escpb::STRATEGY_ROUND_ROBIN);
  CreatePolicy("p3", "t3", absl::Seconds(3));
  // erin3's feed, followed live from its start.
  grpc::ClientContext watch_context;
  watch_context.AddMetadata("authorization",
                            "Bearer " + Token(StaffRole::kAgent, "erin3"));
  auto watch_stub = EscStub();
  escpb::WatchNotificationsRequest watch;
  auto reader = watch_stub->WatchNotifications(&watch_context, watch);
  const int64_t id = Open("t3");
  ASSERT_TRUE(Eventually([&] { return GetTicket(id).assignee() == "erin3"; }));
  escpb::Notification live;
  ASSERT_TRUE(reader->Read(&live));
  EXPECT_EQ(live.ticket_id(), id);
  EXPECT_EQ(live.recipient(), "erin3");
  EXPECT_EQ(live.level(), 1);
  EXPECT_FALSE(live.cursor().empty());
  watch_context.TryCancel();
  reader->Finish();
  // Level 1 at the warning, to the assignee.
  ASSERT_TRUE(
      Eventually([&] { return NotificationsOf("erin3", id).size() == 1; }));
  EXPECT_TRUE(absl::StrContains(NotificationsOf("erin3", id)[0].title(),
                                "first response warning (level 1)"))
      << NotificationsOf("erin3", id)[0].title();
  // Level 2 at the breach: priority raised, reassigned to the lead.
  ASSERT_TRUE(Eventually([&] {
    const ticketpb::Ticket t = GetTicket(id);
    return t.priority() == ticketpb::PRIORITY_URGENT && t.assignee() == "lena3";
  })) << GetTicket(id).DebugString();
  // Level 3 two seconds after the breach, to the manager.
  ASSERT_TRUE(
      Eventually([&] { return NotificationsOf("max3", id).size() == 1; }));
  std::vector<escpb::Escalation> steps = Escalations(id);
  ASSERT_EQ(steps.size(), 3u);
  EXPECT_EQ(steps[0].level(), 1);
  EXPECT_EQ(steps[1].level(), 2);
  EXPECT_EQ(steps[2].level(), 3);
  EXPECT_EQ(FromProtoTimestamp(steps[2].occur_time()) -
                FromProtoTimestamp(steps[1].occur_time()),
            kLevel3Delay);
  ASSERT_EQ(steps[1].actions_size(), 3);
  for (const escpb::ActionResult& r : steps[1].actions()) {
    EXPECT_EQ(r.state(), escpb::ACTION_STATE_DONE) << r.DebugString();
  }
  EXPECT_EQ(steps[1].actions(0).detail(), "priority high -> urgent");
  EXPECT_EQ(steps[2].recipients(0), "max3");
  // max3 reads the feed: one unread, then none after marking it read.
  escpb::ListNotificationsRequest unread;
  unread.set_unread_only(true);
  escpb::ListNotificationsResponse before =
      Call(&escpb::EscalationService::Stub::ListNotifications, unread,
           Token(StaffRole::kAgent, "max3"));
  EXPECT_EQ(before.unread(), 1);
  ASSERT_EQ(before.notifications_size(), 1);
  escpb::MarkNotificationsReadRequest mark;
  mark.add_notification_ids(before.notifications(0).notification_id());
  EXPECT_EQ(Call(&escpb::EscalationService::Stub::MarkNotificationsRead, mark,
                 Token(StaffRole::kAgent, "max3"))
                .marked(),
            1);
  EXPECT_EQ(Call(&escpb::EscalationService::Stub::ListNotifications, unread,
                 Token(StaffRole::kAgent, "max3"))
                .unread(),
            0);
  // The ticket's history shows each change once.
  EXPECT_EQ(QueryInt(absl::StrCat("SELECT count(*) FROM ticket.events WHERE "
                                  "ticket_id = ",
                                  id, " AND type = 'updated'")),
            1);
  EXPECT_EQ(QueryInt(absl::StrCat(
                "SELECT count(*) FROM ticket.comments WHERE ticket_id = ", id,
                " AND visibility = 'internal'")),
            1);
}

TEST_F(EscalationE2eTest, AcknowledgementSkipsTheLaterNotifyStep) {
  CreateTeam("ack4");
  CreateAgent("eve4", {"ack4"}, 5);
  CreateAgent("lia4", {"ack4"}, 0);
  CreateAgent("mo4", {}, 0);
  SetLead("ack4", "lia4", "mo4");
  CreateRule("ack4", 400, "t4", "ack4", escpb::STRATEGY_LEAST_LOADED);
  CreatePolicy("p4", "t4", absl::Seconds(2));
  const int64_t id = Open("t4");
  ASSERT_TRUE(Eventually([&] { return Escalations(id).size() >= 2; }));
  const int64_t level2 = Escalations(id)[1].escalation_id();
  // The lead, now the assignee, acknowledges before level 3 is due.
  ASSERT_TRUE(Eventually([&] { return GetTicket(id).assignee() == "lia4"; }));
  escpb::AcknowledgeEscalationRequest ack;
  ack.set_escalation_id(level2);
  escpb::Escalation acked =
      Call(&escpb::EscalationService::Stub::AcknowledgeEscalation, ack,
           Token(StaffRole::kAgent, "lia4"));
  EXPECT_TRUE(acked.acknowledged());
  EXPECT_EQ(acked.acknowledged_by(), "lia4");
  // Someone neither notified nor assigned may not acknowledge.
  {
    escpb::Escalation out;
    grpc::ClientContext context;
    Authorize(&context, Token(StaffRole::kAgent, "mallory"));
    EXPECT_EQ(
        EscStub()->AcknowledgeEscalation(&context, ack, &out).error_code(),
        grpc::StatusCode::PERMISSION_DENIED);
  }
  ASSERT_TRUE(Eventually([&] { return Escalations(id).size() == 3; }));
  const escpb::Escalation level3 = Escalations(id)[2];
  EXPECT_TRUE(level3.skipped());
  EXPECT_EQ(level3.actions(0).state(), escpb::ACTION_STATE_SKIPPED);
  EXPECT_TRUE(NotificationsOf("mo4", id).empty());
}

TEST_F(EscalationE2eTest, TwoReplicasAndARestartActExactlyOnce) {
  CreateTeam("rep5");
  CreateAgent("ray5", {"rep5"}, 100);
  CreateAgent("roz5", {"rep5"}, 100);
  CreateAgent("lee5", {"rep5"}, 0);
  CreateAgent("mae5", {}, 0);
  SetLead("rep5", "lee5", "mae5");
  CreateRule("rep5", 500, "t5", "rep5", escpb::STRATEGY_ROUND_ROBIN);
  CreatePolicy("p5", "t5", absl::Seconds(4));
  std::unique_ptr<testing::ServiceProcess> second = StartReplica("second");
  ASSERT_NE(second, nullptr);
  constexpr int kTickets = 20;
  std::vector<int64_t> ids;
  for (int i = 0; i < kTickets; ++i) ids.push_back(Open("t5"));
  const std::string in = absl::StrCat("(", absl::StrJoin(ids, ","), ")");
  // Mid-way (after routing and the warnings, before the breaches), the
  // main replica dies without a word and comes back.
  ASSERT_TRUE(Eventually([&] {
    return QueryInt(
               "SELECT count(*) FROM escalation.escalations WHERE level "
               "= 1 AND ticket_id IN " +
               in) == kTickets;
  }));
  escalationd_->Kill();
  delete escalationd_;
  escalationd_ = nullptr;
  StartMainReplica();
  ASSERT_NE(escalationd_, nullptr);

  ASSERT_TRUE(Eventually(
      [&] {
        return QueryInt(
                   "SELECT count(*) FROM escalation.escalations WHERE "
                   "ticket_id IN " +
                   in) == 3 * kTickets &&
               QueryInt(
                   "SELECT count(*) FROM escalation.actions WHERE state "
                   "= 'pending' AND ticket_id IN " +
                   in) == 0;
      },
      absl::Seconds(40)));
  // Every level once per ticket; two notifications per ticket (level 1 to
  // the assignee, level 3 to the manager); on each ticket one priority
  // change, two assignments (routing, then the lead) and one note.
  EXPECT_EQ(QueryInt("SELECT count(*) FROM (SELECT ticket_id, level FROM "
                     "escalation.escalations WHERE ticket_id IN " +
                     in + " GROUP BY 1, 2 HAVING count(*) > 1) d"),
            0);
  EXPECT_EQ(QueryInt("SELECT count(*) FROM escalation.notifications WHERE "
                     "ticket_id IN " +
                     in),
            2 * kTickets);
  EXPECT_EQ(QueryInt("SELECT count(*) FROM ticket.events WHERE type = "
                     "'updated' AND ticket_id IN " +
                     in),
            kTickets);
  EXPECT_EQ(QueryInt("SELECT count(*) FROM ticket.events WHERE type = "
                     "'assigned' AND ticket_id IN " +
                     in),
            2 * kTickets);
  EXPECT_EQ(QueryInt("SELECT count(*) FROM ticket.comments WHERE ticket_id "
                     "IN " +
                     in),
            kTickets);
  for (int64_t id : ids) {
    const ticketpb::Ticket t = GetTicket(id);
    EXPECT_EQ(t.priority(), ticketpb::PRIORITY_URGENT) << id;
    EXPECT_EQ(t.assignee(), "lee5") << id;
  }
  // Round-robin stayed fair across the replicas: 10 and 10.
  EXPECT_EQ(QueryInt("SELECT count(*) FROM escalation.decisions WHERE "
                     "agent_id = 'ray5' AND ticket_id IN " +
                     in),
            kTickets / 2);
}

TEST_F(EscalationE2eTest, WebhooksAreSignedRetriedAndDeadLettered) {
  testing::HttpReceiver receiver;
  ASSERT_TRUE(receiver.Start().ok());
  receiver.FailNext(3);
  testing::HttpReceiver broken;
  ASSERT_TRUE(broken.Start().ok());
  broken.FailNext(1000, 503);
  const std::string secret = "whsec-care-0123456789";
  CreateTeam("hook6", "", "", receiver.url("/hooks/hook6"), secret);
  CreateTeam("dead6", "", "", broken.url("/hooks/dead6"), "whsec-dead");
  CreateAgent("hal6", {"hook6"}, 5);
  CreateAgent("dex6", {"dead6"}, 5);
  CreateRule("hook6", 600, "t6", "hook6", escpb::STRATEGY_LEAST_LOADED);
  CreateRule("dead6", 601, "t6-dead", "dead6", escpb::STRATEGY_LEAST_LOADED);
  CreatePolicy("p6", "t6", absl::Seconds(2));
  CreatePolicy("p6-dead", "t6-dead", absl::Seconds(2));
  const int64_t id = Open("t6");
  const int64_t dead_id = Open("t6-dead");

  // Level 1 notifies hal6: three failures, then the fourth attempt lands.
  ASSERT_TRUE(receiver.WaitForRequests(4, absl::Seconds(20)));
  std::vector<testing::ReceivedRequest> got = receiver.Requests();
  std::set<std::string> deliveries;
  for (const testing::ReceivedRequest& r : got) {
    EXPECT_EQ(r.method, "POST");
    EXPECT_EQ(r.path, "/hooks/hook6");
    deliveries.insert(r.headers.at("x-cxdesk-delivery"));
    EXPECT_TRUE(escalation::VerifyWebhookSignature(
                    secret, r.headers.at("x-cxdesk-signature"), r.body,
                    absl::Now(), absl::Minutes(5))
                    .ok())
        << r.headers.at("x-cxdesk-signature");
    EXPECT_TRUE(absl::StrContains(r.body, absl::StrCat("\"ticket_id\":", id)))
        << r.body;
  }
  EXPECT_EQ(deliveries.size(), 1u);  // One delivery, retried.
  escpb::ListWebhookDeliveriesRequest list;
  list.set_team_id("hook6");
  ASSERT_TRUE(Eventually([&] {
    escpb::ListWebhookDeliveriesResponse d =
        Call(&escpb::EscalationService::Stub::ListWebhookDeliveries, list,
             Token(StaffRole::kManager));
    return d.deliveries_size() >= 1 &&
           d.deliveries(d.deliveries_size() - 1).state() ==
               escpb::DELIVERY_STATE_DELIVERED;
  }));
  escpb::ListWebhookDeliveriesResponse d =
      Call(&escpb::EscalationService::Stub::ListWebhookDeliveries, list,
           Token(StaffRole::kManager));
  const escpb::WebhookDelivery& first = d.deliveries(d.deliveries_size() - 1);
  EXPECT_EQ(first.attempts(), 4);
  EXPECT_EQ(first.last_status_code(), 200);
  // Delivered once: no fifth request for it.
  absl::SleepFor(absl::Milliseconds(500));
  int for_first = 0;
  for (const testing::ReceivedRequest& r : receiver.Requests()) {
    if (r.headers.at("x-cxdesk-delivery") ==
        absl::StrCat(first.delivery_id())) {
      ++for_first;
    }
  }
  EXPECT_EQ(for_first, 4);

  // The receiver that always fails: a dead letter after 5 attempts.
  escpb::ListWebhookDeliveriesRequest dead;
  dead.set_team_id("dead6");
  dead.set_state(escpb::DELIVERY_STATE_DEAD);
  ASSERT_TRUE(Eventually([&] {
    return Call(&escpb::EscalationService::Stub::ListWebhookDeliveries, dead,
                Token(StaffRole::kManager))
               .deliveries_size() >= 1;
  }));
  escpb::WebhookDelivery letter =
      Call(&escpb::EscalationService::Stub::ListWebhookDeliveries, dead,
           Token(StaffRole::kManager))
          .deliveries(0);
  EXPECT_EQ(letter.attempts(), 5);
  EXPECT_EQ(letter.last_status_code(), 503);
  EXPECT_GE(broken.Requests().size(), 5u);
  (void)dead_id;
}

TEST_F(EscalationE2eTest, CatchingUpLeavesClosedAndHandAssignedTicketsAlone) {
  CreateTeam("late8");
  CreateAgent("amy8", {"late8"}, 5);
  CreateRule("late8", 800, "t8", "late8", escpb::STRATEGY_LEAST_LOADED);
  // While the service is down, one ticket is solved and another assigned
  // by hand; when it comes back it routes both (the stream is replayed)
  // but assigns neither.
  delete escalationd_;
  escalationd_ = nullptr;
  const int64_t solved = Open("t8");
  Solve(solved, "human8");
  const int64_t taken = Open("t8");
  Assign(taken, "human8");
  StartMainReplica();
  ASSERT_NE(escalationd_, nullptr);
  const std::string in = absl::StrCat("(", solved, ",", taken, ")");
  ASSERT_TRUE(Eventually([&] {
    return QueryInt(
               "SELECT count(*) FROM escalation.actions WHERE state = "
               "'skipped' AND decision_id IS NOT NULL AND ticket_id IN " +
               in) == 2;
  }))
      << QueryInt(
             "SELECT count(*) FROM escalation.actions WHERE ticket_id IN " +
             in);
  EXPECT_EQ(GetTicket(solved).assignee(), "");
  EXPECT_EQ(GetTicket(solved).status(), ticketpb::STATUS_SOLVED);
  EXPECT_EQ(GetTicket(taken).assignee(), "human8");
  EXPECT_EQ(QueryInt("SELECT count(*) FROM ticket.events WHERE actor = "
                     "'cxdesk-escalationd' AND ticket_id IN " +
                     in),
            0);
}

TEST_F(EscalationE2eTest, DirectoryIsForManagersAndErrorsNameTheField) {
  escpb::CreateTeamRequest r;
  r.mutable_team()->set_team_id("x7");
  escpb::Team out;
  {
    grpc::ClientContext context;
    Authorize(&context, Token(StaffRole::kAgent, "ann"));
    EXPECT_EQ(EscStub()->CreateTeam(&context, r, &out).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
  }
  {
    grpc::ClientContext context;
    EXPECT_EQ(EscStub()->CreateTeam(&context, r, &out).error_code(),
              grpc::StatusCode::UNAUTHENTICATED);
  }
  r.mutable_team()->set_lead("nobody7");
  {
    grpc::ClientContext context;
    Authorize(&context, Token(StaffRole::kManager));
    const grpc::Status s = EscStub()->CreateTeam(&context, r, &out);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
    EXPECT_TRUE(absl::StartsWith(s.error_message(), "team.lead:"))
        << s.error_message();
  }
  escpb::CreateAgentRequest agent;
  agent.mutable_agent()->set_agent_id("bad agent");
  {
    escpb::Agent a;
    grpc::ClientContext context;
    Authorize(&context, Token(StaffRole::kManager));
    const grpc::Status s = EscStub()->CreateAgent(&context, agent, &a);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_TRUE(absl::StartsWith(s.error_message(), "agent.agent_id:"))
        << s.error_message();
  }
  // An agent sets their own availability, not someone else's.
  CreateTeam("x7b");
  CreateAgent("kim7", {"x7b"}, 1, escpb::AVAILABILITY_OFFLINE);
  escpb::SetAgentAvailabilityRequest avail;
  avail.set_availability(escpb::AVAILABILITY_ONLINE);
  escpb::Agent me = Call(&escpb::EscalationService::Stub::SetAgentAvailability,
                         avail, Token(StaffRole::kAgent, "kim7"));
  EXPECT_EQ(me.availability(), escpb::AVAILABILITY_ONLINE);
  avail.set_agent_id("kim7");
  {
    escpb::Agent a;
    grpc::ClientContext context;
    Authorize(&context, Token(StaffRole::kAgent, "ann"));
    EXPECT_EQ(EscStub()->SetAgentAvailability(&context, avail, &a).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
  }
}

}  // namespace
}  // namespace cxdesk
