// Integration tests of PostgresTicketStore against the real PostgreSQL that
// tests/run.sh starts. Every named query runs at least once here.
#include "services/ticket/postgres_ticket_store.h"

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <pqxx/pqxx>
#include <set>
#include <thread>

#include "absl/synchronization/notification.h"
#include "services/common/testing/test_database.h"

namespace cxdesk::ticket {
namespace {

using absl::StatusCode;

const absl::Time kT0 = absl::FromUnixMicros(1'767'225'600'123'456);

class PostgresTicketStoreTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<std::string> url =
        common::CreateTestDatabase("ticket_store");
    ASSERT_TRUE(url.ok()) << url.status();
    auto migrator = common::PgPool::Create({*url, 1});
    ASSERT_TRUE(migrator.ok()) << migrator.status();
    ASSERT_TRUE(
        common::ApplyMigrations(**migrator, "ticket", TicketMigrations()).ok());
    url_ = new std::string(*url);
  }

  void SetUp() override {
    ASSERT_NE(url_, nullptr) << "suite set-up failed";
    ASSERT_TRUE(common::TruncateSchema(*url_, "ticket").ok());
    common::PgPool::Options options{*url_, 8};
    options.queries = PostgresTicketStore::PreparedQueries();
    auto pool = common::PgPool::Create(options);
    ASSERT_TRUE(pool.ok()) << pool.status();
    pool_ = *std::move(pool);
    store_ = std::make_unique<PostgresTicketStore>(*pool_, nullptr);
  }

  static Ticket Draft(const std::string& email = "ana@example.com") {
    Ticket t;
    t.subject = "Refund not received";
    t.description = "I returned the jacket.";
    t.kind = Kind::kComplaint;
    t.cx_level = CxLevel::kService;
    t.priority = Priority::kHigh;
    t.channel = Channel::kEmail;
    t.customer = {0, email, "Ana Lima"};
    t.tags = {"refund", "vip"};
    t.create_time = kT0;
    t.access_key_hash = "hash";
    return t;
  }

  int64_t Create(const std::string& email = "ana@example.com",
                 const std::string& request_id = "") {
    absl::StatusOr<CreateResult> r = store_->CreateTicket(
        Draft(email), request_id, {email, ActorRole::kCustomer});
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? r->ticket.id : 0;
  }

  // A change that sets the status, with an optional comment.
  static DecideChange SetStatus(Status status, absl::Time at,
                                std::optional<Comment> comment = std::nullopt) {
    return [=](const Ticket& current)
               -> absl::StatusOr<std::optional<TicketChange>> {
      Ticket after = current;
      after.status = status;
      return std::optional<TicketChange>(
          TicketChange{after,
                       EventType::kStatusChanged,
                       {"alice", ActorRole::kAgent},
                       "why",
                       comment,
                       at});
    };
  }

  // Reads the stream to its end. Transactions of other tests running in
  // parallel (in other databases of the same cluster) hold events back
  // for a moment, as they would in production: keep reading while the
  // store says so, within a bound.
  std::vector<TicketEvent> ReadAll(common::EventCursor cursor = {}) {
    std::vector<TicketEvent> all;
    const absl::Time deadline = absl::Now() + absl::Seconds(20);
    while (absl::Now() < deadline) {
      auto batch = store_->ReadEvents(cursor, 7);
      EXPECT_TRUE(batch.ok()) << batch.status();
      if (!batch.ok()) break;
      for (auto& e : batch->events) {
        cursor = e.cursor;
        all.push_back(std::move(e));
      }
      if (batch->events.empty()) {
        if (!batch->held_back) break;
        absl::SleepFor(absl::Milliseconds(5));
      }
    }
    return all;
  }

