// Integration tests of PostgresSlaStore against the real PostgreSQL that
// tests/run.sh starts: configuration writes, change application, the timer
// claim under two parallel claimers, the ledger queries and the report SQL
// (checked against report.h's BuildReport).
#include "services/sla/postgres_sla_store.h"

#include <gtest/gtest.h>

#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "services/common/testing/test_database.h"
#include "services/sla/business_time.h"
#include "services/sla/clock_engine.h"
#include "services/sla/sla_engine.h"

namespace cxdesk::sla {
namespace {

using absl::StatusCode;

const absl::Time kT0 = absl::FromUnixMicros(1'767'225'600'000'000);

class PostgresSlaStoreTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<std::string> url = common::CreateTestDatabase("sla_store");
    ASSERT_TRUE(url.ok()) << url.status();
    auto migrator = common::PgPool::Create({*url, 1});
    ASSERT_TRUE(migrator.ok()) << migrator.status();
    ASSERT_TRUE(
        common::ApplyMigrations(**migrator, "sla", SlaMigrations()).ok());
    url_ = new std::string(*url);
  }

  void SetUp() override {
    ASSERT_NE(url_, nullptr) << "suite set-up failed";
    ASSERT_TRUE(common::TruncateSchema(*url_, "sla").ok());
    {
      // The truncation empties the single-row revision table too.
      pqxx::connection conn(*url_);
      pqxx::work txn(conn);
      txn.exec("INSERT INTO sla.config_revision (id, revision) VALUES (1, 1)");
      txn.commit();
    }
    common::PgPool::Options options{*url_, 8};
    options.queries = PostgresSlaStore::PreparedQueries();
    auto pool = common::PgPool::Create(options);
    ASSERT_TRUE(pool.ok()) << pool.status();
    pool_ = *std::move(pool);
    store_ = std::make_unique<PostgresSlaStore>(*pool_, nullptr, nullptr);
  }

  static CalendarRecord Always(const std::string& id = "always") {
    CalendarRecord r;
    r.calendar = TwentyFourSeven(id);
    r.description = "round the clock";
    return r;
  }

  static PolicyRecord FastPolicy(absl::Duration first_response,
                                 int warn_percent = 0) {
    PolicyRecord r;
    r.policy.name = "fast";
    r.policy.is_default = true;
    TargetSpec first{first_response, "always", {}};
    if (warn_percent > 0) {
      first.warnings.push_back(WarningThreshold::PercentElapsed(warn_percent));
    }
    r.policy.targets["high"][Metric::kFirstResponse] = first;
    r.policy.targets["high"][Metric::kResolution] = {
        absl::Hours(8), "always", {}};
    return r;
  }

  static RecordedChange Change(int64_t event_id, int64_t ticket_id,
                               TicketChange::Kind kind, absl::Time at,
                               const std::string& status = "new",
                               const std::string& team = "billing") {
    RecordedChange c;
    c.ticket_event_id = event_id;
    c.ticket_id = ticket_id;
    c.cursor = absl::StrCat("1-", event_id);
    c.change.at = at;
    c.change.kind = kind;
    c.change.actor = kind == TicketChange::Kind::kPublicAgentReply
                         ? "alice"
                         : "ana@example.com";
    c.change.after = {"high", "complaint", "service",        "email",
                      status, {"refund"},  "ana@example.com"};
    c.dims = {team,
              kind == TicketChange::Kind::kPublicAgentReply ? "alice" : ""};
    return c;
  }

  // Applies `change` as the consumer does; returns the update it wrote.
  std::optional<ClockUpdate> Apply(const RecordedChange& change) {
    std::optional<ClockUpdate> written;
    ConfigCache cache(*store_);
    const absl::Status status = store_->ApplyChange(
        "test", change,
        [&](const RecordedChange& c, const std::optional<StoredTicket>& current,
            int64_t revision) -> absl::StatusOr<std::optional<ClockUpdate>> {
          auto config = cache.AtLeast(revision);
          if (!config.ok()) return config.status();
          auto update = ApplyChange(current, c, **config);
          if (!update.ok()) return std::optional<ClockUpdate>();
          written = *update;
          return written;
        });
    EXPECT_TRUE(status.ok()) << status;
    return written;
  }

