#include "services/ticket/ticket_manager.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
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
  EXPECT_EQ(manager_.AddComment(customer, 1, Visibility::kInternal, "x", "")
                .status()
                .code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(manager_.AddComment(wrong_key, 1, Visibility::kPublic, "x", "")
                .status()
                .code(),
            StatusCode::kNotFound);
}

TEST_F(TicketManagerTest, AChangeIsNeverTimedBeforeTheTicketsLastChange) {
  // Two writers may read the clock before queueing on the ticket's lock; the
  // one applied second must still carry the later time (consumers such as
  // the SLA service rely on each ticket's changes being in time order).
  Create();
  const absl::Time first = clock_.Now() + absl::Minutes(1);
  clock_.Set(first);
  ASSERT_TRUE(
      manager_.AddComment(Agent(), 1, Visibility::kInternal, "first", "").ok());
  clock_.Set(first - absl::Seconds(5));  // The next writer's clock lags.
  absl::StatusOr<Comment> second =
      manager_.AddComment(Agent(), 1, Visibility::kInternal, "second", "");
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->create_time, first);
  EXPECT_EQ(manager_.GetTicket(Agent(), 1)->update_time, first);
}

TEST_F(TicketManagerTest, ConversationFlowsThroughTheStatuses) {
  CreatedTicket t = Create();
  const Credentials customer{"", t.access_key};
  // An internal note does not open the ticket; a public reply does.
  ASSERT_TRUE(
      manager_.AddComment(Agent(), 1, Visibility::kInternal, "check order", "")
          .ok());
  EXPECT_EQ(manager_.GetTicket(Agent(), 1)->status, Status::kNew);
  ASSERT_TRUE(
      manager_.AddComment(Agent(), 1, Visibility::kPublic, "Looking now", "")
          .ok());
  EXPECT_EQ(manager_.GetTicket(Agent(), 1)->status, Status::kOpen);
  ASSERT_TRUE(manager_.ChangeStatus(Agent(), 1, Status::kPending, "").ok());
  absl::StatusOr<Comment> reply = manager_.AddComment(
      customer, 1, Visibility::kUnspecified, "Order 42", "");
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
  EXPECT_EQ(manager_.AddComment(customer, 1, Visibility::kPublic, "hi", "")
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
      manager_.UpdateTicket(Agent(), 1, update, "\"1\"", "");
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->priority, Priority::kUrgent);
  EXPECT_EQ(EtagOf(*updated), "\"2\"");
  update.priority = Priority::kLow;
  EXPECT_EQ(
      manager_.UpdateTicket(Agent(), 1, update, "\"1\"", "").status().code(),
      StatusCode::kAborted);
  EXPECT_EQ(manager_.GetTicket(Agent(), 1)->priority, Priority::kUrgent);
}

TEST_F(TicketManagerTest, UpdateKeepsKindAndCxLevelConsistent) {
  Create();  // A complaint about service.
  TicketUpdate update;
  update.kind = Kind::kQuestion;
  EXPECT_EQ(manager_.UpdateTicket(Agent(), 1, update, "", "").status().code(),
            StatusCode::kInvalidArgument);
  update.cx_level = CxLevel::kUnspecified;
  EXPECT_TRUE(manager_.UpdateTicket(Agent(), 1, update, "", "").ok());
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

TEST_F(TicketManagerTest, RetriedUpdateWithTheSameRequestIdChangesOnce) {
  Create();
  TicketUpdate raise;
  raise.priority = Priority::kUrgent;
  absl::StatusOr<Ticket> first =
      manager_.UpdateTicket(Agent(), 1, raise, "\"1\"", "esc-raise-1");
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->priority, Priority::kUrgent);
  EXPECT_EQ(first->version, 2);
  ASSERT_EQ(store_.events().size(), 2u);
  clock_.Advance(absl::Seconds(30));
  // The retry carries the etag the first call consumed: it is not checked
  // again, the retry is answered with the ticket as it is.
  absl::StatusOr<Ticket> again =
      manager_.UpdateTicket(Agent(), 1, raise, "\"1\"", "esc-raise-1");
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->priority, Priority::kUrgent);
  EXPECT_EQ(again->version, 2);
  EXPECT_EQ(again->update_time, first->update_time);
  EXPECT_EQ(store_.events().size(), 2u);
  EXPECT_EQ(store_.events()[1].type, EventType::kUpdated);
  EXPECT_EQ(store_.events()[1].after.priority, Priority::kUrgent);
  // The same key with other values is still the first request.
  TicketUpdate lower;
  lower.priority = Priority::kLow;
  ASSERT_TRUE(manager_.UpdateTicket(Agent(), 1, lower, "", "esc-raise-1").ok());
  EXPECT_EQ(manager_.GetTicket(Agent(), 1)->priority, Priority::kUrgent);
  // Another key is another request.
  absl::StatusOr<Ticket> other =
      manager_.UpdateTicket(Agent(), 1, lower, "", "esc-raise-2");
  ASSERT_TRUE(other.ok()) << other.status();
  EXPECT_EQ(other->priority, Priority::kLow);
  EXPECT_EQ(other->version, 3);
  EXPECT_EQ(store_.events().size(), 3u);
}

