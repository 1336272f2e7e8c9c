#include "clients/cli/output.h"

#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace cxdesk::clients::cli {
namespace {

namespace v1 = ::cxdesk::ticket::v1;
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
  v1::Rating rating;
  EXPECT_EQ(FormatRating(rating), "(none)");
  rating.set_score(4);
  EXPECT_EQ(FormatRating(rating), "4/5");
  rating.set_comment("quick");
  EXPECT_EQ(FormatRating(rating), "4/5 \"quick\"");
}

v1::Ticket SampleTicket() {
  v1::Ticket t;
  t.set_id(12);
  t.set_subject("Printer on fire");
  t.set_description("It smokes.\nA lot.");
  t.set_kind(v1::KIND_COMPLAINT);
  t.set_cx_level(v1::CX_LEVEL_PRODUCT);
  t.set_priority(v1::PRIORITY_HIGH);
  t.set_channel(v1::CHANNEL_EMAIL);
  t.set_status(v1::STATUS_OPEN);
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
  v1::Ticket other;
  other.set_id(7);
  other.set_status(v1::STATUS_NEW);
  other.set_priority(v1::PRIORITY_NORMAL);
  other.set_kind(v1::KIND_QUESTION);
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
  v1::Ticket t = SampleTicket();
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
  v1::Comment c;
  c.set_id(3);
  c.set_body("call the vendor");
  c.set_author("alice");
  c.set_author_role(v1::ROLE_AGENT);
  c.set_visibility(v1::VISIBILITY_INTERNAL);
  *c.mutable_create_time() = Ts(At(2026, 11, 22, 14, 5));
  EXPECT_EQ(FormatComment(c, kContext),
            "--- #3  2026-11-22 14:05  alice (agent)  *** INTERNAL NOTE "
            "(staff only) ***\n    call the vendor\n");
  c.set_visibility(v1::VISIBILITY_PUBLIC);
  EXPECT_THAT(FormatComment(c, kContext), HasSubstr("  public reply\n"));
}

TEST(FormatStatusViewTest, PlainWordsRatingAndConversation) {
  v1::TicketStatusView view;
  view.set_ticket_id(12);
  view.set_subject("Printer on fire");
  view.set_status(v1::STATUS_PENDING);
  v1::Comment* c = view.add_conversation();
  c->set_body("It smokes.");
  c->set_author("jane@example.com");
  c->set_author_role(v1::ROLE_CUSTOMER);
  std::string text = FormatStatusView(view, kContext);
  EXPECT_THAT(text, HasSubstr("status:   pending (waiting for your reply)"));
  EXPECT_THAT(text, HasSubstr("conversation (1):\n"));
  EXPECT_THAT(text, HasSubstr("jane@example.com (customer)\n    It smokes.\n"));
  EXPECT_THAT(text, Not(HasSubstr("rating")));

  view.set_status(v1::STATUS_SOLVED);
  EXPECT_THAT(FormatStatusView(view, kContext),
              HasSubstr("not rated yet: cxdesk ticket rate 12 --score 1..5"));
  view.mutable_rating()->set_score(5);
  EXPECT_THAT(FormatStatusView(view, kContext), HasSubstr("rating:   5/5"));
}

TEST(StatusInPlainWordsTest, EveryStatusSaysSomething) {
  for (int i = 1; i <= 6; ++i) {
    EXPECT_NE(StatusInPlainWords(static_cast<v1::Status>(i)), "unknown");
  }
}

v1::TicketEvent Event(v1::EventType type) {
  v1::TicketEvent e;
  e.set_type(type);
  e.set_cursor("10-4");
  e.set_id(4);
  e.set_ticket_id(12);
  e.set_ticket_version(4);
  e.set_actor("alice");
  e.set_actor_role(v1::ROLE_AGENT);
  *e.mutable_create_time() = Ts(At(2026, 11, 22, 14, 3));
  *e.mutable_before() = SampleTicket();
  *e.mutable_after() = SampleTicket();
  return e;
}

TEST(DescribeChangesTest, DiffsTheSnapshots) {
  v1::TicketEvent e = Event(v1::EVENT_TYPE_UPDATED);
  v1::Ticket* a = e.mutable_after();
  a->set_status(v1::STATUS_PENDING);
  a->set_priority(v1::PRIORITY_URGENT);
  a->set_assignee("");
  a->set_team("billing");
  a->add_tags("zz");
  a->set_subject("Printer gone");
  a->set_kind(v1::KIND_INCIDENT);
  a->set_cx_level(v1::CX_LEVEL_UNSPECIFIED);
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
  EXPECT_TRUE(DescribeChanges(Event(v1::EVENT_TYPE_UPDATED)).empty());
}

TEST(DescribeChangesTest, CommentAndReason) {
  v1::TicketEvent e = Event(v1::EVENT_TYPE_COMMENT_ADDED);
  e.mutable_comment()->set_id(9);
  e.mutable_comment()->set_visibility(v1::VISIBILITY_PUBLIC);
  e.mutable_before()->set_status(v1::STATUS_PENDING);
  EXPECT_THAT(DescribeChanges(e),
              ElementsAre("public reply #9", "status: pending -> open"));
  e.mutable_comment()->set_visibility(v1::VISIBILITY_INTERNAL);
  e.mutable_before()->set_status(v1::STATUS_OPEN);
  e.set_reason("vendor");
  EXPECT_THAT(DescribeChanges(e),
              ElementsAre("internal note #9", "reason: \"vendor\""));
}

TEST(DescribeChangesTest, CreationListsInitialValues) {
  v1::TicketEvent e = Event(v1::EVENT_TYPE_CREATED);
  e.clear_before();
  e.mutable_after()->set_status(v1::STATUS_NEW);
  e.mutable_after()->clear_assignee();
  EXPECT_THAT(DescribeChanges(e),
              ElementsAre("subject: \"Printer on fire\"", "status: new",
                          "priority: high", "kind: complaint",
                          "cx level: product", "channel: email",
                          "customer: jane@example.com", "tags: hardware, vip"));
}

TEST(FormatEventLineTest, HistoryAndStreamForms) {
  v1::TicketEvent e = Event(v1::EVENT_TYPE_STATUS_CHANGED);
  e.mutable_after()->set_status(v1::STATUS_SOLVED);
  EXPECT_EQ(FormatEventLine(e, kContext, /*stream=*/false),
            "2026-11-22 14:03  v4    status    alice (agent)         status: "
            "open -> solved");
  EXPECT_EQ(FormatEventLine(e, kContext, /*stream=*/true),
            "10-4  2026-11-22 14:03  #12 v4    status    alice (agent)         "
            "status: open -> solved");
  e.mutable_after()->set_status(v1::STATUS_OPEN);
  EXPECT_EQ(FormatEventLine(e, kContext, false),
            "2026-11-22 14:03  v4    status    alice (agent)");
}

TEST(ToJsonTest, OneLineWithProtoFieldNames) {
  v1::Ticket t;
  t.set_id(12);
  t.set_cx_level(v1::CX_LEVEL_BRAND);
  absl::StatusOr<std::string> json = ToJson(t);
  ASSERT_TRUE(json.ok()) << json.status();
  EXPECT_THAT(*json, HasSubstr("\"id\":\"12\""));
  EXPECT_THAT(*json, HasSubstr("\"cx_level\":\"CX_LEVEL_BRAND\""));
  EXPECT_THAT(*json, HasSubstr("\"assignee\":\"\""));
  EXPECT_EQ(json->find('\n'), std::string::npos);
}

}  // namespace
}  // namespace cxdesk::clients::cli
