#include "services/sla/sla_manager.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "services/common/change_signal.h"
#include "services/common/event_stream.h"
#include "services/common/status_macros.h"
#include "services/common/testing/fake_clock.h"
#include "services/common/token.h"
#include "services/sla/business_time.h"
#include "services/sla/clock_engine.h"
#include "services/sla/sla_clock.h"
#include "services/sla/sla_engine.h"
#include "services/sla/testing/fake_sla_store.h"

namespace cxdesk::sla {
namespace {

using absl::StatusCode;
using common::StaffRole;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr char kSecret[] = "unit-test-secret-0123456789abcdef";

// Monday 2026-06-08 09:00:00 UTC.
constexpr absl::Time kT0 = absl::FromUnixSeconds(1780909200);

void ExpectError(const absl::Status& status, StatusCode code,
                 const std::string& message) {
  EXPECT_EQ(status.code(), code) << status;
  EXPECT_EQ(status.message(), message);
}

// A calendar open around the clock, as a manager would send it.
CalendarRecord AllDay(const std::string& id) {
  CalendarRecord r;
  r.calendar.name = id;
  r.calendar.time_zone = "UTC";
  for (auto& day : r.calendar.week) day.push_back({0, 24 * 60});
  r.description = "always open";
  return r;
}

// A policy with first response and resolution targets for "normal"
// tickets on `calendar`.
PolicyRecord Targets(const std::string& id, absl::Duration first_response,
                     const std::string& calendar = "24x7") {
  PolicyRecord r;
  r.policy.name = id;
  r.policy.targets["normal"][Metric::kFirstResponse] = {
      first_response, calendar, {}};
  r.policy.targets["normal"][Metric::kResolution] = {
      absl::Hours(8), calendar, {}};
  return r;
}

PolicyRecord Default(const std::string& id, absl::Duration first_response) {
  PolicyRecord r = Targets(id, first_response);
  r.policy.is_default = true;
  return r;
}

RecordedChange Change(int64_t event_id, int64_t ticket_id, absl::Time at,
                      TicketChange::Kind kind,
                      const std::string& status = "new") {
  RecordedChange c;
  c.ticket_event_id = event_id;
  c.ticket_id = ticket_id;
  c.cursor = absl::StrCat("c", event_id);
  c.change.at = at;
  c.change.kind = kind;
  c.change.after.priority = "normal";
  c.change.after.kind = "question";
  c.change.after.channel = "web";
  c.change.after.status = status;
  c.change.actor = "alice";
  c.dims = {"payments", "alice"};
  return c;
}

class SlaManagerTest : public ::testing::Test {
 protected:
  std::string Token(StaffRole role, const std::string& subject = "alice") {
    return *common::SignToken({subject, role, clock_.Now() + absl::Hours(1)},
                              kSecret);
  }
  std::string Agent() { return Token(StaffRole::kAgent); }
  std::string Manager() { return Token(StaffRole::kManager, "mia"); }

  // The 24x7 calendar and a default policy with a 1 h first response.
  void Configure() {
    ASSERT_TRUE(manager_.CreateCalendar(Manager(), AllDay("24x7")).ok());
    ASSERT_TRUE(
        manager_.CreatePolicy(Manager(), Default("standard", absl::Hours(1)))
            .ok());
  }

  // Applies `changes` as the change consumer does.
  void Feed(const std::vector<RecordedChange>& changes) {
    const absl::Status status = store_.ApplyChanges(
        "ticket-events", changes,
        [&](const RecordedChange& change,
            const std::optional<StoredTicket>& current,
            int64_t revision) -> absl::StatusOr<std::optional<ClockUpdate>> {
          CXDESK_ASSIGN_OR_RETURN(std::shared_ptr<const SlaConfig> config,
                                  cache_.AtLeast(revision));
          CXDESK_ASSIGN_OR_RETURN(ClockUpdate update,
                                  ApplyChange(current, change, *config));
          return std::optional<ClockUpdate>(std::move(update));
        });
    ASSERT_TRUE(status.ok()) << status;
  }

  // Tickets 1..3 created at T0, T0+1m and T0+2m; at T0+1h2m their first
  // responses have breached (deadlines T0+1h, T0+1h1m, T0+1h2m).
  void ThreeBreachedTickets() {
    Configure();
    Feed({Change(11, 1, kT0, TicketChange::Kind::kCreated),
          Change(12, 2, kT0 + absl::Minutes(1), TicketChange::Kind::kCreated),
          Change(13, 3, kT0 + absl::Minutes(2), TicketChange::Kind::kCreated)});
    clock_.Set(kT0 + absl::Minutes(62));
    TimerLoop timers(store_, cache_, clock_, common::NoChanges(),
                     {"replica-a"});
    absl::StatusOr<int> claimed = timers.FireOnce(clock_.Now());
    ASSERT_TRUE(claimed.ok()) << claimed.status();
    ASSERT_EQ(*claimed, 3);
  }

