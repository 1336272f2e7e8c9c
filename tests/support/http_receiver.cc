#include "tests/support/http_receiver.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"

namespace cxdesk::testing {
namespace {

constexpr size_t kMaxHeadBytes = 64 * 1024;
constexpr uint64_t kMaxBodyBytes = 16 * 1024 * 1024;
const absl::Duration kIdleTimeout = absl::Seconds(10);

absl::string_view Reason(int status) {
  switch (status) {
    case 100:
      return "Continue";
    case 200:
      return "OK";
    case 204:
      return "No Content";
    case 301:
      return "Moved Permanently";
    case 400:
      return "Bad Request";
    case 404:
      return "Not Found";
    case 413:
      return "Content Too Large";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    default:
      return "Status";
  }
}

absl::Status Errno(absl::string_view what) {
  return absl::UnavailableError(absl::StrCat(what, ": ", std::strerror(errno)));
}

void CloseIfOpen(int& fd) {
  if (fd >= 0) close(fd);
  fd = -1;
}

}  // namespace

HttpReceiver::~HttpReceiver() { Stop(); }

absl::StatusOr<int> HttpReceiver::Start() {
  if (port_ != 0) return absl::FailedPreconditionError("already started");
  listen_fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listen_fd_ < 0) return Errno("socket");
  const int one = 1;
  setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof(addr);
  int pipe_fds[2];
  if (bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      listen(listen_fd_, 64) != 0 ||
      getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0 ||
      pipe2(pipe_fds, O_CLOEXEC) != 0) {
    absl::Status status = Errno("bind/listen on 127.0.0.1:0");
    CloseIfOpen(listen_fd_);
    return status;
  }
  wake_read_fd_ = pipe_fds[0];
  wake_write_fd_ = pipe_fds[1];
  port_ = ntohs(addr.sin_port);
  thread_ = std::thread([this] { Serve(); });
  return port_;
}

void HttpReceiver::Stop() {
  if (wake_write_fd_ >= 0) {
    // Never drained: from now on every wait of the serving thread ends.
    const char byte = 's';
    while (write(wake_write_fd_, &byte, 1) < 0 && errno == EINTR) {
    }
  }
  if (thread_.joinable()) thread_.join();
  CloseIfOpen(listen_fd_);
  CloseIfOpen(wake_read_fd_);
  CloseIfOpen(wake_write_fd_);
}

std::string HttpReceiver::url(absl::string_view path) const {
  return absl::StrCat("http://127.0.0.1:", port_, path);
}

void HttpReceiver::FailNext(int n, int status) {
  absl::MutexLock lock(&mu_);
  fail_remaining_ = n;
  fail_status_ = status;
}

void HttpReceiver::SetDelay(absl::Duration delay) {
  absl::MutexLock lock(&mu_);
  delay_ = delay;
}

void HttpReceiver::SetResponseBody(std::string body) {
  absl::MutexLock lock(&mu_);
  response_body_ = std::move(body);
}

std::vector<ReceivedRequest> HttpReceiver::Requests() const {
  absl::MutexLock lock(&mu_);
  return requests_;
}

bool HttpReceiver::WaitForRequests(size_t n, absl::Duration timeout) const {
  const auto enough = [this, n]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return requests_.size() >= n;
  };
  const bool reached =
      mu_.LockWhenWithTimeout(absl::Condition(&enough), timeout);
  mu_.Unlock();
  return reached;
}

bool HttpReceiver::WaitFor(int fd, absl::Duration timeout,
                           bool for_write) const {
  const absl::Time deadline = absl::Now() + timeout;
  while (true) {
    pollfd fds[2] = {{fd, static_cast<short>(for_write ? POLLOUT : POLLIN), 0},
                     {wake_read_fd_, POLLIN, 0}};
    const int64_t ms = absl::ToInt64Milliseconds(
        absl::Ceil(deadline - absl::Now(), absl::Milliseconds(1)));
    const int n = poll(fds, 2, static_cast<int>(ms < 0 ? 0 : ms));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0 || fds[1].revents != 0) return false;
    return fds[0].revents != 0;
  }
}

bool HttpReceiver::Sleep(absl::Duration delay) const {
  if (delay <= absl::ZeroDuration()) return true;
  const absl::Time deadline = absl::Now() + delay;
  while (true) {
    pollfd wake = {wake_read_fd_, POLLIN, 0};
    const int64_t ms = absl::ToInt64Milliseconds(
        absl::Ceil(deadline - absl::Now(), absl::Milliseconds(1)));
    if (ms <= 0) return true;
    const int n = poll(&wake, 1, static_cast<int>(ms));
    if (n < 0 && errno == EINTR) continue;
    if (n > 0) return false;
    if (n == 0) return true;
  }
}

