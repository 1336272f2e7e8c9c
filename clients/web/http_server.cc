#include "clients/web/http_server.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <deque>
#include <exception>
#include <map>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "services/common/log.h"

namespace cxdesk::clients::web {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using error_code = beast::error_code;

// How long a connection closed after an error answer keeps reading (and
// dropping) what its client still sends, so the answer is not lost to a
// reset, and how much it reads at most.
constexpr auto kLingerTime = std::chrono::seconds(2);
constexpr size_t kMaxLingerBytes = 4 * 1024 * 1024;
// A stream whose client reads slower than this much queued data is closed.
constexpr size_t kMaxStreamBacklog = 1024 * 1024;

std::chrono::steady_clock::duration ToChrono(absl::Duration d) {
  return absl::ToChronoNanoseconds(d);
}

std::string ToString(beast::string_view text) {
  return std::string(text.data(), text.size());
}

// The headers HttpServer promises on every response.
void AddSecurityHeaders(HttpResponse* response) {
  if (!response->HasHeader("Content-Security-Policy")) {
    response->SetHeader("Content-Security-Policy", kContentSecurityPolicy);
  }
  response->SetHeader("X-Content-Type-Options", "nosniff");
  response->SetHeader("Referrer-Policy", "no-referrer");
  if (!response->HasHeader("Cache-Control")) {
    response->SetHeader("Cache-Control", "no-store");
  }
}

// Copies status and headers (with the security headers) into `head`.
template <class Header>
void FillHead(HttpResponse response, Header* head) {
  AddSecurityHeaders(&response);
  head->version(11);
  head->result(static_cast<unsigned>(response.status));
  for (const auto& [name, value] : response.headers) {
    head->insert(name, value);
  }
}

bool IsParseError(const error_code& ec) {
  return ec.category() ==
             http::make_error_code(http::error::bad_target).category() &&
         ec != http::error::end_of_stream && ec != http::error::partial_message;
}

class Session;

}  // namespace

struct HttpServer::Impl {
  Impl(const HttpServerOptions& opts, HttpHandler h)
      : options(opts), handler(std::move(h)) {}

  // Accepts the next connection, forever until the acceptor closes.
  void Accept();
  // Registers and starts a session for `socket`, or turns it away.
  void OnAccepted(tcp::socket socket);
  // Called by a session's destructor.
  void Forget(Session* session) {
    absl::MutexLock lock(&mu);
    sessions.erase(session);
  }

  const HttpServerOptions options;
  const HttpHandler handler;
  uint16_t port = 0;

  // Before the io_context: sessions destroyed with it still reach them.
  absl::Mutex mu;
  std::map<Session*, std::weak_ptr<Session>> sessions ABSL_GUARDED_BY(mu);
  bool stopping ABSL_GUARDED_BY(mu) = false;

  asio::io_context ioc;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>>
      work;
  asio::strand<asio::io_context::executor_type> accept_strand{
      asio::make_strand(ioc)};
  tcp::acceptor acceptor{accept_strand};
  std::vector<std::thread> threads;
};

namespace {

class Session;

// The ResponseStream of one streamed response. Its state outlives the
// session; writes reach the session through its strand while it lives.
class SessionStream final : public ResponseStream {
 public:
  explicit SessionStream(std::weak_ptr<Session> session)
      : session_(std::move(session)) {}

  bool Write(std::string data) override;
  void Close() override;
  bool closed() const override {
    absl::MutexLock lock(&mu_);
    return closed_;
  }
  bool WaitClosed(absl::Duration timeout) const override {
    absl::MutexLock lock(&mu_);
    mu_.AwaitWithTimeout(absl::Condition(&closed_), timeout);
    return closed_;
  }
  // The session's side: the client went away, a write failed or the server
  // stops.
  void MarkClosed() {
    absl::MutexLock lock(&mu_);
    closed_ = true;
  }

