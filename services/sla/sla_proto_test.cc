#include "services/sla/sla_proto.h"

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
namespace ticketpb = ::cxdesk::ticket::v1;

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

v1::Target* AddTarget(v1::Policy& p, ticketpb::Priority priority,
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
  c->add_priorities(ticketpb::PRIORITY_HIGH);
  c->add_priorities(ticketpb::PRIORITY_URGENT);
  c->add_kinds(ticketpb::KIND_INCIDENT);
  c->add_cx_levels(ticketpb::CX_LEVEL_PRODUCT);
  c->add_channels(ticketpb::CHANNEL_EMAIL);
  c->add_channels(ticketpb::CHANNEL_CHAT);
  c->add_tags_any("enterprise");
  c->add_customer_emails("ceo@example.com");
  v1::Target* high = AddTarget(p, ticketpb::PRIORITY_HIGH,
                               v1::METRIC_RESOLUTION, absl::Hours(8), "berlin");
  high->add_warnings()->set_percent_elapsed(80);
  v1::Target* urgent =
      AddTarget(p, ticketpb::PRIORITY_URGENT, v1::METRIC_FIRST_RESPONSE,
                absl::Hours(1), "berlin");
  urgent->add_warnings()->set_minutes_before(15);
  urgent->add_warnings()->set_percent_elapsed(50);
  AddTarget(p, ticketpb::PRIORITY_URGENT, v1::METRIC_NEXT_RESPONSE,
            absl::Minutes(90) + absl::Nanoseconds(5), "24x7");
  AddTarget(p, ticketpb::PRIORITY_URGENT, v1::METRIC_PERIODIC_UPDATE,
            absl::Hours(2), "24x7");
  AddTarget(p, ticketpb::PRIORITY_URGENT, v1::METRIC_RESOLUTION, absl::Hours(4),
            "berlin");
  p.add_pause_statuses(ticketpb::STATUS_PENDING);
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
  p.mutable_conditions()->set_priorities(0, static_cast<ticketpb::Priority>(9));
  ExpectInvalid(PolicyFromProto(p).status(),
                "policy.conditions.priorities[0]: unspecified or unknown "
                "value 9");

  p = VipProto();
  p.mutable_conditions()->add_kinds(ticketpb::KIND_UNSPECIFIED);
  ExpectInvalid(PolicyFromProto(p).status(),
                "policy.conditions.kinds[1]: unspecified or unknown value 0");

  p = VipProto();
  p.mutable_conditions()->set_cx_levels(0, ticketpb::CX_LEVEL_UNSPECIFIED);
  ExpectInvalid(PolicyFromProto(p).status(),
                "policy.conditions.cx_levels[0]: unspecified or unknown "
                "value 0");

  p = VipProto();
  p.mutable_conditions()->set_channels(1, static_cast<ticketpb::Channel>(42));
  ExpectInvalid(PolicyFromProto(p).status(),
                "policy.conditions.channels[1]: unspecified or unknown "
                "value 42");

  p = VipProto();
  p.add_pause_statuses(ticketpb::STATUS_UNSPECIFIED);
  ExpectInvalid(PolicyFromProto(p).status(),
                "policy.pause_statuses[1]: unspecified or unknown value 0");
}

TEST(PolicyFromProtoTest, BadTargetsNameTheField) {
  v1::Policy p = VipProto();
  AddTarget(p, ticketpb::PRIORITY_URGENT, v1::METRIC_FIRST_RESPONSE,
            absl::Hours(2), "berlin");
  ExpectInvalid(PolicyFromProto(p).status(),
                "policy.targets[5]: a second urgent first_response target");

  p = VipProto();
  p.mutable_targets(0)->set_priority(ticketpb::PRIORITY_UNSPECIFIED);
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
              ElementsAre(ticketpb::STATUS_PENDING, ticketpb::STATUS_ON_HOLD));
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
  EXPECT_EQ(out.status(), ticketpb::STATUS_ON_HOLD);
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
  EXPECT_EQ(out.priority(), ticketpb::PRIORITY_URGENT);
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

// ---- enums ----

