// End-to-end tests of the SLA service: the real cxdesk-ticketd and
// cxdesk-slad binaries (one or more replicas) on loopback, over the real
// PostgreSQL started by tests/run.sh. Each test works on tickets tagged for
// it and a policy of its own matching that tag, so the tests share one
// database without interfering.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <map>
#include <pqxx/pqxx>
#include <set>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "cxdesk/sla/v1/sla_service.grpc.pb.h"
#include "cxdesk/ticket/v1/ticket_service.grpc.pb.h"
#include "google/protobuf/util/message_differencer.h"
#include "services/common/proto_time.h"
#include "services/common/testing/test_database.h"
#include "services/common/token.h"
#include "tests/support/service_process.h"

namespace cxdesk {
namespace {

namespace slapb = ::cxdesk::sla::v1;
namespace ticketpb = ::cxdesk::ticket::v1;
using common::FromProtoDuration;
using common::FromProtoTimestamp;
using common::ToProtoDuration;
using common::ToProtoTimestamp;

absl::Duration Dur(const google::protobuf::Duration& d) {
  return FromProtoDuration(d);
}
absl::Time Time(const google::protobuf::Timestamp& t) {
  return FromProtoTimestamp(t);
}

// Collects every event of WatchSlaEvents (from the start of the ledger)
// with the instant it arrived.
class SlaWatcher {
 public:
  SlaWatcher(const std::string& address, const std::string& token) {
    stub_ = slapb::SlaService::NewStub(
        grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
    context_.AddMetadata("authorization", "Bearer " + token);
    thread_ = std::thread([this] {
      slapb::WatchSlaEventsRequest request;
      auto reader = stub_->WatchSlaEvents(&context_, request);
      slapb::SlaEvent event;
      while (reader->Read(&event)) {
        absl::MutexLock lock(&mu_);
        received_.push_back({event, absl::Now()});
        arrived_.SignalAll();
      }
      reader->Finish();
    });
  }
  ~SlaWatcher() {
    context_.TryCancel();
    thread_.join();
  }

  struct Received {
    slapb::SlaEvent event;
    absl::Time at;
  };

  // Waits until `pred` holds for some event; returns it.
  std::optional<Received> WaitFor(
      const std::function<bool(const slapb::SlaEvent&)>& pred,
      absl::Duration timeout = absl::Seconds(15)) {
    const absl::Time give_up = absl::Now() + timeout;
    absl::MutexLock lock(&mu_);
    size_t checked = 0;
    while (true) {
      for (; checked < received_.size(); ++checked) {
        if (pred(received_[checked].event)) return received_[checked];
      }
      if (absl::Now() >= give_up) return std::nullopt;
      arrived_.WaitWithDeadline(&mu_, give_up);
    }
  }

  std::vector<slapb::SlaEvent> EventsOf(int64_t ticket_id) {
    absl::MutexLock lock(&mu_);
    std::vector<slapb::SlaEvent> out;
    for (const Received& r : received_) {
      if (r.event.ticket_id() == ticket_id) out.push_back(r.event);
    }
    return out;
  }

 private:
  std::unique_ptr<slapb::SlaService::Stub> stub_;
  grpc::ClientContext context_;
  std::thread thread_;
  absl::Mutex mu_;
  absl::CondVar arrived_;
  std::vector<Received> received_ ABSL_GUARDED_BY(mu_);
};

class SlaE2eTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<std::string> url = common::CreateTestDatabase("sla_e2e");
    ASSERT_TRUE(url.ok()) << url.status();
    url_ = new std::string(*url);
    secret_ = new testing::TestSecret(testing::MakeTestSecret());
    suite_start_ = new absl::Time(absl::Now());
    sla_address_ = new std::string(
        absl::StrCat("127.0.0.1:", testing::FreeLoopbackPort()));
    auto ticketd = testing::ServiceProcess::Start(
        CXDESK_TICKETD,
        {"--database-url=" + *url_, "--token-secret-file=" + secret_->path,
         "--sla-target=" + *sla_address_});
    ASSERT_TRUE(ticketd.ok()) << ticketd.status();
    ticketd_ = ticketd->release();
    StartMainReplica();
    ASSERT_NE(slad_, nullptr);
    // A round-the-clock calendar: business time equals elapsed time, so
    // the tests can compute every deadline by hand.
    slapb::CreateCalendarRequest request;
    slapb::Calendar* c = request.mutable_calendar();
    c->set_calendar_id("always");
    c->set_time_zone("UTC");
    for (int d = slapb::WEEKDAY_MONDAY; d <= slapb::WEEKDAY_SUNDAY; ++d) {
      slapb::BusinessHours* h = c->add_hours();
      h->set_weekday(static_cast<slapb::Weekday>(d));
      h->set_start("00:00");
      h->set_end("24:00");
    }
    slapb::Calendar created;
    grpc::ClientContext context;
    Authorize(&context, Token(common::StaffRole::kManager));
    const grpc::Status status =
        SlaStub()->CreateCalendar(&context, request, &created);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }

