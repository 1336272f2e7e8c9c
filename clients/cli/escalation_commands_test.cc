// The `cxdesk` commands of the escalation service: team, agent, rule,
// ladder, route, queue, escalation(s), notifications, webhooks. Parsing of
// the command lines into requests and the output of the replies, against
// the gMock stub of the service.
#include <grpcpp/test/mock_stream.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "clients/cli/commands.h"
#include "cxdesk/escalation/v1/escalation_service_mock.grpc.pb.h"
#include "cxdesk/sla/v1/sla_service_mock.grpc.pb.h"
#include "cxdesk/ticket/v1/ticket_service_mock.grpc.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"

namespace cxdesk::clients::cli {
namespace {

namespace fs = std::filesystem;
namespace escpb = ::cxdesk::escalation::v1;
using ::testing::_;
using ::testing::DoAll;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Return;
using ::testing::SetArgPointee;
using ::testing::StartsWith;

const absl::Time kNow = absl::FromCivil(
    absl::CivilSecond(2026, 11, 22, 15, 0, 0), absl::UTCTimeZone());

int64_t MinutesAgo(int minutes) {
  return absl::ToUnixSeconds(kNow - absl::Minutes(minutes));
}

template <typename M>
M Parse(const std::string& text) {
  M message;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &message))
      << text;
  return message;
}

class EscalationCliTest : public ::testing::Test {
 protected:
  EscalationCliTest() {
    std::string pattern =
        (fs::temp_directory_path() / "cxdesk_esc_cli_test.XXXXXX").string();
    cwd_ = mkdtemp(pattern.data());
    env_.getenv =
        [this](const std::string& name) -> std::optional<std::string> {
      auto it = vars_.find(name);
      if (it == vars_.end()) return std::nullopt;
      return it->second;
    };
    env_.cwd = cwd_.string();
    env_.tz = absl::UTCTimeZone();
    env_.now = [] { return kNow; };
    env_.connect = [this](const std::string& target, CallCredentials creds,
                          absl::Duration timeout) {
      ticket_target_ = target;
      return std::make_unique<TicketClient>(ticket_stub_, creds, timeout);
    };
    env_.connect_sla = [this](const std::string& target, CallCredentials creds,
                              absl::Duration timeout) {
      sla_target_ = target;
      return std::make_unique<SlaClient>(sla_stub_, creds, timeout);
    };
    env_.connect_escalation = [this](const std::string& target,
                                     CallCredentials creds,
                                     absl::Duration timeout) {
      target_ = target;
      credentials_ = creds;
      return std::make_unique<EscalationClient>(stub_, creds, timeout);
    };
    env_.check_health = [](const std::string&,
                           absl::Duration) -> absl::StatusOr<std::string> {
      return std::string("cxdesk.escalation.v1.EscalationService");
    };
    env_.in = &in_;
    env_.out = &out_;
    env_.err = &err_;
  }
  ~EscalationCliTest() override {
    std::error_code ec;
    fs::remove_all(cwd_, ec);
  }

  int Run(const std::vector<std::string>& args) {
    out_.str("");
    err_.str("");
    return RunCli(args, env_);
  }

  void WriteFile(const std::string& name, const std::string& text) {
    std::ofstream(cwd_ / name) << text;
  }

  std::string out() const { return out_.str(); }
  std::string err() const { return err_.str(); }

  fs::path cwd_;
  std::map<std::string, std::string> vars_;
  std::shared_ptr<escpb::MockEscalationServiceStub> stub_ =
      std::make_shared<escpb::MockEscalationServiceStub>();
  std::shared_ptr<ticket::v1::MockTicketServiceStub> ticket_stub_ =
      std::make_shared<ticket::v1::MockTicketServiceStub>();
  std::shared_ptr<sla::v1::MockSlaServiceStub> sla_stub_ =
      std::make_shared<sla::v1::MockSlaServiceStub>();
  std::istringstream in_;
  std::ostringstream out_, err_;
  CliEnvironment env_;
  std::string target_, ticket_target_, sla_target_;
  CallCredentials credentials_;
};

// --- usage
// -----------------------------------------------------------------------

TEST_F(EscalationCliTest, HelpListsTheCommandsAndTarget) {
  EXPECT_EQ(Run({"--help"}), kExitOk);
  for (const char* text : {"team create",
                           "team update",
                           "team get ID",
                           "team list",
                           "team delete ID",
                           "agent create",
                           "agent list",
                           "agent availability ID STATE",
                           "rule create",
                           "rule list",
                           "ladder set",
                           "ladder get METRIC",
                           "ladder delete METRIC",
                           "route explain TICKET",
                           "route ticket TICKET",
                           "queue TEAM",
                           "escalations",
                           "escalation ack ID",
                           "escalation figures",
                           "notifications",
                           "notifications read [ID...]",
                           "notifications watch",
                           "webhooks",
                           "--escalation-target HOST:PORT"}) {
    EXPECT_THAT(out(), HasSubstr(text));
  }
  EXPECT_EQ(Run({"agent"}), kExitUsage);
  EXPECT_THAT(err(), HasSubstr("which one? create, update, get, list, delete, "
                               "availability"));
  EXPECT_EQ(Run({"escalation"}), kExitUsage);
  EXPECT_THAT(err(), HasSubstr("which one? ack, figures"));
  EXPECT_EQ(Run({"ladder", "get", "--help"}), kExitOk);
  EXPECT_THAT(out(), StartsWith("usage: cxdesk ladder get METRIC\n"));
}

