#include "clients/status/status_commands.h"

#include <grpcpp/grpcpp.h>

#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "clients/lib/testing/in_process_server.h"
#include "cxdesk/ticket/v1/ticket_service_mock.grpc.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/proto_time.h"

namespace cxdesk::clients::status {
namespace {

namespace ticketpb = ::cxdesk::ticket::v1;
using ::testing::_;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::Return;
using ::testing::StartsWith;

// Sunday 22 November 2026, 15:00 UTC.
const absl::Time kNow = absl::FromCivil(
    absl::CivilSecond(2026, 11, 22, 15, 0, 0), absl::UTCTimeZone());

class StatusCommandsTest : public ::testing::Test {
 protected:
  StatusCommandsTest() {
    env_.getenv =
        [this](const std::string& name) -> std::optional<std::string> {
      auto it = vars_.find(name);
      if (it == vars_.end()) return std::nullopt;
      return it->second;
    };
    env_.tz = absl::UTCTimeZone();
    env_.now = [] { return kNow; };
    env_.connect = [this](const std::string& target, CallCredentials creds,
                          absl::Duration timeout) {
      target_ = target;
      credentials_ = creds;
      timeout_ = timeout;
      ++connects_;
      return std::make_unique<TicketClient>(stub_, creds, timeout);
    };
    env_.in = &in_;
    env_.out = &out_;
    env_.err = &err_;
  }

  int Run(const std::vector<std::string>& args) {
    out_.str("");
    err_.str("");
    return RunStatus(args, env_);
  }
  std::string out() const { return out_.str(); }
  std::string err() const { return err_.str(); }

  // A view of ticket 7, open, with one message from the customer and a
  // promise due on Tuesday 24 November 13:30 UTC.
  static ticketpb::TicketStatusView OpenView() {
    ticketpb::TicketStatusView view;
    view.set_ticket_id(7);
    view.set_subject("Printer on fire");
    view.set_status(ticketpb::STATUS_OPEN);
    view.set_promise("We will respond by 2026-11-24 13:30 UTC");
    common::ToProtoTimestamp(
        absl::FromCivil(absl::CivilSecond(2026, 11, 24, 13, 30, 0),
                        absl::UTCTimeZone()),
        view.mutable_promise_time());
    ticketpb::Comment* c = view.add_conversation();
    c->set_author("jane@example.com");
    c->set_author_role(ticketpb::ROLE_CUSTOMER);
    c->set_body("It smokes.");
    common::ToProtoTimestamp(kNow - absl::Hours(1), c->mutable_create_time());
    return view;
  }

  void ExpectView(const ticketpb::TicketStatusView& view) {
    EXPECT_CALL(*stub_, GetTicketStatus(_, _, _))
        .WillOnce([view](grpc::ClientContext*,
                         const ticketpb::GetTicketStatusRequest& r,
                         ticketpb::TicketStatusView* out) {
          EXPECT_EQ(r.ticket_id(), 7);
          *out = view;
          return grpc::Status::OK;
        });
  }

