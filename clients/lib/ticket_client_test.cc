#include "clients/lib/ticket_client.h"

#include <grpcpp/grpcpp.h>
#include <grpcpp/health_check_service_interface.h>
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
#include "cxdesk/ticket/v1/ticket_service_mock.grpc.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace cxdesk::clients {
namespace {

namespace ticketpb = ::cxdesk::ticket::v1;
using ::testing::_;
using ::testing::DoAll;
using ::testing::HasSubstr;
using ::testing::Return;
using ::testing::SetArgPointee;

// ---------------------------------------------------------------------------
// Against a real in-process server: what actually goes over the wire.

// Echoes what it received back in the response fields.
class EchoService final : public ticketpb::TicketService::Service {
 public:
  // Ticket.subject: the authorization header; access_key: the access key
  // header; Ticket.description: the deadline left in ms, or "none".
  grpc::Status CreateTicket(grpc::ServerContext* context,
                            const ticketpb::CreateTicketRequest* request,
                            ticketpb::CreateTicketResponse* response) override {
    response->mutable_ticket()->set_subject(
        MetadataValue(*context, "authorization"));
    response->mutable_ticket()->set_description(DeadlineOf(*context));
    response->set_access_key(MetadataValue(*context, "x-cxdesk-access-key"));
    response->mutable_ticket()->set_id(42);
    return grpc::Status::OK;
  }

  grpc::Status GetTicket(grpc::ServerContext* context,
                         const ticketpb::GetTicketRequest* request,
                         ticketpb::Ticket* response) override {
    return grpc::Status(grpc::StatusCode::PERMISSION_DENIED,
                        absl::StrCat("no access to ", request->ticket_id()));
  }

  // after_cursor "three": three events then OK; "fail": an error; anything
  // else: events until the client cancels. Each event's actor is the
  // authorization header and its reason the deadline.
  grpc::Status WatchTicketEvents(
      grpc::ServerContext* context,
      const ticketpb::WatchTicketEventsRequest* request,
      grpc::ServerWriter<ticketpb::TicketEvent>* writer) override {
    if (request->after_cursor() == "fail") {
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                          "after_cursor: malformed");
    }
    const int limit = request->after_cursor() == "three" ? 3 : 1000000;
    for (int i = 1; i <= limit && !context->IsCancelled(); ++i) {
      ticketpb::TicketEvent event;
      event.set_id(i);
      event.set_cursor(absl::StrCat("c", i));
      event.set_actor(MetadataValue(*context, "authorization"));
      event.set_reason(DeadlineOf(*context));
      if (!writer->Write(event)) break;
      absl::SleepFor(absl::Milliseconds(1));
    }
    if (context->IsCancelled()) saw_cancel_ = true;
    return grpc::Status::OK;
  }

  std::atomic<bool> saw_cancel_{false};
};

class TicketClientServerTest : public InProcessServerTest<EchoService> {
 protected:
  TicketClientServerTest()
      : InProcessServerTest(/*with_health_service=*/true) {}
};

TEST_F(TicketClientServerTest, SendsBothCredentialsAndADeadline) {
  auto client =
      TicketClient::Connect(target_, {"tok123", "key456"}, absl::Seconds(7));
  absl::StatusOr<ticketpb::CreateTicketResponse> response =
      client->CreateTicket(ticketpb::CreateTicketRequest());
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->ticket().subject(), "Bearer tok123");
  EXPECT_EQ(response->access_key(), "key456");
  int64_t left_ms = 0;
  ASSERT_TRUE(absl::SimpleAtoi(response->ticket().description(), &left_ms))
      << response->ticket().description();
  // gRPC sends the timeout rounded up to a coarse unit, so the server may see
  // a little more than was set.
  EXPECT_GT(left_ms, 5000);
  EXPECT_LE(left_ms, 7500);
}

