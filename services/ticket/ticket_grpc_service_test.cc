#include "services/ticket/ticket_grpc_service.h"

#include <grpcpp/server.h>
#include <grpcpp/server_builder.h>
#include <grpcpp/support/channel_arguments.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "services/common/grpc_status.h"
#include "services/common/request_limits.h"
#include "services/common/testing/fake_clock.h"
#include "services/common/token.h"
#include "services/ticket/testing/fake_ticket_store.h"
#include "services/ticket/ticket_proto.h"
#include "services/ticket/ticket_rules.h"

namespace cxdesk::ticket {
namespace {

// The adapter casts between proto and domain enums: their numbering must
// stay aligned, value for value.
TEST(EnumAlignmentTest, ProtoAndDomainNamesMatch) {
  for (int i = 1; i <= 6; ++i) {
    std::string proto = v1::Status_Name(static_cast<v1::Status>(i));
    std::string domain(Name(static_cast<Status>(i)));
    EXPECT_EQ(proto, "STATUS_" + absl::AsciiStrToUpper(domain));
  }
  for (int i = 1; i <= 4; ++i) {
    EXPECT_EQ(
        v1::Priority_Name(static_cast<v1::Priority>(i)),
        "PRIORITY_" + absl::AsciiStrToUpper(Name(static_cast<Priority>(i))));
    EXPECT_EQ(v1::Kind_Name(static_cast<v1::Kind>(i)),
              "KIND_" + absl::AsciiStrToUpper(Name(static_cast<Kind>(i))));
    EXPECT_EQ(v1::Role_Name(static_cast<v1::Role>(i)),
              "ROLE_" + absl::AsciiStrToUpper(Name(static_cast<ActorRole>(i))));
  }
  for (int i = 1; i <= 5; ++i) {
    EXPECT_EQ(
        v1::CxLevel_Name(static_cast<v1::CxLevel>(i)),
        "CX_LEVEL_" + absl::AsciiStrToUpper(Name(static_cast<CxLevel>(i))));
  }
  for (int i = 1; i <= 6; ++i) {
    EXPECT_EQ(
        v1::Channel_Name(static_cast<v1::Channel>(i)),
        "CHANNEL_" + absl::AsciiStrToUpper(Name(static_cast<Channel>(i))));
    EXPECT_EQ(
        v1::EventType_Name(static_cast<v1::EventType>(i)),
        "EVENT_TYPE_" + absl::AsciiStrToUpper(Name(static_cast<EventType>(i))));
  }
  for (int i = 1; i <= 2; ++i) {
    EXPECT_EQ(v1::Visibility_Name(static_cast<v1::Visibility>(i)),
              "VISIBILITY_" +
                  absl::AsciiStrToUpper(Name(static_cast<Visibility>(i))));
  }
}

// The limits the protos declare (enforced before a handler runs) are the
// ones the rules enforce: one of them changed alone would be a lie in the
// docs or a refusal the rules do not explain.
TEST(DeclaredLimitsTest, ProtoLimitsEqualTheRules) {
  const auto rule = [](const google::protobuf::Descriptor* type,
                       const char* field) {
    return common::TextRuleOf(*type->FindFieldByName(field));
  };
  const auto* create = v1::CreateTicketRequest::descriptor();
  EXPECT_EQ(rule(create, "subject").max_chars, kMaxSubjectChars);
  EXPECT_EQ(rule(create, "description").max_bytes, kMaxBodyBytes);
  EXPECT_TRUE(rule(create, "description").multiline);
  EXPECT_EQ(rule(create, "customer_email").max_bytes, kMaxEmailBytes);
  EXPECT_EQ(rule(create, "customer_name").max_chars, kMaxNameChars);
  EXPECT_EQ(rule(create, "tags").max_bytes, kMaxTagChars);
  EXPECT_EQ(common::MaxItemsOf(*create->FindFieldByName("tags")), kMaxTags);
  EXPECT_EQ(rule(create, "request_id").max_bytes, kMaxRequestIdBytes);
  EXPECT_EQ(rule(v1::AddCommentRequest::descriptor(), "body").max_bytes,
            kMaxBodyBytes);
  EXPECT_EQ(rule(v1::RateTicketRequest::descriptor(), "comment").max_bytes,
            kMaxRatingCommentBytes);
  EXPECT_EQ(
      rule(v1::ChangeTicketStatusRequest::descriptor(), "reason").max_bytes,
      kMaxReasonBytes);
  EXPECT_TRUE(
      rule(v1::ChangeTicketStatusRequest::descriptor(), "reason").multiline);
}

TEST(ToProtoTest, TicketKeepsEveryFieldButTheKeyHash) {
  Ticket t;
  t.id = 7;
  t.subject = "s";
  t.status = Status::kOnHold;
  t.customer = {3, "ana@example.com", "Ana"};
  t.tags = {"a", "b"};
  t.create_time = absl::FromUnixMillis(1'700'000'000'123);
  t.version = 4;
  t.rating = Rating{5, "great", absl::FromUnixSeconds(1'700'000'100)};
  t.access_key_hash = "secret-hash";
  v1::Ticket out;
  TicketToProto(t, &out);
  EXPECT_EQ(out.id(), 7);
  EXPECT_EQ(out.status(), v1::STATUS_ON_HOLD);
  EXPECT_EQ(out.customer().email(), "ana@example.com");
  EXPECT_EQ(out.tags_size(), 2);
  EXPECT_EQ(out.create_time().seconds(), 1'700'000'000);
  EXPECT_EQ(out.create_time().nanos(), 123'000'000);
  EXPECT_EQ(out.etag(), "\"4\"");
  EXPECT_EQ(out.rating().score(), 5);
  EXPECT_FALSE(out.has_solve_time());
  EXPECT_EQ(out.DebugString().find("secret-hash"), std::string::npos);
}

TEST(ToProtoTest, StatusViewCarriesThePromiseAndItsTime) {
  StatusView view;
  view.ticket.id = 7;
  view.conversation.emplace_back();
  view.promise =
      Promise{"We will respond by 2023-11-14 23:13 UTC",
              absl::FromUnixSeconds(1'700'003'600) + absl::Milliseconds(5)};
  v1::TicketStatusView out;
  StatusViewToProto(view, &out);
  EXPECT_EQ(out.ticket_id(), 7);
  EXPECT_EQ(out.conversation_size(), 1);
  EXPECT_EQ(out.promise(), "We will respond by 2023-11-14 23:13 UTC");
  ASSERT_TRUE(out.has_promise_time());
  EXPECT_EQ(out.promise_time().seconds(), 1'700'003'600);
  EXPECT_EQ(out.promise_time().nanos(), 5'000'000);
}

TEST(ToProtoTest, PausedPromiseHasNoTimeAndNoPromiseLeavesBothEmpty) {
  StatusView view;
  view.ticket.id = 7;
  view.promise = Promise{"We are waiting for your reply"};
  v1::TicketStatusView out;
  StatusViewToProto(view, &out);
  EXPECT_EQ(out.promise(), "We are waiting for your reply");
  EXPECT_FALSE(out.has_promise_time());

  view.promise.reset();
  out.Clear();
  StatusViewToProto(view, &out);
  EXPECT_EQ(out.promise(), "");
  EXPECT_FALSE(out.has_promise_time());
}

constexpr char kSecret[] = "unit-test-secret-0123456789abcdef";

using common::ViolatedField;

// The adapter over a manager and a fake store, served in process.
class TicketGrpcServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::ServerBuilder builder;
    builder.RegisterService(&service_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    stub_ = v1::TicketService::NewStub(
        server_->InProcessChannel(grpc::ChannelArguments()));
  }
  void TearDown() override { server_->Shutdown(); }

  // A context carrying the escalation service's token.
  std::unique_ptr<grpc::ClientContext> Service() {
    auto context = std::make_unique<grpc::ClientContext>();
    absl::StatusOr<std::string> token =
        common::SignToken({"cxdesk-escalationd", common::StaffRole::kService,
                           clock_.Now() + absl::Hours(1)},
                          kSecret);
    EXPECT_TRUE(token.ok()) << token.status();
    context->AddMetadata("authorization", absl::StrCat("Bearer ", *token));
    return context;
  }

  int64_t CreateTicket() {
    v1::CreateTicketRequest request;
    request.set_subject("Refund not received");
    request.set_description("I returned the jacket two weeks ago.");
    request.set_customer_email("ana@example.com");
    v1::CreateTicketResponse response;
    const grpc::Status status =
        stub_->CreateTicket(Service().get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.ticket().id();
  }

  common::FakeClock clock_;
  FakeTicketStore store_;
  TicketManager manager_{store_, clock_, kSecret, nullptr};
  TicketGrpcService service_{manager_};
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<v1::TicketService::Stub> stub_;
};

TEST_F(TicketGrpcServiceTest, RetriedUpdateTicketWithRequestIdAppliesOnce) {
  const int64_t id = CreateTicket();
  v1::UpdateTicketRequest request;
  request.mutable_ticket()->set_id(id);
  request.mutable_ticket()->set_priority(v1::PRIORITY_URGENT);
  request.mutable_update_mask()->add_paths("priority");
  request.set_etag("\"1\"");
  request.set_request_id("esc-42-raise");
  v1::Ticket first;
  grpc::Status status = stub_->UpdateTicket(Service().get(), request, &first);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(first.priority(), v1::PRIORITY_URGENT);
  EXPECT_EQ(first.version(), 2);
  clock_.Advance(absl::Seconds(10));
  v1::Ticket again;
  status = stub_->UpdateTicket(Service().get(), request, &again);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(again.version(), 2);
  EXPECT_EQ(again.etag(), "\"2\"");
  EXPECT_EQ(again.update_time().seconds(), first.update_time().seconds());
  ASSERT_EQ(store_.events().size(), 2u);
  EXPECT_EQ(store_.events()[1].type, EventType::kUpdated);

  request.set_request_id("esc 42");
  v1::Ticket bad;
  status = stub_->UpdateTicket(Service().get(), request, &bad);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(),
            "request_id: printable ASCII without spaces only");
  EXPECT_EQ(ViolatedField(status), "request_id");
  EXPECT_EQ(store_.events().size(), 2u);
}

TEST_F(TicketGrpcServiceTest, RetriedAddCommentWithRequestIdAnswersTheSame) {
  const int64_t id = CreateTicket();
  v1::AddCommentRequest request;
  request.set_ticket_id(id);
  request.set_visibility(v1::VISIBILITY_INTERNAL);
  request.set_body("Escalated to tier 2: no first response in 4 h");
  request.set_request_id("esc-42-note");
  v1::Comment first;
  grpc::Status status = stub_->AddComment(Service().get(), request, &first);
  ASSERT_TRUE(status.ok()) << status.error_message();
  clock_.Advance(absl::Seconds(10));
  v1::Comment again;
  status = stub_->AddComment(Service().get(), request, &again);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(again.id(), first.id());
  EXPECT_EQ(again.ticket_id(), id);
  EXPECT_EQ(again.visibility(), v1::VISIBILITY_INTERNAL);
  EXPECT_EQ(again.body(), "Escalated to tier 2: no first response in 4 h");
  EXPECT_EQ(again.author(), "cxdesk-escalationd");
  EXPECT_EQ(again.author_role(), v1::ROLE_SERVICE);
  EXPECT_EQ(again.create_time().seconds(), first.create_time().seconds());
  EXPECT_EQ(again.create_time().nanos(), first.create_time().nanos());
  v1::ListCommentsRequest list;
  list.set_ticket_id(id);
  v1::ListCommentsResponse comments;
  status = stub_->ListComments(Service().get(), list, &comments);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(comments.comments_size(), 1);
  EXPECT_EQ(comments.comments(0).id(), first.id());
  EXPECT_EQ(store_.events().size(), 2u);

  request.set_request_id(std::string(101, 'k'));
  v1::Comment bad;
  status = stub_->AddComment(Service().get(), request, &bad);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(), "request_id: at most 100 bytes");
  EXPECT_EQ(ViolatedField(status), "request_id");
  EXPECT_EQ(store_.events().size(), 2u);
}

}  // namespace
}  // namespace cxdesk::ticket
