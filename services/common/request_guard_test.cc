#include "services/common/request_guard.h"

#include <grpcpp/create_channel.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/impl/client_unary_call.h>
#include <grpcpp/security/credentials.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server_builder.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "grpc/health/v1/health.grpc.pb.h"
#include "services/common/server_runner.h"

namespace cxdesk::common {
namespace {

namespace health = grpc::health::v1;

// Answers SERVING and counts the requests that reached it.
class CountingHealth final : public health::Health::Service {
 public:
  grpc::Status Check(grpc::ServerContext*, const health::HealthCheckRequest*,
                     health::HealthCheckResponse* response) override {
    ++calls;
    response->set_status(health::HealthCheckResponse::SERVING);
    return grpc::Status::OK;
  }
  grpc::Status Watch(
      grpc::ServerContext*, const health::HealthCheckRequest*,
      grpc::ServerWriter<health::HealthCheckResponse>* writer) override {
    ++calls;
    health::HealthCheckResponse response;
    response.set_status(health::HealthCheckResponse::SERVING);
    writer->Write(response);
    return grpc::Status::OK;
  }
  std::atomic<int> calls{0};
};

class RequestGuardTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ServerOptions options;
    options.max_request_bytes = 64 * 1024;
    grpc::ServerBuilder builder;
    ApplyServerOptions(options, &builder);
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                             &port);
    builder.RegisterService(&guard_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(port, 0);
    channel_ = grpc::CreateChannel(absl::StrCat("127.0.0.1:", port),
                                   grpc::InsecureChannelCredentials());
    stub_ = health::Health::NewStub(channel_);
  }
  void TearDown() override { server_->Shutdown(); }

  // Sends `bytes` as the request of Health/Check, whatever they are.
  grpc::Status CheckRaw(const std::string& bytes) {
    grpc::Slice slice(bytes);
    grpc::ByteBuffer request(&slice, 1);
    grpc::ByteBuffer response;
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(5));
    const grpc::internal::RpcMethod method(
        "/grpc.health.v1.Health/Check", grpc::internal::RpcMethod::NORMAL_RPC,
        channel_);
    return grpc::internal::BlockingUnaryCall(channel_.get(), method, &context,
                                             request, &response);
  }

  // Calls Health/Check through the generated stub, asking about `service`.
  grpc::Status Check(const std::string& service,
                     health::HealthCheckResponse* response) {
    health::HealthCheckRequest request;
    request.set_service(service);
    grpc::ClientContext context;
    return stub_->Check(&context, request, response);
  }

  CountingHealth service_;
  RequestGuard guard_{&service_, "grpc.health.v1.Health"};
  std::unique_ptr<grpc::Server> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<health::Health::Stub> stub_;
};

TEST_F(RequestGuardTest, AGoodRequestReachesTheHandler) {
  health::HealthCheckResponse response;
  const grpc::Status status =
      Check("cxdesk.ticket.v1.TicketService", &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.status(), health::HealthCheckResponse::SERVING);
  EXPECT_EQ(service_.calls, 1);
}

TEST_F(RequestGuardTest, InvalidUtf8IsInvalidArgumentNamingTheField) {
  // Field 1 (service), length 4, "ab" then two bytes that are not UTF-8.
  const grpc::Status status =
      CheckRaw(std::string("\x0a\x04"
                           "ab\xc3\x28",
                           6));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(),
            "service: not valid UTF-8 at byte 2; string fields hold UTF-8 "
            "text");
  EXPECT_EQ(service_.calls, 0);
}

TEST_F(RequestGuardTest, BrokenBytesAreInvalidArgumentNotInternal) {
  const grpc::Status status = CheckRaw(
      "\x0a\x7f"
      "short");
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(),
            "request: not a well-formed grpc.health.v1.HealthCheckRequest (the "
            "protobuf encoding is broken)");
  EXPECT_EQ(service_.calls, 0);
}

TEST_F(RequestGuardTest, AFieldOverItsLimitNeverReachesTheHandler) {
  health::HealthCheckResponse response;
  const grpc::Status status = Check(std::string("cut\0here", 8), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(),
            "service: contains NUL (U+0000) at byte 3; text cannot hold NUL");
  EXPECT_EQ(service_.calls, 0);
}

TEST_F(RequestGuardTest, AServerStreamingRequestIsCheckedToo) {
  health::HealthCheckRequest request;
  request.set_service("bad\xff");
  grpc::ClientContext context;
  auto reader = stub_->Watch(&context, request);
  health::HealthCheckResponse response;
  EXPECT_FALSE(reader->Read(&response));
  const grpc::Status status = reader->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(),
            "service: not valid UTF-8 at byte 3; string fields hold UTF-8 "
            "text");
  EXPECT_EQ(service_.calls, 0);
}

TEST_F(RequestGuardTest, ARequestOverTheMessageLimitIsResourceExhausted) {
  health::HealthCheckResponse response;
  const grpc::Status status = Check(std::string(100 * 1024, 'x'), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  // gRPC's own words, before any handler runs: the size and the limit.
  EXPECT_EQ(status.error_message(),
            "Received message larger than max (102404 vs. 65536)");
  EXPECT_EQ(service_.calls, 0);
}

}  // namespace
}  // namespace cxdesk::common