  std::map<std::string, std::string> vars_;
  std::shared_ptr<ticketpb::MockTicketServiceStub> stub_ =
      std::make_shared<ticketpb::MockTicketServiceStub>();
  std::istringstream in_;
  std::ostringstream out_, err_;
  StatusEnvironment env_;
  std::string target_;
  CallCredentials credentials_;
  absl::Duration timeout_;
  int connects_ = 0;
};

// --- show --------------------------------------------------------------------

TEST_F(StatusCommandsTest, ShowPrintsStatusPromiseAndConversation) {
  ExpectView(OpenView());
  ASSERT_EQ(Run({"7", "--key", "K-1", "--tz", "Europe/Berlin"}), kExitOk)
      << err();
  EXPECT_EQ(out(),
            "Ticket 7: Printer on fire\n"
            "Status: We are working on it.\n"
            "Next:   We will reply by Tue 24 Nov 14:30 your time (CET).\n"
            "\n"
            "Conversation (oldest first):\n"
            "\n"
            "  You, Sun 22 Nov 15:00 CET:\n"
            "    It smokes.\n"
            "\n"
            "Reply with: cxdesk-status reply 7 --key KEY --message TEXT\n");
  EXPECT_EQ(err(), "");
  // The key goes to the server as the customer's, with no staff token.
  EXPECT_EQ(credentials_.access_key, "K-1");
  EXPECT_EQ(credentials_.bearer_token, "");
  EXPECT_EQ(target_, "127.0.0.1:7101");
  EXPECT_EQ(timeout_, absl::Seconds(10));
}

TEST_F(StatusCommandsTest, GlobalsFromFlagsThenEnvironment) {
  vars_["CXDESK_TICKET_ADDR"] = "desk.example:9000";
  vars_["CXDESK_ACCESS_KEY"] = "env-key";
  ExpectView(OpenView());
  ASSERT_EQ(Run({"7"}), kExitOk) << err();
  EXPECT_EQ(target_, "desk.example:9000");
  EXPECT_EQ(credentials_.access_key, "env-key");
  ExpectView(OpenView());
  ASSERT_EQ(
      Run({"--target", "other:1", "--timeout", "3s", "7", "--key", "flag-key"}),
      kExitOk)
      << err();
  EXPECT_EQ(target_, "other:1");
  EXPECT_EQ(credentials_.access_key, "flag-key");
  EXPECT_EQ(timeout_, absl::Seconds(3));
  // "show" may be spelled out.
  ExpectView(OpenView());
  EXPECT_EQ(Run({"show", "7"}), kExitOk) << err();
}

TEST_F(StatusCommandsTest, ShowAsJson) {
  ExpectView(OpenView());
  ASSERT_EQ(Run({"--json", "7", "--key", "K"}), kExitOk) << err();
  EXPECT_EQ(out(),
            "{\"ticket_id\":7,\"subject\":\"Printer on fire\","
            "\"status\":\"open\",\"status_text\":\"We are working on it.\","
            "\"created\":null,\"updated\":null,"
            "\"promise\":{\"kind\":\"reply\",\"text\":\"We will reply by Tue "
            "24 Nov 13:30 your time (UTC).\","
            "\"due\":\"2026-11-24T13:30:00Z\",\"overdue\":false,"
            "\"overdue_seconds\":0},"
            "\"conversation\":[{\"author\":\"You\",\"author_role\":"
            "\"customer\",\"public\":true,\"time\":\"2026-11-22T14:00:00Z\","
            "\"body\":\"It smokes.\"}],\"rating\":null}\n");
}

TEST_F(StatusCommandsTest, WrongKeyOrUnknownTicketIsOneMessage) {
  EXPECT_CALL(*stub_, GetTicketStatus(_, _, _))
      .WillRepeatedly(Return(
          grpc::Status(grpc::StatusCode::NOT_FOUND, "ticket 123 not found")));
  EXPECT_EQ(Run({"123", "--key", "wrong"}), kExitError);
  EXPECT_EQ(out(), "");
  EXPECT_EQ(err(),
            "No ticket 123 matches that access key. Check the number and the "
            "key from your confirmation message.\n");
  EXPECT_EQ(Run({"123", "--key", "wrong", "--json"}), kExitError);
  EXPECT_EQ(out(),
            "{\"error\":{\"code\":\"NOT_FOUND\",\"message\":\"No ticket 123 "
            "matches that access key. Check the number and the key from "
            "your confirmation message.\"}}\n");
  EXPECT_EQ(err(), "");
}

TEST_F(StatusCommandsTest, ServiceDownSaysTryAgainLater) {
  EXPECT_CALL(*stub_, GetTicketStatus(_, _, _))
      .WillOnce(Return(grpc::Status(grpc::StatusCode::UNAVAILABLE,
                                    "failed to connect to all addresses")))
      .WillOnce(Return(
          grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED, "Deadline")));
  const std::string expected =
      "The help desk cannot be reached at 127.0.0.1:7101 right now. Please "
      "try again in a few minutes.\n";
  EXPECT_EQ(Run({"7", "--key", "K"}), kExitError);
  EXPECT_EQ(err(), expected);
  EXPECT_EQ(Run({"7", "--key", "K"}), kExitError);
  EXPECT_EQ(err(), expected);
}

// --- reply -------------------------------------------------------------------

TEST_F(StatusCommandsTest, ReplyWithMessageSendsAPublicComment) {
  EXPECT_CALL(*stub_, AddComment(_, _, _))
      .WillOnce([](grpc::ClientContext*, const ticketpb::AddCommentRequest& r,
                   ticketpb::Comment* out) {
        EXPECT_EQ(r.ticket_id(), 7);
        EXPECT_EQ(r.visibility(), ticketpb::VISIBILITY_PUBLIC);
        EXPECT_EQ(r.body(), "It is an X100.");
        out->set_body(r.body());
        out->set_author_role(ticketpb::ROLE_CUSTOMER);
        common::ToProtoTimestamp(kNow, out->mutable_create_time());
        return grpc::Status::OK;
      });
  ASSERT_EQ(Run({"reply", "7", "--key", "K", "--message", "It is an X100."}),
            kExitOk)
      << err();
  EXPECT_EQ(out(),
            "Thank you: your reply was added to ticket 7.\n"
            "See the conversation with: cxdesk-status 7 --key KEY\n");
  EXPECT_EQ(credentials_.access_key, "K");
}

TEST_F(StatusCommandsTest, ReplyReadsStandardInput) {
  in_.str("Line one\nLine two\n\n");
  EXPECT_CALL(*stub_, AddComment(_, _, _))
      .WillOnce([](grpc::ClientContext*, const ticketpb::AddCommentRequest& r,
                   ticketpb::Comment* out) {
        EXPECT_EQ(r.body(), "Line one\nLine two");
        out->set_body(r.body());
        out->set_author_role(ticketpb::ROLE_CUSTOMER);
        common::ToProtoTimestamp(kNow, out->mutable_create_time());
        return grpc::Status::OK;
      });
  ASSERT_EQ(Run({"--json", "reply", "7", "--key", "K"}), kExitOk) << err();
  EXPECT_EQ(out(),
            "{\"ticket_id\":7,\"added\":{\"author\":\"You\",\"author_role\":"
            "\"customer\",\"public\":true,\"time\":\"2026-11-22T15:00:00Z\","
            "\"body\":\"Line one\\nLine two\"}}\n");
}

TEST_F(StatusCommandsTest, EmptyReplyIsAUsageError) {
  in_.str("  \n");
  EXPECT_EQ(Run({"reply", "7", "--key", "K"}), kExitUsage);
  EXPECT_EQ(err(),
            "cxdesk-status: --message: your message is empty (give --message "
            "TEXT, or write it on standard input)\n"
            "(run 'cxdesk-status reply --help' for usage)\n");
  EXPECT_EQ(connects_, 0);
}

TEST_F(StatusCommandsTest, ReplyToAClosedTicketIsRefusedPlainly) {
  EXPECT_CALL(*stub_, AddComment(_, _, _))
      .WillOnce(Return(grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                                    "ticket 7 is closed and cannot change")));
  EXPECT_EQ(Run({"reply", "7", "--key", "K", "--message", "hello?"}),
            kExitError);
  EXPECT_EQ(err(),
            "Ticket 7 is closed and takes no more replies. If you need more "
            "help, open a new request with 'cxdesk-status open'.\n");
}

