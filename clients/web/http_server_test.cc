#include "clients/web/http_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "clients/web/router.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace cxdesk::clients::web {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// Bounds every wait of the tests so that none can hang; never asserted.
constexpr int kSocketTimeoutSeconds = 5;

struct Reply {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
};

// A blocking loopback client with receive and send timeouts.
class Client {
 public:
  explicit Client(uint16_t port) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    timeval tv{kSocketTimeoutSeconds, 0};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ =
        connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  }
  ~Client() { Disconnect(); }

  bool connected() const { return connected_; }

  void Disconnect() {
    if (fd_ >= 0) close(fd_);
    fd_ = -1;
  }

  bool Send(const std::string& data) {
    size_t sent = 0;
    while (sent < data.size()) {
      ssize_t n =
          send(fd_, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return false;
      sent += static_cast<size_t>(n);
    }
    return true;
  }

  // Reads until `needle` is buffered; false when the connection ends or
  // the timeout passes first.
  bool ReadUntil(const std::string& needle) {
    while (buffer_.find(needle) == std::string::npos) {
      if (!ReadSome()) return false;
    }
    return true;
  }

  // One response with a Content-Length body; nullopt when incomplete.
  std::optional<Reply> ReadResponse() {
    std::optional<Reply> reply = ReadHead();
    if (!reply) return std::nullopt;
    size_t length = 0;
    if (!absl::SimpleAtoi(reply->headers["content-length"], &length)) {
      return std::nullopt;
    }
    while (buffer_.size() < length) {
      if (!ReadSome()) return std::nullopt;
    }
    reply->body = buffer_.substr(0, length);
    buffer_.erase(0, length);
    return reply;
  }

  // The status line and headers of a response.
  std::optional<Reply> ReadHead() {
    if (!ReadUntil("\r\n\r\n")) return std::nullopt;
    size_t end = buffer_.find("\r\n\r\n");
    std::string head = buffer_.substr(0, end);
    buffer_.erase(0, end + 4);
    std::vector<std::string> lines = absl::StrSplit(head, "\r\n");
    Reply reply;
    std::vector<std::string> status_line = absl::StrSplit(lines[0], ' ');
    if (status_line.size() < 2 || status_line[0] != "HTTP/1.1" ||
        !absl::SimpleAtoi(status_line[1], &reply.status)) {
      return std::nullopt;
    }
    for (size_t i = 1; i < lines.size(); ++i) {
      size_t colon = lines[i].find(':');
      if (colon == std::string::npos) return std::nullopt;
      reply.headers[absl::AsciiStrToLower(lines[i].substr(0, colon))] =
          std::string(absl::StripAsciiWhitespace(lines[i].substr(colon + 1)));
    }
    return reply;
  }

  // Reads until the server closes the connection (true) or the timeout
  // passes (false); what arrives meanwhile is kept in buffer().
  bool WaitClosed() {
    while (true) {
      char chunk[4096];
      ssize_t n = recv(fd_, chunk, sizeof(chunk), 0);
      if (n == 0) return true;
      if (n < 0) return errno == ECONNRESET;
      buffer_.append(chunk, static_cast<size_t>(n));
    }
  }

  const std::string& buffer() const { return buffer_; }

 private:
  bool ReadSome() {
    char chunk[4096];
    ssize_t n = recv(fd_, chunk, sizeof(chunk), 0);
    if (n <= 0) return false;
    buffer_.append(chunk, static_cast<size_t>(n));
    return true;
  }

  int fd_ = -1;
  bool connected_ = false;
  std::string buffer_;
};

std::string Get(const std::string& path) {
  return "GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n";
}

// Hands the stream of the one streamed request to the test thread.
struct StreamSlot {
  absl::Notification opened;
  std::shared_ptr<ResponseStream> stream;
};

class HttpServerTest : public ::testing::Test {
 protected:
  HttpServerTest() {
    router_.Add("GET", "/hello", [](const HttpRequest&) {
      HttpResponse response;
      response.SetHeader("Content-Type", "text/plain; charset=utf-8");
      response.body = "hello";
      return HandlerResult::Complete(response);
    });
    router_.Add("POST", "/echo", [](const HttpRequest& request) {
      HttpResponse response;
      response.body = request.body;
      return HandlerResult::Complete(response);
    });
    router_.Add("GET", "/peer", [](const HttpRequest& request) {
      HttpResponse response;
      response.body = request.peer_address;
      return HandlerResult::Complete(response);
    });
    router_.Add("GET", "/boom", [](const HttpRequest&) -> HandlerResult {
      throw std::runtime_error("password=hunter2 at db.internal");
    });
    router_.Add("GET", "/events", [this](const HttpRequest&) {
      HttpResponse head;
      head.SetHeader("Content-Type", "text/event-stream");
      return HandlerResult::Streamed(
          head, [this](std::shared_ptr<ResponseStream> stream) {
            slot_.stream = std::move(stream);
            slot_.opened.Notify();
          });
    });
  }