  common::FakeClock clock_{kT0};
  FakeSlaStore store_{clock_};
  ConfigCache cache_{store_};
  SlaManager manager_{store_, cache_, clock_, kSecret, nullptr};
};

// ---- authorisation ----

TEST_F(SlaManagerTest, EveryCallNeedsAStaffToken) {
  const std::string missing =
      "this call needs a staff token (authorization: Bearer <token>)";
  ExpectError(manager_.GetCalendar("", "24x7").status(),
              StatusCode::kUnauthenticated, missing);
  ExpectError(manager_.ListPolicies("", 0, "").status(),
              StatusCode::kUnauthenticated, missing);
  ExpectError(manager_.GetTicketSla("", 1).status(),
              StatusCode::kUnauthenticated, missing);
  EXPECT_EQ(manager_.GetSlaPromise("garbage", 1).status().code(),
            StatusCode::kUnauthenticated);
  EXPECT_EQ(manager_
                .WatchSlaEvents(
                    "garbage", "", [](const LedgerEvent&) { return true; },
                    [] { return true; })
                .code(),
            StatusCode::kUnauthenticated);
  // Nothing reached the store.
  EXPECT_EQ(store_.calls("GetCalendar"), 0);
  EXPECT_EQ(store_.calls("ListPolicies"), 0);
  EXPECT_EQ(store_.calls("GetTicket"), 0);
}

TEST_F(SlaManagerTest, AnExpiredTokenIsUnauthenticated) {
  const std::string agent = Agent();
  EXPECT_TRUE(manager_.ListCalendars(agent, 0, "").ok());
  clock_.Advance(absl::Hours(1) + absl::Seconds(1));
  EXPECT_EQ(manager_.ListCalendars(agent, 0, "").status().code(),
            StatusCode::kUnauthenticated);
}

TEST_F(SlaManagerTest, WritesAndReportsAreForManagersOnly) {
  const std::string agent = Agent();
  const std::string managers = "this call is for managers only";
  ExpectError(manager_.CreateCalendar(agent, AllDay("24x7")).status(),
              StatusCode::kPermissionDenied, managers);
  ExpectError(manager_.UpdateCalendar(agent, AllDay("24x7"), "1").status(),
              StatusCode::kPermissionDenied, managers);
  ExpectError(manager_.DeleteCalendar(agent, "24x7", ""),
              StatusCode::kPermissionDenied, managers);
  ExpectError(manager_.CreatePolicy(agent, Default("standard", absl::Hours(1)))
                  .status(),
              StatusCode::kPermissionDenied, managers);
  ExpectError(manager_.DeletePolicy(agent, "standard", ""),
              StatusCode::kPermissionDenied, managers);
  ExpectError(
      manager_.GetSlaReport(agent, kT0, kT0 + absl::Hours(1), {}).status(),
      StatusCode::kPermissionDenied, managers);
  ExpectError(manager_
                  .SimulatePolicy(agent, Default("draft", absl::Hours(1)), kT0,
                                  kT0 + absl::Hours(1), {})
                  .status(),
              StatusCode::kPermissionDenied, managers);
  // Authorisation comes before validation: a bad id is not even looked at.
  ExpectError(manager_.CreateCalendar(agent, AllDay("Bad Id")).status(),
              StatusCode::kPermissionDenied, managers);
  EXPECT_EQ(store_.calls("CreateCalendar"), 0);
  // Agents read.
  EXPECT_EQ(manager_.GetCalendar(agent, "24x7").status().code(),
            StatusCode::kNotFound);
  EXPECT_TRUE(manager_.ListPolicies(agent, 0, "").ok());
}

// ---- calendars ----

TEST_F(SlaManagerTest, CalendarInputIsValidatedNamingTheField) {
  ExpectError(manager_.CreateCalendar(Manager(), AllDay("")).status(),
              StatusCode::kInvalidArgument, "calendar.calendar_id: required");
  ExpectError(manager_.CreateCalendar(Manager(), AllDay("Berlin")).status(),
              StatusCode::kInvalidArgument,
              "calendar.calendar_id: only lower-case letters, digits, '_' and "
              "'-' (got \"Berlin\")");
  ExpectError(manager_.CreateCalendar(Manager(), AllDay("-x")).status(),
              StatusCode::kInvalidArgument,
              "calendar.calendar_id: must start with a letter or digit");
  ExpectError(
      manager_.CreateCalendar(Manager(), AllDay(std::string(64, 'a'))).status(),
      StatusCode::kInvalidArgument,
      "calendar.calendar_id: at most 63 characters");
  CalendarRecord no_zone = AllDay("berlin");
  no_zone.calendar.time_zone = "";
  ExpectError(manager_.CreateCalendar(Manager(), no_zone).status(),
              StatusCode::kInvalidArgument,
              "calendar.time_zone: required (an IANA name)");
  CalendarRecord bad_zone = AllDay("berlin");
  bad_zone.calendar.time_zone = "Mars/Olympus";
  ExpectError(manager_.CreateCalendar(Manager(), bad_zone).status(),
              StatusCode::kInvalidArgument,
              "calendar.time_zone: unknown time zone \"Mars/Olympus\" (want "
              "an IANA name such as \"Europe/Berlin\")");
  ExpectError(manager_.GetCalendar(Manager(), "A").status(),
              StatusCode::kInvalidArgument,
              "calendar_id: only lower-case letters, digits, '_' and '-' (got "
              "\"A\")");
  EXPECT_EQ(store_.calls("CreateCalendar"), 0);
}

TEST_F(SlaManagerTest, CalendarCrudKeepsVersionsTimesAndTheRevision) {
  ASSERT_EQ(*store_.ConfigRevision(), 1);
  absl::StatusOr<CalendarRecord> created =
      manager_.CreateCalendar(Manager(), AllDay("24x7"));
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->version, 1);
  EXPECT_EQ(created->create_time, kT0);
  EXPECT_EQ(created->update_time, kT0);
  EXPECT_EQ(created->description, "always open");
  EXPECT_EQ(*store_.ConfigRevision(), 2);
  ExpectError(manager_.CreateCalendar(Manager(), AllDay("24x7")).status(),
              StatusCode::kAlreadyExists, "already exists");