  static void StartMainReplica() {
    auto slad = testing::ServiceProcess::Start(
        CXDESK_SLAD,
        {"--database-url=" + *url_, "--token-secret-file=" + secret_->path,
         "--ticket-target=" + ticketd_->address(), "--replica=main",
         "--timer-batch=50"},
        absl::Seconds(30), *sla_address_);
    ASSERT_TRUE(slad.ok()) << slad.status();
    slad_ = slad->release();
  }

  static void TearDownTestSuite() {
    delete slad_;
    slad_ = nullptr;
    delete ticketd_;
    ticketd_ = nullptr;
  }

  void SetUp() override {
    ASSERT_NE(ticketd_, nullptr) << "cxdesk-ticketd did not start";
    ASSERT_NE(slad_, nullptr) << "cxdesk-slad did not start";
  }

  static std::unique_ptr<testing::ServiceProcess> StartReplica(
      const std::string& name) {
    auto slad = testing::ServiceProcess::Start(
        CXDESK_SLAD,
        {"--database-url=" + *url_, "--token-secret-file=" + secret_->path,
         "--ticket-target=" + ticketd_->address(), "--replica=" + name,
         "--timer-batch=50"});
    EXPECT_TRUE(slad.ok()) << slad.status();
    return slad.ok() ? *std::move(slad) : nullptr;
  }

  static std::string Token(common::StaffRole role,
                           const std::string& who = "maria") {
    return *common::SignToken({who, role, absl::Now() + absl::Hours(1)},
                              secret_->value);
  }
  static void Authorize(grpc::ClientContext* context,
                        const std::string& token) {
    context->AddMetadata("authorization", "Bearer " + token);
    context->set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
  }
  static std::unique_ptr<slapb::SlaService::Stub> SlaStub() {
    return slapb::SlaService::NewStub(
        grpc::CreateChannel(*sla_address_, grpc::InsecureChannelCredentials()));
  }
  static std::unique_ptr<ticketpb::TicketService::Stub> TicketStub() {
    return ticketpb::TicketService::NewStub(grpc::CreateChannel(
        ticketd_->address(), grpc::InsecureChannelCredentials()));
  }

  // A policy for tickets tagged `tag`, priority high, with `targets`.
  static slapb::Policy MakePolicy(const std::string& id, const std::string& tag,
                                  const std::vector<slapb::Target>& targets) {
    static std::atomic<int> position{1};
    slapb::Policy p;
    p.set_policy_id(id);
    p.set_position(position++);
    p.mutable_conditions()->add_tags_any(tag);
    for (const slapb::Target& t : targets) *p.add_targets() = t;
    return p;
  }
  static slapb::Target MakeTarget(slapb::Metric metric, absl::Duration target,
                                  int warn_percent = 0) {
    slapb::Target t;
    t.set_priority(ticketpb::PRIORITY_HIGH);
    t.set_metric(metric);
    ToProtoDuration(target, t.mutable_target());
    t.set_calendar_id("always");
    if (warn_percent > 0) t.add_warnings()->set_percent_elapsed(warn_percent);
    return t;
  }
  static void CreatePolicy(const slapb::Policy& policy) {
    slapb::CreatePolicyRequest request;
    *request.mutable_policy() = policy;
    slapb::Policy created;
    grpc::ClientContext context;
    Authorize(&context, Token(common::StaffRole::kManager));
    const grpc::Status status =
        SlaStub()->CreatePolicy(&context, request, &created);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }

  static ticketpb::CreateTicketResponse Open(
      const std::string& tag, ticketpb::TicketService::Stub* stub = nullptr) {
    std::unique_ptr<ticketpb::TicketService::Stub> own;
    if (stub == nullptr) {
      own = TicketStub();
      stub = own.get();
    }
    ticketpb::CreateTicketRequest r;
    r.set_subject("The parcel never arrived");
    r.set_description("Order 7731, tracking says delivered.");
    r.set_kind(ticketpb::KIND_COMPLAINT);
    r.set_cx_level(ticketpb::CX_LEVEL_SERVICE);
    r.set_priority(ticketpb::PRIORITY_HIGH);
    r.set_channel(ticketpb::CHANNEL_EMAIL);
    r.set_customer_email("lea@example.com");
    r.add_tags(tag);
    ticketpb::CreateTicketResponse created;
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
    const grpc::Status status = stub->CreateTicket(&context, r, &created);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return created;
  }