  void StartServer() {
    options_.port = 0;
    absl::StatusOr<std::unique_ptr<HttpServer>> server =
        HttpServer::Start(options_, router_.AsHandler());
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    ASSERT_NE(server_->port(), 0);
  }

  HttpServerOptions options_;
  Router router_;
  StreamSlot slot_;
  std::unique_ptr<HttpServer> server_;
};

void ExpectSecurityHeaders(Reply& reply) {
  EXPECT_EQ(reply.headers["content-security-policy"],
            "default-src 'self'; object-src 'none'; base-uri 'none'; "
            "form-action 'self'; frame-ancestors 'none'");
  EXPECT_EQ(reply.headers["x-content-type-options"], "nosniff");
  EXPECT_EQ(reply.headers["referrer-policy"], "no-referrer");
  EXPECT_EQ(reply.headers["cache-control"], "no-store");
}

TEST_F(HttpServerTest, GetsAndKeepsTheConnectionAlive) {
  StartServer();
  Client client(server_->port());
  ASSERT_TRUE(client.connected());
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(client.Send(Get("/hello")));
    std::optional<Reply> reply = client.ReadResponse();
    ASSERT_TRUE(reply.has_value()) << "request " << i;
    EXPECT_EQ(reply->status, 200);
    EXPECT_EQ(reply->body, "hello");
    EXPECT_EQ(reply->headers["content-type"], "text/plain; charset=utf-8");
    EXPECT_EQ(reply->headers.count("connection"), 0u);
    ExpectSecurityHeaders(*reply);
  }
}

TEST_F(HttpServerTest, PostBodyReachesTheHandler) {
  StartServer();
  Client client(server_->port());
  ASSERT_TRUE(client.Send(
      "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nabcde"));
  std::optional<Reply> reply = client.ReadResponse();
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->status, 200);
  EXPECT_EQ(reply->body, "abcde");
}

TEST_F(HttpServerTest, TheHandlerSeesTheClientAddressWithoutPort) {
  StartServer();
  Client client(server_->port());
  ASSERT_TRUE(client.Send(Get("/peer")));
  std::optional<Reply> reply = client.ReadResponse();
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->status, 200);
  EXPECT_EQ(reply->body, "127.0.0.1");
}

TEST_F(HttpServerTest, ExpectContinueGetsTheGoAheadBeforeTheBody) {
  StartServer();
  Client client(server_->port());
  ASSERT_TRUE(
      client.Send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
                  "Expect: 100-continue\r\n\r\n"));
  std::optional<Reply> go_ahead = client.ReadHead();
  ASSERT_TRUE(go_ahead.has_value());
  EXPECT_EQ(go_ahead->status, 100);
  ASSERT_TRUE(client.Send("abcde"));
  std::optional<Reply> reply = client.ReadResponse();
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->status, 200);
  EXPECT_EQ(reply->body, "abcde");
}

TEST_F(HttpServerTest, ExpectContinueOverTheLimitIs413WithoutGoAhead) {
  options_.body_limit = 16;
  StartServer();
  Client client(server_->port());
  ASSERT_TRUE(
      client.Send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n"
                  "Expect: 100-continue\r\n\r\n"));
  std::optional<Reply> reply = client.ReadResponse();
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->status, 413);
}

TEST_F(HttpServerTest, ErrorsOfTheRouterAreJsonWithSecurityHeaders) {
  StartServer();
  Client client(server_->port());
  ASSERT_TRUE(client.Send(Get("/nothing")));
  std::optional<Reply> reply = client.ReadResponse();
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->status, 404);
  EXPECT_EQ(reply->headers["content-type"], "application/json");
  EXPECT_EQ(reply->body,
            "{\"error\":{\"code\":404,\"status\":\"NOT_FOUND\","
            "\"message\":\"no such resource\"}}");
  ExpectSecurityHeaders(*reply);

  ASSERT_TRUE(client.Send("DELETE /hello HTTP/1.1\r\nHost: x\r\n\r\n"));
  reply = client.ReadResponse();
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->status, 405);
  EXPECT_EQ(reply->headers["allow"], "GET");
}

