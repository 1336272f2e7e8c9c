#include "services/ticket/ticket_rules.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <utility>

namespace cxdesk::ticket {
namespace {

using absl::StatusCode;

constexpr Status kAll[] = {Status::kNew,    Status::kOpen,   Status::kPending,
                           Status::kOnHold, Status::kSolved, Status::kClosed};

TEST(TransitionTest, MatchesTheDocumentedMachineExactly) {
  const std::set<std::pair<Status, Status>> allowed = {
      {Status::kNew, Status::kOpen},       {Status::kNew, Status::kPending},
      {Status::kNew, Status::kOnHold},     {Status::kNew, Status::kSolved},
      {Status::kOpen, Status::kPending},   {Status::kOpen, Status::kOnHold},
      {Status::kOpen, Status::kSolved},    {Status::kPending, Status::kOpen},
      {Status::kPending, Status::kOnHold}, {Status::kPending, Status::kSolved},
      {Status::kOnHold, Status::kOpen},    {Status::kOnHold, Status::kPending},
      {Status::kOnHold, Status::kSolved},  {Status::kSolved, Status::kOpen},
      {Status::kSolved, Status::kClosed}};
  for (Status from : kAll) {
    for (Status to : kAll) {
      if (from == to) continue;
      absl::Status status = CheckTransition(from, to);
      if (allowed.count({from, to})) {
        EXPECT_TRUE(status.ok()) << Name(from) << "->" << Name(to);
      } else {
        EXPECT_EQ(status.code(), StatusCode::kFailedPrecondition)
            << Name(from) << "->" << Name(to);
      }
    }
  }
}

TEST(TransitionTest, MessagesSayWhy) {
  EXPECT_EQ(CheckTransition(Status::kClosed, Status::kOpen).message(),
            "status: the ticket is closed, which is final");
  EXPECT_EQ(CheckTransition(Status::kOpen, Status::kClosed).message(),
            "status: cannot move a open ticket to closed (solve it first)");
  EXPECT_EQ(CheckTransition(Status::kOpen, Status::kUnspecified).code(),
            StatusCode::kInvalidArgument);
}

TEST(CommentRulesTest, CustomerReplyReopensPendingAndSolved) {
  for (Status s : {Status::kPending, Status::kSolved}) {
    EXPECT_EQ(StatusAfterComment(s, ActorRole::kCustomer, Visibility::kPublic),
              Status::kOpen);
  }
  EXPECT_EQ(StatusAfterComment(Status::kOnHold, ActorRole::kCustomer,
                               Visibility::kPublic),
            Status::kOnHold);
  EXPECT_EQ(StatusAfterComment(Status::kNew, ActorRole::kCustomer,
                               Visibility::kPublic),
            Status::kNew);
}

TEST(CommentRulesTest, AgentPublicReplyOpensNewTicketButNoteDoesNot) {
  EXPECT_EQ(
      StatusAfterComment(Status::kNew, ActorRole::kAgent, Visibility::kPublic),
      Status::kOpen);
  EXPECT_EQ(StatusAfterComment(Status::kNew, ActorRole::kAgent,
                               Visibility::kInternal),
            Status::kNew);
  EXPECT_EQ(StatusAfterComment(Status::kPending, ActorRole::kAgent,
                               Visibility::kPublic),
            Status::kPending);
}

TEST(AssignmentRulesTest, AssigningAnAgentOpensANewTicket) {
  EXPECT_EQ(StatusAfterAssignment(Status::kNew, "alice"), Status::kOpen);
  EXPECT_EQ(StatusAfterAssignment(Status::kNew, ""), Status::kNew);
  EXPECT_EQ(StatusAfterAssignment(Status::kPending, "alice"), Status::kPending);
}

TEST(ValidationTest, Subject) {
  EXPECT_TRUE(ValidateSubject("Refund not received").ok());
  EXPECT_TRUE(ValidateSubject(std::string(200, 'x')).ok());
  EXPECT_TRUE(ValidateSubject("Größe ändern 日本").ok());
  EXPECT_EQ(ValidateSubject("").message(), "subject: required");
  EXPECT_EQ(ValidateSubject("   ").message(), "subject: required");
  EXPECT_EQ(ValidateSubject(std::string(201, 'x')).message(),
            "subject: at most 200 characters, got 201");
  EXPECT_EQ(ValidateSubject("two\nlines").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ValidateSubject("\xff\xfe").message(),
            "subject: not valid UTF-8 at byte 0");
  EXPECT_EQ(ValidateSubject(std::string("a\0b", 3)).message(),
            "subject: contains NUL (U+0000) at byte 1; text cannot hold NUL");
}

TEST(ValidationTest, Body) {
  EXPECT_TRUE(ValidateBody("body", "line one\nline two\ttab").ok());
  EXPECT_EQ(ValidateBody("body", "").message(), "body: required");
  EXPECT_EQ(ValidateBody("description", std::string(65537, 'a')).message(),
            "description: at most 65536 bytes, got 65537");
  EXPECT_EQ(ValidateBody("body", std::string("a\0b", 3)).message(),
            "body: contains NUL (U+0000) at byte 1; text cannot hold NUL");
}

TEST(ValidationTest, ReasonAndRatingCommentAreMultilineText) {
  EXPECT_TRUE(ValidateReason("").ok());
  EXPECT_TRUE(ValidateReason("waiting for\r\nphotos").ok());
  EXPECT_EQ(ValidateReason(std::string(1001, 'r')).message(),
            "reason: at most 1000 bytes, got 1001");
  EXPECT_EQ(ValidateReason(std::string("before\0after", 12)).message(),
            "reason: contains NUL (U+0000) at byte 6; text cannot hold NUL");
  EXPECT_EQ(ValidateRating(5, "bad\x1b[0m").message(),
            "comment: contains the control character U+001B at byte 3");
}

TEST(ValidationTest, Email) {
  EXPECT_EQ(*NormalizeEmail("  Ana.Lima@Example.COM "), "ana.lima@example.com");
  for (const char* bad :
       {"", "ana", "@example.com", "ana@", "ana@example", "ana@@example.com",
        "ana lima@example.com", "ana@example.", "a@b@c.com"}) {
    absl::StatusOr<std::string> e = NormalizeEmail(bad);
    EXPECT_EQ(e.status().code(), StatusCode::kInvalidArgument) << bad;
    EXPECT_EQ(e.status().message().substr(0, 15), "customer_email:") << bad;
  }
  EXPECT_EQ(NormalizeEmail(std::string(250, 'a') + "@x.io").status().code(),
            StatusCode::kInvalidArgument);
}

TEST(ValidationTest, TagsAreNormalised) {
  auto tags = NormalizeTags({"Billing", "vip", "billing", " refund "});
  ASSERT_TRUE(tags.ok());
  EXPECT_EQ(*tags, (std::vector<std::string>{"billing", "refund", "vip"}));
  EXPECT_EQ(NormalizeTags({"has space"}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(NormalizeTags({""}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(NormalizeTags({"a,b"}).status().code(),
            StatusCode::kInvalidArgument);
  std::vector<std::string> many;
  for (int i = 0; i < 21; ++i) many.push_back("t" + std::to_string(i));
  EXPECT_EQ(NormalizeTags(many).status().message(), "tags: at most 20, got 21");
}

TEST(ValidationTest, HandlesRequestIdsRatingsAndKinds) {
  EXPECT_TRUE(ValidateHandle("assignee", "alice.smith@team-1").ok());
  EXPECT_EQ(ValidateHandle("team", "").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ValidateHandle("team", "care team").code(),
            StatusCode::kInvalidArgument);
  EXPECT_TRUE(ValidateRequestId("").ok());
  EXPECT_TRUE(ValidateRequestId("3f1c-9a").ok());
  EXPECT_EQ(ValidateRequestId(std::string(101, 'r')).code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(ValidateRequestId("a b").code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(ValidateRating(5, "great").ok());
  EXPECT_EQ(ValidateRating(0, "").message(), "score: must be 1..5, got 0");
  EXPECT_EQ(ValidateRating(6, "").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ValidateRating(3, std::string(4097, 'c')).code(),
            StatusCode::kInvalidArgument);
  EXPECT_TRUE(ValidateKindAndCxLevel(Kind::kComplaint, CxLevel::kEmotion).ok());
  EXPECT_EQ(
      ValidateKindAndCxLevel(Kind::kComplaint, CxLevel::kUnspecified).code(),
      StatusCode::kInvalidArgument);
  EXPECT_EQ(ValidateKindAndCxLevel(Kind::kQuestion, CxLevel::kBrand).code(),
            StatusCode::kInvalidArgument);
}

TEST(NamesTest, EveryValueRoundTrips) {
  for (Status s : kAll) EXPECT_EQ(*ParseStatus(Name(s)), s);
  EXPECT_EQ(Name(Status::kOnHold), "on_hold");
  EXPECT_EQ(ParseStatus("on-hold").status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseKind("").status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace cxdesk::ticket
