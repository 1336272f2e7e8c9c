#include "clients/web/router.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace cxdesk::clients::web {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

HttpRequest Request(std::string method, std::string target) {
  HttpRequest request;
  request.method = std::move(method);
  request.target = target;
  size_t question = target.find('?');
  request.path = target.substr(0, question);
  if (question != std::string::npos) {
    request.query_string = target.substr(question + 1);
  }
  return request;
}

// Answers with the route's name and what it saw: "name id=... verb=...".
HttpHandler Named(std::string name) {
  return [name](const HttpRequest& request) {
    HttpResponse response;
    response.body = name;
    for (const auto& [key, value] : request.params) {
      response.body += " " + key + "=" + value;
    }
    return HandlerResult::Complete(response);
  };
}

class RouterTest : public ::testing::Test {
 protected:
  RouterTest() {
    router_.Add("POST", "/api/v1/tickets", Named("create"));
    router_.Add("GET", "/api/v1/tickets/{id}/status", Named("status"));
    router_.Add("POST", "/api/v1/tickets/{id}:rate", Named("rate"));
    router_.Add("GET", "/api/v1/tickets/{id}/comments", Named("list"));
    router_.Add("POST", "/api/v1/tickets/{id}/comments", Named("comment"));
    router_.Add("GET", "/api/v1/tickets/{id}/comments/{comment}",
                Named("get_comment"));
  }

  HttpResponse Send(std::string method, std::string target) {
    return router_.Dispatch(Request(std::move(method), std::move(target)))
        .response;
  }

  Router router_;
};

TEST_F(RouterTest, ExactPathMatches) {
  HttpResponse response = Send("POST", "/api/v1/tickets");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "create");
}

TEST_F(RouterTest, NamedSegmentsAreExtracted) {
  EXPECT_EQ(Send("GET", "/api/v1/tickets/42/status").body, "status id=42");
  EXPECT_EQ(Send("GET", "/api/v1/tickets/7/comments/c9").body,
            "get_comment comment=c9 id=7");
}

TEST_F(RouterTest, CustomVerbIsMatched) {
  EXPECT_EQ(Send("POST", "/api/v1/tickets/42:rate").body, "rate id=42");
}

TEST_F(RouterTest, ParametersArePercentDecodedAfterSplitting) {
  EXPECT_EQ(Send("GET", "/api/v1/tickets/a%2Fb%20c/status").body,
            "status id=a/b c");
  // '+' is a plain character in a path.
  EXPECT_EQ(Send("GET", "/api/v1/tickets/a+b/status").body, "status id=a+b");
}

TEST_F(RouterTest, BadEscapeInPathIs400) {
  HttpResponse response = Send("GET", "/api/v1/tickets/%zz/status");
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(response.body,
            "{\"error\":{\"code\":400,\"status\":\"INVALID_ARGUMENT\","
            "\"message\":\"bad percent escape in the path\"}}");
}

TEST_F(RouterTest, UnknownPathIs404Json) {
  for (const char* target :
       {"/api/v1/nothing", "/api/v1/tickets/42", "/api/v1/tickets/",
        "/api/v1/tickets//status", "/api/v1/tickets/42/status/extra",
        "/api/v1/tickets/42:close", "", "api/v1/tickets"}) {
    HttpResponse response = Send("GET", target);
    EXPECT_EQ(response.status, 404) << target;
    EXPECT_EQ(response.body,
              "{\"error\":{\"code\":404,\"status\":\"NOT_FOUND\","
              "\"message\":\"no such resource\"}}")
        << target;
    EXPECT_FALSE(response.HasHeader("Allow")) << target;
  }
}

TEST_F(RouterTest, WrongMethodIs405WithAllow) {
  HttpResponse response = Send("DELETE", "/api/v1/tickets/42/comments");
  EXPECT_EQ(response.status, 405);
  EXPECT_THAT(response.headers,
              ::testing::Contains(Pair("Allow", "GET, POST")));
  EXPECT_EQ(response.body,
            "{\"error\":{\"code\":405,\"status\":\"METHOD_NOT_ALLOWED\","
            "\"message\":\"method not allowed here\"}}");

  HttpResponse verb = Send("GET", "/api/v1/tickets/42:rate");
  EXPECT_EQ(verb.status, 405);
  EXPECT_THAT(verb.headers, ::testing::Contains(Pair("Allow", "POST")));
}

TEST_F(RouterTest, MethodsAreCaseSensitive) {
  EXPECT_EQ(Send("post", "/api/v1/tickets").status, 405);
}

TEST_F(RouterTest, QueryIsParsedAndDecoded) {
  HttpRequest seen;
  Router router;
  router.Add("GET", "/search", [&seen](const HttpRequest& request) {
    seen = request;
    return HandlerResult::Complete(HttpResponse{});
  });
  HandlerResult result = router.Dispatch(
      Request("GET", "/search?q=a+b%26c&page=2&flag&q=second&&=x"));
  EXPECT_EQ(result.response.status, 200);
  EXPECT_EQ(seen.path, "/search");
  EXPECT_THAT(seen.query,
              ElementsAre(Pair("", "x"), Pair("flag", ""), Pair("page", "2"),
                          Pair("q", "a b&c"), Pair("q", "second")));
  EXPECT_EQ(seen.QueryValue("q"), "a b&c");
  EXPECT_EQ(seen.QueryValue("missing"), "");
}

TEST_F(RouterTest, BadEscapeInQueryIs400) {
  HttpResponse response = Send("GET", "/api/v1/tickets/42/status?x=%4");
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(response.body,
            "{\"error\":{\"code\":400,\"status\":\"INVALID_ARGUMENT\","
            "\"message\":\"bad percent escape in the query\"}}");
}

TEST_F(RouterTest, FirstAddedRouteWins) {
  Router router;
  router.Add("GET", "/a/{x}", Named("param"));
  router.Add("GET", "/a/b", Named("literal"));
  EXPECT_EQ(router.Dispatch(Request("GET", "/a/b")).response.body, "param x=b");
}

TEST(PercentDecodeTest, DecodesAndRejects) {
  EXPECT_EQ(PercentDecode("a%41%62+c", false), "aAb+c");
  EXPECT_EQ(PercentDecode("a%41%62+c", true), "aAb c");
  EXPECT_EQ(PercentDecode("%e1%BB%87", false), "\xe1\xbb\x87");
  EXPECT_EQ(PercentDecode("%", false), std::nullopt);
  EXPECT_EQ(PercentDecode("%4", false), std::nullopt);
  EXPECT_EQ(PercentDecode("%g1", false), std::nullopt);
  EXPECT_EQ(PercentDecode("", false), "");
}

}  // namespace
}  // namespace cxdesk::clients::web