  int64_t Count(const std::string& sql) {
    pqxx::connection conn(*url_);
    pqxx::nontransaction txn(conn);
    return txn.exec1(sql)[0].as<int64_t>();
  }

  static std::string* url_;
  std::unique_ptr<common::PgPool> pool_;
  std::unique_ptr<PostgresSlaStore> store_;
};
std::string* PostgresSlaStoreTest::url_ = nullptr;

TEST_F(PostgresSlaStoreTest, CalendarsKeepTheirDefinitionAndVersion) {
  CalendarRecord office;
  auto cal = MakeCalendar("office", "Europe/Berlin", {}, {});
  ASSERT_FALSE(cal.ok());  // No business minute at all.
  std::array<std::vector<BusinessInterval>, 7> week;
  week[0] = {{540, 720}, {780, 1020}};  // Monday with a lunch break.
  week[4] = {{540, 900}};
  cal = MakeCalendar("office", "Europe/Berlin", week,
                     {{absl::CivilDay(2026, 12, 25), true, "Christmas"}});
  ASSERT_TRUE(cal.ok()) << cal.status();
  office.calendar = *cal;
  auto created = store_->CreateCalendar(office, kT0);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->version, 1);
  EXPECT_EQ(created->create_time, kT0);
  EXPECT_EQ(created->calendar.time_zone, "Europe/Berlin");
  ASSERT_EQ(created->calendar.week[0].size(), 2u);
  EXPECT_EQ(created->calendar.week[0][1].start_minute, 780);
  ASSERT_EQ(created->calendar.holidays.size(), 1u);
  EXPECT_EQ(created->calendar.holidays[0].title, "Christmas");
  EXPECT_TRUE(created->calendar.holidays[0].yearly);

  EXPECT_EQ(store_->CreateCalendar(office, kT0).status().code(),
            StatusCode::kAlreadyExists);
  office.calendar.week[4] = {{600, 960}};
  auto updated = store_->UpdateCalendar(office, 1, kT0 + absl::Hours(1));
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->version, 2);
  EXPECT_EQ(updated->calendar.week[4][0].start_minute, 600);
  EXPECT_EQ(store_->UpdateCalendar(office, 1, kT0).status().code(),
            StatusCode::kAborted);
  EXPECT_EQ(store_->GetCalendar("nope").status().code(), StatusCode::kNotFound);

  ASSERT_TRUE(store_->CreateCalendar(Always(), kT0).ok());
  auto page = store_->ListCalendars(1, 10);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->size(), 1u);
  EXPECT_EQ(page->front().calendar.name, "office");  // By id, after "always".

  ASSERT_TRUE(store_->CreatePolicy(FastPolicy(absl::Minutes(5)), kT0).ok());
  EXPECT_EQ(store_->DeleteCalendar("always", std::nullopt).code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(store_->DeleteCalendar("office", 1).code(), StatusCode::kAborted);
  EXPECT_TRUE(store_->DeleteCalendar("office", 2).ok());
  EXPECT_EQ(Count("SELECT count(*) FROM sla.calendar_hours WHERE calendar_id "
                  "= 'office'"),
            0);
}