TEST_F(HttpServerTest, BodyOverTheLimitIs413) {
  options_.body_limit = 16;
  StartServer();
  Client client(server_->port());
  ASSERT_TRUE(
      client.Send("POST /echo HTTP/1.1\r\nHost: x\r\n"
                  "Content-Length: 1000\r\n\r\n" +
                  std::string(1000, 'a')));
  std::optional<Reply> reply = client.ReadResponse();
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->status, 413);
  EXPECT_EQ(reply->headers["connection"], "close");
  EXPECT_EQ(reply->body,
            "{\"error\":{\"code\":413,\"status\":\"PAYLOAD_TOO_LARGE\","
            "\"message\":\"request body larger than 16 bytes\"}}");
  ExpectSecurityHeaders(*reply);
  EXPECT_TRUE(client.WaitClosed());
}

TEST_F(HttpServerTest, ChunkedBodyOverTheLimitIs413) {
  options_.body_limit = 16;
  StartServer();
  Client client(server_->port());
  ASSERT_TRUE(client.Send(
      "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
      "20\r\n" +
      std::string(32, 'a') + "\r\n0\r\n\r\n"));
  std::optional<Reply> reply = client.ReadResponse();
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->status, 413);
}

TEST_F(HttpServerTest, HeadersOverTheLimitAre431) {
  options_.header_limit = 1024;
  StartServer();
  Client client(server_->port());
  ASSERT_TRUE(client.Send("GET /hello HTTP/1.1\r\nHost: x\r\nX-Big: " +
                          std::string(2000, 'b') + "\r\n\r\n"));
  std::optional<Reply> reply = client.ReadResponse();
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->status, 431);
  EXPECT_EQ(reply->body,
            "{\"error\":{\"code\":431,\"status\":"
            "\"REQUEST_HEADER_FIELDS_TOO_LARGE\","
            "\"message\":\"request headers too large\"}}");
  ExpectSecurityHeaders(*reply);
  EXPECT_TRUE(client.WaitClosed());
}

TEST_F(HttpServerTest, MalformedRequestIs400) {
  StartServer();
  Client client(server_->port());
  ASSERT_TRUE(client.Send("GET /hello HTTP/1.1\r\nHost x\r\n\r\n"));
  std::optional<Reply> reply = client.ReadResponse();
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->status, 400);
  EXPECT_EQ(reply->body,
            "{\"error\":{\"code\":400,\"status\":\"INVALID_ARGUMENT\","
            "\"message\":\"malformed HTTP request\"}}");
  EXPECT_TRUE(client.WaitClosed());
}

TEST_F(HttpServerTest, SlowHeadersAreCutOff) {
  options_.header_timeout = absl::Milliseconds(200);
  StartServer();
  Client client(server_->port());
  ASSERT_TRUE(client.Send("GET /hello HTTP/1.1\r\nHost: x\r\n"));
  EXPECT_TRUE(client.WaitClosed());
  EXPECT_EQ(client.buffer(), "");
}

TEST_F(HttpServerTest, SlowBodyIsCutOff) {
  options_.body_timeout = absl::Milliseconds(200);
  StartServer();
  Client client(server_->port());
  ASSERT_TRUE(client.Send(
      "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc"));
  EXPECT_TRUE(client.WaitClosed());
  EXPECT_EQ(client.buffer(), "");
}

TEST_F(HttpServerTest, IdleKeepAliveConnectionIsClosed) {
  options_.idle_timeout = absl::Milliseconds(200);
  StartServer();
  Client client(server_->port());
  ASSERT_TRUE(client.Send(Get("/hello")));
  std::optional<Reply> reply = client.ReadResponse();
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->status, 200);
  EXPECT_TRUE(client.WaitClosed());
  EXPECT_EQ(client.buffer(), "");
}

TEST_F(HttpServerTest, HandlerExceptionIs500WithoutItsText) {
  StartServer();
  Client client(server_->port());
  ASSERT_TRUE(client.Send(Get("/boom")));
  std::optional<Reply> reply = client.ReadResponse();
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->status, 500);
  EXPECT_EQ(reply->body,
            "{\"error\":{\"code\":500,\"status\":\"INTERNAL\","
            "\"message\":\"internal error\"}}");
  EXPECT_THAT(reply->body, Not(HasSubstr("hunter2")));
  ExpectSecurityHeaders(*reply);
}