 private:
  mutable absl::Mutex mu_;
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
  std::weak_ptr<Session> session_;
};

// One connection. Everything but Shutdown() and the Post* functions runs on
// the connection's strand (the executor of its socket).
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, HttpServer::Impl* server)
      : stream_(std::move(socket)), server_(server) {}
  ~Session() { server_->Forget(this); }

  // Reads the first request.
  void Start() {
    asio::dispatch(stream_.get_executor(),
                   [self = shared_from_this()] { self->ReadHeader(); });
  }

  // From any thread: closes the connection and its stream.
  void Shutdown() {
    {
      absl::MutexLock lock(&stream_mu_);
      if (stream_state_ != nullptr) stream_state_->MarkClosed();
    }
    asio::post(stream_.get_executor(),
               [self = shared_from_this()] { self->CloseNow(); });
  }

  // From any thread, for SessionStream.
  void PostStreamWrite(std::string data) {
    asio::post(stream_.get_executor(),
               [self = shared_from_this(), data = std::move(data)]() mutable {
                 self->QueueStreamData(std::move(data));
               });
  }
  void PostStreamEnd() {
    asio::post(stream_.get_executor(), [self = shared_from_this()] {
      self->stream_ending_ = true;
      if (!self->writing_) self->EndStream();
    });
  }

 private:
  const HttpServerOptions& options() const { return server_->options; }

  void WaitForNextRequest();
  void ReadHeader();
  void OnHeader(const error_code& ec);
  // Reads the rest of the body under the body timeout set by OnHeader.
  void ReadBody();
  void OnBody(const error_code& ec);
  // Maps a read error: an answer for limits and malformed requests, a
  // plain close for the rest.
  void OnReadError(const error_code& ec);
  void Handle();
  HttpRequest TakeRequest();
  void Respond(HttpResponse response, bool keep_alive);
  void CloseAfterAnswer();
  void Linger();
  void CloseNow() {
    error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.close();
    if (streaming_) stream_state_->MarkClosed();
  }

  void StartStream(HandlerResult result);
  void WatchClient();
  void QueueStreamData(std::string data);
  void WriteStreamData();
  void EndStream();

  beast::tcp_stream stream_;
  HttpServer::Impl* const server_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::shared_ptr<http::response<http::string_body>> response_;
  size_t lingered_ = 0;

  // Streaming: set once on the strand; read by Shutdown() under stream_mu_.
  absl::Mutex stream_mu_;
  std::shared_ptr<SessionStream> stream_state_;
  bool streaming_ = false;
  std::shared_ptr<http::response<http::empty_body>> stream_head_;
  std::shared_ptr<http::response_serializer<http::empty_body>> head_writer_;
  std::deque<std::string> outbox_;
  size_t outbox_bytes_ = 0;
  bool writing_ = false;
  bool stream_ending_ = false;
  std::array<char, 512> discard_;
};

bool SessionStream::Write(std::string data) {
  std::shared_ptr<Session> session;
  {
    absl::MutexLock lock(&mu_);
    if (closed_) return false;
    session = session_.lock();
    if (session == nullptr) {
      closed_ = true;
      return false;
    }
  }
  session->PostStreamWrite(std::move(data));
  return true;
}

void SessionStream::Close() {
  std::shared_ptr<Session> session;
  {
    absl::MutexLock lock(&mu_);
    if (closed_) return;
    closed_ = true;
    session = session_.lock();
  }
  if (session != nullptr) session->PostStreamEnd();
}

void Session::WaitForNextRequest() {
  if (buffer_.size() > 0) {  // pipelined: the next request is here already
    ReadHeader();
    return;
  }
  // Idle until the first byte, then the header timeout runs.
  stream_.expires_after(ToChrono(options().idle_timeout));
  stream_.async_read_some(
      buffer_.prepare(1024),
      [self = shared_from_this()](const error_code& ec, size_t n) {
        if (ec) {
          self->CloseNow();
          return;
        }
        self->buffer_.commit(n);
        self->ReadHeader();
      });
}