TEST_F(EscalationCliTest, ServerErrorsNameTheEscalationServiceAndItsTarget) {
  vars_["CXDESK_ESCALATION_TARGET"] = "esc-host:1";
  vars_["CXDESK_TOKEN"] = "tok";
  vars_["CXDESK_ACCESS_KEY"] = "customer-key";
  EXPECT_CALL(*stub_, GetTeam(_, _, _))
      .WillOnce(Return(grpc::Status(grpc::StatusCode::UNAVAILABLE, "")))
      .WillOnce(
          Return(grpc::Status(grpc::StatusCode::NOT_FOUND, "team x: unknown")));
  EXPECT_EQ(Run({"team", "get", "care"}), kExitError);
  EXPECT_EQ(target_, "esc-host:1");
  EXPECT_EQ(err(),
            "error: cannot reach the escalation service at esc-host:1: is it "
            "running? (pass --escalation-target or set "
            "CXDESK_ESCALATION_TARGET if it listens elsewhere)\n");
  // The access key is the ticket service's secret: never sent here.
  EXPECT_EQ(credentials_.bearer_token, "tok");
  EXPECT_EQ(credentials_.access_key, "");
  EXPECT_EQ(Run({"--escalation-target", "flag-host:2", "team", "get", "x"}),
            kExitError);
  EXPECT_EQ(target_, "flag-host:2");
  EXPECT_THAT(err(), StartsWith("error: not found: team x: unknown"));
  EXPECT_TRUE(ticket_target_.empty()) << "the ticket service was contacted";
  EXPECT_TRUE(sla_target_.empty()) << "the SLA service was contacted";
}

// --- team, agent, rule, ladder
// ----------------------------------------------------

TEST_F(EscalationCliTest, TeamCreateFromTextFileOnTheDefaultTarget) {
  WriteFile("care.txtpb", R"pb(
    team_id: "care"
    display_name: "Customer care"
    lead: "lee"
    default_team: true
    webhook { url: "https://hooks.example/care" secret: "s3cret" }
  )pb");
  EXPECT_CALL(*stub_, CreateTeam(_, _, _))
      .WillOnce([](grpc::ClientContext*, const escpb::CreateTeamRequest& r,
                   escpb::Team* out) {
        EXPECT_EQ(r.team().team_id(), "care");
        EXPECT_EQ(r.team().lead(), "lee");
        EXPECT_TRUE(r.team().default_team());
        EXPECT_EQ(r.team().webhook().secret(), "s3cret");
        *out = r.team();
        out->mutable_webhook()->clear_secret();
        out->mutable_webhook()->set_secret_set(true);
        out->set_etag("1");
        return grpc::Status::OK;
      });
  ASSERT_EQ(Run({"team", "create", "--file", "care.txtpb"}), kExitOk) << err();
  EXPECT_EQ(out(), "team care created, etag 1\n");
  EXPECT_EQ(target_, "127.0.0.1:7103");
}

TEST_F(EscalationCliTest, TeamUpdateFetchesTheEtagAndNeedsAnId) {
  WriteFile("care.txtpb", "team_id: \"care\" display_name: \"Care\"\n");
  WriteFile("noid.txtpb", "display_name: \"Care\"\n");
  escpb::Team current;
  current.set_team_id("care");
  current.set_etag("6");
  EXPECT_CALL(*stub_, GetTeam(_, _, _))
      .WillOnce(DoAll(SetArgPointee<2>(current), Return(grpc::Status::OK)));
  EXPECT_CALL(*stub_, UpdateTeam(_, _, _))
      .WillOnce([](grpc::ClientContext*, const escpb::UpdateTeamRequest& r,
                   escpb::Team* out) {
        EXPECT_EQ(r.etag(), "6");
        *out = r.team();
        out->set_etag("7");
        return grpc::Status::OK;
      });
  ASSERT_EQ(Run({"team", "update", "--file", "care.txtpb"}), kExitOk) << err();
  EXPECT_EQ(out(), "team care updated, etag 7\n");
  EXPECT_EQ(Run({"team", "update", "--file", "noid.txtpb"}), kExitUsage);
  EXPECT_THAT(err(), HasSubstr("--file noid.txtpb: team_id is not set (it "
                               "names the team to update)"));
}

TEST_F(EscalationCliTest, TeamGetAndListPrintReadably) {
  const escpb::Team care = Parse<escpb::Team>(R"pb(
    team_id: "care"
    display_name: "Customer care"
    lead: "lee"
    manager: "mia"
    default_calendar: "berlin"
    default_team: true
    webhook { url: "https://hooks.example/care" secret_set: true }
    etag: "3"
  )pb");
  escpb::Team billing;
  billing.set_team_id("billing");
  escpb::ListTeamsResponse page;
  *page.add_teams() = care;
  *page.add_teams() = billing;
  EXPECT_CALL(*stub_, GetTeam(_, _, _))
      .WillOnce(DoAll(SetArgPointee<2>(care), Return(grpc::Status::OK)));
  EXPECT_CALL(*stub_, ListTeams(_, _, _))
      .WillOnce(DoAll(SetArgPointee<2>(page), Return(grpc::Status::OK)));
  ASSERT_EQ(Run({"team", "get", "care"}), kExitOk) << err();
  EXPECT_EQ(out(),
            "team care: Customer care\n"
            "  default:  yes (takes tickets no rule matches)\n"
            "  lead:     lee\n"
            "  manager:  mia\n"
            "  calendar: berlin\n"
            "  webhook:  https://hooks.example/care (signed)\n"
            "  etag:     3\n"
            "  updated:  -\n");
  ASSERT_EQ(Run({"team", "list"}), kExitOk) << err();
  EXPECT_EQ(
      out(),
      "ID       NAME           DEFAULT  LEAD  MANAGER  CALENDAR  WEBHOOK\n"
      "care     Customer care  yes      lee   mia      berlin    yes\n"
      "billing  -              no       -     -        -         no\n");
}