  static std::string* url_;
  std::unique_ptr<common::PgPool> pool_;
  std::unique_ptr<PostgresTicketStore> store_;
};
std::string* PostgresTicketStoreTest::url_ = nullptr;

TEST_F(PostgresTicketStoreTest, CreateThenGetRoundTripsEveryField) {
  const int64_t id = Create();
  absl::StatusOr<Ticket> t = store_->GetTicket(id);
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->subject, "Refund not received");
  EXPECT_EQ(t->description, "I returned the jacket.");
  EXPECT_EQ(t->kind, Kind::kComplaint);
  EXPECT_EQ(t->cx_level, CxLevel::kService);
  EXPECT_EQ(t->priority, Priority::kHigh);
  EXPECT_EQ(t->channel, Channel::kEmail);
  EXPECT_EQ(t->status, Status::kNew);
  EXPECT_EQ(t->customer.email, "ana@example.com");
  EXPECT_EQ(t->customer.name, "Ana Lima");
  EXPECT_EQ(t->tags, (std::vector<std::string>{"refund", "vip"}));
  EXPECT_EQ(t->create_time, kT0);  // Exact to the microsecond.
  EXPECT_EQ(t->version, 1);
  EXPECT_EQ(t->access_key_hash, "hash");
  EXPECT_FALSE(t->solve_time.has_value());
  EXPECT_FALSE(t->rating.has_value());
  EXPECT_EQ(store_->GetTicket(id + 100).status().code(), StatusCode::kNotFound);
}

TEST_F(PostgresTicketStoreTest, CustomerIsFoundByEmailAndKeepsItsName) {
  Create("bo@example.com");
  Ticket other = Draft("bo@example.com");
  other.customer.name = "Someone Else";
  auto r = store_->CreateTicket(other, "", {"x", ActorRole::kCustomer});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->ticket.customer.name, "Ana Lima");
  EXPECT_EQ(r->ticket.customer.id, store_->GetTicket(1)->customer.id);
}

TEST_F(PostgresTicketStoreTest, ParallelFirstTicketsOfANewCustomerAllSucceed) {
  constexpr int kThreads = 8;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int round = 0; round < 5; ++round) {
    const std::string email = "new" + std::to_string(round) + "@example.com";
    for (int i = 0; i < kThreads; ++i) {
      threads.emplace_back([&, email] {
        auto r = store_->CreateTicket(Draft(email), "",
                                      {email, ActorRole::kCustomer});
        if (!r.ok()) ++failures;
      });
    }
    for (auto& t : threads) t.join();
    threads.clear();
  }
  EXPECT_EQ(failures.load(), 0);
  TicketQuery q;
  q.customer_email = "new0@example.com";
  auto tickets = store_->ListTickets(q, 0, 100);
  ASSERT_TRUE(tickets.ok());
  ASSERT_EQ(tickets->size(), static_cast<size_t>(kThreads));
  for (const Ticket& t : *tickets) {
    EXPECT_EQ(t.customer.id, (*tickets)[0].customer.id);
  }
}

TEST_F(PostgresTicketStoreTest, CommittedWritesNotifyListeners) {
  common::PgNotifier listener(*url_, kEventChannel);
  listener.Start();
  const uint64_t listening = listener.WaitForChange(0, absl::Seconds(10));
  ASSERT_GE(listening, 1u) << "the listener did not connect";
  common::PgNotifyPublisher publisher(*url_, kEventChannel);
  publisher.Start();
  PostgresTicketStore store(*pool_, &publisher);
  ASSERT_TRUE(
      store.CreateTicket(Draft(), "", {"x", ActorRole::kCustomer}).ok());
  const uint64_t after_create =
      listener.WaitForChange(listening, absl::Seconds(10));
  EXPECT_GT(after_create, listening);
  ASSERT_TRUE(store.MutateTicket(1, "", SetStatus(Status::kOpen, kT0)).ok());
  EXPECT_GT(listener.WaitForChange(after_create, absl::Seconds(10)),
            after_create);
  // The listener can hear a NOTIFY before the publisher has counted it.
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (publisher.sent() < 2 && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(5));
  }
  EXPECT_EQ(publisher.sent(), 2u);
}

TEST_F(PostgresTicketStoreTest, RequestIdReplaysTheFirstTicket) {
  const int64_t first = Create("ana@example.com", "req-1");
  auto again = store_->CreateTicket(Draft(), "req-1",
                                    {"ana@example.com", ActorRole::kCustomer});
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->replayed);
  EXPECT_EQ(again->ticket.id, first);
  EXPECT_EQ(ReadAll().size(), 1u);
  auto stolen = store_->CreateTicket(Draft("eve@example.com"), "req-1",
                                     {"eve@example.com", ActorRole::kCustomer});
  EXPECT_EQ(stolen.status().code(), StatusCode::kAlreadyExists);
}

