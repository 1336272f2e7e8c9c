#include "clients/lib/escalation_client.h"

#include <grpcpp/grpcpp.h>
#include <grpcpp/test/mock_stream.h>

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "clients/lib/testing/in_process_server.h"
#include "cxdesk/escalation/v1/escalation_service_mock.grpc.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace cxdesk::clients {
namespace {

namespace escpb = ::cxdesk::escalation::v1;
using ::testing::_;
using ::testing::DoAll;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Return;
using ::testing::SetArgPointee;

// ---------------------------------------------------------------------------
// Against a real in-process server: what actually goes over the wire.

// A fake escalation service that echoes what it received.
class FakeEscalationService final : public escpb::EscalationService::Service {
 public:
  // Team.display_name: the authorization header; default_calendar: the
  // access key header; etag: the deadline left in ms, or "none".
  grpc::Status GetTeam(grpc::ServerContext* context,
                       const escpb::GetTeamRequest* request,
                       escpb::Team* response) override {
    response->set_team_id(request->team_id());
    response->set_display_name(MetadataValue(*context, "authorization"));
    response->set_default_calendar(
        MetadataValue(*context, "x-cxdesk-access-key"));
    response->set_etag(DeadlineOf(*context));
    return grpc::Status::OK;
  }

  grpc::Status SetAgentAvailability(
      grpc::ServerContext* context,
      const escpb::SetAgentAvailabilityRequest* request,
      escpb::Agent* response) override {
    if (request->availability() == escpb::AVAILABILITY_UNSPECIFIED) {
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                          "availability: unspecified availability");
    }
    response->set_agent_id(request->agent_id().empty() ? "caller"
                                                       : request->agent_id());
    response->set_availability(request->availability());
    return grpc::Status::OK;
  }

  grpc::Status GetLadder(grpc::ServerContext* context,
                         const escpb::GetLadderRequest* request,
                         escpb::Ladder* response) override {
    return grpc::Status(
        grpc::StatusCode::NOT_FOUND,
        absl::StrCat("metric ", request->metric(), ": no ladder"));
  }

  // recipient "three": three notifications then OK; "fail": an error;
  // anything else: notifications until the client cancels. Each one's
  // title is the authorization header and its body the deadline.
  grpc::Status WatchNotifications(
      grpc::ServerContext* context,
      const escpb::WatchNotificationsRequest* request,
      grpc::ServerWriter<escpb::Notification>* writer) override {
    if (request->recipient() == "fail") {
      return grpc::Status(grpc::StatusCode::PERMISSION_DENIED,
                          "recipient: managers only");
    }
    const int limit = request->recipient() == "three" ? 3 : 1000000;
    for (int i = 1; i <= limit && !context->IsCancelled(); ++i) {
      escpb::Notification n;
      n.set_notification_id(i);
      n.set_cursor(absl::StrCat("0-", i));
      n.set_title(MetadataValue(*context, "authorization"));
      n.set_body(DeadlineOf(*context));
      if (!writer->Write(n)) break;
      absl::SleepFor(absl::Milliseconds(1));
    }
    if (context->IsCancelled()) saw_cancel_ = true;
    return grpc::Status::OK;
  }

  std::atomic<bool> saw_cancel_{false};
};

using EscalationClientServerTest = InProcessServerTest<FakeEscalationService>;

TEST_F(EscalationClientServerTest, SendsTheTokenAndADeadline) {
  auto client =
      EscalationClient::Connect(target_, {"tok123", ""}, absl::Seconds(7));
  escpb::GetTeamRequest request;
  request.set_team_id("care");
  absl::StatusOr<escpb::Team> team = client->GetTeam(request);
  ASSERT_TRUE(team.ok()) << team.status();
  EXPECT_EQ(team->team_id(), "care");
  EXPECT_EQ(team->display_name(), "Bearer tok123");
  EXPECT_EQ(team->default_calendar(), "<none>");
  int64_t left_ms = 0;
  ASSERT_TRUE(absl::SimpleAtoi(team->etag(), &left_ms)) << team->etag();
  // gRPC rounds the timeout up to a coarse unit.
  EXPECT_GT(left_ms, 5000);
  EXPECT_LE(left_ms, 7500);
}

