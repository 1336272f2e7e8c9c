#include "services/ticket/ticket_manager.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "services/common/testing/fake_clock.h"
#include "services/common/token.h"
#include "services/ticket/testing/fake_ticket_store.h"

namespace cxdesk::ticket {
namespace {

using absl::StatusCode;

constexpr char kSecret[] = "unit-test-secret-0123456789abcdef";

// An SlaPromiseSource that answers what it is told and records the tickets
// it was asked about. Thread-safe.
class FakeSlaPromiseSource final : public SlaPromiseSource {
 public:
  absl::StatusOr<std::optional<Promise>> GetPromise(
      int64_t ticket_id) override {
    absl::MutexLock lock(&mu_);
    asked_.push_back(ticket_id);
    return answer_;
  }
  void Answer(absl::StatusOr<std::optional<Promise>> answer) {
    absl::MutexLock lock(&mu_);
    answer_ = std::move(answer);
  }
  std::vector<int64_t> asked() const {
    absl::MutexLock lock(&mu_);
    return asked_;
  }

 private:
  mutable absl::Mutex mu_;
  absl::StatusOr<std::optional<Promise>> answer_ = std::nullopt;
  std::vector<int64_t> asked_;
};

class TicketManagerTest : public ::testing::Test {
 protected:
  Credentials Staff(common::StaffRole role, const std::string& subject) {
    return {*common::SignToken({subject, role, clock_.Now() + absl::Hours(1)},
                               kSecret),
            ""};
  }
  Credentials Agent() { return Staff(common::StaffRole::kAgent, "alice"); }

  CreatedTicket Create(const std::string& request_id = "") {
    NewTicketInput in;
    in.subject = "Refund not received";
    in.description = "I returned the jacket two weeks ago.";
    in.kind = Kind::kComplaint;
    in.cx_level = CxLevel::kService;
    in.customer_email = "Ana@Example.com";
    in.customer_name = "Ana Lima";
    in.tags = {"Refund"};
    in.request_id = request_id;
    absl::StatusOr<CreatedTicket> created = manager_.CreateTicket({}, in);
    EXPECT_TRUE(created.ok()) << created.status();
    return *created;
  }