TEST_F(EscalationCliTest, AgentAvailabilityMeIsTheCaller) {
  EXPECT_CALL(*stub_, SetAgentAvailability(_, _, _))
      .WillOnce([](grpc::ClientContext*,
                   const escpb::SetAgentAvailabilityRequest& r,
                   escpb::Agent* out) {
        EXPECT_EQ(r.agent_id(), "");
        EXPECT_EQ(r.availability(), escpb::AVAILABILITY_AWAY);
        out->set_agent_id("ann");
        out->set_availability(r.availability());
        out->set_open_tickets(2);
        out->set_capacity(5);
        return grpc::Status::OK;
      })
      .WillOnce([](grpc::ClientContext*,
                   const escpb::SetAgentAvailabilityRequest& r,
                   escpb::Agent* out) {
        EXPECT_EQ(r.agent_id(), "bob");
        EXPECT_EQ(r.availability(), escpb::AVAILABILITY_ONLINE);
        return grpc::Status(grpc::StatusCode::PERMISSION_DENIED,
                            "agents set only their own availability");
      });
  ASSERT_EQ(Run({"agent", "availability", "me", "away"}), kExitOk) << err();
  EXPECT_EQ(out(), "agent ann is now away (2/5 open tickets)\n");
  EXPECT_EQ(Run({"agent", "availability", "bob", "ONLINE"}), kExitError);
  EXPECT_THAT(err(), StartsWith("error: not allowed for your role: agents set "
                                "only their own availability"));
  EXPECT_EQ(Run({"agent", "availability", "me", "busy"}), kExitUsage);
  EXPECT_THAT(err(), HasSubstr("STATE: 'busy' is not one of online, away, "
                               "offline"));
  EXPECT_EQ(Run({"agent", "availability", "me"}), kExitUsage);
  EXPECT_THAT(err(),
              HasSubstr("missing argument(s): agent availability ID STATE"));
}

TEST_F(EscalationCliTest, AgentUpdateKeepsTheCurrentAvailability) {
  WriteFile("ann.txtpb", R"pb(
    agent_id: "ann"
    team_ids: "care"
    skills: "refunds"
    tier: 2
    capacity: 6
  )pb");
  WriteFile("ann-off.txtpb",
            R"pb(
              agent_id: "ann" capacity: 6 availability: AVAILABILITY_OFFLINE
            )pb");
  escpb::Agent current;
  current.set_agent_id("ann");
  current.set_availability(escpb::AVAILABILITY_ONLINE);
  current.set_etag("4");
  EXPECT_CALL(*stub_, GetAgent(_, _, _))
      .WillOnce(DoAll(SetArgPointee<2>(current), Return(grpc::Status::OK)));
  EXPECT_CALL(*stub_, UpdateAgent(_, _, _))
      .WillOnce([](grpc::ClientContext*, const escpb::UpdateAgentRequest& r,
                   escpb::Agent* out) {
        EXPECT_EQ(r.etag(), "4");
        EXPECT_EQ(r.agent().availability(), escpb::AVAILABILITY_ONLINE);
        EXPECT_THAT(r.agent().skills(), ElementsAre("refunds"));
        *out = r.agent();
        out->set_etag("5");
        return grpc::Status::OK;
      })
      .WillOnce([](grpc::ClientContext*, const escpb::UpdateAgentRequest& r,
                   escpb::Agent* out) {
        // The file says offline and gives the etag: nothing to fetch.
        EXPECT_EQ(r.etag(), "5");
        EXPECT_EQ(r.agent().availability(), escpb::AVAILABILITY_OFFLINE);
        *out = r.agent();
        out->set_etag("6");
        return grpc::Status::OK;
      });
  ASSERT_EQ(Run({"agent", "update", "--file", "ann.txtpb"}), kExitOk) << err();
  EXPECT_EQ(out(), "agent ann updated, etag 5\n");
  ASSERT_EQ(Run({"agent", "update", "--file", "ann-off.txtpb", "--etag", "5"}),
            kExitOk)
      << err();
  EXPECT_EQ(out(), "agent ann updated, etag 6\n");
}

TEST_F(EscalationCliTest, AgentListByTeam) {
  escpb::ListAgentsResponse page = Parse<escpb::ListAgentsResponse>(R"pb(
    agents {
      agent_id: "ann"
      display_name: "Ann"
      team_ids: "care"
      team_ids: "billing"
      skills: "refunds"
      tier: 1
      capacity: 5
      open_tickets: 2
      availability: AVAILABILITY_ONLINE
    }
    agents {
      agent_id: "lee"
      team_ids: "care"
      tier: 2
      capacity: 3
      availability: AVAILABILITY_OFFLINE
    }
  )pb");
  EXPECT_CALL(*stub_, ListAgents(_, _, _))
      .WillOnce([&](grpc::ClientContext*, const escpb::ListAgentsRequest& r,
                    escpb::ListAgentsResponse* out) {
        EXPECT_EQ(r.team_id(), "care");
        *out = page;
        return grpc::Status::OK;
      });
  ASSERT_EQ(Run({"agent", "list", "--team", "care"}), kExitOk) << err();
  EXPECT_EQ(out(),
            "ID   NAME  TEAMS          TIER  AVAILABILITY  LOAD  SKILLS\n"
            "ann  Ann   care, billing  1     online        2/5   refunds\n"
            "lee  -     care           2     offline       0/3   -\n");
}

TEST_F(EscalationCliTest, RuleListAndLadderGet) {
  escpb::ListRoutingRulesResponse rules =
      Parse<escpb::ListRoutingRulesResponse>(R"pb(
        rules {
          rule_id: "emotion-to-care"
          position: 10
          conditions {
            kinds: KIND_COMPLAINT
            cx_levels: CX_LEVEL_EMOTION
            words_any: "refund"
          }
          team_id: "care"
          strategy: STRATEGY_LEAST_LOADED
        }
        rules {
          rule_id: "rest"
          position: 99
          team_id: "desk"
          strategy: STRATEGY_QUEUE_ONLY
        }
      )pb");
  EXPECT_CALL(*stub_, ListRoutingRules(_, _, _))
      .WillOnce(DoAll(SetArgPointee<2>(rules), Return(grpc::Status::OK)));
  const escpb::Ladder ladder = Parse<escpb::Ladder>(R"pb(
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
    }
    etag: "2"
  )pb");
  EXPECT_CALL(*stub_, GetLadder(_, _, _))
      .WillOnce([&](grpc::ClientContext*, const escpb::GetLadderRequest& r,
                    escpb::Ladder* out) {
        EXPECT_EQ(r.metric(), sla::v1::METRIC_FIRST_RESPONSE);
        *out = ladder;
        return grpc::Status::OK;
      });
  ASSERT_EQ(Run({"rule", "list"}), kExitOk) << err();
  EXPECT_EQ(out(),
            "POSITION  ID               TEAM  STRATEGY      APPLIES TO\n"
            "10        emotion-to-care  care  least_loaded  kind complaint; cx "
            "level emotion; any word of refund\n"
            "99        rest             desk  queue_only    every ticket\n");
  ASSERT_EQ(Run({"ladder", "get", "first-response"}), kExitOk) << err();
  EXPECT_EQ(out(),
            "ladder first_response: 3 steps\n"
            "  etag:     2\n"
            "  updated:  -\n"
            "  LEVEL  WHEN              ACTIONS\n"
            "  1      on warning        notify assignee\n"
            "  2      on breach         raise priority, reassign to team lead\n"
            "  3      30m after breach  notify mia\n");
  EXPECT_EQ(Run({"ladder", "get", "breach"}), kExitUsage);
  EXPECT_THAT(err(), HasSubstr("METRIC: 'breach' is not one of "
                               "first_response, next_response, "
                               "periodic_update, resolution"));
}