TEST_F(TicketClientServerTest, SendsNoCredentialHeadersWhenEmpty) {
  auto client = TicketClient::Connect(target_, {}, absl::Seconds(10));
  absl::StatusOr<ticketpb::CreateTicketResponse> response =
      client->CreateTicket(ticketpb::CreateTicketRequest());
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->ticket().subject(), "<none>");
  EXPECT_EQ(response->access_key(), "<none>");
}

TEST_F(TicketClientServerTest, DefaultTimeoutIsTenSeconds) {
  auto client = TicketClient::Connect(target_, {});
  absl::StatusOr<ticketpb::CreateTicketResponse> response =
      client->CreateTicket(ticketpb::CreateTicketRequest());
  ASSERT_TRUE(response.ok()) << response.status();
  int64_t left_ms = 0;
  ASSERT_TRUE(absl::SimpleAtoi(response->ticket().description(), &left_ms));
  EXPECT_GT(left_ms, 8000);
  EXPECT_LE(left_ms, 10500);
}

TEST_F(TicketClientServerTest, SetCredentialsAppliesToLaterCalls) {
  auto client = TicketClient::Connect(target_, {"old", ""});
  client->set_credentials({"", "customer-key"});
  absl::StatusOr<ticketpb::CreateTicketResponse> response =
      client->CreateTicket(ticketpb::CreateTicketRequest());
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->ticket().subject(), "<none>");
  EXPECT_EQ(response->access_key(), "customer-key");
}

TEST_F(TicketClientServerTest, WithCredentialsSendsItsOwnAndLeavesTheOriginal) {
  auto client = TicketClient::Connect(target_, {"staff", ""}, absl::Seconds(3));
  TicketClient customer = client->WithCredentials({"", "key-a"});
  EXPECT_EQ(customer.timeout(), absl::Seconds(3));
  absl::StatusOr<ticketpb::CreateTicketResponse> as_customer =
      customer.CreateTicket(ticketpb::CreateTicketRequest());
  ASSERT_TRUE(as_customer.ok()) << as_customer.status();
  EXPECT_EQ(as_customer->ticket().subject(), "<none>");
  EXPECT_EQ(as_customer->access_key(), "key-a");
  int64_t left_ms = 0;
  ASSERT_TRUE(absl::SimpleAtoi(as_customer->ticket().description(), &left_ms));
  EXPECT_GT(left_ms, 1000);
  EXPECT_LE(left_ms, 3500);

  absl::StatusOr<ticketpb::CreateTicketResponse> as_staff =
      client->CreateTicket(ticketpb::CreateTicketRequest());
  ASSERT_TRUE(as_staff.ok()) << as_staff.status();
  EXPECT_EQ(as_staff->ticket().subject(), "Bearer staff");
  EXPECT_EQ(as_staff->access_key(), "<none>");
  EXPECT_EQ(client->credentials().bearer_token, "staff");
}

TEST_F(TicketClientServerTest, ViewsOfOneClientKeepTheirCredentialsApart) {
  auto client = TicketClient::Connect(target_, {});
  TicketClient first = client->WithCredentials({"", "key-1"});
  TicketClient second = client->WithCredentials({"", "key-2"});
  absl::StatusOr<ticketpb::CreateTicketResponse> one =
      first.CreateTicket(ticketpb::CreateTicketRequest());
  absl::StatusOr<ticketpb::CreateTicketResponse> two =
      second.CreateTicket(ticketpb::CreateTicketRequest());
  ASSERT_TRUE(one.ok()) << one.status();
  ASSERT_TRUE(two.ok()) << two.status();
  EXPECT_EQ(one->access_key(), "key-1");
  EXPECT_EQ(two->access_key(), "key-2");
}

