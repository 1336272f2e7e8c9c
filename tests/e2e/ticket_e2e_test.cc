// End-to-end tests: the real cxdesk-ticketd binary on loopback, against the
// real PostgreSQL started by tests/run.sh, driven through the client
// library.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <set>
#include <thread>

#include "absl/strings/match.h"
#include "absl/synchronization/mutex.h"
#include "clients/lib/ticket_client.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "services/common/testing/test_database.h"
#include "services/common/token.h"
#include "tests/support/service_process.h"

namespace cxdesk {
namespace {

namespace ticketpb = ::cxdesk::ticket::v1;
using absl::StatusCode;
using clients::CallCredentials;
using clients::TicketClient;

class TicketE2eTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<std::string> url = common::CreateTestDatabase("ticket_e2e");
    ASSERT_TRUE(url.ok()) << url.status();
    url_ = new std::string(*url);
    secret_ = new testing::TestSecret(testing::MakeTestSecret());
    auto server = testing::ServiceProcess::Start(
        CXDESK_TICKETD,
        {"--database-url=" + *url_, "--token-secret-file=" + secret_->path});
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = server->release();
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }

  void SetUp() override {
    ASSERT_NE(server_, nullptr) << "the service did not start";
    ASSERT_TRUE(common::TruncateSchema(*url_, "ticket").ok());
  }

  static std::string Token(common::StaffRole role, const std::string& who) {
    return *common::SignToken({who, role, absl::Now() + absl::Hours(1)},
                              secret_->value);
  }
  static std::unique_ptr<TicketClient> Client(CallCredentials creds = {}) {
    return TicketClient::Connect(server_->address(), std::move(creds));
  }
  static std::unique_ptr<TicketClient> Agent(const std::string& who = "alice") {
    return Client({Token(common::StaffRole::kAgent, who), ""});
  }
  static std::unique_ptr<TicketClient> Manager() {
    return Client({Token(common::StaffRole::kManager, "maria"), ""});
  }

  static ticketpb::CreateTicketRequest NewTicket(
      const std::string& email = "ana@example.com") {
    ticketpb::CreateTicketRequest r;
    r.set_subject("My refund has not arrived");
    r.set_description("I returned the jacket two weeks ago, order 1234.");
    r.set_kind(ticketpb::KIND_COMPLAINT);
    r.set_cx_level(ticketpb::CX_LEVEL_SERVICE);
    r.set_priority(ticketpb::PRIORITY_HIGH);
    r.set_channel(ticketpb::CHANNEL_EMAIL);
    r.set_customer_email(email);
    r.set_customer_name("Ana Lima");
    r.add_tags("refund");
    return r;
  }

  // Creates a ticket as an anonymous customer.
  static ticketpb::CreateTicketResponse Open(
      const std::string& email = "ana@example.com") {
    auto created = Client()->CreateTicket(NewTicket(email));
    EXPECT_TRUE(created.ok()) << created.status();
    return created.ok() ? *created : ticketpb::CreateTicketResponse();
  }

  static ticketpb::Ticket SetStatus(int64_t id, ticketpb::Status status) {
    ticketpb::ChangeTicketStatusRequest r;
    r.set_ticket_id(id);
    r.set_status(status);
    auto t = Agent()->ChangeTicketStatus(r);
    EXPECT_TRUE(t.ok()) << t.status();
    return t.ok() ? *t : ticketpb::Ticket();
  }

  static int64_t TicketCount() {
    ticketpb::ListTicketsRequest r;
    r.set_page_size(500);
    auto list = Manager()->ListTickets(r);
    EXPECT_TRUE(list.ok()) << list.status();
    return list.ok() ? list->tickets_size() : -1;
  }

  static std::vector<ticketpb::TicketEvent> History(int64_t id) {
    ticketpb::ListTicketEventsRequest r;
    r.set_ticket_id(id);
    auto events = Agent()->ListTicketEvents(r);
    EXPECT_TRUE(events.ok()) << events.status();
    if (!events.ok()) return {};
    return {events->events().begin(), events->events().end()};
  }

  static std::string* url_;
  static testing::TestSecret* secret_;
  static testing::ServiceProcess* server_;
};
std::string* TicketE2eTest::url_ = nullptr;
testing::TestSecret* TicketE2eTest::secret_ = nullptr;
testing::ServiceProcess* TicketE2eTest::server_ = nullptr;