void HttpReceiver::Serve() {
  while (true) {
    pollfd fds[2] = {{listen_fd_, POLLIN, 0}, {wake_read_fd_, POLLIN, 0}};
    const int n = poll(fds, 2, -1);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 || fds[1].revents != 0) return;
    const int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;  // The client gave up already, or EINTR.
    HandleConnection(fd);
    close(fd);
  }
}

void HttpReceiver::HandleConnection(int fd) {
  std::string buffer;
  char chunk[16 * 1024];
  // Appends what arrives next; false on EOF, error, idle timeout or Stop().
  const auto read_more = [&]() {
    if (!WaitFor(fd, kIdleTimeout)) return false;
    ssize_t n;
    do {
      n = recv(fd, chunk, sizeof(chunk), 0);
    } while (n < 0 && errno == EINTR);
    if (n <= 0) return false;
    buffer.append(chunk, static_cast<size_t>(n));
    return true;
  };
  const auto send_all = [&](absl::string_view data) {
    while (!data.empty()) {
      if (!WaitFor(fd, kIdleTimeout, /*for_write=*/true)) return;
      // MSG_NOSIGNAL: a client that hung up must not kill the test with
      // SIGPIPE.
      const ssize_t n = send(fd, data.data(), data.size(), MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return;
      data.remove_prefix(static_cast<size_t>(n));
    }
  };
  const auto respond = [&](int status, absl::string_view body) {
    send_all(absl::StrCat("HTTP/1.1 ", status, " ", Reason(status),
                          "\r\nContent-Type: text/plain\r\nContent-Length: ",
                          body.size(), "\r\nConnection: close\r\n\r\n", body));
    shutdown(fd, SHUT_WR);
  };

  size_t head_end;
  while ((head_end = buffer.find("\r\n\r\n")) == std::string::npos) {
    if (buffer.size() > kMaxHeadBytes) return respond(431, "head too large\n");
    if (!read_more()) return;
  }
  if (head_end > kMaxHeadBytes) return respond(431, "head too large\n");

  ReceivedRequest request;
  const std::vector<absl::string_view> lines =
      absl::StrSplit(absl::string_view(buffer).substr(0, head_end), "\r\n");
  const std::vector<absl::string_view> start =
      absl::StrSplit(lines[0], absl::MaxSplits(' ', 2));
  if (start.size() != 3 || start[0].empty() || start[1].empty() ||
      !absl::StartsWith(start[2], "HTTP/1.")) {
    return respond(400, "bad request line\n");
  }
  request.method = std::string(start[0]);
  request.path = std::string(start[1]);
  for (size_t i = 1; i < lines.size(); ++i) {
    const size_t colon = lines[i].find(':');
    if (colon == absl::string_view::npos || colon == 0) {
      return respond(400, "bad header line\n");
    }
    const std::string name = absl::AsciiStrToLower(lines[i].substr(0, colon));
    const absl::string_view value =
        absl::StripAsciiWhitespace(lines[i].substr(colon + 1));
    auto [it, inserted] = request.headers.emplace(name, std::string(value));
    if (!inserted) absl::StrAppend(&it->second, ", ", value);
  }
  if (request.headers.count("transfer-encoding") != 0) {
    return respond(501, "only Content-Length bodies\n");
  }
  uint64_t content_length = 0;
  if (auto it = request.headers.find("content-length");
      it != request.headers.end() &&
      !absl::SimpleAtoi(it->second, &content_length)) {
    return respond(400, "bad Content-Length\n");
  }
  if (content_length > kMaxBodyBytes) return respond(413, "body too large\n");

  const size_t body_start = head_end + 4;
  if (buffer.size() - body_start < content_length) {
    if (auto it = request.headers.find("expect");
        it != request.headers.end() &&
        absl::EqualsIgnoreCase(it->second, "100-continue")) {
      send_all("HTTP/1.1 100 Continue\r\n\r\n");
    }
  }
  while (buffer.size() - body_start < content_length) {
    if (!read_more()) return;
  }
  request.body = buffer.substr(body_start, content_length);

  int status = 200;
  absl::Duration delay;
  std::string body;
  {
    absl::MutexLock lock(&mu_);
    requests_.push_back(std::move(request));
    if (fail_remaining_ > 0) {
      --fail_remaining_;
      status = fail_status_;
    }
    delay = delay_;
    body = response_body_;
  }
  if (!Sleep(delay)) return;
  respond(status, body);
}

}  // namespace cxdesk::testing