// --- route, queue
// -----------------------------------------------------------------

TEST_F(EscalationCliTest, RouteTicketDryRunAndExplain) {
  EXPECT_CALL(*stub_, RouteTicket(_, _, _))
      .WillOnce([](grpc::ClientContext*, const escpb::RouteTicketRequest& r,
                   escpb::RoutingDecision* out) {
        EXPECT_EQ(r.ticket_id(), 42);
        EXPECT_TRUE(r.dry_run());
        *out = Parse<escpb::RoutingDecision>(R"pb(
          ticket_id: 42
          decide_time { seconds: 1795359600 }
          trigger: ROUTING_TRIGGER_DRY_RUN
          rule_id: "emotion-to-care"
          team_id: "care"
          strategy: STRATEGY_LEAST_LOADED
          outcome: ROUTING_OUTCOME_ASSIGNED
          agent_id: "bob"
          candidates: "ann"
          candidates: "bob"
          explanation: "least_loaded: chose bob (1/5, 20%) among 2 eligible"
        )pb");
        return grpc::Status::OK;
      });
  ASSERT_EQ(Run({"route", "ticket", "#42", "--dry-run"}), kExitOk) << err();
  EXPECT_EQ(out(),
            "ticket #42 -> team care: would be assigned to bob\n"
            "  decision: (dry run, not recorded)\n"
            "  when:     2026-11-22 15:00:00 (dry run)\n"
            "  rule:     emotion-to-care\n"
            "  strategy: least_loaded\n"
            "  among:    ann, bob\n"
            "  why:\n"
            "    least_loaded: chose bob (1/5, 20%) among 2 eligible\n");
  EXPECT_CALL(*stub_, ExplainRouting(_, _, _))
      .WillOnce([](grpc::ClientContext*, const escpb::ExplainRoutingRequest& r,
                   escpb::ExplainRoutingResponse* out) {
        EXPECT_EQ(r.ticket_id(), 42);
        *out = Parse<escpb::ExplainRoutingResponse>(R"pb(
          decisions {
            decision_id: 7
            ticket_id: 42
            trigger: ROUTING_TRIGGER_NEW_TICKET
            team_id: "desk"
            strategy: STRATEGY_ROUND_ROBIN
            outcome: ROUTING_OUTCOME_QUEUED
            explanation: "all 2 agents of team desk are at capacity"
          }
          decisions {
            decision_id: 9
            ticket_id: 42
            trigger: ROUTING_TRIGGER_CAPACITY_FREED
            team_id: "desk"
            strategy: STRATEGY_ROUND_ROBIN
            outcome: ROUTING_OUTCOME_ASSIGNED
            agent_id: "ann"
            candidates: "ann"
          }
        )pb");
        return grpc::Status::OK;
      });
  ASSERT_EQ(Run({"route", "explain", "42"}), kExitOk) << err();
  EXPECT_EQ(out(),
            "ticket #42 -> team desk: waits in the team queue\n"
            "  decision: #7\n"
            "  when:     - (new ticket)\n"
            "  rule:     (none matched: the default team)\n"
            "  strategy: round_robin\n"
            "  among:    (none)\n"
            "  why:\n"
            "    all 2 agents of team desk are at capacity\n"
            "\n"
            "ticket #42 -> team desk: assigned to ann\n"
            "  decision: #9\n"
            "  when:     - (capacity freed)\n"
            "  rule:     (none matched: the default team)\n"
            "  strategy: round_robin\n"
            "  among:    ann\n");
  EXPECT_EQ(Run({"route", "explain", "x"}), kExitUsage);
  EXPECT_THAT(err(), HasSubstr("TICKET: 'x' is not a ticket number"));
}

TEST_F(EscalationCliTest, QueueInAssignmentOrder) {
  EXPECT_CALL(*stub_, ListTeamQueue(_, _, _))
      .WillOnce([](grpc::ClientContext*, const escpb::ListTeamQueueRequest& r,
                   escpb::ListTeamQueueResponse* out) {
        EXPECT_EQ(r.team_id(), "care");
        EXPECT_EQ(r.page_size(), 2);
        out->set_total(3);
        escpb::QueuedTicket* t = out->add_tickets();
        t->set_ticket_id(7);
        t->set_priority(ticket::v1::PRIORITY_URGENT);
        t->mutable_queue_time()->set_seconds(MinutesAgo(12));
        t->mutable_next_deadline()->set_seconds(MinutesAgo(-5));
        t = out->add_tickets();
        t->set_ticket_id(9);
        t->set_priority(ticket::v1::PRIORITY_LOW);
        t->mutable_queue_time()->set_seconds(MinutesAgo(90));
        return grpc::Status::OK;
      });
  ASSERT_EQ(Run({"queue", "care", "--limit", "2"}), kExitOk) << err();
  EXPECT_EQ(out(),
            "team care: 3 waiting, showing the first 2\n"
            "#  TICKET  PRIORITY  WAITING  NEXT DEADLINE\n"
            "1  #7      urgent    12m      2026-11-22 15:05 (in 5m)\n"
            "2  #9      low       1h       -\n");
  EXPECT_EQ(Run({"queue"}), kExitUsage);
  EXPECT_THAT(err(), HasSubstr("missing argument(s): queue TEAM"));
}

// --- escalations
// --------------------------------------------------------------------