// --- rate --------------------------------------------------------------------

TEST_F(StatusCommandsTest, RateSendsScoreAndComment) {
  EXPECT_CALL(*stub_, RateTicket(_, _, _))
      .WillOnce([](grpc::ClientContext*, const ticketpb::RateTicketRequest& r,
                   ticketpb::Ticket* out) {
        EXPECT_EQ(r.ticket_id(), 7);
        EXPECT_EQ(r.score(), 5);
        EXPECT_EQ(r.comment(), "Quick fix");
        out->set_id(7);
        out->mutable_rating()->set_score(5);
        out->mutable_rating()->set_comment("Quick fix");
        return grpc::Status::OK;
      });
  ASSERT_EQ(Run({"rate", "7", "--key", "K", "--score", "5", "--comment",
                 "Quick fix"}),
            kExitOk)
      << err();
  EXPECT_EQ(out(), "Thank you! You rated ticket 7 5/5.\n");
  EXPECT_EQ(credentials_.access_key, "K");
}

TEST_F(StatusCommandsTest, RateAsJson) {
  EXPECT_CALL(*stub_, RateTicket(_, _, _))
      .WillOnce([](grpc::ClientContext*, const ticketpb::RateTicketRequest& r,
                   ticketpb::Ticket* out) {
        EXPECT_EQ(r.score(), 1);
        EXPECT_EQ(r.comment(), "");
        out->set_id(7);
        out->mutable_rating()->set_score(1);
        return grpc::Status::OK;
      });
  ASSERT_EQ(Run({"rate", "7", "--key", "K", "--score", "1", "--json"}), kExitOk)
      << err();
  EXPECT_EQ(out(),
            "{\"ticket_id\":7,\"rating\":{\"score\":1,\"comment\":\"\"}}\n");
}