TEST_F(TicketE2eTest, FullLifeOfATicket) {
  // A customer opens a ticket and keeps the key.
  ticketpb::CreateTicketResponse created = Open();
  const int64_t id = created.ticket().id();
  ASSERT_GT(id, 0);
  EXPECT_EQ(created.ticket().status(), ticketpb::STATUS_NEW);
  EXPECT_EQ(created.ticket().customer().email(), "ana@example.com");
  ASSERT_FALSE(created.access_key().empty());
  auto customer = Client({"", created.access_key()});

  // An agent takes it, notes something internal and replies.
  ticketpb::AssignTicketRequest assign;
  assign.set_ticket_id(id);
  assign.set_assignee("alice");
  assign.set_team("care");
  auto assigned = Agent()->AssignTicket(assign);
  ASSERT_TRUE(assigned.ok()) << assigned.status();
  EXPECT_EQ(assigned->status(), ticketpb::STATUS_OPEN);
  ticketpb::AddCommentRequest note;
  note.set_ticket_id(id);
  note.set_visibility(ticketpb::VISIBILITY_INTERNAL);
  note.set_body("Warehouse confirms the return arrived.");
  ASSERT_TRUE(Agent()->AddComment(note).ok());
  ticketpb::AddCommentRequest reply;
  reply.set_ticket_id(id);
  reply.set_visibility(ticketpb::VISIBILITY_PUBLIC);
  reply.set_body("Sorry for the wait! Could you confirm your IBAN?");
  auto replied = Agent()->AddComment(reply);
  ASSERT_TRUE(replied.ok()) << replied.status();
  EXPECT_EQ(replied->author(), "alice");
  EXPECT_EQ(replied->author_role(), ticketpb::ROLE_AGENT);
  SetStatus(id, ticketpb::STATUS_PENDING);

  // The customer answers: the ticket is open again.
  ticketpb::AddCommentRequest answer;
  answer.set_ticket_id(id);
  answer.set_body("Yes, it is the one on the order.");
  auto answered = customer->AddComment(answer);
  ASSERT_TRUE(answered.ok()) << answered.status();
  EXPECT_EQ(answered->author_role(), ticketpb::ROLE_CUSTOMER);
  ticketpb::GetTicketRequest get;
  get.set_ticket_id(id);
  EXPECT_EQ(Agent()->GetTicket(get)->status(), ticketpb::STATUS_OPEN);

  // Solved, then rated once.
  ticketpb::Ticket solved = SetStatus(id, ticketpb::STATUS_SOLVED);
  EXPECT_TRUE(solved.has_solve_time());
  ticketpb::RateTicketRequest rate;
  rate.set_ticket_id(id);
  rate.set_score(5);
  rate.set_comment("Quick and kind.");
  auto rated = customer->RateTicket(rate);
  ASSERT_TRUE(rated.ok()) << rated.status();
  EXPECT_EQ(rated->rating().score(), 5);
  EXPECT_EQ(customer->RateTicket(rate).status().code(),
            StatusCode::kFailedPrecondition);

  // The customer's view: public conversation only, with the rating.
  ticketpb::GetTicketStatusRequest view_req;
  view_req.set_ticket_id(id);
  auto view = customer->GetTicketStatus(view_req);
  ASSERT_TRUE(view.ok()) << view.status();
  EXPECT_EQ(view->status(), ticketpb::STATUS_SOLVED);
  ASSERT_EQ(view->conversation_size(), 3);
  EXPECT_EQ(view->conversation(0).body(),
            "I returned the jacket two weeks ago, order 1234.");
  EXPECT_EQ(view->conversation(1).body(),
            "Sorry for the wait! Could you confirm your IBAN?");
  EXPECT_EQ(view->conversation(2).body(), "Yes, it is the one on the order.");
  EXPECT_EQ(view->rating().comment(), "Quick and kind.");

  // Staff see both comments; the history tells who did what.
  ticketpb::ListCommentsRequest comments;
  comments.set_ticket_id(id);
  EXPECT_EQ(Agent()->ListComments(comments)->comments_size(), 3);
  SetStatus(id, ticketpb::STATUS_CLOSED);
  std::vector<ticketpb::TicketEvent> history = History(id);
  std::vector<ticketpb::EventType> types;
  for (const auto& e : history) types.push_back(e.type());
  EXPECT_EQ(types,
            (std::vector<ticketpb::EventType>{
                ticketpb::EVENT_TYPE_CREATED, ticketpb::EVENT_TYPE_ASSIGNED,
                ticketpb::EVENT_TYPE_COMMENT_ADDED,
                ticketpb::EVENT_TYPE_COMMENT_ADDED,
                ticketpb::EVENT_TYPE_STATUS_CHANGED,
                ticketpb::EVENT_TYPE_COMMENT_ADDED,
                ticketpb::EVENT_TYPE_STATUS_CHANGED, ticketpb::EVENT_TYPE_RATED,
                ticketpb::EVENT_TYPE_STATUS_CHANGED}));
  for (size_t i = 0; i < history.size(); ++i) {
    EXPECT_EQ(history[i].ticket_version(), static_cast<int64_t>(i + 1));
  }
  EXPECT_EQ(history[5].before().status(), ticketpb::STATUS_PENDING);
  EXPECT_EQ(history[5].after().status(), ticketpb::STATUS_OPEN);
  EXPECT_EQ(history[5].actor(), "ana@example.com");
  EXPECT_EQ(history.back().after().status(), ticketpb::STATUS_CLOSED);
  // Closed is final.
  EXPECT_EQ(customer->AddComment(answer).status().code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(Agent()
                ->ChangeTicketStatus([&] {
                  ticketpb::ChangeTicketStatusRequest r;
                  r.set_ticket_id(id);
                  r.set_status(ticketpb::STATUS_OPEN);
                  return r;
                }())
                .status()
                .code(),
            StatusCode::kFailedPrecondition);
}

TEST_F(TicketE2eTest, RetriedCreateReturnsTheFirstTicketAndKey) {
  ticketpb::CreateTicketRequest r = NewTicket();
  r.set_request_id("form-submit-7f3a");
  auto first = Client()->CreateTicket(r);
  auto second = Client()->CreateTicket(r);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(second->ticket().id(), first->ticket().id());
  EXPECT_EQ(second->access_key(), first->access_key());
  EXPECT_EQ(TicketCount(), 1);
  EXPECT_EQ(History(first->ticket().id()).size(), 1u);
  // Someone else reusing the id does not get the ticket.
  ticketpb::CreateTicketRequest other = NewTicket("eve@example.com");
  other.set_request_id("form-submit-7f3a");
  EXPECT_EQ(Client()->CreateTicket(other).status().code(),
            StatusCode::kAlreadyExists);
}

TEST_F(TicketE2eTest, StaleEtagIsAbortedAndChangesNothing) {
  ticketpb::Ticket t = Open().ticket();
  ticketpb::UpdateTicketRequest r;
  r.mutable_ticket()->set_id(t.id());
  r.mutable_ticket()->set_priority(ticketpb::PRIORITY_URGENT);
  r.mutable_update_mask()->add_paths("priority");
  r.set_etag(t.etag());
  auto first = Agent()->UpdateTicket(r);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->priority(), ticketpb::PRIORITY_URGENT);
  EXPECT_NE(first->etag(), t.etag());
  // A second agent still holding the old etag.
  r.mutable_ticket()->set_priority(ticketpb::PRIORITY_LOW);
  auto stale = Agent("bob")->UpdateTicket(r);
  EXPECT_EQ(stale.status().code(), StatusCode::kAborted);
  ticketpb::GetTicketRequest get;
  get.set_ticket_id(t.id());
  EXPECT_EQ(Agent()->GetTicket(get)->priority(), ticketpb::PRIORITY_URGENT);
  r.set_etag(first->etag());
  EXPECT_TRUE(Agent("bob")->UpdateTicket(r).ok());
}