TEST_F(TicketManagerTest, RetriedAddCommentReturnsTheFirstComment) {
  Create();
  const Credentials escalation =
      Staff(common::StaffRole::kService, "cxdesk-escalationd");
  absl::StatusOr<Comment> first =
      manager_.AddComment(escalation, 1, Visibility::kInternal,
                          "Escalated: no first response", "esc-note-1");
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->id, 1);
  const absl::Time written = clock_.Now();
  clock_.Advance(absl::Minutes(2));
  absl::StatusOr<Comment> again =
      manager_.AddComment(escalation, 1, Visibility::kInternal,
                          "Escalated: no first response", "esc-note-1");
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->id, first->id);
  EXPECT_EQ(again->ticket_id, 1);
  EXPECT_EQ(again->visibility, Visibility::kInternal);
  EXPECT_EQ(again->body, "Escalated: no first response");
  EXPECT_EQ(again->author, "cxdesk-escalationd");
  EXPECT_EQ(again->author_role, ActorRole::kService);
  EXPECT_EQ(again->create_time, written);
  absl::StatusOr<Page<Comment>> comments =
      manager_.ListComments(Agent(), 1, 0, "");
  ASSERT_TRUE(comments.ok()) << comments.status();
  ASSERT_EQ(comments->items.size(), 1u);
  EXPECT_EQ(comments->items[0].id, first->id);
  ASSERT_EQ(store_.events().size(), 2u);
  EXPECT_EQ(store_.events()[1].type, EventType::kCommentAdded);
  EXPECT_EQ(manager_.GetTicket(Agent(), 1)->version, 2);
}

TEST_F(TicketManagerTest, CustomerRetriesItsReplyButCannotReplayOthers) {
  CreatedTicket t = Create();
  const Credentials customer{"", t.access_key};
  absl::StatusOr<Comment> reply = manager_.AddComment(
      customer, 1, Visibility::kPublic, "Order 42", "reply-1");
  ASSERT_TRUE(reply.ok()) << reply.status();
  absl::StatusOr<Comment> again = manager_.AddComment(
      customer, 1, Visibility::kPublic, "Order 42", "reply-1");
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->id, reply->id);
  EXPECT_EQ(again->author, "ana@example.com");
  EXPECT_EQ(again->author_role, ActorRole::kCustomer);
  // A staff note's key does not hand the note to the customer.
  ASSERT_TRUE(manager_
                  .AddComment(Agent(), 1, Visibility::kInternal,
                              "customer is on a trial plan", "note-1")
                  .ok());
  absl::StatusOr<Comment> stolen =
      manager_.AddComment(customer, 1, Visibility::kPublic, "hello", "note-1");
  EXPECT_EQ(stolen.status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(stolen.status().message(),
            "request_id: already used for another request");
  // Nor does it answer a wrong access key, which is told what any wrong key
  // is told.
  EXPECT_EQ(manager_
                .AddComment({"", "not-the-key"}, 1, Visibility::kPublic, "x",
                            "reply-1")
                .status()
                .code(),
            StatusCode::kNotFound);
  EXPECT_EQ(store_.events().size(), 3u);
}