TEST(MetricFromProtoTest, MapsEveryMetricAndNamesTheFieldOtherwise) {
  EXPECT_EQ(*MetricFromProto(v1::METRIC_FIRST_RESPONSE, "m"),
            Metric::kFirstResponse);
  EXPECT_EQ(*MetricFromProto(v1::METRIC_NEXT_RESPONSE, "m"),
            Metric::kNextResponse);
  EXPECT_EQ(*MetricFromProto(v1::METRIC_PERIODIC_UPDATE, "m"),
            Metric::kPeriodicUpdate);
  EXPECT_EQ(*MetricFromProto(v1::METRIC_RESOLUTION, "m"), Metric::kResolution);
  ExpectInvalid(MetricFromProto(v1::METRIC_UNSPECIFIED, "x.metric").status(),
                "x.metric: unspecified or unknown metric 0");
  ExpectInvalid(MetricFromProto(5, "x.metric").status(),
                "x.metric: unspecified or unknown metric 5");
  for (Metric m : {Metric::kFirstResponse, Metric::kNextResponse,
                   Metric::kPeriodicUpdate, Metric::kResolution}) {
    EXPECT_EQ(*MetricFromProto(MetricToProto(m), "m"), m);
  }
}

TEST(MetricFilterFromProtoTest, UnspecifiedAndUnknownFilterNothing) {
  EXPECT_EQ(MetricFilterFromProto(v1::METRIC_UNSPECIFIED), std::nullopt);
  EXPECT_EQ(MetricFilterFromProto(5), std::nullopt);
  EXPECT_EQ(MetricFilterFromProto(-1), std::nullopt);
  EXPECT_EQ(MetricFilterFromProto(v1::METRIC_RESOLUTION), Metric::kResolution);
}

TEST(DimensionsFromProtoTest, KeepsOrderAndRepeatsAndNamesTheBadIndex) {
  google::protobuf::RepeatedField<int> group_by;
  group_by.Add(v1::REPORT_DIMENSION_CHANNEL);
  group_by.Add(v1::REPORT_DIMENSION_TEAM);
  group_by.Add(v1::REPORT_DIMENSION_TEAM);
  absl::StatusOr<std::vector<Dimension>> dims = DimensionsFromProto(group_by);
  ASSERT_TRUE(dims.ok()) << dims.status();
  EXPECT_THAT(*dims, ElementsAre(Dimension::kChannel, Dimension::kTeam,
                                 Dimension::kTeam));
  group_by.Add(v1::REPORT_DIMENSION_UNSPECIFIED);
  ExpectInvalid(DimensionsFromProto(group_by).status(),
                "group_by[3]: unspecified or unknown dimension 0");
  group_by.Set(3, 8);
  ExpectInvalid(DimensionsFromProto(group_by).status(),
                "group_by[3]: unspecified or unknown dimension 8");
}

// ---- clocks ----

ClockView PausedView() {
  ClockView v;
  v.clock.metric = Metric::kNextResponse;
  v.clock.cycle = 2;
  v.clock.state = ClockState::kPaused;
  v.clock.breached = true;
  v.clock.started = kT0;
  v.clock.target = absl::Hours(2);
  v.clock.calendar = "24x7";
  v.clock.pauses.push_back({kT0 + absl::Minutes(10), kT0 + absl::Minutes(20),
                            "alice", "logs", "pending"});
  v.clock.pauses.push_back(
      {kT0 + absl::Minutes(30), absl::InfiniteFuture(), "bob", "", "on_hold"});
  v.elapsed_business = absl::Minutes(20);
  v.remaining_business = absl::Minutes(100);
  v.paused_business = absl::Minutes(40);
  v.pause_business = {absl::Minutes(10), absl::Minutes(30)};
  v.explanation = "paused";
  return v;
}