TEST_F(EscalationClientServerTest, DefaultsAndCredentialChanges) {
  auto client = EscalationClient::Connect(target_, {});
  EXPECT_EQ(client->timeout(), absl::Seconds(10));
  absl::StatusOr<escpb::Team> team = client->GetTeam(escpb::GetTeamRequest());
  ASSERT_TRUE(team.ok()) << team.status();
  EXPECT_EQ(team->display_name(), "<none>");
  client->set_credentials({"new", ""});
  EXPECT_EQ(client->credentials().bearer_token, "new");
  team = client->GetTeam(escpb::GetTeamRequest());
  ASSERT_TRUE(team.ok()) << team.status();
  EXPECT_EQ(team->display_name(), "Bearer new");
}

TEST_F(EscalationClientServerTest, RequestFieldsReachTheServer) {
  auto client = EscalationClient::Connect(target_, {"t", ""});
  escpb::SetAgentAvailabilityRequest request;
  request.set_availability(escpb::AVAILABILITY_AWAY);
  absl::StatusOr<escpb::Agent> agent = client->SetAgentAvailability(request);
  ASSERT_TRUE(agent.ok()) << agent.status();
  EXPECT_EQ(agent->agent_id(), "caller");
  EXPECT_EQ(agent->availability(), escpb::AVAILABILITY_AWAY);
}