void Session::ReadHeader() {
  parser_.emplace();
  parser_->header_limit(options().header_limit);
  parser_->body_limit(options().body_limit);
  stream_.expires_after(ToChrono(options().header_timeout));
  http::async_read_header(
      stream_, buffer_, *parser_,
      [self = shared_from_this()](const error_code& ec, size_t) {
        self->OnHeader(ec);
      });
}

void Session::OnHeader(const error_code& ec) {
  if (ec) {
    OnReadError(ec);
    return;
  }
  if (parser_->is_done()) {
    Handle();
    return;
  }
  stream_.expires_after(ToChrono(options().body_timeout));
  if (!beast::iequals(parser_->get()[http::field::expect], "100-continue")) {
    ReadBody();
    return;
  }
  // The client (curl, for a body over 1 KiB) waits for a go-ahead before it
  // sends the body; the limits were checked on the headers already.
  static constexpr char kContinue[] = "HTTP/1.1 100 Continue\r\n\r\n";
  asio::async_write(stream_, asio::buffer(kContinue, sizeof(kContinue) - 1),
                    [self = shared_from_this()](const error_code& ec, size_t) {
                      if (ec) {
                        self->CloseNow();
                        return;
                      }
                      self->ReadBody();
                    });
}

void Session::ReadBody() {
  http::async_read(stream_, buffer_, *parser_,
                   [self = shared_from_this()](const error_code& ec, size_t) {
                     self->OnBody(ec);
                   });
}

void Session::OnBody(const error_code& ec) {
  if (ec) {
    OnReadError(ec);
    return;
  }
  Handle();
}

void Session::OnReadError(const error_code& ec) {
  if (ec == http::error::header_limit) {
    Respond(ErrorResponse(431, "request headers too large"), false);
  } else if (ec == http::error::body_limit) {
    Respond(ErrorResponse(413, absl::StrCat("request body larger than ",
                                            options().body_limit, " bytes")),
            false);
  } else if (IsParseError(ec)) {
    Respond(ErrorResponse(400, "malformed HTTP request"), false);
  } else {
    // The client went away, or was too slow (beast::error::timeout): the
    // socket is closed already or there is no one to answer.
    CloseNow();
  }
}

HttpRequest Session::TakeRequest() {
  http::request<http::string_body> message = parser_->release();
  HttpRequest request;
  request.method = ToString(message.method_string());
  request.target = ToString(message.target());
  size_t question = request.target.find('?');
  request.path = request.target.substr(0, question);
  if (question != std::string::npos) {
    request.query_string = request.target.substr(question + 1);
  }
  for (const auto& field : message) {
    request.headers.emplace_back(
        absl::AsciiStrToLower(ToString(field.name_string())),
        ToString(field.value()));
  }
  request.body = std::move(message.body());
  error_code ec;
  const tcp::endpoint peer = stream_.socket().remote_endpoint(ec);
  // A socket already reset has no peer; the request is still answered.
  if (!ec) request.peer_address = peer.address().to_string();
  return request;
}

void Session::Handle() {
  bool keep_alive = parser_->get().keep_alive();
  HttpRequest request = TakeRequest();
  HandlerResult result;
  try {
    result = server_->handler(request);
  } catch (const std::exception& e) {
    CXDESK_LOG(Error) << "web: handler for " << request.method << " "
                      << request.path << " threw: " << e.what();
    result = HandlerResult::Complete(ErrorResponse(500, "internal error"));
  } catch (...) {
    CXDESK_LOG(Error) << "web: handler for " << request.method << " "
                      << request.path << " threw";
    result = HandlerResult::Complete(ErrorResponse(500, "internal error"));
  }
  if (result.stream) {
    StartStream(std::move(result));
    return;
  }
  bool server_error = result.response.status >= 500;
  Respond(std::move(result.response), keep_alive && !server_error);
}