  clock_.Advance(absl::Minutes(5));
  CalendarRecord change = AllDay("24x7");
  change.description = "still always open";
  ExpectError(manager_.UpdateCalendar(Manager(), change, "").status(),
              StatusCode::kInvalidArgument, "etag: required");
  ExpectError(manager_.UpdateCalendar(Manager(), change, "v1").status(),
              StatusCode::kInvalidArgument,
              "etag: \"v1\" is not an etag this service gave");
  absl::StatusOr<CalendarRecord> updated =
      manager_.UpdateCalendar(Manager(), change, "1");
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->version, 2);
  EXPECT_EQ(updated->create_time, kT0);
  EXPECT_EQ(updated->update_time, kT0 + absl::Minutes(5));
  EXPECT_EQ(updated->description, "still always open");
  EXPECT_EQ(*store_.ConfigRevision(), 3);
  ExpectError(manager_.UpdateCalendar(Manager(), change, "1").status(),
              StatusCode::kAborted,
              "calendar \"24x7\" changed since it was read (stale etag)");
  ExpectError(manager_.UpdateCalendar(Manager(), AllDay("gone"), "1").status(),
              StatusCode::kNotFound, "calendar \"gone\" not found");

  ExpectError(manager_.DeleteCalendar(Manager(), "24x7", "1"),
              StatusCode::kAborted,
              "calendar \"24x7\" changed since it was read (stale etag)");
  EXPECT_TRUE(manager_.DeleteCalendar(Manager(), "24x7", "2").ok());
  EXPECT_EQ(*store_.ConfigRevision(), 4);
  ExpectError(manager_.GetCalendar(Agent(), "24x7").status(),
              StatusCode::kNotFound, "calendar \"24x7\" not found");
  // Without an etag a delete takes any version.
  ASSERT_TRUE(manager_.CreateCalendar(Manager(), AllDay("24x7")).ok());
  EXPECT_TRUE(manager_.DeleteCalendar(Manager(), "24x7", "").ok());
}

TEST_F(SlaManagerTest, ACalendarInUseCannotBeDeleted) {
  Configure();
  ExpectError(manager_.DeleteCalendar(Manager(), "24x7", ""),
              StatusCode::kFailedPrecondition,
              "calendar \"24x7\" is used by a policy target");
  // With the policy gone, an open clock still measures on it.
  Feed({Change(11, 1, kT0, TicketChange::Kind::kCreated)});
  ASSERT_TRUE(manager_.DeletePolicy(Manager(), "standard", "").ok());
  ExpectError(manager_.DeleteCalendar(Manager(), "24x7", ""),
              StatusCode::kFailedPrecondition,
              "calendar \"24x7\" is used by an open clock");
}

TEST_F(SlaManagerTest, CalendarsPageById) {
  for (const char* id : {"c", "a", "b"}) {
    ASSERT_TRUE(manager_.CreateCalendar(Manager(), AllDay(id)).ok());
  }
  absl::StatusOr<Page<CalendarRecord>> first =
      manager_.ListCalendars(Agent(), 2, "");
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_EQ(first->items.size(), 2u);
  EXPECT_EQ(first->items[0].calendar.name, "a");
  EXPECT_EQ(first->items[1].calendar.name, "b");
  ASSERT_FALSE(first->next_page_token.empty());
  absl::StatusOr<Page<CalendarRecord>> second =
      manager_.ListCalendars(Agent(), 2, first->next_page_token);
  ASSERT_TRUE(second.ok()) << second.status();
  ASSERT_EQ(second->items.size(), 1u);
  EXPECT_EQ(second->items[0].calendar.name, "c");
  EXPECT_EQ(second->next_page_token, "");
  ExpectError(manager_.ListCalendars(Agent(), 501, "").status(),
              StatusCode::kInvalidArgument,
              "page_size: must be between 0 (default 50) and 500, got 501");
  ExpectError(
      manager_.ListPolicies(Agent(), 2, first->next_page_token).status(),
      StatusCode::kInvalidArgument,
      "page_token: was issued for a request with other filters");
}

// ---- policies ----

TEST_F(SlaManagerTest, PolicyInputIsValidatedNamingTheField) {
  ASSERT_TRUE(manager_.CreateCalendar(Manager(), AllDay("24x7")).ok());
  ExpectError(
      manager_.CreatePolicy(Manager(), Default("", absl::Hours(1))).status(),
      StatusCode::kInvalidArgument, "policy.policy_id: required");
  PolicyRecord negative = Targets("vip", absl::Hours(1));
  negative.policy.position = -1;
  ExpectError(manager_.CreatePolicy(Manager(), negative).status(),
              StatusCode::kInvalidArgument,
              "policy.position: must not be negative");
  ExpectError(
      manager_.CreatePolicy(Manager(), Targets("vip", absl::Hours(1), "berlin"))
          .status(),
      StatusCode::kInvalidArgument,
      "policy.targets[normal][first_response].calendar: unknown "
      "calendar \"berlin\"");
  ExpectError(
      manager_.CreatePolicy(Manager(), Targets("vip", absl::ZeroDuration()))
          .status(),
      StatusCode::kInvalidArgument,
      "policy.targets[normal][first_response].target: must be positive");
  EXPECT_EQ(store_.calls("CreatePolicy"), 0);
  // Only the unknown calendar was looked up, once.
  EXPECT_EQ(store_.calls("GetCalendar"), 1);
}