// Every RPC under every kind of caller answers with the expected code.
TEST_F(TicketE2eTest, RoleMatrix) {
  enum Who { kNone, kCustomer, kOtherCustomer, kAgent, kManager, kService };
  const char* who_names[] = {"none",  "customer", "other-customer",
                             "agent", "manager",  "service"};
  using Call = std::function<absl::Status(TicketClient&, int64_t)>;
  const StatusCode OK = StatusCode::kOk, UA = StatusCode::kUnauthenticated,
                   PD = StatusCode::kPermissionDenied,
                   NF = StatusCode::kNotFound;
  struct Row {
    const char* rpc;
    Call call;
    std::vector<StatusCode> expected;  // Indexed by Who.
  };
  const std::vector<Row> rows = {
      {"CreateTicket",
       [](TicketClient& c, int64_t) {
         return c.CreateTicket(NewTicket("new@example.com")).status();
       },
       {OK, OK, OK, OK, OK, OK}},
      {"GetTicket",
       [](TicketClient& c, int64_t id) {
         ticketpb::GetTicketRequest r;
         r.set_ticket_id(id);
         return c.GetTicket(r).status();
       },
       {UA, PD, PD, OK, OK, OK}},
      {"ListTickets",
       [](TicketClient& c, int64_t) {
         return c.ListTickets(ticketpb::ListTicketsRequest()).status();
       },
       {UA, PD, PD, OK, OK, OK}},
      {"UpdateTicket",
       [](TicketClient& c, int64_t id) {
         ticketpb::UpdateTicketRequest r;
         r.mutable_ticket()->set_id(id);
         r.mutable_ticket()->set_subject("Changed subject");
         r.mutable_update_mask()->add_paths("subject");
         return c.UpdateTicket(r).status();
       },
       {UA, PD, PD, OK, OK, OK}},
      {"AddComment",
       [](TicketClient& c, int64_t id) {
         ticketpb::AddCommentRequest r;
         r.set_ticket_id(id);
         r.set_visibility(ticketpb::VISIBILITY_PUBLIC);
         r.set_body("Hello");
         return c.AddComment(r).status();
       },
       {UA, OK, NF, OK, OK, OK}},
      {"ListComments",
       [](TicketClient& c, int64_t id) {
         ticketpb::ListCommentsRequest r;
         r.set_ticket_id(id);
         return c.ListComments(r).status();
       },
       {UA, PD, PD, OK, OK, OK}},
      {"AssignTicket",
       [](TicketClient& c, int64_t id) {
         ticketpb::AssignTicketRequest r;
         r.set_ticket_id(id);
         r.set_assignee("bob");
         return c.AssignTicket(r).status();
       },
       {UA, PD, PD, OK, OK, OK}},
      {"ChangeTicketStatus",
       [](TicketClient& c, int64_t id) {
         ticketpb::ChangeTicketStatusRequest r;
         r.set_ticket_id(id);
         r.set_status(ticketpb::STATUS_OPEN);
         return c.ChangeTicketStatus(r).status();
       },
       {UA, PD, PD, OK, OK, OK}},
      {"RateTicket",
       [](TicketClient& c, int64_t id) {
         ticketpb::RateTicketRequest r;
         r.set_ticket_id(id);
         r.set_score(4);
         return c.RateTicket(r).status();
       },
       {UA, OK, NF, PD, PD, PD}},
      {"GetTicketStatus",
       [](TicketClient& c, int64_t id) {
         ticketpb::GetTicketStatusRequest r;
         r.set_ticket_id(id);
         return c.GetTicketStatus(r).status();
       },
       {UA, OK, NF, OK, OK, OK}},
      {"ListTicketEvents",
       [](TicketClient& c, int64_t id) {
         ticketpb::ListTicketEventsRequest r;
         r.set_ticket_id(id);
         return c.ListTicketEvents(r).status();
       },
       {UA, PD, PD, OK, OK, OK}},
      {"WatchTicketEvents",
       [](TicketClient& c, int64_t) {
         return c.WatchTicketEvents(
             ticketpb::WatchTicketEventsRequest(),
             [](const ticketpb::TicketEvent&) { return false; });
       },
       {UA, PD, PD, OK, OK, OK}},
  };
  for (const Row& row : rows) {
    for (int who = kNone; who <= kService; ++who) {
      // A fresh solved ticket per cell, so that rating can succeed once.
      ticketpb::CreateTicketResponse mine = Open();
      ticketpb::CreateTicketResponse theirs = Open("other@example.com");
      SetStatus(mine.ticket().id(), ticketpb::STATUS_SOLVED);
      CallCredentials creds;
      switch (who) {
        case kNone:
          break;
        case kCustomer:
          creds.access_key = mine.access_key();
          break;
        case kOtherCustomer:
          creds.access_key = theirs.access_key();
          break;
        case kAgent:
          creds.bearer_token = Token(common::StaffRole::kAgent, "alice");
          break;
        case kManager:
          creds.bearer_token = Token(common::StaffRole::kManager, "maria");
          break;
        case kService:
          creds.bearer_token = Token(common::StaffRole::kService, "slad");
          break;
      }
      absl::Status status = row.call(*Client(creds), mine.ticket().id());
      EXPECT_EQ(status.code(), row.expected[who])
          << row.rpc << " as " << who_names[who] << ": " << status;
    }
  }
  // A token signed with another secret, and a malformed one.
  auto forged =
      Client({*common::SignToken({"mallory", common::StaffRole::kManager,
                                  absl::Now() + absl::Hours(1)},
                                 "some-other-secret-0123456789"),
              ""});
  EXPECT_EQ(forged->ListTickets({}).status().code(),
            StatusCode::kUnauthenticated);
  EXPECT_EQ(Client({"not-a-token", ""})->ListTickets({}).status().code(),
            StatusCode::kUnauthenticated);
}