TEST_F(EscalationClientServerTest, ServerErrorsKeepCodeAndMessage) {
  auto client = EscalationClient::Connect(target_, {"t", ""});
  absl::StatusOr<escpb::Agent> agent =
      client->SetAgentAvailability(escpb::SetAgentAvailabilityRequest());
  EXPECT_EQ(agent.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(agent.status().message(), "availability: unspecified availability");
  escpb::GetLadderRequest get;
  get.set_metric(sla::v1::METRIC_RESOLUTION);
  absl::StatusOr<escpb::Ladder> ladder = client->GetLadder(get);
  EXPECT_EQ(ladder.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(ladder.status().message(), "metric 4: no ladder");
}

TEST_F(EscalationClientServerTest, UnimplementedMethodIsUnimplemented) {
  auto client = EscalationClient::Connect(target_, {});
  EXPECT_EQ(client->ListTeams(escpb::ListTeamsRequest()).status().code(),
            absl::StatusCode::kUnimplemented);
  EXPECT_EQ(client->DeleteLadder(escpb::DeleteLadderRequest()).code(),
            absl::StatusCode::kUnimplemented);
}

TEST_F(EscalationClientServerTest, WatchStopsWhenCallbackSaysSoAndCancels) {
  auto client = EscalationClient::Connect(target_, {"tok", ""});
  std::vector<int64_t> ids;
  std::string auth, deadline;
  absl::Status status = client->WatchNotifications(
      escpb::WatchNotificationsRequest(), [&](const escpb::Notification& n) {
        ids.push_back(n.notification_id());
        auth = n.title();
        deadline = n.body();
        return ids.size() < 3;
      });
  EXPECT_TRUE(status.ok()) << status;
  EXPECT_EQ(ids, (std::vector<int64_t>{1, 2, 3}));
  EXPECT_EQ(auth, "Bearer tok");
  EXPECT_EQ(deadline, "none");
  for (int i = 0; i < 500 && !service_.saw_cancel_; ++i) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  EXPECT_TRUE(service_.saw_cancel_);
}

TEST_F(EscalationClientServerTest, WatchReturnsOkWhenStreamEnds) {
  auto client = EscalationClient::Connect(target_, {"tok", ""});
  escpb::WatchNotificationsRequest request;
  request.set_recipient("three");
  int seen = 0;
  absl::Status status = client->WatchNotifications(
      request, [&](const escpb::Notification&) { return ++seen < 100; });
  EXPECT_TRUE(status.ok()) << status;
  EXPECT_EQ(seen, 3);
}

TEST_F(EscalationClientServerTest, WatchReturnsStreamError) {
  auto client = EscalationClient::Connect(target_, {"tok", ""});
  escpb::WatchNotificationsRequest request;
  request.set_recipient("fail");
  absl::Status status = client->WatchNotifications(
      request, [](const escpb::Notification&) { return true; });
  EXPECT_EQ(status.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(status.message(), "recipient: managers only");
}

TEST(EscalationClientConnectTest, NobodyListeningIsUnavailable) {
  auto client = EscalationClient::Connect("127.0.0.1:1", {}, absl::Seconds(5));
  EXPECT_EQ(client->GetTeam(escpb::GetTeamRequest()).status().code(),
            absl::StatusCode::kUnavailable);
}

// ---------------------------------------------------------------------------
// Against the gMock stub: every method reaches its RPC, requests pass as
// they are, codes keep their meaning.

class EscalationClientMockTest : public ::testing::Test {
 protected:
  std::shared_ptr<escpb::MockEscalationServiceStub> stub_ =
      std::make_shared<escpb::MockEscalationServiceStub>();
  EscalationClient client_{stub_, {"tok", ""}};
};

TEST_F(EscalationClientMockTest, EveryUnaryMethodReachesItsRpc) {
  const grpc::Status ok = grpc::Status::OK;
  EXPECT_CALL(*stub_, CreateTeam(_, _, _)).WillOnce(Return(ok));
  EXPECT_CALL(*stub_, GetTeam(_, _, _)).WillOnce(Return(ok));
  EXPECT_CALL(*stub_, ListTeams(_, _, _)).WillOnce(Return(ok));
  EXPECT_CALL(*stub_, UpdateTeam(_, _, _)).WillOnce(Return(ok));
  EXPECT_CALL(*stub_, DeleteTeam(_, _, _)).WillOnce(Return(ok));
  EXPECT_CALL(*stub_, CreateAgent(_, _, _)).WillOnce(Return(ok));
  EXPECT_CALL(*stub_, GetAgent(_, _, _)).WillOnce(Return(ok));
  EXPECT_CALL(*stub_, ListAgents(_, _, _)).WillOnce(Return(ok));
  EXPECT_CALL(*stub_, UpdateAgent(_, _, _)).WillOnce(Return(ok));
  EXPECT_CALL(*stub_, DeleteAgent(_, _, _)).WillOnce(Return(ok));
  EXPECT_CALL(*stub_, SetAgentAvailability(_, _, _)).WillOnce(Return(ok));
  EXPECT_CALL(*stub_, CreateRoutingRule(_, _, _)).WillOnce(Return(ok));
  EXPECT_CALL(*stub_, GetRoutingRule(_, _, _)).WillOnce(Return(ok));
  EXPECT_CALL(*stub_, ListRoutingRules(_, _, _)).WillOnce(Return(ok));
  EXPECT_CALL(*stub_, UpdateRoutingRule(_, _, _)).WillOnce(Return(ok));
  EXPECT_CALL(*stub_, DeleteRoutingRule(_, _, _)).WillOnce(Return(ok));
  EXPECT_CALL(*stub_, RouteTicket(_, _, _)).WillOnce(Return(ok));
  EXPECT_CALL(*stub_, ExplainRouting(_, _, _)).WillOnce(Return(ok));
  EXPECT_CALL(*stub_, ListTeamQueue(_, _, _)).WillOnce(Return(ok));
  EXPECT_CALL(*stub_, SetLadder(_, _, _)).WillOnce(Return(ok));
  EXPECT_CALL(*stub_, GetLadder(_, _, _)).WillOnce(Return(ok));
  EXPECT_CALL(*stub_, ListLadders(_, _, _)).WillOnce(Return(ok));
  EXPECT_CALL(*stub_, DeleteLadder(_, _, _)).WillOnce(Return(ok));
  EXPECT_CALL(*stub_, ListEscalations(_, _, _)).WillOnce(Return(ok));
  EXPECT_CALL(*stub_, AcknowledgeEscalation(_, _, _)).WillOnce(Return(ok));
  EXPECT_CALL(*stub_, ListNotifications(_, _, _)).WillOnce(Return(ok));
  EXPECT_CALL(*stub_, MarkNotificationsRead(_, _, _)).WillOnce(Return(ok));
  EXPECT_CALL(*stub_, ListWebhookDeliveries(_, _, _)).WillOnce(Return(ok));
  EXPECT_CALL(*stub_, GetEscalationFigures(_, _, _)).WillOnce(Return(ok));
  EXPECT_TRUE(client_.CreateTeam({}).ok());
  EXPECT_TRUE(client_.GetTeam({}).ok());
  EXPECT_TRUE(client_.ListTeams({}).ok());
  EXPECT_TRUE(client_.UpdateTeam({}).ok());
  EXPECT_TRUE(client_.DeleteTeam({}).ok());
  EXPECT_TRUE(client_.CreateAgent({}).ok());
  EXPECT_TRUE(client_.GetAgent({}).ok());
  EXPECT_TRUE(client_.ListAgents({}).ok());
  EXPECT_TRUE(client_.UpdateAgent({}).ok());
  EXPECT_TRUE(client_.DeleteAgent({}).ok());
  EXPECT_TRUE(client_.SetAgentAvailability({}).ok());
  EXPECT_TRUE(client_.CreateRoutingRule({}).ok());
  EXPECT_TRUE(client_.GetRoutingRule({}).ok());
  EXPECT_TRUE(client_.ListRoutingRules({}).ok());
  EXPECT_TRUE(client_.UpdateRoutingRule({}).ok());
  EXPECT_TRUE(client_.DeleteRoutingRule({}).ok());
  EXPECT_TRUE(client_.RouteTicket({}).ok());
  EXPECT_TRUE(client_.ExplainRouting({}).ok());
  EXPECT_TRUE(client_.ListTeamQueue({}).ok());
  EXPECT_TRUE(client_.SetLadder({}).ok());
  EXPECT_TRUE(client_.GetLadder({}).ok());
  EXPECT_TRUE(client_.ListLadders({}).ok());
  EXPECT_TRUE(client_.DeleteLadder({}).ok());
  EXPECT_TRUE(client_.ListEscalations({}).ok());
  EXPECT_TRUE(client_.AcknowledgeEscalation({}).ok());
  EXPECT_TRUE(client_.ListNotifications({}).ok());
  EXPECT_TRUE(client_.MarkNotificationsRead({}).ok());
  EXPECT_TRUE(client_.ListWebhookDeliveries({}).ok());
  EXPECT_TRUE(client_.GetEscalationFigures({}).ok());
}

TEST_F(EscalationClientMockTest, CodesKeepTheirMeaning) {
  EXPECT_CALL(*stub_, CreateTeam(_, _, _))
      .WillOnce(Return(
          grpc::Status(grpc::StatusCode::ALREADY_EXISTS, "care: taken")));
  EXPECT_CALL(*stub_, UpdateAgent(_, _, _))
      .WillOnce(Return(grpc::Status(grpc::StatusCode::ABORTED, "etag: stale")));
  EXPECT_CALL(*stub_, DeleteTeam(_, _, _))
      .WillOnce(Return(grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                                    "care: the default team")));
  EXPECT_CALL(*stub_, CreateRoutingRule(_, _, _))
      .WillOnce(
          Return(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                              "rule.conditions.kinds[1]: unknown kind 7")));
  EXPECT_CALL(*stub_, GetEscalationFigures(_, _, _))
      .WillOnce(Return(
          grpc::Status(grpc::StatusCode::PERMISSION_DENIED, "managers only")));
  EXPECT_CALL(*stub_, ListNotifications(_, _, _))
      .WillOnce(Return(
          grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "token: expired")));
  absl::StatusOr<escpb::Team> team = client_.CreateTeam({});
  EXPECT_EQ(team.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(team.status().message(), "care: taken");
  EXPECT_EQ(client_.UpdateAgent({}).status().code(),
            absl::StatusCode::kAborted);
  EXPECT_EQ(client_.DeleteTeam({}).code(),
            absl::StatusCode::kFailedPrecondition);
  absl::StatusOr<escpb::RoutingRule> rule = client_.CreateRoutingRule({});
  EXPECT_EQ(rule.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(rule.status().message(),
            "rule.conditions.kinds[1]: unknown kind 7");
  EXPECT_EQ(client_.GetEscalationFigures({}).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(client_.ListNotifications({}).status().code(),
            absl::StatusCode::kUnauthenticated);
}

TEST_F(EscalationClientMockTest, PassesRequestAndReturnsResponse) {
  EXPECT_CALL(*stub_, ListEscalations(_, _, _))
      .WillOnce([](grpc::ClientContext*, const escpb::ListEscalationsRequest& r,
                   escpb::ListEscalationsResponse* out) {
        EXPECT_EQ(r.ticket_id(), 7);
        EXPECT_EQ(r.team_id(), "care");
        EXPECT_TRUE(r.has_acknowledged());
        EXPECT_FALSE(r.acknowledged());
        EXPECT_EQ(r.page_token(), "P2");
        out->add_escalations()->set_escalation_id(70);
        out->set_next_page_token("P3");
        return grpc::Status::OK;
      });
  EXPECT_CALL(*stub_, MarkNotificationsRead(_, _, _))
      .WillOnce([](grpc::ClientContext*,
                   const escpb::MarkNotificationsReadRequest& r,
                   escpb::MarkNotificationsReadResponse* out) {
        EXPECT_THAT(r.notification_ids(), ElementsAre(4, 5));
        EXPECT_FALSE(r.all());
        out->set_marked(2);
        return grpc::Status::OK;
      });
  escpb::ListEscalationsRequest request;
  request.set_ticket_id(7);
  request.set_team_id("care");
  request.set_acknowledged(false);
  request.set_page_token("P2");
  absl::StatusOr<escpb::ListEscalationsResponse> page =
      client_.ListEscalations(request);
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->escalations_size(), 1);
  EXPECT_EQ(page->escalations(0).escalation_id(), 70);
  EXPECT_EQ(page->next_page_token(), "P3");
  escpb::MarkNotificationsReadRequest mark;
  mark.add_notification_ids(4);
  mark.add_notification_ids(5);
  absl::StatusOr<escpb::MarkNotificationsReadResponse> marked =
      client_.MarkNotificationsRead(mark);
  ASSERT_TRUE(marked.ok()) << marked.status();
  EXPECT_EQ(marked->marked(), 2);
}

TEST_F(EscalationClientMockTest, WatchDeliversThenStreamStatus) {
  auto* reader = new grpc::testing::MockClientReader<escpb::Notification>();
  escpb::Notification first, second;
  first.set_notification_id(1);
  second.set_notification_id(2);
  EXPECT_CALL(*reader, Read(_))
      .WillOnce(DoAll(SetArgPointee<0>(first), Return(true)))
      .WillOnce(DoAll(SetArgPointee<0>(second), Return(true)))
      .WillOnce(Return(false));
  EXPECT_CALL(*reader, Finish())
      .WillOnce(Return(grpc::Status(grpc::StatusCode::UNAVAILABLE, "gone")));
  EXPECT_CALL(*stub_, WatchNotificationsRaw(_, _))
      .WillOnce([reader](grpc::ClientContext*,
                         const escpb::WatchNotificationsRequest& r) {
        EXPECT_EQ(r.recipient(), "ann");
        EXPECT_EQ(r.after_cursor(), "0-9");
        return reader;
      });
  escpb::WatchNotificationsRequest request;
  request.set_recipient("ann");
  request.set_after_cursor("0-9");
  std::vector<int64_t> ids;
  absl::Status status =
      client_.WatchNotifications(request, [&](const escpb::Notification& n) {
        ids.push_back(n.notification_id());
        return true;
      });
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(status.message(), "gone");
  EXPECT_EQ(ids, (std::vector<int64_t>{1, 2}));
}

TEST_F(EscalationClientMockTest, WatchStoppedByCallbackIsOkDespiteCancel) {
  auto* reader = new grpc::testing::MockClientReader<escpb::Notification>();
  EXPECT_CALL(*reader, Read(_)).WillOnce(Return(true)).WillOnce(Return(false));
  EXPECT_CALL(*reader, Finish())
      .WillOnce(Return(grpc::Status(grpc::StatusCode::CANCELLED, "")));
  EXPECT_CALL(*stub_, WatchNotificationsRaw(_, _)).WillOnce(Return(reader));
  absl::Status status = client_.WatchNotifications(
      {}, [](const escpb::Notification&) { return false; });
  EXPECT_TRUE(status.ok()) << status;
}

// ---------------------------------------------------------------------------
// DescribeEscalationError: names the escalation service and its flag.

TEST(DescribeEscalationErrorTest, NamesTheEscalationService) {
  EXPECT_EQ(
      DescribeEscalationError(absl::UnavailableError(""), "127.0.0.1:7103"),
      "cannot reach the escalation service at 127.0.0.1:7103: is it running? "
      "(pass --escalation-target or set CXDESK_ESCALATION_TARGET if it "
      "listens elsewhere)");
  EXPECT_THAT(DescribeEscalationError(absl::UnavailableError("refused"), "h"),
              HasSubstr("detail: refused"));
  EXPECT_THAT(
      DescribeEscalationError(absl::DeadlineExceededError("late"), "h:1"),
      HasSubstr("the escalation service at h:1 did not answer in time"));
  EXPECT_THAT(DescribeEscalationError(absl::InternalError("boom"), "h:1"),
              HasSubstr("the escalation service at h:1 failed (INTERNAL: "
                        "boom)"));
  EXPECT_THAT(
      DescribeEscalationError(absl::PermissionDeniedError("managers"), "t"),
      HasSubstr("not allowed for your role: managers"));
}

TEST(DescribeEscalationErrorTest, GenericWordsAreShared) {
  EXPECT_EQ(DescribeEscalationError(absl::AbortedError("etag: stale"), "t"),
            "someone else changed it first: etag: stale; reload and retry");
  EXPECT_EQ(DescribeEscalationError(absl::InvalidArgumentError("x: bad"), "t"),
            "invalid input: x: bad");
  EXPECT_EQ(DescribeEscalationError(absl::OkStatus(), "t"), "ok");
}

}  // namespace
}  // namespace cxdesk::clients