TEST_F(PostgresSlaStoreTest, PoliciesRoundTripAndOnlyOneIsTheDefault) {
  ASSERT_TRUE(store_->CreateCalendar(Always(), kT0).ok());
  PolicyRecord fast = FastPolicy(absl::Minutes(30), 75);
  fast.policy.pause_statuses = {"pending"};
  fast.policy.reopen_restarts_resolution = false;
  ASSERT_TRUE(store_->CreatePolicy(fast, kT0).ok());
  PolicyRecord vip;
  vip.policy.name = "vip";
  vip.policy.position = 1;
  vip.policy.conditions.tags_any = {"vip", "gold \"plus\""};
  vip.policy.conditions.priorities = {"urgent"};
  vip.policy.targets["urgent"][Metric::kNextResponse] = {
      absl::Minutes(10), "always", {WarningThreshold::MinutesBefore(2)}};
  ASSERT_TRUE(store_->CreatePolicy(vip, kT0).ok());

  auto got = store_->GetPolicy("fast");
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_TRUE(got->policy.is_default);
  EXPECT_EQ(got->policy.pause_statuses, std::vector<std::string>{"pending"});
  EXPECT_FALSE(got->policy.reopen_restarts_resolution);
  const TargetSpec* first = got->policy.Target("high", Metric::kFirstResponse);
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(first->target, absl::Minutes(30));
  ASSERT_EQ(first->warnings.size(), 1u);
  EXPECT_EQ(first->warnings[0], WarningThreshold::PercentElapsed(75));

  auto list = store_->ListPolicies(0, 10);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].policy.name, "vip");  // The default comes last.
  EXPECT_EQ((*list)[0].policy.conditions.tags_any[1], "gold \"plus\"");

  PolicyRecord second = FastPolicy(absl::Minutes(1));
  second.policy.name = "another-default";
  EXPECT_EQ(store_->CreatePolicy(second, kT0).status().code(),
            StatusCode::kFailedPrecondition);

  auto config = store_->LoadConfig();
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->revision, 4);  // 1 + calendar + two policies.
  EXPECT_EQ(config->policies.size(), 2u);
  EXPECT_NE(config->FindCalendar("always"), nullptr);
  EXPECT_TRUE(store_->DeletePolicy("vip", std::nullopt).ok());
  EXPECT_EQ(store_->GetPolicy("vip").status().code(), StatusCode::kNotFound);
}