  common::FakeClock clock_;
  FakeTicketStore store_;
  TicketManager manager_{store_, clock_, kSecret, nullptr};
};

TEST_F(TicketManagerTest, CreateAppliesDefaultsAndNormalises) {
  CreatedTicket created = Create();
  const Ticket& t = created.ticket;
  EXPECT_EQ(t.id, 1);
  EXPECT_EQ(t.status, Status::kNew);
  EXPECT_EQ(t.priority, Priority::kNormal);
  EXPECT_EQ(t.channel, Channel::kWeb);
  EXPECT_EQ(t.customer.email, "ana@example.com");
  EXPECT_EQ(t.tags, std::vector<std::string>{"refund"});
  EXPECT_EQ(t.create_time, clock_.Now());
  EXPECT_EQ(created.access_key.size(), 32u);
  EXPECT_NE(t.access_key_hash, created.access_key);
  ASSERT_EQ(store_.events().size(), 1u);
  EXPECT_EQ(store_.events()[0].actor.name, "ana@example.com");
  EXPECT_EQ(store_.events()[0].actor.role, ActorRole::kCustomer);
}

TEST_F(TicketManagerTest, StaffCreateIsRecordedAsTheAgent) {
  NewTicketInput in{"Phone call", "Customer called about an invoice."};
  in.customer_email = "bo@example.com";
  ASSERT_TRUE(manager_.CreateTicket(Agent(), in).ok());
  EXPECT_EQ(store_.events()[0].actor.name, "alice");
  EXPECT_EQ(store_.events()[0].actor.role, ActorRole::kAgent);
}

TEST_F(TicketManagerTest, RetriedCreateReturnsTheSameTicketAndKey) {
  CreatedTicket first = Create("req-1");
  CreatedTicket again = Create("req-1");
  EXPECT_EQ(again.ticket.id, first.ticket.id);
  EXPECT_EQ(again.access_key, first.access_key);
  EXPECT_EQ(store_.events().size(), 1u);
  EXPECT_NE(Create("req-2").ticket.id, first.ticket.id);
}

TEST_F(TicketManagerTest, CreateRejectsBadInputNamingTheField) {
  NewTicketInput in{"", "body"};
  in.customer_email = "ana@example.com";
  EXPECT_EQ(manager_.CreateTicket({}, in).status().message(),
            "subject: required");
  in.subject = "ok";
  in.customer_email = "not-an-email";
  EXPECT_EQ(manager_.CreateTicket({}, in).status().code(),
            StatusCode::kInvalidArgument);
  in.customer_email = "ana@example.com";
  in.kind = Kind::kComplaint;
  EXPECT_EQ(manager_.CreateTicket({}, in).status().message().substr(0, 9),
            "cx_level:");
  EXPECT_TRUE(store_.events().empty());
}

TEST_F(TicketManagerTest, BadOrExpiredTokenIsUnauthenticatedEvenForCreate) {
  NewTicketInput in{"s", "d"};
  in.customer_email = "ana@example.com";
  EXPECT_EQ(manager_.CreateTicket({"garbage", ""}, in).status().code(),
            StatusCode::kUnauthenticated);
  Credentials agent = Agent();
  clock_.Advance(absl::Hours(2));
  EXPECT_EQ(manager_.GetTicket(agent, 1).status().code(),
            StatusCode::kUnauthenticated);
}

TEST_F(TicketManagerTest, RoleChecks) {
  CreatedTicket t = Create();
  const Credentials customer{"", t.access_key};
  const Credentials wrong_key{"", "not-the-key"};
  EXPECT_EQ(manager_.GetTicket({}, 1).status().code(),
            StatusCode::kUnauthenticated);
  EXPECT_EQ(manager_.GetTicket(customer, 1).status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_TRUE(manager_.GetTicket(Agent(), 1).ok());
  EXPECT_TRUE(manager_.GetTicketStatus(customer, 1).ok());
  EXPECT_EQ(manager_.GetTicketStatus(wrong_key, 1).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(manager_.GetTicketStatus({}, 1).status().code(),
            StatusCode::kUnauthenticated);
  EXPECT_EQ(manager_.RateTicket(Agent(), 1, 5, "").status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(manager_.AddComment(customer, 1, Visibility::kInternal, "x")
                .status()
                .code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(manager_.AddComment(wrong_key, 1, Visibility::kPublic, "x")
                .status()
                .code(),
            StatusCode::kNotFound);
}

TEST_F(TicketManagerTest, ConversationFlowsThroughTheStatuses) {
  CreatedTicket t = Create();
  const Credentials customer{"", t.access_key};
  // An internal note does not open the ticket; a public reply does.
  ASSERT_TRUE(
      manager_.AddComment(Agent(), 1, Visibility::kInternal, "check order")
          .ok());
  EXPECT_EQ(manager_.GetTicket(Agent(), 1)->status, Status::kNew);
  ASSERT_TRUE(
      manager_.AddComment(Agent(), 1, Visibility::kPublic, "Looking now").ok());
  EXPECT_EQ(manager_.GetTicket(Agent(), 1)->status, Status::kOpen);
  ASSERT_TRUE(manager_.ChangeStatus(Agent(), 1, Status::kPending, "").ok());
  absl::StatusOr<Comment> reply =
      manager_.AddComment(customer, 1, Visibility::kUnspecified, "Order 42");
  ASSERT_TRUE(reply.ok());
  EXPECT_EQ(reply->author, "ana@example.com");
  EXPECT_EQ(reply->author_role, ActorRole::kCustomer);
  EXPECT_EQ(manager_.GetTicket(Agent(), 1)->status, Status::kOpen);
  clock_.Advance(absl::Minutes(5));
  absl::StatusOr<Ticket> solved =
      manager_.ChangeStatus(Agent(), 1, Status::kSolved, "refunded");
  ASSERT_TRUE(solved.ok());
  EXPECT_EQ(solved->solve_time, clock_.Now());
  // The customer's view never shows the internal note.
  absl::StatusOr<StatusView> view = manager_.GetTicketStatus(customer, 1);
  ASSERT_TRUE(view.ok());
  ASSERT_EQ(view->conversation.size(), 3u);
  EXPECT_EQ(view->conversation[0].body, "I returned the jacket two weeks ago.");
  EXPECT_EQ(view->conversation[1].body, "Looking now");
  EXPECT_EQ(view->conversation[2].body, "Order 42");
  // Rate once.
  absl::StatusOr<Ticket> rated = manager_.RateTicket(customer, 1, 4, "quick");
  ASSERT_TRUE(rated.ok());
  EXPECT_EQ(rated->rating->score, 4);
  EXPECT_EQ(manager_.RateTicket(customer, 1, 5, "").status().code(),
            StatusCode::kFailedPrecondition);
  ASSERT_TRUE(manager_.ChangeStatus(Agent(), 1, Status::kClosed, "").ok());
  EXPECT_EQ(manager_.AddComment(customer, 1, Visibility::kPublic, "hi")
                .status()
                .code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(
      manager_.ChangeStatus(Agent(), 1, Status::kOpen, "").status().code(),
      StatusCode::kFailedPrecondition);
}

TEST_F(TicketManagerTest, RatingBeforeSolvedIsRefused) {
  CreatedTicket t = Create();
  EXPECT_EQ(manager_.RateTicket({"", t.access_key}, 1, 5, "").status().code(),
            StatusCode::kFailedPrecondition);
}

TEST_F(TicketManagerTest, SameStatusIsANoOpWithoutEvent) {
  Create();
  ASSERT_TRUE(manager_.ChangeStatus(Agent(), 1, Status::kPending, "").ok());
  const size_t events = store_.events().size();
  absl::StatusOr<Ticket> again =
      manager_.ChangeStatus(Agent(), 1, Status::kPending, "");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->status, Status::kPending);
  EXPECT_EQ(store_.events().size(), events);
}

TEST_F(TicketManagerTest, StaleEtagIsAborted) {
  Create();
  TicketUpdate update;
  update.priority = Priority::kUrgent;
  absl::StatusOr<Ticket> updated =
      manager_.UpdateTicket(Agent(), 1, update, "\"1\"");
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->priority, Priority::kUrgent);
  EXPECT_EQ(EtagOf(*updated), "\"2\"");
  update.priority = Priority::kLow;
  EXPECT_EQ(manager_.UpdateTicket(Agent(), 1, update, "\"1\"").status().code(),
            StatusCode::kAborted);
  EXPECT_EQ(manager_.GetTicket(Agent(), 1)->priority, Priority::kUrgent);
}

TEST_F(TicketManagerTest, UpdateKeepsKindAndCxLevelConsistent) {
  Create();  // A complaint about service.
  TicketUpdate update;
  update.kind = Kind::kQuestion;
  EXPECT_EQ(manager_.UpdateTicket(Agent(), 1, update, "").status().code(),
            StatusCode::kInvalidArgument);
  update.cx_level = CxLevel::kUnspecified;
  EXPECT_TRUE(manager_.UpdateTicket(Agent(), 1, update, "").ok());
}

TEST_F(TicketManagerTest, AssignOpensAndReplayedRequestIdIsANoOp) {
  Create();
  absl::StatusOr<Ticket> t =
      manager_.AssignTicket(Agent(), 1, {"bob", "care", false, "esc-1"});
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->assignee, "bob");
  EXPECT_EQ(t->team, "care");
  EXPECT_EQ(t->status, Status::kOpen);
  const size_t events = store_.events().size();
  ASSERT_TRUE(
      manager_.AssignTicket(Agent(), 1, {"carol", "", false, "esc-1"}).ok());
  EXPECT_EQ(store_.events().size(), events);
  EXPECT_EQ(manager_.GetTicket(Agent(), 1)->assignee, "bob");
  EXPECT_EQ(manager_.AssignTicket(Agent(), 1, {}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(
      manager_.AssignTicket(Agent(), 1, {"x", "", true, ""}).status().code(),
      StatusCode::kInvalidArgument);
  absl::StatusOr<Ticket> unassigned =
      manager_.AssignTicket(Agent(), 1, {"", "", true, ""});
  ASSERT_TRUE(unassigned.ok());
  EXPECT_EQ(unassigned->assignee, "");
  EXPECT_EQ(unassigned->team, "care");
}

TEST_F(TicketManagerTest, ListPagesThroughEverything) {
  for (int i = 0; i < 7; ++i) Create();
  std::vector<int64_t> seen;
  std::string token;
  do {
    absl::StatusOr<Page<Ticket>> page =
        manager_.ListTickets(Agent(), {}, 3, token);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const Ticket& t : page->items) seen.push_back(t.id);
    token = page->next_page_token;
  } while (!token.empty());
  EXPECT_EQ(seen, (std::vector<int64_t>{7, 6, 5, 4, 3, 2, 1}));
  TicketQuery other;
  other.statuses = {Status::kOpen};
  std::string first = manager_.ListTickets(Agent(), {}, 3, "")->next_page_token;
  EXPECT_EQ(manager_.ListTickets(Agent(), other, 3, first).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(manager_.ListTickets(Agent(), {}, 501, "").status().code(),
            StatusCode::kInvalidArgument);
  TicketQuery bad_order;
  bad_order.order_by = "subject";
  EXPECT_EQ(manager_.ListTickets(Agent(), bad_order, 0, "").status().code(),
            StatusCode::kInvalidArgument);
}

TEST_F(TicketManagerTest, EventsCarryBeforeAndAfter) {
  Create();
  ASSERT_TRUE(
      manager_.ChangeStatus(Agent(), 1, Status::kOnHold, "supplier").ok());
  absl::StatusOr<Page<TicketEvent>> events =
      manager_.ListTicketEvents(Agent(), 1, 0, "");
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->items.size(), 2u);
  const TicketEvent& e = events->items[1];
  EXPECT_EQ(e.type, EventType::kStatusChanged);
  EXPECT_EQ(e.ticket_version, 2);
  EXPECT_EQ(e.before->status, Status::kNew);
  EXPECT_EQ(e.after.status, Status::kOnHold);
  EXPECT_EQ(e.reason, "supplier");
  EXPECT_EQ(e.actor.name, "alice");
}

TEST_F(TicketManagerTest, WatchNeedsStaffAndAValidCursor) {
  auto send = [](const TicketEvent&) { return false; };
  auto never = [] { return false; };
  EXPECT_EQ(manager_.WatchTicketEvents({}, "", send, never).code(),
            StatusCode::kUnauthenticated);
  EXPECT_EQ(manager_.WatchTicketEvents(Agent(), "x-y", send, never).code(),
            StatusCode::kInvalidArgument);
  Create();
  Create();
  std::vector<int64_t> got;
  ASSERT_TRUE(manager_
                  .WatchTicketEvents(
                      Agent(), "",
                      [&](const TicketEvent& e) {
                        got.push_back(e.ticket_id);
                        return got.size() < 2;
                      },
                      never)
                  .ok());
  EXPECT_EQ(got, (std::vector<int64_t>{1, 2}));
}

TEST_F(TicketManagerTest, WithoutSlaServiceTheViewHasNoPromise) {
  CreatedTicket t = Create();
  absl::StatusOr<StatusView> view =
      manager_.GetTicketStatus({"", t.access_key}, 1);
  ASSERT_TRUE(view.ok()) << view.status();
  EXPECT_FALSE(view->promise.has_value());
}

class TicketManagerPromiseTest : public TicketManagerTest {
 protected:
  FakeSlaPromiseSource sla_;
  TicketManager with_sla_{store_, clock_, kSecret, nullptr, &sla_};
};

TEST_F(TicketManagerPromiseTest, CustomerAndStaffSeeThePromise) {
  CreatedTicket t = Create();
  const absl::Time due = clock_.Now() + absl::Hours(4);
  sla_.Answer(Promise{"We will respond by 2026-01-01 04:00 UTC", due});
  absl::StatusOr<StatusView> view =
      with_sla_.GetTicketStatus({"", t.access_key}, 1);
  ASSERT_TRUE(view.ok()) << view.status();
  ASSERT_TRUE(view->promise.has_value());
  EXPECT_EQ(view->promise->text, "We will respond by 2026-01-01 04:00 UTC");
  EXPECT_EQ(view->promise->due, due);
  view = with_sla_.GetTicketStatus(Agent(), 1);
  ASSERT_TRUE(view.ok()) << view.status();
  ASSERT_TRUE(view->promise.has_value());
  EXPECT_EQ(view->promise->due, due);
  EXPECT_EQ(sla_.asked(), (std::vector<int64_t>{1, 1}));
}

TEST_F(TicketManagerPromiseTest, PausedPromiseKeepsItsTextWithoutTime) {
  CreatedTicket t = Create();
  sla_.Answer(Promise{"We are waiting for your reply", absl::InfiniteFuture()});
  absl::StatusOr<StatusView> view =
      with_sla_.GetTicketStatus({"", t.access_key}, 1);
  ASSERT_TRUE(view.ok()) << view.status();
  ASSERT_TRUE(view->promise.has_value());
  EXPECT_EQ(view->promise->due, absl::InfiniteFuture());
}

TEST_F(TicketManagerPromiseTest, NoOpenClockMeansNoPromise) {
  CreatedTicket t = Create();
  sla_.Answer(std::nullopt);
  absl::StatusOr<StatusView> view =
      with_sla_.GetTicketStatus({"", t.access_key}, 1);
  ASSERT_TRUE(view.ok()) << view.status();
  EXPECT_FALSE(view->promise.has_value());
}

TEST_F(TicketManagerPromiseTest, SlaFailureStillAnswersTheView) {
  CreatedTicket t = Create();
  for (absl::Status failure :
       {absl::UnavailableError("connection refused"),
        absl::DeadlineExceededError("Deadline Exceeded"),
        absl::UnauthenticatedError("token: bad signature")}) {
    sla_.Answer(failure);
    absl::StatusOr<StatusView> view =
        with_sla_.GetTicketStatus({"", t.access_key}, 1);
    ASSERT_TRUE(view.ok()) << failure << " -> " << view.status();
    EXPECT_FALSE(view->promise.has_value()) << failure;
    EXPECT_EQ(view->ticket.id, 1);
    EXPECT_FALSE(view->conversation.empty());
  }
}

TEST_F(TicketManagerPromiseTest, SlaFailuresAreLoggedAtMostEvery30Seconds) {
  CreatedTicket t = Create();
  const Credentials customer{"", t.access_key};
  sla_.Answer(absl::UnavailableError("connection refused"));
  auto logged_lines = [&](int views) {
    ::testing::internal::CaptureStderr();
    for (int i = 0; i < views; ++i) {
      EXPECT_TRUE(with_sla_.GetTicketStatus(customer, 1).ok());
      clock_.Advance(absl::Seconds(1));
    }
    const std::string log = ::testing::internal::GetCapturedStderr();
    int lines = 0;
    for (size_t at = log.find("SLA promise unavailable");
         at != std::string::npos;
         at = log.find("SLA promise unavailable", at + 1)) {
      ++lines;
    }
    return lines;
  };
  EXPECT_EQ(logged_lines(10), 1);  // t = 0..9 s
  EXPECT_EQ(logged_lines(20), 0);  // t = 10..29 s
  EXPECT_EQ(logged_lines(1), 1);   // t = 30 s
}

TEST_F(TicketManagerPromiseTest, SlaIsNotAskedForViewsTheCallerMayNotSee) {
  Create();
  sla_.Answer(Promise{"We will respond soon", clock_.Now()});
  EXPECT_EQ(with_sla_.GetTicketStatus({"", "not-the-key"}, 1).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(with_sla_.GetTicketStatus({}, 1).status().code(),
            StatusCode::kUnauthenticated);
  EXPECT_EQ(with_sla_.GetTicketStatus(Agent(), 2).status().code(),
            StatusCode::kNotFound);
  EXPECT_TRUE(sla_.asked().empty());
}

TEST_F(TicketManagerTest, NonPositiveIdIsInvalid) {
  EXPECT_EQ(manager_.GetTicket(Agent(), 0).status().message(),
            "ticket_id: must be a positive ticket number, got 0");
  EXPECT_EQ(manager_.GetTicket(Agent(), 99).status().code(),
            StatusCode::kNotFound);
}

}  // namespace
}  // namespace cxdesk::ticket