TEST_F(TicketClientServerTest, ServerErrorKeepsCodeAndMessage) {
  auto client = TicketClient::Connect(target_, {"t", ""});
  ticketpb::GetTicketRequest request;
  request.set_ticket_id(9);
  absl::StatusOr<ticketpb::Ticket> ticket = client->GetTicket(request);
  EXPECT_EQ(ticket.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(ticket.status().message(), "no access to 9");
}

TEST_F(TicketClientServerTest, UnimplementedMethodIsUnimplemented) {
  auto client = TicketClient::Connect(target_, {});
  EXPECT_EQ(client->ListTickets(ticketpb::ListTicketsRequest()).status().code(),
            absl::StatusCode::kUnimplemented);
}

TEST_F(TicketClientServerTest, WatchStopsWhenCallbackSaysSoAndCancels) {
  auto client = TicketClient::Connect(target_, {"tok", ""});
  std::vector<int64_t> ids;
  std::string actor, deadline;
  absl::Status status =
      client->WatchTicketEvents(ticketpb::WatchTicketEventsRequest(),
                                [&](const ticketpb::TicketEvent& event) {
                                  ids.push_back(event.id());
                                  actor = event.actor();
                                  deadline = event.reason();
                                  return ids.size() < 3;
                                });
  EXPECT_TRUE(status.ok()) << status;
  EXPECT_EQ(ids, (std::vector<int64_t>{1, 2, 3}));
  EXPECT_EQ(actor, "Bearer tok");
  EXPECT_EQ(deadline, "none");
  // The server notices the cancellation (it would stream a million events
  // otherwise); give it a moment to get there.
  for (int i = 0; i < 500 && !service_.saw_cancel_; ++i) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  EXPECT_TRUE(service_.saw_cancel_);
}

TEST_F(TicketClientServerTest, WatchReturnsOkWhenStreamEnds) {
  auto client = TicketClient::Connect(target_, {"tok", ""});
  ticketpb::WatchTicketEventsRequest request;
  request.set_after_cursor("three");
  int seen = 0;
  absl::Status status = client->WatchTicketEvents(
      request, [&](const ticketpb::TicketEvent&) { return ++seen < 100; });
  EXPECT_TRUE(status.ok()) << status;
  EXPECT_EQ(seen, 3);
}

TEST_F(TicketClientServerTest, WatchReturnsStreamError) {
  auto client = TicketClient::Connect(target_, {"tok", ""});
  ticketpb::WatchTicketEventsRequest request;
  request.set_after_cursor("fail");
  absl::Status status = client->WatchTicketEvents(
      request, [](const ticketpb::TicketEvent&) { return true; });
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "after_cursor: malformed");
}

TEST_F(TicketClientServerTest, HealthServingIsOk) {
  EXPECT_TRUE(CheckHealth(target_, absl::Seconds(5)).ok());
}

TEST_F(TicketClientServerTest, HealthNotServingIsUnavailable) {
  server_->GetHealthCheckService()->SetServingStatus(false);
  absl::Status status = CheckHealth(target_, absl::Seconds(5));
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(status.message(), HasSubstr("NOT_SERVING"));
}

TEST(CheckHealthTest, NobodyListeningIsUnavailable) {
  // Port 1 (tcpmux) is privileged and not served here: connection refused.
  absl::Status status = CheckHealth("127.0.0.1:1", absl::Seconds(5));
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable) << status;
}

TEST(TicketClientConnectTest, NobodyListeningIsUnavailable) {
  auto client = TicketClient::Connect("127.0.0.1:1", {}, absl::Seconds(5));
  EXPECT_EQ(client->GetTicket(ticketpb::GetTicketRequest()).status().code(),
            absl::StatusCode::kUnavailable);
}

// ---------------------------------------------------------------------------
// Against the gMock stub: status propagation and request passing.

class TicketClientMockTest : public ::testing::Test {
 protected:
  std::shared_ptr<ticketpb::MockTicketServiceStub> stub_ =
      std::make_shared<ticketpb::MockTicketServiceStub>();
  TicketClient client_{stub_, {"tok", ""}};
};