// A watcher gets every event exactly once, and each ticket's events in the
// order they were applied, while many writers change shared and separate
// tickets at once.
TEST_F(TicketE2eTest, WatcherSeesEveryEventOnceInPerTicketOrder) {
  constexpr int kShared = 3, kWriters = 8, kChangesEach = 25;
  std::vector<int64_t> shared;
  for (int i = 0; i < kShared; ++i) {
    shared.push_back(
        Open("shared" + std::to_string(i) + "@example.com").ticket().id());
  }
  absl::Mutex mu;
  std::vector<ticketpb::TicketEvent> seen;
  std::atomic<bool> done{false};
  const int expected_total =
      kShared + kWriters * (1 + kChangesEach);  // Each writer opens one too.
  std::thread watcher([&] {
    absl::Status status = Agent("watcher")->WatchTicketEvents(
        ticketpb::WatchTicketEventsRequest(),
        [&](const ticketpb::TicketEvent& e) {
          absl::MutexLock lock(&mu);
          seen.push_back(e);
          return static_cast<int>(seen.size()) < expected_total;
        });
    EXPECT_TRUE(status.ok()) << status;
    done = true;
  });
  std::vector<std::thread> writers;
  std::atomic<int> failures{0};
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      auto agent = Agent("writer" + std::to_string(w));
      const int64_t own =
          Open("own" + std::to_string(w) + "@example.com").ticket().id();
      for (int i = 0; i < kChangesEach; ++i) {
        ticketpb::AddCommentRequest r;
        r.set_ticket_id(i % 2 ? own : shared[(w + i) % kShared]);
        r.set_visibility(ticketpb::VISIBILITY_INTERNAL);
        r.set_body("note " + std::to_string(i));
        if (!agent->AddComment(r).ok()) ++failures;
      }
    });
  }
  for (auto& t : writers) t.join();
  EXPECT_EQ(failures.load(), 0);
  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  while (!done && absl::Now() < deadline)
    absl::SleepFor(absl::Milliseconds(20));
  if (!done) {
    // Ends the stream so the watcher thread returns; the test then fails.
    ADD_FAILURE() << "the watcher did not receive every event in 30 s";
    server_->Stop().IgnoreError();
  }
  watcher.join();
  absl::MutexLock lock(&mu);
  ASSERT_EQ(static_cast<int>(seen.size()), expected_total);
  std::set<int64_t> ids;
  std::map<int64_t, int64_t> last_version;
  for (const ticketpb::TicketEvent& e : seen) {
    EXPECT_TRUE(ids.insert(e.id()).second) << "event " << e.id() << " twice";
    EXPECT_EQ(e.ticket_version(), last_version[e.ticket_id()] + 1)
        << "ticket " << e.ticket_id() << " out of order";
    last_version[e.ticket_id()] = e.ticket_version();
  }
  // Resuming from any cursor yields exactly the rest.
  const int half = expected_total / 2;
  ticketpb::WatchTicketEventsRequest resume;
  resume.set_after_cursor(seen[half - 1].cursor());
  std::vector<int64_t> rest;
  ASSERT_TRUE(Agent()
                  ->WatchTicketEvents(resume,
                                      [&](const ticketpb::TicketEvent& e) {
                                        rest.push_back(e.id());
                                        return static_cast<int>(rest.size()) <
                                               expected_total - half;
                                      })
                  .ok());
  ASSERT_EQ(static_cast<int>(rest.size()), expected_total - half);
  for (int i = 0; i < expected_total - half; ++i) {
    EXPECT_EQ(rest[i], seen[half + i].id());
  }
}

