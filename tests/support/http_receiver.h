#ifndef CXDESK_TESTS_SUPPORT_HTTP_RECEIVER_H_
#define CXDESK_TESTS_SUPPORT_HTTP_RECEIVER_H_

// A tiny HTTP/1.1 server for tests of outgoing HTTP calls (webhooks): it
// listens on 127.0.0.1 on a port the kernel picks, records every request it
// reads and answers each with a fixed status and "Connection: close".
// One thread serves one connection at a time. Bounded: a request's head is
// at most 64 KiB and its body (Content-Length only, no chunked encoding) at
// most 16 MiB; a connection that sends nothing for 10 s is dropped; Stop()
// (and so the destructor) interrupts a wait or a delay at once.

#include <cstddef>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace cxdesk::testing {

// One request as read.
struct ReceivedRequest {
  std::string method;  // "POST"
  std::string path;    // The request target as sent, query included.
  // Names in lower case; a repeated header's values joined by ", ".
  std::map<std::string, std::string> headers;
  std::string body;
};

class HttpReceiver {
 public:
  HttpReceiver() = default;
  // Stop().
  ~HttpReceiver();
  HttpReceiver(const HttpReceiver&) = delete;
  HttpReceiver& operator=(const HttpReceiver&) = delete;

  // Binds 127.0.0.1:0, listens and starts the serving thread. Returns the
  // port; FAILED_PRECONDITION if already started, UNAVAILABLE if a socket
  // call fails.
  absl::StatusOr<int> Start();
  // Stops serving and closes the socket; later connections are refused.
  // Waits for the serving thread. Idempotent. Recorded requests stay.
  void Stop();

  // The port Start() returned; 0 before.
  int port() const { return port_; }
  // "http://127.0.0.1:<port><path>"; `path` starts with '/'.
  std::string url(absl::string_view path = "/") const;

  // Answers the next `n` requests with `status` instead of 200.
  void FailNext(int n, int status = 500);
  // Waits this long after reading each request before answering (zero by
  // default), e.g. to make a client time out.
  void SetDelay(absl::Duration delay);
  // The response body sent (default "ok\n").
  void SetResponseBody(std::string body);

  // Every request read so far, in arrival order (including those answered
  // late or failed on purpose).
  std::vector<ReceivedRequest> Requests() const;
  // Waits until at least `n` requests were read; false on timeout.
  bool WaitForRequests(size_t n, absl::Duration timeout) const;

 private:
  void Serve();
  void HandleConnection(int fd);
  // Waits up to `timeout` for `fd` to be readable (or, with `for_write`,
  // writable). False on timeout, error or Stop().
  bool WaitFor(int fd, absl::Duration timeout, bool for_write = false) const;
  // Sleeps up to `delay`; false if Stop() came first.
  bool Sleep(absl::Duration delay) const;

  int port_ = 0;
  int listen_fd_ = -1;
  // A pipe whose read end becomes readable when Stop() is called.
  int wake_read_fd_ = -1;
  int wake_write_fd_ = -1;
  std::thread thread_;

  mutable absl::Mutex mu_;
  std::vector<ReceivedRequest> requests_ ABSL_GUARDED_BY(mu_);
  int fail_remaining_ ABSL_GUARDED_BY(mu_) = 0;
  int fail_status_ ABSL_GUARDED_BY(mu_) = 500;
  absl::Duration delay_ ABSL_GUARDED_BY(mu_);
  std::string response_body_ ABSL_GUARDED_BY(mu_) = "ok\n";
};

}  // namespace cxdesk::testing

#endif  // CXDESK_TESTS_SUPPORT_HTTP_RECEIVER_H_
