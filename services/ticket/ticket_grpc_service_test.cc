#include "services/ticket/ticket_grpc_service.h"

#include <gtest/gtest.h>

#include "absl/strings/ascii.h"

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
  ToProto(t, &out);
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
  ToProto(view, &out);
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
  ToProto(view, &out);
  EXPECT_EQ(out.promise(), "We are waiting for your reply");
  EXPECT_FALSE(out.has_promise_time());

  view.promise.reset();
  out.Clear();
  ToProto(view, &out);
  EXPECT_EQ(out.promise(), "");
  EXPECT_FALSE(out.has_promise_time());
}

}  // namespace
}  // namespace cxdesk::ticket