TEST_F(PostgresTicketStoreTest,
       MutateBumpsVersionAndAppendsEventWithSnapshots) {
  const int64_t id = Create();
  Comment note;
  note.visibility = Visibility::kInternal;
  note.body = "checking with the warehouse";
  note.author = "alice";
  note.author_role = ActorRole::kAgent;
  auto r = store_->MutateTicket(
      id, "", SetStatus(Status::kOnHold, kT0 + absl::Seconds(5), note));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(r->changed);
  EXPECT_EQ(r->ticket.version, 2);
  EXPECT_GT(r->comment->id, 0);
  Ticket now = *store_->GetTicket(id);
  EXPECT_EQ(now.status, Status::kOnHold);
  EXPECT_EQ(now.update_time, kT0 + absl::Seconds(5));
  absl::StatusOr<std::vector<TicketEvent>> events =
      store_->ListTicketEvents(id, 0, 10);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 2u);
  const TicketEvent& created = (*events)[0];
  EXPECT_EQ(created.type, EventType::kCreated);
  EXPECT_FALSE(created.before.has_value());
  EXPECT_EQ(created.actor.role, ActorRole::kCustomer);
  const TicketEvent& changed = (*events)[1];
  EXPECT_EQ(changed.type, EventType::kStatusChanged);
  EXPECT_EQ(changed.ticket_version, 2);
  EXPECT_EQ(changed.before->status, Status::kNew);
  EXPECT_EQ(changed.after.status, Status::kOnHold);
  EXPECT_EQ(changed.after.tags, (std::vector<std::string>{"refund", "vip"}));
  EXPECT_EQ(changed.after.customer.email, "ana@example.com");
  EXPECT_EQ(changed.reason, "why");
  EXPECT_EQ(changed.time, kT0 + absl::Seconds(5));
  ASSERT_TRUE(changed.comment.has_value());
  EXPECT_EQ(changed.comment->body, "checking with the warehouse");
  EXPECT_EQ(changed.comment->visibility, Visibility::kInternal);
  EXPECT_EQ(store_->ListTicketEvents(id, 1, 10)->size(), 1u);
  EXPECT_EQ(store_->ListTicketEvents(id + 9, 0, 10).status().code(),
            StatusCode::kNotFound);
}

TEST_F(PostgresTicketStoreTest, FailedDecisionWritesNothing) {
  const int64_t id = Create();
  auto r = store_->MutateTicket(
      id, "", [](const Ticket&) -> absl::StatusOr<std::optional<TicketChange>> {
        return absl::FailedPreconditionError("no");
      });
  EXPECT_EQ(r.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(store_->GetTicket(id)->version, 1);
  EXPECT_EQ(ReadAll().size(), 1u);
  EXPECT_EQ(store_->MutateTicket(id + 5, "", SetStatus(Status::kOpen, kT0))
                .status()
                .code(),
            StatusCode::kNotFound);
}

TEST_F(PostgresTicketStoreTest, ReplayedRequestIdIsANoOp) {
  const int64_t id = Create();
  ASSERT_TRUE(
      store_->MutateTicket(id, "esc-1", SetStatus(Status::kOpen, kT0)).ok());
  auto again =
      store_->MutateTicket(id, "esc-1", SetStatus(Status::kPending, kT0));
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->changed);
  EXPECT_TRUE(again->replayed);
  EXPECT_FALSE(again->comment.has_value());
  EXPECT_EQ(again->ticket.status, Status::kOpen);
  EXPECT_EQ(store_->GetTicket(id)->version, 2);
}

