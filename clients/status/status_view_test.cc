#include "clients/status/status_view.h"

#include <string>

#include "gtest/gtest.h"
#include "services/common/proto_time.h"

namespace cxdesk::clients::status {
namespace {

namespace ticketpb = ::cxdesk::ticket::v1;

absl::Time Utc(int y, int mo, int d, int h, int mi, int s = 0) {
  return absl::FromCivil(absl::CivilSecond(y, mo, d, h, mi, s),
                         absl::UTCTimeZone());
}

absl::TimeZone Zone(const std::string& name) {
  absl::TimeZone tz;
  EXPECT_TRUE(absl::LoadTimeZone(name, &tz)) << name;
  return tz;
}

// Sunday 22 November 2026, 15:00 UTC (16:00 in Berlin, CET).
const absl::Time kNow = Utc(2026, 11, 22, 15, 0);

ticketpb::TicketStatusView View(ticketpb::Status status) {
  ticketpb::TicketStatusView view;
  view.set_ticket_id(42);
  view.set_subject("Printer on fire");
  view.set_status(status);
  return view;
}

void SetPromise(ticketpb::TicketStatusView* view, const std::string& text,
                absl::Time due) {
  view->set_promise(text);
  common::ToProtoTimestamp(due, view->mutable_promise_time());
}

ticketpb::Comment* AddComment(ticketpb::TicketStatusView* view,
                              ticketpb::Role role, const std::string& author,
                              absl::Time at, const std::string& body) {
  ticketpb::Comment* c = view->add_conversation();
  c->set_author_role(role);
  c->set_author(author);
  c->set_visibility(ticketpb::VISIBILITY_PUBLIC);
  c->set_body(body);
  common::ToProtoTimestamp(at, c->mutable_create_time());
  return c;
}

TEST(StatusWordsTest, EveryStatusHasAKeyAndPlainWords) {
  EXPECT_EQ(StatusKey(ticketpb::STATUS_NEW), "new");
  EXPECT_EQ(StatusKey(ticketpb::STATUS_OPEN), "open");
  EXPECT_EQ(StatusKey(ticketpb::STATUS_PENDING), "pending");
  EXPECT_EQ(StatusKey(ticketpb::STATUS_ON_HOLD), "on_hold");
  EXPECT_EQ(StatusKey(ticketpb::STATUS_SOLVED), "solved");
  EXPECT_EQ(StatusKey(ticketpb::STATUS_CLOSED), "closed");
  EXPECT_EQ(StatusKey(ticketpb::STATUS_UNSPECIFIED), "unknown");
  EXPECT_EQ(StatusKey(static_cast<ticketpb::Status>(99)), "unknown");

  EXPECT_EQ(StatusText(ticketpb::STATUS_NEW),
            "We have received your request and will look at it soon.");
  EXPECT_EQ(StatusText(ticketpb::STATUS_OPEN), "We are working on it.");
  EXPECT_EQ(StatusText(ticketpb::STATUS_PENDING),
            "We are waiting for your reply.");
  EXPECT_EQ(StatusText(ticketpb::STATUS_ON_HOLD),
            "We are waiting on a third party before we can go on.");
  EXPECT_EQ(StatusText(ticketpb::STATUS_SOLVED),
            "We think this is solved. If it isn't, reply and we will pick it "
            "up again.");
  EXPECT_EQ(StatusText(ticketpb::STATUS_CLOSED),
            "Closed. This request is finished; open a new one if you need "
            "more help.");
  EXPECT_EQ(StatusText(static_cast<ticketpb::Status>(99)),
            "We cannot tell the status of this request right now.");
}

TEST(FormatLocalTimeTest, InTheCustomersZoneWithTheYearOnlyWhenOther) {
  const absl::TimeZone berlin = Zone("Europe/Berlin");
  EXPECT_EQ(FormatLocalTime(Utc(2026, 11, 24, 13, 30), kNow, berlin),
            "Tue 24 Nov 14:30");
  EXPECT_EQ(FormatLocalTime(Utc(2026, 11, 24, 13, 30), kNow,
                            Zone("America/New_York")),
            "Tue 24 Nov 08:30");
  EXPECT_EQ(FormatLocalTime(Utc(2027, 1, 5, 8, 5), kNow, berlin),
            "Tue 5 Jan 2027 09:05");
  // 23:30 UTC on 31 Dec is already the new year in Berlin.
  EXPECT_EQ(FormatLocalTime(Utc(2026, 12, 31, 23, 30), kNow, berlin),
            "Fri 1 Jan 2027 00:30");
  // Summer time: CEST.
  EXPECT_EQ(FormatLocalTime(Utc(2026, 7, 1, 12, 0), kNow, berlin),
            "Wed 1 Jul 14:00");
  EXPECT_EQ(ZoneAbbreviation(Utc(2026, 7, 1, 12, 0), berlin), "CEST");
  EXPECT_EQ(ZoneAbbreviation(kNow, berlin), "CET");
  EXPECT_EQ(ZoneAbbreviation(kNow, absl::UTCTimeZone()), "UTC");
  // A zone that has no letters for itself is named by its offset.
  EXPECT_EQ(ZoneAbbreviation(kNow, Zone("America/Sao_Paulo")), "UTC-0300");
}

TEST(DurationWordsTest, RoundedDownToTheMinute) {
  EXPECT_EQ(DurationWords(absl::Seconds(59)), "less than a minute");
  EXPECT_EQ(DurationWords(-absl::Minutes(5)), "less than a minute");
  EXPECT_EQ(DurationWords(absl::Minutes(25) + absl::Seconds(59)), "25 min");
  EXPECT_EQ(DurationWords(absl::Hours(2)), "2 h");
  EXPECT_EQ(DurationWords(absl::Hours(2) + absl::Minutes(5)), "2 h 5 min");
  EXPECT_EQ(DurationWords(absl::Hours(24)), "1 day");
  EXPECT_EQ(DurationWords(absl::Hours(76) + absl::Minutes(9)), "3 days 4 h");
}

TEST(DescribePromiseTest, AheadIsTheMinuteRoundedUpInTheCustomersZone) {
  ticketpb::TicketStatusView view = View(ticketpb::STATUS_NEW);
  SetPromise(&view, "We will respond by 2026-11-24 13:30 UTC",
             Utc(2026, 11, 24, 13, 29, 20));
  const Promise p = DescribePromise(view, kNow, Zone("Europe/Berlin"));
  EXPECT_EQ(p.kind, "reply");
  EXPECT_EQ(p.text, "We will reply by Tue 24 Nov 14:30 your time (CET).");
  ASSERT_TRUE(p.due.has_value());
  EXPECT_EQ(*p.due, Utc(2026, 11, 24, 13, 29, 20));
  EXPECT_FALSE(p.overdue);
  EXPECT_EQ(p.overdue_seconds, 0);

  const Promise ny = DescribePromise(view, kNow, Zone("America/New_York"));
  EXPECT_EQ(ny.text, "We will reply by Tue 24 Nov 08:30 your time (EST).");
}

TEST(DescribePromiseTest, ResolutionPromisesSaySo) {
  ticketpb::TicketStatusView view = View(ticketpb::STATUS_OPEN);
  SetPromise(&view, "We aim to resolve this by 2026-11-23 09:00 UTC",
             Utc(2026, 11, 23, 9, 0));
  const Promise p = DescribePromise(view, kNow, absl::UTCTimeZone());
  EXPECT_EQ(p.kind, "resolution");
  EXPECT_EQ(p.text,
            "We aim to resolve this by Mon 23 Nov 09:00 your time (UTC).");
}

TEST(DescribePromiseTest, PassedIsOverdueByHowMuch) {
  ticketpb::TicketStatusView view = View(ticketpb::STATUS_OPEN);
  SetPromise(&view, "We will respond by 2026-11-22 14:35 UTC",
             Utc(2026, 11, 22, 14, 34, 30));
  const Promise p = DescribePromise(view, kNow, Zone("Europe/Berlin"));
  EXPECT_EQ(p.kind, "reply");
  EXPECT_TRUE(p.overdue);
  EXPECT_EQ(p.overdue_seconds, 25 * 60 + 30);
  EXPECT_EQ(p.text,
            "Our reply is overdue: it was due Sun 22 Nov 15:34 your time "
            "(CET), 25 min ago. We are sorry for the wait.");

  // Exactly at the due instant it is overdue by nothing yet.
  SetPromise(&view, "We aim to resolve this by 2026-11-22 15:00 UTC", kNow);
  const Promise at = DescribePromise(view, kNow, absl::UTCTimeZone());
  EXPECT_EQ(at.kind, "resolution");
  EXPECT_TRUE(at.overdue);
  EXPECT_EQ(at.overdue_seconds, 0);
  EXPECT_EQ(at.text,
            "Resolving this is taking longer than we aimed for: it was due "
            "Sun 22 Nov 15:00 your time (UTC), less than a minute ago. We "
            "are sorry for the wait.");
}

TEST(DescribePromiseTest, NoTimeSaysSoPlainly) {
  ticketpb::TicketStatusView pending = View(ticketpb::STATUS_PENDING);
  pending.set_promise("We are waiting for your reply");
  Promise p = DescribePromise(pending, kNow, absl::UTCTimeZone());
  EXPECT_EQ(p.kind, "waiting_for_you");
  EXPECT_FALSE(p.due.has_value());
  EXPECT_EQ(p.text, "Nothing is due from us until you reply.");

  // No SLA, or the SLA service could not be asked: no promise is made up.
  p = DescribePromise(View(ticketpb::STATUS_OPEN), kNow, absl::UTCTimeZone());
  EXPECT_EQ(p.kind, "none");
  EXPECT_FALSE(p.due.has_value());
  EXPECT_EQ(p.text, "We cannot give you a time for our next reply right now.");

  // Words from the server without a time are passed on.
  ticketpb::TicketStatusView other = View(ticketpb::STATUS_ON_HOLD);
  other.set_promise("We will update you when our supplier answers");
  p = DescribePromise(other, kNow, absl::UTCTimeZone());
  EXPECT_EQ(p.kind, "none");
  EXPECT_EQ(p.text, "We will update you when our supplier answers.");
}

TEST(DescribePromiseTest, SolvedAndClosedPromiseNothing) {
  ticketpb::TicketStatusView solved = View(ticketpb::STATUS_SOLVED);
  SetPromise(&solved, "We aim to resolve this by 2026-11-22 14:00 UTC",
             Utc(2026, 11, 22, 14, 0));
  Promise p = DescribePromise(solved, kNow, absl::UTCTimeZone());
  EXPECT_EQ(p.kind, "none");
  EXPECT_FALSE(p.overdue);
  EXPECT_EQ(p.text, "Nothing more is due from us unless you reply.");
  p = DescribePromise(View(ticketpb::STATUS_CLOSED), kNow, absl::UTCTimeZone());
  EXPECT_EQ(p.text, "Nothing more is due: the request is closed.");
}

TEST(AuthorLabelTest, YouOrTheSupportTeam) {
  ticketpb::Comment c;
  c.set_author("jane@example.com");
  c.set_author_role(ticketpb::ROLE_CUSTOMER);
  EXPECT_EQ(AuthorLabel(c), "You");
  c.set_author("alice");
  c.set_author_role(ticketpb::ROLE_AGENT);
  EXPECT_EQ(AuthorLabel(c), "alice (support team)");
  c.set_author_role(ticketpb::ROLE_MANAGER);
  EXPECT_EQ(AuthorLabel(c), "alice (support team)");
  c.set_author("");
  EXPECT_EQ(AuthorLabel(c), "The support team");
  c.set_author("cxdesk-escalationd");
  c.set_author_role(ticketpb::ROLE_SERVICE);
  EXPECT_EQ(AuthorLabel(c), "The support team");
}

TEST(RenderStatusTextTest, StatusPromiseConversationAndHowToReply) {
  ticketpb::TicketStatusView view = View(ticketpb::STATUS_OPEN);
  SetPromise(&view, "We will respond by 2026-11-24 13:30 UTC",
             Utc(2026, 11, 24, 13, 29, 20));
  AddComment(&view, ticketpb::ROLE_CUSTOMER, "jane@example.com",
             Utc(2026, 11, 22, 14, 0), "It smokes.\nWhen I print.");
  AddComment(&view, ticketpb::ROLE_AGENT, "alice", Utc(2026, 11, 22, 14, 30),
             "We are on it.");
  EXPECT_EQ(RenderStatusText(view, kNow, Zone("Europe/Berlin")),
            "Ticket 42: Printer on fire\n"
            "Status: We are working on it.\n"
            "Next:   We will reply by Tue 24 Nov 14:30 your time (CET).\n"
            "\n"
            "Conversation (oldest first):\n"
            "\n"
            "  You, Sun 22 Nov 15:00 CET:\n"
            "    It smokes.\n"
            "    When I print.\n"
            "\n"
            "  alice (support team), Sun 22 Nov 15:30 CET:\n"
            "    We are on it.\n"
            "\n"
            "Reply with: cxdesk-status reply 42 --key KEY --message TEXT\n");
}

TEST(RenderStatusTextTest, SolvedShowsTheRatingOrHowToRate) {
  ticketpb::TicketStatusView view = View(ticketpb::STATUS_SOLVED);
  EXPECT_EQ(RenderStatusText(view, kNow, absl::UTCTimeZone()),
            "Ticket 42: Printer on fire\n"
            "Status: We think this is solved. If it isn't, reply and we will "
            "pick it up again.\n"
            "Next:   Nothing more is due from us unless you reply.\n"
            "\n"
            "Conversation (oldest first):\n"
            "  (none yet)\n"
            "\n"
            "How did we do? Rate it: cxdesk-status rate 42 --key KEY --score "
            "1..5\n");
  view.mutable_rating()->set_score(5);
  view.mutable_rating()->set_comment("Quick fix");
  const std::string text = RenderStatusText(view, kNow, absl::UTCTimeZone());
  EXPECT_EQ(text.substr(text.rfind("\n\n") + 2),
            "Your rating: 5/5 \"Quick fix\". Thank you!\n");
}

TEST(RenderStatusTextTest, ControlCharactersNeverReachTheTerminal) {
  ticketpb::TicketStatusView view = View(ticketpb::STATUS_OPEN);
  view.set_subject("Hi\x1b[2J");
  AddComment(&view, ticketpb::ROLE_AGENT, "alice", Utc(2026, 11, 22, 14, 30),
             "a\r\nb\x1b]0;pwned\x07\tc");
  EXPECT_EQ(RenderStatusText(view, kNow, absl::UTCTimeZone()),
            "Ticket 42: Hi?[2J\n"
            "Status: We are working on it.\n"
            "Next:   We cannot give you a time for our next reply right "
            "now.\n"
            "\n"
            "Conversation (oldest first):\n"
            "\n"
            "  alice (support team), Sun 22 Nov 14:30 UTC:\n"
            "    a\n"
            "    b?]0;pwned?\tc\n"
            "\n"
            "Reply with: cxdesk-status reply 42 --key KEY --message TEXT\n");
}

TEST(RenderStatusJsonTest, StableFieldsInOrder) {
  ticketpb::TicketStatusView view = View(ticketpb::STATUS_OPEN);
  view.set_subject("Printer \"on fire\"");
  common::ToProtoTimestamp(Utc(2026, 11, 22, 14, 0),
                           view.mutable_create_time());
  common::ToProtoTimestamp(Utc(2026, 11, 22, 14, 30),
                           view.mutable_update_time());
  SetPromise(&view, "We will respond by 2026-11-22 14:35 UTC",
             Utc(2026, 11, 22, 14, 35));
  AddComment(&view, ticketpb::ROLE_CUSTOMER, "jane@example.com",
             Utc(2026, 11, 22, 14, 0), "It smokes.\nHelp!");
  AddComment(&view, ticketpb::ROLE_AGENT, "alice", Utc(2026, 11, 22, 14, 30),
             "On it.");
  EXPECT_EQ(
      RenderStatusJson(view, kNow, Zone("Europe/Berlin")),
      "{\"ticket_id\":42,\"subject\":\"Printer \\\"on fire\\\"\","
      "\"status\":\"open\",\"status_text\":\"We are working on it.\","
      "\"created\":\"2026-11-22T14:00:00Z\","
      "\"updated\":\"2026-11-22T14:30:00Z\","
      "\"promise\":{\"kind\":\"reply\",\"text\":\"Our reply is overdue: it "
      "was due Sun 22 Nov 15:35 your time (CET), 25 min ago. We are sorry "
      "for the wait.\",\"due\":\"2026-11-22T14:35:00Z\",\"overdue\":true,"
      "\"overdue_seconds\":1500},"
      "\"conversation\":["
      "{\"author\":\"You\",\"author_role\":\"customer\",\"public\":true,"
      "\"time\":\"2026-11-22T14:00:00Z\",\"body\":\"It smokes.\\nHelp!\"},"
      "{\"author\":\"alice (support team)\",\"author_role\":\"support\","
      "\"public\":true,\"time\":\"2026-11-22T14:30:00Z\",\"body\":\"On "
      "it.\"}],"
      "\"rating\":null}");
}

TEST(RenderStatusJsonTest, RatingAndNoPromise) {
  ticketpb::TicketStatusView view = View(ticketpb::STATUS_SOLVED);
  view.mutable_rating()->set_score(4);
  view.mutable_rating()->set_comment("ok");
  common::ToProtoTimestamp(kNow, view.mutable_rating()->mutable_create_time());
  EXPECT_EQ(RenderStatusJson(view, kNow, absl::UTCTimeZone()),
            "{\"ticket_id\":42,\"subject\":\"Printer on fire\","
            "\"status\":\"solved\",\"status_text\":\"We think this is "
            "solved. If it isn't, reply and we will pick it up again.\","
            "\"created\":null,\"updated\":null,"
            "\"promise\":{\"kind\":\"none\",\"text\":\"Nothing more is due "
            "from us unless you reply.\",\"due\":null,\"overdue\":false,"
            "\"overdue_seconds\":0},\"conversation\":[],"
            "\"rating\":{\"score\":4,\"comment\":\"ok\","
            "\"time\":\"2026-11-22T15:00:00Z\"}}");
}

TEST(RenderErrorJsonTest, CodeAndEscapedMessage) {
  EXPECT_EQ(RenderErrorJson("NOT_FOUND", "No ticket \"7\""),
            "{\"error\":{\"code\":\"NOT_FOUND\",\"message\":\"No ticket "
            "\\\"7\\\"\"}}");
}

}  // namespace
}  // namespace cxdesk::clients::status