TEST(ClockViewToProtoTest, InfiniteInstantsStayUnset) {
  v1::SlaClock out;
  ClockViewToProto(PausedView(), &out);
  EXPECT_EQ(out.metric(), v1::METRIC_NEXT_RESPONSE);
  EXPECT_EQ(out.cycle(), 2);
  EXPECT_EQ(out.state(), v1::CLOCK_STATE_PAUSED);
  EXPECT_TRUE(out.breached());
  EXPECT_EQ(FromProtoDuration(out.target()), absl::Hours(2));
  EXPECT_EQ(out.calendar_id(), "24x7");
  EXPECT_EQ(FromProtoTimestamp(out.start_time()), kT0);
  EXPECT_FALSE(out.has_deadline());
  EXPECT_FALSE(out.has_end_time());
  EXPECT_FALSE(out.has_next_warning());
  EXPECT_FALSE(out.has_next_warning_time());
  EXPECT_EQ(FromProtoDuration(out.elapsed_business()), absl::Minutes(20));
  EXPECT_EQ(FromProtoDuration(out.remaining_business()), absl::Minutes(100));
  EXPECT_EQ(FromProtoDuration(out.paused_business()), absl::Minutes(40));
  ASSERT_EQ(out.pauses_size(), 2);
  EXPECT_EQ(FromProtoTimestamp(out.pauses(0).start_time()),
            kT0 + absl::Minutes(10));
  EXPECT_EQ(FromProtoTimestamp(out.pauses(0).end_time()),
            kT0 + absl::Minutes(20));
  EXPECT_EQ(out.pauses(0).actor(), "alice");
  EXPECT_EQ(out.pauses(0).reason(), "logs");
  EXPECT_EQ(out.pauses(0).status(), ticketpb::STATUS_PENDING);
  EXPECT_EQ(FromProtoDuration(out.pauses(0).business_duration()),
            absl::Minutes(10));
  EXPECT_FALSE(out.pauses(1).has_end_time());
  EXPECT_EQ(out.pauses(1).status(), ticketpb::STATUS_ON_HOLD);
  EXPECT_EQ(FromProtoDuration(out.pauses(1).business_duration()),
            absl::Minutes(30));
  EXPECT_EQ(out.explanation(), "paused");
}

TEST(ClockViewToProtoTest, FiniteInstantsAndTheNextWarningAreSet) {
  ClockView v;
  v.clock.metric = Metric::kResolution;
  v.clock.state = ClockState::kMet;
  v.clock.started = kT0;
  v.clock.deadline = kT0 + absl::Hours(8);
  v.clock.ended = kT0 + absl::Hours(3);
  v.next_warning = WarningThreshold::PercentElapsed(75);
  v.next_warning_time = kT0 + absl::Hours(6);
  v1::SlaClock out;
  ClockViewToProto(v, &out);
  EXPECT_EQ(out.state(), v1::CLOCK_STATE_MET);
  EXPECT_EQ(FromProtoTimestamp(out.deadline()), kT0 + absl::Hours(8));
  EXPECT_EQ(FromProtoTimestamp(out.end_time()), kT0 + absl::Hours(3));
  EXPECT_EQ(out.next_warning().percent_elapsed(), 75);
  EXPECT_EQ(FromProtoTimestamp(out.next_warning_time()), kT0 + absl::Hours(6));
}

TEST(TicketSlaToProtoTest, WritesTheTicketAndEveryClockInOrder) {
  TicketSlaView view;
  view.ticket_id = 42;
  view.policy_id = "standard";
  view.status = "on_hold";
  view.as_of = kT0 + absl::Minutes(5);
  view.clocks.push_back(PausedView());
  view.clocks.push_back(PausedView());
  view.clocks[1].clock.metric = Metric::kResolution;
  v1::TicketSla out;
  TicketSlaToProto(view, &out);
  EXPECT_EQ(out.ticket_id(), 42);
  EXPECT_EQ(out.policy_id(), "standard");
  EXPECT_EQ(out.status(), ticketpb::STATUS_ON_HOLD);
  EXPECT_EQ(FromProtoTimestamp(out.as_of_time()), kT0 + absl::Minutes(5));
  ASSERT_EQ(out.clocks_size(), 2);
  EXPECT_EQ(out.clocks(0).metric(), v1::METRIC_NEXT_RESPONSE);
  EXPECT_EQ(out.clocks(1).metric(), v1::METRIC_RESOLUTION);
}

