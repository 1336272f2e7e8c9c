#include "clients/web/api_mapping.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "cxdesk/ticket/v1/ticket_service.pb.h"

namespace cxdesk::clients::web {
namespace {

namespace ticketpb = ::cxdesk::ticket::v1;

TEST(HttpStatusOfTest, TheStandardMappingOfEveryCode) {
  const std::vector<std::pair<absl::StatusCode, int>> table = {
      {absl::StatusCode::kOk, 200},
      {absl::StatusCode::kCancelled, 499},
      {absl::StatusCode::kUnknown, 500},
      {absl::StatusCode::kInvalidArgument, 400},
      {absl::StatusCode::kDeadlineExceeded, 504},
      {absl::StatusCode::kNotFound, 404},
      {absl::StatusCode::kAlreadyExists, 409},
      {absl::StatusCode::kPermissionDenied, 403},
      {absl::StatusCode::kResourceExhausted, 429},
      {absl::StatusCode::kFailedPrecondition, 400},
      {absl::StatusCode::kAborted, 409},
      {absl::StatusCode::kOutOfRange, 400},
      {absl::StatusCode::kUnimplemented, 501},
      {absl::StatusCode::kInternal, 500},
      {absl::StatusCode::kUnavailable, 503},
      {absl::StatusCode::kDataLoss, 500},
      {absl::StatusCode::kUnauthenticated, 401},
  };
  for (const auto& [code, http] : table) {
    EXPECT_EQ(HttpStatusOf(code), http) << absl::StatusCodeToString(code);
  }
  EXPECT_EQ(HttpStatusOf(static_cast<absl::StatusCode>(42)), 500);
}

TEST(HttpErrorOfTest, AnInvalidArgumentNamesItsField) {
  const HttpError e = HttpErrorOf(
      absl::InvalidArgumentError("subject: at most 200 characters, got 201"));
  EXPECT_EQ(e.http_status, 400);
  EXPECT_EQ(e.status, "INVALID_ARGUMENT");
  EXPECT_EQ(e.message, "subject: at most 200 characters, got 201");
  EXPECT_EQ(e.field, "subject");
  EXPECT_EQ(e.retry_after_seconds, std::nullopt);
  EXPECT_EQ(ErrorJson(e),
            "{\"error\":{\"code\":400,\"status\":\"INVALID_ARGUMENT\","
            "\"message\":\"subject: at most 200 characters, got 201\","
            "\"field\":\"subject\"}}");
}

TEST(HttpErrorOfTest, AMessageWithoutAFieldHasNone) {
  const HttpError e =
      HttpErrorOf(absl::NotFoundError("ticket 7 not found, or the key is "
                                      "wrong"));
  EXPECT_EQ(e.http_status, 404);
  EXPECT_EQ(e.field, "");
  EXPECT_FALSE(absl::StrContains(ErrorJson(e), "\"field\""));
  // "Ticket 7: ..." is not a field path (upper case): no field either.
  EXPECT_EQ(HttpErrorOf(absl::AbortedError("Ticket 7: changed")).field, "");
}

TEST(HttpErrorOfTest, BusyAndUnavailableSayWhenToRetry) {
  EXPECT_EQ(HttpErrorOf(absl::ResourceExhaustedError("slow down"))
                .retry_after_seconds,
            1);
  const HttpError down = HttpErrorOf(absl::UnavailableError("no primary"));
  EXPECT_EQ(down.http_status, 503);
  EXPECT_EQ(down.retry_after_seconds, 1);
}

TEST(HttpErrorOfTest, InternalDetailNeverReachesThePage) {
  for (const absl::Status& s :
       {absl::InternalError("pqxx: relation ticket.x does not exist"),
        absl::UnknownError("segfault in handler"),
        absl::DataLossError("checksum mismatch at block 7")}) {
    const HttpError e = HttpErrorOf(s);
    EXPECT_EQ(e.http_status, 500);
    EXPECT_EQ(e.status, "INTERNAL");
    EXPECT_EQ(e.message, "something went wrong on our side; please try again");
    EXPECT_EQ(e.field, "");
  }
}

TEST(ErrorJsonTest, EscapesWhatTheMessageQuotes) {
  HttpError e;
  e.http_status = 400;
  e.status = "INVALID_ARGUMENT";
  e.message = "subject: \"<script>\"\n";
  e.field = "subject";
  EXPECT_EQ(ErrorJson(e),
            "{\"error\":{\"code\":400,\"status\":\"INVALID_ARGUMENT\","
            "\"message\":\"subject: \\\"<script>\\\"\\n\","
            "\"field\":\"subject\"}}");
}

TEST(MessageFromJsonTest, ReadsTheProtoJsonMapping) {
  ticketpb::CreateTicketRequest request;
  ASSERT_TRUE(MessageFromJson(R"({"subject": "Máy giặt hỏng",
                                  "kind": "KIND_COMPLAINT",
                                  "requestId": "r-1"})",
                              &request)
                  .ok());
  EXPECT_EQ(request.subject(), "Máy giặt hỏng");
  EXPECT_EQ(request.kind(), ticketpb::KIND_COMPLAINT);
  EXPECT_EQ(request.request_id(), "r-1");
  // Proto field names are accepted too.
  ASSERT_TRUE(MessageFromJson(R"({"request_id": "r-2"})", &request).ok());
  EXPECT_EQ(request.request_id(), "r-2");
  EXPECT_EQ(request.subject(), "");  // Cleared first.
}

TEST(MessageFromJsonTest, BadBodiesAre400sThatSayWhy) {
  ticketpb::CreateTicketRequest request;
  request.set_subject("kept?");
  absl::Status empty = MessageFromJson("  \n", &request);
  EXPECT_EQ(empty.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(empty.message(), "body: required");

  absl::Status malformed = MessageFromJson("{\"subject\": ", &request);
  EXPECT_EQ(malformed.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(malformed.message(), "body: ")) << malformed;
  EXPECT_EQ(request.subject(), "");  // Nothing half-read is kept.

  absl::Status unknown = MessageFromJson(R"({"colour": "red"})", &request);
  EXPECT_EQ(unknown.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(unknown.message(), "colour")) << unknown;

  absl::Status wrong_type = MessageFromJson(R"({"kind": 3.5})", &request);
  EXPECT_EQ(wrong_type.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(wrong_type.message(), "body: ")) << wrong_type;

  // A parser complaint quoting a huge value stays short.
  const std::string huge =
      absl::StrCat("{\"", std::string(100000, 'x'), "\": 1}");
  absl::Status long_one = MessageFromJson(huge, &request);
  EXPECT_EQ(long_one.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_LE(long_one.message().size(), 220u);
}

TEST(MessageToJsonTest, WritesLowerCamelNamesAndEnumNames) {
  ticketpb::CreateTicketRequest request;
  request.set_subject("Hỏng");
  request.set_kind(ticketpb::KIND_INCIDENT);
  request.set_request_id("r-9");
  const std::string json = MessageToJson(request);
  EXPECT_TRUE(absl::StrContains(json, "\"requestId\":\"r-9\"")) << json;
  EXPECT_TRUE(absl::StrContains(json, "\"kind\":\"KIND_INCIDENT\"")) << json;
  ticketpb::CreateTicketRequest back;
  ASSERT_TRUE(MessageFromJson(json, &back).ok());
  EXPECT_EQ(back.SerializeAsString(), request.SerializeAsString());
}

}  // namespace
}  // namespace cxdesk::clients::web