TEST_F(TicketClientMockTest, GrpcErrorBecomesTheSameAbslError) {
  EXPECT_CALL(*stub_, GetTicket(_, _, _))
      .WillOnce(Return(grpc::Status(grpc::StatusCode::NOT_FOUND, "x")));
  absl::StatusOr<ticketpb::Ticket> ticket =
      client_.GetTicket(ticketpb::GetTicketRequest());
  EXPECT_EQ(ticket.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(ticket.status().message(), "x");
}

TEST_F(TicketClientMockTest, EveryCodeKeepsItsMeaning) {
  EXPECT_CALL(*stub_, UpdateTicket(_, _, _))
      .WillOnce(Return(grpc::Status(grpc::StatusCode::ABORTED, "etag: stale")));
  EXPECT_CALL(*stub_, ChangeTicketStatus(_, _, _))
      .WillOnce(Return(
          grpc::Status(grpc::StatusCode::FAILED_PRECONDITION, "closed")));
  EXPECT_CALL(*stub_, RateTicket(_, _, _))
      .WillOnce(Return(
          grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "token: expired")));
  EXPECT_EQ(client_.UpdateTicket({}).status().code(),
            absl::StatusCode::kAborted);
  EXPECT_EQ(client_.ChangeTicketStatus({}).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(client_.RateTicket({}).status().code(),
            absl::StatusCode::kUnauthenticated);
}

TEST_F(TicketClientMockTest, PassesRequestAndReturnsResponse) {
  ticketpb::Ticket ticket;
  ticket.set_id(7);
  ticket.set_status(ticketpb::STATUS_OPEN);
  EXPECT_CALL(*stub_, AssignTicket(_, _, _))
      .WillOnce([&](grpc::ClientContext*,
                    const ticketpb::AssignTicketRequest& r,
                    ticketpb::Ticket* out) {
        EXPECT_EQ(r.ticket_id(), 7);
        EXPECT_EQ(r.assignee(), "alice");
        *out = ticket;
        return grpc::Status::OK;
      });
  ticketpb::AssignTicketRequest request;
  request.set_ticket_id(7);
  request.set_assignee("alice");
  absl::StatusOr<ticketpb::Ticket> result = client_.AssignTicket(request);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->id(), 7);
  EXPECT_EQ(result->status(), ticketpb::STATUS_OPEN);
}

TEST_F(TicketClientMockTest, AllUnaryMethodsReachTheStub) {
  EXPECT_CALL(*stub_, CreateTicket(_, _, _)).WillOnce(Return(grpc::Status::OK));
  EXPECT_CALL(*stub_, ListTickets(_, _, _)).WillOnce(Return(grpc::Status::OK));
  EXPECT_CALL(*stub_, AddComment(_, _, _)).WillOnce(Return(grpc::Status::OK));
  EXPECT_CALL(*stub_, ListComments(_, _, _)).WillOnce(Return(grpc::Status::OK));
  EXPECT_CALL(*stub_, GetTicketStatus(_, _, _))
      .WillOnce(Return(grpc::Status::OK));
  EXPECT_CALL(*stub_, ListTicketEvents(_, _, _))
      .WillOnce(Return(grpc::Status::OK));
  EXPECT_TRUE(client_.CreateTicket({}).ok());
  EXPECT_TRUE(client_.ListTickets({}).ok());
  EXPECT_TRUE(client_.AddComment({}).ok());
  EXPECT_TRUE(client_.ListComments({}).ok());
  EXPECT_TRUE(client_.GetTicketStatus({}).ok());
  EXPECT_TRUE(client_.ListTicketEvents({}).ok());
}

TEST_F(TicketClientMockTest, WatchDeliversEventsThenStreamStatus) {
  auto* reader = new grpc::testing::MockClientReader<ticketpb::TicketEvent>();
  ticketpb::TicketEvent first, second;
  first.set_id(1);
  second.set_id(2);
  EXPECT_CALL(*reader, Read(_))
      .WillOnce(DoAll(SetArgPointee<0>(first), Return(true)))
      .WillOnce(DoAll(SetArgPointee<0>(second), Return(true)))
      .WillOnce(Return(false));
  EXPECT_CALL(*reader, Finish())
      .WillOnce(Return(grpc::Status(grpc::StatusCode::UNAVAILABLE, "gone")));
  EXPECT_CALL(*stub_, WatchTicketEventsRaw(_, _)).WillOnce(Return(reader));
  std::vector<int64_t> ids;
  absl::Status status =
      client_.WatchTicketEvents({}, [&](const ticketpb::TicketEvent& e) {
        ids.push_back(e.id());
        return true;
      });
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(status.message(), "gone");
  EXPECT_EQ(ids, (std::vector<int64_t>{1, 2}));
}