TEST_F(EscalationCliTest, EscalationsMapFiltersAndFollowPagesUpToTheLimit) {
  const escpb::Escalation step = Parse<escpb::Escalation>(R"pb(
    escalation_id: 88
    ticket_id: 42
    metric: METRIC_RESOLUTION
    cycle: 1
    level: 2
    trigger: TRIGGER_KIND_ON_BREACH
    team_id: "care"
    occur_time { seconds: 1795359000 }
    actions {
      action { kind: ACTION_KIND_RAISE_PRIORITY }
      state: ACTION_STATE_DONE
      detail: "priority high -> urgent"
    }
    actions {
      action { kind: ACTION_KIND_NOTIFY recipient: RECIPIENT_KIND_TEAM_LEAD }
      state: ACTION_STATE_FAILED
      error: "no team lead"
    }
    recipients: "lee"
  )pb");
  EXPECT_CALL(*stub_, ListEscalations(_, _, _))
      .WillOnce([&](grpc::ClientContext*,
                    const escpb::ListEscalationsRequest& r,
                    escpb::ListEscalationsResponse* out) {
        EXPECT_EQ(r.ticket_id(), 42);
        EXPECT_EQ(r.team_id(), "care");
        EXPECT_EQ(r.level(), 2);
        EXPECT_EQ(r.start_time().seconds(), 1794787200);  // 2026-11-16
        EXPECT_EQ(r.end_time().seconds(), 1795392000);    // 2026-11-23
        EXPECT_TRUE(r.has_acknowledged());
        EXPECT_FALSE(r.acknowledged());
        EXPECT_EQ(r.page_size(), 2);
        EXPECT_EQ(r.page_token(), "");
        *out->add_escalations() = step;
        out->set_next_page_token("P2");
        return grpc::Status::OK;
      })
      .WillOnce([&](grpc::ClientContext*,
                    const escpb::ListEscalationsRequest& r,
                    escpb::ListEscalationsResponse* out) {
        EXPECT_EQ(r.page_token(), "P2");
        *out->add_escalations() = step;
        *out->add_escalations() = step;
        out->set_next_page_token("P3");
        return grpc::Status::OK;
      });
  ASSERT_EQ(Run({"escalations", "--ticket", "42", "--team", "care", "--level",
                 "2", "--from", "2026-11-16", "--to", "2026-11-23",
                 "--acknowledged", "no", "--limit", "2"}),
            kExitOk)
      << err();
  EXPECT_EQ(
      out(),
      "ID  TIME              TICKET  METRIC      CYCLE  LEVEL  TRIGGER    "
      "TEAM  NOTIFIED  ACK  ACTIONS\n"
      "88  2026-11-22 14:50  #42     resolution  1      2      on breach  "
      "care  lee       -    raise priority: done, notify team lead: "
      "failed (no team l...\n"
      "88  2026-11-22 14:50  #42     resolution  1      2      on breach  "
      "care  lee       -    raise priority: done, notify team lead: "
      "failed (no team l...\n"
      "more escalations: stopped at --limit 2\n");
  EXPECT_EQ(Run({"escalations", "--acknowledged", "maybe"}), kExitUsage);
  EXPECT_THAT(err(),
              HasSubstr("--acknowledged: 'maybe' is not one of yes, no"));
  EXPECT_EQ(Run({"escalations", "--from", "yesterday"}), kExitUsage);
  EXPECT_THAT(err(), HasSubstr("--from: 'yesterday' is not a date"));
}

TEST_F(EscalationCliTest, EscalationAckPrintsTheStep) {
  EXPECT_CALL(*stub_, AcknowledgeEscalation(_, _, _))
      .WillOnce([](grpc::ClientContext*,
                   const escpb::AcknowledgeEscalationRequest& r,
                   escpb::Escalation* out) {
        EXPECT_EQ(r.escalation_id(), 88);
        *out = Parse<escpb::Escalation>(R"pb(
          escalation_id: 88
          ticket_id: 42
          metric: METRIC_FIRST_RESPONSE
          cycle: 1
          level: 1
          trigger: TRIGGER_KIND_ON_WARNING
          team_id: "care"
          occur_time { seconds: 1795359000 }
          explanation: "first response warned at 80% elapsed"
          actions {
            action {
              kind: ACTION_KIND_NOTIFY
              recipient: RECIPIENT_KIND_ASSIGNEE
            }
            state: ACTION_STATE_DONE
            detail: "notified ann"
          }
          recipients: "ann"
          acknowledged: true
          acknowledged_by: "ann"
          acknowledge_time { seconds: 1795359300 }
        )pb");
        return grpc::Status::OK;
      });
  ASSERT_EQ(Run({"escalation", "ack", "88"}), kExitOk) << err();
  EXPECT_EQ(out(),
            "escalation #88: ticket #42, first_response cycle 1, level 1 (on "
            "warning)\n"
            "  when:     2026-11-22 14:50:00\n"
            "  team:     care\n"
            "  notified: ann\n"
            "  acked:    by ann at 2026-11-22 14:55:00\n"
            "  why:      first response warned at 80% elapsed\n"
            "  actions:  notify assignee: done, notified ann\n");
  EXPECT_EQ(Run({"escalation", "ack", "0"}), kExitUsage);
  EXPECT_THAT(err(), HasSubstr("ID: '0' is not a whole number from 1"));
}