TEST_F(StatusCommandsTest, RateRefusalsInPlainWords) {
  EXPECT_CALL(*stub_, RateTicket(_, _, _))
      .WillOnce(Return(grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                                    "ticket 7 is already rated")))
      .WillOnce(
          Return(grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                              "ticket 7 is open; it can be rated once solved")))
      .WillOnce(Return(grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                                    "something new")));
  EXPECT_EQ(Run({"rate", "7", "--key", "K", "--score", "4"}), kExitError);
  EXPECT_EQ(err(),
            "You have already rated ticket 7; a request takes one rating. "
            "Thank you!\n");
  EXPECT_EQ(Run({"rate", "7", "--key", "K", "--score", "4", "--json"}),
            kExitError);
  EXPECT_EQ(out(),
            "{\"error\":{\"code\":\"FAILED_PRECONDITION\",\"message\":"
            "\"Ticket 7 is not solved yet, so it cannot be rated. You can "
            "rate it once we have solved it.\"}}\n");
  EXPECT_EQ(Run({"rate", "7", "--key", "K", "--score", "4"}), kExitError);
  EXPECT_EQ(err(), "Ticket 7 cannot be rated now: something new.\n");
}

TEST_F(StatusCommandsTest, ScoreMustBeOneToFive) {
  EXPECT_EQ(Run({"rate", "7", "--key", "K", "--score", "7"}), kExitUsage);
  EXPECT_EQ(err(),
            "cxdesk-status: --score: '7' is not a whole number from 1 to 5\n"
            "(run 'cxdesk-status rate --help' for usage)\n");
  EXPECT_EQ(Run({"rate", "7", "--key", "K"}), kExitUsage);
  EXPECT_EQ(err(),
            "cxdesk-status: missing required flag --score 1..5 (1 very "
            "unhappy .. 5 very happy)\n"
            "(run 'cxdesk-status rate --help' for usage)\n");
  EXPECT_EQ(Run({"rate", "7", "--key", "K", "--score", "0", "--json"}),
            kExitUsage);
  EXPECT_EQ(out(),
            "{\"error\":{\"code\":\"INVALID_ARGUMENT\",\"message\":\"--score: "
            "'0' is not a whole number from 1 to 5\"}}\n");
  EXPECT_EQ(connects_, 0);
}

// --- open --------------------------------------------------------------------

