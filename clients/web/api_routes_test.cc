#include "clients/web/api_routes.h"

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/ascii.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "clients/lib/testing/in_process_server.h"
#include "clients/web/router.h"
#include "gtest/gtest.h"
#include "services/common/clock.h"

namespace cxdesk::clients::web {
namespace {

namespace ticketpb = ::cxdesk::ticket::v1;

constexpr char kOrigin[] = "http://127.0.0.1:7180";
constexpr char kKey[] = "key-7";

// A ticket service knowing one ticket, 7, whose key is "key-7": no key is
// UNAUTHENTICATED, a wrong key or another ticket NOT_FOUND (as the real one
// answers). Records the last request and the key metadata it was sent.
class FakeTicketService final : public ticketpb::TicketService::Service {
 public:
  grpc::Status CreateTicket(grpc::ServerContext* context,
                            const ticketpb::CreateTicketRequest* request,
                            ticketpb::CreateTicketResponse* response) override {
    Record(*context, *request);
    if (request->subject() == "boom") {
      return grpc::Status(grpc::StatusCode::INTERNAL,
                          "pq: password=hunter2 at db.internal");
    }
    if (request->subject().empty()) {
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                          "subject: required");
    }
    response->mutable_ticket()->set_id(7);
    response->mutable_ticket()->set_subject(request->subject());
    response->set_access_key(kKey);
    return grpc::Status::OK;
  }

  grpc::Status GetTicketStatus(grpc::ServerContext* context,
                               const ticketpb::GetTicketStatusRequest* request,
                               ticketpb::TicketStatusView* response) override {
    Record(*context, *request);
    if (grpc::Status denied = Check(*context, request->ticket_id());
        !denied.ok()) {
      return denied;
    }
    response->set_ticket_id(7);
    response->set_subject("Printer on fire");
    response->set_status(ticketpb::STATUS_OPEN);
    return grpc::Status::OK;
  }

  grpc::Status AddComment(grpc::ServerContext* context,
                          const ticketpb::AddCommentRequest* request,
                          ticketpb::Comment* response) override {
    Record(*context, *request);
    if (grpc::Status denied = Check(*context, request->ticket_id());
        !denied.ok()) {
      return denied;
    }
    response->set_id(3);
    response->set_ticket_id(request->ticket_id());
    response->set_visibility(request->visibility());
    response->set_body(request->body());
    return grpc::Status::OK;
  }

  grpc::Status RateTicket(grpc::ServerContext* context,
                          const ticketpb::RateTicketRequest* request,
                          ticketpb::Ticket* response) override {
    Record(*context, *request);
    if (grpc::Status denied = Check(*context, request->ticket_id());
        !denied.ok()) {
      return denied;
    }
    response->set_id(request->ticket_id());
    response->mutable_rating()->set_score(request->score());
    return grpc::Status::OK;
  }

  // The last request, in text format, and the key metadata it came with.
  std::string last_request() const {
    absl::MutexLock lock(&mu_);
    return last_request_;
  }
  std::string last_key() const {
    absl::MutexLock lock(&mu_);
    return last_key_;
  }
  int calls() const {
    absl::MutexLock lock(&mu_);
    return calls_;
  }

 private:
  static grpc::Status Check(const grpc::ServerContext& context, int64_t id) {
    const std::string key = MetadataValue(context, "x-cxdesk-access-key");
    if (key == "<none>") {
      return grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                          "an access key is required");
    }
    if (id != 7 || key != kKey) {
      return grpc::Status(grpc::StatusCode::NOT_FOUND,
                          "ticket_id: no such ticket");
    }
    return grpc::Status::OK;
  }

  void Record(const grpc::ServerContext& context,
              const google::protobuf::Message& request) {
    absl::MutexLock lock(&mu_);
    ++calls_;
    last_request_ = request.ShortDebugString();
    last_key_ = MetadataValue(context, "x-cxdesk-access-key");
  }

  mutable absl::Mutex mu_;
  std::string last_request_ ABSL_GUARDED_BY(mu_);
  std::string last_key_ ABSL_GUARDED_BY(mu_) = "<no call>";
  int calls_ ABSL_GUARDED_BY(mu_) = 0;
};

// A clock that stands still, so the Retry-After of the limit is exact.
class StillClock final : public common::Clock {
 public:
  absl::Time Now() const override { return absl::FromUnixSeconds(1767225600); }
};

class TicketApiTest : public InProcessServerTest<FakeTicketService> {
 protected:
  void SetUp() override {
    InProcessServerTest::SetUp();
    ASSERT_FALSE(HasFatalFailure());
    Serve(target_);
  }

