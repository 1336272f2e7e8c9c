#include "clients/cli/commands.h"

#include <grpcpp/test/mock_stream.h>
#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "cxdesk/sla/v1/sla_service_mock.grpc.pb.h"
#include "cxdesk/ticket/v1/ticket_service_mock.grpc.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/token.h"

namespace cxdesk::clients::cli {
namespace {

namespace fs = std::filesystem;
namespace ticketpb = ::cxdesk::ticket::v1;
namespace slapb = ::cxdesk::sla::v1;
using ::testing::_;
using ::testing::DoAll;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::Return;
using ::testing::SetArgPointee;
using ::testing::StartsWith;

const absl::Time kNow = absl::FromCivil(
    absl::CivilSecond(2026, 11, 22, 15, 0, 0), absl::UTCTimeZone());

// A temporary folder, removed at the end of the test.
class TempDir {
 public:
  TempDir() {
    std::string pattern =
        (fs::temp_directory_path() / "cxdesk_cli_test.XXXXXX").string();
    path_ = mkdtemp(pattern.data());
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

void WriteFile(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path) << text;
}

class CliTest : public ::testing::Test {
 protected:
  CliTest() {
    env_.getenv =
        [this](const std::string& name) -> std::optional<std::string> {
      auto it = vars_.find(name);
      if (it == vars_.end()) return std::nullopt;
      return it->second;
    };
    env_.cwd = cwd_.path().string();
    env_.tz = absl::UTCTimeZone();
    env_.now = [] { return kNow; };
    env_.connect = [this](const std::string& target, CallCredentials creds,
                          absl::Duration timeout) {
      target_ = target;
      credentials_ = creds;
      timeout_ = timeout;
      return std::make_unique<TicketClient>(stub_, creds, timeout);
    };
    env_.connect_sla = [this](const std::string& target, CallCredentials creds,
                              absl::Duration timeout) {
      sla_target_ = target;
      sla_credentials_ = creds;
      return std::make_unique<SlaClient>(sla_stub_, creds, timeout);
    };
    env_.check_health = [this](const std::string& target, absl::Duration) {
      target_ = target;
      return health_;
    };
    env_.in = &in_;
    env_.out = &out_;
    env_.err = &err_;
  }

  int Run(const std::vector<std::string>& args) {
    out_.str("");
    err_.str("");
    return RunCli(args, env_);
  }

  std::string out() const { return out_.str(); }
  std::string err() const { return err_.str(); }