// Bad input of every kind is INVALID_ARGUMENT naming the field, and writes
// nothing.
TEST_F(TicketE2eTest, BadInputIsRejectedAndWritesNothing) {
  auto expect_invalid = [](absl::Status status, absl::string_view field) {
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << status;
    EXPECT_TRUE(absl::StartsWith(status.message(), field))
        << "message '" << status.message() << "' should name " << field;
  };
  auto create =
      [](const std::function<void(ticketpb::CreateTicketRequest&)>& edit) {
        ticketpb::CreateTicketRequest r = NewTicket();
        edit(r);
        return Client()->CreateTicket(r).status();
      };
  expect_invalid(create([](auto& r) { r.set_subject(""); }), "subject");
  expect_invalid(create([](auto& r) { r.set_subject(std::string(201, 's')); }),
                 "subject");
  expect_invalid(create([](auto& r) { r.set_subject("a\nb"); }), "subject");
  expect_invalid(create([](auto& r) { r.set_description(""); }), "description");
  expect_invalid(
      create([](auto& r) { r.set_description(std::string(65537, 'd')); }),
      "description");
  expect_invalid(create([](auto& r) { r.set_customer_email("ana"); }),
                 "customer_email");
  expect_invalid(create([](auto& r) { r.set_customer_email(""); }),
                 "customer_email");
  expect_invalid(
      create([](auto& r) { r.set_kind(static_cast<ticketpb::Kind>(42)); }),
      "kind");
  expect_invalid(create([](auto& r) {
                   r.set_priority(static_cast<ticketpb::Priority>(9));
                 }),
                 "priority");
  expect_invalid(create([](auto& r) {
                   r.set_channel(static_cast<ticketpb::Channel>(-1));
                 }),
                 "channel");
  expect_invalid(
      create([](auto& r) { r.set_cx_level(ticketpb::CX_LEVEL_UNSPECIFIED); }),
      "cx_level");
  expect_invalid(create([](auto& r) { r.add_tags("no spaces allowed"); }),
                 "tags");
  expect_invalid(
      create([](auto& r) { r.set_customer_name(std::string(201, 'n')); }),
      "customer_name");
  expect_invalid(
      create([](auto& r) { r.set_request_id(std::string(101, 'r')); }),
      "request_id");
  EXPECT_EQ(TicketCount(), 0);

  const ticketpb::CreateTicketResponse opened = Open();
  const int64_t id = opened.ticket().id();
  auto agent = Agent();
  ticketpb::AddCommentRequest empty_body;
  empty_body.set_ticket_id(id);
  empty_body.set_visibility(ticketpb::VISIBILITY_PUBLIC);
  expect_invalid(agent->AddComment(empty_body).status(), "body");
  ticketpb::AddCommentRequest no_visibility;
  no_visibility.set_ticket_id(id);
  no_visibility.set_body("x");
  expect_invalid(agent->AddComment(no_visibility).status(), "visibility");
  ticketpb::ListTicketsRequest big_page;
  big_page.set_page_size(501);
  expect_invalid(agent->ListTickets(big_page).status(), "page_size");
  ticketpb::ListTicketsRequest bad_token;
  bad_token.set_page_token("garbage!");
  expect_invalid(agent->ListTickets(bad_token).status(), "page_token");
  ticketpb::ListTicketsRequest bad_order;
  bad_order.set_order_by("subject; DROP TABLE ticket.tickets");
  expect_invalid(agent->ListTickets(bad_order).status(), "order_by");
  ticketpb::UpdateTicketRequest no_mask;
  no_mask.mutable_ticket()->set_id(id);
  expect_invalid(agent->UpdateTicket(no_mask).status(), "update_mask");
  ticketpb::UpdateTicketRequest status_by_update;
  status_by_update.mutable_ticket()->set_id(id);
  status_by_update.mutable_update_mask()->add_paths("status");
  expect_invalid(agent->UpdateTicket(status_by_update).status(), "update_mask");
  ticketpb::ChangeTicketStatusRequest bad_status;
  bad_status.set_ticket_id(id);
  bad_status.set_status(static_cast<ticketpb::Status>(77));
  expect_invalid(agent->ChangeTicketStatus(bad_status).status(), "status");
  ticketpb::AssignTicketRequest bad_agent;
  bad_agent.set_ticket_id(id);
  bad_agent.set_assignee("no spaces");
  expect_invalid(agent->AssignTicket(bad_agent).status(), "assignee");
  ticketpb::GetTicketRequest zero;
  expect_invalid(agent->GetTicket(zero).status(), "ticket_id");
  ticketpb::WatchTicketEventsRequest bad_cursor;
  bad_cursor.set_after_cursor("yesterday");
  expect_invalid(
      agent->WatchTicketEvents(
          bad_cursor, [](const ticketpb::TicketEvent&) { return true; }),
      "after_cursor");
  SetStatus(id, ticketpb::STATUS_SOLVED);
  ticketpb::RateTicketRequest bad_score;
  bad_score.set_ticket_id(id);
  bad_score.set_score(6);
  expect_invalid(
      Client({"", opened.access_key()})->RateTicket(bad_score).status(),
      "score");
  // Nothing above changed the ticket: its only events are create and solve.
  EXPECT_EQ(History(id).size(), 2u);
}

