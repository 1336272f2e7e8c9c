#include "clients/console/console_model.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "clients/console/console_app.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/proto_time.h"

namespace cxdesk::clients::console {
namespace {

namespace ticketpb = ::cxdesk::ticket::v1;
namespace slapb = ::cxdesk::sla::v1;

using ::testing::ElementsAre;
using ::testing::HasSubstr;

const absl::Time kNow = absl::FromUnixSeconds(1'800'000'000);

void SetTime(absl::Time t, google::protobuf::Timestamp* out) {
  out->set_seconds(absl::ToUnixSeconds(t));
}

ticketpb::Ticket MakeTicket(int64_t id, absl::Time created,
                            const std::string& subject = "Printer on fire") {
  ticketpb::Ticket t;
  t.set_id(id);
  t.set_subject(subject);
  t.set_priority(ticketpb::PRIORITY_HIGH);
  t.set_kind(ticketpb::KIND_COMPLAINT);
  t.set_cx_level(ticketpb::CX_LEVEL_PRODUCT);
  t.set_status(ticketpb::STATUS_OPEN);
  t.mutable_customer()->set_email("jane@example.com");
  t.mutable_customer()->set_name("Jane Doe");
  t.add_tags("hardware");
  t.add_tags("vip");
  SetTime(created, t.mutable_create_time());
  return t;
}

ClockInfo Running(absl::Time deadline,
                  absl::Time warning = absl::InfiniteFuture()) {
  ClockInfo c;
  c.metric = slapb::METRIC_FIRST_RESPONSE;
  c.state = slapb::CLOCK_STATE_RUNNING;
  c.deadline = deadline;
  c.next_warning_time = warning;
  return c;
}

// --- countdown ---------------------------------------------------------------

TEST(CountdownTextTest, ExactInstants) {
  EXPECT_EQ(CountdownText(absl::ZeroDuration()), "0s");
  EXPECT_EQ(CountdownText(absl::Seconds(45)), "45s");
  EXPECT_EQ(CountdownText(absl::Minutes(12) + absl::Seconds(4)), "12m04s");
  EXPECT_EQ(
      CountdownText(absl::Hours(1) + absl::Minutes(2) + absl::Seconds(59)),
      "1h02m");
  EXPECT_EQ(CountdownText(absl::Hours(51)), "2d03h");
  EXPECT_EQ(CountdownText(-(absl::Minutes(3) + absl::Seconds(10))), "-3m10s");
  EXPECT_EQ(CountdownText(-absl::Seconds(1)), "-1s");
  // Sub-second remainders truncate toward zero: no "-0s".
  EXPECT_EQ(CountdownText(-absl::Milliseconds(400)), "0s");
  EXPECT_EQ(CountdownText(absl::Milliseconds(1999)), "1s");
}

TEST(AgeTextTest, Units) {
  EXPECT_EQ(AgeText(absl::Seconds(40)), "40s");
  EXPECT_EQ(AgeText(absl::Minutes(12) + absl::Seconds(59)), "12m");
  EXPECT_EQ(AgeText(absl::Hours(3)), "3h");
  EXPECT_EQ(AgeText(absl::Hours(24 * 5 + 1)), "5d");
  EXPECT_EQ(AgeText(-absl::Seconds(3)), "0s");
}

TEST(UrgencyTest, GreenThenAmberAtTheWarningThenRedAtTheDeadline) {
  const ClockInfo c =
      Running(kNow + absl::Minutes(10), kNow + absl::Minutes(5));
  EXPECT_EQ(UrgencyAt(c, kNow), Urgency::kOk);
  EXPECT_EQ(UrgencyAt(c, kNow + absl::Minutes(5) - absl::Nanoseconds(1)),
            Urgency::kOk);
  EXPECT_EQ(UrgencyAt(c, kNow + absl::Minutes(5)), Urgency::kWarning);
  EXPECT_EQ(UrgencyAt(c, kNow + absl::Minutes(10) - absl::Nanoseconds(1)),
            Urgency::kWarning);
  EXPECT_EQ(UrgencyAt(c, kNow + absl::Minutes(10)), Urgency::kBreached);
}

TEST(UrgencyTest, AlreadyWarnedOrBreachedAndNotRunning) {
  ClockInfo warned = Running(kNow + absl::Hours(1));
  warned.warned = true;
  EXPECT_EQ(UrgencyAt(warned, kNow), Urgency::kWarning);
  ClockInfo breached = Running(kNow + absl::Hours(1));
  breached.breached = true;
  EXPECT_EQ(UrgencyAt(breached, kNow), Urgency::kBreached);
  ClockInfo paused = Running(kNow - absl::Hours(1));
  paused.state = slapb::CLOCK_STATE_PAUSED;
  EXPECT_EQ(UrgencyAt(paused, kNow), Urgency::kNone);
}

TEST(FromTicketSlaTest, ReadsClocksAndKnowsFiredWarnings) {
  slapb::TicketSla in;
  slapb::SlaClock* first = in.add_clocks();
  first->set_metric(slapb::METRIC_FIRST_RESPONSE);
  first->set_state(slapb::CLOCK_STATE_RUNNING);
  SetTime(kNow + absl::Minutes(30), first->mutable_deadline());
  first->mutable_next_warning()->set_minutes_before(10);
  SetTime(kNow + absl::Minutes(20), first->mutable_next_warning_time());
  slapb::SlaClock* resolution = in.add_clocks();
  resolution->set_metric(slapb::METRIC_RESOLUTION);
  resolution->set_state(slapb::CLOCK_STATE_RUNNING);
  SetTime(kNow + absl::Hours(8), resolution->mutable_deadline());
  slapb::SlaClock* paused = in.add_clocks();
  paused->set_metric(slapb::METRIC_NEXT_RESPONSE);
  paused->set_state(slapb::CLOCK_STATE_PAUSED);

  const TicketSlaInfo info = FromTicketSla(
      in, {slapb::METRIC_FIRST_RESPONSE, slapb::METRIC_RESOLUTION});
  ASSERT_EQ(info.clocks.size(), 3u);
  EXPECT_EQ(info.clocks[0].deadline, kNow + absl::Minutes(30));
  EXPECT_EQ(info.clocks[0].next_warning_time, kNow + absl::Minutes(20));
  EXPECT_FALSE(info.clocks[0].warned);  // one still to fire
  EXPECT_TRUE(info.clocks[1].warned);   // none left, the policy has some
  EXPECT_EQ(info.clocks[2].deadline, absl::InfiniteFuture());
  EXPECT_FALSE(info.clocks[2].warned);
  const ClockInfo* next = NextDeadline(info);
  ASSERT_NE(next, nullptr);
  EXPECT_EQ(next->metric, slapb::METRIC_FIRST_RESPONSE);
}

// --- rows and their order
// ------------------------------------------------------

TEST(BuildRowsTest, SortedBySoonestDeadlineOverdueFirstClocklessLast) {
  std::vector<ticketpb::Ticket> tickets = {
      MakeTicket(1, kNow - absl::Hours(2)),     // no SLA known
      MakeTicket(2, kNow - absl::Hours(1)),     // due in 1h
      MakeTicket(3, kNow - absl::Minutes(5)),   // overdue 3m10s
      MakeTicket(4, kNow - absl::Minutes(1)),   // due in 12m04s
      MakeTicket(5, kNow - absl::Hours(3)),     // paused only
      MakeTicket(6, kNow - absl::Minutes(30)),  // no SLA, newer than 1
  };
  std::map<int64_t, TicketSlaInfo> sla;
  sla[2].clocks = {Running(kNow + absl::Hours(1))};
  sla[3].clocks = {Running(kNow - absl::Minutes(3) - absl::Seconds(10))};
  sla[4].clocks = {Running(kNow + absl::Hours(5)),
                   Running(kNow + absl::Minutes(12) + absl::Seconds(4),
                           kNow - absl::Seconds(1))};
  ClockInfo paused = Running(absl::InfiniteFuture());
  paused.state = slapb::CLOCK_STATE_PAUSED;
  sla[5].clocks = {paused};

  const std::vector<Row> rows = BuildRows(tickets, sla, kNow);
  std::vector<int64_t> ids;
  for (const Row& r : rows) ids.push_back(r.id);
  EXPECT_THAT(ids, ElementsAre(3, 4, 2, 6, 1, 5));
  EXPECT_EQ(rows[0].due, "-3m10s");
  EXPECT_EQ(rows[0].urgency, Urgency::kBreached);
  EXPECT_EQ(rows[1].due, "12m04s");
  EXPECT_EQ(rows[1].urgency, Urgency::kWarning);
  EXPECT_EQ(rows[2].due, "1h00m");
  EXPECT_EQ(rows[2].urgency, Urgency::kOk);
  EXPECT_EQ(rows[3].due, "-");
  EXPECT_EQ(rows[3].urgency, Urgency::kNone);
  EXPECT_EQ(rows[5].due, "paused");
  EXPECT_EQ(rows[1].priority, "high");
  EXPECT_EQ(rows[1].kind, "complaint");
  EXPECT_EQ(rows[1].cx, "product");
  EXPECT_EQ(rows[1].customer, "jane@example.com");
  EXPECT_EQ(rows[1].status, "open");
  EXPECT_EQ(rows[1].age, "1m");
}

TEST(BuildRowsTest, CountdownMovesWithNow) {
  std::vector<ticketpb::Ticket> tickets = {MakeTicket(7, kNow)};
  std::map<int64_t, TicketSlaInfo> sla;
  sla[7].clocks = {Running(kNow + absl::Seconds(61))};
  EXPECT_EQ(BuildRows(tickets, sla, kNow)[0].due, "1m01s");
  EXPECT_EQ(BuildRows(tickets, sla, kNow + absl::Seconds(1))[0].due, "1m00s");
  EXPECT_EQ(BuildRows(tickets, sla, kNow + absl::Seconds(2))[0].due, "59s");
  EXPECT_EQ(BuildRows(tickets, sla, kNow + absl::Seconds(62))[0].due, "-1s");
}

// --- layout
// ----------------------------------------------------------------------

std::vector<std::string> Titles(const Layout& layout) {
  std::vector<std::string> out;
  for (const ColumnSpec& c : layout.columns) out.push_back(c.title);
  return out;
}

TEST(LayoutTest, EightyColumnsKeepsEveryRequiredColumn) {
  const Layout layout = LayoutFor(80);
  EXPECT_THAT(Titles(layout),
              ElementsAre("ID", "DUE", "PRIO", "KIND", "CX", "CUSTOMER",
                          "STATUS", "AGE", "SUBJECT"));
  EXPECT_EQ(layout.total_width(), 80);
  EXPECT_EQ(layout.columns.back().width, 17);
  EXPECT_EQ(FormatHeader(layout),
            "ID    DUE    PRIO   KIND      CX      CUSTOMER     STATUS  AGE "
            "SUBJECT          ");
}

TEST(LayoutTest, HundredThirtyTwoColumnsAddsAssigneeAndWidensSubject) {
  const Layout layout = LayoutFor(132);
  EXPECT_THAT(Titles(layout),
              ElementsAre("ID", "DUE", "PRIO", "KIND", "CX", "CUSTOMER",
                          "STATUS", "ASSIGNEE", "AGE", "SUBJECT"));
  EXPECT_EQ(layout.total_width(), 132);
  EXPECT_EQ(layout.columns.back().width, 46);
  EXPECT_EQ(layout.columns[5].title, "CUSTOMER");
  EXPECT_EQ(layout.columns[5].width, 26);
}

TEST(LayoutTest, NarrowTerminalsDropColumnsNeverOverflow) {
  const Layout layout = LayoutFor(60);
  EXPECT_THAT(Titles(layout), ElementsAre("ID", "DUE", "PRIO", "CUSTOMER",
                                          "STATUS", "AGE", "SUBJECT"));
  EXPECT_EQ(layout.columns.back().width, 15);
  EXPECT_EQ(layout.total_width(), 60);
  for (int w = 20; w <= 200; ++w) {
    EXPECT_LE(LayoutFor(w).total_width(), w) << w;
  }
}

TEST(LayoutTest, RowIsTruncatedSubjectFirstAndNeverWraps) {
  std::vector<ticketpb::Ticket> tickets = {MakeTicket(
      42, kNow - absl::Minutes(3),
      "A very long subject that certainly does not fit in eighty columns")};
  std::map<int64_t, TicketSlaInfo> sla;
  sla[42].clocks = {Running(kNow + absl::Minutes(12) + absl::Seconds(4))};
  const Row row = BuildRows(tickets, sla, kNow)[0];
  const std::string line = FormatRow(row, LayoutFor(80));
  EXPECT_EQ(line,
            "42    12m04s high   complaint product jane@exampl~ open    3m  "
            "A very long subj~");
  EXPECT_EQ(line.size(), 80u);
  const std::optional<std::pair<int, int>> due =
      CellSpan(LayoutFor(80), Column::kDue);
  ASSERT_TRUE(due.has_value());
  EXPECT_EQ(due->first, 6);
  EXPECT_EQ(due->second, 6);
}

TEST(FitTest, CountsCharactersNotBytes) {
  EXPECT_EQ(Fit("abc", 5), "abc  ");
  EXPECT_EQ(Fit("abcdef", 4), "abc~");
  EXPECT_EQ(Fit("status → open", 13), "status → open");
  EXPECT_EQ(Fit("a→b→c", 3), "a→~");
  EXPECT_EQ(Fit("tab\there", 8), "tab here");
  EXPECT_EQ(Fit("x", 0), "");
}

// --- search
// ----------------------------------------------------------------------

TEST(SearchQueryTest, FiltersAndWords) {
  absl::StatusOr<SearchQuery> q = ParseSearchQuery(
      "status:open,pending priority:high Printer assignee:me tag:VIP", "ann");
  ASSERT_TRUE(q.ok()) << q.status();
  EXPECT_THAT(q->statuses,
              ElementsAre(ticketpb::STATUS_OPEN, ticketpb::STATUS_PENDING));
  EXPECT_EQ(q->priority, ticketpb::PRIORITY_HIGH);
  EXPECT_EQ(q->assignee, std::optional<std::string>("ann"));
  EXPECT_EQ(q->tag, "vip");
  EXPECT_THAT(q->words, ElementsAre("printer"));

  ticketpb::Ticket t = MakeTicket(9, kNow);
  t.set_assignee("ann");
  EXPECT_TRUE(Matches(*q, t));
  t.set_status(ticketpb::STATUS_SOLVED);
  EXPECT_FALSE(Matches(*q, t));
}

TEST(SearchQueryTest, WordsMatchSubjectCustomerAndTags) {
  const ticketpb::Ticket t = MakeTicket(9, kNow);
  EXPECT_TRUE(Matches(*ParseSearchQuery("fire jane", "me"), t));
  EXPECT_TRUE(Matches(*ParseSearchQuery("example.com", "me"), t));
  EXPECT_TRUE(Matches(*ParseSearchQuery("HARDWARE", "me"), t));
  EXPECT_FALSE(Matches(*ParseSearchQuery("fire bob", "me"), t));
  EXPECT_TRUE(Matches(*ParseSearchQuery("#9", "me"), t));
  EXPECT_FALSE(Matches(*ParseSearchQuery("#10", "me"), t));
  EXPECT_TRUE(Matches(*ParseSearchQuery("assignee:none", "me"), t));
  EXPECT_TRUE(Matches(*ParseSearchQuery("", "me"), t));
}

TEST(SearchQueryTest, BadFiltersNameTheFilterAndTheChoices) {
  absl::StatusOr<SearchQuery> q = ParseSearchQuery("priority:hihg", "me");
  EXPECT_EQ(q.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(q.status().message(),
            "priority: 'hihg' is not one of low, normal, high, urgent");
  q = ParseSearchQuery("colour:red", "me");
  EXPECT_EQ(q.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(q.status().message(), HasSubstr("'colour' is not a filter"));
  q = ParseSearchQuery("status:", "me");
  EXPECT_EQ(q.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(q.status().message(), "status: needs a value after ':'");
  q = ParseSearchQuery("#x1", "me");
  EXPECT_EQ(q.status().code(), absl::StatusCode::kInvalidArgument);
}

// --- statuses, errors, tokens, tags
// ------------------------------------------------

TEST(LegalNextStatusesTest, FollowsTheStateMachine) {
  EXPECT_THAT(LegalNextStatuses(ticketpb::STATUS_NEW),
              ElementsAre(ticketpb::STATUS_OPEN, ticketpb::STATUS_PENDING,
                          ticketpb::STATUS_ON_HOLD, ticketpb::STATUS_SOLVED));
  EXPECT_THAT(LegalNextStatuses(ticketpb::STATUS_OPEN),
              ElementsAre(ticketpb::STATUS_PENDING, ticketpb::STATUS_ON_HOLD,
                          ticketpb::STATUS_SOLVED));
  EXPECT_THAT(LegalNextStatuses(ticketpb::STATUS_SOLVED),
              ElementsAre(ticketpb::STATUS_OPEN, ticketpb::STATUS_CLOSED));
  EXPECT_TRUE(LegalNextStatuses(ticketpb::STATUS_CLOSED).empty());
}

TEST(ErrorWordsTest, EachCodeInPlainWords) {
  EXPECT_EQ(ErrorWords(absl::FailedPreconditionError(
                           "status: cannot move a closed ticket to open"),
                       "ticket"),
            "cannot move a closed ticket to open");
  EXPECT_EQ(ErrorWords(absl::PermissionDeniedError("managers only"), "ticket"),
            "you may not do that: managers only");
  EXPECT_EQ(ErrorWords(absl::AbortedError("etag: stale"), "ticket"),
            "someone changed this ticket first — reloaded, try again");
  EXPECT_EQ(ErrorWords(absl::UnavailableError("connection refused"), "ticket"),
            "ticket service unreachable, retrying");
  EXPECT_EQ(ErrorWords(absl::UnavailableError("x"), "SLA"),
            "SLA service unreachable, retrying");
  EXPECT_EQ(ErrorWords(absl::UnauthenticatedError("token: expired"), "ticket"),
            "not signed in: expired — start with a valid token");
  EXPECT_EQ(
      ErrorWords(absl::NotFoundError("ticket 9 does not exist"), "ticket"),
      "not found: ticket 9 does not exist");
  EXPECT_EQ(
      ErrorWords(absl::InvalidArgumentError("assignee: too long"), "ticket"),
      "rejected: assignee: too long");
}

TEST(IdentityFromTokenTest, ReadsSubjectAndRole) {
  // "ann\nagent\n9999999999" and "svc\nservice\n9999999999", base64url.
  absl::StatusOr<Identity> me =
      IdentityFromToken("cxd1.YW5uCmFnZW50Cjk5OTk5OTk5OTk.c2ln");
  ASSERT_TRUE(me.ok()) << me.status();
  EXPECT_EQ(me->agent_id, "ann");
  EXPECT_EQ(me->role, "agent");
  EXPECT_EQ(IdentityFromToken("cxd1.c3ZjCnNlcnZpY2UKOTk5OTk5OTk5OQ.c2ln")
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(IdentityFromToken("hello").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(IdentityFromToken("hello").status().message(),
            "--token: not a cxdesk token (cxdesk token issue makes one)");
}

TEST(ApplyTagEditTest, AddsRemovesAndValidates) {
  absl::StatusOr<std::vector<std::string>> tags =
      ApplyTagEdit({"hardware", "vip"}, "+urgent -vip extra,hardware");
  ASSERT_TRUE(tags.ok()) << tags.status();
  EXPECT_THAT(*tags, ElementsAre("extra", "hardware", "urgent"));
  EXPECT_EQ(ApplyTagEdit({}, "bad/tag").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ApplyTagEdit({}, "bad/tag").status().message(),
            "tag 'bad/tag': 1..50 of a-z 0-9 _ : . - (prefix - to remove)");
}

// --- command line
// ------------------------------------------------------------------

std::optional<std::string> NoEnv(const std::string&) { return std::nullopt; }

TEST(ParseConsoleArgsTest, FlagsThenEnvironmentThenDefaults) {
  bool help = false;
  absl::StatusOr<ConsoleOptions> o = ParseConsoleArgs(
      {"--target", "127.0.0.1:9", "--token=T"},
      [](const std::string& name) -> std::optional<std::string> {
        if (name == "CXDESK_SLA_TARGET") return "127.0.0.1:8";
        if (name == "CXDESK_TICKET_ADDR") return "127.0.0.1:1";
        return std::nullopt;
      },
      &help);
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->ticket_target, "127.0.0.1:9");
  EXPECT_EQ(o->sla_target, "127.0.0.1:8");
  EXPECT_EQ(o->escalation_target, "127.0.0.1:7103");
  EXPECT_EQ(o->token, "T");
  EXPECT_FALSE(help);
}

TEST(ParseConsoleArgsTest, ClearErrors) {
  bool help = false;
  EXPECT_EQ(ParseConsoleArgs({"--token", "T", "--colour"}, NoEnv, &help)
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  absl::StatusOr<ConsoleOptions> o = ParseConsoleArgs({}, NoEnv, &help);
  EXPECT_EQ(o.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_THAT(o.status().message(), HasSubstr("no token"));
  o = ParseConsoleArgs({"--token", "T", "--target", "nowhere"}, NoEnv, &help);
  EXPECT_EQ(o.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(o.status().message(), "--target: 'nowhere' is not HOST:PORT");
  o = ParseConsoleArgs({"--help"}, NoEnv, &help);
  EXPECT_TRUE(help);
}

TEST(WrapTest, BreaksAtSpacesKeepsIndentAndCutsLongWords) {
  EXPECT_THAT(Wrap("the printer is on fire again", 12),
              ElementsAre("the printer", "is on fire", "again"));
  EXPECT_THAT(Wrap("  indented words here", 12),
              ElementsAre("  indented", "  words here"));
  EXPECT_THAT(Wrap("abcdefghijklmno\nx", 10),
              ElementsAre("abcdefghij", "klmno", "x"));
}

TEST(TicketWordsTest, ClocksActivityAndTimes) {
  EXPECT_TRUE(HasRunningClocks(ticketpb::STATUS_ON_HOLD));
  EXPECT_FALSE(HasRunningClocks(ticketpb::STATUS_SOLVED));
  EXPECT_TRUE(IsActive(ticketpb::STATUS_PENDING));
  EXPECT_FALSE(IsActive(ticketpb::STATUS_CLOSED));
  EXPECT_EQ(TimeText(google::protobuf::Timestamp()), "-");
  google::protobuf::Timestamp ts;
  ts.set_seconds(1'800'000'000);
  EXPECT_EQ(TimeText(ts), "2027-01-15 08:00:00 UTC");
}

}  // namespace
}  // namespace cxdesk::clients::console