TEST(SlaPromiseToProtoTest, AnUnknownDueTimeStaysUnset) {
  SlaPromise promise;
  promise.ticket_id = 7;
  promise.metric = Metric::kFirstResponse;
  promise.text = "We are waiting for your reply";
  v1::SlaPromise out;
  SlaPromiseToProto(promise, &out);
  EXPECT_EQ(out.ticket_id(), 7);
  EXPECT_EQ(out.metric(), v1::METRIC_FIRST_RESPONSE);
  EXPECT_FALSE(out.has_due_time());
  EXPECT_EQ(out.text(), "We are waiting for your reply");

  promise.due = kT0 + absl::Minutes(90);
  SlaPromiseToProto(promise, &out);
  EXPECT_EQ(FromProtoTimestamp(out.due_time()), kT0 + absl::Minutes(90));
}

// ---- filters ----

TEST(EventFilterFromProtoTest, ConvertsEveryField) {
  v1::ListSlaEventsRequest request;
  request.set_ticket_id(9);
  request.add_kinds(v1::SLA_EVENT_KIND_STARTED);
  request.add_kinds(v1::SLA_EVENT_KIND_BREACHED);
  request.set_metric(v1::METRIC_PERIODIC_UPDATE);
  common::ToProtoTimestamp(kT0, request.mutable_start_time());
  common::ToProtoTimestamp(kT0 + absl::Hours(1), request.mutable_end_time());
  absl::StatusOr<EventFilter> filter = EventFilterFromProto(request);
  ASSERT_TRUE(filter.ok()) << filter.status();
  EXPECT_EQ(filter->ticket_id, 9);
  EXPECT_THAT(filter->kinds, ElementsAre(SlaTransition::Kind::kStarted,
                                         SlaTransition::Kind::kBreached));
  EXPECT_EQ(filter->metric, Metric::kPeriodicUpdate);
  EXPECT_EQ(filter->start, kT0);
  EXPECT_EQ(filter->end, kT0 + absl::Hours(1));
}

TEST(EventFilterFromProtoTest, AnEmptyRequestMatchesEverything) {
  absl::StatusOr<EventFilter> filter =
      EventFilterFromProto(v1::ListSlaEventsRequest());
  ASSERT_TRUE(filter.ok()) << filter.status();
  EXPECT_EQ(filter->ticket_id, 0);
  EXPECT_THAT(filter->kinds, IsEmpty());
  EXPECT_EQ(filter->metric, std::nullopt);
  EXPECT_EQ(filter->start, absl::InfinitePast());
  EXPECT_EQ(filter->end, absl::InfiniteFuture());
}

TEST(EventFilterFromProtoTest, UnknownKindsNameTheIndex) {
  v1::ListSlaEventsRequest request;
  request.add_kinds(v1::SLA_EVENT_KIND_MET);
  request.add_kinds(v1::SLA_EVENT_KIND_UNSPECIFIED);
  ExpectInvalid(EventFilterFromProto(request).status(),
                "kinds[1]: unspecified or unknown kind 0");
  request.set_kinds(1, static_cast<v1::SlaEventKind>(9));
  ExpectInvalid(EventFilterFromProto(request).status(),
                "kinds[1]: unspecified or unknown kind 9");
}

TEST(BreachFilterFromProtoTest, ConvertsEveryFieldAndIgnoresUnknownEnums) {
  v1::ListBreachesRequest request;
  common::ToProtoTimestamp(kT0, request.mutable_start_time());
  request.set_team("payments");
  request.set_assignee("alice");
  request.set_metric(v1::METRIC_FIRST_RESPONSE);
  request.set_priority(ticketpb::PRIORITY_URGENT);
  request.set_open_only(true);
  BreachFilter filter = BreachFilterFromProto(request);
  EXPECT_EQ(filter.start, kT0);
  EXPECT_EQ(filter.end, absl::InfiniteFuture());
  EXPECT_EQ(filter.team, "payments");
  EXPECT_EQ(filter.assignee, "alice");
  EXPECT_EQ(filter.metric, Metric::kFirstResponse);
  EXPECT_EQ(filter.priority, "urgent");
  EXPECT_TRUE(filter.open_only);

  request.set_metric(static_cast<v1::Metric>(7));
  request.set_priority(ticketpb::PRIORITY_UNSPECIFIED);
  filter = BreachFilterFromProto(request);
  EXPECT_EQ(filter.metric, std::nullopt);
  EXPECT_EQ(filter.priority, "");
}