TEST_F(PostgresTicketStoreTest, ReplayedRequestIdReturnsTheCommentItAdded) {
  const int64_t id = Create("a@example.com");
  const int64_t other = Create("b@example.com");
  Comment note;
  note.visibility = Visibility::kInternal;
  note.body = "Escalated: no first response";
  note.author = "cxdesk-escalationd";
  note.author_role = ActorRole::kService;
  auto first = store_->MutateTicket(
      id, "esc-note-1", SetStatus(Status::kOpen, kT0 + absl::Seconds(1), note));
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_TRUE(first->comment.has_value());
  EXPECT_FALSE(first->replayed);

  Comment different = note;
  different.body = "a second note";
  auto again = store_->MutateTicket(
      id, "esc-note-1",
      SetStatus(Status::kPending, kT0 + absl::Seconds(9), different));
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_TRUE(again->replayed);
  EXPECT_FALSE(again->changed);
  EXPECT_EQ(again->ticket.status, Status::kOpen);
  EXPECT_EQ(again->ticket.version, 2);
  ASSERT_TRUE(again->comment.has_value());
  EXPECT_EQ(again->comment->id, first->comment->id);
  EXPECT_EQ(again->comment->ticket_id, id);
  EXPECT_EQ(again->comment->visibility, Visibility::kInternal);
  EXPECT_EQ(again->comment->body, "Escalated: no first response");
  EXPECT_EQ(again->comment->author, "cxdesk-escalationd");
  EXPECT_EQ(again->comment->author_role, ActorRole::kService);
  EXPECT_EQ(again->comment->create_time, kT0 + absl::Seconds(1));
  EXPECT_EQ(store_->ListComments(id, true, 0, 10)->size(), 1u);
  EXPECT_EQ(store_->ListTicketEvents(id, 0, 10)->size(), 2u);

  // The key is global: on another ticket it is a replay too, answering the
  // comment of the first ticket (the manager refuses to hand it out).
  auto elsewhere = store_->MutateTicket(
      other, "esc-note-1", SetStatus(Status::kOpen, kT0, different));
  ASSERT_TRUE(elsewhere.ok()) << elsewhere.status();
  EXPECT_TRUE(elsewhere->replayed);
  EXPECT_EQ(elsewhere->ticket.id, other);
  EXPECT_EQ(elsewhere->ticket.version, 1);
  ASSERT_TRUE(elsewhere->comment.has_value());
  EXPECT_EQ(elsewhere->comment->ticket_id, id);
  EXPECT_TRUE(store_->ListComments(other, true, 0, 10)->empty());

  // A key whose change added no comment replays without one.
  ASSERT_TRUE(
      store_->MutateTicket(other, "esc-raise-1", SetStatus(Status::kOpen, kT0))
          .ok());
  auto raised = store_->MutateTicket(other, "esc-raise-1",
                                     SetStatus(Status::kPending, kT0, note));
  ASSERT_TRUE(raised.ok()) << raised.status();
  EXPECT_TRUE(raised->replayed);
  EXPECT_FALSE(raised->comment.has_value());
  EXPECT_EQ(raised->ticket.status, Status::kOpen);
  EXPECT_EQ(store_->GetTicket(other)->version, 2);
  EXPECT_EQ(ReadAll().size(), 4u);  // Two created, the note, the raise.
}

TEST_F(PostgresTicketStoreTest, RatingAndSolveTimeArePersisted) {
  const int64_t id = Create();
  auto solve =
      [](const Ticket& current) -> absl::StatusOr<std::optional<TicketChange>> {
    Ticket after = current;
    after.status = Status::kSolved;
    after.solve_time = kT0 + absl::Minutes(3);
    after.rating = Rating{4, "quick", kT0 + absl::Minutes(4)};
    return std::optional<TicketChange>(
        TicketChange{after,
                     EventType::kRated,
                     {"ana@example.com", ActorRole::kCustomer},
                     "",
                     std::nullopt,
                     kT0 + absl::Minutes(4)});
  };
  ASSERT_TRUE(store_->MutateTicket(id, "", solve).ok());
  Ticket t = *store_->GetTicket(id);
  EXPECT_EQ(t.solve_time, kT0 + absl::Minutes(3));
  ASSERT_TRUE(t.rating.has_value());
  EXPECT_EQ(t.rating->score, 4);
  EXPECT_EQ(t.rating->comment, "quick");
  EXPECT_EQ(t.rating->time, kT0 + absl::Minutes(4));
}