TEST_F(EscalationCliTest, FiguresAsTableAndCsv) {
  const escpb::EscalationFigures figures = Parse<escpb::EscalationFigures>(R"pb(
    start_time { seconds: 1794787200 }
    end_time { seconds: 1795392000 }
    agents { agent_id: "ann" assignments: 12 open_tickets: 2 capacity: 5 }
    teams {
      team_id: "care"
      routed: 20
      queued: 4
      assigned_from_queue: 3
      queue_time_p50 { seconds: 240 }
      queue_time_p90 { seconds: 540 }
      queue_time_max { seconds: 3720 }
      waiting_now: 1
    }
    teams { team_id: "desk" routed: 2 }
    levels { level: 1 ran: 6 skipped: 1 acknowledged: 2 }
  )pb");
  EXPECT_CALL(*stub_, GetEscalationFigures(_, _, _))
      .Times(2)
      .WillRepeatedly([&](grpc::ClientContext*,
                          const escpb::GetEscalationFiguresRequest& r,
                          escpb::EscalationFigures* out) {
        EXPECT_EQ(r.start_time().seconds(), 1794787200);
        EXPECT_EQ(r.end_time().seconds(), 1795392000);
        *out = figures;
        return grpc::Status::OK;
      });
  ASSERT_EQ(Run({"escalation", "figures", "--from", "2026-11-16", "--to",
                 "2026-11-23"}),
            kExitOk)
      << err();
  EXPECT_EQ(
      out(),
      "escalation figures 2026-11-16 00:00 .. 2026-11-23 00:00\n"
      "agents:\n"
      "  AGENT  ASSIGNED  OPEN  CAPACITY  LOAD\n"
      "  ann    12        2     5         40%\n"
      "teams:\n"
      "  TEAM  ROUTED  QUEUED  FROM QUEUE  QUEUE P50  P90  MAX     WAITING\n"
      "  care  20      4       3           4m         9m   1h 02m  1\n"
      "  desk  2       0       0           -          -    -       0\n"
      "levels:\n"
      "  LEVEL  RAN  SKIPPED  ACKNOWLEDGED\n"
      "  1      6    1        2\n");
  ASSERT_EQ(Run({"escalation", "figures", "--from", "2026-11-16", "--to",
                 "2026-11-23", "--format", "csv"}),
            kExitOk)
      << err();
  EXPECT_EQ(out(),
            "agent_id,assignments,open_tickets,capacity\n"
            "ann,12,2,5\n"
            "\n"
            "team_id,routed,queued,assigned_from_queue,queue_p50_seconds,"
            "queue_p90_seconds,queue_max_seconds,waiting_now\n"
            "care,20,4,3,240,540,3720,1\n"
            "desk,2,0,0,,,,0\n"
            "\n"
            "level,ran,skipped,acknowledged\n"
            "1,6,1,2\n");
  EXPECT_EQ(Run({"escalation", "figures", "--from", "2026-11-16"}), kExitUsage);
  EXPECT_THAT(err(), HasSubstr("missing required flag --to"));
}

// --- notifications, webhooks
// ---------------------------------------------------------

TEST_F(EscalationCliTest, NotificationsListUnreadForAnAgent) {
  EXPECT_CALL(*stub_, ListNotifications(_, _, _))
      .WillOnce([](grpc::ClientContext*,
                   const escpb::ListNotificationsRequest& r,
                   escpb::ListNotificationsResponse* out) {
        EXPECT_EQ(r.recipient(), "ann");
        EXPECT_TRUE(r.unread_only());
        *out = Parse<escpb::ListNotificationsResponse>(R"pb(
          notifications {
            notification_id: 5
            recipient: "ann"
            ticket_id: 42
            level: 2
            metric: METRIC_RESOLUTION
            title: "Ticket 42: resolution breached (level 2)"
            create_time { seconds: 1795359000 }
          }
          unread: 1
        )pb");
        return grpc::Status::OK;
      });
  ASSERT_EQ(Run({"notifications", "--unread", "--for", "ann"}), kExitOk)
      << err();
  EXPECT_EQ(out(),
            "ID  TIME              NEW  TICKET  LEVEL  METRIC      RECIPIENT  "
            "TITLE\n"
            "5   2026-11-22 14:50  *    #42     2      resolution  ann        "
            "Ticket 42: resolution breached (level 2)\n"
            "1 unread\n");
}

TEST_F(EscalationCliTest, NotificationsReadIdsOrAll) {
  EXPECT_CALL(*stub_, MarkNotificationsRead(_, _, _))
      .WillOnce([](grpc::ClientContext*,
                   const escpb::MarkNotificationsReadRequest& r,
                   escpb::MarkNotificationsReadResponse* out) {
        EXPECT_THAT(r.notification_ids(), ElementsAre(5, 6));
        EXPECT_FALSE(r.all());
        out->set_marked(2);
        return grpc::Status::OK;
      })
      .WillOnce([](grpc::ClientContext*,
                   const escpb::MarkNotificationsReadRequest& r,
                   escpb::MarkNotificationsReadResponse* out) {
        EXPECT_TRUE(r.all());
        EXPECT_EQ(r.notification_ids_size(), 0);
        out->set_marked(1);
        return grpc::Status::OK;
      });
  ASSERT_EQ(Run({"notifications", "read", "5", "#6"}), kExitOk) << err();
  EXPECT_EQ(out(), "marked 2 notifications read\n");
  ASSERT_EQ(Run({"notifications", "read", "--all"}), kExitOk) << err();
  EXPECT_EQ(out(), "marked 1 notification read\n");
  EXPECT_EQ(Run({"notifications", "read", "--all", "5"}), kExitUsage);
  EXPECT_THAT(err(), HasSubstr("give notification ids or --all, not both"));
  EXPECT_EQ(Run({"notifications", "read", "five"}), kExitUsage);
  EXPECT_THAT(err(), HasSubstr("ID: 'five' is not a notification number"));
  EXPECT_EQ(Run({"notifications", "read"}), kExitUsage);
  EXPECT_THAT(err(),
              HasSubstr("which notifications? give their ids, or --all"));
}