  // Serves the API over a client of `target`.
  void Serve(const std::string& target) {
    router_ = std::make_unique<Router>();
    client_ = TicketClient::Connect(target, {}, absl::Seconds(5));
    TicketApi::Options options;
    options.origin = kOrigin;
    options.guess_limit.max_failures = 3;
    api_ = std::make_unique<TicketApi>(options, *client_, clock_);
    api_->AddRoutes(*router_);
  }

  HttpResponse Send(
      const std::string& method, const std::string& path,
      const std::string& body = "",
      std::vector<std::pair<std::string, std::string>> headers = {}) {
    HttpRequest request;
    request.method = method;
    request.target = path;
    request.path = path;
    request.body = body;
    request.headers = std::move(headers);
    request.peer_address = peer_;
    return router_->Dispatch(request).response;
  }

  static std::string HeaderOf(const HttpResponse& response,
                              const std::string& name) {
    for (const auto& [key, value] : response.headers) {
      if (absl::AsciiStrToLower(key) == absl::AsciiStrToLower(name)) {
        return value;
      }
    }
    return "<none>";
  }

  std::string peer_ = "203.0.113.9";
  StillClock clock_;
  std::unique_ptr<TicketClient> client_;
  std::unique_ptr<TicketApi> api_;
  std::unique_ptr<Router> router_;
};

constexpr char kCookie7[] =
    "cxk_7=key-7; Path=/; Max-Age=2592000; HttpOnly; SameSite=Strict";

TEST_F(TicketApiTest, CreateAnswers201WithTheKeyInTheBodyAndACookie) {
  HttpResponse response =
      Send("POST", "/api/v1/tickets",
           R"({"subject":"Printer on fire","description":"help",)"
           R"("customerEmail":"a@example.com","channel":"CHANNEL_EMAIL"})",
           {{"origin", kOrigin}});
  EXPECT_EQ(response.status, 201);
  EXPECT_EQ(HeaderOf(response, "Content-Type"), "application/json");
  EXPECT_EQ(HeaderOf(response, "Set-Cookie"), kCookie7);
  EXPECT_EQ(HeaderOf(response, "Location"), "/api/v1/tickets/7/status");
  EXPECT_EQ(response.body,
            R"({"ticket":{"id":"7","subject":"Printer on fire"},)"
            R"("accessKey":"key-7"})");
  // The gateway's channel, whatever the body said; no credentials.
  EXPECT_EQ(service_.last_request(),
            "subject: \"Printer on fire\" description: \"help\" channel: "
            "CHANNEL_WEB customer_email: \"a@example.com\"");
  EXPECT_EQ(service_.last_key(), "<none>");
}

TEST_F(TicketApiTest, CreateWithAServiceErrorNamesTheField) {
  HttpResponse response =
      Send("POST", "/api/v1/tickets", R"({"description":"x"})");
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(HeaderOf(response, "Set-Cookie"), "<none>");
  EXPECT_EQ(response.body,
            R"({"error":{"code":400,"status":"INVALID_ARGUMENT",)"
            R"("message":"subject: required","field":"subject"}})");
}

TEST_F(TicketApiTest, InternalIs500WithTheGenericMessage) {
  HttpResponse response =
      Send("POST", "/api/v1/tickets", R"({"subject":"boom"})");
  EXPECT_EQ(response.status, 500);
  EXPECT_EQ(response.body,
            R"({"error":{"code":500,"status":"INTERNAL","message":)"
            R"("something went wrong on our side; please try again"}})");
}

TEST_F(TicketApiTest, BadJsonAndUnknownFieldsAre400BeforeAnyCall) {
  HttpResponse malformed = Send("POST", "/api/v1/tickets", "{not json");
  EXPECT_EQ(malformed.status, 400);
  EXPECT_EQ(HeaderOf(malformed, "Content-Type"), "application/json");
  EXPECT_NE(malformed.body.find(R"("status":"INVALID_ARGUMENT","message":)"
                                R"("body: )"),
            std::string::npos)
      << malformed.body;
  HttpResponse unknown = Send("POST", "/api/v1/tickets/7/comments",
                              R"({"bodee":"hi"})", {{"cookie", "cxk_7=key-7"}});
  EXPECT_EQ(unknown.status, 400);
  EXPECT_NE(unknown.body.find("bodee"), std::string::npos) << unknown.body;
  EXPECT_EQ(service_.calls(), 0);
}