TEST_F(PostgresTicketStoreTest, CommentsFilterInternalNotesAndPage) {
  const int64_t id = Create();
  auto none = store_->ListComments(id, true, 0, 10);
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_TRUE(none->empty());
  for (Visibility v :
       {Visibility::kPublic, Visibility::kInternal, Visibility::kPublic}) {
    Comment c;
    c.visibility = v;
    c.body = std::string(Name(v));
    c.author = "alice";
    c.author_role = ActorRole::kAgent;
    ASSERT_TRUE(
        store_->MutateTicket(id, "", SetStatus(Status::kOpen, kT0, c)).ok());
  }
  auto all = store_->ListComments(id, true, 0, 10);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 3u);
  auto visible = store_->ListComments(id, false, 0, 10);
  ASSERT_EQ(visible->size(), 2u);
  EXPECT_EQ((*visible)[1].body, "public");
  auto after_first = store_->ListComments(id, true, (*all)[0].id, 1);
  ASSERT_EQ(after_first->size(), 1u);
  EXPECT_EQ((*after_first)[0].body, "internal");
  EXPECT_EQ(store_->ListComments(id + 1, true, 0, 10).status().code(),
            StatusCode::kNotFound);
}

TEST_F(PostgresTicketStoreTest, ListFiltersAndOrders) {
  Create("a@example.com");  // 1
  Create("b@example.com");  // 2
  Create("a@example.com");  // 3
  ASSERT_TRUE(
      store_->MutateTicket(2, "", SetStatus(Status::kPending, kT0)).ok());
  auto assign =
      [](const Ticket& current) -> absl::StatusOr<std::optional<TicketChange>> {
    Ticket after = current;
    after.assignee = "bob";
    after.team = "care";
    after.priority = Priority::kUrgent;
    after.tags = {"billing"};
    return std::optional<TicketChange>(
        TicketChange{after,
                     EventType::kAssigned,
                     {"alice", ActorRole::kAgent},
                     "",
                     std::nullopt,
                     kT0 + absl::Hours(1)});
  };
  ASSERT_TRUE(store_->MutateTicket(3, "", assign).ok());
  auto ids = [&](const TicketQuery& q, int64_t offset = 0, int limit = 10) {
    std::vector<int64_t> out;
    auto tickets = store_->ListTickets(q, offset, limit);
    EXPECT_TRUE(tickets.ok()) << tickets.status();
    if (tickets.ok()) {
      for (const Ticket& t : *tickets) out.push_back(t.id);
    }
    return out;
  };
  TicketQuery q;
  EXPECT_EQ(ids(q), (std::vector<int64_t>{3, 2, 1}));
  EXPECT_EQ(ids(q, 1, 1), (std::vector<int64_t>{2}));
  q.order_by = "create_time";
  EXPECT_EQ(ids(q), (std::vector<int64_t>{1, 2, 3}));
  q.order_by = "update_time desc";
  EXPECT_EQ(ids(q).front(), 3);
  q.order_by = "priority desc";
  EXPECT_EQ(ids(q).front(), 3);
  q = {};
  q.statuses = {Status::kPending, Status::kOpen};
  EXPECT_EQ(ids(q), (std::vector<int64_t>{2}));
  q = {};
  q.customer_email = "a@example.com";
  EXPECT_EQ(ids(q), (std::vector<int64_t>{3, 1}));
  q = {};
  q.assignee = "bob";
  EXPECT_EQ(ids(q), (std::vector<int64_t>{3}));
  q = {};
  q.team = "care";
  q.priority = Priority::kUrgent;
  q.tag = "billing";
  EXPECT_EQ(ids(q), (std::vector<int64_t>{3}));
  q = {};
  q.unassigned = true;
  EXPECT_EQ(ids(q), (std::vector<int64_t>{2, 1}));
  q = {};
  q.kind = Kind::kComplaint;
  q.cx_level = CxLevel::kService;
  q.created_after = kT0;
  q.created_before = kT0 + absl::Seconds(1);
  EXPECT_EQ(ids(q), (std::vector<int64_t>{3, 2, 1}));
  q.created_after = kT0 + absl::Microseconds(1);
  EXPECT_TRUE(ids(q).empty());
}