// Programs get the offending field without parsing the message: a
// google.rpc.BadRequest in the status details.
TEST_F(TicketE2eTest, InvalidArgumentCarriesTheFieldAsADetail) {
  auto stub = ticketpb::TicketService::NewStub(grpc::CreateChannel(
      server_->address(), grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
  ticketpb::CreateTicketRequest request = NewTicket();
  request.set_customer_email("not-an-address");
  ticketpb::CreateTicketResponse response;
  grpc::Status status = stub->CreateTicket(&context, request, &response);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(status.error_details()));
  google::rpc::BadRequest bad_request;
  ASSERT_EQ(details.details_size(), 1);
  ASSERT_TRUE(details.details(0).UnpackTo(&bad_request));
  ASSERT_EQ(bad_request.field_violations_size(), 1);
  EXPECT_EQ(bad_request.field_violations(0).field(), "customer_email");
  EXPECT_EQ(bad_request.field_violations(0).description(),
            "\"not-an-address\" is not an e-mail address");
}

TEST_F(TicketE2eTest, UnknownTicketIsNotFound) {
  ticketpb::GetTicketRequest r;
  r.set_ticket_id(424242);
  auto got = Agent()->GetTicket(r);
  EXPECT_EQ(got.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(got.status().message(), "ticket 424242 not found");
}

// SIGTERM ends open watch streams and the process promptly, with exit code 0.
TEST_F(TicketE2eTest, ShutsDownGracefullyWithAnOpenWatch) {
  auto second = testing::ServiceProcess::Start(
      CXDESK_TICKETD,
      {"--database-url=" + *url_, "--token-secret-file=" + secret_->path});
  ASSERT_TRUE(second.ok()) << second.status();
  auto watcher = TicketClient::Connect(
      (*second)->address(), {Token(common::StaffRole::kService, "slad"), ""});
  std::atomic<bool> streaming{false};
  absl::Status watch_status;
  std::thread watch([&] {
    watch_status =
        watcher->WatchTicketEvents(ticketpb::WatchTicketEventsRequest(),
                                   [&](const ticketpb::TicketEvent&) {
                                     streaming = true;
                                     return true;
                                   });
  });
  Open();
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (!streaming && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  ASSERT_TRUE(streaming.load());
  absl::StatusOr<int> exit_code = (*second)->Stop(absl::Seconds(10));
  watch.join();
  ASSERT_TRUE(exit_code.ok()) << exit_code.status();
  EXPECT_EQ(*exit_code, 0) << (*second)->LogTail();
  EXPECT_TRUE(watch_status.ok() || absl::IsUnavailable(watch_status) ||
              absl::IsCancelled(watch_status))
      << watch_status;
}

}  // namespace
}  // namespace cxdesk
