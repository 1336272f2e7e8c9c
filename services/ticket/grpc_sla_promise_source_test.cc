#include "services/ticket/grpc_sla_promise_source.h"

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server.h>
#include <grpcpp/server_builder.h>
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "services/common/grpc_status.h"
#include "services/common/proto_time.h"
#include "services/common/testing/fake_clock.h"
#include "services/common/token.h"

namespace cxdesk::ticket {
namespace {

using absl::StatusCode;

constexpr char kSecret[] = "unit-test-secret-0123456789abcdef";
constexpr int64_t kPromised = 1;
constexpr int64_t kNoClock = 2;
constexpr int64_t kPaused = 3;
constexpr int64_t kSlow = 4;

// What the fake SLA service saw of the last call.
struct SeenCall {
  int64_t ticket_id = 0;
  std::string subject;
  common::StaffRole role = common::StaffRole::kAgent;
  bool had_deadline = false;
};

// An SLA service that checks the bearer token like the real one and answers
// by ticket id: a promise, NOT_FOUND, a paused promise, or (kSlow) nothing
// for 2 s unless the caller gives up first.
class FakeSlaService final : public sla::v1::SlaService::Service {
 public:
  explicit FakeSlaService(const common::Clock& clock) : clock_(clock) {}

  grpc::Status GetSlaPromise(grpc::ServerContext* context,
                             const sla::v1::GetSlaPromiseRequest* request,
                             sla::v1::SlaPromise* response) override {
    SeenCall seen;
    seen.ticket_id = request->ticket_id();
    // Any deadline a client sets here is seconds away; none is "infinite".
    seen.had_deadline = context->deadline() < std::chrono::system_clock::now() +
                                                  std::chrono::hours(1);
    const auto& md = context->client_metadata();
    auto it = md.find("authorization");
    if (it == md.end()) {
      return grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "no token");
    }
    const std::string header(it->second.data(), it->second.size());
    if (!absl::StartsWith(header, "Bearer ")) {
      return grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "not a bearer");
    }
    absl::StatusOr<common::TokenClaims> claims =
        common::VerifyToken(header.substr(7), kSecret, clock_.Now());
    if (!claims.ok()) return common::ToGrpcStatus(claims.status());
    seen.subject = claims->subject;
    seen.role = claims->role;
    {
      absl::MutexLock lock(&mu_);
      seen_ = seen;
    }
    response->set_ticket_id(request->ticket_id());
    response->set_metric(sla::v1::METRIC_FIRST_RESPONSE);
    switch (request->ticket_id()) {
      case kPromised:
        response->set_text("We will respond by 2023-11-14 23:13 UTC");
        common::ToProtoTimestamp(absl::FromUnixSeconds(1'700'003'600),
                                 response->mutable_due_time());
        return grpc::Status::OK;
      case kNoClock:
        return grpc::Status(grpc::StatusCode::NOT_FOUND,
                            "ticket 2 has no open clock");
      case kPaused:
        response->set_text("We are waiting for your reply");
        return grpc::Status::OK;
      case kSlow: {
        const absl::Time end = absl::Now() + absl::Seconds(2);
        while (absl::Now() < end && !context->IsCancelled()) {
          absl::SleepFor(absl::Milliseconds(5));
        }
        response->set_text("late");
        return grpc::Status::OK;
      }
      default:
        return grpc::Status(grpc::StatusCode::NOT_FOUND, "unknown ticket");
    }
  }

  SeenCall seen() const {
    absl::MutexLock lock(&mu_);
    return seen_;
  }

 private:
  const common::Clock& clock_;
  mutable absl::Mutex mu_;
  SeenCall seen_;
};

class GrpcSlaPromiseSourceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                             &port_);
    builder.RegisterService(&service_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    ASSERT_GT(port_, 0);
  }
  void TearDown() override {
    // Cancels a call still in the slow handler instead of waiting for it.
    server_->Shutdown(std::chrono::system_clock::now() +
                      std::chrono::milliseconds(100));
  }

  std::unique_ptr<GrpcSlaPromiseSource> Source(
      int port, absl::Duration timeout = absl::Milliseconds(300)) {
    GrpcSlaPromiseSource::Options options;
    options.timeout = timeout;
    return std::make_unique<GrpcSlaPromiseSource>(
        grpc::CreateChannel(absl::StrCat("127.0.0.1:", port),
                            grpc::InsecureChannelCredentials()),
        clock_, kSecret, options);
  }

  common::FakeClock clock_;
  FakeSlaService service_{clock_};
  int port_ = 0;
  std::unique_ptr<grpc::Server> server_;
};