  static void Reply(int64_t ticket_id, const std::string& agent = "alice") {
    ticketpb::AddCommentRequest r;
    r.set_ticket_id(ticket_id);
    r.set_visibility(ticketpb::VISIBILITY_PUBLIC);
    r.set_body("We are on it.");
    ticketpb::Comment comment;
    grpc::ClientContext context;
    Authorize(&context, Token(common::StaffRole::kAgent, agent));
    const grpc::Status status = TicketStub()->AddComment(&context, r, &comment);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }

  static ticketpb::Ticket SetStatus(int64_t ticket_id, ticketpb::Status to) {
    ticketpb::ChangeTicketStatusRequest r;
    r.set_ticket_id(ticket_id);
    r.set_status(to);
    ticketpb::Ticket ticket;
    grpc::ClientContext context;
    Authorize(&context, Token(common::StaffRole::kAgent, "alice"));
    const grpc::Status status =
        TicketStub()->ChangeTicketStatus(&context, r, &ticket);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return ticket;
  }

  static slapb::TicketSla GetTicketSla(int64_t ticket_id) {
    slapb::GetTicketSlaRequest r;
    r.set_ticket_id(ticket_id);
    slapb::TicketSla out;
    grpc::ClientContext context;
    Authorize(&context, Token(common::StaffRole::kAgent, "alice"));
    const grpc::Status status = SlaStub()->GetTicketSla(&context, r, &out);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return out;
  }

  static const slapb::SlaClock* FindClock(const slapb::TicketSla& view,
                                          slapb::Metric metric) {
    for (const slapb::SlaClock& c : view.clocks()) {
      if (c.metric() == metric) return &c;
    }
    return nullptr;
  }

  // Runs `sql` against the test database and returns the first row's
  // integer columns.
  static std::vector<int64_t> QueryInts(const std::string& sql) {
    pqxx::connection conn(*url_);
    pqxx::nontransaction txn(conn);
    pqxx::result rows = txn.exec(sql);
    std::vector<int64_t> out;
    if (rows.empty()) return out;
    for (const auto& field : rows[0]) out.push_back(field.as<int64_t>(0));
    return out;
  }

  static std::string IdList(const std::vector<int64_t>& ids) {
    return absl::StrCat("ARRAY[", absl::StrJoin(ids, ","), "]::bigint[]");
  }

  // Creates `n` tagged tickets from 8 threads; returns their ids.
  static std::vector<int64_t> OpenMany(const std::string& tag, int n) {
    absl::Mutex mu;
    std::vector<int64_t> ids;
    std::vector<std::thread> threads;
    std::atomic<int> next{0};
    for (int t = 0; t < 8; ++t) {
      threads.emplace_back([&] {
        auto stub = TicketStub();
        while (next.fetch_add(1) < n) {
          const int64_t id = Open(tag, stub.get()).ticket().id();
          absl::MutexLock lock(&mu);
          ids.push_back(id);
        }
      });
    }
    for (auto& t : threads) t.join();
    return ids;
  }

  // Waits until `sql` (one integer) returns `want`; returns the last value.
  static int64_t WaitForCount(const std::string& sql, int64_t want,
                              absl::Duration timeout) {
    const absl::Time give_up = absl::Now() + timeout;
    int64_t got = -1;
    while (absl::Now() < give_up) {
      got = QueryInts(sql).at(0);
      if (got == want) return got;
      absl::SleepFor(absl::Milliseconds(100));
    }
    return got;
  }

