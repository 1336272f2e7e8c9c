#include "clients/lib/sla_client.h"

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
#include "cxdesk/sla/v1/sla_service_mock.grpc.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace cxdesk::clients {
namespace {

namespace slapb = ::cxdesk::sla::v1;
using ::testing::_;
using ::testing::DoAll;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Return;
using ::testing::SetArgPointee;

// ---------------------------------------------------------------------------
// Against a real in-process server: what actually goes over the wire.

// Echoes what it received back in the response fields.
class EchoSlaService final : public slapb::SlaService::Service {
 public:
  // Calendar.description: the authorization header; time_zone: the access
  // key header; etag: the deadline left in ms, or "none".
  grpc::Status GetCalendar(grpc::ServerContext* context,
                           const slapb::GetCalendarRequest* request,
                           slapb::Calendar* response) override {
    response->set_calendar_id(request->calendar_id());
    response->set_description(MetadataValue(*context, "authorization"));
    response->set_time_zone(MetadataValue(*context, "x-cxdesk-access-key"));
    response->set_etag(DeadlineOf(*context));
    return grpc::Status::OK;
  }

  grpc::Status GetTicketSla(grpc::ServerContext* context,
                            const slapb::GetTicketSlaRequest* request,
                            slapb::TicketSla* response) override {
    return grpc::Status(grpc::StatusCode::NOT_FOUND,
                        absl::StrCat("ticket ", request->ticket_id(),
                                     ": not seen by the SLA service"));
  }