TEST_F(GrpcSlaPromiseSourceTest, ReturnsThePromiseAskedWithAServiceToken) {
  auto source = Source(port_);
  absl::StatusOr<std::optional<Promise>> promise =
      source->GetPromise(kPromised);
  ASSERT_TRUE(promise.ok()) << promise.status();
  ASSERT_TRUE(promise->has_value());
  EXPECT_EQ((*promise)->text, "We will respond by 2023-11-14 23:13 UTC");
  EXPECT_EQ((*promise)->due, absl::FromUnixSeconds(1'700'003'600));
  const SeenCall seen = service_.seen();
  EXPECT_EQ(seen.ticket_id, kPromised);
  EXPECT_EQ(seen.role, common::StaffRole::kService);
  EXPECT_EQ(seen.subject, "cxdesk-ticketd");
  EXPECT_TRUE(seen.had_deadline);
}

TEST_F(GrpcSlaPromiseSourceTest, NotFoundIsNoPromise) {
  absl::StatusOr<std::optional<Promise>> promise =
      Source(port_)->GetPromise(kNoClock);
  ASSERT_TRUE(promise.ok()) << promise.status();
  EXPECT_FALSE(promise->has_value());
}

TEST_F(GrpcSlaPromiseSourceTest, PausedPromiseHasNoDueTime) {
  absl::StatusOr<std::optional<Promise>> promise =
      Source(port_)->GetPromise(kPaused);
  ASSERT_TRUE(promise.ok()) << promise.status();
  ASSERT_TRUE(promise->has_value());
  EXPECT_EQ((*promise)->text, "We are waiting for your reply");
  EXPECT_EQ((*promise)->due, absl::InfiniteFuture());
}

TEST_F(GrpcSlaPromiseSourceTest, SlowServiceRunsIntoTheDeadline) {
  absl::StatusOr<std::optional<Promise>> promise =
      Source(port_)->GetPromise(kSlow);
  EXPECT_EQ(promise.status().code(), StatusCode::kDeadlineExceeded);
}

TEST_F(GrpcSlaPromiseSourceTest, DownServiceIsUnavailable) {
  // A port that was just free: bound and released again.
  int closed_port = 0;
  {
    FakeSlaService gone(clock_);
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                             &closed_port);
    builder.RegisterService(&gone);
    std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
    ASSERT_NE(server, nullptr);
    server->Shutdown();
  }
  absl::StatusOr<std::optional<Promise>> promise =
      Source(closed_port)->GetPromise(kPromised);
  EXPECT_EQ(promise.status().code(), StatusCode::kUnavailable);
}

TEST_F(GrpcSlaPromiseSourceTest, TokenIsRenewedBeforeItExpires) {
  auto source = Source(port_);
  ASSERT_TRUE(source->GetPromise(kPromised).ok());
  // Past the first token's expiry: only a renewed token is accepted.
  clock_.Advance(absl::Hours(1) + absl::Minutes(1));
  absl::StatusOr<std::optional<Promise>> promise =
      source->GetPromise(kPromised);
  ASSERT_TRUE(promise.ok()) << promise.status();
  EXPECT_TRUE(promise->has_value());
}

TEST_F(GrpcSlaPromiseSourceTest, WrongSecretIsUnauthenticated) {
  GrpcSlaPromiseSource source(
      grpc::CreateChannel(absl::StrCat("127.0.0.1:", port_),
                          grpc::InsecureChannelCredentials()),
      clock_, "another-secret-0123456789abcdef", {});
  EXPECT_EQ(source.GetPromise(kPromised).status().code(),
            StatusCode::kUnauthenticated);
}

}  // namespace
}  // namespace cxdesk::ticket