TEST_F(EscalationCliTest, NotificationsWatchPrintsEachAsItArrives) {
  auto* reader = new grpc::testing::MockClientReader<escpb::Notification>();
  const escpb::Notification n1 = Parse<escpb::Notification>(R"pb(
    cursor: "100-5"
    notification_id: 5
    recipient: "ann"
    ticket_id: 42
    level: 1
    metric: METRIC_FIRST_RESPONSE
    title: "Ticket 42: first response warning (level 1)"
    create_time { seconds: 1795359600 }
  )pb");
  escpb::Notification n2 = n1;
  n2.set_cursor("101-6");
  n2.set_notification_id(6);
  n2.set_level(2);
  n2.set_title("Ticket 42: first response breached (level 2)");
  EXPECT_CALL(*reader, Read(_))
      .WillOnce(DoAll(SetArgPointee<0>(n1), Return(true)))
      .WillOnce(DoAll(SetArgPointee<0>(n2), Return(true)))
      .WillOnce(Return(false));
  EXPECT_CALL(*reader, Finish()).WillOnce(Return(grpc::Status::OK));
  EXPECT_CALL(*stub_, WatchNotificationsRaw(_, _))
      .WillOnce([reader](grpc::ClientContext*,
                         const escpb::WatchNotificationsRequest& r) {
        EXPECT_EQ(r.recipient(), "*");
        EXPECT_EQ(r.after_cursor(), "99-4");
        return reader;
      });
  ASSERT_EQ(Run({"notifications", "watch", "--for", "*", "--after", "99-4"}),
            kExitOk)
      << err();
  std::vector<std::string> lines =
      absl::StrSplit(out(), '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 2u) << out();
  EXPECT_EQ(lines[0],
            "100-5  2026-11-22 15:00:00  ann       #42     L1 first_response   "
            "Ticket 42: first response warning (level 1)");
  EXPECT_EQ(lines[1],
            "101-6  2026-11-22 15:00:00  ann       #42     L2 first_response   "
            "Ticket 42: first response breached (level 2)");
}

TEST_F(EscalationCliTest, WebhooksByState) {
  EXPECT_CALL(*stub_, ListWebhookDeliveries(_, _, _))
      .WillOnce([](grpc::ClientContext*,
                   const escpb::ListWebhookDeliveriesRequest& r,
                   escpb::ListWebhookDeliveriesResponse* out) {
        EXPECT_EQ(r.team_id(), "care");
        EXPECT_EQ(r.state(), escpb::DELIVERY_STATE_PENDING);
        *out = Parse<escpb::ListWebhookDeliveriesResponse>(R"pb(
          deliveries {
            delivery_id: 3
            team_id: "care"
            notification_id: 5
            url: "https://hooks.example/care"
            state: DELIVERY_STATE_PENDING
            attempts: 2
            last_status_code: 503
            last_error: "HTTP 503 Service Unavailable"
            next_attempt_time { seconds: 1795359660 }
            create_time { seconds: 1795359000 }
          }
        )pb");
        return grpc::Status::OK;
      });
  ASSERT_EQ(Run({"webhooks", "--team", "care", "--state", "pending"}), kExitOk)
      << err();
  EXPECT_EQ(
      out(),
      "ID  TEAM  NOTIFICATION  STATE    ATTEMPTS  HTTP  WHEN              "
      "             CREATED           LAST ERROR\n"
      "3   care  5             pending  2         503   next 2026-11-22 "
      "15:01 (in 1m)  2026-11-22 14:50  HTTP 503 Service Unavailable\n");
  EXPECT_EQ(Run({"webhooks", "--state", "lost"}), kExitUsage);
  EXPECT_THAT(err(), HasSubstr("--state: 'lost' is not one of pending, "
                               "delivered, dead"));
}

}  // namespace
}  // namespace cxdesk::clients::cli

namespace cxdesk::clients::cli {
namespace {

// sla breaches asks the three services about each breached ticket and prints
// the causes under the table; without the escalation service it says so once.
TEST_F(EscalationCliTest, SlaBreachesExplainsEachBreach) {
  EXPECT_CALL(*sla_stub_, ListBreaches(_, _, _))
      .WillRepeatedly([](grpc::ClientContext*,
                         const sla::v1::ListBreachesRequest& r,
                         sla::v1::ListBreachesResponse* out) {
        EXPECT_TRUE(r.has_start_time());
        *out->add_breaches() = Parse<sla::v1::Breach>(absl::StrCat(
            "event { ticket_id: 12 kind: SLA_EVENT_KIND_BREACHED metric: "
            "METRIC_FIRST_RESPONSE cycle: 1 team: 'care' assignee: 'bob' "
            "occur_time { seconds: ",
            MinutesAgo(30), " } deadline { seconds: ", MinutesAgo(30),
            " } } state: CLOCK_STATE_RUNNING"));
        return grpc::Status::OK;
      });
  EXPECT_CALL(*ticket_stub_, ListTicketEvents(_, _, _))
      .WillRepeatedly([](grpc::ClientContext*,
                         const ticket::v1::ListTicketEventsRequest& r,
                         ticket::v1::ListTicketEventsResponse* out) {
        EXPECT_EQ(r.ticket_id(), 12);
        *out->add_events() = Parse<ticket::v1::TicketEvent>(absl::StrCat(
            "ticket_id: 12 create_time { seconds: ", MinutesAgo(60), " }"));
        *out->add_events() = Parse<ticket::v1::TicketEvent>(absl::StrCat(
            "ticket_id: 12 create_time { seconds: ", MinutesAgo(40),
            " } after { assignee: 'bob' }"));
        return grpc::Status::OK;
      });
  EXPECT_CALL(*sla_stub_, ListSlaEvents(_, _, _))
      .WillRepeatedly([](grpc::ClientContext*,
                         const sla::v1::ListSlaEventsRequest& r,
                         sla::v1::ListSlaEventsResponse* out) {
        EXPECT_EQ(r.ticket_id(), 12);
        *out->add_events() = Parse<sla::v1::SlaEvent>(absl::StrCat(
            "ticket_id: 12 kind: SLA_EVENT_KIND_STARTED metric: "
            "METRIC_FIRST_RESPONSE cycle: 1 occur_time { seconds: ",
            MinutesAgo(60), " }"));
        return grpc::Status::OK;
      });
  EXPECT_CALL(*stub_, ExplainRouting(_, _, _))
      .WillOnce([](grpc::ClientContext*, const escpb::ExplainRoutingRequest& r,
                   escpb::ExplainRoutingResponse* out) {
        EXPECT_EQ(r.ticket_id(), 12);
        return grpc::Status::OK;
      })
      .WillOnce(Return(grpc::Status(grpc::StatusCode::UNAVAILABLE, "down")));
  EXPECT_CALL(*stub_, ListEscalations(_, _, _))
      .WillRepeatedly([](grpc::ClientContext*,
                         const escpb::ListEscalationsRequest& r,
                         escpb::ListEscalationsResponse* out) {
        EXPECT_EQ(r.ticket_id(), 12);
        *out->add_escalations() = Parse<escpb::Escalation>(
            "ticket_id: 12 metric: METRIC_FIRST_RESPONSE cycle: 1 level: 2 "
            "trigger: TRIGGER_KIND_ON_BREACH actions { state: "
            "ACTION_STATE_DONE "
            "detail: 'reassigned to lena' }");
        return grpc::Status::OK;
      });
  ASSERT_EQ(Run({"sla", "breaches", "--from", "2026-11-22"}), kExitOk) << err();
  EXPECT_THAT(out(),
              HasSubstr("\n#12 first_response, due 2026-11-22 14:30:00:\n"
                        "  - unassigned for 20m of the 30m before the "
                        "deadline\n"
                        "  - held by bob (team care) at the deadline\n"
                        "  - step 2 on breach: reassigned to lena\n"
                        "  - still open, 30m overdue\n"));
  EXPECT_THAT(out(), Not(HasSubstr("note:")));

  ASSERT_EQ(Run({"sla", "breaches", "--from", "2026-11-22"}), kExitOk) << err();
  EXPECT_THAT(out(), HasSubstr("  - held by bob (team care) at the deadline\n"
                               "  - still open, 30m overdue\n"));
  EXPECT_THAT(out(), HasSubstr("note: the escalation service at "));
  EXPECT_THAT(out(), HasSubstr(" could not be asked: routing and escalation "
                               "steps are missing from the causes\n"));
}

}  // namespace
}  // namespace cxdesk::clients::cli