  // after_cursor "three": three events then OK; "fail": an error; anything
  // else: events until the client cancels. Each event's actor is the
  // authorization header and its reason the deadline.
  grpc::Status WatchSlaEvents(
      grpc::ServerContext* context, const slapb::WatchSlaEventsRequest* request,
      grpc::ServerWriter<slapb::SlaEvent>* writer) override {
    if (request->after_cursor() == "fail") {
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                          "after_cursor: malformed");
    }
    const int limit = request->after_cursor() == "three" ? 3 : 1000000;
    for (int i = 1; i <= limit && !context->IsCancelled(); ++i) {
      slapb::SlaEvent event;
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

using SlaClientServerTest = InProcessServerTest<EchoSlaService>;

TEST_F(SlaClientServerTest, SendsTheTokenAndADeadline) {
  auto client = SlaClient::Connect(target_, {"tok123", ""}, absl::Seconds(7));
  slapb::GetCalendarRequest request;
  request.set_calendar_id("berlin");
  absl::StatusOr<slapb::Calendar> calendar = client->GetCalendar(request);
  ASSERT_TRUE(calendar.ok()) << calendar.status();
  EXPECT_EQ(calendar->calendar_id(), "berlin");
  EXPECT_EQ(calendar->description(), "Bearer tok123");
  EXPECT_EQ(calendar->time_zone(), "<none>");
  int64_t left_ms = 0;
  ASSERT_TRUE(absl::SimpleAtoi(calendar->etag(), &left_ms)) << calendar->etag();
  // gRPC sends the timeout rounded up to a coarse unit, so the server may see
  // a little more than was set.
  EXPECT_GT(left_ms, 5000);
  EXPECT_LE(left_ms, 7500);
}

TEST_F(SlaClientServerTest, SendsNoCredentialHeadersWhenEmptyAndDefaults) {
  auto client = SlaClient::Connect(target_, {});
  absl::StatusOr<slapb::Calendar> calendar =
      client->GetCalendar(slapb::GetCalendarRequest());
  ASSERT_TRUE(calendar.ok()) << calendar.status();
  EXPECT_EQ(calendar->description(), "<none>");
  EXPECT_EQ(calendar->time_zone(), "<none>");
  int64_t left_ms = 0;
  ASSERT_TRUE(absl::SimpleAtoi(calendar->etag(), &left_ms));
  EXPECT_GT(left_ms, 8000);
  EXPECT_LE(left_ms, 10500);
}

TEST_F(SlaClientServerTest, SetCredentialsAppliesToLaterCalls) {
  auto client = SlaClient::Connect(target_, {"old", ""});
  client->set_credentials({"new", "key"});
  EXPECT_EQ(client->credentials().bearer_token, "new");
  absl::StatusOr<slapb::Calendar> calendar =
      client->GetCalendar(slapb::GetCalendarRequest());
  ASSERT_TRUE(calendar.ok()) << calendar.status();
  EXPECT_EQ(calendar->description(), "Bearer new");
  EXPECT_EQ(calendar->time_zone(), "key");
}

TEST_F(SlaClientServerTest, ServerErrorKeepsCodeAndMessage) {
  auto client = SlaClient::Connect(target_, {"t", ""});
  slapb::GetTicketSlaRequest request;
  request.set_ticket_id(9);
  absl::StatusOr<slapb::TicketSla> sla = client->GetTicketSla(request);
  EXPECT_EQ(sla.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(sla.status().message(), "ticket 9: not seen by the SLA service");
}

TEST_F(SlaClientServerTest, UnimplementedMethodIsUnimplemented) {
  auto client = SlaClient::Connect(target_, {});
  EXPECT_EQ(client->ListPolicies(slapb::ListPoliciesRequest()).status().code(),
            absl::StatusCode::kUnimplemented);
  EXPECT_EQ(client->DeletePolicy(slapb::DeletePolicyRequest()).code(),
            absl::StatusCode::kUnimplemented);
}

TEST_F(SlaClientServerTest, WatchStopsWhenCallbackSaysSoAndCancels) {
  auto client = SlaClient::Connect(target_, {"tok", ""});
  std::vector<int64_t> ids;
  std::string actor, deadline;
  absl::Status status = client->WatchSlaEvents(
      slapb::WatchSlaEventsRequest(), [&](const slapb::SlaEvent& event) {
        ids.push_back(event.id());
        actor = event.actor();
        deadline = event.reason();
        return ids.size() < 3;
      });
  EXPECT_TRUE(status.ok()) << status;
  EXPECT_EQ(ids, (std::vector<int64_t>{1, 2, 3}));
  EXPECT_EQ(actor, "Bearer tok");
  EXPECT_EQ(deadline, "none");
  for (int i = 0; i < 500 && !service_.saw_cancel_; ++i) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  EXPECT_TRUE(service_.saw_cancel_);
}

TEST_F(SlaClientServerTest, WatchReturnsOkWhenStreamEnds) {
  auto client = SlaClient::Connect(target_, {"tok", ""});
  slapb::WatchSlaEventsRequest request;
  request.set_after_cursor("three");
  int seen = 0;
  absl::Status status = client->WatchSlaEvents(
      request, [&](const slapb::SlaEvent&) { return ++seen < 100; });
  EXPECT_TRUE(status.ok()) << status;
  EXPECT_EQ(seen, 3);
}

TEST_F(SlaClientServerTest, WatchReturnsStreamError) {
  auto client = SlaClient::Connect(target_, {"tok", ""});
  slapb::WatchSlaEventsRequest request;
  request.set_after_cursor("fail");
  absl::Status status = client->WatchSlaEvents(
      request, [](const slapb::SlaEvent&) { return true; });
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "after_cursor: malformed");
}

TEST(SlaClientConnectTest, NobodyListeningIsUnavailable) {
  auto client = SlaClient::Connect("127.0.0.1:1", {}, absl::Seconds(5));
  EXPECT_EQ(client->GetTicketSla(slapb::GetTicketSlaRequest()).status().code(),
            absl::StatusCode::kUnavailable);
}

// ---------------------------------------------------------------------------
// Against the gMock stub: status propagation and request passing.

class SlaClientMockTest : public ::testing::Test {
 protected:
  std::shared_ptr<slapb::MockSlaServiceStub> stub_ =
      std::make_shared<slapb::MockSlaServiceStub>();
  SlaClient client_{stub_, {"tok", ""}};
};

TEST_F(SlaClientMockTest, EveryCodeKeepsItsMeaning) {
  EXPECT_CALL(*stub_, CreateCalendar(_, _, _))
      .WillOnce(Return(
          grpc::Status(grpc::StatusCode::ALREADY_EXISTS, "berlin: taken")));
  EXPECT_CALL(*stub_, UpdateCalendar(_, _, _))
      .WillOnce(Return(grpc::Status(grpc::StatusCode::ABORTED, "etag: stale")));
  EXPECT_CALL(*stub_, DeleteCalendar(_, _, _))
      .WillOnce(Return(
          grpc::Status(grpc::StatusCode::FAILED_PRECONDITION, "in use")));
  EXPECT_CALL(*stub_, CreatePolicy(_, _, _))
      .WillOnce(Return(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                                    "targets[0].target: must be positive")));
  EXPECT_CALL(*stub_, GetSlaReport(_, _, _))
      .WillOnce(Return(
          grpc::Status(grpc::StatusCode::PERMISSION_DENIED, "managers only")));
  EXPECT_CALL(*stub_, GetSlaPromise(_, _, _))
      .WillOnce(Return(
          grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "token: expired")));
  absl::StatusOr<slapb::Calendar> created = client_.CreateCalendar({});
  EXPECT_EQ(created.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(created.status().message(), "berlin: taken");
  EXPECT_EQ(client_.UpdateCalendar({}).status().code(),
            absl::StatusCode::kAborted);
  EXPECT_EQ(client_.DeleteCalendar({}).code(),
            absl::StatusCode::kFailedPrecondition);
  absl::StatusOr<slapb::Policy> policy = client_.CreatePolicy({});
  EXPECT_EQ(policy.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(policy.status().message(), "targets[0].target: must be positive");
  EXPECT_EQ(client_.GetSlaReport({}).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(client_.GetSlaPromise({}).status().code(),
            absl::StatusCode::kUnauthenticated);
}

TEST_F(SlaClientMockTest, PassesRequestAndReturnsResponse) {
  EXPECT_CALL(*stub_, ListSlaEvents(_, _, _))
      .WillOnce([](grpc::ClientContext*, const slapb::ListSlaEventsRequest& r,
                   slapb::ListSlaEventsResponse* out) {
        EXPECT_EQ(r.ticket_id(), 7);
        EXPECT_THAT(r.kinds(), ElementsAre(slapb::SLA_EVENT_KIND_BREACHED));
        EXPECT_EQ(r.metric(), slapb::METRIC_RESOLUTION);
        EXPECT_EQ(r.page_token(), "P2");
        out->add_events()->set_id(70);
        out->set_next_page_token("P3");
        return grpc::Status::OK;
      });
  slapb::ListSlaEventsRequest request;
  request.set_ticket_id(7);
  request.add_kinds(slapb::SLA_EVENT_KIND_BREACHED);
  request.set_metric(slapb::METRIC_RESOLUTION);
  request.set_page_token("P2");
  absl::StatusOr<slapb::ListSlaEventsResponse> page =
      client_.ListSlaEvents(request);
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->events_size(), 1);
  EXPECT_EQ(page->events(0).id(), 70);
  EXPECT_EQ(page->next_page_token(), "P3");
}

TEST_F(SlaClientMockTest, UpdateCarriesTheEtag) {
  EXPECT_CALL(*stub_, UpdatePolicy(_, _, _))
      .WillOnce([](grpc::ClientContext*, const slapb::UpdatePolicyRequest& r,
                   slapb::Policy* out) {
        EXPECT_EQ(r.policy().policy_id(), "vip");
        EXPECT_EQ(r.etag(), "E1");
        *out = r.policy();
        out->set_etag("E2");
        return grpc::Status::OK;
      });
  slapb::UpdatePolicyRequest request;
  request.mutable_policy()->set_policy_id("vip");
  request.set_etag("E1");
  absl::StatusOr<slapb::Policy> policy = client_.UpdatePolicy(request);
  ASSERT_TRUE(policy.ok()) << policy.status();
  EXPECT_EQ(policy->etag(), "E2");
}

TEST_F(SlaClientMockTest, AllUnaryMethodsReachTheStub) {
  EXPECT_CALL(*stub_, GetCalendar(_, _, _)).WillOnce(Return(grpc::Status::OK));
  EXPECT_CALL(*stub_, ListCalendars(_, _, _))
      .WillOnce(Return(grpc::Status::OK));
  EXPECT_CALL(*stub_, GetPolicy(_, _, _)).WillOnce(Return(grpc::Status::OK));
  EXPECT_CALL(*stub_, ListPolicies(_, _, _)).WillOnce(Return(grpc::Status::OK));
  EXPECT_CALL(*stub_, DeletePolicy(_, _, _)).WillOnce(Return(grpc::Status::OK));
  EXPECT_CALL(*stub_, GetTicketSla(_, _, _)).WillOnce(Return(grpc::Status::OK));
  EXPECT_CALL(*stub_, ListBreaches(_, _, _)).WillOnce(Return(grpc::Status::OK));
  EXPECT_CALL(*stub_, SimulatePolicy(_, _, _))
      .WillOnce(Return(grpc::Status::OK));
  EXPECT_TRUE(client_.GetCalendar({}).ok());
  EXPECT_TRUE(client_.ListCalendars({}).ok());
  EXPECT_TRUE(client_.GetPolicy({}).ok());
  EXPECT_TRUE(client_.ListPolicies({}).ok());
  EXPECT_TRUE(client_.DeletePolicy({}).ok());
  EXPECT_TRUE(client_.GetTicketSla({}).ok());
  EXPECT_TRUE(client_.ListBreaches({}).ok());
  EXPECT_TRUE(client_.SimulatePolicy({}).ok());
}

TEST_F(SlaClientMockTest, WatchDeliversEventsThenStreamStatus) {
  auto* reader = new grpc::testing::MockClientReader<slapb::SlaEvent>();
  slapb::SlaEvent first, second;
  first.set_id(1);
  second.set_id(2);
  EXPECT_CALL(*reader, Read(_))
      .WillOnce(DoAll(SetArgPointee<0>(first), Return(true)))
      .WillOnce(DoAll(SetArgPointee<0>(second), Return(true)))
      .WillOnce(Return(false));
  EXPECT_CALL(*reader, Finish())
      .WillOnce(Return(grpc::Status(grpc::StatusCode::UNAVAILABLE, "gone")));
  EXPECT_CALL(*stub_, WatchSlaEventsRaw(_, _))
      .WillOnce([reader](grpc::ClientContext*,
                         const slapb::WatchSlaEventsRequest& r) {
        EXPECT_EQ(r.after_cursor(), "c9");
        return reader;
      });
  slapb::WatchSlaEventsRequest request;
  request.set_after_cursor("c9");
  std::vector<int64_t> ids;
  absl::Status status =
      client_.WatchSlaEvents(request, [&](const slapb::SlaEvent& e) {
        ids.push_back(e.id());
        return true;
      });
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(status.message(), "gone");
  EXPECT_EQ(ids, (std::vector<int64_t>{1, 2}));
}

TEST_F(SlaClientMockTest, WatchStoppedByCallbackIsOkDespiteCancel) {
  auto* reader = new grpc::testing::MockClientReader<slapb::SlaEvent>();
  EXPECT_CALL(*reader, Read(_)).WillOnce(Return(true)).WillOnce(Return(false));
  EXPECT_CALL(*reader, Finish())
      .WillOnce(Return(grpc::Status(grpc::StatusCode::CANCELLED, "")));
  EXPECT_CALL(*stub_, WatchSlaEventsRaw(_, _)).WillOnce(Return(reader));
  absl::Status status =
      client_.WatchSlaEvents({}, [](const slapb::SlaEvent&) { return false; });
  EXPECT_TRUE(status.ok()) << status;
}

// ---------------------------------------------------------------------------
// DescribeSlaError: names the SLA service where the ticket words would not
// fit.

TEST(DescribeSlaErrorTest, NamesTheSlaService) {
  EXPECT_EQ(DescribeSlaError(absl::UnavailableError(""), "127.0.0.1:7102"),
            "cannot reach the SLA service at 127.0.0.1:7102: is it running? "
            "(pass --sla-target or set CXDESK_SLA_TARGET if it listens "
            "elsewhere)");
  EXPECT_THAT(DescribeSlaError(absl::UnavailableError("refused"), "h:1"),
              HasSubstr("detail: refused"));
  EXPECT_THAT(DescribeSlaError(absl::DeadlineExceededError("late"), "h:1"),
              HasSubstr("the SLA service at h:1 did not answer in time"));
  EXPECT_THAT(DescribeSlaError(absl::InternalError("boom"), "h:1"),
              HasSubstr("the SLA service at h:1 failed (INTERNAL: boom)"));
  EXPECT_THAT(DescribeSlaError(absl::PermissionDeniedError("managers"), "t"),
              HasSubstr("not allowed for your role: managers"));
}

TEST(DescribeSlaErrorTest, GenericWordsAreShared) {
  EXPECT_EQ(DescribeSlaError(absl::AbortedError("etag: stale"), "t"),
            "someone else changed it first: etag: stale; reload and retry");
  EXPECT_EQ(DescribeSlaError(absl::InvalidArgumentError("x: bad"), "t"),
            "invalid input: x: bad");
  EXPECT_EQ(DescribeSlaError(absl::OkStatus(), "t"), "ok");
}

}  // namespace
}  // namespace cxdesk::clients