TEST_F(SlaManagerTest, OnlyOnePolicyIsTheDefault) {
  Configure();
  ExpectError(manager_.CreatePolicy(Manager(), Default("other", absl::Hours(2)))
                  .status(),
              StatusCode::kFailedPrecondition,
              "is_default: policy \"standard\" is already the default");
  absl::StatusOr<PolicyRecord> vip =
      manager_.CreatePolicy(Manager(), Targets("vip", absl::Hours(2)));
  ASSERT_TRUE(vip.ok()) << vip.status();
  PolicyRecord promote = Default("vip", absl::Hours(2));
  ExpectError(manager_.UpdatePolicy(Manager(), promote, "1").status(),
              StatusCode::kFailedPrecondition,
              "is_default: policy \"standard\" is already the default");
  ExpectError(
      manager_.CreatePolicy(Manager(), Targets("vip", absl::Hours(3))).status(),
      StatusCode::kAlreadyExists, "already exists");
}

TEST_F(SlaManagerTest, PolicyCrudKeepsVersionsAndTheRevision) {
  ASSERT_TRUE(manager_.CreateCalendar(Manager(), AllDay("24x7")).ok());
  absl::StatusOr<PolicyRecord> created =
      manager_.CreatePolicy(Manager(), Default("standard", absl::Hours(1)));
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->version, 1);
  EXPECT_EQ(created->create_time, kT0);
  EXPECT_EQ(*store_.ConfigRevision(), 3);
  clock_.Advance(absl::Minutes(1));
  absl::StatusOr<PolicyRecord> updated = manager_.UpdatePolicy(
      Manager(), Default("standard", absl::Hours(2)), "1");
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->version, 2);
  EXPECT_EQ(updated->update_time, kT0 + absl::Minutes(1));
  EXPECT_EQ(updated->policy.Target("normal", Metric::kFirstResponse)->target,
            absl::Hours(2));
  EXPECT_EQ(*store_.ConfigRevision(), 4);
  // The cache sees the new revision.
  absl::StatusOr<std::shared_ptr<const SlaConfig>> config = cache_.AtLeast(4);
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ((*config)->revision, 4);
  EXPECT_EQ((*config)
                ->FindPolicy("standard")
                ->Target("normal", Metric::kFirstResponse)
                ->target,
            absl::Hours(2));
  ExpectError(manager_.DeletePolicy(Manager(), "standard", "1"),
              StatusCode::kAborted,
              "policy \"standard\" changed since it was read (stale etag)");
  EXPECT_TRUE(manager_.DeletePolicy(Manager(), "standard", "2").ok());
  ExpectError(manager_.GetPolicy(Agent(), "standard").status(),
              StatusCode::kNotFound, "policy \"standard\" not found");
}

TEST_F(SlaManagerTest, PoliciesPageInTheOrderTheyAreTried) {
  Configure();
  PolicyRecord gold = Targets("gold", absl::Hours(1));
  gold.policy.position = 2;
  PolicyRecord vip = Targets("vip", absl::Hours(1));
  vip.policy.position = 1;
  PolicyRecord bronze = Targets("bronze", absl::Hours(1));
  bronze.policy.position = 2;
  for (const PolicyRecord& p : {gold, vip, bronze}) {
    ASSERT_TRUE(manager_.CreatePolicy(Manager(), p).ok());
  }
  std::vector<std::string> seen;
  std::string token;
  int pages = 0;
  do {
    absl::StatusOr<Page<PolicyRecord>> page =
        manager_.ListPolicies(Agent(), 3, token);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const PolicyRecord& r : page->items) seen.push_back(r.policy.name);
    token = page->next_page_token;
    ++pages;
  } while (!token.empty());
  EXPECT_EQ(pages, 2);
  EXPECT_THAT(seen, ElementsAre("vip", "bronze", "gold", "standard"));
}

// ---- clocks ----

TEST_F(SlaManagerTest, TicketSlaViewsTheClocksAtNow) {
  ExpectError(manager_.GetTicketSla(Agent(), 0).status(),
              StatusCode::kInvalidArgument, "ticket_id: must be positive");
  ExpectError(manager_.GetTicketSla(Agent(), 7).status(), StatusCode::kNotFound,
              "the SLA service has not seen ticket 7");
  Configure();
  Feed({Change(11, 7, kT0, TicketChange::Kind::kCreated)});
  clock_.Set(kT0 + absl::Minutes(20));
  absl::StatusOr<TicketSlaView> view = manager_.GetTicketSla(Agent(), 7);
  ASSERT_TRUE(view.ok()) << view.status();
  EXPECT_EQ(view->ticket_id, 7);
  EXPECT_EQ(view->policy_id, "standard");
  EXPECT_EQ(view->status, "new");
  EXPECT_EQ(view->as_of, kT0 + absl::Minutes(20));
  ASSERT_EQ(view->clocks.size(), 2u);
  EXPECT_EQ(view->clocks[0].clock.metric, Metric::kFirstResponse);
  EXPECT_EQ(view->clocks[0].clock.deadline, kT0 + absl::Hours(1));
  EXPECT_EQ(view->clocks[0].elapsed_business, absl::Minutes(20));
  EXPECT_EQ(view->clocks[0].remaining_business, absl::Minutes(40));
  EXPECT_EQ(view->clocks[1].clock.metric, Metric::kResolution);
  EXPECT_EQ(view->clocks[1].clock.deadline, kT0 + absl::Hours(8));
}