TEST_F(StatusCommandsTest, OpenPrintsTheNumberTheKeyAndHowToCheck) {
  vars_["CXDESK_ACCESS_KEY"] = "old-key";
  EXPECT_CALL(*stub_, CreateTicket(_, _, _))
      .WillOnce([](grpc::ClientContext*, const ticketpb::CreateTicketRequest& r,
                   ticketpb::CreateTicketResponse* out) {
        EXPECT_EQ(r.customer_email(), "jane@example.com");
        EXPECT_EQ(r.customer_name(), "Jane Doe");
        EXPECT_EQ(r.subject(), "Printer on fire");
        EXPECT_EQ(r.description(), "It smokes.");
        EXPECT_EQ(r.kind(), ticketpb::KIND_COMPLAINT);
        EXPECT_EQ(r.cx_level(), ticketpb::CX_LEVEL_PRODUCT);
        out->mutable_ticket()->set_id(12);
        out->mutable_ticket()->set_subject(r.subject());
        out->mutable_ticket()->set_status(ticketpb::STATUS_NEW);
        out->set_access_key("AK-12");
        return grpc::Status::OK;
      });
  ASSERT_EQ(Run({"open", "--email", "jane@example.com", "--name", "Jane Doe",
                 "--subject", "Printer on fire", "--description", "It smokes.",
                 "--kind", "complaint", "--cx-level", "product"}),
            kExitOk)
      << err();
  EXPECT_EQ(out(),
            "Thank you, we have received your request.\n\n"
            "  Ticket number: 12\n"
            "  Access key:    AK-12\n\n"
            "Keep the access key: it is shown only this once, and with the "
            "ticket number\n"
            "it lets you follow your request. Check it any time with:\n"
            "  cxdesk-status 12 --key AK-12\n");
  // Opening carries no credentials at all.
  EXPECT_EQ(credentials_.access_key, "");
  EXPECT_EQ(credentials_.bearer_token, "");
}

TEST_F(StatusCommandsTest, OpenReadsTheDescriptionFromStdinAndPrintsJson) {
  in_.str("It smokes\nin colour.\n");
  EXPECT_CALL(*stub_, CreateTicket(_, _, _))
      .WillOnce([](grpc::ClientContext*, const ticketpb::CreateTicketRequest& r,
                   ticketpb::CreateTicketResponse* out) {
        EXPECT_EQ(r.description(), "It smokes\nin colour.");
        EXPECT_EQ(r.kind(), ticketpb::KIND_UNSPECIFIED);
        out->mutable_ticket()->set_id(12);
        out->mutable_ticket()->set_subject(r.subject());
        out->mutable_ticket()->set_status(ticketpb::STATUS_NEW);
        out->set_access_key("AK-12");
        return grpc::Status::OK;
      });
  ASSERT_EQ(
      Run({"open", "--email", "j@example.com", "--subject", "S", "--json"}),
      kExitOk)
      << err();
  EXPECT_EQ(out(),
            "{\"ticket_id\":12,\"access_key\":\"AK-12\",\"subject\":\"S\","
            "\"status\":\"new\",\"status_text\":\"We have received your "
            "request and will look at it soon.\",\"check_command\":"
            "\"cxdesk-status 12 --key AK-12\"}\n");
}

TEST_F(StatusCommandsTest, OpenBadInputNamesTheFlag) {
  EXPECT_EQ(Run({"open", "--subject", "S", "--description", "D"}), kExitUsage);
  EXPECT_THAT(err(), StartsWith("cxdesk-status: missing required flag "
                                "--email E (your e-mail address)\n"));
  EXPECT_EQ(Run({"open", "--email", "e@x.org", "--subject", "S",
                 "--description", "D", "--kind", "rant"}),
            kExitUsage);
  EXPECT_THAT(err(), StartsWith("cxdesk-status: --kind: 'rant' is not one of "
                                "question, incident, request, complaint"));
  EXPECT_EQ(Run({"open", "--email", "e@x.org", "--subject", "S",
                 "--description", "D", "--kind", "complaint"}),
            kExitUsage);
  EXPECT_THAT(err(), StartsWith("cxdesk-status: --cx-level: a complaint needs "
                                "one of product, interaction, service, "
                                "emotion, brand\n"));
  EXPECT_EQ(Run({"open", "--email", "e@x.org", "--subject", "S",
                 "--description", "D", "--cx-level", "brand"}),
            kExitUsage);
  EXPECT_THAT(err(), StartsWith("cxdesk-status: --cx-level: only a complaint "
                                "(--kind complaint) has a CX level\n"));
  in_.str("");
  EXPECT_EQ(Run({"open", "--email", "e@x.org", "--subject", "S"}), kExitUsage);
  EXPECT_THAT(err(), StartsWith("cxdesk-status: --description: the "
                                "description is empty (give --description "
                                "TEXT, or write it on standard input)\n"));
  EXPECT_EQ(connects_, 0);
  // What only the server checks comes back naming the field.
  EXPECT_CALL(*stub_, CreateTicket(_, _, _))
      .WillOnce(
          Return(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                              "customer_email: must contain exactly one '@'")));
  EXPECT_EQ(
      Run({"open", "--email", "nope", "--subject", "S", "--description", "D"}),
      kExitError);
  EXPECT_EQ(err(),
            "The help desk did not accept that: customer_email: must "
            "contain exactly one '@'.\n");
}