void Session::Respond(HttpResponse response, bool keep_alive) {
  response_ = std::make_shared<http::response<http::string_body>>();
  response_->body() = std::move(response.body);
  FillHead(std::move(response), &response_->base());
  response_->keep_alive(keep_alive);
  response_->prepare_payload();
  // A client that does not read its answer is dropped like an idle one.
  stream_.expires_after(ToChrono(options().idle_timeout));
  http::async_write(
      stream_, *response_,
      [self = shared_from_this(), keep_alive](const error_code& ec, size_t) {
        self->response_.reset();
        if (ec) {
          self->CloseNow();
        } else if (keep_alive) {
          self->WaitForNextRequest();
        } else {
          self->CloseAfterAnswer();
        }
      });
}

void Session::CloseAfterAnswer() {
  // Closing with unread input would reset the connection and could destroy
  // the answer before the client reads it: send FIN, then drain a while.
  error_code ignored;
  stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
  buffer_.clear();
  lingered_ = 0;
  stream_.expires_after(kLingerTime);
  Linger();
}

void Session::Linger() {
  stream_.async_read_some(
      asio::buffer(discard_),
      [self = shared_from_this()](const error_code& ec, size_t n) {
        self->lingered_ += n;
        if (ec || self->lingered_ > kMaxLingerBytes) {
          self->CloseNow();
          return;
        }
        self->Linger();
      });
}

void Session::StartStream(HandlerResult result) {
  auto state = std::make_shared<SessionStream>(weak_from_this());
  {
    absl::MutexLock lock(&stream_mu_);
    stream_state_ = state;
  }
  streaming_ = true;
  stream_head_ = std::make_shared<http::response<http::empty_body>>();
  FillHead(std::move(result.response), &stream_head_->base());
  // No Content-Length: the body ends when the connection does.
  stream_head_->keep_alive(false);
  head_writer_ = std::make_shared<http::response_serializer<http::empty_body>>(
      *stream_head_);
  stream_.expires_after(ToChrono(options().idle_timeout));
  writing_ = true;
  http::async_write_header(
      stream_, *head_writer_,
      [self = shared_from_this(), on_open = std::move(result.stream), state](
          const error_code& ec, size_t) {
        self->writing_ = false;
        if (ec) {
          self->CloseNow();
          return;
        }
        self->stream_.expires_never();
        self->WatchClient();
        try {
          on_open(state);
        } catch (const std::exception& e) {
          CXDESK_LOG(Error) << "web: stream opener threw: " << e.what();
          state->Close();
        } catch (...) {
          CXDESK_LOG(Error) << "web: stream opener threw";
          state->Close();
        }
        self->WriteStreamData();
      });
}

void Session::WatchClient() {
  // A streaming client sends nothing more; a read that ends means it left.
  stream_.async_read_some(
      asio::buffer(discard_),
      [self = shared_from_this()](const error_code& ec, size_t) {
        if (ec) {
          self->CloseNow();
          return;
        }
        self->WatchClient();
      });
}

void Session::QueueStreamData(std::string data) {
  if (!stream_.socket().is_open()) return;
  outbox_bytes_ += data.size();
  outbox_.push_back(std::move(data));
  if (outbox_bytes_ > kMaxStreamBacklog) {
    CXDESK_LOG(Warning) << "web: stream client too slow, closing";
    CloseNow();
    return;
  }
  WriteStreamData();
}

void Session::WriteStreamData() {
  if (writing_ || !stream_.socket().is_open()) return;
  if (outbox_.empty()) {
    if (stream_ending_) EndStream();
    return;
  }
  writing_ = true;
  asio::async_write(stream_, asio::buffer(outbox_.front()),
                    [self = shared_from_this()](const error_code& ec, size_t) {
                      self->writing_ = false;
                      self->outbox_bytes_ -= self->outbox_.front().size();
                      self->outbox_.pop_front();
                      if (ec) {
                        self->CloseNow();
                        return;
                      }
                      self->WriteStreamData();
                    });
}