// The heart of the outbox: a transaction that took a lower event id but
// commits later must neither be skipped nor let later events jump ahead.
TEST_F(PostgresTicketStoreTest, LateCommitIsNeitherSkippedNorOvertaken) {
  const int64_t first = Create("a@example.com");
  const int64_t second = Create("b@example.com");
  std::vector<TicketEvent> before = ReadAll();
  ASSERT_EQ(before.size(), 2u);
  const common::EventCursor cursor = before.back().cursor;

  // A writer locks ticket 1 and appends its event, then stalls before commit.
  pqxx::connection slow_conn(*url_);
  pqxx::work slow(slow_conn);
  slow.exec_params("SELECT id FROM ticket.tickets WHERE id = $1 FOR UPDATE",
                   first);
  slow.exec_params(
      "INSERT INTO ticket.events (ticket_id, ticket_version, type, actor,"
      " actor_role, created_at, subject, kind, priority, channel, status, tags,"
      " assignee, team, updated_at) SELECT id, 50, 'updated', 'slow', 'agent',"
      " now(), subject, kind, priority, channel, status, tags, assignee, team,"
      " now() FROM ticket.tickets WHERE id = $1",
      first);
  // Meanwhile a later transaction on ticket 2 commits (higher id and xid).
  ASSERT_TRUE(
      store_->MutateTicket(second, "", SetStatus(Status::kOpen, kT0)).ok());

  auto held = store_->ReadEvents(cursor, 100);
  ASSERT_TRUE(held.ok()) << held.status();
  EXPECT_TRUE(held->events.empty()) << "a later event overtook an open one";
  EXPECT_TRUE(held->held_back);

  // The latest cursor stops before the open transaction too: a watch
  // after it still gets both events once the slow writer commits.
  absl::StatusOr<common::EventCursor> latest = store_->LatestEventCursor();
  ASSERT_TRUE(latest.ok()) << latest.status();
  EXPECT_EQ(*latest, cursor);

  slow.commit();
  std::vector<TicketEvent> after = ReadAll(cursor);
  ASSERT_EQ(after.size(), 2u);
  EXPECT_EQ(after[0].ticket_id, first);
  EXPECT_EQ(after[0].actor.name, "slow");
  EXPECT_EQ(after[1].ticket_id, second);
  latest = store_->LatestEventCursor();
  ASSERT_TRUE(latest.ok()) << latest.status();
  EXPECT_EQ(*latest, after[1].cursor);
}

TEST_F(PostgresTicketStoreTest, LatestEventCursorOfAnEmptyStreamIsZero) {
  absl::StatusOr<common::EventCursor> latest = store_->LatestEventCursor();
  ASSERT_TRUE(latest.ok()) << latest.status();
  EXPECT_EQ(*latest, common::EventCursor{});
  Create("a@example.com");
  latest = store_->LatestEventCursor();
  ASSERT_TRUE(latest.ok()) << latest.status();
  EXPECT_EQ(*latest, ReadAll().back().cursor);
  EXPECT_TRUE(ReadAll(*latest).empty());
}

TEST_F(PostgresTicketStoreTest, ConcurrentWritersKeepEveryTicketInOrder) {
  constexpr int kTickets = 3, kThreads = 6, kChanges = 30;
  for (int i = 0; i < kTickets; ++i) Create("c" + std::to_string(i) + "@x.io");
  std::atomic<int> failures{0};
  std::vector<std::thread> writers;
  for (int w = 0; w < kThreads; ++w) {
    writers.emplace_back([&, w] {
      for (int i = 0; i < kChanges; ++i) {
        const int64_t id = 1 + (w + i) % kTickets;
        const Status s = i % 2 ? Status::kOpen : Status::kPending;
        if (!store_->MutateTicket(id, "", SetStatus(s, kT0)).ok()) ++failures;
      }
    });
  }
  for (auto& t : writers) t.join();
  EXPECT_EQ(failures.load(), 0);
  std::vector<TicketEvent> all = ReadAll();
  ASSERT_EQ(all.size(), static_cast<size_t>(kTickets + kThreads * kChanges));
  std::map<int64_t, int64_t> last_version;
  std::set<int64_t> ids;
  for (const TicketEvent& e : all) {
    EXPECT_TRUE(ids.insert(e.id).second) << "event " << e.id << " repeated";
    EXPECT_EQ(e.ticket_version, last_version[e.ticket_id] + 1)
        << "ticket " << e.ticket_id << " out of order";
    last_version[e.ticket_id] = e.ticket_version;
  }
}

}  // namespace
}  // namespace cxdesk::ticket
