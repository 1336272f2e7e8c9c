#ifndef CXDESK_TESTS_SUPPORT_SERVICE_PROCESS_H_
#define CXDESK_TESTS_SUPPORT_SERVICE_PROCESS_H_

#include <sys/types.h>

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace cxdesk::testing {

// A real service binary started for an end-to-end test: listens on
// 127.0.0.1 on a port it picks (--listen=127.0.0.1:0 --port-file=...), logs
// to a file. Stopped (SIGTERM, then SIGKILL after a grace period) when
// destroyed.
class ServiceProcess {
 public:
  // Starts `binary` with `args` plus the listen and port-file flags and
  // waits up to `timeout` for it to serve. UNAVAILABLE (with the log tail)
  // if it exits or does not serve in time.
  // `listen` replaces 127.0.0.1:0 when a test must know the port up front
  // (two services that call each other).
  static absl::StatusOr<std::unique_ptr<ServiceProcess>> Start(
      const std::string& binary, const std::vector<std::string>& args,
      absl::Duration timeout = absl::Seconds(30),
      const std::string& listen = "127.0.0.1:0");
  ~ServiceProcess();
  ServiceProcess(const ServiceProcess&) = delete;
  ServiceProcess& operator=(const ServiceProcess&) = delete;

  // "127.0.0.1:<port>".
  const std::string& address() const { return address_; }
  pid_t pid() const { return pid_; }

  // Sends SIGTERM and waits up to `timeout`; returns the exit code, or
  // DEADLINE_EXCEEDED (after SIGKILL) if it did not stop in time.
  absl::StatusOr<int> Stop(absl::Duration timeout = absl::Seconds(10));
  // SIGKILL, for crash tests.
  void Kill();

  std::string LogTail() const;

 private:
  ServiceProcess() = default;
  pid_t pid_ = -1;
  std::string dir_;
  std::string address_;
};

// Writes a fresh random token secret to a temporary file and returns its
// path and contents.
struct TestSecret {
  std::string path;
  std::string value;
};
TestSecret MakeTestSecret();

// A TCP port on 127.0.0.1 that was free a moment ago (bound, then closed).
int FreeLoopbackPort();

}  // namespace cxdesk::testing

#endif  // CXDESK_TESTS_SUPPORT_SERVICE_PROCESS_H_