TEST_F(SlaManagerTest, PromiseIsTheEarliestResponseDeadline) {
  ExpectError(manager_.GetSlaPromise(Agent(), -1).status(),
              StatusCode::kInvalidArgument, "ticket_id: must be positive");
  Configure();
  Feed({Change(11, 7, kT0, TicketChange::Kind::kCreated)});
  absl::StatusOr<SlaPromise> promise = manager_.GetSlaPromise(Agent(), 7);
  ASSERT_TRUE(promise.ok()) << promise.status();
  EXPECT_EQ(promise->metric, Metric::kFirstResponse);
  EXPECT_EQ(promise->due, kT0 + absl::Hours(1));
  EXPECT_EQ(promise->text, "We will respond by 2026-06-08 10:00 UTC");
  // Solved: every clock ended, nothing to promise.
  Feed({Change(12, 7, kT0 + absl::Minutes(5),
               TicketChange::Kind::kStatusChanged, "closed")});
  ExpectError(manager_.GetSlaPromise(Agent(), 7).status(),
              StatusCode::kNotFound, "ticket 7 has no open SLA clock");
}

// ---- ledger ----

TEST_F(SlaManagerTest, SlaEventsPageByIdUnderOneFilter) {
  ThreeBreachedTickets();
  // 2 started per ticket, then 3 breaches.
  std::vector<int64_t> ids;
  std::string token;
  do {
    absl::StatusOr<Page<LedgerEvent>> page =
        manager_.ListSlaEvents(Agent(), {}, 4, token);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const LedgerEvent& e : page->items) ids.push_back(e.id);
    token = page->next_page_token;
  } while (!token.empty());
  EXPECT_THAT(ids, ElementsAre(1, 2, 3, 4, 5, 6, 7, 8, 9));

  EventFilter breaches;
  breaches.kinds = {SlaTransition::Kind::kBreached};
  absl::StatusOr<Page<LedgerEvent>> first =
      manager_.ListSlaEvents(Agent(), breaches, 2, "");
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_EQ(first->items.size(), 2u);
  EXPECT_EQ(first->items[0].ticket_id, 1);
  EXPECT_EQ(first->items[0].occur_time, kT0 + absl::Hours(1));
  EXPECT_EQ(first->items[1].ticket_id, 2);
  EXPECT_EQ(first->items[1].occur_time, kT0 + absl::Minutes(61));
  // The token is bound to the filter.
  ExpectError(
      manager_.ListSlaEvents(Agent(), {}, 2, first->next_page_token).status(),
      StatusCode::kInvalidArgument,
      "page_token: was issued for a request with other filters");
  absl::StatusOr<Page<LedgerEvent>> second =
      manager_.ListSlaEvents(Agent(), breaches, 2, first->next_page_token);
  ASSERT_TRUE(second.ok()) << second.status();
  ASSERT_EQ(second->items.size(), 1u);
  EXPECT_EQ(second->items[0].ticket_id, 3);
  EXPECT_EQ(second->next_page_token, "");

  EventFilter negative;
  negative.ticket_id = -1;
  ExpectError(manager_.ListSlaEvents(Agent(), negative, 0, "").status(),
              StatusCode::kInvalidArgument, "ticket_id: must not be negative");
  ExpectError(manager_.ListSlaEvents(Agent(), {}, 1001, "").status(),
              StatusCode::kInvalidArgument,
              "page_size: must be between 0 (default 100) and 1000, got 1001");
}

TEST_F(SlaManagerTest, BreachesPageNewestDeadlineFirst) {
  ThreeBreachedTickets();
  // Ticket 2 is answered late: its breach stays, its clock is met.
  clock_.Set(kT0 + absl::Minutes(65));
  Feed({Change(21, 2, clock_.Now(), TicketChange::Kind::kPublicAgentReply,
               "open")});
  absl::StatusOr<Page<BreachRecord>> first =
      manager_.ListBreaches(Agent(), {}, 2, "");
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_EQ(first->items.size(), 2u);
  EXPECT_EQ(first->items[0].event.ticket_id, 3);
  EXPECT_EQ(first->items[0].event.occur_time, kT0 + absl::Minutes(62));
  EXPECT_EQ(first->items[0].state, ClockState::kRunning);
  EXPECT_EQ(first->items[0].met_time, absl::InfiniteFuture());
  EXPECT_EQ(first->items[1].event.ticket_id, 2);
  EXPECT_EQ(first->items[1].state, ClockState::kMet);
  EXPECT_EQ(first->items[1].met_time, kT0 + absl::Minutes(65));
  absl::StatusOr<Page<BreachRecord>> second =
      manager_.ListBreaches(Agent(), {}, 2, first->next_page_token);
  ASSERT_TRUE(second.ok()) << second.status();
  ASSERT_EQ(second->items.size(), 1u);
  EXPECT_EQ(second->items[0].event.ticket_id, 1);
  EXPECT_EQ(second->next_page_token, "");

  BreachFilter open;
  open.open_only = true;
  absl::StatusOr<Page<BreachRecord>> still_open =
      manager_.ListBreaches(Agent(), open, 0, "");
  ASSERT_TRUE(still_open.ok()) << still_open.status();
  ASSERT_EQ(still_open->items.size(), 2u);
  EXPECT_EQ(still_open->items[0].event.ticket_id, 3);
  EXPECT_EQ(still_open->items[1].event.ticket_id, 1);
  ExpectError(
      manager_.ListBreaches(Agent(), open, 0, first->next_page_token).status(),
      StatusCode::kInvalidArgument,
      "page_token: was issued for a request with other filters");
}

