#include "services/sla/sla_grpc_service.h"

#include <gmock/gmock.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "services/common/event_stream.h"
#include "services/common/proto_time.h"
#include "services/sla/business_time.h"
#include "services/sla/sla_clock.h"
#include "services/sla/sla_manager.h"

namespace cxdesk::sla {
namespace {

using absl::StatusCode;
using common::FromProtoDuration;
using common::FromProtoTimestamp;
using google::protobuf::util::MessageDifferencer;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
namespace ticketv1 = ::cxdesk::ticket::v1;

// Monday 2026-06-08 09:00:00 UTC.
constexpr absl::Time kT0 = absl::FromUnixSeconds(1780909200);

void ExpectProtoEq(const google::protobuf::Message& actual,
                   const google::protobuf::Message& expected) {
  EXPECT_TRUE(MessageDifferencer::Equals(actual, expected))
      << "actual:\n"
      << actual.DebugString() << "expected:\n"
      << expected.DebugString();
}

void ExpectInvalid(const absl::Status& status, const std::string& message) {
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << status;
  EXPECT_EQ(status.message(), message);
}

// ---- calendars ----

v1::BusinessHours* AddHours(v1::Calendar& c, v1::Weekday day,
                            const std::string& start, const std::string& end) {
  v1::BusinessHours* h = c.add_hours();
  h->set_weekday(day);
  h->set_start(start);
  h->set_end(end);
  return h;
}

v1::Calendar BerlinProto() {
  v1::Calendar c;
  c.set_calendar_id("berlin");
  c.set_time_zone("Europe/Berlin");
  AddHours(c, v1::WEEKDAY_MONDAY, "09:00", "17:00");
  AddHours(c, v1::WEEKDAY_FRIDAY, "09:00", "12:00");
  AddHours(c, v1::WEEKDAY_FRIDAY, "13:00", "24:00");
  AddHours(c, v1::WEEKDAY_SUNDAY, "00:00", "00:01");
  v1::Holiday* christmas = c.add_holidays();
  christmas->set_date("2026-12-25");
  christmas->set_yearly(true);
  christmas->set_title("Christmas");
  v1::Holiday* once = c.add_holidays();
  once->set_date("2026-06-09");
  once->set_title("Offsite");
  c.set_description("Berlin office hours");
  return c;
}

TEST(CalendarFromProtoTest, ConvertsHoursAndHolidays) {
  absl::StatusOr<CalendarRecord> r = CalendarFromProto(BerlinProto());
  ASSERT_TRUE(r.ok()) << r.status();
  const Calendar& c = r->calendar;
  EXPECT_EQ(c.name, "berlin");
  EXPECT_EQ(c.time_zone, "Europe/Berlin");
  EXPECT_EQ(r->description, "Berlin office hours");
  ASSERT_EQ(c.week[0].size(), 1u);
  EXPECT_EQ(c.week[0][0].start_minute, 9 * 60);
  EXPECT_EQ(c.week[0][0].end_minute, 17 * 60);
  for (int d : {1, 2, 3, 5}) EXPECT_THAT(c.week[d], IsEmpty()) << d;
  ASSERT_EQ(c.week[4].size(), 2u);
  EXPECT_EQ(c.week[4][0].start_minute, 9 * 60);
  EXPECT_EQ(c.week[4][0].end_minute, 12 * 60);
  EXPECT_EQ(c.week[4][1].start_minute, 13 * 60);
  EXPECT_EQ(c.week[4][1].end_minute, 1440);
  ASSERT_EQ(c.week[6].size(), 1u);
  EXPECT_EQ(c.week[6][0].start_minute, 0);
  EXPECT_EQ(c.week[6][0].end_minute, 1);
  ASSERT_EQ(c.holidays.size(), 2u);
  EXPECT_EQ(c.holidays[0].day, absl::CivilDay(2026, 12, 25));
  EXPECT_TRUE(c.holidays[0].yearly);
  EXPECT_EQ(c.holidays[0].title, "Christmas");
  EXPECT_EQ(c.holidays[1].day, absl::CivilDay(2026, 6, 9));
  EXPECT_FALSE(c.holidays[1].yearly);
}

TEST(CalendarFromProtoTest, UnspecifiedWeekdayIsInvalid) {
  v1::Calendar c = BerlinProto();
  c.mutable_hours(1)->set_weekday(v1::WEEKDAY_UNSPECIFIED);
  ExpectInvalid(CalendarFromProto(c).status(),
                "calendar.hours[1].weekday: unspecified or unknown weekday");
  c.mutable_hours(1)->set_weekday(static_cast<v1::Weekday>(8));
  ExpectInvalid(CalendarFromProto(c).status(),
                "calendar.hours[1].weekday: unspecified or unknown weekday");
}

TEST(CalendarFromProtoTest, BadTimesNameTheField) {
  struct Case {
    std::string start, end, message;
  };
  const std::vector<Case> cases = {
      {"09:00", "25:00",
       "calendar.hours[0].end: must be HH:MM, 00:01..24:00 (got \"25:00\")"},
      {"09:00", "24:01",
       "calendar.hours[0].end: must be HH:MM, 00:01..24:00 (got \"24:01\")"},
      {"09:00", "17:60",
       "calendar.hours[0].end: must be HH:MM, 00:01..24:00 (got \"17:60\")"},
      {"09:00", "1700",
       "calendar.hours[0].end: must be HH:MM, 00:01..24:00 (got \"1700\")"},
      {"09:00", "",
       "calendar.hours[0].end: must be HH:MM, 00:01..24:00 (got \"\")"},
      {"24:00", "24:00",
       "calendar.hours[0].start: must be HH:MM, 00:00..23:59 (got \"24:00\")"},
      {"9:00", "17:00",
       "calendar.hours[0].start: must be HH:MM, 00:00..23:59 (got \"9:00\")"},
      {"ab:cd", "17:00",
       "calendar.hours[0].start: must be HH:MM, 00:00..23:59 (got \"ab:cd\")"},
      {"17:00", "09:00", "calendar.hours[0].end: must be after start"},
      {"09:00", "09:00", "calendar.hours[0].end: must be after start"},
      {"00:00", "00:00", "calendar.hours[0].end: must be after start"},
  };
  for (const Case& c : cases) {
    v1::Calendar proto;
    proto.set_calendar_id("x");
    proto.set_time_zone("UTC");
    AddHours(proto, v1::WEEKDAY_TUESDAY, c.start, c.end);
    SCOPED_TRACE(c.start + "-" + c.end);
    ExpectInvalid(CalendarFromProto(proto).status(), c.message);
  }
}

TEST(CalendarFromProtoTest, BadHolidayDateNamesTheField) {
  // Also what absl::ParseCivilTime alone takes: signs, spaces, long years,
  // days a month does not have.
  for (const std::string& date :
       {std::string("2026-13-01"), std::string("Christmas"),
        std::string("25.12.2026"), std::string(""), std::string("2026-02-30"),
        std::string("+2026-12-25"), std::string(" 2026-12-25"),
        std::string("12026-12-25"), std::string("2026-1-5")}) {
    v1::Calendar c = BerlinProto();
    c.mutable_holidays(1)->set_date(date);
    ExpectInvalid(CalendarFromProto(c).status(),
                  "calendar.holidays[1].date: must be a real day as "
                  "YYYY-MM-DD (got \"" +
                      date + "\")");
  }
}

TEST(CalendarFromProtoTest, TheSameHolidayTwiceNamesTheField) {
  v1::Calendar c = BerlinProto();
  *c.add_holidays() = c.holidays(0);
  ExpectInvalid(CalendarFromProto(c).status(),
                absl::StrCat("calendar.holidays[", c.holidays_size() - 1,
                             "].date: the same day as holidays[0]"));
}

TEST(CalendarToProtoTest, RoundTripsWithEtagAndTimes) {
  const v1::Calendar input = BerlinProto();
  absl::StatusOr<CalendarRecord> r = CalendarFromProto(input);
  ASSERT_TRUE(r.ok()) << r.status();
  r->version = 7;
  r->create_time = kT0;
  r->update_time = kT0 + absl::Nanoseconds(123456789);
  v1::Calendar out;
  CalendarToProto(*r, &out);

  v1::Calendar expected = input;
  expected.set_etag("7");
  common::ToProtoTimestamp(r->create_time, expected.mutable_create_time());
  common::ToProtoTimestamp(r->update_time, expected.mutable_update_time());
  ExpectProtoEq(out, expected);
  EXPECT_EQ(out.update_time().nanos(), 123456789);
}

// ---- policies ----

v1::Target* AddTarget(v1::Policy& p, ticketv1::Priority priority,
                      v1::Metric metric, absl::Duration target,
                      const std::string& calendar) {
  v1::Target* t = p.add_targets();
  t->set_priority(priority);
  t->set_metric(metric);
  common::ToProtoDuration(target, t->mutable_target());
  t->set_calendar_id(calendar);
  return t;
}

// Targets in the order PolicyToProto writes them (priority word, then
// metric), so it round-trips exactly.
v1::Policy VipProto() {
  v1::Policy p;
  p.set_policy_id("vip");
  p.set_position(2);
  v1::PolicyConditions* c = p.mutable_conditions();
  c->add_priorities(ticketv1::PRIORITY_HIGH);
  c->add_priorities(ticketv1::PRIORITY_URGENT);
  c->add_kinds(ticketv1::KIND_INCIDENT);
  c->add_cx_levels(ticketv1::CX_LEVEL_PRODUCT);
  c->add_channels(ticketv1::CHANNEL_EMAIL);
  c->add_channels(ticketv1::CHANNEL_CHAT);
  c->add_tags_any("enterprise");
  c->add_customer_emails("ceo@example.com");
  v1::Target* high = AddTarget(p, ticketv1::PRIORITY_HIGH,
                               v1::METRIC_RESOLUTION, absl::Hours(8), "berlin");
  high->add_warnings()->set_percent_elapsed(80);
  v1::Target* urgent =
      AddTarget(p, ticketv1::PRIORITY_URGENT, v1::METRIC_FIRST_RESPONSE,
                absl::Hours(1), "berlin");
  urgent->add_warnings()->set_minutes_before(15);
  urgent->add_warnings()->set_percent_elapsed(50);
  AddTarget(p, ticketv1::PRIORITY_URGENT, v1::METRIC_NEXT_RESPONSE,
            absl::Minutes(90) + absl::Nanoseconds(5), "24x7");
  AddTarget(p, ticketv1::PRIORITY_URGENT, v1::METRIC_PERIODIC_UPDATE,
            absl::Hours(2), "24x7");
  AddTarget(p, ticketv1::PRIORITY_URGENT, v1::METRIC_RESOLUTION, absl::Hours(4),
            "berlin");
  p.add_pause_statuses(ticketv1::STATUS_PENDING);
  p.set_keep_resolution_on_reopen(true);
  p.set_description("VIP customers");
  return p;
}

TEST(PolicyFromProtoTest, ConvertsEveryField) {
  absl::StatusOr<PolicyRecord> r = PolicyFromProto(VipProto());
  ASSERT_TRUE(r.ok()) << r.status();
  const Policy& p = r->policy;
  EXPECT_EQ(p.name, "vip");
  EXPECT_EQ(p.position, 2);
  EXPECT_FALSE(p.is_default);
  EXPECT_EQ(r->description, "VIP customers");
  EXPECT_THAT(p.conditions.priorities, ElementsAre("high", "urgent"));
  EXPECT_THAT(p.conditions.kinds, ElementsAre("incident"));
  EXPECT_THAT(p.conditions.cx_levels, ElementsAre("product"));
  EXPECT_THAT(p.conditions.channels, ElementsAre("email", "chat"));
  EXPECT_THAT(p.conditions.tags_any, ElementsAre("enterprise"));
  EXPECT_THAT(p.conditions.customer_emails, ElementsAre("ceo@example.com"));
  ASSERT_EQ(p.targets.size(), 2u);
  ASSERT_EQ(p.targets.at("urgent").size(), 4u);
  const TargetSpec* fr = p.Target("urgent", Metric::kFirstResponse);
  ASSERT_NE(fr, nullptr);
  EXPECT_EQ(fr->target, absl::Hours(1));
  EXPECT_EQ(fr->calendar, "berlin");
  EXPECT_THAT(fr->warnings, ElementsAre(WarningThreshold::MinutesBefore(15),
                                        WarningThreshold::PercentElapsed(50)));
  const TargetSpec* nr = p.Target("urgent", Metric::kNextResponse);
  ASSERT_NE(nr, nullptr);
  EXPECT_EQ(nr->target, absl::Minutes(90) + absl::Nanoseconds(5));
  EXPECT_EQ(nr->calendar, "24x7");
  EXPECT_THAT(nr->warnings, IsEmpty());
  const TargetSpec* high = p.Target("high", Metric::kResolution);
  ASSERT_NE(high, nullptr);
  EXPECT_THAT(high->warnings,
              ElementsAre(WarningThreshold::PercentElapsed(80)));
  EXPECT_EQ(p.Target("high", Metric::kFirstResponse), nullptr);
  EXPECT_THAT(p.pause_statuses, ElementsAre("pending"));
  EXPECT_FALSE(p.reopen_restarts_resolution);
}

TEST(PolicyFromProtoTest, DefaultsPauseStatusesAndReopening) {
  v1::Policy proto;
  proto.set_policy_id("standard");
  proto.set_is_default(true);
  absl::StatusOr<PolicyRecord> r = PolicyFromProto(proto);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(r->policy.is_default);
  EXPECT_TRUE(r->policy.conditions.empty());
  EXPECT_TRUE(r->policy.targets.empty());
  EXPECT_THAT(r->policy.pause_statuses, ElementsAre("pending", "on_hold"));
  EXPECT_TRUE(r->policy.reopen_restarts_resolution);
}

TEST(PolicyFromProtoTest, UnknownEnumsInConditionsNameTheField) {
  v1::Policy p = VipProto();
  p.mutable_conditions()->set_priorities(0, static_cast<ticketv1::Priority>(9));
  ExpectInvalid(PolicyFromProto(p).status(),
                "policy.conditions.priorities[0]: unspecified or unknown "
                "value 9");

  p = VipProto();
  p.mutable_conditions()->add_kinds(ticketv1::KIND_UNSPECIFIED);
  ExpectInvalid(PolicyFromProto(p).status(),
                "policy.conditions.kinds[1]: unspecified or unknown value 0");

  p = VipProto();
  p.mutable_conditions()->set_cx_levels(0, ticketv1::CX_LEVEL_UNSPECIFIED);
  ExpectInvalid(PolicyFromProto(p).status(),
                "policy.conditions.cx_levels[0]: unspecified or unknown "
                "value 0");

  p = VipProto();
  p.mutable_conditions()->set_channels(1, static_cast<ticketv1::Channel>(42));
  ExpectInvalid(PolicyFromProto(p).status(),
                "policy.conditions.channels[1]: unspecified or unknown "
                "value 42");

  p = VipProto();
  p.add_pause_statuses(ticketv1::STATUS_UNSPECIFIED);
  ExpectInvalid(PolicyFromProto(p).status(),
                "policy.pause_statuses[1]: unspecified or unknown value 0");
}

TEST(PolicyFromProtoTest, BadTargetsNameTheField) {
  v1::Policy p = VipProto();
  AddTarget(p, ticketv1::PRIORITY_URGENT, v1::METRIC_FIRST_RESPONSE,
            absl::Hours(2), "berlin");
  ExpectInvalid(PolicyFromProto(p).status(),
                "policy.targets[5]: a second urgent first_response target");

  p = VipProto();
  p.mutable_targets(0)->set_priority(ticketv1::PRIORITY_UNSPECIFIED);
  ExpectInvalid(PolicyFromProto(p).status(),
                "policy.targets[0].priority: unspecified or unknown priority");

  p = VipProto();
  p.mutable_targets(1)->set_metric(v1::METRIC_UNSPECIFIED);
  ExpectInvalid(PolicyFromProto(p).status(),
                "policy.targets[1].metric: unspecified or unknown metric 0");

  p = VipProto();
  p.mutable_targets(1)->set_metric(static_cast<v1::Metric>(5));
  ExpectInvalid(PolicyFromProto(p).status(),
                "policy.targets[1].metric: unspecified or unknown metric 5");

  // A warning with neither threshold set.
  p = VipProto();
  p.mutable_targets(1)->add_warnings();
  ExpectInvalid(
      PolicyFromProto(p).status(),
      "policy.targets[1].warnings[2]: set minutes_before or percent_elapsed");
}

TEST(PolicyToProtoTest, RoundTripsWithEtagAndTimes) {
  const v1::Policy input = VipProto();
  absl::StatusOr<PolicyRecord> r = PolicyFromProto(input);
  ASSERT_TRUE(r.ok()) << r.status();
  r->version = 12;
  r->create_time = kT0;
  r->update_time = kT0 + absl::Hours(1);
  v1::Policy out;
  PolicyToProto(*r, &out);

  v1::Policy expected = input;
  expected.set_etag("12");
  common::ToProtoTimestamp(r->create_time, expected.mutable_create_time());
  common::ToProtoTimestamp(r->update_time, expected.mutable_update_time());
  ExpectProtoEq(out, expected);
}

TEST(PolicyToProtoTest, DefaultPolicyWritesTheDefaultPauseStatuses) {
  PolicyRecord r;
  r.policy.name = "standard";
  r.policy.is_default = true;
  r.version = 1;
  v1::Policy out;
  PolicyToProto(r, &out);
  EXPECT_EQ(out.policy_id(), "standard");
  EXPECT_TRUE(out.is_default());
  EXPECT_THAT(out.pause_statuses(),
              ElementsAre(ticketv1::STATUS_PENDING, ticketv1::STATUS_ON_HOLD));
  EXPECT_FALSE(out.keep_resolution_on_reopen());
  EXPECT_EQ(out.etag(), "1");
  EXPECT_EQ(out.targets_size(), 0);
}

// ---- ledger events ----

LedgerEvent FullEvent() {
  LedgerEvent e;
  e.cursor = {77, 9};
  e.id = 9;
  e.ticket_id = 42;
  e.kind = SlaTransition::Kind::kMet;
  e.metric = Metric::kResolution;
  e.cycle = 2;
  e.occur_time = kT0 + absl::Nanoseconds(1);
  e.record_time = kT0 + absl::Seconds(1);
  e.deadline = kT0 + absl::Hours(4);
  e.policy_id = "vip";
  e.calendar_id = "berlin";
  e.target = absl::Hours(4);
  e.actor = "carol";
  e.reason = "fixed";
  e.status = "on_hold";
  e.met_late = true;
  e.overdue = true;
  e.warning = WarningThreshold::PercentElapsed(75);
  e.pause_business = absl::Minutes(30);
  e.pause_elapsed = absl::Hours(2);
  e.business_time = absl::Hours(5);
  e.calendar_time = absl::Hours(20);
  e.ticket_event_id = 1234;
  e.team = "billing";
  e.assignee = "bob";
  e.priority = "urgent";
  return e;
}

TEST(LedgerEventToProtoTest, ConvertsEveryField) {
  v1::SlaEvent out;
  LedgerEventToProto(FullEvent(), &out);
  EXPECT_EQ(out.cursor(), common::EncodeCursor({77, 9}));
  EXPECT_EQ(out.id(), 9);
  EXPECT_EQ(out.ticket_id(), 42);
  EXPECT_EQ(out.kind(), v1::SLA_EVENT_KIND_MET);
  EXPECT_EQ(out.metric(), v1::METRIC_RESOLUTION);
  EXPECT_EQ(out.cycle(), 2);
  EXPECT_EQ(FromProtoTimestamp(out.occur_time()), kT0 + absl::Nanoseconds(1));
  EXPECT_EQ(FromProtoTimestamp(out.record_time()), kT0 + absl::Seconds(1));
  ASSERT_TRUE(out.has_deadline());
  EXPECT_EQ(FromProtoTimestamp(out.deadline()), kT0 + absl::Hours(4));
  EXPECT_EQ(out.policy_id(), "vip");
  EXPECT_EQ(out.calendar_id(), "berlin");
  EXPECT_EQ(FromProtoDuration(out.target()), absl::Hours(4));
  EXPECT_EQ(out.actor(), "carol");
  EXPECT_EQ(out.reason(), "fixed");
  EXPECT_EQ(out.status(), ticketv1::STATUS_ON_HOLD);
  EXPECT_TRUE(out.met_late());
  EXPECT_TRUE(out.overdue());
  ASSERT_TRUE(out.has_warning());
  EXPECT_EQ(out.warning().threshold_case(), v1::Warning::kPercentElapsed);
  EXPECT_EQ(out.warning().percent_elapsed(), 75);
  EXPECT_EQ(FromProtoDuration(out.pause_business()), absl::Minutes(30));
  EXPECT_EQ(FromProtoDuration(out.pause_elapsed()), absl::Hours(2));
  EXPECT_EQ(FromProtoDuration(out.business_time()), absl::Hours(5));
  EXPECT_EQ(FromProtoDuration(out.calendar_time()), absl::Hours(20));
  EXPECT_EQ(out.ticket_event_id(), 1234);
  EXPECT_EQ(out.team(), "billing");
  EXPECT_EQ(out.assignee(), "bob");
  EXPECT_EQ(out.priority(), ticketv1::PRIORITY_URGENT);
}

TEST(LedgerEventToProtoTest, LeavesUnknownAndAbsentValuesUnset) {
  LedgerEvent e = FullEvent();
  e.deadline = absl::InfiniteFuture();
  e.warning = std::nullopt;
  e.pause_business = std::nullopt;
  e.pause_elapsed = std::nullopt;
  e.business_time = std::nullopt;
  e.calendar_time = std::nullopt;
  v1::SlaEvent out;
  LedgerEventToProto(e, &out);
  EXPECT_FALSE(out.has_deadline());
  EXPECT_FALSE(out.has_warning());
  EXPECT_FALSE(out.has_pause_business());
  EXPECT_FALSE(out.has_pause_elapsed());
  EXPECT_FALSE(out.has_business_time());
  EXPECT_FALSE(out.has_calendar_time());
}

TEST(LedgerEventToProtoTest, MinutesBeforeWarning) {
  LedgerEvent e = FullEvent();
  e.kind = SlaTransition::Kind::kWarned;
  e.warning = WarningThreshold::MinutesBefore(15);
  v1::SlaEvent out;
  LedgerEventToProto(e, &out);
  EXPECT_EQ(out.kind(), v1::SLA_EVENT_KIND_WARNED);
  EXPECT_EQ(out.warning().threshold_case(), v1::Warning::kMinutesBefore);
  EXPECT_EQ(out.warning().minutes_before(), 15);
}

TEST(LedgerEventToProtoTest, EveryKindAndMetricMapsToItsNamesake) {
  for (int i = 0; i <= static_cast<int>(SlaTransition::Kind::kBreached); ++i) {
    LedgerEvent e = FullEvent();
    e.kind = static_cast<SlaTransition::Kind>(i);
    v1::SlaEvent out;
    LedgerEventToProto(e, &out);
    EXPECT_EQ(
        v1::SlaEventKind_Name(out.kind()),
        "SLA_EVENT_KIND_" + absl::AsciiStrToUpper(TransitionName(e.kind)));
  }
  for (Metric m : kAllMetrics) {
    LedgerEvent e = FullEvent();
    e.metric = m;
    v1::SlaEvent out;
    LedgerEventToProto(e, &out);
    EXPECT_EQ(v1::Metric_Name(out.metric()),
              "METRIC_" + absl::AsciiStrToUpper(MetricName(m)));
  }
  // Spelled out once, so an off-by-one in both directions cannot hide.
  LedgerEvent e = FullEvent();
  e.metric = Metric::kFirstResponse;
  e.kind = SlaTransition::Kind::kStarted;
  v1::SlaEvent out;
  LedgerEventToProto(e, &out);
  EXPECT_EQ(out.metric(), v1::METRIC_FIRST_RESPONSE);
  EXPECT_EQ(out.metric(), 1);
  EXPECT_EQ(out.kind(), v1::SLA_EVENT_KIND_STARTED);
}

// ---- reports ----

TEST(ReportToProtoTest, ConvertsRowsAndMapsEnums) {
  Report report;
  report.start = kT0;
  report.end = kT0 + absl::Hours(24);
  report.group_by = {Dimension::kTeam, Dimension::kChannel};
  report.clocks = 5;
  ReportRow row;
  row.group_values = {"billing", "email"};
  row.tickets = 3;
  row.ratings = 2;
  row.average_csat = 4.5;
  MetricReport fr;
  fr.metric = Metric::kFirstResponse;
  fr.clocks = 3;
  fr.met_on_time = 1;
  fr.breached = 1;
  fr.open = 0;
  fr.cancelled = 1;
  fr.compliance_percent = 50;
  fr.business_time = {1, absl::Minutes(10), absl::Minutes(11),
                      absl::Minutes(12), absl::Minutes(13)};
  fr.calendar_time = {1, absl::Minutes(20), absl::Minutes(21),
                      absl::Minutes(22), absl::Minutes(23)};
  MetricReport res;
  res.metric = Metric::kResolution;
  res.clocks = 2;
  res.open = 2;
  row.metrics = {fr, res};
  report.rows.push_back(row);

  v1::SlaReport out;
  ReportToProto(report, &out);
  EXPECT_EQ(FromProtoTimestamp(out.start_time()), kT0);
  EXPECT_EQ(FromProtoTimestamp(out.end_time()), kT0 + absl::Hours(24));
  EXPECT_THAT(out.group_by(), ElementsAre(v1::REPORT_DIMENSION_TEAM,
                                          v1::REPORT_DIMENSION_CHANNEL));
  EXPECT_EQ(out.clocks(), 5);
  ASSERT_EQ(out.rows_size(), 1);
  const v1::SlaReportRow& r = out.rows(0);
  EXPECT_THAT(r.group_values(), ElementsAre("billing", "email"));
  EXPECT_EQ(r.tickets(), 3);
  EXPECT_EQ(r.ratings(), 2);
  EXPECT_DOUBLE_EQ(r.average_csat(), 4.5);
  ASSERT_EQ(r.metrics_size(), 2);
  const v1::MetricReport& m = r.metrics(0);
  EXPECT_EQ(m.metric(), v1::METRIC_FIRST_RESPONSE);
  EXPECT_EQ(m.clocks(), 3);
  EXPECT_EQ(m.met_on_time(), 1);
  EXPECT_EQ(m.breached(), 1);
  EXPECT_EQ(m.open(), 0);
  EXPECT_EQ(m.cancelled(), 1);
  EXPECT_DOUBLE_EQ(m.compliance_percent(), 50.0);
  EXPECT_EQ(m.business_time().count(), 1);
  EXPECT_EQ(FromProtoDuration(m.business_time().p50()), absl::Minutes(10));
  EXPECT_EQ(FromProtoDuration(m.business_time().p90()), absl::Minutes(11));
  EXPECT_EQ(FromProtoDuration(m.business_time().p99()), absl::Minutes(12));
  EXPECT_EQ(FromProtoDuration(m.business_time().max()), absl::Minutes(13));
  EXPECT_EQ(FromProtoDuration(m.calendar_time().p50()), absl::Minutes(20));
  EXPECT_EQ(FromProtoDuration(m.calendar_time().max()), absl::Minutes(23));
  EXPECT_EQ(r.metrics(1).metric(), v1::METRIC_RESOLUTION);
  EXPECT_EQ(r.metrics(1).open(), 2);
  EXPECT_EQ(r.metrics(1).business_time().count(), 0);
}

TEST(ReportToProtoTest, EveryDimensionAndMetricMapsToItsNamesake) {
  Report report;
  for (int i = 0; i <= static_cast<int>(Dimension::kChannel); ++i) {
    report.group_by.push_back(static_cast<Dimension>(i));
  }
  ReportRow row;
  for (Metric metric : kAllMetrics) {
    MetricReport m;
    m.metric = metric;
    row.metrics.push_back(m);
  }
  report.rows.push_back(row);
  v1::SlaReport out;
  ReportToProto(report, &out);
  ASSERT_EQ(out.group_by_size(), 7);
  for (int i = 0; i < 7; ++i) {
    EXPECT_EQ(v1::ReportDimension_Name(out.group_by(i)),
              "REPORT_DIMENSION_" +
                  absl::AsciiStrToUpper(DimensionName(report.group_by[i])));
  }
  ASSERT_EQ(out.rows(0).metrics_size(), 4);
  EXPECT_EQ(out.rows(0).metrics(0).metric(), v1::METRIC_FIRST_RESPONSE);
  EXPECT_EQ(out.rows(0).metrics(1).metric(), v1::METRIC_NEXT_RESPONSE);
  EXPECT_EQ(out.rows(0).metrics(2).metric(), v1::METRIC_PERIODIC_UPDATE);
  EXPECT_EQ(out.rows(0).metrics(3).metric(), v1::METRIC_RESOLUTION);
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
