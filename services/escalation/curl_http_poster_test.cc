#include "services/escalation/curl_http_poster.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "services/escalation/webhook.h"
#include "tests/support/http_receiver.h"

namespace cxdesk::escalation {
namespace {

using absl::StatusCode;
using ::cxdesk::testing::HttpReceiver;
using ::cxdesk::testing::ReceivedRequest;
using ::testing::Contains;
using ::testing::Each;
using ::testing::Eq;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Key;
using ::testing::Not;
using ::testing::Pair;
using ::testing::SizeIs;

const absl::Duration kTimeout = absl::Seconds(10);

// Hermetic: never through a proxy from the environment.
CurlHttpPosterOptions NoProxy() {
  CurlHttpPosterOptions options;
  options.proxy = "";
  return options;
}

class CurlHttpPosterTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(receiver_.Start().ok()); }

  HttpRequest Request(std::string path, std::string body = R"({"a":1})") {
    HttpRequest request;
    request.url = receiver_.url(path);
    request.body = std::move(body);
    request.timeout = kTimeout;
    return request;
  }

  HttpReceiver receiver_;
  CurlHttpPoster poster_{NoProxy()};
};

TEST_F(CurlHttpPosterTest, DeliversHeadersAndBodyExactly) {
  const std::string body =
      "{\"event\":\"escalation.step\",\"ticket\":\"T-1\",\"note\":"
      "\"caf\xc3\xa9 "
      "\\\"quoted\\\"\\n\"}";
  HttpRequest request = Request("/hooks/team-a?x=1&y=2", body);
  const std::string signature = WebhookSignature("s3cret", 1700000000, body);
  request.headers = {{std::string(kSignatureHeader), signature},
                     {std::string(kDeliveryHeader), "d-42"},
                     {std::string(kEventHeader), "escalation.step"}};

  absl::StatusOr<int> status = poster_.Post(request);

  ASSERT_TRUE(status.ok()) << status.status();
  EXPECT_EQ(*status, 200);
  const std::vector<ReceivedRequest> received = receiver_.Requests();
  ASSERT_THAT(received, SizeIs(1));
  const ReceivedRequest& r = received[0];
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.path, "/hooks/team-a?x=1&y=2");
  EXPECT_EQ(r.body, body);
  EXPECT_THAT(r.headers, Contains(Pair("x-cxdesk-signature", signature)));
  EXPECT_THAT(r.headers, Contains(Pair("x-cxdesk-delivery", "d-42")));
  EXPECT_THAT(r.headers, Contains(Pair("x-cxdesk-event", "escalation.step")));
  EXPECT_THAT(r.headers, Contains(Pair("content-type", "application/json")));
  EXPECT_THAT(r.headers,
              Contains(Pair("content-length", absl::StrCat(body.size()))));
  EXPECT_THAT(r.headers, Contains(Pair("user-agent", "cxdesk-escalation")));
  EXPECT_THAT(r.headers, Not(Contains(Key("expect"))));
  // What a receiver does with it.
  EXPECT_TRUE(VerifyWebhookSignature(
                  "s3cret", r.headers.at("x-cxdesk-signature"), r.body,
                  absl::FromUnixSeconds(1700000000), absl::Minutes(5))
                  .ok());
}

TEST_F(CurlHttpPosterTest, KeepsTheCallersContentTypeAndEmptyHeaders) {
  HttpRequest request = Request("/", "plain");
  request.headers = {{"Content-Type", "text/plain"}, {"X-Empty", ""}};

  absl::StatusOr<int> status = poster_.Post(request);

  ASSERT_TRUE(status.ok()) << status.status();
  const std::vector<ReceivedRequest> received = receiver_.Requests();
  ASSERT_THAT(received, SizeIs(1));
  EXPECT_THAT(received[0].headers,
              Contains(Pair("content-type", "text/plain")));
  EXPECT_THAT(received[0].headers, Contains(Pair("x-empty", "")));
}

TEST_F(CurlHttpPosterTest, SendsAnEmptyBody) {
  absl::StatusOr<int> status = poster_.Post(Request("/", ""));

  ASSERT_TRUE(status.ok()) << status.status();
  EXPECT_EQ(*status, 200);
  const std::vector<ReceivedRequest> received = receiver_.Requests();
  ASSERT_THAT(received, SizeIs(1));
  EXPECT_EQ(received[0].body, "");
  EXPECT_THAT(received[0].headers, Contains(Pair("content-length", "0")));
}

TEST_F(CurlHttpPosterTest, SendsALargeBodyExactly) {
  std::string body(1 << 20, '\0');
  for (size_t i = 0; i < body.size(); ++i) body[i] = static_cast<char>(i % 251);

  absl::StatusOr<int> status = poster_.Post(Request("/big", body));

  ASSERT_TRUE(status.ok()) << status.status();
  EXPECT_EQ(*status, 200);
  const std::vector<ReceivedRequest> received = receiver_.Requests();
  ASSERT_THAT(received, SizeIs(1));
  EXPECT_TRUE(received[0].body == body) << "body differs";
}

TEST_F(CurlHttpPosterTest, ReturnsAnErrorStatusCodeAsIs) {
  receiver_.FailNext(1, 500);
  absl::StatusOr<int> first = poster_.Post(Request("/"));
  receiver_.FailNext(1, 429);
  absl::StatusOr<int> second = poster_.Post(Request("/"));
  absl::StatusOr<int> third = poster_.Post(Request("/"));

  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(*first, 500);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(*second, 429);
  ASSERT_TRUE(third.ok()) << third.status();
  EXPECT_EQ(*third, 200);
  EXPECT_THAT(receiver_.Requests(), SizeIs(3));
}