  static std::string* url_;
  static testing::TestSecret* secret_;
  static testing::ServiceProcess* ticketd_;
  static testing::ServiceProcess* slad_;
  static std::string* sla_address_;
  static absl::Time* suite_start_;
};
std::string* SlaE2eTest::url_ = nullptr;
testing::TestSecret* SlaE2eTest::secret_ = nullptr;
testing::ServiceProcess* SlaE2eTest::ticketd_ = nullptr;
testing::ServiceProcess* SlaE2eTest::slad_ = nullptr;
std::string* SlaE2eTest::sla_address_ = nullptr;
absl::Time* SlaE2eTest::suite_start_ = nullptr;

TEST_F(SlaE2eTest, BreachArrivesOnTheStreamWithinASecondOfItsDeadline) {
  CreatePolicy(MakePolicy(
      "breach-2s", "e2e-breach",
      {MakeTarget(slapb::METRIC_FIRST_RESPONSE, absl::Seconds(2), 50)}));
  SlaWatcher watcher(*sla_address_, Token(common::StaffRole::kAgent));
  const ticketpb::Ticket ticket = Open("e2e-breach").ticket();
  const absl::Time created = Time(ticket.create_time());

  auto warned = watcher.WaitFor([&](const slapb::SlaEvent& e) {
    return e.ticket_id() == ticket.id() &&
           e.kind() == slapb::SLA_EVENT_KIND_WARNED;
  });
  ASSERT_TRUE(warned.has_value());
  EXPECT_EQ(Time(warned->event.occur_time()), created + absl::Seconds(1));
  EXPECT_EQ(warned->event.warning().percent_elapsed(), 50);

  auto breached = watcher.WaitFor([&](const slapb::SlaEvent& e) {
    return e.ticket_id() == ticket.id() &&
           e.kind() == slapb::SLA_EVENT_KIND_BREACHED;
  });
  ASSERT_TRUE(breached.has_value());
  const absl::Time deadline = created + absl::Seconds(2);
  EXPECT_EQ(Time(breached->event.deadline()), deadline);
  EXPECT_EQ(Time(breached->event.occur_time()), deadline);
  EXPECT_EQ(breached->event.metric(), slapb::METRIC_FIRST_RESPONSE);
  EXPECT_EQ(breached->event.policy_id(), "breach-2s");
  EXPECT_GE(Time(breached->event.record_time()), deadline);
  // The promise of the product: fired at the deadline, not at a poll.
  EXPECT_LT(breached->at - deadline, absl::Seconds(1))
      << "arrived " << (breached->at - deadline) << " after the deadline";

  const slapb::TicketSla view = GetTicketSla(ticket.id());
  const slapb::SlaClock* clock = FindClock(view, slapb::METRIC_FIRST_RESPONSE);
  ASSERT_NE(clock, nullptr);
  EXPECT_TRUE(clock->breached());
  EXPECT_EQ(clock->state(), slapb::CLOCK_STATE_RUNNING);
  EXPECT_LT(Dur(clock->remaining_business()), absl::ZeroDuration());
}

TEST_F(SlaE2eTest, PublicReplyBeforeTheDeadlineMeetsItAndNoBreachFires) {
  CreatePolicy(
      MakePolicy("reply-3s", "e2e-reply",
                 {MakeTarget(slapb::METRIC_FIRST_RESPONSE, absl::Seconds(3))}));
  SlaWatcher watcher(*sla_address_, Token(common::StaffRole::kAgent));
  const ticketpb::Ticket ticket = Open("e2e-reply").ticket();
  ASSERT_TRUE(watcher.WaitFor([&](const slapb::SlaEvent& e) {
    return e.ticket_id() == ticket.id() &&
           e.kind() == slapb::SLA_EVENT_KIND_STARTED;
  }));
  Reply(ticket.id());
  auto met = watcher.WaitFor([&](const slapb::SlaEvent& e) {
    return e.ticket_id() == ticket.id() &&
           e.kind() == slapb::SLA_EVENT_KIND_MET;
  });
  ASSERT_TRUE(met.has_value());
  EXPECT_FALSE(met->event.met_late());
  EXPECT_EQ(met->event.actor(), "alice");
  EXPECT_EQ(Dur(met->event.business_time()), Dur(met->event.calendar_time()));
  EXPECT_EQ(Time(met->event.occur_time()) - Time(ticket.create_time()),
            Dur(met->event.calendar_time()));

  // Past the deadline (plus a margin), still no breach or warning.
  absl::SleepFor(Time(ticket.create_time()) + absl::Seconds(4) - absl::Now());
  for (const slapb::SlaEvent& e : watcher.EventsOf(ticket.id())) {
    EXPECT_NE(e.kind(), slapb::SLA_EVENT_KIND_BREACHED);
  }
  EXPECT_EQ(QueryInts(absl::StrCat(
                          "SELECT count(*) FROM sla.timers WHERE ticket_id = ",
                          ticket.id(), " AND fired_at IS NULL"))
                .at(0),
            0);
  const slapb::SlaClock* clock =
      FindClock(GetTicketSla(ticket.id()), slapb::METRIC_FIRST_RESPONSE);
  ASSERT_NE(clock, nullptr);
  EXPECT_EQ(clock->state(), slapb::CLOCK_STATE_MET);
  EXPECT_FALSE(clock->breached());
}

TEST_F(SlaE2eTest, PendingPausesTheClockAndMovesTheDeadlineByThePausedTime) {
  CreatePolicy(
      MakePolicy("pause-1h", "e2e-pause",
                 {MakeTarget(slapb::METRIC_RESOLUTION, absl::Hours(1))}));
  SlaWatcher watcher(*sla_address_, Token(common::StaffRole::kAgent));
  const ticketpb::Ticket ticket = Open("e2e-pause").ticket();
  ASSERT_TRUE(watcher.WaitFor([&](const slapb::SlaEvent& e) {
    return e.ticket_id() == ticket.id() &&
           e.kind() == slapb::SLA_EVENT_KIND_STARTED;
  }));
  const slapb::SlaClock* before =
      FindClock(GetTicketSla(ticket.id()), slapb::METRIC_RESOLUTION);
  ASSERT_NE(before, nullptr);
  const absl::Time deadline_before = Time(before->deadline());
  EXPECT_EQ(deadline_before, Time(ticket.create_time()) + absl::Hours(1));

  const absl::Time paused_at =
      Time(SetStatus(ticket.id(), ticketpb::STATUS_PENDING).update_time());
  absl::SleepFor(absl::Milliseconds(300));
  const absl::Time resumed_at =
      Time(SetStatus(ticket.id(), ticketpb::STATUS_OPEN).update_time());
  auto resumed = watcher.WaitFor([&](const slapb::SlaEvent& e) {
    return e.ticket_id() == ticket.id() &&
           e.kind() == slapb::SLA_EVENT_KIND_RESUMED;
  });
  ASSERT_TRUE(resumed.has_value());
  EXPECT_EQ(Dur(resumed->event.pause_elapsed()), resumed_at - paused_at);
  EXPECT_EQ(Dur(resumed->event.pause_business()), resumed_at - paused_at);

  const slapb::TicketSla view = GetTicketSla(ticket.id());
  const slapb::SlaClock* after = FindClock(view, slapb::METRIC_RESOLUTION);
  ASSERT_NE(after, nullptr);
  EXPECT_EQ(Time(after->deadline()) - deadline_before, resumed_at - paused_at);
  ASSERT_EQ(after->pauses_size(), 1);
  EXPECT_EQ(after->pauses(0).status(), ticketpb::STATUS_PENDING);
  EXPECT_EQ(after->pauses(0).actor(), "alice");
  EXPECT_EQ(Dur(after->paused_business()), resumed_at - paused_at);
  EXPECT_TRUE(absl::StrContains(after->explanation(), "paused 1 time"))
      << after->explanation();
}

TEST_F(SlaE2eTest, CustomerViewShowsThePromiseFromTheSlaService) {
  CreatePolicy(
      MakePolicy("promise-1h", "e2e-promise",
                 {MakeTarget(slapb::METRIC_FIRST_RESPONSE, absl::Hours(1))}));
  const ticketpb::CreateTicketResponse created = Open("e2e-promise");
  const absl::Time due = Time(created.ticket().create_time()) + absl::Hours(1);
  ticketpb::TicketStatusView view;
  const absl::Time give_up = absl::Now() + absl::Seconds(10);
  do {
    ticketpb::GetTicketStatusRequest r;
    r.set_ticket_id(created.ticket().id());
    grpc::ClientContext context;
    context.AddMetadata("x-cxdesk-access-key", created.access_key());
    ASSERT_TRUE(TicketStub()->GetTicketStatus(&context, r, &view).ok());
    if (!view.promise().empty()) break;
    absl::SleepFor(absl::Milliseconds(100));
  } while (absl::Now() < give_up);
  // The customer's minute is rounded up: a promise, not a deadline missed.
  const absl::Time minute =
      absl::UnixEpoch() + absl::Ceil(due - absl::UnixEpoch(), absl::Minutes(1));
  EXPECT_EQ(view.promise(),
            absl::StrCat("We will respond by ",
                         absl::FormatTime("%Y-%m-%d %H:%M UTC", minute,
                                          absl::UTCTimeZone())));
  EXPECT_EQ(Time(view.promise_time()), due);
}

TEST_F(SlaE2eTest, ConfigurationIsForManagersAndBadInputNamesTheField) {
  auto stub = SlaStub();
  slapb::CreateCalendarRequest request;
  request.mutable_calendar()->set_calendar_id("office");
  request.mutable_calendar()->set_time_zone("Europe/Berlin");
  slapb::BusinessHours* h = request.mutable_calendar()->add_hours();
  h->set_weekday(slapb::WEEKDAY_MONDAY);
  h->set_start("09:00");
  h->set_end("17:00");
  slapb::Calendar out;
  {
    grpc::ClientContext context;
    EXPECT_EQ(stub->CreateCalendar(&context, request, &out).error_code(),
              grpc::StatusCode::UNAUTHENTICATED);
  }
  {
    grpc::ClientContext context;
    Authorize(&context, Token(common::StaffRole::kAgent));
    EXPECT_EQ(stub->CreateCalendar(&context, request, &out).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
  }
  {
    slapb::CreateCalendarRequest bad = request;
    bad.mutable_calendar()->set_time_zone("Mars/Olympus");
    grpc::ClientContext context;
    Authorize(&context, Token(common::StaffRole::kManager));
    const grpc::Status status = stub->CreateCalendar(&context, bad, &out);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_TRUE(absl::StartsWith(status.error_message(), "calendar.time_zone"))
        << status.error_message();
  }
  {
    slapb::CreateCalendarRequest bad = request;
    bad.mutable_calendar()->mutable_hours(0)->set_end("25:00");
    grpc::ClientContext context;
    Authorize(&context, Token(common::StaffRole::kManager));
    const grpc::Status status = stub->CreateCalendar(&context, bad, &out);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_TRUE(
        absl::StartsWith(status.error_message(), "calendar.hours[0].end"))
        << status.error_message();
  }
  {
    grpc::ClientContext context;
    Authorize(&context, Token(common::StaffRole::kManager));
    ASSERT_TRUE(stub->CreateCalendar(&context, request, &out).ok());
    EXPECT_EQ(out.etag(), "1");
  }
  {
    grpc::ClientContext context;
    Authorize(&context, Token(common::StaffRole::kManager));
    EXPECT_EQ(stub->CreateCalendar(&context, request, &out).error_code(),
              grpc::StatusCode::ALREADY_EXISTS);
  }
  {
    slapb::UpdateCalendarRequest update;
    *update.mutable_calendar() = request.calendar();
    update.mutable_calendar()->mutable_hours(0)->set_end("18:00");
    update.set_etag("1");
    grpc::ClientContext context;
    Authorize(&context, Token(common::StaffRole::kManager));
    ASSERT_TRUE(stub->UpdateCalendar(&context, update, &out).ok());
    EXPECT_EQ(out.etag(), "2");
    EXPECT_EQ(out.hours(0).end(), "18:00");
    grpc::ClientContext stale;
    Authorize(&stale, Token(common::StaffRole::kManager));
    EXPECT_EQ(stub->UpdateCalendar(&stale, update, &out).error_code(),
              grpc::StatusCode::ABORTED);
  }
  {
    slapb::Policy p =
        MakePolicy("uses-nowhere", "e2e-none",
                   {MakeTarget(slapb::METRIC_RESOLUTION, absl::Hours(8))});
    p.mutable_targets(0)->set_calendar_id("no-such-calendar");
    slapb::CreatePolicyRequest create;
    *create.mutable_policy() = p;
    slapb::Policy created;
    grpc::ClientContext context;
    Authorize(&context, Token(common::StaffRole::kManager));
    const grpc::Status status = stub->CreatePolicy(&context, create, &created);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_TRUE(absl::StrContains(status.error_message(), "calendar"))
        << status.error_message();
  }
  {
    // "always" is used by the other tests' policies.
    slapb::DeleteCalendarRequest del;
    del.set_calendar_id("always");
    google::protobuf::Empty empty;
    grpc::ClientContext context;
    Authorize(&context, Token(common::StaffRole::kManager));
    EXPECT_EQ(stub->DeleteCalendar(&context, del, &empty).error_code(),
              grpc::StatusCode::FAILED_PRECONDITION);
  }
  {
    slapb::DeleteCalendarRequest del;
    del.set_calendar_id("office");
    google::protobuf::Empty empty;
    grpc::ClientContext context;
    Authorize(&context, Token(common::StaffRole::kManager));
    EXPECT_TRUE(stub->DeleteCalendar(&context, del, &empty).ok());
  }
}

TEST_F(SlaE2eTest, ReportPercentilesEqualTheLedgerAndSimulationReplaysIt) {
  const slapb::Policy policy =
      MakePolicy("report", "e2e-report",
                 {MakeTarget(slapb::METRIC_FIRST_RESPONSE, absl::Hours(1)),
                  MakeTarget(slapb::METRIC_RESOLUTION, absl::Hours(2))});
  CreatePolicy(policy);
  SlaWatcher watcher(*sla_address_, Token(common::StaffRole::kAgent));
  std::vector<int64_t> ids;
  for (int i = 0; i < 12; ++i) ids.push_back(Open("e2e-report").ticket().id());
  for (size_t i = 0; i < ids.size(); ++i) {
    absl::SleepFor(absl::Milliseconds(20 * (i % 4)));
    Reply(ids[i], i % 2 == 0 ? "alice" : "bob");
    if (i % 2 == 0) SetStatus(ids[i], ticketpb::STATUS_SOLVED);
  }
  // By hand, from the ledger: the first-response measurements.
  std::vector<absl::Duration> business;
  for (int64_t id : ids) {
    auto met = watcher.WaitFor([&](const slapb::SlaEvent& e) {
      return e.ticket_id() == id && e.kind() == slapb::SLA_EVENT_KIND_MET &&
             e.metric() == slapb::METRIC_FIRST_RESPONSE;
    });
    ASSERT_TRUE(met.has_value()) << "ticket " << id;
    business.push_back(Dur(met->event.business_time()));
  }
  for (size_t i = 0; i < ids.size(); i += 2) {
    ASSERT_TRUE(watcher.WaitFor([&](const slapb::SlaEvent& e) {
      return e.ticket_id() == ids[i] && e.kind() == slapb::SLA_EVENT_KIND_MET &&
             e.metric() == slapb::METRIC_RESOLUTION;
    }));
  }
  std::sort(business.begin(), business.end());
  auto rank = [&](double p) {
    const size_t r = static_cast<size_t>(std::ceil(p * business.size()));
    return business[std::max<size_t>(r, 1) - 1];
  };

  slapb::GetSlaReportRequest request;
  ToProtoTimestamp(*suite_start_, request.mutable_start_time());
  ToProtoTimestamp(absl::Now() + absl::Hours(1), request.mutable_end_time());
  request.add_group_by(slapb::REPORT_DIMENSION_POLICY);
  slapb::SlaReport report;
  {
    grpc::ClientContext context;
    Authorize(&context, Token(common::StaffRole::kManager));
    const grpc::Status status =
        SlaStub()->GetSlaReport(&context, request, &report);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }
  const slapb::SlaReportRow* row = nullptr;
  for (const auto& r : report.rows()) {
    if (r.group_values(0) == "report") row = &r;
  }
  ASSERT_NE(row, nullptr);
  EXPECT_EQ(row->tickets(), 12);
  ASSERT_EQ(row->metrics_size(), 2);
  const slapb::MetricReport& first = row->metrics(0);
  EXPECT_EQ(first.metric(), slapb::METRIC_FIRST_RESPONSE);
  EXPECT_EQ(first.clocks(), 12);
  EXPECT_EQ(first.met_on_time(), 12);
  EXPECT_EQ(first.breached(), 0);
  EXPECT_DOUBLE_EQ(first.compliance_percent(), 100.0);
  EXPECT_EQ(first.business_time().count(), 12);
  EXPECT_EQ(Dur(first.business_time().p50()), rank(0.5));
  EXPECT_EQ(Dur(first.business_time().p90()), rank(0.9));
  EXPECT_EQ(Dur(first.business_time().p99()), rank(0.99));
  EXPECT_EQ(Dur(first.business_time().max()), business.back());
  const slapb::MetricReport& resolution = row->metrics(1);
  EXPECT_EQ(resolution.metric(), slapb::METRIC_RESOLUTION);
  EXPECT_EQ(resolution.met_on_time(), 6);
  EXPECT_EQ(resolution.open(), 6);

  // Replaying the ledger under the same policy gives the same figures.
  slapb::SimulatePolicyRequest simulate;
  *simulate.mutable_policy() = policy;
  *simulate.mutable_start_time() = request.start_time();
  *simulate.mutable_end_time() = request.end_time();
  simulate.add_group_by(slapb::REPORT_DIMENSION_POLICY);
  slapb::SlaReport replayed;
  {
    grpc::ClientContext context;
    Authorize(&context, Token(common::StaffRole::kManager));
    const grpc::Status status =
        SlaStub()->SimulatePolicy(&context, simulate, &replayed);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }
  const slapb::SlaReportRow* same = nullptr;
  for (const auto& r : replayed.rows()) {
    if (r.group_values(0) == "report") same = &r;
  }
  ASSERT_NE(same, nullptr);
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(*same, *row))
      << same->DebugString() << "\nvs\n"
      << row->DebugString();

  // Under a draft that allows 1 ms, every first response would have missed.
  *simulate.mutable_policy()->mutable_targets(0)->mutable_target() = [] {
    google::protobuf::Duration d;
    d.set_nanos(1000000);
    return d;
  }();
  {
    grpc::ClientContext context;
    Authorize(&context, Token(common::StaffRole::kManager));
    ASSERT_TRUE(SlaStub()->SimulatePolicy(&context, simulate, &replayed).ok());
  }
  for (const auto& r : replayed.rows()) {
    if (r.group_values(0) != "report") continue;
    EXPECT_EQ(r.metrics(0).breached(), 12);
    EXPECT_DOUBLE_EQ(r.metrics(0).compliance_percent(), 0.0);
  }
}

TEST_F(SlaE2eTest, TwoReplicasFireEachOfAThousandTimersExactlyOnce) {
  CreatePolicy(
      MakePolicy("replicas", "e2e-replicas",
                 {MakeTarget(slapb::METRIC_FIRST_RESPONSE, absl::Seconds(3))}));
  std::unique_ptr<testing::ServiceProcess> second = StartReplica("second");
  ASSERT_NE(second, nullptr);
  const std::vector<int64_t> ids = OpenMany("e2e-replicas", 1000);
  ASSERT_EQ(ids.size(), 1000u);
  const std::string in = IdList(ids);
  EXPECT_EQ(
      WaitForCount(absl::StrCat("SELECT count(*) FROM sla.timers WHERE "
                                "fired_at IS NOT NULL AND ticket_id = ANY(",
                                in, ")"),
                   1000, absl::Seconds(60)),
      1000);
  const std::vector<int64_t> events = QueryInts(absl::StrCat(
      "SELECT count(*), count(DISTINCT ticket_id) FROM sla.events WHERE kind = "
      "'breached' AND ticket_id = ANY(",
      in, ")"));
  EXPECT_EQ(events.at(0), 1000);
  EXPECT_EQ(events.at(1), 1000);
  const std::vector<int64_t> split = QueryInts(absl::StrCat(
      "SELECT count(*) FILTER (WHERE fired_by = 'main'), count(*) FILTER "
      "(WHERE fired_by = 'second'), count(*) FILTER (WHERE outcome <> "
      "'fired') FROM sla.timers WHERE ticket_id = ANY(",
      in, ")"));
  EXPECT_EQ(split.at(0) + split.at(1), 1000);
  EXPECT_EQ(split.at(2), 0);
  std::cout << "timers fired by main: " << split.at(0)
            << ", by second: " << split.at(1) << "\n";
  EXPECT_GT(split.at(0), 0);
  EXPECT_GT(split.at(1), 0);
}

TEST_F(SlaE2eTest, KillingAReplicaDuringABurstLosesNoBreach) {
  CreatePolicy(
      MakePolicy("kill", "e2e-kill",
                 {MakeTarget(slapb::METRIC_FIRST_RESPONSE, absl::Seconds(2))}));
  std::unique_ptr<testing::ServiceProcess> survivor = StartReplica("survivor");
  ASSERT_NE(survivor, nullptr);
  const std::vector<int64_t> ids = OpenMany("e2e-kill", 600);
  const std::string in = IdList(ids);
  // Kill the main replica (which also consumes the ticket stream) as the
  // burst starts falling due.
  const int64_t first_due_ms =
      QueryInts(absl::StrCat("SELECT (extract(epoch FROM min(due)) * "
                             "1000)::bigint FROM sla.timers "
                             "WHERE ticket_id = ANY(",
                             in, ")"))
          .at(0);
  absl::SleepFor(absl::FromUnixMillis(first_due_ms) + absl::Milliseconds(50) -
                 absl::Now());
  slad_->Kill();
  delete slad_;
  slad_ = nullptr;
  EXPECT_EQ(WaitForCount(absl::StrCat("SELECT count(DISTINCT ticket_id) FROM "
                                      "sla.events WHERE kind = 'breached' AND "
                                      "ticket_id = ANY(",
                                      in, ")"),
                         600, absl::Seconds(60)),
            600);
  EXPECT_EQ(QueryInts(absl::StrCat("SELECT count(*) FROM sla.events WHERE kind "
                                   "= 'breached' AND ticket_id = ANY(",
                                   in, ")"))
                .at(0),
            600);
  EXPECT_EQ(QueryInts(absl::StrCat("SELECT count(*) FROM sla.timers WHERE "
                                   "fired_at IS NULL AND ticket_id = ANY(",
                                   in, ")"))
                .at(0),
            0);
  // The survivor takes over the ticket stream as well.
  const int64_t late = Open("e2e-kill").ticket().id();
  EXPECT_EQ(WaitForCount(absl::StrCat("SELECT count(*) FROM sla.events WHERE "
                                      "kind = 'started' AND ticket_id = ",
                                      late),
                         1, absl::Seconds(30)),
            1);
  // Every ticket event was applied exactly once across the crash.
  EXPECT_EQ(QueryInts(absl::StrCat("SELECT count(*) FROM sla.events WHERE kind "
                                   "= 'started' AND ticket_id = ANY(",
                                   in, ")"))
                .at(0),
            600);
  survivor.reset();
  StartMainReplica();
}

}  // namespace
}  // namespace cxdesk