  std::map<std::string, std::string> vars_;
  TempDir cwd_;
  std::shared_ptr<ticketpb::MockTicketServiceStub> stub_ =
      std::make_shared<ticketpb::MockTicketServiceStub>();
  std::shared_ptr<slapb::MockSlaServiceStub> sla_stub_ =
      std::make_shared<slapb::MockSlaServiceStub>();
  absl::StatusOr<std::string> health_ =
      std::string("cxdesk.ticket.v1.TicketService");
  std::istringstream in_;
  std::ostringstream out_, err_;
  CliEnvironment env_;
  std::string target_;
  CallCredentials credentials_;
  absl::Duration timeout_;
  std::string sla_target_;
  CallCredentials sla_credentials_;
};

// --- usage -------------------------------------------------------------------

TEST_F(CliTest, HelpGoesToStdoutAndSucceeds) {
  EXPECT_EQ(Run({"--help"}), kExitOk);
  EXPECT_THAT(out(), HasSubstr("ticket create"));
  EXPECT_THAT(out(), HasSubstr("--target HOST:PORT"));
  EXPECT_EQ(Run({"ticket", "list", "--help"}), kExitOk);
  EXPECT_THAT(out(), StartsWith("usage: cxdesk ticket list [flags]"));
  EXPECT_THAT(out(), HasSubstr("--unassigned"));
}

TEST_F(CliTest, EveryCommandGroupListsItsCommandsOnHelp) {
  for (const char* group :
       {"ticket", "sla", "audit", "calendar", "policy", "team", "agent", "rule",
        "ladder", "route", "escalation", "token"}) {
    SCOPED_TRACE(group);
    EXPECT_EQ(Run({group, "--help"}), kExitOk);
    EXPECT_THAT(out(), StartsWith(absl::StrCat("usage: cxdesk ", group,
                                               " COMMAND [ARGS] [flags]")));
    EXPECT_THAT(out(), HasSubstr(absl::StrCat("  cxdesk ", group, " ")));
    EXPECT_EQ(err(), "");
    EXPECT_EQ(Run({group, "-h"}), kExitOk);
  }
  EXPECT_EQ(Run({"audit", "--help"}), kExitOk);
  EXPECT_THAT(out(), HasSubstr("cxdesk audit verify"));
  EXPECT_THAT(out(), HasSubstr("cxdesk audit export"));
}

TEST_F(CliTest, UsageErrorsExitTwo) {
  EXPECT_EQ(Run({}), kExitUsage);
  EXPECT_THAT(err(), HasSubstr("which command?"));
  EXPECT_EQ(Run({"frobnicate"}), kExitUsage);
  EXPECT_THAT(err(), HasSubstr("unknown command 'frobnicate'"));
  EXPECT_EQ(Run({"ticket"}), kExitUsage);
  EXPECT_THAT(err(), HasSubstr("which one? create, list, show"));
  EXPECT_EQ(Run({"ticket", "fly"}), kExitUsage);
  EXPECT_THAT(err(), HasSubstr("unknown command 'ticket fly'"));
  EXPECT_EQ(Run({"ticket", "list", "--colour"}), kExitUsage);
  EXPECT_THAT(err(), HasSubstr("cxdesk ticket list: unknown flag --colour"));
  EXPECT_EQ(Run({"ticket", "show"}), kExitUsage);
  EXPECT_THAT(err(), HasSubstr("missing argument(s): ticket show ID"));
  EXPECT_EQ(Run({"ticket", "show", "1", "2"}), kExitUsage);
  EXPECT_THAT(err(), HasSubstr("unexpected argument '2'"));
  EXPECT_EQ(Run({"ticket", "show", "abc"}), kExitUsage);
  EXPECT_THAT(err(), HasSubstr("ID: 'abc' is not a ticket number"));
  EXPECT_EQ(Run({"--timeout", "soon", "health"}), kExitUsage);
  EXPECT_THAT(err(), HasSubstr("--timeout"));
}

TEST_F(CliTest, MissingRequiredFlagIsNamed) {
  EXPECT_EQ(Run({"ticket", "create", "--subject", "S", "--description", "D"}),
            kExitUsage);
  EXPECT_THAT(err(), HasSubstr("missing required flag --email"));
}

TEST_F(CliTest, BadEnumWordNamesFlagAndAllowedValues) {
  EXPECT_EQ(Run({"ticket", "list", "--priority", "hihg"}), kExitUsage);
  EXPECT_THAT(err(), HasSubstr("--priority: 'hihg' is not one of low, normal, "
                               "high, urgent"));
  EXPECT_EQ(Run({"ticket", "status", "4", "done"}), kExitUsage);
  EXPECT_THAT(err(), HasSubstr("STATUS: 'done' is not one of new, open"));
}

// --- token issue
// ---------------------------------------------------------------

TEST_F(CliTest, TokenIssuePrintsOnlyAVerifiableToken) {
  const fs::path secret = cwd_.path() / "secret";
  WriteFile(secret, "0123456789abcdef0123456789abcdef\n");
  ASSERT_EQ(Run({"--token-secret-file", secret.string(), "token", "issue",
                 "--role", "manager", "--subject", "carol", "--ttl", "2h"}),
            kExitOk)
      << err();
  const std::string token(absl::StripSuffix(out(), "\n"));
  EXPECT_EQ(token.find('\n'), std::string::npos);
  absl::StatusOr<common::TokenClaims> claims =
      common::VerifyToken(token, "0123456789abcdef0123456789abcdef", kNow);
  ASSERT_TRUE(claims.ok()) << claims.status();
  EXPECT_EQ(claims->subject, "carol");
  EXPECT_EQ(claims->role, common::StaffRole::kManager);
  EXPECT_EQ(claims->expiry, kNow + absl::Hours(2));
}

TEST_F(CliTest, TokenIssueFindsTheSecretInTheNearestParentWithCxdesk) {
  WriteFile(cwd_.path() / ".cxdesk" / "token-secret",
            "fedcba9876543210fedcba9876543210");
  fs::create_directories(cwd_.path() / "a" / "b");
  env_.cwd = (cwd_.path() / "a" / "b").string();
  EXPECT_EQ(FindTokenSecretFile(env_.cwd),
            (cwd_.path() / ".cxdesk" / "token-secret").string());
  ASSERT_EQ(Run({"token", "issue", "--role", "agent", "--subject", "alice"}),
            kExitOk)
      << err();
  absl::StatusOr<common::TokenClaims> claims = common::VerifyToken(
      absl::StripSuffix(out(), "\n"), "fedcba9876543210fedcba9876543210", kNow);
  ASSERT_TRUE(claims.ok()) << claims.status();
  EXPECT_EQ(claims->expiry, kNow + absl::Hours(720));
}

TEST_F(CliTest, TokenIssueSecretFromEnvironment) {
  const fs::path secret = cwd_.path() / "elsewhere";
  WriteFile(secret, "0123456789abcdef0123456789abcdef");
  vars_["CXDESK_TOKEN_SECRET_FILE"] = secret.string();
  EXPECT_EQ(Run({"token", "issue", "--role", "service", "--subject", "sla"}),
            kExitOk)
      << err();
}

TEST_F(CliTest, TokenIssueErrors) {
  EXPECT_EQ(Run({"token", "issue", "--role", "boss", "--subject", "a"}),
            kExitUsage);
  EXPECT_THAT(err(), HasSubstr("--role: 'boss' is not one of agent, manager, "
                               "service"));
  EXPECT_EQ(Run({"token", "issue", "--role", "agent", "--subject", "a b"}),
            kExitUsage);
  EXPECT_THAT(err(), HasSubstr("--subject"));
  // No .cxdesk/ anywhere above a fresh temp folder (normally).
  if (FindTokenSecretFile(env_.cwd).empty()) {
    EXPECT_EQ(Run({"token", "issue", "--role", "agent", "--subject", "a"}),
              kExitError);
    EXPECT_THAT(err(), HasSubstr("no token secret"));
  }
  EXPECT_EQ(Run({"--token-secret-file", "/nonexistent/x", "token", "issue",
                 "--role", "agent", "--subject", "a"}),
            kExitError);
  EXPECT_THAT(err(), HasSubstr("cannot be read"));
}

// --- health ------------------------------------------------------------------

TEST_F(CliTest, Health) {
  vars_["CXDESK_TICKET_ADDR"] = "10.0.0.1:9";
  EXPECT_EQ(Run({"health"}), kExitOk);
  EXPECT_EQ(out(), "ticket service at 10.0.0.1:9: serving\n");
  // The CLI names the service that answered, whichever port it was asked.
  health_ = std::string("cxdesk.sla.v1.SlaService");
  EXPECT_EQ(Run({"--target", "127.0.0.1:7102", "health"}), kExitOk);
  EXPECT_EQ(out(), "SLA service at 127.0.0.1:7102: serving\n");
  EXPECT_EQ(Run({"--json", "--target", "127.0.0.1:7102", "health"}), kExitOk);
  EXPECT_THAT(out(), HasSubstr("\"service\":\"cxdesk.sla.v1.SlaService\""));
  health_ = absl::UnavailableError("connection refused");
  EXPECT_EQ(Run({"--target", "127.0.0.1:5", "health"}), kExitError);
  EXPECT_THAT(err(), StartsWith("error: cannot reach the ticket service at "
                                "127.0.0.1:5: is it running?"));
}

// --- ticket commands
// -------------------------------------------------------------

TEST_F(CliTest, CreatePrintsTicketAndAccessKey) {
  EXPECT_CALL(*stub_, CreateTicket(_, _, _))
      .WillOnce([](grpc::ClientContext*, const ticketpb::CreateTicketRequest& r,
                   ticketpb::CreateTicketResponse* out) {
        EXPECT_EQ(r.subject(), "Printer on fire");
        EXPECT_EQ(r.customer_email(), "jane@example.com");
        EXPECT_EQ(r.kind(), ticketpb::KIND_COMPLAINT);
        EXPECT_EQ(r.cx_level(), ticketpb::CX_LEVEL_PRODUCT);
        EXPECT_THAT(r.tags(), ElementsAre("a", "b"));
        out->mutable_ticket()->set_id(12);
        out->mutable_ticket()->set_subject(r.subject());
        out->mutable_ticket()->set_status(ticketpb::STATUS_NEW);
        out->set_access_key("KEY-123");
        return grpc::Status::OK;
      });
  ASSERT_EQ(
      Run({"ticket", "create", "--subject", "Printer on fire", "--description",
           "It smokes", "--email", "jane@example.com", "--kind", "complaint",
           "--cx-level", "product", "--tags", "a,b"}),
      kExitOk)
      << err();
  EXPECT_THAT(out(), StartsWith("ticket #12: Printer on fire\n"));
  EXPECT_THAT(out(), HasSubstr("\naccess key: KEY-123\n"));
  EXPECT_THAT(out(), HasSubstr("keep this key"));
  EXPECT_EQ(target_, "127.0.0.1:7101");
  EXPECT_EQ(credentials_.bearer_token, "");
  EXPECT_EQ(timeout_, absl::Seconds(10));
}

TEST_F(CliTest, CredentialsAndTargetFromFlagsBeatEnvironment) {
  vars_["CXDESK_TOKEN"] = "env-token";
  vars_["CXDESK_ACCESS_KEY"] = "env-key";
  vars_["CXDESK_TICKET_ADDR"] = "env:1";
  EXPECT_CALL(*stub_, GetTicketStatus(_, _, _))
      .WillRepeatedly(Return(grpc::Status::OK));
  ASSERT_EQ(Run({"ticket", "status-view", "3"}), kExitOk) << err();
  EXPECT_EQ(target_, "env:1");
  EXPECT_EQ(credentials_.bearer_token, "env-token");
  EXPECT_EQ(credentials_.access_key, "env-key");
  ASSERT_EQ(
      Run({"--target", "flag:2", "--token", "flag-token", "ticket",
           "status-view", "3", "--access-key", "flag-key", "--timeout", "3s"}),
      kExitOk)
      << err();
  EXPECT_EQ(target_, "flag:2");
  EXPECT_EQ(credentials_.bearer_token, "flag-token");
  EXPECT_EQ(credentials_.access_key, "flag-key");
  EXPECT_EQ(timeout_, absl::Seconds(3));
}

TEST_F(CliTest, AccessKeyFlagActsAsTheCustomerDespiteAnEnvironmentToken) {
  vars_["CXDESK_TOKEN"] = "env-token";
  EXPECT_CALL(*stub_, RateTicket(_, _, _)).WillOnce(Return(grpc::Status::OK));
  ASSERT_EQ(
      Run({"--access-key", "KEY-1", "ticket", "rate", "3", "--score", "5"}),
      kExitOk)
      << err();
  EXPECT_EQ(credentials_.bearer_token, "");
  EXPECT_EQ(credentials_.access_key, "KEY-1");
}

TEST_F(CliTest, ServerErrorsExitOneWithPlainWords) {
  EXPECT_CALL(*stub_, GetTicketStatus(_, _, _))
      .WillOnce(Return(
          grpc::Status(grpc::StatusCode::NOT_FOUND, "ticket 4 not found")));
  EXPECT_EQ(Run({"--access-key", "wrong", "ticket", "status-view", "4"}),
            kExitError);
  EXPECT_THAT(err(), StartsWith("error: not found: ticket 4 not found"));
}

TEST_F(CliTest, TokensAreNeverPrintedInErrors) {
  EXPECT_CALL(*stub_, ListTickets(_, _, _))
      .WillOnce(Return(
          grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "token: expired")));
  EXPECT_EQ(Run({"--token", "cxd1.SECRET.MAC", "ticket", "list"}), kExitError);
  EXPECT_THAT(err(), HasSubstr("not signed in or token rejected"));
  EXPECT_THAT(err() + out(), Not(HasSubstr("SECRET")));
  // A token typed where an argument belongs is not echoed either.
  EXPECT_EQ(Run({"ticket", "show", "5", "cxd1.SECRET.MAC"}), kExitUsage);
  EXPECT_THAT(err(), Not(HasSubstr("SECRET")));
  EXPECT_EQ(Run({"cxd1.SECRET.MAC"}), kExitUsage);
  EXPECT_THAT(err(), Not(HasSubstr("SECRET")));
}

TEST_F(CliTest, ListPrintsTableAndNextPageHint) {
  EXPECT_CALL(*stub_, ListTickets(_, _, _))
      .WillOnce([](grpc::ClientContext*, const ticketpb::ListTicketsRequest& r,
                   ticketpb::ListTicketsResponse* out) {
        EXPECT_THAT(r.statuses(), ElementsAre(ticketpb::STATUS_OPEN,
                                              ticketpb::STATUS_PENDING));
        EXPECT_TRUE(r.unassigned());
        ticketpb::Ticket* t = out->add_tickets();
        t->set_id(1);
        t->set_subject("one");
        t->set_status(ticketpb::STATUS_OPEN);
        out->set_next_page_token("P2");
        return grpc::Status::OK;
      });
  ASSERT_EQ(Run({"ticket", "list", "--status", "open,pending", "--unassigned"}),
            kExitOk)
      << err();
  std::vector<std::string> lines =
      absl::StrSplit(out(), '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 3u) << out();
  EXPECT_THAT(lines[0], StartsWith("ID  STATUS"));
  EXPECT_THAT(lines[1], StartsWith("1   open"));
  EXPECT_EQ(lines[2],
            "more tickets: repeat with --page-token P2 (or use --all)");
}

TEST_F(CliTest, ListAllFollowsPagesAndJsonIsOneLinePerPage) {
  EXPECT_CALL(*stub_, ListTickets(_, _, _))
      .WillOnce([](grpc::ClientContext*, const ticketpb::ListTicketsRequest& r,
                   ticketpb::ListTicketsResponse* out) {
        EXPECT_EQ(r.page_token(), "");
        out->add_tickets()->set_id(1);
        out->set_next_page_token("P2");
        return grpc::Status::OK;
      })
      .WillOnce([](grpc::ClientContext*, const ticketpb::ListTicketsRequest& r,
                   ticketpb::ListTicketsResponse* out) {
        EXPECT_EQ(r.page_token(), "P2");
        out->add_tickets()->set_id(2);
        return grpc::Status::OK;
      });
  ASSERT_EQ(Run({"ticket", "list", "--all", "--json"}), kExitOk) << err();
  std::vector<std::string> lines =
      absl::StrSplit(out(), '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 2u) << out();
  EXPECT_THAT(lines[0], StartsWith("{\"tickets\":[{\"id\":\"1\""));
  EXPECT_THAT(lines[0], HasSubstr("\"next_page_token\":\"P2\""));
  EXPECT_THAT(lines[1], StartsWith("{\"tickets\":[{\"id\":\"2\""));
}

TEST_F(CliTest, ListEmpty) {
  EXPECT_CALL(*stub_, ListTickets(_, _, _)).WillOnce(Return(grpc::Status::OK));
  ASSERT_EQ(Run({"ticket", "list"}), kExitOk);
  EXPECT_EQ(out(), "no tickets match\n");
}

TEST_F(CliTest, ShowPrintsDetailsAndMarksInternalNotes) {
  ticketpb::Ticket ticket;
  ticket.set_id(5);
  ticket.set_subject("Hello");
  ticketpb::ListCommentsResponse comments;
  ticketpb::Comment* c = comments.add_comments();
  c->set_id(1);
  c->set_body("visible");
  c->set_visibility(ticketpb::VISIBILITY_PUBLIC);
  c = comments.add_comments();
  c->set_id(2);
  c->set_body("hidden");
  c->set_visibility(ticketpb::VISIBILITY_INTERNAL);
  EXPECT_CALL(*stub_, GetTicket(_, _, _))
      .WillRepeatedly(
          DoAll(SetArgPointee<2>(ticket), Return(grpc::Status::OK)));
  EXPECT_CALL(*stub_, ListComments(_, _, _))
      .WillRepeatedly(
          DoAll(SetArgPointee<2>(comments), Return(grpc::Status::OK)));
  ASSERT_EQ(Run({"ticket", "show", "#5"}), kExitOk) << err();
  EXPECT_THAT(out(), StartsWith("ticket #5: Hello\n"));
  EXPECT_THAT(out(), HasSubstr("comments (2):\n"));
  EXPECT_THAT(out(), HasSubstr("public reply\n    visible\n"));
  EXPECT_THAT(out(),
              HasSubstr("*** INTERNAL NOTE (staff only) ***\n    hidden"));

  ASSERT_EQ(Run({"ticket", "show", "5", "--json"}), kExitOk) << err();
  EXPECT_THAT(out(), StartsWith("{\"ticket\":{"));
  EXPECT_THAT(out(), HasSubstr("\"comments\":[{"));
  const std::string json = out();
  EXPECT_EQ(std::count(json.begin(), json.end(), '\n'), 1);
}

TEST_F(CliTest, ReplyAndNoteSetVisibility) {
  EXPECT_CALL(*stub_, AddComment(_, _, _))
      .WillOnce([](grpc::ClientContext*, const ticketpb::AddCommentRequest& r,
                   ticketpb::Comment* out) {
        EXPECT_EQ(r.ticket_id(), 8);
        EXPECT_EQ(r.visibility(), ticketpb::VISIBILITY_PUBLIC);
        EXPECT_EQ(r.body(), "thanks");
        out->set_id(30);
        out->set_visibility(r.visibility());
        return grpc::Status::OK;
      })
      .WillOnce([](grpc::ClientContext*, const ticketpb::AddCommentRequest& r,
                   ticketpb::Comment* out) {
        EXPECT_EQ(r.visibility(), ticketpb::VISIBILITY_INTERNAL);
        EXPECT_EQ(r.body(), "from stdin");
        out->set_id(31);
        out->set_visibility(r.visibility());
        return grpc::Status::OK;
      });
  ASSERT_EQ(Run({"ticket", "reply", "8", "--body", "thanks"}), kExitOk);
  EXPECT_EQ(out(), "added public reply #30 to ticket #8\n");
  in_.str("from stdin\n");
  ASSERT_EQ(Run({"ticket", "note", "8", "--body", "-"}), kExitOk);
  EXPECT_EQ(out(), "added internal note #31 to ticket #8\n");
}

TEST_F(CliTest, UpdateSendsTheMaskOfTheFlagsGiven) {
  EXPECT_CALL(*stub_, UpdateTicket(_, _, _))
      .WillOnce([](grpc::ClientContext*, const ticketpb::UpdateTicketRequest& r,
                   ticketpb::Ticket* out) {
        EXPECT_EQ(r.ticket().id(), 9);
        EXPECT_THAT(r.update_mask().paths(), ElementsAre("priority", "tags"));
        EXPECT_EQ(r.etag(), "E1");
        *out = r.ticket();
        return grpc::Status::OK;
      })
      .WillOnce(Return(grpc::Status(grpc::StatusCode::ABORTED, "etag: stale")));
  ASSERT_EQ(Run({"ticket", "update", "9", "--priority", "urgent", "--tags", "x",
                 "--etag", "E1"}),
            kExitOk)
      << err();
  EXPECT_THAT(out(), HasSubstr("priority: urgent"));
  EXPECT_EQ(Run({"ticket", "update", "9", "--subject", "x", "--etag", "E0"}),
            kExitError);
  EXPECT_THAT(err(), HasSubstr("someone else changed it first: etag: stale; "
                               "reload and retry"));
}

TEST_F(CliTest, AssignStatusAndRate) {
  EXPECT_CALL(*stub_, AssignTicket(_, _, _))
      .WillOnce([](grpc::ClientContext*, const ticketpb::AssignTicketRequest& r,
                   ticketpb::Ticket* out) {
        EXPECT_EQ(r.assignee(), "alice");
        out->set_id(r.ticket_id());
        out->set_assignee(r.assignee());
        out->set_status(ticketpb::STATUS_OPEN);
        return grpc::Status::OK;
      });
  EXPECT_CALL(*stub_, ChangeTicketStatus(_, _, _))
      .WillOnce([](grpc::ClientContext*,
                   const ticketpb::ChangeTicketStatusRequest& r,
                   ticketpb::Ticket* out) {
        EXPECT_EQ(r.status(), ticketpb::STATUS_ON_HOLD);
        EXPECT_EQ(r.reason(), "vendor");
        out->set_id(r.ticket_id());
        out->set_status(r.status());
        return grpc::Status::OK;
      });
  EXPECT_CALL(*stub_, RateTicket(_, _, _))
      .WillOnce([](grpc::ClientContext*, const ticketpb::RateTicketRequest& r,
                   ticketpb::Ticket* out) {
        out->set_id(r.ticket_id());
        out->mutable_rating()->set_score(r.score());
        return grpc::Status::OK;
      });
  ASSERT_EQ(Run({"ticket", "assign", "4", "--agent", "alice"}), kExitOk);
  EXPECT_THAT(out(), StartsWith("ticket #4 assigned: status open"));
  EXPECT_THAT(out(), HasSubstr("assignee alice"));
  ASSERT_EQ(Run({"ticket", "status", "4", "on-hold", "--reason", "vendor"}),
            kExitOk);
  EXPECT_THAT(out(), StartsWith("ticket #4 changed: status on-hold"));
  ASSERT_EQ(Run({"ticket", "rate", "4", "--score", "4"}), kExitOk);
  EXPECT_EQ(out(), "ticket #4 rated 4/5: thank you\n");
  EXPECT_EQ(Run({"ticket", "rate", "4", "--score", "9"}), kExitUsage);
  EXPECT_EQ(Run({"ticket", "assign", "4"}), kExitUsage);
}

TEST_F(CliTest, EventsPrintOneLinePerEventWithChanges) {
  ticketpb::ListTicketEventsResponse page;
  ticketpb::TicketEvent* e = page.add_events();
  e->set_type(ticketpb::EVENT_TYPE_STATUS_CHANGED);
  e->set_ticket_version(3);
  e->set_actor("bob");
  e->set_actor_role(ticketpb::ROLE_AGENT);
  e->mutable_before()->set_status(ticketpb::STATUS_OPEN);
  e->mutable_after()->set_status(ticketpb::STATUS_PENDING);
  EXPECT_CALL(*stub_, ListTicketEvents(_, _, _))
      .WillOnce(DoAll(SetArgPointee<2>(page), Return(grpc::Status::OK)));
  ASSERT_EQ(Run({"ticket", "events", "4"}), kExitOk) << err();
  EXPECT_THAT(out(), HasSubstr("v3    status    bob (agent)"));
  EXPECT_THAT(out(), HasSubstr("status: open -> pending\n"));
}

TEST_F(CliTest, WatchStopsAfterCount) {
  auto* reader = new grpc::testing::MockClientReader<ticketpb::TicketEvent>();
  ticketpb::TicketEvent e1, e2;
  e1.set_cursor("1-1");
  e1.set_type(ticketpb::EVENT_TYPE_CREATED);
  e2.set_cursor("1-2");
  e2.set_type(ticketpb::EVENT_TYPE_RATED);
  EXPECT_CALL(*reader, Read(_))
      .WillOnce(DoAll(SetArgPointee<0>(e1), Return(true)))
      .WillOnce(DoAll(SetArgPointee<0>(e2), Return(true)))
      .WillOnce(Return(false));
  EXPECT_CALL(*reader, Finish())
      .WillOnce(Return(grpc::Status(grpc::StatusCode::CANCELLED, "")));
  EXPECT_CALL(*stub_, WatchTicketEventsRaw(_, _))
      .WillOnce([reader](grpc::ClientContext*,
                         const ticketpb::WatchTicketEventsRequest& r) {
        EXPECT_EQ(r.after_cursor(), "0-9");
        return reader;
      });
  ASSERT_EQ(Run({"ticket", "watch", "--after", "0-9", "--count", "2"}), kExitOk)
      << err();
  std::vector<std::string> lines =
      absl::StrSplit(out(), '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 2u) << out();
  EXPECT_THAT(lines[0], StartsWith("1-1  "));
  EXPECT_THAT(lines[1], StartsWith("1-2  "));
  EXPECT_THAT(lines[1], HasSubstr("rated"));
}

// --- calendar, policy
// ----------------------------------------------------------

constexpr char kCalendarText[] = R"pb(
  # Berlin office hours, with a lunch break on Mondays.
  calendar_id: "berlin"
  time_zone: "Europe/Berlin"
  hours { weekday: WEEKDAY_MONDAY start: "09:00" end: "12:00" }
  hours { weekday: WEEKDAY_MONDAY start: "13:00" end: "17:00" }
  hours { weekday: WEEKDAY_TUESDAY start: "09:00" end: "17:00" }
  holidays { date: "2026-12-25" yearly: true title: "Christmas" }
  description: "Berlin office"
)pb";

TEST_F(CliTest, HelpListsTheSlaCommandsAndTarget) {
  EXPECT_EQ(Run({"--help"}), kExitOk);
  for (const char* text :
       {"calendar create", "calendar update", "calendar get ID",
        "calendar list", "calendar delete ID", "policy create", "policy update",
        "policy get ID", "policy list", "policy delete ID",
        "sla show TICKET_ID", "sla promise TICKET_ID", "sla events",
        "sla breaches", "sla report", "sla simulate", "sla watch",
        "--sla-target HOST:PORT"}) {
    EXPECT_THAT(out(), HasSubstr(text));
  }
  EXPECT_EQ(Run({"sla"}), kExitUsage);
  EXPECT_THAT(err(), HasSubstr("which one? show, promise, events, breaches, "
                               "report, simulate, watch"));
}

TEST_F(CliTest, CalendarCreateFromTextFile) {
  WriteFile(cwd_.path() / "berlin.txtpb", kCalendarText);
  vars_["CXDESK_TOKEN"] = "mgr-token";
  vars_["CXDESK_ACCESS_KEY"] = "customer-key";
  EXPECT_CALL(*sla_stub_, CreateCalendar(_, _, _))
      .WillOnce([](grpc::ClientContext*, const slapb::CreateCalendarRequest& r,
                   slapb::Calendar* out) {
        const slapb::Calendar& c = r.calendar();
        EXPECT_EQ(c.calendar_id(), "berlin");
        EXPECT_EQ(c.time_zone(), "Europe/Berlin");
        EXPECT_EQ(c.description(), "Berlin office");
        EXPECT_EQ(c.hours_size(), 3);
        EXPECT_EQ(c.hours(1).weekday(), slapb::WEEKDAY_MONDAY);
        EXPECT_EQ(c.hours(1).start(), "13:00");
        EXPECT_EQ(c.hours(1).end(), "17:00");
        EXPECT_EQ(c.hours(2).weekday(), slapb::WEEKDAY_TUESDAY);
        EXPECT_EQ(c.holidays_size(), 1);
        if (c.holidays_size() == 1) {
          EXPECT_EQ(c.holidays(0).date(), "2026-12-25");
          EXPECT_TRUE(c.holidays(0).yearly());
        }
        *out = c;
        out->set_etag("E1");
        return grpc::Status::OK;
      });
  // A relative --file is found in the working directory.
  ASSERT_EQ(Run({"calendar", "create", "--file", "berlin.txtpb"}), kExitOk)
      << err();
  EXPECT_EQ(out(), "calendar berlin created, etag E1\n");
  EXPECT_EQ(sla_target_, "127.0.0.1:7102");
  EXPECT_EQ(sla_credentials_.bearer_token, "mgr-token");
  // The access key belongs to the ticket service: never sent to the SLA one.
  EXPECT_EQ(sla_credentials_.access_key, "");
  EXPECT_TRUE(target_.empty()) << "the ticket service was contacted";
}

TEST_F(CliTest, CalendarTextFormatErrorNamesFileAndLine) {
  WriteFile(cwd_.path() / "bad.txtpb",
            "calendar_id: \"berlin\"\n"
            "time_zone: \"Europe/Berlin\"\n"
            "hours { weekday: WEEKDAY_MONDAY start: 9 }\n");
  EXPECT_CALL(*sla_stub_, CreateCalendar(_, _, _)).Times(0);
  EXPECT_EQ(Run({"calendar", "create", "--file", "bad.txtpb"}), kExitUsage);
  EXPECT_THAT(err(), StartsWith("cxdesk calendar create: bad.txtpb: line 3, "
                                "column 40: Expected string, got: 9\n"));
  WriteFile(cwd_.path() / "typo.txtpb",
            "calendar_id: \"x\"\ntimezone: \"UTC\"\n");
  EXPECT_EQ(Run({"calendar", "create", "--file", "typo.txtpb"}), kExitUsage);
  EXPECT_THAT(err(), HasSubstr("typo.txtpb: line 2, column 9: Message type "
                               "\"cxdesk.sla.v1.Calendar\" has no field named "
                               "\"timezone\""));
  EXPECT_EQ(Run({"calendar", "create", "--file", "missing.txtpb"}), kExitUsage);
  EXPECT_THAT(err(),
              HasSubstr("--file missing.txtpb: cannot be read (no such file)"));
  EXPECT_EQ(Run({"calendar", "create"}), kExitUsage);
  EXPECT_THAT(err(), HasSubstr("missing required flag --file"));
}

TEST_F(CliTest, CalendarUpdateFetchesTheEtagUnlessGiven) {
  WriteFile(cwd_.path() / "berlin.txtpb", kCalendarText);
  slapb::Calendar current;
  current.set_calendar_id("berlin");
  current.set_etag("E7");
  EXPECT_CALL(*sla_stub_, GetCalendar(_, _, _))
      .WillOnce([&](grpc::ClientContext*, const slapb::GetCalendarRequest& r,
                    slapb::Calendar* out) {
        EXPECT_EQ(r.calendar_id(), "berlin");
        *out = current;
        return grpc::Status::OK;
      });
  EXPECT_CALL(*sla_stub_, UpdateCalendar(_, _, _))
      .WillOnce([](grpc::ClientContext*, const slapb::UpdateCalendarRequest& r,
                   slapb::Calendar* out) {
        EXPECT_EQ(r.etag(), "E7");
        EXPECT_EQ(r.calendar().time_zone(), "Europe/Berlin");
        *out = r.calendar();
        out->set_etag("E8");
        return grpc::Status::OK;
      })
      .WillOnce([](grpc::ClientContext*, const slapb::UpdateCalendarRequest& r,
                   slapb::Calendar* out) {
        EXPECT_EQ(r.etag(), "E3");
        return grpc::Status(grpc::StatusCode::ABORTED, "etag: stale");
      });
  ASSERT_EQ(Run({"calendar", "update", "--file", "berlin.txtpb"}), kExitOk)
      << err();
  EXPECT_EQ(out(), "calendar berlin updated, etag E8\n");
  EXPECT_EQ(
      Run({"calendar", "update", "--file", "berlin.txtpb", "--etag", "E3"}),
      kExitError);
  EXPECT_EQ(err(),
            "error: someone else changed it first: etag: stale; reload and "
            "retry\n");
}

TEST_F(CliTest, PolicyCreateReadsEnumsAndDurations) {
  WriteFile(cwd_.path() / "vip.txtpb", R"pb(
    policy_id: "vip"
    position: 10
    conditions { priorities: PRIORITY_URGENT kinds: KIND_COMPLAINT }
    targets {
      priority: PRIORITY_URGENT
      metric: METRIC_FIRST_RESPONSE
      target { seconds: 3600 }
      calendar_id: "berlin"
      warnings { percent_elapsed: 80 }
    }
  )pb");
  EXPECT_CALL(*sla_stub_, CreatePolicy(_, _, _))
      .WillOnce([](grpc::ClientContext*, const slapb::CreatePolicyRequest& r,
                   slapb::Policy* out) {
        EXPECT_EQ(r.policy().policy_id(), "vip");
        EXPECT_THAT(r.policy().conditions().priorities(),
                    ElementsAre(ticketpb::PRIORITY_URGENT));
        EXPECT_EQ(r.policy().targets(0).target().seconds(), 3600);
        EXPECT_EQ(r.policy().targets(0).warnings(0).percent_elapsed(), 80);
        *out = r.policy();
        return grpc::Status::OK;
      });
  ASSERT_EQ(Run({"--json", "policy", "create", "--file", "vip.txtpb"}), kExitOk)
      << err();
  EXPECT_THAT(out(), StartsWith("{\"policy_id\":\"vip\",\"position\":10,"));
}

TEST_F(CliTest, SlaServerErrorsNameTheSlaService) {
  vars_["CXDESK_SLA_TARGET"] = "sla-host:1";
  EXPECT_CALL(*sla_stub_, GetTicketSla(_, _, _))
      .WillOnce(Return(grpc::Status(grpc::StatusCode::UNAVAILABLE, "")))
      .WillOnce(Return(
          grpc::Status(grpc::StatusCode::PERMISSION_DENIED, "staff only")));
  EXPECT_EQ(Run({"sla", "show", "4"}), kExitError);
  EXPECT_EQ(sla_target_, "sla-host:1");
  EXPECT_THAT(err(), StartsWith("error: cannot reach the SLA service at "
                                "sla-host:1: is it running?"));
  EXPECT_EQ(Run({"--sla-target", "flag-host:2", "sla", "show", "4"}),
            kExitError);
  EXPECT_EQ(sla_target_, "flag-host:2");
  EXPECT_THAT(err(), StartsWith("error: not allowed for your role: staff "
                                "only"));
  EXPECT_EQ(Run({"sla", "show", "four"}), kExitUsage);
  EXPECT_THAT(err(), HasSubstr("TICKET_ID: 'four' is not a ticket number"));
}

// --- sla ...
// -----------------------------------------------------------------------

TEST_F(CliTest, SlaShowPrintsEveryClockWithItsExplanation) {
  slapb::TicketSla ticket_sla;
  ticket_sla.set_ticket_id(12);
  ticket_sla.set_policy_id("vip");
  ticket_sla.set_status(ticketpb::STATUS_OPEN);
  ticket_sla.mutable_as_of_time()->set_seconds(absl::ToUnixSeconds(kNow));
  slapb::SlaClock* clock = ticket_sla.add_clocks();
  clock->set_metric(slapb::METRIC_FIRST_RESPONSE);
  clock->set_cycle(1);
  clock->set_state(slapb::CLOCK_STATE_RUNNING);
  clock->mutable_target()->set_seconds(3600);
  clock->mutable_deadline()->set_seconds(absl::ToUnixSeconds(kNow) + 190);
  clock->mutable_remaining_business()->set_seconds(190);
  clock->set_explanation("running since 14:03; due in 3m 10s");
  EXPECT_CALL(*sla_stub_, GetTicketSla(_, _, _))
      .WillOnce([&](grpc::ClientContext*, const slapb::GetTicketSlaRequest& r,
                    slapb::TicketSla* out) {
        EXPECT_EQ(r.ticket_id(), 12);
        *out = ticket_sla;
        return grpc::Status::OK;
      });
  ASSERT_EQ(Run({"sla", "show", "#12"}), kExitOk) << err();
  std::vector<std::string> lines =
      absl::StrSplit(out(), '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 4u) << out();
  EXPECT_EQ(lines[0],
            "ticket #12: policy vip, status open, as of 2026-11-22 15:00:00");
  EXPECT_THAT(lines[1], StartsWith("METRIC          CYCLE  STATE    BREACHED"));
  EXPECT_EQ(lines[2],
            "first_response  1      running  no        1h      "
            "2026-11-22 15:03:10  3m 10s     0s      -");
  EXPECT_EQ(lines[3], "    running since 14:03; due in 3m 10s");
}

TEST_F(CliTest, SlaEventsMapsFiltersAndFollowsPagesUpToTheLimit) {
  auto page = [](int first, int n, const std::string& next) {
    slapb::ListSlaEventsResponse response;
    for (int i = first; i < first + n; ++i) {
      slapb::SlaEvent* e = response.add_events();
      e->set_id(i);
      e->set_ticket_id(12);
      e->set_kind(slapb::SLA_EVENT_KIND_BREACHED);
      e->set_metric(slapb::METRIC_FIRST_RESPONSE);
      e->set_cycle(1);
      e->mutable_occur_time()->set_seconds(absl::ToUnixSeconds(kNow) - 60 * i);
    }
    response.set_next_page_token(next);
    return response;
  };
  EXPECT_CALL(*sla_stub_, ListSlaEvents(_, _, _))
      .WillOnce([&](grpc::ClientContext*, const slapb::ListSlaEventsRequest& r,
                    slapb::ListSlaEventsResponse* out) {
        EXPECT_EQ(r.ticket_id(), 12);
        EXPECT_THAT(r.kinds(), ElementsAre(slapb::SLA_EVENT_KIND_BREACHED,
                                           slapb::SLA_EVENT_KIND_WARNED));
        EXPECT_EQ(r.metric(), slapb::METRIC_FIRST_RESPONSE);
        EXPECT_EQ(r.start_time().seconds(),
                  absl::ToUnixSeconds(absl::FromCivil(
                      absl::CivilDay(2026, 11, 1), absl::UTCTimeZone())));
        EXPECT_EQ(r.end_time().seconds(),
                  absl::ToUnixSeconds(absl::FromCivil(
                      absl::CivilHour(2026, 11, 2, 8), absl::UTCTimeZone())));
        EXPECT_EQ(r.page_size(), 5);
        EXPECT_EQ(r.page_token(), "");
        *out = page(1, 3, "P2");
        return grpc::Status::OK;
      })
      .WillOnce([&](grpc::ClientContext*, const slapb::ListSlaEventsRequest& r,
                    slapb::ListSlaEventsResponse* out) {
        EXPECT_EQ(r.page_token(), "P2");
        EXPECT_EQ(r.ticket_id(), 12);
        *out = page(4, 3, "P3");
        return grpc::Status::OK;
      });
  ASSERT_EQ(Run({"sla", "events", "--ticket", "12", "--kind", "breached,warned",
                 "--metric", "first_response", "--since", "2026-11-01",
                 "--until", "2026-11-02T09:00:00+01:00", "--limit", "5"}),
            kExitOk)
      << err();
  std::vector<std::string> lines =
      absl::StrSplit(out(), '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 6u) << out();
  EXPECT_EQ(lines[0],
            "2026-11-22 14:59:00  #12     breached    first_response#1");
  EXPECT_EQ(lines[4],
            "2026-11-22 14:55:00  #12     breached    first_response#1");
  EXPECT_EQ(lines[5], "more events: stopped at --limit 5");
}

TEST_F(CliTest, SlaEventsWithoutFiltersAsksForEverything) {
  EXPECT_CALL(*sla_stub_, ListSlaEvents(_, _, _))
      .WillOnce([](grpc::ClientContext*, const slapb::ListSlaEventsRequest& r,
                   slapb::ListSlaEventsResponse*) {
        EXPECT_EQ(r.ticket_id(), 0);
        EXPECT_TRUE(r.kinds().empty());
        EXPECT_EQ(r.metric(), slapb::METRIC_UNSPECIFIED);
        EXPECT_FALSE(r.has_start_time());
        EXPECT_FALSE(r.has_end_time());
        EXPECT_EQ(r.page_size(), 1000);
        return grpc::Status::OK;
      });
  ASSERT_EQ(Run({"sla", "events"}), kExitOk) << err();
  EXPECT_EQ(out(), "no events\n");
}

TEST_F(CliTest, SlaBreachesMapsFilters) {
  EXPECT_CALL(*sla_stub_, ListBreaches(_, _, _))
      .WillOnce([](grpc::ClientContext*, const slapb::ListBreachesRequest& r,
                   slapb::ListBreachesResponse* out) {
        EXPECT_EQ(r.team(), "billing");
        EXPECT_EQ(r.assignee(), "alice");
        EXPECT_EQ(r.metric(), slapb::METRIC_RESOLUTION);
        EXPECT_EQ(r.priority(), ticketpb::PRIORITY_URGENT);
        EXPECT_TRUE(r.open_only());
        EXPECT_TRUE(r.has_start_time());
        EXPECT_FALSE(r.has_end_time());
        slapb::Breach* b = out->add_breaches();
        b->mutable_event()->set_ticket_id(7);
        b->mutable_event()->set_metric(slapb::METRIC_RESOLUTION);
        b->mutable_event()->mutable_deadline()->set_seconds(
            absl::ToUnixSeconds(kNow - absl::Minutes(90)));
        b->set_state(slapb::CLOCK_STATE_RUNNING);
        return grpc::Status::OK;
      });
  ASSERT_EQ(Run({"sla", "breaches", "--team", "billing", "--agent", "alice",
                 "--metric", "resolution", "--priority", "urgent", "--open",
                 "--since", "2026-11-01", "--no-causes"}),
            kExitOk)
      << err();
  std::vector<std::string> lines =
      absl::StrSplit(out(), '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 2u) << out();
  EXPECT_THAT(lines[0], StartsWith("TICKET  METRIC      PRIORITY"));
  EXPECT_EQ(lines[1],
            "7       resolution  -         -     -      2026-11-22 13:30:00  "
            "running  -    1h 30m so far");
}

// A report grouped by team: one group with two metrics, one without a team
// and without ratings.
slapb::SlaReport FixedReport() {
  slapb::SlaReport report;
  report.mutable_start_time()->set_seconds(absl::ToUnixSeconds(
      absl::FromCivil(absl::CivilDay(2026, 11, 1), absl::UTCTimeZone())));
  report.mutable_end_time()->set_seconds(absl::ToUnixSeconds(
      absl::FromCivil(absl::CivilDay(2026, 11, 8), absl::UTCTimeZone())));
  report.add_group_by(slapb::REPORT_DIMENSION_TEAM);
  report.set_clocks(13);
  slapb::SlaReportRow* row = report.add_rows();
  row->add_group_values("billing");
  row->set_tickets(6);
  row->set_ratings(3);
  row->set_average_csat(4.3333);
  slapb::MetricReport* m = row->add_metrics();
  m->set_metric(slapb::METRIC_FIRST_RESPONSE);
  m->set_clocks(6);
  m->set_met_on_time(4);
  m->set_breached(1);
  m->set_open(1);
  m->set_compliance_percent(80);
  m->mutable_business_time()->set_count(5);
  m->mutable_business_time()->mutable_p50()->set_seconds(300);
  m->mutable_business_time()->mutable_p90()->set_seconds(3900);
  m->mutable_business_time()->mutable_p99()->set_seconds(4000);
  m->mutable_business_time()->mutable_max()->set_seconds(4000);
  m->mutable_calendar_time()->set_count(5);
  m->mutable_calendar_time()->mutable_p50()->set_seconds(42);
  m->mutable_calendar_time()->mutable_p90()->set_seconds(7200);
  m->mutable_calendar_time()->mutable_p99()->set_seconds(90000);
  m->mutable_calendar_time()->mutable_max()->set_seconds(90000);
  m = row->add_metrics();
  m->set_metric(slapb::METRIC_RESOLUTION);
  m->set_clocks(6);
  m->set_open(6);
  row = report.add_rows();
  row->add_group_values("");
  row->set_tickets(1);
  m = row->add_metrics();
  m->set_metric(slapb::METRIC_FIRST_RESPONSE);
  m->set_clocks(1);
  m->set_breached(1);
  m->mutable_business_time()->set_count(1);
  m->mutable_business_time()->mutable_p50()->set_seconds(190);
  m->mutable_business_time()->mutable_p90()->set_seconds(190);
  m->mutable_business_time()->mutable_p99()->set_seconds(190);
  m->mutable_business_time()->mutable_max()->set_seconds(190);
  m->mutable_calendar_time()->set_count(1);
  m->mutable_calendar_time()->mutable_p50()->set_seconds(190);
  m->mutable_calendar_time()->mutable_p90()->set_seconds(190);
  m->mutable_calendar_time()->mutable_p99()->set_seconds(190);
  m->mutable_calendar_time()->mutable_max()->set_seconds(190);
  return report;
}

TEST_F(CliTest, SlaReportTable) {
  EXPECT_CALL(*sla_stub_, GetSlaReport(_, _, _))
      .WillOnce([](grpc::ClientContext*, const slapb::GetSlaReportRequest& r,
                   slapb::SlaReport* out) {
        EXPECT_THAT(r.group_by(), ElementsAre(slapb::REPORT_DIMENSION_TEAM));
        EXPECT_EQ(r.start_time().seconds(),
                  absl::ToUnixSeconds(absl::FromCivil(
                      absl::CivilDay(2026, 11, 1), absl::UTCTimeZone())));
        EXPECT_EQ(r.end_time().seconds(),
                  absl::ToUnixSeconds(absl::FromCivil(
                      absl::CivilDay(2026, 11, 8), absl::UTCTimeZone())));
        *out = FixedReport();
        return grpc::Status::OK;
      });
  ASSERT_EQ(Run({"sla", "report", "--since", "2026-11-01", "--until",
                 "2026-11-08", "--group-by", "team"}),
            kExitOk)
      << err();
  EXPECT_EQ(out(),
            "SLA report 2026-11-01 00:00 .. 2026-11-08 00:00: 13 clocks\n"
            "TEAM     METRIC          TICKETS  CLOCKS  MET  BREACHED  OPEN  "
            "COMPLIANCE  BIZ P50  BIZ P90  BIZ P99  BIZ MAX  CAL P50  CAL P90  "
            "CAL P99  CAL MAX  CSAT\n"
            "billing  first_response  6        6       4    1         1     "
            "80.0%       5m       1h 05m   1h 06m   1h 06m   42s      2h       "
            "25h      25h      4.33\n"
            "billing  resolution      6        6       0    0         6     "
            "-           -        -        -        -        -        -        "
            "-        -        4.33\n"
            "(none)   first_response  1        1       0    1         0     "
            "0.0%        3m 10s   3m 10s   3m 10s   3m 10s   3m 10s   3m 10s   "
            "3m 10s   3m 10s   -\n");
}

TEST_F(CliTest, SlaReportCsv) {
  EXPECT_CALL(*sla_stub_, GetSlaReport(_, _, _))
      .WillOnce(
          DoAll(SetArgPointee<2>(FixedReport()), Return(grpc::Status::OK)));
  ASSERT_EQ(Run({"sla", "report", "--since", "2026-11-01", "--until",
                 "2026-11-08", "--group-by", "team", "--format", "csv"}),
            kExitOk)
      << err();
  EXPECT_EQ(out(),
            "team,metric,tickets,clocks,met,breached,open,compliance_percent,"
            "business_p50_seconds,business_p90_seconds,business_p99_seconds,"
            "business_max_seconds,calendar_p50_seconds,calendar_p90_seconds,"
            "calendar_p99_seconds,calendar_max_seconds,average_csat\n"
            "billing,first_response,6,6,4,1,1,80.0,300,3900,4000,4000,42,7200,"
            "90000,90000,4.33\n"
            "billing,resolution,6,6,0,0,6,,,,,,,,,,4.33\n"
            ",first_response,1,1,0,1,0,0.0,190,190,190,190,190,190,190,190,\n");
}

TEST_F(CliTest, SlaReportUsageErrorsNameTheFlag) {
  EXPECT_CALL(*sla_stub_, GetSlaReport(_, _, _)).Times(0);
  EXPECT_EQ(Run({"sla", "report", "--until", "2026-11-08"}), kExitUsage);
  EXPECT_THAT(err(),
              StartsWith("cxdesk sla report: missing required flag --from"));
  EXPECT_EQ(Run({"sla", "report", "--from", "2026-11-01", "--to", "2026-11-08",
                 "--by", "team,region"}),
            kExitUsage);
  EXPECT_THAT(err(), StartsWith("cxdesk sla report: --by: 'region' is "
                                "not one of team, agent, priority, kind, "
                                "cx_level, policy, channel\n"));
  EXPECT_EQ(Run({"sla", "report", "--from", "last week", "--to", "2026-11-08"}),
            kExitUsage);
  EXPECT_THAT(err(), HasSubstr("--from: 'last week' is not a date"));
  EXPECT_EQ(Run({"sla", "report", "--from", "2026-11-01", "--to", "2026-11-08",
                 "--csv", "--format", "table"}),
            kExitUsage);
  EXPECT_THAT(err(), HasSubstr("--csv and --format table contradict"));
  EXPECT_EQ(Run({"sla", "report", "--from", "2026-11-01", "--to", "2026-11-08",
                 "--csv", "--html", "r.html"}),
            kExitUsage);
  EXPECT_THAT(err(), HasSubstr("--html writes a page; it goes with neither"));
  EXPECT_EQ(Run({"sla", "report", "--since", "2026-11-01", "--until",
                 "2026-11-08", "--format", "xml"}),
            kExitUsage);
  EXPECT_THAT(err(), HasSubstr("--format: 'xml' is not one of table, csv"));
  EXPECT_EQ(Run({"sla", "events", "--kind", "late"}), kExitUsage);
  EXPECT_THAT(err(), HasSubstr("--kind: 'late' is not one of started"));
  EXPECT_EQ(Run({"sla", "breaches", "--limit", "0"}), kExitUsage);
  EXPECT_THAT(err(), HasSubstr("--limit: '0' is not a whole number"));
}

TEST_F(CliTest, SlaSimulateSendsTheDraftAndPrintsAReport) {
  WriteFile(cwd_.path() / "draft.txtpb", "policy_id: \"vip\"\nposition: 1\n");
  EXPECT_CALL(*sla_stub_, SimulatePolicy(_, _, _))
      .WillOnce([](grpc::ClientContext*, const slapb::SimulatePolicyRequest& r,
                   slapb::SlaReport* out) {
        EXPECT_EQ(r.policy().policy_id(), "vip");
        EXPECT_EQ(r.policy().position(), 1);
        EXPECT_THAT(r.group_by(), ElementsAre(slapb::REPORT_DIMENSION_CX_LEVEL,
                                              slapb::REPORT_DIMENSION_CHANNEL));
        EXPECT_TRUE(r.has_start_time());
        EXPECT_TRUE(r.has_end_time());
        *out = FixedReport();
        return grpc::Status::OK;
      });
  ASSERT_EQ(Run({"sla", "simulate", "--file", "draft.txtpb", "--since",
                 "2026-11-01", "--until", "2026-11-08", "--by", "cx-level",
                 "--group-by", "channel"}),
            kExitOk)
      << err();
  EXPECT_THAT(out(), StartsWith("SLA report 2026-11-01 00:00 .. "));
  EXPECT_EQ(Run({"sla", "simulate", "--since", "2026-11-01", "--until",
                 "2026-11-08"}),
            kExitUsage);
  EXPECT_THAT(err(), HasSubstr("missing required flag --policy"));
}

TEST_F(CliTest, SlaSimulateReadsJsonAndYamlDrafts) {
  WriteFile(cwd_.path() / "draft.json",
            R"({"policyId": "vip", "position": 2, "targets": [{"priority": )"
            R"("PRIORITY_HIGH", "metric": "METRIC_FIRST_RESPONSE", "target": )"
            R"("900s", "calendarId": "always"}]})");
  WriteFile(cwd_.path() / "draft.yaml",
            "policy_id: vip\nposition: 2\ntargets:\n"
            "  - priority: PRIORITY_HIGH\n    metric: METRIC_FIRST_RESPONSE\n"
            "    target: 900s\n    calendar_id: always\n");
  EXPECT_CALL(*sla_stub_, SimulatePolicy(_, _, _))
      .Times(2)
      .WillRepeatedly([](grpc::ClientContext*,
                         const slapb::SimulatePolicyRequest& r,
                         slapb::SlaReport* out) {
        EXPECT_EQ(r.policy().policy_id(), "vip");
        EXPECT_EQ(r.policy().position(), 2);
        EXPECT_EQ(r.policy().targets_size(), 1);
        EXPECT_EQ(r.policy().targets(0).target().seconds(), 900);
        EXPECT_EQ(r.policy().targets(0).metric(), slapb::METRIC_FIRST_RESPONSE);
        EXPECT_EQ(r.policy().targets(0).calendar_id(), "always");
        *out = FixedReport();
        return grpc::Status::OK;
      });
  for (const char* file : {"draft.json", "draft.yaml"}) {
    ASSERT_EQ(Run({"sla", "simulate", "--policy", file, "--from", "2026-11-01",
                   "--to", "2026-11-08", "--csv"}),
              kExitOk)
        << file << ": " << err();
    EXPECT_THAT(out(), StartsWith("team,metric,tickets,clocks,met,breached"));
  }
  WriteFile(cwd_.path() / "bad.yaml", "policy_id: vip\nposition: [1\n");
  EXPECT_EQ(Run({"sla", "simulate", "--policy", "bad.yaml", "--from",
                 "2026-11-01", "--to", "2026-11-08"}),
            kExitUsage);
  EXPECT_THAT(err(), HasSubstr("bad.yaml:"));
  EXPECT_THAT(err(), HasSubstr("not valid YAML"));
  WriteFile(cwd_.path() / "bad.json", R"({"policyId": "vip", "speed": 3})");
  EXPECT_EQ(Run({"sla", "simulate", "--policy", "bad.json", "--from",
                 "2026-11-01", "--to", "2026-11-08"}),
            kExitUsage);
  EXPECT_THAT(err(), HasSubstr("bad.json: not a cxdesk.sla.v1.Policy in JSON"));
  EXPECT_THAT(err(), HasSubstr("speed"));
  EXPECT_EQ(Run({"sla", "simulate", "--policy", "missing.json", "--from",
                 "2026-11-01", "--to", "2026-11-08"}),
            kExitUsage);
  EXPECT_THAT(err(), HasSubstr("--policy missing.json: cannot be read (no "
                               "such file)"));
}

TEST_F(CliTest, SlaWatchPrintsOneLinePerEventWithItsCursor) {
  auto* reader = new grpc::testing::MockClientReader<slapb::SlaEvent>();
  slapb::SlaEvent e1, e2;
  e1.set_cursor("5");
  e1.set_ticket_id(3);
  e1.set_kind(slapb::SLA_EVENT_KIND_STARTED);
  e1.set_metric(slapb::METRIC_FIRST_RESPONSE);
  e1.set_cycle(1);
  e1.mutable_target()->set_seconds(3600);
  e1.mutable_occur_time()->set_seconds(absl::ToUnixSeconds(kNow));
  e2.set_cursor("6");
  e2.set_ticket_id(3);
  e2.set_kind(slapb::SLA_EVENT_KIND_MET);
  e2.set_metric(slapb::METRIC_FIRST_RESPONSE);
  e2.set_cycle(1);
  e2.mutable_business_time()->set_seconds(42);
  e2.mutable_calendar_time()->set_seconds(42);
  e2.set_actor("bob");
  e2.mutable_occur_time()->set_seconds(absl::ToUnixSeconds(kNow) + 42);
  EXPECT_CALL(*reader, Read(_))
      .WillOnce(DoAll(SetArgPointee<0>(e1), Return(true)))
      .WillOnce(DoAll(SetArgPointee<0>(e2), Return(true)))
      .WillOnce(Return(false));
  EXPECT_CALL(*reader, Finish()).WillOnce(Return(grpc::Status::OK));
  EXPECT_CALL(*sla_stub_, WatchSlaEventsRaw(_, _))
      .WillOnce([reader](grpc::ClientContext*,
                         const slapb::WatchSlaEventsRequest& r) {
        EXPECT_EQ(r.after_cursor(), "4");
        return reader;
      });
  ASSERT_EQ(Run({"sla", "watch", "--after", "4"}), kExitOk) << err();
  std::vector<std::string> lines =
      absl::StrSplit(out(), '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 2u) << out();
  EXPECT_EQ(lines[0],
            "5  2026-11-22 15:00:00  #3      started     first_response#1   "
            "target 1h");
  EXPECT_EQ(lines[1],
            "6  2026-11-22 15:00:42  #3      met         first_response#1   "
            "after 42s (42s wall), on time, by bob");
}

}  // namespace
}  // namespace cxdesk::clients::cli