TEST_F(SlaManagerTest, WatchReplaysAfterTheCursor) {
  ThreeBreachedTickets();
  const std::vector<LedgerEvent> all = store_.events();
  ASSERT_EQ(all.size(), 9u);
  std::vector<int64_t> sent;
  const absl::Status status = manager_.WatchSlaEvents(
      Agent(), common::EncodeCursor(all[5].cursor),
      [&](const LedgerEvent& e) {
        sent.push_back(e.id);
        return true;
      },
      [] { return true; });
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_THAT(sent, ElementsAre(7, 8, 9));
  EXPECT_EQ(
      manager_
          .WatchSlaEvents(
              Agent(), "not-a-cursor", [](const LedgerEvent&) { return true; },
              [] { return true; })
          .code(),
      StatusCode::kInvalidArgument);
}

// ---- reports ----

TEST_F(SlaManagerTest, ReportWindowAndGroupingAreChecked) {
  const std::string m = Manager();
  ExpectError(manager_.GetSlaReport(m, absl::InfinitePast(), kT0, {}).status(),
              StatusCode::kInvalidArgument, "start_time: required");
  ExpectError(
      manager_.GetSlaReport(m, kT0, absl::InfiniteFuture(), {}).status(),
      StatusCode::kInvalidArgument, "end_time: required");
  ExpectError(manager_.GetSlaReport(m, kT0, kT0, {}).status(),
              StatusCode::kInvalidArgument,
              "end_time: must be after start_time");
  ExpectError(manager_
                  .GetSlaReport(m, kT0, kT0 + absl::Hours(1),
                                {Dimension::kTeam, Dimension::kTeam})
                  .status(),
              StatusCode::kInvalidArgument, "group_by[1]: team is repeated");
  ExpectError(manager_
                  .SimulatePolicy(m, Default("draft", absl::Hours(1)), kT0,
                                  kT0 + absl::Hours(24 * 31 + 1), {})
                  .status(),
              StatusCode::kInvalidArgument,
              "end_time: the window may be at most 31 days");
  EXPECT_EQ(store_.calls("BuildSlaReport"), 0);
  EXPECT_EQ(store_.calls("LoadChangesForReplay"), 0);
}

TEST_F(SlaManagerTest, ReportCountsTheWindowsClocks) {
  ThreeBreachedTickets();
  clock_.Set(kT0 + absl::Minutes(65));
  Feed({Change(21, 2, clock_.Now(), TicketChange::Kind::kPublicAgentReply,
               "open")});
  absl::StatusOr<Report> report = manager_.GetSlaReport(
      Manager(), kT0, kT0 + absl::Hours(24), {Dimension::kTeam});
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->clocks, 6);
  ASSERT_EQ(report->rows.size(), 1u);
  const ReportRow& row = report->rows[0];
  EXPECT_THAT(row.group_values, ElementsAre("payments"));
  EXPECT_EQ(row.tickets, 3);
  ASSERT_EQ(row.metrics.size(), 2u);
  EXPECT_EQ(row.metrics[0].metric, Metric::kFirstResponse);
  EXPECT_EQ(row.metrics[0].clocks, 3);
  EXPECT_EQ(row.metrics[0].breached, 3);
  EXPECT_EQ(row.metrics[0].met_on_time, 0);
  EXPECT_EQ(row.metrics[0].business_time.count, 1);
  EXPECT_EQ(row.metrics[0].business_time.max, absl::Minutes(64));
  EXPECT_EQ(row.metrics[1].metric, Metric::kResolution);
  EXPECT_EQ(row.metrics[1].open, 3);
}

TEST_F(SlaManagerTest, SimulationReplaysTheWindowUnderTheDraft) {
  ThreeBreachedTickets();
  clock_.Set(kT0 + absl::Minutes(65));
  Feed({Change(21, 2, clock_.Now(), TicketChange::Kind::kPublicAgentReply,
               "open")});
  // Under a 2 h first response nothing has breached yet at T0+1h5m and
  // ticket 2 was answered on time.
  absl::StatusOr<Report> report =
      manager_.SimulatePolicy(Manager(), Default("standard", absl::Hours(2)),
                              kT0, kT0 + absl::Hours(24), {});
  ASSERT_TRUE(report.ok()) << report.status();
  ASSERT_EQ(report->rows.size(), 1u);
  const MetricReport& first = report->rows[0].metrics[0];
  EXPECT_EQ(first.metric, Metric::kFirstResponse);
  EXPECT_EQ(first.clocks, 3);
  EXPECT_EQ(first.met_on_time, 1);
  EXPECT_EQ(first.breached, 0);
  EXPECT_EQ(first.open, 2);
  EXPECT_EQ(first.compliance_percent, 100.0);
  // The draft changed nothing stored.
  EXPECT_EQ(store_.GetPolicy("standard")
                ->policy.Target("normal", Metric::kFirstResponse)
                ->target,
            absl::Hours(1));
}

TEST_F(SlaManagerTest, StoreErrorsPassThroughAsTheyAre) {
  store_.FailNext(absl::UnavailableError("database unavailable"));
  ExpectError(manager_.ListCalendars(Agent(), 0, "").status(),
              StatusCode::kUnavailable, "database unavailable");
  store_.FailNext(absl::DeadlineExceededError("database statement timed out"));
  ExpectError(manager_.GetTicketSla(Agent(), 1).status(),
              StatusCode::kDeadlineExceeded, "database statement timed out");
}

// ---- ViewClock ----

