#include "clients/cli/output.h"

#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "clients/cli/sla_output.h"
#include "clients/cli/ticket_output.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace cxdesk::clients::cli {
namespace {

namespace ticketpb = ::cxdesk::ticket::v1;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

const absl::TimeZone kUtc = absl::UTCTimeZone();

absl::Time At(int y, int mo, int d, int h, int mi, int s = 0) {
  return absl::FromCivil(absl::CivilSecond(y, mo, d, h, mi, s), kUtc);
}

google::protobuf::Timestamp Ts(absl::Time t) {
  google::protobuf::Timestamp ts;
  ts.set_seconds(absl::ToUnixSeconds(t));
  return ts;
}

const OutputContext kContext{kUtc, At(2026, 11, 22, 15, 0)};

TEST(FormatAgeTest, LargestWholeUnit) {
  EXPECT_EQ(FormatAge(absl::Seconds(0)), "0s");
  EXPECT_EQ(FormatAge(absl::Seconds(59)), "59s");
  EXPECT_EQ(FormatAge(absl::Seconds(60)), "1m");
  EXPECT_EQ(FormatAge(absl::Minutes(5) + absl::Seconds(59)), "5m");
  EXPECT_EQ(FormatAge(absl::Hours(3) + absl::Minutes(59)), "3h");
  EXPECT_EQ(FormatAge(absl::Hours(24)), "1d");
  EXPECT_EQ(FormatAge(absl::Hours(24 * 2 + 23)), "2d");
  EXPECT_EQ(FormatAge(absl::Hours(24 * 400)), "400d");
  EXPECT_EQ(FormatAge(-absl::Minutes(3)), "0s");
}

TEST(FormatTimeTest, CompactInTheGivenZone) {
  EXPECT_EQ(FormatShortTime(At(2026, 11, 22, 14, 3, 59), kUtc),
            "2026-11-22 14:03");
  EXPECT_EQ(
      FormatShortTime(At(2026, 11, 22, 23, 30), absl::FixedTimeZone(3600)),
      "2026-11-23 00:30");
  EXPECT_EQ(FormatShortTime(absl::InfinitePast(), kUtc), "-");
}

TEST(FormatTimeTest, SecondTimeKeepsTheSeconds) {
  EXPECT_EQ(FormatSecondTime(At(2026, 11, 22, 14, 3, 7), kUtc),
            "2026-11-22 14:03:07");
  EXPECT_EQ(FormatSecondTime(absl::InfinitePast(), kUtc), "-");
}

TEST(FormatTimeTest, Timestamps) {
  EXPECT_EQ(ToTime(google::protobuf::Timestamp()), absl::InfinitePast());
  google::protobuf::Timestamp ts = Ts(At(2026, 11, 22, 14, 0));
  ts.set_nanos(500000000);
  EXPECT_EQ(ToTime(ts), At(2026, 11, 22, 14, 0) + absl::Milliseconds(500));
  EXPECT_EQ(FormatShortTimeWithAge(Ts(At(2026, 11, 22, 14, 0)), kContext),
            "2026-11-22 14:00 (1h ago)");
  EXPECT_EQ(FormatShortTimeWithAge(google::protobuf::Timestamp(), kContext),
            "-");
}

TEST(TruncateTest, CutsByCharactersOnOneLine) {
  EXPECT_EQ(Truncate("short", 10), "short");
  EXPECT_EQ(Truncate("two\nlines\tand tab", 40), "two lines and tab");
  EXPECT_EQ(Truncate("abcdefghij", 8), "abcde...");
  // "é" is two bytes, one character; never cut in the middle of one.
  EXPECT_EQ(Truncate("ééééé", 5), "ééééé");
  EXPECT_EQ(Truncate("éééééé", 5), "éé...");
}

TEST(FormatRatingTest, ScoreAndComment) {
  ticketpb::Rating rating;
  EXPECT_EQ(FormatRating(rating), "(none)");
  rating.set_score(4);
  EXPECT_EQ(FormatRating(rating), "4/5");
  rating.set_comment("quick");
  EXPECT_EQ(FormatRating(rating), "4/5 \"quick\"");
}

ticketpb::Ticket SampleTicket() {
  ticketpb::Ticket t;
  t.set_id(12);
  t.set_subject("Printer on fire");
  t.set_description("It smokes.\nA lot.");
  t.set_kind(ticketpb::KIND_COMPLAINT);
  t.set_cx_level(ticketpb::CX_LEVEL_PRODUCT);
  t.set_priority(ticketpb::PRIORITY_HIGH);
  t.set_channel(ticketpb::CHANNEL_EMAIL);
  t.set_status(ticketpb::STATUS_OPEN);
  t.mutable_customer()->set_email("jane@example.com");
  t.mutable_customer()->set_name("Jane Doe");
  t.add_tags("hardware");
  t.add_tags("vip");
  t.set_assignee("alice");
  *t.mutable_create_time() = Ts(At(2026, 11, 22, 12, 0));
  *t.mutable_update_time() = Ts(At(2026, 11, 22, 14, 55));
  t.set_etag("e3");
  t.set_version(3);
  return t;
}

TEST(FormatTicketTableTest, HeaderAndAlignedRows) {
  ticketpb::Ticket other;
  other.set_id(7);
  other.set_status(ticketpb::STATUS_NEW);
  other.set_priority(ticketpb::PRIORITY_NORMAL);
  other.set_kind(ticketpb::KIND_QUESTION);
  other.set_subject(std::string(80, 'x'));
  *other.mutable_create_time() = Ts(At(2026, 11, 20, 15, 0));
  std::vector<std::string> lines =
      absl::StrSplit(FormatTicketTable({SampleTicket(), other}, kContext), '\n',
                     absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_THAT(lines[0], StartsWith("ID  STATUS  PRIORITY  KIND       CX  "));
  EXPECT_THAT(lines[0], HasSubstr("ASSIGNEE  TEAM  AGE  SUBJECT"));
  EXPECT_EQ(lines[1],
            "12  open    high      complaint  product  alice     -     3h   "
            "Printer on fire");
  EXPECT_THAT(lines[2], StartsWith("7   new     normal    question   -"));
  EXPECT_THAT(lines[2], HasSubstr("2d   " + std::string(47, 'x') + "..."));
}

TEST(FormatTicketDetailsTest, EveryField) {
  ticketpb::Ticket t = SampleTicket();
  t.mutable_rating()->set_score(5);
  const std::string text = FormatTicketDetails(t, kContext);
  EXPECT_THAT(text, StartsWith("ticket #12: Printer on fire\n"));
  for (const char* line :
       {"  status:   open\n", "  priority: high\n", "  kind:     complaint\n",
        "  cx level: product\n", "  channel:  email\n",
        "  customer: Jane Doe <jane@example.com>\n", "  assignee: alice\n",
        "  team:     (none)\n", "  tags:     hardware, vip\n",
        "  created:  2026-11-22 12:00 (3h ago)\n", "  rating:   5/5\n",
        "  version:  3 (etag e3)\n",
        "description:\n    It smokes.\n    A lot.\n"}) {
    EXPECT_THAT(text, HasSubstr(line));
  }
  EXPECT_THAT(text, Not(HasSubstr("solved:")));
}

TEST(FormatCommentTest, InternalNotesAreMarked) {
  ticketpb::Comment c;
  c.set_id(3);
  c.set_body("call the vendor");
  c.set_author("alice");
  c.set_author_role(ticketpb::ROLE_AGENT);
  c.set_visibility(ticketpb::VISIBILITY_INTERNAL);
  *c.mutable_create_time() = Ts(At(2026, 11, 22, 14, 5));
  EXPECT_EQ(FormatComment(c, kContext),
            "--- #3  2026-11-22 14:05  alice (agent)  *** INTERNAL NOTE "
            "(staff only) ***\n    call the vendor\n");
  c.set_visibility(ticketpb::VISIBILITY_PUBLIC);
  EXPECT_THAT(FormatComment(c, kContext), HasSubstr("  public reply\n"));
}

TEST(FormatStatusViewTest, PlainWordsRatingAndConversation) {
  ticketpb::TicketStatusView view;
  view.set_ticket_id(12);
  view.set_subject("Printer on fire");
  view.set_status(ticketpb::STATUS_PENDING);
  ticketpb::Comment* c = view.add_conversation();
  c->set_body("It smokes.");
  c->set_author("jane@example.com");
  c->set_author_role(ticketpb::ROLE_CUSTOMER);
  std::string text = FormatStatusView(view, kContext);
  EXPECT_THAT(text, HasSubstr("status:   pending (waiting for your reply)"));
  EXPECT_THAT(text, HasSubstr("conversation (1):\n"));
  EXPECT_THAT(text, HasSubstr("jane@example.com (customer)\n    It smokes.\n"));
  EXPECT_THAT(text, Not(HasSubstr("rating")));

  view.set_status(ticketpb::STATUS_SOLVED);
  EXPECT_THAT(FormatStatusView(view, kContext),
              HasSubstr("not rated yet: cxdesk ticket rate 12 --score 1..5"));
  view.mutable_rating()->set_score(5);
  EXPECT_THAT(FormatStatusView(view, kContext), HasSubstr("rating:   5/5"));
}

TEST(StatusInPlainWordsTest, EveryStatusSaysSomething) {
  for (int i = 1; i <= 6; ++i) {
    EXPECT_NE(StatusInPlainWords(static_cast<ticketpb::Status>(i)), "unknown");
  }
}

ticketpb::TicketEvent Event(ticketpb::EventType type) {
  ticketpb::TicketEvent e;
  e.set_type(type);
  e.set_cursor("10-4");
  e.set_id(4);
  e.set_ticket_id(12);
  e.set_ticket_version(4);
  e.set_actor("alice");
  e.set_actor_role(ticketpb::ROLE_AGENT);
  *e.mutable_create_time() = Ts(At(2026, 11, 22, 14, 3));
  *e.mutable_before() = SampleTicket();
  *e.mutable_after() = SampleTicket();
  return e;
}

TEST(DescribeChangesTest, DiffsTheSnapshots) {
  ticketpb::TicketEvent e = Event(ticketpb::EVENT_TYPE_UPDATED);
  ticketpb::Ticket* a = e.mutable_after();
  a->set_status(ticketpb::STATUS_PENDING);
  a->set_priority(ticketpb::PRIORITY_URGENT);
  a->set_assignee("");
  a->set_team("billing");
  a->add_tags("zz");
  a->set_subject("Printer gone");
  a->set_kind(ticketpb::KIND_INCIDENT);
  a->set_cx_level(ticketpb::CX_LEVEL_UNSPECIFIED);
  a->mutable_rating()->set_score(2);
  EXPECT_THAT(
      DescribeChanges(e),
      ElementsAre("status: open -> pending", "priority: high -> urgent",
                  "assignee: alice -> (none)", "team: (none) -> billing",
                  "tags: hardware, vip -> hardware, vip, zz",
                  "subject: \"Printer on fire\" -> \"Printer gone\"",
                  "kind: complaint -> incident", "cx level: product -> -",
                  "rating: (none) -> 2/5"));
}

TEST(DescribeChangesTest, NothingChangedIsEmpty) {
  EXPECT_TRUE(DescribeChanges(Event(ticketpb::EVENT_TYPE_UPDATED)).empty());
}

TEST(DescribeChangesTest, CommentAndReason) {
  ticketpb::TicketEvent e = Event(ticketpb::EVENT_TYPE_COMMENT_ADDED);
  e.mutable_comment()->set_id(9);
  e.mutable_comment()->set_visibility(ticketpb::VISIBILITY_PUBLIC);
  e.mutable_before()->set_status(ticketpb::STATUS_PENDING);
  EXPECT_THAT(DescribeChanges(e),
              ElementsAre("public reply #9", "status: pending -> open"));
  e.mutable_comment()->set_visibility(ticketpb::VISIBILITY_INTERNAL);
  e.mutable_before()->set_status(ticketpb::STATUS_OPEN);
  e.set_reason("vendor");
  EXPECT_THAT(DescribeChanges(e),
              ElementsAre("internal note #9", "reason: \"vendor\""));
}

TEST(DescribeChangesTest, CreationListsInitialValues) {
  ticketpb::TicketEvent e = Event(ticketpb::EVENT_TYPE_CREATED);
  e.clear_before();
  e.mutable_after()->set_status(ticketpb::STATUS_NEW);
  e.mutable_after()->clear_assignee();
  EXPECT_THAT(DescribeChanges(e),
              ElementsAre("subject: \"Printer on fire\"", "status: new",
                          "priority: high", "kind: complaint",
                          "cx level: product", "channel: email",
                          "customer: jane@example.com", "tags: hardware, vip"));
}

TEST(FormatEventLineTest, HistoryAndStreamForms) {
  ticketpb::TicketEvent e = Event(ticketpb::EVENT_TYPE_STATUS_CHANGED);
  e.mutable_after()->set_status(ticketpb::STATUS_SOLVED);
  EXPECT_EQ(FormatEventLine(e, kContext, /*stream=*/false),
            "2026-11-22 14:03  v4    status    alice (agent)         status: "
            "open -> solved");
  EXPECT_EQ(FormatEventLine(e, kContext, /*stream=*/true),
            "10-4  2026-11-22 14:03  #12 v4    status    alice (agent)         "
            "status: open -> solved");
  e.mutable_after()->set_status(ticketpb::STATUS_OPEN);
  EXPECT_EQ(FormatEventLine(e, kContext, false),
            "2026-11-22 14:03  v4    status    alice (agent)");
}

TEST(ToJsonTest, OneLineWithProtoFieldNames) {
  ticketpb::Ticket t;
  t.set_id(12);
  t.set_cx_level(ticketpb::CX_LEVEL_BRAND);
  absl::StatusOr<std::string> json = ToJson(t);
  ASSERT_TRUE(json.ok()) << json.status();
  EXPECT_THAT(*json, HasSubstr("\"id\":\"12\""));
  EXPECT_THAT(*json, HasSubstr("\"cx_level\":\"CX_LEVEL_BRAND\""));
  EXPECT_THAT(*json, HasSubstr("\"assignee\":\"\""));
  EXPECT_EQ(json->find('\n'), std::string::npos);
}

// --- the SLA service ---------------------------------------------------------

namespace slapb = ::cxdesk::sla::v1;

TEST(FormatShortDurationTest, HoursMinutesSeconds) {
  EXPECT_EQ(FormatShortDuration(absl::ZeroDuration()), "0s");
  EXPECT_EQ(FormatShortDuration(absl::Seconds(42)), "42s");
  EXPECT_EQ(FormatShortDuration(absl::Milliseconds(42999)), "42s");
  EXPECT_EQ(FormatShortDuration(absl::Minutes(3) + absl::Seconds(10)),
            "3m 10s");
  EXPECT_EQ(FormatShortDuration(absl::Minutes(3) + absl::Seconds(5)), "3m 05s");
  EXPECT_EQ(FormatShortDuration(absl::Minutes(30)), "30m");
  EXPECT_EQ(FormatShortDuration(absl::Minutes(65)), "1h 05m");
  EXPECT_EQ(FormatShortDuration(absl::Minutes(65) + absl::Seconds(59)),
            "1h 05m");
  EXPECT_EQ(FormatShortDuration(absl::Hours(40)), "40h");
  EXPECT_EQ(FormatShortDuration(-(absl::Minutes(3) + absl::Seconds(10))),
            "-3m 10s");
  EXPECT_EQ(FormatShortDuration(-absl::Hours(2)), "-2h");
  EXPECT_EQ(FormatShortDuration(-absl::Milliseconds(500)), "0s");
}

TEST(FormatWarningTest, EitherThreshold) {
  slapb::Warning w;
  EXPECT_EQ(FormatWarning(w), "-");
  w.set_minutes_before(15);
  EXPECT_EQ(FormatWarning(w), "15m before");
  w.set_percent_elapsed(80);
  EXPECT_EQ(FormatWarning(w), "80% elapsed");
}

TEST(FormatCalendarTest, DetailsGroupHoursByWeekday) {
  slapb::Calendar c;
  c.set_calendar_id("berlin");
  c.set_time_zone("Europe/Berlin");
  c.set_description("Berlin office");
  auto add = [&](slapb::Weekday day, const char* start, const char* end) {
    slapb::BusinessHours* h = c.add_hours();
    h->set_weekday(day);
    h->set_start(start);
    h->set_end(end);
  };
  add(slapb::WEEKDAY_TUESDAY, "09:00", "17:00");
  add(slapb::WEEKDAY_MONDAY, "09:00", "12:00");
  add(slapb::WEEKDAY_MONDAY, "13:00", "17:30");
  slapb::Holiday* h = c.add_holidays();
  h->set_date("2026-12-25");
  h->set_yearly(true);
  h->set_title("Christmas");
  c.set_etag("E1");
  EXPECT_EQ(FormatCalendarDetails(c, kContext),
            "calendar berlin: Berlin office\n"
            "  zone:     Europe/Berlin\n"
            "  hours:    mon 09:00-12:00, 13:00-17:30\n"
            "            tue 09:00-17:00  (15h 30m a week)\n"
            "  holidays: 2026-12-25 (yearly) Christmas\n"
            "  etag:     E1\n"
            "  created:  -\n"
            "  updated:  -\n");
  std::vector<std::string> lines = absl::StrSplit(
      FormatCalendarTable({c}, kContext), '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0],
            "ID      TIME ZONE      HOURS/WEEK  HOLIDAYS  UPDATED  "
            "DESCRIPTION");
  EXPECT_EQ(lines[1],
            "berlin  Europe/Berlin  15h 30m     1         -        "
            "Berlin office");
}

TEST(FormatPolicyTest, ConditionsAndTargets) {
  slapb::Policy p;
  p.set_policy_id("vip");
  p.set_position(10);
  p.mutable_conditions()->add_priorities(ticketpb::PRIORITY_URGENT);
  p.mutable_conditions()->add_priorities(ticketpb::PRIORITY_HIGH);
  p.mutable_conditions()->add_kinds(ticketpb::KIND_COMPLAINT);
  p.mutable_conditions()->add_tags_any("vip");
  slapb::Target* t = p.add_targets();
  t->set_priority(ticketpb::PRIORITY_URGENT);
  t->set_metric(slapb::METRIC_FIRST_RESPONSE);
  t->mutable_target()->set_seconds(3600);
  t->set_calendar_id("berlin");
  t->add_warnings()->set_percent_elapsed(80);
  t->add_warnings()->set_minutes_before(5);
  EXPECT_EQ(DescribeConditions(p.conditions()),
            "priority urgent, high; kind complaint; any tag of vip");
  EXPECT_EQ(DescribeConditions(slapb::PolicyConditions()), "every ticket");
  const std::string details = FormatPolicyDetails(p, kContext);
  EXPECT_THAT(details, StartsWith("policy vip\n  position: 10\n"
                                  "  applies:  priority urgent, high; kind "
                                  "complaint; any tag of vip\n"));
  EXPECT_THAT(details,
              HasSubstr("  pauses:   pending, on-hold (the "
                        "default)\n"
                        "  reopen:   a new resolution clock starts\n"));
  EXPECT_THAT(details,
              HasSubstr("targets (1):\n"
                        "  PRIORITY  METRIC          TARGET  CALENDAR  "
                        "WARNINGS\n"
                        "  urgent    first_response  1h      berlin    80% "
                        "elapsed, 5m before\n"));
  p.set_is_default(true);
  std::vector<std::string> lines =
      absl::StrSplit(FormatPolicyTable({p}), '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[1],
            "vip  -         yes      1        priority urgent, "
            "high; kind complaint; any tag of vip");
}

TEST(FormatTicketSlaTest, NoPolicyAndNoClocks) {
  slapb::TicketSla s;
  s.set_ticket_id(4);
  EXPECT_EQ(FormatTicketSla(s, kContext),
            "ticket #4: no policy matched, status -, as of -\nno clocks\n");
}

TEST(FormatTicketSlaTest, PausedClockWithNextWarning) {
  slapb::TicketSla s;
  s.set_ticket_id(4);
  s.set_policy_id("std");
  slapb::SlaClock* c = s.add_clocks();
  c->set_metric(slapb::METRIC_RESOLUTION);
  c->set_cycle(2);
  c->set_state(slapb::CLOCK_STATE_PAUSED);
  c->set_breached(true);
  c->mutable_target()->set_seconds(8 * 3600);
  c->mutable_remaining_business()->set_seconds(-190);
  c->mutable_paused_business()->set_seconds(3900);
  c->mutable_next_warning()->set_minutes_before(30);
  EXPECT_THAT(
      FormatTicketSla(s, kContext),
      HasSubstr("resolution  2      paused  yes       8h      -         "
                "-3m 10s    1h 05m  30m before\n"));
  c->mutable_next_warning_time()->set_seconds(
      absl::ToUnixSeconds(At(2026, 11, 22, 16, 0)));
  EXPECT_THAT(FormatTicketSla(s, kContext),
              HasSubstr("  2026-11-22 16:00:00 (30m before)\n"));
}

TEST(FormatSlaPromiseTest, DueOrPaused) {
  slapb::SlaPromise p;
  p.set_ticket_id(12);
  p.set_metric(slapb::METRIC_FIRST_RESPONSE);
  p.set_text("We will respond by 2026-11-22 17:00 UTC");
  *p.mutable_due_time() = Ts(At(2026, 11, 22, 17, 0));
  EXPECT_EQ(FormatSlaPromise(p, kContext),
            "ticket #12: We will respond by 2026-11-22 17:00 UTC\n"
            "  metric:   first_response\n"
            "  due:      2026-11-22 17:00 (in 2h)\n");
  p.clear_due_time();
  EXPECT_THAT(FormatSlaPromise(p, kContext),
              HasSubstr("due:      none while the clock is paused"));
}

TEST(FormatSlaEventLineTest, WhatEachKindRecords) {
  slapb::SlaEvent e;
  e.set_cursor("77");
  e.set_ticket_id(12);
  e.set_metric(slapb::METRIC_NEXT_RESPONSE);
  e.set_cycle(3);
  *e.mutable_occur_time() = Ts(At(2026, 11, 22, 14, 3));
  *e.mutable_deadline() = Ts(At(2026, 11, 22, 16, 0));
  e.set_kind(slapb::SLA_EVENT_KIND_BREACHED);
  EXPECT_EQ(FormatSlaEventLine(e, kContext, /*stream=*/false),
            "2026-11-22 14:03:00  #12     breached    next_response#3    "
            "was due 2026-11-22 16:00:00");
  EXPECT_EQ(FormatSlaEventLine(e, kContext, /*stream=*/true),
            "77  2026-11-22 14:03:00  #12     breached    next_response#3    "
            "was due 2026-11-22 16:00:00");
  e.set_kind(slapb::SLA_EVENT_KIND_PAUSED);
  e.set_status(ticketpb::STATUS_PENDING);
  e.set_actor("alice");
  e.set_reason("waiting for logs");
  EXPECT_THAT(FormatSlaEventLine(e, kContext, false),
              HasSubstr("paused      next_response#3    status pending, by "
                        "alice, reason: \"waiting for logs\""));
  e.clear_actor();
  e.clear_reason();
  e.set_kind(slapb::SLA_EVENT_KIND_RESUMED);
  e.mutable_pause_business()->set_seconds(3900);
  e.mutable_pause_elapsed()->set_seconds(3 * 3600);
  EXPECT_THAT(FormatSlaEventLine(e, kContext, false),
              HasSubstr("paused 1h 05m (3h wall), due 2026-11-22 16:00:00"));
  e.set_kind(slapb::SLA_EVENT_KIND_MET);
  e.set_met_late(true);
  e.mutable_business_time()->set_seconds(190);
  e.mutable_calendar_time()->set_seconds(3900);
  EXPECT_THAT(FormatSlaEventLine(e, kContext, false),
              HasSubstr("after 3m 10s (1h 05m wall), LATE"));
  e.set_kind(slapb::SLA_EVENT_KIND_RETARGETED);
  e.mutable_target()->set_seconds(1800);
  e.set_overdue(true);
  e.set_policy_id("vip");
  EXPECT_THAT(FormatSlaEventLine(e, kContext, false),
              HasSubstr("target 30m, due 2026-11-22 16:00:00, already overdue, "
                        "policy vip"));
  e.set_kind(slapb::SLA_EVENT_KIND_WARNED);
  e.mutable_warning()->set_percent_elapsed(75);
  EXPECT_THAT(FormatSlaEventLine(e, kContext, false),
              HasSubstr("warning 75% elapsed, due 2026-11-22 16:00:00"));
}

TEST(FormatSlaReportTest, EmptyReportAndGroupWithoutClocks) {
  slapb::SlaReport report;
  EXPECT_EQ(FormatSlaReportTable(report, kContext),
            "SLA report - .. -: 0 clocks\nno clocks started in the window\n");
  report.add_group_by(slapb::REPORT_DIMENSION_AGENT);
  slapb::SlaReportRow* row = report.add_rows();
  row->add_group_values("carol, jr.");
  row->set_tickets(2);
  EXPECT_EQ(FormatSlaReportCsv(report),
            "agent,metric,tickets,clocks,met,breached,open,compliance_percent,"
            "business_p50_seconds,business_p90_seconds,business_p99_seconds,"
            "business_max_seconds,calendar_p50_seconds,calendar_p90_seconds,"
            "calendar_p99_seconds,calendar_max_seconds,average_csat\n"
            "\"carol, jr.\",,2,,,,,,,,,,,,,,\n");
  EXPECT_THAT(FormatSlaReportTable(report, kContext),
              HasSubstr("\ncarol, jr.  -       2        -       -    -"));
}

TEST(FormatBreachTableTest, LateByWhenMetAndSoFarWhenOpen) {
  slapb::Breach met;
  met.mutable_event()->set_ticket_id(3);
  met.mutable_event()->set_metric(slapb::METRIC_FIRST_RESPONSE);
  met.mutable_event()->set_priority(ticketpb::PRIORITY_HIGH);
  met.mutable_event()->set_team("billing");
  met.mutable_event()->set_assignee("bob");
  *met.mutable_event()->mutable_deadline() = Ts(At(2026, 11, 22, 10, 0));
  *met.mutable_met_time() = Ts(At(2026, 11, 22, 10, 42));
  met.set_state(slapb::CLOCK_STATE_MET);
  slapb::Breach cancelled = met;
  cancelled.clear_met_time();
  cancelled.set_state(slapb::CLOCK_STATE_CANCELLED);
  std::vector<std::string> lines = absl::StrSplit(
      FormatBreachTable({met, cancelled}, kContext), '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[1],
            "3       first_response  high      billing  bob    "
            "2026-11-22 10:00:00  met        2026-11-22 10:42:00  42m");
  EXPECT_EQ(lines[2],
            "3       first_response  high      billing  bob    "
            "2026-11-22 10:00:00  cancelled  -                    -");
}

}  // namespace
}  // namespace cxdesk::clients::cli