// --- usage -------------------------------------------------------------------

TEST_F(StatusCommandsTest, UsageErrorsNameTheArgument) {
  EXPECT_EQ(Run({}), kExitUsage);
  EXPECT_EQ(err(),
            "cxdesk-status: which ticket? (give a ticket number, or one of: "
            "reply, rate, open)\n"
            "(run 'cxdesk-status --help' for usage)\n");
  EXPECT_EQ(Run({"frobnicate"}), kExitUsage);
  EXPECT_THAT(err(), StartsWith("cxdesk-status: unknown command 'frobnicate' "
                                "(give a ticket number, or one of: reply, "
                                "rate, open)"));
  EXPECT_EQ(Run({"7"}), kExitUsage);
  EXPECT_THAT(err(), StartsWith("cxdesk-status: --key: the access key is "
                                "missing (give --key KEY or set "
                                "CXDESK_ACCESS_KEY"));
  EXPECT_EQ(Run({"reply", "abc", "--key", "K"}), kExitUsage);
  EXPECT_THAT(err(), StartsWith("cxdesk-status: TICKET_ID: 'abc' is not a "
                                "ticket number"));
  EXPECT_EQ(Run({"reply", "--key", "K"}), kExitUsage);
  EXPECT_THAT(err(), StartsWith("cxdesk-status: missing TICKET_ID"));
  EXPECT_EQ(Run({"7", "8", "--key", "K"}), kExitUsage);
  EXPECT_THAT(err(), StartsWith("cxdesk-status: unexpected argument '8'"));
  EXPECT_EQ(Run({"7", "--key", "K", "--colour"}), kExitUsage);
  EXPECT_THAT(err(), HasSubstr("unknown flag --colour"));
  EXPECT_EQ(Run({"7", "--key", "K", "--tz", "Mars/Olympus"}), kExitUsage);
  EXPECT_THAT(err(), StartsWith("cxdesk-status: --tz: 'Mars/Olympus' is not "
                                "a known time zone"));
  EXPECT_EQ(Run({"7", "--key", "K", "--timeout", "soon"}), kExitUsage);
  EXPECT_THAT(err(), StartsWith("cxdesk-status: --timeout"));
  EXPECT_EQ(Run({"7", "--key", "K", "--target", "nowhere"}), kExitUsage);
  EXPECT_THAT(err(), StartsWith("cxdesk-status: --target: 'nowhere' is not "
                                "HOST:PORT"));
  EXPECT_EQ(connects_, 0);
}

TEST_F(StatusCommandsTest, HelpGoesToStdout) {
  EXPECT_EQ(Run({"--help"}), kExitOk);
  EXPECT_THAT(out(), HasSubstr("cxdesk-status TICKET_ID --key KEY"));
  EXPECT_THAT(out(), HasSubstr("cxdesk-status open --email E --subject S"));
  EXPECT_THAT(out(), HasSubstr("--tz ZONE"));
  EXPECT_THAT(out(), HasSubstr("--key KEY"));
  EXPECT_EQ(Run({"rate", "--help"}), kExitOk);
  EXPECT_THAT(out(), StartsWith("usage: cxdesk-status rate TICKET_ID --key "
                                "KEY --score 1..5"));
}