class ViewClockTest : public ::testing::Test {
 protected:
  ViewClockTest() : round_the_clock_(TwentyFourSeven("24x7")) {
    policy_.name = "standard";
    policy_.is_default = true;
    policy_.targets["normal"][Metric::kFirstResponse] = {
        absl::Hours(2),
        "24x7",
        {WarningThreshold::MinutesBefore(30),
         WarningThreshold::PercentElapsed(50)}};
    policy_.targets["normal"][Metric::kResolution] = {
        absl::Hours(10), "24x7", {}};
  }

  void Apply(absl::Time at, TicketChange::Kind kind, const std::string& status,
             const std::string& reason = "") {
    TicketChange change;
    change.at = at;
    change.kind = kind;
    change.after.priority = "normal";
    change.after.status = status;
    change.actor = "alice";
    change.reason = reason;
    absl::StatusOr<std::vector<SlaTransition>> out = clocks_.Apply(
        change, policy_, [this](const std::string& name) -> const Calendar* {
          return name == "24x7" ? &round_the_clock_ : nullptr;
        });
    ASSERT_TRUE(out.ok()) << out.status();
  }

  const SlaClock& FirstResponse() const {
    return *clocks_.Find(Metric::kFirstResponse, 1);
  }

  Calendar round_the_clock_;
  Policy policy_;
  TicketClocks clocks_;
};

TEST_F(ViewClockTest, RunningClockAfterAPause) {
  // Created 09:00, pending 09:10-09:40: 2h target -> due 11:30; 50% (1h
  // elapsed) at 10:30, 30 min before at 11:00.
  Apply(kT0, TicketChange::Kind::kCreated, "new");
  Apply(kT0 + absl::Minutes(10), TicketChange::Kind::kStatusChanged, "pending",
        "waiting for logs");
  Apply(kT0 + absl::Minutes(40), TicketChange::Kind::kStatusChanged, "open");

  const ClockView v = ViewClock(FirstResponse(), &round_the_clock_, "standard",
                                kT0 + absl::Hours(1));
  EXPECT_EQ(v.clock.deadline, kT0 + absl::Minutes(150));
  EXPECT_EQ(v.elapsed_business, absl::Minutes(30));
  EXPECT_EQ(v.remaining_business, absl::Minutes(90));
  EXPECT_EQ(v.paused_business, absl::Minutes(30));
  EXPECT_THAT(v.pause_business, ElementsAre(absl::Minutes(30)));
  ASSERT_TRUE(v.next_warning.has_value());
  EXPECT_EQ(*v.next_warning, WarningThreshold::PercentElapsed(50));
  EXPECT_EQ(v.next_warning_time, kT0 + absl::Minutes(90));
  EXPECT_EQ(v.explanation,
            "first_response target 2h of business time on calendar \"24x7\" "
            "under policy \"standard\"; running since 2026-06-08 09:00:00 "
            "UTC, due 2026-06-08 11:30:00 UTC; paused 1 time for 30m of "
            "business time in all");

  // Overdue, not yet breached by the timer.
  const ClockView late = ViewClock(FirstResponse(), &round_the_clock_,
                                   "standard", kT0 + absl::Hours(3));
  EXPECT_EQ(late.elapsed_business, absl::Minutes(150));
  EXPECT_EQ(late.remaining_business, -absl::Minutes(30));
  EXPECT_EQ(late.explanation,
            "first_response target 2h of business time on calendar \"24x7\" "
            "under policy \"standard\"; running since 2026-06-08 09:00:00 "
            "UTC, due 2026-06-08 11:30:00 UTC (overdue); paused 1 time for "
            "30m of business time in all");
}

TEST_F(ViewClockTest, PausedClockCountsTheOpenPauseUpToNow) {
  Apply(kT0, TicketChange::Kind::kCreated, "new");
  Apply(kT0 + absl::Minutes(10), TicketChange::Kind::kStatusChanged, "pending",
        "waiting for logs");

  const ClockView v = ViewClock(FirstResponse(), &round_the_clock_, "standard",
                                kT0 + absl::Minutes(25));
  EXPECT_EQ(v.elapsed_business, absl::Minutes(10));
  EXPECT_EQ(v.remaining_business, absl::Minutes(110));
  EXPECT_EQ(v.paused_business, absl::Minutes(15));
  EXPECT_THAT(v.pause_business, ElementsAre(absl::Minutes(15)));
  EXPECT_EQ(v.clock.deadline, absl::InfiniteFuture());
  EXPECT_EQ(v.explanation,
            "first_response target 2h of business time on calendar \"24x7\" "
            "under policy \"standard\"; paused since 2026-06-08 09:10:00 UTC "
            "while the ticket is pending (alice: waiting for logs); the "
            "deadline moves by the paused time; paused 1 time for 15m of "
            "business time in all");
}

TEST_F(ViewClockTest, MetClockStopsAtItsEnd) {
  Apply(kT0, TicketChange::Kind::kCreated, "new");
  Apply(kT0 + absl::Minutes(45), TicketChange::Kind::kPublicAgentReply, "open");
  const ClockView v = ViewClock(FirstResponse(), &round_the_clock_, "standard",
                                kT0 + absl::Hours(5));
  EXPECT_EQ(v.elapsed_business, absl::Minutes(45));
  EXPECT_EQ(v.remaining_business, absl::Minutes(75));
  EXPECT_EQ(v.paused_business, absl::ZeroDuration());
  EXPECT_THAT(v.pause_business, IsEmpty());
  // Nothing more to warn about once met.
  EXPECT_FALSE(v.next_warning.has_value());
  EXPECT_EQ(v.next_warning_time, absl::InfiniteFuture());
  EXPECT_EQ(v.explanation,
            "first_response target 2h of business time on calendar \"24x7\" "
            "under policy \"standard\"; met at 2026-06-08 09:45:00 UTC, on "
            "time");
}

