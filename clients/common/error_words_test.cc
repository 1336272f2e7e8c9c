#include "clients/common/error_words.h"

#include "gtest/gtest.h"

namespace cxdesk::clients {
namespace {

TEST(DescribeStatusTest, OkIsOkInEveryVoice) {
  for (ErrorVoice voice :
       {ErrorVoice::kTicket, ErrorVoice::kSla, ErrorVoice::kEscalation,
        ErrorVoice::kAudit, ErrorVoice::kCustomer}) {
    EXPECT_EQ(DescribeStatus(absl::OkStatus(), voice, {"SLA", "h:1"}), "ok");
  }
}

TEST(DescribeStatusTest, TheServiceOwnTextComesFirst) {
  const absl::Status down = absl::UnavailableError("connection refused");
  EXPECT_EQ(DescribeStatus(down, ErrorVoice::kSla, {"", "h:7102"}),
            "cannot reach the SLA service at h:7102: is it running? (pass "
            "--sla-target or set CXDESK_SLA_TARGET if it listens "
            "elsewhere)\n  detail: connection refused");
  EXPECT_EQ(DescribeStatus(absl::UnavailableError(""), ErrorVoice::kTicket,
                           {"", "h:7101"}),
            "cannot reach the ticket service at h:7101: is it running? "
            "(start it with ./deploy/up.sh)");
}

TEST(DescribeStatusTest, StaffTextsNameTheServiceAsked) {
  const absl::Status slow = absl::DeadlineExceededError("deadline");
  EXPECT_EQ(DescribeStatus(slow, ErrorVoice::kEscalation, {"", "h:7103"}),
            "the escalation service at h:7103 did not answer in time "
            "(deadline); try again, or allow longer with --timeout");
  EXPECT_EQ(DescribeStatus(absl::InternalError("boom"), ErrorVoice::kSla,
                           {"", "h:7102"}),
            "the SLA service at h:7102 failed (INTERNAL: boom); see its log");
  EXPECT_EQ(DescribeStatus(absl::ResourceExhaustedError(
                               "Received message larger than max (9 vs. 4)"),
                           ErrorVoice::kTicket, {"", "h:7101"}),
            "the request is 9 bytes, more than the 4 bytes the ticket service "
            "accepts in one request; send less (see docs/limits.md)");
  EXPECT_EQ(DescribeStatus(absl::AbortedError("etag"), ErrorVoice::kSla,
                           {"", "h:7102"}),
            "someone else changed it first: etag; reload and retry");
}

TEST(DescribeStatusTest, AuditNamesTheServiceOfTheSubject) {
  EXPECT_EQ(DescribeStatus(absl::UnavailableError("refused"),
                           ErrorVoice::kAudit, {"SLA", "h:7102"}),
            "cannot reach the SLA service at h:7102: is it running? (refused)");
  EXPECT_EQ(DescribeStatus(absl::DataLossError("gap"), ErrorVoice::kAudit,
                           {"escalation", "h:7103"}),
            "the escalation service at h:7103: DATA_LOSS: gap");
}

TEST(DescribeStatusTest, CustomersReadSentences) {
  EXPECT_EQ(DescribeStatus(absl::NotFoundError("no"), ErrorVoice::kCustomer,
                           {"", "h:7101", 123}),
            "No ticket 123 matches that access key. Check the number and the "
            "key from your confirmation message.");
  EXPECT_EQ(DescribeStatus(absl::NotFoundError("no such thing"),
                           ErrorVoice::kCustomer, {"", "h:7101", 0}),
            "The help desk could not find that: no such thing.");
  EXPECT_EQ(DescribeStatus(absl::UnknownError("x"), ErrorVoice::kCustomer,
                           {"", "h:7101", 5}),
            "Something went wrong at the help desk (UNKNOWN). Please try "
            "again later.");
}

// The console's status line, as console_model's ErrorWords says it.
TEST(DescribeStatusTest, AgentsInTheConsoleReadShortLines) {
  auto words = [](const absl::Status& status, const char* service) {
    return DescribeStatus(status, ErrorVoice::kConsole, {service, ""});
  };
  EXPECT_EQ(words(absl::FailedPreconditionError(
                      "status: cannot move a closed ticket to open"),
                  "ticket"),
            "cannot move a closed ticket to open");
  EXPECT_EQ(words(absl::PermissionDeniedError("managers only"), "ticket"),
            "you may not do that: managers only");
  EXPECT_EQ(words(absl::AbortedError("etag: stale"), "ticket"),
            "someone changed this ticket first — reloaded, try again");
  EXPECT_EQ(words(absl::UnavailableError("x"), "SLA"),
            "SLA service unreachable, retrying");
  EXPECT_EQ(words(absl::UnauthenticatedError("token: expired"), "ticket"),
            "not signed in: expired — start with a valid token");
  EXPECT_EQ(words(absl::InvalidArgumentError("assignee: too long"), "ticket"),
            "rejected: assignee: too long");
  EXPECT_EQ(words(absl::InternalError("boom"), "escalation"),
            "escalation service error: boom");
}

TEST(DescribeStatusTest, PlaceholdersInTheMessageAreNotExpanded) {
  EXPECT_EQ(DescribeStatus(absl::InvalidArgumentError("{target} {msg}"),
                           ErrorVoice::kTicket, {"", "h:7101"}),
            "invalid input: {target} {msg}");
}

}  // namespace
}  // namespace cxdesk::clients