TEST_F(StatusCommandsTest, TheKeyIsNeverEchoedInErrors) {
  EXPECT_CALL(*stub_, GetTicketStatus(_, _, _))
      .WillOnce(Return(grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                                    "access key: malformed")));
  EXPECT_EQ(Run({"7", "--key", "SECRET-KEY"}), kExitError);
  EXPECT_EQ(err(),
            "The help desk did not accept the access key: access key: "
            "malformed.\n");
  EXPECT_THAT(out() + err(), Not(HasSubstr("SECRET-KEY")));
}

TEST(DescribeCustomerErrorTest, OtherCodes) {
  EXPECT_EQ(DescribeCustomerError(absl::NotFoundError("x"), "h:1", 0),
            "The help desk could not find that: x.");
  EXPECT_EQ(DescribeCustomerError(absl::ResourceExhaustedError("x"), "h:1", 3),
            "The help desk is busy right now. Please try again in a few "
            "minutes.");
  EXPECT_EQ(DescribeCustomerError(absl::InternalError("db"), "h:1", 3),
            "Something went wrong at the help desk (INTERNAL). Please try "
            "again later.");
}

// --- over the wire -----------------------------------------------------------

// A ticket service that answers GetTicketStatus for ticket 7 with key "K-7"
// only, read from the real call metadata.
class KeyCheckingService final : public ticketpb::TicketService::Service {
 public:
  grpc::Status GetTicketStatus(grpc::ServerContext* context,
                               const ticketpb::GetTicketStatusRequest* request,
                               ticketpb::TicketStatusView* response) override {
    if (MetadataValue(*context, "x-cxdesk-access-key") != "K-7" ||
        MetadataValue(*context, "authorization") != "<none>" ||
        request->ticket_id() != 7) {
      return grpc::Status(grpc::StatusCode::NOT_FOUND, "not found");
    }
    response->set_ticket_id(7);
    response->set_subject("Over the wire");
    response->set_status(ticketpb::STATUS_PENDING);
    return grpc::Status::OK;
  }
};

class StatusOverTheWireTest : public InProcessServerTest<KeyCheckingService> {
 protected:
  int Run(const std::vector<std::string>& args) {
    StatusEnvironment env = ProcessStatusEnvironment();
    env.tz = absl::UTCTimeZone();
    env.now = [] { return kNow; };
    env.in = nullptr;
    env.out = &out_;
    env.err = &err_;
    out_.str("");
    err_.str("");
    return RunStatus(args, env);
  }
  std::ostringstream out_, err_;
};

TEST_F(StatusOverTheWireTest, TheKeyTravelsAsTheAccessKeyHeader) {
  ASSERT_EQ(Run({"--target", target_, "7", "--key", "K-7"}), kExitOk)
      << err_.str();
  EXPECT_THAT(out_.str(), StartsWith("Ticket 7: Over the wire\n"
                                     "Status: We are waiting for your "
                                     "reply.\n"));
  EXPECT_EQ(Run({"--target", target_, "7", "--key", "K-8"}), kExitError);
  EXPECT_EQ(err_.str(),
            "No ticket 7 matches that access key. Check the number and the "
            "key from your confirmation message.\n");
}

TEST_F(StatusOverTheWireTest, AClosedPortIsUnreachable) {
  const std::string closed = target_;
  server_->Shutdown(std::chrono::system_clock::now());
  server_.reset();
  EXPECT_EQ(Run({"--target", closed, "--timeout", "2s", "7", "--key", "K-7"}),
            kExitError);
  EXPECT_EQ(err_.str(),
            absl::StrCat("The help desk cannot be reached at ", closed,
                         " right now. Please try again in a few minutes.\n"));
}

}  // namespace
}  // namespace cxdesk::clients::status
