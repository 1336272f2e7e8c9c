#ifndef CXDESK_CLIENTS_LIB_TESTING_IN_PROCESS_SERVER_H_
#define CXDESK_CLIENTS_LIB_TESTING_IN_PROCESS_SERVER_H_

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <iterator>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"

namespace cxdesk::clients {

// Test-only helpers for running a client against a real in-process server,
// to see what actually goes over the wire.

// The value of the client metadata `key` as the server saw it: "<none>" when
// absent, with " <repeated>" appended when sent more than once.
inline std::string MetadataValue(const grpc::ServerContext& context,
                                 const std::string& key) {
  auto [begin, end] = context.client_metadata().equal_range(key);
  if (begin == end) return "<none>";
  std::string value(begin->second.data(), begin->second.size());
  if (std::next(begin) != end) value += " <repeated>";
  return value;
}

// The call's deadline as the server saw it: the milliseconds left, or "none".
inline std::string DeadlineOf(const grpc::ServerContext& context) {
  const auto deadline = context.deadline();
  if (deadline == std::chrono::system_clock::time_point::max()) return "none";
  const absl::Duration left = absl::FromChrono(deadline) - absl::Now();
  return absl::StrCat(absl::ToInt64Milliseconds(left));
}

// A fixture serving `service_` on an insecure 127.0.0.1 port (`target_`) for
// the duration of each test. With `with_health_service` the server also runs
// gRPC's default health service.
template <typename Service>
class InProcessServerTest : public ::testing::Test {
 protected:
  explicit InProcessServerTest(bool with_health_service = false)
      : with_health_service_(with_health_service) {}

  void SetUp() override {
    if (with_health_service_) grpc::EnableDefaultHealthCheckService(true);
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                             &port_);
    builder.RegisterService(&service_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    ASSERT_NE(port_, 0);
    target_ = absl::StrCat("127.0.0.1:", port_);
  }
  void TearDown() override {
    if (server_) server_->Shutdown(std::chrono::system_clock::now());
  }

  const bool with_health_service_;
  Service service_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
  std::string target_;
};

}  // namespace cxdesk::clients

#endif  // CXDESK_CLIENTS_LIB_TESTING_IN_PROCESS_SERVER_H_