TEST_F(TicketClientMockTest, WatchStoppedByCallbackIsOkDespiteCancel) {
  auto* reader = new grpc::testing::MockClientReader<ticketpb::TicketEvent>();
  EXPECT_CALL(*reader, Read(_)).WillOnce(Return(true)).WillOnce(Return(false));
  EXPECT_CALL(*reader, Finish())
      .WillOnce(Return(grpc::Status(grpc::StatusCode::CANCELLED, "")));
  EXPECT_CALL(*stub_, WatchTicketEventsRaw(_, _)).WillOnce(Return(reader));
  absl::Status status = client_.WatchTicketEvents(
      {}, [](const ticketpb::TicketEvent&) { return false; });
  EXPECT_TRUE(status.ok()) << status;
}

// ---------------------------------------------------------------------------
// DescribeError: plain words, and what to do.

TEST(DescribeErrorTest, Unavailable) {
  EXPECT_EQ(DescribeError(absl::UnavailableError(""), "127.0.0.1:7101"),
            "cannot reach the ticket service at 127.0.0.1:7101: is it "
            "running? (start it with ./deploy/up.sh)");
  EXPECT_THAT(
      DescribeError(absl::UnavailableError("connection refused"), "h:1"),
      HasSubstr("detail: connection refused"));
}

TEST(DescribeErrorTest, Unauthenticated) {
  EXPECT_EQ(DescribeError(absl::UnauthenticatedError("token: expired"), "t"),
            "not signed in or token rejected (token: expired); set "
            "CXDESK_TOKEN, e.g. export CXDESK_TOKEN=$(cxdesk token issue "
            "--role agent --subject alice)");
}

TEST(DescribeErrorTest, InputAndStateErrors) {
  EXPECT_EQ(DescribeError(absl::InvalidArgumentError("subject: empty"), "t"),
            "invalid input: subject: empty");
  EXPECT_EQ(DescribeError(absl::FailedPreconditionError("closed"), "t"),
            "not allowed now: closed");
  EXPECT_EQ(DescribeError(absl::AbortedError("etag: stale"), "t"),
            "someone else changed it first: etag: stale; reload and retry");
  EXPECT_THAT(DescribeError(absl::NotFoundError("ticket 5"), "t"),
              HasSubstr("not found: ticket 5"));
  EXPECT_THAT(DescribeError(absl::PermissionDeniedError("agents only"), "t"),
              HasSubstr("not allowed for your role: agents only"));
}

TEST(DescribeErrorTest, TimeoutsAndServerFaults) {
  EXPECT_THAT(DescribeError(absl::DeadlineExceededError("late"), "h:1"),
              HasSubstr("at h:1 did not answer in time"));
  EXPECT_THAT(DescribeError(absl::InternalError("boom"), "h:1"),
              HasSubstr("failed (INTERNAL: boom); see its log"));
  EXPECT_THAT(DescribeError(absl::UnimplementedError(""), "h:1"),
              HasSubstr("does not support this call"));
  EXPECT_EQ(DescribeError(absl::OkStatus(), "h:1"), "ok");
}

TEST(DescribeErrorTest, ARequestOverTheMessageLimitSaysBothSizes) {
  EXPECT_EQ(DescribeError(absl::ResourceExhaustedError(
                              "Received message larger than max (3145734 vs. "
                              "2097152)"),
                          "h:1"),
            "the request is 3145734 bytes, more than the 2097152 bytes the "
            "ticket service accepts in one request; send less (see "
            "docs/limits.md)");
  EXPECT_EQ(DescribeError(absl::ResourceExhaustedError("queue full"), "h:1"),
            "the ticket service is busy or a limit was hit (queue full); try "
            "again later");
}

}  // namespace
}  // namespace cxdesk::clients