TEST_F(CurlHttpPosterTest, DoesNotFollowARedirect) {
  receiver_.FailNext(1, 301);

  absl::StatusOr<int> status = poster_.Post(Request("/"));

  ASSERT_TRUE(status.ok()) << status.status();
  EXPECT_EQ(*status, 301);
  EXPECT_THAT(receiver_.Requests(), SizeIs(1));
}

TEST_F(CurlHttpPosterTest, ReadsAtMostTheResponseCapAndStillReturnsTheCode) {
  receiver_.SetResponseBody(std::string(1 << 20, 'x'));
  CurlHttpPosterOptions options = NoProxy();
  options.max_response_bytes = 1024;
  CurlHttpPoster capped(options);

  receiver_.FailNext(1, 503);
  absl::StatusOr<int> failed = capped.Post(Request("/"));
  absl::StatusOr<int> ok = capped.Post(Request("/"));

  ASSERT_TRUE(failed.ok()) << failed.status();
  EXPECT_EQ(*failed, 503);
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_EQ(*ok, 200);
}

TEST_F(CurlHttpPosterTest, ConnectionRefusedIsUnavailable) {
  HttpReceiver closed;
  ASSERT_TRUE(closed.Start().ok());
  const std::string url = closed.url("/hooks/secret-token-123");
  closed.Stop();
  HttpRequest request = Request("/");
  request.url = url;

  absl::StatusOr<int> status = poster_.Post(request);

  EXPECT_EQ(status.status().code(), StatusCode::kUnavailable)
      << status.status();
  EXPECT_THAT(status.status().message(), HasSubstr("127.0.0.1"));
  // The URL's path may be a secret: never in a message.
  EXPECT_THAT(status.status().message(), Not(HasSubstr("secret-token")));
}

TEST_F(CurlHttpPosterTest, ASlowReceiverIsDeadlineExceeded) {
  receiver_.SetDelay(absl::Seconds(2));
  HttpRequest request = Request("/slow");
  request.timeout = absl::Milliseconds(200);

  absl::StatusOr<int> status = poster_.Post(request);

  EXPECT_EQ(status.status().code(), StatusCode::kDeadlineExceeded)
      << status.status();
  // It was delivered, only not answered in time: the receiver may see it
  // again on a retry (hence the delivery id).
  EXPECT_TRUE(receiver_.WaitForRequests(1, absl::Seconds(5)));
}

TEST_F(CurlHttpPosterTest, RejectsOtherSchemesAndBadUrlsBeforeAnyIo) {
  const std::vector<std::string> urls = {
      absl::StrCat("ftp://127.0.0.1:", receiver_.port(), "/x"),
      "file:///etc/passwd",
      absl::StrCat("gopher://127.0.0.1:", receiver_.port(), "/"),
      "",
      "not a url",
      absl::StrCat("127.0.0.1:", receiver_.port(), "/no-scheme"),
      "http://",
      "http:///path-without-host",
      std::string("http://127.0.0.1/\0tail", 22),
  };
  for (const std::string& url : urls) {
    HttpRequest request = Request("/");
    request.url = url;
    EXPECT_EQ(poster_.Post(request).status().code(),
              StatusCode::kInvalidArgument)
        << url;
  }
  EXPECT_THAT(receiver_.Requests(), IsEmpty());
}

TEST_F(CurlHttpPosterTest, AcceptsUpperCaseSchemes) {
  HttpRequest request = Request("/");
  request.url = absl::StrCat("HTTP://127.0.0.1:", receiver_.port(), "/upper");

  absl::StatusOr<int> status = poster_.Post(request);

  ASSERT_TRUE(status.ok()) << status.status();
  EXPECT_EQ(*status, 200);
}

TEST_F(CurlHttpPosterTest, RejectsHeaderInjectionAndBadNames) {
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"X-Evil", "a\r\nX-Injected: 1"},
      {"X-Evil", "a\nb"},
      {"X-Evil", std::string("a\0b", 3)},
      {"", "empty name"},
      {"Bad Name", "v"},
      {"Bad:Name", "v"},
  };
  for (const auto& header : bad) {
    HttpRequest request = Request("/");
    request.headers = {header};
    EXPECT_EQ(poster_.Post(request).status().code(),
              StatusCode::kInvalidArgument)
        << header.first;
  }
  EXPECT_THAT(receiver_.Requests(), IsEmpty());
}

TEST_F(CurlHttpPosterTest, RejectsATimeoutThatIsNotPositiveAndFinite) {
  for (absl::Duration timeout :
       {absl::ZeroDuration(), -absl::Seconds(1), absl::InfiniteDuration()}) {
    HttpRequest request = Request("/");
    request.timeout = timeout;
    EXPECT_EQ(poster_.Post(request).status().code(),
              StatusCode::kInvalidArgument)
        << timeout;
  }
  EXPECT_THAT(receiver_.Requests(), IsEmpty());
}

TEST_F(CurlHttpPosterTest, IsSafeToShareBetweenThreads) {
  constexpr int kThreads = 4;
  constexpr int kPerThread = 5;
  std::vector<std::vector<int>> codes(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([this, t, &codes] {
      for (int i = 0; i < kPerThread; ++i) {
        absl::StatusOr<int> status =
            poster_.Post(Request(absl::StrCat("/t", t, "/", i)));
        codes[t].push_back(status.ok() ? *status : -1);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();

  for (const std::vector<int>& c : codes) EXPECT_THAT(c, Each(Eq(200)));
  EXPECT_THAT(receiver_.Requests(), SizeIs(kThreads * kPerThread));
}

}  // namespace
}  // namespace cxdesk::escalation