TEST_F(TicketApiTest, StatusWithTheCookieSendsItsKey) {
  HttpResponse response =
      Send("GET", "/api/v1/tickets/7/status", "",
           {{"cookie", "theme=dark; cxk_7=key-7; cxk_8=other"}});
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(HeaderOf(response, "Content-Type"), "application/json");
  EXPECT_EQ(response.body, R"({"ticketId":"7","subject":"Printer on fire",)"
                           R"("status":"STATUS_OPEN"})");
  EXPECT_EQ(service_.last_key(), "key-7");
  EXPECT_EQ(service_.last_request(), "ticket_id: 7");
}

TEST_F(TicketApiTest, TheHeaderKeyWinsOverTheCookie) {
  HttpResponse response =
      Send("GET", "/api/v1/tickets/7/status", "",
           {{"cookie", "cxk_7=stale"}, {"x-cxdesk-access-key", "key-7"}});
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(service_.last_key(), "key-7");
}

TEST_F(TicketApiTest, NoKeyIsTheServices401) {
  HttpResponse response = Send("GET", "/api/v1/tickets/7/status");
  EXPECT_EQ(response.status, 401);
  EXPECT_EQ(service_.last_key(), "<none>");
  EXPECT_EQ(response.body, R"({"error":{"code":401,"status":"UNAUTHENTICATED",)"
                           R"("message":"an access key is required"}})");
}

TEST_F(TicketApiTest, AKeyThatIsNotKeyShapedIsNeverSent) {
  HttpResponse response = Send("GET", "/api/v1/tickets/7/status", "",
                               {{"x-cxdesk-access-key", "key-7\r\nx: y"}});
  EXPECT_EQ(response.status, 401);
  EXPECT_EQ(service_.last_key(), "<none>");
}

TEST_F(TicketApiTest, AWrongKeyAndAnUnknownTicketAreTheSame404) {
  HttpResponse wrong =
      Send("GET", "/api/v1/tickets/7/status", "", {{"cookie", "cxk_7=guess"}});
  HttpResponse unknown = Send("GET", "/api/v1/tickets/8/status", "",
                              {{"x-cxdesk-access-key", "key-7"}});
  EXPECT_EQ(wrong.status, 404);
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(wrong.body, unknown.body);
  EXPECT_EQ(wrong.body,
            R"({"error":{"code":404,"status":"NOT_FOUND","message":)"
            R"("ticket_id: no such ticket","field":"ticket_id"}})");
}

TEST_F(TicketApiTest, BadIdsAre400NamingTicketId) {
  for (const std::string id :
       {"abc", "0", "-1", "+7", "99999999999999999999"}) {
    HttpResponse response = Send("GET", "/api/v1/tickets/" + id + "/status");
    EXPECT_EQ(response.status, 400) << id;
    EXPECT_EQ(
        response.body,
        R"({"error":{"code":400,"status":"INVALID_ARGUMENT","message":)"
        R"("ticket_id: must be a positive integer","field":"ticket_id"}})")
        << id;
  }
  EXPECT_EQ(service_.calls(), 0);
}

TEST_F(TicketApiTest, CommentIsAPublicReplyToThePathsTicket) {
  HttpResponse response =
      Send("POST", "/api/v1/tickets/7/comments",
           R"({"body":"still burning","ticketId":"9"})",
           {{"cookie", "cxk_7=key-7"}, {"origin", kOrigin}});
  EXPECT_EQ(response.status, 201);
  EXPECT_EQ(HeaderOf(response, "Content-Type"), "application/json");
  EXPECT_EQ(response.body,
            R"({"id":"3","ticketId":"7","visibility":"VISIBILITY_PUBLIC",)"
            R"("body":"still burning"})");
  EXPECT_EQ(service_.last_request(),
            "ticket_id: 7 visibility: VISIBILITY_PUBLIC body: \"still "
            "burning\"");
  EXPECT_EQ(service_.last_key(), "key-7");
}

TEST_F(TicketApiTest, RateSendsScoreAndComment) {
  HttpResponse response =
      Send("POST", "/api/v1/tickets/7:rate", R"({"score":5,"comment":"ok"})",
           {{"x-cxdesk-access-key", "key-7"}});
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, R"({"id":"7","rating":{"score":5}})");
  EXPECT_EQ(service_.last_request(), "ticket_id: 7 score: 5 comment: \"ok\"");
}