TEST_F(ViewClockTest, DeletedCalendarGivesZeroTimes) {
  Apply(kT0, TicketChange::Kind::kCreated, "new");
  const ClockView v =
      ViewClock(FirstResponse(), nullptr, "standard", kT0 + absl::Hours(1));
  EXPECT_EQ(v.elapsed_business, absl::ZeroDuration());
  EXPECT_EQ(v.remaining_business, absl::Hours(2));
  EXPECT_EQ(v.paused_business, absl::ZeroDuration());
}

// ---- PromiseFor ----

SlaClock OpenClock(Metric metric, absl::Time deadline,
                   ClockState state = ClockState::kRunning) {
  SlaClock c;
  c.metric = metric;
  c.state = state;
  c.started = kT0;
  c.deadline = deadline;
  return c;
}

SlaClock EndedClock(Metric metric, ClockState state) {
  SlaClock c = OpenClock(metric, kT0 + absl::Hours(1), state);
  c.ended = kT0 + absl::Minutes(30);
  return c;
}

TEST(PromiseForTest, OpenResponseClockPromisesAResponse) {
  const std::optional<SlaPromise> p = PromiseFor(
      42, {OpenClock(Metric::kFirstResponse, kT0 + absl::Minutes(150)),
           OpenClock(Metric::kResolution, kT0 + absl::Hours(16))});
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->ticket_id, 42);
  EXPECT_EQ(p->metric, Metric::kFirstResponse);
  EXPECT_EQ(p->due, kT0 + absl::Minutes(150));
  EXPECT_EQ(p->text, "We will respond by 2026-06-08 11:30 UTC");
}

TEST(PromiseForTest, TheCustomersMinuteIsRoundedUpNeverDown) {
  const std::optional<SlaPromise> p =
      PromiseFor(42, {OpenClock(Metric::kFirstResponse,
                                kT0 + absl::Minutes(149) + absl::Seconds(10))});
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->due, kT0 + absl::Minutes(149) + absl::Seconds(10));
  EXPECT_EQ(p->text, "We will respond by 2026-06-08 11:30 UTC");
}

TEST(PromiseForTest, EarliestOpenResponseClockWins) {
  const std::optional<SlaPromise> p = PromiseFor(
      42, {EndedClock(Metric::kFirstResponse, ClockState::kMet),
           OpenClock(Metric::kResolution, kT0 + absl::Hours(1)),
           OpenClock(Metric::kPeriodicUpdate, kT0 + absl::Minutes(5)),
           OpenClock(Metric::kFirstResponse, kT0 + absl::Hours(3)),
           OpenClock(Metric::kNextResponse, kT0 + absl::Hours(2))});
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->metric, Metric::kNextResponse);
  EXPECT_EQ(p->due, kT0 + absl::Hours(2));
  EXPECT_EQ(p->text, "We will respond by 2026-06-08 11:00 UTC");
}

TEST(PromiseForTest, PausedResponseClockWaitsForTheCustomer) {
  const std::optional<SlaPromise> p =
      PromiseFor(42, {OpenClock(Metric::kFirstResponse, absl::InfiniteFuture(),
                                ClockState::kPaused),
                      OpenClock(Metric::kResolution, kT0 + absl::Hours(16))});
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->metric, Metric::kFirstResponse);
  EXPECT_EQ(p->due, absl::InfiniteFuture());
  EXPECT_EQ(p->text, "We are waiting for your reply");
}

TEST(PromiseForTest, OnlyResolutionOpenPromisesAResolution) {
  const std::optional<SlaPromise> p =
      PromiseFor(7, {EndedClock(Metric::kFirstResponse, ClockState::kMet),
                     EndedClock(Metric::kNextResponse, ClockState::kCancelled),
                     OpenClock(Metric::kPeriodicUpdate, kT0 + absl::Hours(1)),
                     OpenClock(Metric::kResolution,
                               kT0 + absl::Hours(30) + absl::Seconds(59))});
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->ticket_id, 7);
  EXPECT_EQ(p->metric, Metric::kResolution);
  EXPECT_EQ(p->due, kT0 + absl::Hours(30) + absl::Seconds(59));
  EXPECT_EQ(p->text, "We aim to resolve this by 2026-06-09 15:01 UTC");
}

TEST(PromiseForTest, PausedResolutionWaitsForTheCustomer) {
  const std::optional<SlaPromise> p =
      PromiseFor(7, {OpenClock(Metric::kResolution, absl::InfiniteFuture(),
                               ClockState::kPaused)});
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->metric, Metric::kResolution);
  EXPECT_EQ(p->due, absl::InfiniteFuture());
  EXPECT_EQ(p->text, "We are waiting for your reply");
}

TEST(PromiseForTest, NothingOpenPromisesNothing) {
  EXPECT_EQ(PromiseFor(7, {}), std::nullopt);
  EXPECT_EQ(PromiseFor(7, {EndedClock(Metric::kFirstResponse, ClockState::kMet),
                           EndedClock(Metric::kResolution, ClockState::kMet)}),
            std::nullopt);
  // A periodic update is not something to promise.
  EXPECT_EQ(
      PromiseFor(7, {OpenClock(Metric::kPeriodicUpdate, kT0 + absl::Hours(1))}),
      std::nullopt);
}

}  // namespace
}  // namespace cxdesk::sla