TEST(BreachToProtoTest, MetTimeOnlyOnceMet) {
  BreachRecord breach;
  breach.event.id = 31;
  breach.event.kind = SlaTransition::Kind::kBreached;
  breach.state = ClockState::kRunning;
  v1::Breach out;
  BreachToProto(breach, &out);
  EXPECT_EQ(out.event().id(), 31);
  EXPECT_EQ(out.event().kind(), v1::SLA_EVENT_KIND_BREACHED);
  EXPECT_EQ(out.state(), v1::CLOCK_STATE_RUNNING);
  EXPECT_FALSE(out.has_met_time());

  breach.state = ClockState::kMet;
  breach.met_time = kT0 + absl::Hours(5);
  out.Clear();
  BreachToProto(breach, &out);
  EXPECT_EQ(out.state(), v1::CLOCK_STATE_MET);
  EXPECT_EQ(FromProtoTimestamp(out.met_time()), kT0 + absl::Hours(5));
}

// ---- reports ----

TEST(ReportQueryFromProtoTest, ConvertsTheWindowAndGrouping) {
  v1::GetSlaReportRequest request;
  common::ToProtoTimestamp(kT0, request.mutable_start_time());
  common::ToProtoTimestamp(kT0 + absl::Hours(24), request.mutable_end_time());
  request.add_group_by(v1::REPORT_DIMENSION_POLICY);
  absl::StatusOr<ReportQuery> query = ReportQueryFromProto(request);
  ASSERT_TRUE(query.ok()) << query.status();
  EXPECT_EQ(query->start, kT0);
  EXPECT_EQ(query->end, kT0 + absl::Hours(24));
  EXPECT_THAT(query->group_by, ElementsAre(Dimension::kPolicy));
}

TEST(ReportQueryFromProtoTest, AMissingWindowIsLeftInfinite) {
  absl::StatusOr<ReportQuery> query =
      ReportQueryFromProto(v1::GetSlaReportRequest());
  ASSERT_TRUE(query.ok()) << query.status();
  EXPECT_EQ(query->start, absl::InfinitePast());
  EXPECT_EQ(query->end, absl::InfiniteFuture());
  EXPECT_THAT(query->group_by, IsEmpty());
}

TEST(ReportQueryFromProtoTest, UnknownDimensionNamesTheIndex) {
  v1::GetSlaReportRequest request;
  request.add_group_by(v1::REPORT_DIMENSION_TEAM);
  request.add_group_by(static_cast<v1::ReportDimension>(11));
  ExpectInvalid(ReportQueryFromProto(request).status(),
                "group_by[1]: unspecified or unknown dimension 11");
}

TEST(SimulationFromProtoTest, ConvertsTheDraftAndTheQuery) {
  v1::SimulatePolicyRequest request;
  *request.mutable_policy() = VipProto();
  common::ToProtoTimestamp(kT0, request.mutable_start_time());
  common::ToProtoTimestamp(kT0 + absl::Hours(48), request.mutable_end_time());
  request.add_group_by(v1::REPORT_DIMENSION_PRIORITY);
  absl::StatusOr<Simulation> simulation = SimulationFromProto(request);
  ASSERT_TRUE(simulation.ok()) << simulation.status();
  EXPECT_EQ(simulation->draft.policy.name, "vip");
  EXPECT_EQ(simulation->query.start, kT0);
  EXPECT_EQ(simulation->query.end, kT0 + absl::Hours(48));
  EXPECT_THAT(simulation->query.group_by, ElementsAre(Dimension::kPriority));
}

TEST(SimulationFromProtoTest, TheGroupingIsCheckedBeforeTheDraft) {
  v1::SimulatePolicyRequest request;
  *request.mutable_policy() = VipProto();
  request.mutable_policy()->mutable_targets(0)->set_metric(
      v1::METRIC_UNSPECIFIED);
  ExpectInvalid(SimulationFromProto(request).status(),
                "policy.targets[0].metric: unspecified or unknown metric 0");
  request.add_group_by(v1::REPORT_DIMENSION_UNSPECIFIED);
  ExpectInvalid(SimulationFromProto(request).status(),
                "group_by[0]: unspecified or unknown dimension 0");
}

}  // namespace
}  // namespace cxdesk::sla