namespace cxdesk::clients::cli {
namespace {

// A long window is explained for its newest 100 breaches only, and says so.
TEST_F(EscalationCliTest, SlaBreachesExplainsTheNewestHundred) {
  EXPECT_CALL(*sla_stub_, ListBreaches(_, _, _))
      .WillOnce([](grpc::ClientContext*, const sla::v1::ListBreachesRequest&,
                   sla::v1::ListBreachesResponse* out) {
        for (int i = 1; i <= 101; ++i) {
          *out->add_breaches() = Parse<sla::v1::Breach>(absl::StrCat(
              "event { ticket_id: ", i,
              " kind: SLA_EVENT_KIND_BREACHED metric: METRIC_FIRST_RESPONSE "
              "cycle: 1 occur_time { seconds: ",
              MinutesAgo(30), " } } state: CLOCK_STATE_RUNNING"));
        }
        return grpc::Status::OK;
      });
  EXPECT_CALL(*ticket_stub_, ListTicketEvents(_, _, _))
      .Times(100)
      .WillRepeatedly(Return(grpc::Status::OK));
  EXPECT_CALL(*sla_stub_, ListSlaEvents(_, _, _))
      .Times(100)
      .WillRepeatedly(Return(grpc::Status::OK));
  EXPECT_CALL(*stub_, ExplainRouting(_, _, _))
      .Times(100)
      .WillRepeatedly(Return(grpc::Status::OK));
  EXPECT_CALL(*stub_, ListEscalations(_, _, _))
      .Times(100)
      .WillRepeatedly(Return(grpc::Status::OK));
  ASSERT_EQ(Run({"sla", "breaches"}), kExitOk) << err();
  EXPECT_THAT(out(), HasSubstr("\n#100 first_response, due "));
  EXPECT_THAT(out(), Not(HasSubstr("\n#101 first_response, due ")));
  EXPECT_THAT(out(), HasSubstr("\ncauses shown for the newest 100 of 101 "
                               "breaches; narrow the window, or --limit\n"));
}

}  // namespace
}  // namespace cxdesk::clients::cli

namespace cxdesk::clients::cli {
namespace {

// Two breached clocks of one ticket: its history is asked for once. Without
// the ticket service the causes still come, and the gap is said once.
TEST_F(EscalationCliTest, SlaBreachesAsksOncePerTicketAndSurvivesTicketOutage) {
  EXPECT_CALL(*sla_stub_, ListBreaches(_, _, _))
      .WillOnce([](grpc::ClientContext*, const sla::v1::ListBreachesRequest&,
                   sla::v1::ListBreachesResponse* out) {
        for (const char* metric :
             {"METRIC_FIRST_RESPONSE", "METRIC_RESOLUTION"}) {
          *out->add_breaches() = Parse<sla::v1::Breach>(absl::StrCat(
              "event { ticket_id: 7 kind: SLA_EVENT_KIND_BREACHED metric: ",
              metric, " cycle: 1 team: 'care' occur_time { seconds: ",
              MinutesAgo(30), " } } state: CLOCK_STATE_RUNNING"));
        }
        return grpc::Status::OK;
      });
  EXPECT_CALL(*ticket_stub_, ListTicketEvents(_, _, _))
      .WillOnce(Return(grpc::Status(grpc::StatusCode::UNAVAILABLE, "down")));
  EXPECT_CALL(*sla_stub_, ListSlaEvents(_, _, _))
      .WillOnce(Return(grpc::Status::OK));
  EXPECT_CALL(*stub_, ExplainRouting(_, _, _))
      .WillOnce(Return(grpc::Status::OK));
  EXPECT_CALL(*stub_, ListEscalations(_, _, _))
      .WillOnce(Return(grpc::Status::OK));
  ASSERT_EQ(Run({"sla", "breaches"}), kExitOk) << err();
  EXPECT_THAT(out(), HasSubstr("\n#7 first_response, due "));
  EXPECT_THAT(out(), HasSubstr("\n#7 resolution, due "));
  EXPECT_THAT(out(), HasSubstr("  - held by no agent (team care) at the "
                               "deadline\n  - still open, 30m overdue\n"));
  EXPECT_THAT(out(), Not(HasSubstr("never assigned")));
  EXPECT_THAT(out(), HasSubstr("\nnote: the ticket service at "));
  EXPECT_THAT(out(), HasSubstr(" could not be asked: who held each ticket, "
                               "and for how long, is missing from the "
                               "causes\n"));
}

}  // namespace
}  // namespace cxdesk::clients::cli