void Session::EndStream() {
  if (!outbox_.empty()) {
    WriteStreamData();
    return;
  }
  CloseNow();
}

}  // namespace

void HttpServer::Impl::Accept() {
  acceptor.async_accept(
      asio::make_strand(ioc), [this](const error_code& ec, tcp::socket socket) {
        if (ec == asio::error::operation_aborted || !acceptor.is_open()) {
          return;
        }
        if (!ec) OnAccepted(std::move(socket));
        Accept();
      });
}

void HttpServer::Impl::OnAccepted(tcp::socket socket) {
  std::shared_ptr<Session> session;
  {
    absl::MutexLock lock(&mu);
    if (stopping) return;  // the socket closes as it goes
    if (sessions.size() < static_cast<size_t>(options.max_connections)) {
      session = std::make_shared<Session>(std::move(socket), this);
      sessions[session.get()] = session;
    }
  }
  if (session != nullptr) {
    session->Start();
    return;
  }
  // Turned away in a few bytes a fresh socket takes without blocking.
  HttpResponse busy = ErrorResponse(503, "too many connections");
  AddSecurityHeaders(&busy);
  std::string text = "HTTP/1.1 503 Service Unavailable\r\n";
  for (const auto& [name, value] : busy.headers) {
    absl::StrAppend(&text, name, ": ", value, "\r\n");
  }
  absl::StrAppend(&text, "Content-Length: ", busy.body.size(),
                  "\r\nConnection: close\r\n\r\n", busy.body);
  error_code ignored;
  asio::write(socket, asio::buffer(text), ignored);
  socket.shutdown(tcp::socket::shutdown_both, ignored);
  socket.close(ignored);
}

HttpServer::HttpServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

absl::StatusOr<std::unique_ptr<HttpServer>> HttpServer::Start(
    const HttpServerOptions& options, HttpHandler handler) {
  if (options.threads < 1 || options.max_connections < 1) {
    return absl::InvalidArgumentError(
        "threads and max_connections must be at least 1");
  }
  error_code ec;
  asio::ip::address address = asio::ip::make_address(options.address, ec);
  if (ec) {
    return absl::InvalidArgumentError(
        absl::StrCat("not an IP address: ", options.address));
  }
  auto impl = std::make_unique<Impl>(options, std::move(handler));
  tcp::endpoint endpoint(address, options.port);
  tcp::acceptor& acceptor = impl->acceptor;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", options.address, ":", options.port,
                     ": ", ec.message()));
  }
  impl->port = acceptor.local_endpoint().port();
  impl->work.emplace(impl->ioc.get_executor());
  asio::dispatch(impl->accept_strand, [raw = impl.get()] { raw->Accept(); });
  for (int i = 0; i < options.threads; ++i) {
    impl->threads.emplace_back([raw = impl.get()] { raw->ioc.run(); });
  }
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(impl)));
}

HttpServer::~HttpServer() { Stop(); }

uint16_t HttpServer::port() const { return impl_->port; }

void HttpServer::Stop() {
  std::vector<std::shared_ptr<Session>> open;
  {
    absl::MutexLock lock(&impl_->mu);
    if (impl_->stopping) return;
    impl_->stopping = true;
    for (auto& [raw, weak] : impl_->sessions) {
      if (auto session = weak.lock()) open.push_back(std::move(session));
    }
  }
  asio::post(impl_->accept_strand, [impl = impl_.get()] {
    error_code ignored;
    impl->acceptor.close(ignored);
  });
  for (auto& session : open) session->Shutdown();
  open.clear();
  impl_->work.reset();
  for (std::thread& thread : impl_->threads) thread.join();
  impl_->threads.clear();
}

}  // namespace cxdesk::clients::web