TEST_F(TicketManagerTest, AddCommentKeyOfAnotherRequestIsAlreadyExists) {
  Create();
  Create();
  ASSERT_TRUE(
      manager_.AddComment(Agent(), 1, Visibility::kInternal, "a", "k-1").ok());
  TicketUpdate raise;
  raise.priority = Priority::kHigh;
  ASSERT_TRUE(manager_.UpdateTicket(Agent(), 2, raise, "", "k-2").ok());
  const size_t events = store_.events().size();
  // Used on another ticket.
  absl::StatusOr<Comment> other_ticket =
      manager_.AddComment(Agent(), 2, Visibility::kInternal, "a", "k-1");
  EXPECT_EQ(other_ticket.status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(other_ticket.status().message(),
            "request_id: already used for another request");
  // Used by a call that added no comment.
  EXPECT_EQ(manager_.AddComment(Agent(), 2, Visibility::kInternal, "a", "k-2")
                .status()
                .code(),
            StatusCode::kAlreadyExists);
  // Used by another author.
  EXPECT_EQ(manager_
                .AddComment(Staff(common::StaffRole::kAgent, "bob"), 1,
                            Visibility::kInternal, "a", "k-1")
                .status()
                .code(),
            StatusCode::kAlreadyExists);
  EXPECT_EQ(store_.events().size(), events);
  // UpdateTicket and AssignTicket keys are not scoped to a ticket either: a
  // key used on ticket 1 is a no-op on ticket 2, as AssignTicket has it.
  absl::StatusOr<Ticket> update_elsewhere =
      manager_.UpdateTicket(Agent(), 2, raise, "", "k-1");
  ASSERT_TRUE(update_elsewhere.ok()) << update_elsewhere.status();
  EXPECT_EQ(update_elsewhere->id, 2);
  EXPECT_EQ(update_elsewhere->version, 2);
  EXPECT_EQ(store_.events().size(), events);
}

TEST_F(TicketManagerTest, BadRequestIdIsInvalidArgumentNamingTheField) {
  Create();
  TicketUpdate raise;
  raise.priority = Priority::kUrgent;
  const std::string too_long(101, 'k');
  for (const std::string& bad : {std::string("has space"), too_long,
                                 std::string("tab\tkey"), std::string("é")}) {
    absl::StatusOr<Ticket> updated =
        manager_.UpdateTicket(Agent(), 1, raise, "", bad);
    EXPECT_EQ(updated.status().code(), StatusCode::kInvalidArgument) << bad;
    EXPECT_EQ(updated.status().message().substr(0, 11), "request_id:") << bad;
    absl::StatusOr<Comment> comment =
        manager_.AddComment(Agent(), 1, Visibility::kInternal, "note", bad);
    EXPECT_EQ(comment.status().code(), StatusCode::kInvalidArgument) << bad;
    EXPECT_EQ(comment.status().message().substr(0, 11), "request_id:") << bad;
  }
  EXPECT_EQ(
      manager_.UpdateTicket(Agent(), 1, raise, "", "a b").status().message(),
      "request_id: printable ASCII without spaces only");
  EXPECT_EQ(
      manager_.AddComment(Agent(), 1, Visibility::kInternal, "n", too_long)
          .status()
          .message(),
      "request_id: at most 100 bytes");
  // 100 bytes is the limit, not past it.
  EXPECT_TRUE(manager_
                  .AddComment(Agent(), 1, Visibility::kInternal, "n",
                              std::string(100, 'k'))
                  .ok());
  EXPECT_EQ(store_.events().size(), 2u);
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

TEST_F(TicketManagerTest, LatestEventCursorSkipsTheHistory) {
  EXPECT_EQ(manager_.GetLatestEventCursor({}).status().code(),
            StatusCode::kUnauthenticated);
  absl::StatusOr<std::string> empty = manager_.GetLatestEventCursor(Agent());
  ASSERT_TRUE(empty.ok()) << empty.status();
  EXPECT_EQ(*empty, "");
  Create();
  Create();
  absl::StatusOr<std::string> latest = manager_.GetLatestEventCursor(Agent());
  ASSERT_TRUE(latest.ok()) << latest.status();
  EXPECT_EQ(*latest, "0-2");
  Create();
  // Watching after it: only the third ticket's creation.
  std::vector<int64_t> got;
  ASSERT_TRUE(manager_
                  .WatchTicketEvents(
                      Agent(), *latest,
                      [&](const TicketEvent& e) {
                        got.push_back(e.ticket_id);
                        return false;
                      },
                      [] { return false; })
                  .ok());
  EXPECT_EQ(got, (std::vector<int64_t>{3}));
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

namespace cxdesk::ticket {
namespace {

class TicketManagerInputTest : public TicketManagerTest {};

TEST_F(TicketManagerInputTest, AReasonWithNulIsRefusedAndNothingChanges) {
  Create();
  const absl::StatusOr<Ticket> changed = manager_.ChangeStatus(
      Agent(), 1, Status::kPending, std::string("before\0after", 12));
  EXPECT_EQ(changed.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(changed.status().message(),
            "reason: contains NUL (U+0000) at byte 6; text cannot hold NUL");
  const absl::StatusOr<Ticket> now = manager_.GetTicket(Agent(), 1);
  ASSERT_TRUE(now.ok());
  EXPECT_EQ(now->status, Status::kNew);
  EXPECT_EQ(now->version, 1);
  // A reason on several lines is fine.
  EXPECT_TRUE(
      manager_.ChangeStatus(Agent(), 1, Status::kPending, "one\ntwo").ok());
}

TEST_F(TicketManagerInputTest, ListCommentsPagesEndBeforeTwoMebibytes) {
  Create();
  const std::string body(60 * 1024, 'b');
  constexpr int kComments = 40;  // 2.4 MiB of bodies
  for (int i = 0; i < kComments; ++i) {
    ASSERT_TRUE(
        manager_.AddComment(Agent(), 1, Visibility::kPublic, body, "").ok());
  }
  const absl::StatusOr<Page<Comment>> first =
      manager_.ListComments(Agent(), 1, 500, "");
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->items.size(), kMaxConversationBytes / body.size());
  ASSERT_FALSE(first->next_page_token.empty());
  const absl::StatusOr<Page<Comment>> second =
      manager_.ListComments(Agent(), 1, 500, first->next_page_token);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(first->items.size() + second->items.size(), kComments);
  EXPECT_EQ(second->items.front().id, first->items.back().id + 1);
  EXPECT_TRUE(second->next_page_token.empty());
}

TEST_F(TicketManagerInputTest, TheStatusViewKeepsTheNewestRepliesThatFit) {
  const CreatedTicket t = Create();
  const std::string body(60 * 1024, 'b');
  constexpr int kReplies = 40;
  for (int i = 0; i < kReplies; ++i) {
    ASSERT_TRUE(manager_
                    .AddComment(Agent(), 1, Visibility::kPublic,
                                absl::StrCat(i, body), "")
                    .ok());
  }
  const absl::StatusOr<StatusView> view =
      manager_.GetTicketStatus({"", t.access_key}, 1);
  ASSERT_TRUE(view.ok()) << view.status();
  size_t bytes = 0;
  for (const Comment& c : view->conversation) bytes += c.body.size();
  EXPECT_LE(bytes, kMaxConversationBytes);
  const int shown = static_cast<int>(view->conversation.size()) - 1;
  EXPECT_EQ(view->earlier_replies_omitted + shown, kReplies);
  EXPECT_GT(view->earlier_replies_omitted, 0);
  // The description first, then the newest replies, oldest first.
  EXPECT_EQ(view->conversation.front().body, t.ticket.description);
  EXPECT_EQ(view->conversation.back().body, absl::StrCat(kReplies - 1, body));
}

}  // namespace
}  // namespace cxdesk::ticket