TEST_F(HttpServerTest, StreamIsWrittenFromAnotherThread) {
  StartServer();
  Client client(server_->port());
  ASSERT_TRUE(client.Send(Get("/events")));
  std::optional<Reply> head = client.ReadHead();
  ASSERT_TRUE(head.has_value());
  EXPECT_EQ(head->status, 200);
  EXPECT_EQ(head->headers["content-type"], "text/event-stream");
  EXPECT_EQ(head->headers.count("content-length"), 0u);
  EXPECT_EQ(head->headers["connection"], "close");
  ExpectSecurityHeaders(*head);

  ASSERT_TRUE(slot_.opened.WaitForNotificationWithTimeout(absl::Seconds(5)));
  std::thread writer([stream = slot_.stream] {
    EXPECT_TRUE(stream->Write("id: 1\ndata: one\n\n"));
    EXPECT_TRUE(stream->Write("id: 2\ndata: two\n\n"));
    EXPECT_TRUE(stream->Write("id: 3\ndata: three\n\n"));
    stream->Close();
    EXPECT_FALSE(stream->Write("id: 4\ndata: late\n\n"));
  });
  writer.join();
  EXPECT_TRUE(client.WaitClosed());
  EXPECT_EQ(client.buffer(),
            "id: 1\ndata: one\n\nid: 2\ndata: two\n\nid: 3\ndata: three\n\n");
  EXPECT_TRUE(slot_.stream->closed());
}

TEST_F(HttpServerTest, StreamReportsTheClientGoingAway) {
  StartServer();
  Client client(server_->port());
  ASSERT_TRUE(client.Send(Get("/events")));
  ASSERT_TRUE(client.ReadHead().has_value());
  ASSERT_TRUE(slot_.opened.WaitForNotificationWithTimeout(absl::Seconds(5)));
  EXPECT_FALSE(slot_.stream->closed());
  EXPECT_TRUE(slot_.stream->Write("data: hello\n\n"));
  ASSERT_TRUE(client.ReadUntil("data: hello\n\n"));

  client.Disconnect();
  EXPECT_TRUE(slot_.stream->WaitClosed(absl::Seconds(kSocketTimeoutSeconds)));
  EXPECT_FALSE(slot_.stream->Write("data: nobody\n\n"));
}

TEST_F(HttpServerTest, StopClosesIdleConnectionsAndStreams) {
  StartServer();
  Client idle(server_->port());
  ASSERT_TRUE(idle.Send(Get("/hello")));
  ASSERT_TRUE(idle.ReadResponse().has_value());
  Client streaming(server_->port());
  ASSERT_TRUE(streaming.Send(Get("/events")));
  ASSERT_TRUE(streaming.ReadHead().has_value());
  ASSERT_TRUE(slot_.opened.WaitForNotificationWithTimeout(absl::Seconds(5)));

  server_->Stop();
  EXPECT_TRUE(slot_.stream->closed());
  EXPECT_FALSE(slot_.stream->Write("data: after stop\n\n"));
  EXPECT_TRUE(idle.WaitClosed());
  EXPECT_TRUE(streaming.WaitClosed());
  server_->Stop();  // idempotent
  server_.reset();
  EXPECT_FALSE(slot_.stream->Write("data: after the server\n\n"));
}

TEST_F(HttpServerTest, ConnectionsBeyondTheLimitAre503) {
  options_.max_connections = 1;
  StartServer();
  Client first(server_->port());
  ASSERT_TRUE(first.Send(Get("/hello")));
  ASSERT_TRUE(first.ReadResponse().has_value());  // the first is registered
  Client second(server_->port());
  std::optional<Reply> reply = second.ReadResponse();
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->status, 503);
  EXPECT_EQ(reply->body,
            "{\"error\":{\"code\":503,\"status\":\"UNAVAILABLE\","
            "\"message\":\"too many connections\"}}");
}

TEST(HttpServerStartTest, RejectsBadOptions) {
  HttpServerOptions options;
  options.port = 0;
  options.address = "localhost";  // a name, not an address
  EXPECT_EQ(HttpServer::Start(options, nullptr).status().code(),
            absl::StatusCode::kInvalidArgument);
  options.address = "127.0.0.1";
  options.threads = 0;
  EXPECT_EQ(HttpServer::Start(options, nullptr).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(HttpServerStartTest, PortInUseIsUnavailable) {
  HttpServerOptions options;
  options.port = 0;
  auto first = HttpServer::Start(options, [](const HttpRequest&) {
    return HandlerResult::Complete(HttpResponse{});
  });
  ASSERT_TRUE(first.ok());
  options.port = (*first)->port();
  EXPECT_EQ(HttpServer::Start(options, nullptr).status().code(),
            absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace cxdesk::clients::web
