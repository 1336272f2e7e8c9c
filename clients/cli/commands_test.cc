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
#include "cxdesk/ticket/v1/ticket_service_mock.grpc.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/token.h"

namespace cxdesk::clients::cli {
namespace {

namespace fs = std::filesystem;
namespace v1 = ::cxdesk::ticket::v1;
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
  std::shared_ptr<v1::MockTicketServiceStub> stub_ =
      std::make_shared<v1::MockTicketServiceStub>();
  absl::Status health_;
  std::istringstream in_;
  std::ostringstream out_, err_;
  CliEnvironment env_;
  std::string target_;
  CallCredentials credentials_;
  absl::Duration timeout_;
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
  health_ = absl::UnavailableError("connection refused");
  EXPECT_EQ(Run({"--target", "127.0.0.1:5", "health"}), kExitError);
  EXPECT_THAT(err(), StartsWith("error: cannot reach the ticket service at "
                                "127.0.0.1:5: is it running?"));
}

// --- ticket commands
// -------------------------------------------------------------

TEST_F(CliTest, CreatePrintsTicketAndAccessKey) {
  EXPECT_CALL(*stub_, CreateTicket(_, _, _))
      .WillOnce([](grpc::ClientContext*, const v1::CreateTicketRequest& r,
                   v1::CreateTicketResponse* out) {
        EXPECT_EQ(r.subject(), "Printer on fire");
        EXPECT_EQ(r.customer_email(), "jane@example.com");
        EXPECT_EQ(r.kind(), v1::KIND_COMPLAINT);
        EXPECT_EQ(r.cx_level(), v1::CX_LEVEL_PRODUCT);
        EXPECT_THAT(r.tags(), ElementsAre("a", "b"));
        out->mutable_ticket()->set_id(12);
        out->mutable_ticket()->set_subject(r.subject());
        out->mutable_ticket()->set_status(v1::STATUS_NEW);
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
      .WillOnce([](grpc::ClientContext*, const v1::ListTicketsRequest& r,
                   v1::ListTicketsResponse* out) {
        EXPECT_THAT(r.statuses(),
                    ElementsAre(v1::STATUS_OPEN, v1::STATUS_PENDING));
        EXPECT_TRUE(r.unassigned());
        v1::Ticket* t = out->add_tickets();
        t->set_id(1);
        t->set_subject("one");
        t->set_status(v1::STATUS_OPEN);
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
      .WillOnce([](grpc::ClientContext*, const v1::ListTicketsRequest& r,
                   v1::ListTicketsResponse* out) {
        EXPECT_EQ(r.page_token(), "");
        out->add_tickets()->set_id(1);
        out->set_next_page_token("P2");
        return grpc::Status::OK;
      })
      .WillOnce([](grpc::ClientContext*, const v1::ListTicketsRequest& r,
                   v1::ListTicketsResponse* out) {
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
  v1::Ticket ticket;
  ticket.set_id(5);
  ticket.set_subject("Hello");
  v1::ListCommentsResponse comments;
  v1::Comment* c = comments.add_comments();
  c->set_id(1);
  c->set_body("visible");
  c->set_visibility(v1::VISIBILITY_PUBLIC);
  c = comments.add_comments();
  c->set_id(2);
  c->set_body("hidden");
  c->set_visibility(v1::VISIBILITY_INTERNAL);
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
      .WillOnce([](grpc::ClientContext*, const v1::AddCommentRequest& r,
                   v1::Comment* out) {
        EXPECT_EQ(r.ticket_id(), 8);
        EXPECT_EQ(r.visibility(), v1::VISIBILITY_PUBLIC);
        EXPECT_EQ(r.body(), "thanks");
        out->set_id(30);
        out->set_visibility(r.visibility());
        return grpc::Status::OK;
      })
      .WillOnce([](grpc::ClientContext*, const v1::AddCommentRequest& r,
                   v1::Comment* out) {
        EXPECT_EQ(r.visibility(), v1::VISIBILITY_INTERNAL);
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
      .WillOnce([](grpc::ClientContext*, const v1::UpdateTicketRequest& r,
                   v1::Ticket* out) {
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
      .WillOnce([](grpc::ClientContext*, const v1::AssignTicketRequest& r,
                   v1::Ticket* out) {
        EXPECT_EQ(r.assignee(), "alice");
        out->set_id(r.ticket_id());
        out->set_assignee(r.assignee());
        out->set_status(v1::STATUS_OPEN);
        return grpc::Status::OK;
      });
  EXPECT_CALL(*stub_, ChangeTicketStatus(_, _, _))
      .WillOnce([](grpc::ClientContext*, const v1::ChangeTicketStatusRequest& r,
                   v1::Ticket* out) {
        EXPECT_EQ(r.status(), v1::STATUS_ON_HOLD);
        EXPECT_EQ(r.reason(), "vendor");
        out->set_id(r.ticket_id());
        out->set_status(r.status());
        return grpc::Status::OK;
      });
  EXPECT_CALL(*stub_, RateTicket(_, _, _))
      .WillOnce([](grpc::ClientContext*, const v1::RateTicketRequest& r,
                   v1::Ticket* out) {
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
  v1::ListTicketEventsResponse page;
  v1::TicketEvent* e = page.add_events();
  e->set_type(v1::EVENT_TYPE_STATUS_CHANGED);
  e->set_ticket_version(3);
  e->set_actor("bob");
  e->set_actor_role(v1::ROLE_AGENT);
  e->mutable_before()->set_status(v1::STATUS_OPEN);
  e->mutable_after()->set_status(v1::STATUS_PENDING);
  EXPECT_CALL(*stub_, ListTicketEvents(_, _, _))
      .WillOnce(DoAll(SetArgPointee<2>(page), Return(grpc::Status::OK)));
  ASSERT_EQ(Run({"ticket", "events", "4"}), kExitOk) << err();
  EXPECT_THAT(out(), HasSubstr("v3    status    bob (agent)"));
  EXPECT_THAT(out(), HasSubstr("status: open -> pending\n"));
}

TEST_F(CliTest, WatchStopsAfterCount) {
  auto* reader = new grpc::testing::MockClientReader<v1::TicketEvent>();
  v1::TicketEvent e1, e2;
  e1.set_cursor("1-1");
  e1.set_type(v1::EVENT_TYPE_CREATED);
  e2.set_cursor("1-2");
  e2.set_type(v1::EVENT_TYPE_RATED);
  EXPECT_CALL(*reader, Read(_))
      .WillOnce(DoAll(SetArgPointee<0>(e1), Return(true)))
      .WillOnce(DoAll(SetArgPointee<0>(e2), Return(true)))
      .WillOnce(Return(false));
  EXPECT_CALL(*reader, Finish())
      .WillOnce(Return(grpc::Status(grpc::StatusCode::CANCELLED, "")));
  EXPECT_CALL(*stub_, WatchTicketEventsRaw(_, _))
      .WillOnce([reader](grpc::ClientContext*,
                         const v1::WatchTicketEventsRequest& r) {
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

}  // namespace
}  // namespace cxdesk::clients::cli