TEST_F(TicketApiTest, ExchangeKeyChecksTheKeyThenSetsTheCookie) {
  HttpResponse response =
      Send("POST", "/api/v1/tickets/7:exchangeKey", R"({"accessKey":"key-7"})",
           {{"origin", kOrigin}});
  EXPECT_EQ(response.status, 204);
  EXPECT_EQ(response.body, "");
  EXPECT_EQ(HeaderOf(response, "Set-Cookie"), kCookie7);
  EXPECT_EQ(service_.last_request(), "ticket_id: 7");
  EXPECT_EQ(service_.last_key(), "key-7");
}

TEST_F(TicketApiTest, ExchangeKeyWithAWrongKeyIs404WithoutACookie) {
  HttpResponse response =
      Send("POST", "/api/v1/tickets/7:exchangeKey", R"({"accessKey":"guess"})");
  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(HeaderOf(response, "Set-Cookie"), "<none>");
}

TEST_F(TicketApiTest, ExchangeKeyBodyMustHoldOnlyAKey) {
  for (const std::string body :
       {R"({"accessKey":"key-7","x":1})", R"({"accessKey":5})", "{}",
        R"({"accessKey":"a b"})", "[1]"}) {
    HttpResponse response = Send("POST", "/api/v1/tickets/7:exchangeKey", body);
    EXPECT_EQ(response.status, 400) << body;
  }
  EXPECT_EQ(service_.calls(), 0);
}

TEST_F(TicketApiTest, AnotherOriginIs403OnEveryPost) {
  const std::vector<std::string> paths = {
      "/api/v1/tickets", "/api/v1/tickets/7/comments", "/api/v1/tickets/7:rate",
      "/api/v1/tickets/7:exchangeKey"};
  for (const std::string& path : paths) {
    HttpResponse response =
        Send("POST", path, R"({"body":"x"})",
             {{"origin", "https://evil.example"}, {"cookie", "cxk_7=key-7"}});
    EXPECT_EQ(response.status, 403) << path;
    EXPECT_EQ(response.body,
              R"({"error":{"code":403,"status":"PERMISSION_DENIED","message":)"
              R"("Origin: requests from another site are not accepted"}})")
        << path;
  }
  EXPECT_EQ(service_.calls(), 0);
}

TEST_F(TicketApiTest, PastTheGuessLimitIs429BeforeAnyCall) {
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(Send("POST", "/api/v1/tickets/7:exchangeKey",
                   R"({"accessKey":"guess"})")
                  .status,
              404)
        << i;
  }
  const int calls = service_.calls();
  HttpResponse response =
      Send("GET", "/api/v1/tickets/7/status", "", {{"cookie", "cxk_7=key-7"}});
  EXPECT_EQ(response.status, 429);
  EXPECT_EQ(HeaderOf(response, "Retry-After"), "60");
  EXPECT_EQ(response.body,
            R"({"error":{"code":429,"status":"RESOURCE_EXHAUSTED","message":)"
            R"("too many wrong keys or unknown tickets from this address; )"
            R"(try again later"}})");
  EXPECT_EQ(service_.calls(), calls);
}

TEST_F(TicketApiTest, TheGuessLimitIsPerAddressAndCountsNoKeyToo) {
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(Send("GET", "/api/v1/tickets/7/status").status, 401) << i;
  }
  EXPECT_EQ(Send("GET", "/api/v1/tickets/7/status").status, 429);
  peer_ = "198.51.100.4";
  HttpResponse other =
      Send("GET", "/api/v1/tickets/7/status", "", {{"cookie", "cxk_7=key-7"}});
  EXPECT_EQ(other.status, 200);
  // A good answer does not count, nor does a new ticket.
  EXPECT_EQ(Send("POST", "/api/v1/tickets", R"({"subject":"x"})").status, 201);
}

TEST_F(TicketApiTest, ServiceDownIs503WithRetryAfter) {
  Serve("127.0.0.1:1");  // nobody listens there
  HttpResponse response =
      Send("GET", "/api/v1/tickets/7/status", "", {{"cookie", "cxk_7=key-7"}});
  EXPECT_EQ(response.status, 503);
  EXPECT_EQ(HeaderOf(response, "Retry-After"), "1");
  EXPECT_EQ(response.body,
            R"({"error":{"code":503,"status":"UNAVAILABLE","message":)"
            R"("the ticket service is not reachable just now; please try )"
            R"(again"}})");
  HttpResponse create = Send("POST", "/api/v1/tickets", R"({"subject":"x"})");
  EXPECT_EQ(create.status, 503);
}

}  // namespace
}  // namespace cxdesk::clients::web