TEST_F(PostgresSlaStoreTest, AChangeIsAppliedOnceAndTheCursorFollows) {
  ASSERT_TRUE(store_->CreateCalendar(Always(), kT0).ok());
  ASSERT_TRUE(store_->CreatePolicy(FastPolicy(absl::Minutes(5), 50), kT0).ok());
  const RecordedChange created =
      Change(10, 7, TicketChange::Kind::kCreated, kT0);
  ASSERT_TRUE(Apply(created).has_value());
  // The same event again (a replay after a crash): nothing is decided.
  EXPECT_FALSE(Apply(created).has_value());
  EXPECT_EQ(Count("SELECT count(*) FROM sla.ticket_changes"), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM sla.events WHERE kind = 'started'"), 2);
  // Breach + warning of first response, breach of resolution.
  EXPECT_EQ(Count("SELECT count(*) FROM sla.timers WHERE fired_at IS NULL"), 3);
  auto cursor = store_->ReadCursor("test");
  ASSERT_TRUE(cursor.ok());
  EXPECT_EQ(*cursor, "1-10");
  auto next = store_->NextTimerDue();
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(*next, kT0 + absl::Seconds(150));

  // The reply meets first response: its two timers are disarmed.
  ASSERT_TRUE(Apply(Change(11, 7, TicketChange::Kind::kPublicAgentReply,
                           kT0 + absl::Minutes(1), "open"))
                  .has_value());
  EXPECT_EQ(Count("SELECT count(*) FROM sla.timers WHERE fired_at IS NULL"), 1);
  auto ticket = store_->GetTicket(7);
  ASSERT_TRUE(ticket.ok()) << ticket.status();
  EXPECT_EQ(ticket->policy_id, "fast");
  EXPECT_EQ(ticket->dims.assignee, "alice");
  EXPECT_EQ(ticket->state.clocks[0].state, ClockState::kMet);
  auto met = store_->ListEvents({7, {SlaTransition::Kind::kMet}}, 0, 10);
  ASSERT_TRUE(met.ok()) << met.status();
  ASSERT_EQ(met->size(), 1u);
  EXPECT_EQ(met->front().business_time, absl::Minutes(1));
  EXPECT_EQ(met->front().calendar_time, absl::Minutes(1));
  EXPECT_EQ(met->front().actor, "alice");
  EXPECT_EQ(met->front().occur_time, kT0 + absl::Minutes(1));
  EXPECT_EQ(store_->GetTicket(8).status().code(), StatusCode::kNotFound);
}

TEST_F(PostgresSlaStoreTest, ABatchAppliesEachNewChangeOnceAndInOrder) {
  ASSERT_TRUE(store_->CreateCalendar(Always(), kT0).ok());
  ASSERT_TRUE(store_->CreatePolicy(FastPolicy(absl::Minutes(5), 50), kT0).ok());
  ConfigCache cache(*store_);
  std::vector<std::pair<int64_t, int64_t>> decided;  // (ticket, event)
  const DecideApply decide =
      [&](const RecordedChange& c, const std::optional<StoredTicket>& current,
          int64_t revision) -> absl::StatusOr<std::optional<ClockUpdate>> {
    decided.push_back({c.ticket_id, c.ticket_event_id});
    auto config = cache.AtLeast(revision);
    if (!config.ok()) return config.status();
    auto update = ApplyChange(current, c, **config);
    if (!update.ok()) return std::optional<ClockUpdate>();
    return std::optional<ClockUpdate>(*update);
  };
  // Ticket 9's creation was applied before; the batch repeats it.
  ASSERT_TRUE(store_
                  ->ApplyChange("test",
                                Change(1, 9, TicketChange::Kind::kCreated, kT0),
                                decide)
                  .ok());
  decided.clear();
  const std::vector<RecordedChange> batch = {
      Change(1, 9, TicketChange::Kind::kCreated, kT0),
      Change(2, 8, TicketChange::Kind::kCreated, kT0 + absl::Seconds(1)),
      Change(3, 9, TicketChange::Kind::kPublicAgentReply,
             kT0 + absl::Seconds(2), "open"),
      Change(4, 8, TicketChange::Kind::kStatusChanged, kT0 + absl::Seconds(3),
             "pending"),
      Change(5, 8, TicketChange::Kind::kStatusChanged, kT0 + absl::Seconds(5),
             "open")};
  ASSERT_TRUE(store_->ApplyChanges("test", batch, decide).ok());
  // Each new change decided once, in stream order, on the state the change
  // before it left.
  EXPECT_EQ(decided, (std::vector<std::pair<int64_t, int64_t>>{
                         {8, 2}, {9, 3}, {8, 4}, {8, 5}}));
  EXPECT_EQ(*store_->ReadCursor("test"), "1-5");
  EXPECT_EQ(Count("SELECT count(*) FROM sla.ticket_changes"), 5);
  auto eight = store_->GetTicket(8);
  ASSERT_TRUE(eight.ok()) << eight.status();
  EXPECT_EQ(eight->last_event_id, 5);
  // Paused for 2 s: both of ticket 8's deadlines moved by exactly that.
  EXPECT_EQ(eight->state.clocks[0].deadline,
            kT0 + absl::Seconds(1) + absl::Minutes(5) + absl::Seconds(2));
  EXPECT_EQ(Count("SELECT count(*) FROM sla.timers WHERE ticket_id = 8 AND "
                  "fired_at IS NULL AND metric = 'first_response'"),
            2);
  // Ticket 8's ledger, in the order it happened.
  auto events = store_->ListEvents({8}, 0, 100);
  ASSERT_TRUE(events.ok());
  std::vector<std::string> kinds;
  for (const LedgerEvent& e : *events) {
    kinds.push_back(std::string(TransitionName(e.kind)));
  }
  EXPECT_EQ(kinds, (std::vector<std::string>{"started", "started", "paused",
                                             "paused", "resumed", "resumed"}));
  EXPECT_EQ(Count("SELECT count(*) FROM sla.measurements WHERE ticket_id = 8"),
            2);
  auto nine = store_->GetTicket(9);
  ASSERT_TRUE(nine.ok());
  EXPECT_EQ(nine->state.clocks[0].state, ClockState::kMet);
}

TEST_F(PostgresSlaStoreTest, TwoClaimersInParallelNeverGetTheSameTimer) {
  ASSERT_TRUE(store_->CreateCalendar(Always(), kT0).ok());
  ASSERT_TRUE(store_->CreatePolicy(FastPolicy(absl::Seconds(1), 50), kT0).ok());
  // 500 tickets: 1,000 first-response timers (warning + breach) due by
  // kT0 + 1 s, plus 500 resolution timers due hours later.
  for (int i = 1; i <= 500; ++i) {
    ASSERT_TRUE(
        Apply(Change(i, i, TicketChange::Kind::kCreated, kT0)).has_value());
  }
  ConfigCache cache(*store_);
  std::mutex mu;
  std::map<std::string, std::set<int64_t>> claimed_by;
  auto claimer = [&](const std::string& name) {
    while (true) {
      auto claimed = store_->FireDueTimers(
          kT0 + absl::Minutes(1), 25, name,
          [&](const StoredTicket& ticket, const std::vector<ArmedTimer>& timers,
              int64_t revision) -> absl::StatusOr<FireUpdate> {
            std::lock_guard<std::mutex> lock(mu);
            for (const ArmedTimer& t : timers) claimed_by[name].insert(t.id);
            auto config = cache.AtLeast(revision);
            if (!config.ok()) return config.status();
            return FireTimers(ticket, timers, kT0 + absl::Minutes(1), **config);
          });
      ASSERT_TRUE(claimed.ok()) << claimed.status();
      if (*claimed == 0) return;
    }
  };
  std::thread a(claimer, "a");
  std::thread b(claimer, "b");
  a.join();
  b.join();
  std::set<int64_t> both;
  for (int64_t id : claimed_by["a"]) {
    if (claimed_by["b"].count(id) > 0) both.insert(id);
  }
  EXPECT_TRUE(both.empty()) << both.size() << " timers claimed twice";
  EXPECT_EQ(claimed_by["a"].size() + claimed_by["b"].size(), 1000u);
  EXPECT_EQ(Count("SELECT count(*) FROM sla.events WHERE kind = 'breached'"),
            500);
  EXPECT_EQ(Count("SELECT count(*) FROM sla.events WHERE kind = 'warned'"),
            500);
  EXPECT_EQ(Count("SELECT count(DISTINCT ticket_id) FROM sla.events WHERE "
                  "kind = 'breached'"),
            500);
  EXPECT_EQ(Count("SELECT count(*) FROM sla.timers WHERE fired_at IS NOT NULL "
                  "AND outcome = 'fired'"),
            1000);
  EXPECT_EQ(Count("SELECT count(*) FROM sla.timers WHERE fired_at IS NULL"),
            500);
  // Per ticket the ledger keeps the order: warned before breached.
  EXPECT_EQ(Count("SELECT count(*) FROM sla.events w JOIN sla.events b USING "
                  "(ticket_id) WHERE w.kind = 'warned' AND b.kind = "
                  "'breached' AND (w.xid, w.id) > (b.xid, b.id)"),
            0);
  auto breaches = store_->ListBreaches({}, 0, 1000);
  ASSERT_TRUE(breaches.ok()) << breaches.status();
  EXPECT_EQ(breaches->size(), 500u);
  EXPECT_EQ(breaches->front().event.occur_time, kT0 + absl::Seconds(1));
  EXPECT_EQ(breaches->front().state, ClockState::kRunning);
  auto batch = store_->ReadEvents({}, 5000);
  ASSERT_TRUE(batch.ok()) << batch.status();
  EXPECT_EQ(batch->events.size(), 2000u);  // 1,000 started + 1,000 fired.
}

TEST_F(PostgresSlaStoreTest, TheReportSqlAgreesWithBuildReport) {
  ASSERT_TRUE(store_->CreateCalendar(Always(), kT0).ok());
  ASSERT_TRUE(
      store_->CreatePolicy(FastPolicy(absl::Minutes(10), 50), kT0).ok());
  // Tickets of two teams, answered after varied delays (some late), some
  // solved, some rated.
  std::map<std::pair<int64_t, std::pair<Metric, int>>, Measurement> rows;
  std::map<int64_t, int> csat;
  int64_t event = 0;
  auto apply = [&](RecordedChange c) {
    c.ticket_event_id = ++event;
    auto update = Apply(c);
    ASSERT_TRUE(update.has_value());
    for (const Measurement& m : update->measurements) {
      rows[{m.ticket_id, {m.metric, m.cycle}}] = m;
    }
  };
  for (int i = 1; i <= 40; ++i) {
    const std::string team = i % 3 == 0 ? "returns" : "billing";
    const absl::Time created = kT0 + absl::Minutes(i);
    apply(Change(0, i, TicketChange::Kind::kCreated, created, "new", team));
    if (i % 5 != 0) {
      apply(Change(0, i, TicketChange::Kind::kPublicAgentReply,
                   created + absl::Seconds(37 * i), "open", team));
    }
    if (i % 2 == 0) {
      RecordedChange solved = Change(0, i, TicketChange::Kind::kStatusChanged,
                                     created + absl::Hours(1), "solved", team);
      if (i % 4 == 0) {
        solved.csat = 1 + i % 5;
        csat[i] = *solved.csat;
      }
      apply(solved);
    }
  }
  std::vector<Measurement> all;
  for (const auto& [key, m] : rows) all.push_back(m);
  const absl::Time start = kT0;
  const absl::Time end = kT0 + absl::Minutes(30);  // Tickets 1..29 only.
  const std::vector<Dimension> group_by = {Dimension::kTeam,
                                           Dimension::kPriority};
  const Report want = BuildReport(all, csat, start, end, group_by);
  auto got = store_->BuildSlaReport(start, end, group_by);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->clocks, want.clocks);
  ASSERT_EQ(got->rows.size(), want.rows.size());
  for (size_t r = 0; r < want.rows.size(); ++r) {
    const ReportRow& g = got->rows[r];
    const ReportRow& w = want.rows[r];
    EXPECT_EQ(g.group_values, w.group_values);
    EXPECT_EQ(g.tickets, w.tickets);
    EXPECT_EQ(g.ratings, w.ratings);
    EXPECT_DOUBLE_EQ(g.average_csat, w.average_csat);
    ASSERT_EQ(g.metrics.size(), w.metrics.size());
    for (size_t m = 0; m < w.metrics.size(); ++m) {
      const MetricReport& gm = g.metrics[m];
      const MetricReport& wm = w.metrics[m];
      EXPECT_EQ(gm.metric, wm.metric);
      EXPECT_EQ(gm.clocks, wm.clocks);
      EXPECT_EQ(gm.met_on_time, wm.met_on_time);
      EXPECT_EQ(gm.breached, wm.breached);
      EXPECT_EQ(gm.open, wm.open);
      EXPECT_EQ(gm.cancelled, wm.cancelled);
      EXPECT_DOUBLE_EQ(gm.compliance_percent, wm.compliance_percent);
      EXPECT_EQ(gm.business_time.count, wm.business_time.count);
      EXPECT_EQ(gm.business_time.p50, wm.business_time.p50);
      EXPECT_EQ(gm.business_time.p90, wm.business_time.p90);
      EXPECT_EQ(gm.business_time.p99, wm.business_time.p99);
      EXPECT_EQ(gm.business_time.max, wm.business_time.max);
      EXPECT_EQ(gm.calendar_time.p50, wm.calendar_time.p50);
      EXPECT_EQ(gm.calendar_time.max, wm.calendar_time.max);
    }
  }
  // Some were late (37 s x i > 10 min from i = 17): the report shows it.
  int64_t breached = 0;
  for (const ReportRow& r : got->rows) {
    for (const MetricReport& m : r.metrics) breached += m.breached;
  }
  EXPECT_GT(breached, 0);

  // The replay input: every change of the tickets with one in the window.
  auto changes = store_->LoadChangesForReplay(kT0 + absl::Minutes(10),
                                              kT0 + absl::Minutes(12));
  ASSERT_TRUE(changes.ok()) << changes.status();
  // Tickets 10 and 11 were created then; ticket 7 was answered at 11m19s.
  ASSERT_EQ(changes->size(), 3u);
  EXPECT_EQ((*changes)[0].front().ticket_id, 7);
  EXPECT_EQ((*changes)[0].size(), 2u);
  EXPECT_EQ((*changes)[1].front().ticket_id, 10);
  EXPECT_EQ((*changes)[2].front().ticket_id, 11);
  EXPECT_EQ(changes->front().front().change.kind, TicketChange::Kind::kCreated);
  EXPECT_EQ(changes->front().front().change.after.tags,
            std::vector<std::string>{"refund"});
}

}  // namespace
}  // namespace cxdesk::sla
