#include "clients/cli/requests.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace cxdesk::clients::cli {
namespace {

namespace ticketpb = ::cxdesk::ticket::v1;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

ParsedFlags Flags(std::vector<std::pair<std::string, std::string>> values,
                  std::vector<std::string> switches = {}) {
  ParsedFlags flags;
  for (auto& [k, v] : values) flags.values[k] = v;
  for (auto& s : switches) flags.switches.insert(s);
  return flags;
}

std::string Message(const absl::Status& status) {
  return std::string(status.message());
}

TEST(ParseTicketIdTest, NumbersWithOrWithoutHash) {
  EXPECT_EQ(*ParseTicketId("ID", "12"), 12);
  EXPECT_EQ(*ParseTicketId("ID", "#12"), 12);
  for (const char* bad : {"0", "-3", "abc", "", "12x"}) {
    absl::StatusOr<int64_t> id = ParseTicketId("ID", bad);
    EXPECT_EQ(id.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_THAT(Message(id.status()), HasSubstr("is not a ticket number"));
  }
}

TEST(SplitListTest, TrimsAndDropsEmpty) {
  EXPECT_THAT(SplitList(" a, b ,,c "), ElementsAre("a", "b", "c"));
  EXPECT_TRUE(SplitList("").empty());
}

TEST(ParseDurationFlagTest, HoursMinutesDays) {
  EXPECT_EQ(*ParseDurationFlag("--ttl", "720h"), absl::Hours(720));
  EXPECT_EQ(*ParseDurationFlag("--ttl", "1h30m"), absl::Minutes(90));
  EXPECT_EQ(*ParseDurationFlag("--ttl", "30d"), absl::Hours(720));
  for (const char* bad : {"0s", "-1h", "soon", "d", "inf"}) {
    EXPECT_EQ(ParseDurationFlag("--ttl", bad).status().code(),
              absl::StatusCode::kInvalidArgument)
        << bad;
  }
  EXPECT_THAT(Message(ParseDurationFlag("--ttl", "x").status()),
              HasSubstr("--ttl: 'x' is not a positive duration"));
}

TEST(BuildCreateTicketRequestTest, AllFields) {
  absl::StatusOr<ticketpb::CreateTicketRequest> r =
      BuildCreateTicketRequest(Flags({{"subject", "S"},
                                      {"description", "D"},
                                      {"email", "e@x.org"},
                                      {"name", "N"},
                                      {"kind", "complaint"},
                                      {"cx-level", "emotion"},
                                      {"priority", "urgent"},
                                      {"channel", "phone"},
                                      {"tags", "a, b"},
                                      {"request-id", "r1"}}));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->subject(), "S");
  EXPECT_EQ(r->description(), "D");
  EXPECT_EQ(r->customer_email(), "e@x.org");
  EXPECT_EQ(r->customer_name(), "N");
  EXPECT_EQ(r->kind(), ticketpb::KIND_COMPLAINT);
  EXPECT_EQ(r->cx_level(), ticketpb::CX_LEVEL_EMOTION);
  EXPECT_EQ(r->priority(), ticketpb::PRIORITY_URGENT);
  EXPECT_EQ(r->channel(), ticketpb::CHANNEL_PHONE);
  EXPECT_THAT(r->tags(), ElementsAre("a", "b"));
  EXPECT_EQ(r->request_id(), "r1");
}

TEST(BuildCreateTicketRequestTest, DefaultsLeftToTheServer) {
  absl::StatusOr<ticketpb::CreateTicketRequest> r =
      BuildCreateTicketRequest(Flags({{"subject", "S"}}));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->kind(), ticketpb::KIND_UNSPECIFIED);
  EXPECT_EQ(r->priority(), ticketpb::PRIORITY_UNSPECIFIED);
  EXPECT_EQ(r->channel(), ticketpb::CHANNEL_UNSPECIFIED);
}

TEST(BuildCreateTicketRequestTest, BadWordNamesFlag) {
  absl::StatusOr<ticketpb::CreateTicketRequest> r =
      BuildCreateTicketRequest(Flags({{"cx-level", "vibes"}}));
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Message(r.status()),
            "--cx-level: 'vibes' is not one of product, interaction, service, "
            "emotion, brand");
}

TEST(BuildListTicketsRequestTest, Filters) {
  absl::StatusOr<ticketpb::ListTicketsRequest> r =
      BuildListTicketsRequest(Flags({{"status", "open,pending"},
                                     {"priority", "high"},
                                     {"kind", "incident"},
                                     {"cx-level", "service"},
                                     {"assignee", "alice"},
                                     {"team", "t1"},
                                     {"customer", "c@x.org"},
                                     {"tag", "vip"},
                                     {"order", "priority desc"},
                                     {"page-size", "20"},
                                     {"page-token", "p2"}},
                                    {"unassigned"}));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_THAT(r->statuses(),
              ElementsAre(ticketpb::STATUS_OPEN, ticketpb::STATUS_PENDING));
  EXPECT_EQ(r->priority(), ticketpb::PRIORITY_HIGH);
  EXPECT_EQ(r->kind(), ticketpb::KIND_INCIDENT);
  EXPECT_EQ(r->cx_level(), ticketpb::CX_LEVEL_SERVICE);
  EXPECT_EQ(r->assignee(), "alice");
  EXPECT_EQ(r->team(), "t1");
  EXPECT_EQ(r->customer_email(), "c@x.org");
  EXPECT_EQ(r->tag(), "vip");
  EXPECT_TRUE(r->unassigned());
  EXPECT_EQ(r->order_by(), "priority desc");
  EXPECT_EQ(r->page_size(), 20);
  EXPECT_EQ(r->page_token(), "p2");
}

TEST(BuildListTicketsRequestTest, CreatedRange) {
  absl::StatusOr<ticketpb::ListTicketsRequest> r = BuildListTicketsRequest(
      Flags({{"created-after", "2026-11-01"},
             {"created-before", "2026-11-02T09:30:00.5+01:00"}}));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->created_after().seconds(), 1793491200);  // 2026-11-01 00:00Z
  EXPECT_EQ(r->created_before().seconds(),
            1793491200 + 86400 + 8 * 3600 + 30 * 60);
  EXPECT_EQ(r->created_before().nanos(), 500000000);
  EXPECT_FALSE(BuildListTicketsRequest(Flags({})).value().has_created_after());
  EXPECT_THAT(
      Message(BuildListTicketsRequest(Flags({{"created-after", "yesterday"}}))
                  .status()),
      HasSubstr("--created-after: 'yesterday' is not a date"));
}

TEST(BuildListTicketsRequestTest, BadValues) {
  EXPECT_THAT(
      Message(
          BuildListTicketsRequest(Flags({{"status", "open,done"}})).status()),
      HasSubstr("--status: 'done' is not one of new, open, pending, on-hold, "
                "solved, closed"));
  EXPECT_THAT(
      Message(BuildListTicketsRequest(Flags({{"page-size", "501"}})).status()),
      HasSubstr("--page-size: '501' is not a whole number from 0 to 500"));
}

TEST(BuildUpdateTicketRequestTest, MaskNamesExactlyTheFlagsGiven) {
  absl::StatusOr<ticketpb::UpdateTicketRequest> r = BuildUpdateTicketRequest(
      5, Flags({{"priority", "low"}, {"subject", "New"}, {"etag", "e1"}}));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->ticket().id(), 5);
  EXPECT_THAT(r->update_mask().paths(), ElementsAre("subject", "priority"));
  EXPECT_EQ(r->ticket().subject(), "New");
  EXPECT_EQ(r->ticket().priority(), ticketpb::PRIORITY_LOW);
  EXPECT_EQ(r->etag(), "e1");
}

TEST(BuildUpdateTicketRequestTest, EveryFieldInProtoOrder) {
  absl::StatusOr<ticketpb::UpdateTicketRequest> r =
      BuildUpdateTicketRequest(5, Flags({{"tags", "x,y"},
                                         {"channel", "chat"},
                                         {"priority", "high"},
                                         {"cx-level", "brand"},
                                         {"kind", "complaint"},
                                         {"description", "D"},
                                         {"subject", "S"}}));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_THAT(r->update_mask().paths(),
              ElementsAre("subject", "description", "kind", "cx_level",
                          "priority", "channel", "tags"));
  EXPECT_THAT(r->ticket().tags(), ElementsAre("x", "y"));
  EXPECT_EQ(r->ticket().channel(), ticketpb::CHANNEL_CHAT);
}

TEST(BuildUpdateTicketRequestTest, EmptyTagsClear) {
  absl::StatusOr<ticketpb::UpdateTicketRequest> r =
      BuildUpdateTicketRequest(5, Flags({{"tags", ""}}));
  ASSERT_TRUE(r.ok());
  EXPECT_THAT(r->update_mask().paths(), ElementsAre("tags"));
  EXPECT_TRUE(r->ticket().tags().empty());
}

TEST(BuildUpdateTicketRequestTest, NothingToChangeIsAnError) {
  absl::StatusOr<ticketpb::UpdateTicketRequest> r =
      BuildUpdateTicketRequest(5, Flags({{"etag", "e"}}));
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Message(r.status()), HasSubstr("nothing to change"));
}

TEST(BuildAssignTicketRequestTest, Combinations) {
  absl::StatusOr<ticketpb::AssignTicketRequest> r =
      BuildAssignTicketRequest(3, Flags({{"agent", "bob"}, {"team", "t"}}));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->ticket_id(), 3);
  EXPECT_EQ(r->assignee(), "bob");
  EXPECT_EQ(r->team(), "t");
  EXPECT_FALSE(r->unassign());
  r = BuildAssignTicketRequest(3, Flags({}, {"unassign"}));
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->unassign());
  EXPECT_FALSE(BuildAssignTicketRequest(3, Flags({})).ok());
  EXPECT_THAT(
      Message(BuildAssignTicketRequest(3, Flags({{"agent", "b"}}, {"unassign"}))
                  .status()),
      HasSubstr("cannot be used together"));
}

TEST(BuildChangeStatusRequestTest, StatusWordAndReason) {
  absl::StatusOr<ticketpb::ChangeTicketStatusRequest> r =
      BuildChangeStatusRequest(3, "on-hold", Flags({{"reason", "vendor"}}));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status(), ticketpb::STATUS_ON_HOLD);
  EXPECT_EQ(r->reason(), "vendor");
  EXPECT_THAT(Message(BuildChangeStatusRequest(3, "done", Flags({})).status()),
              HasSubstr("STATUS: 'done' is not one of"));
}

TEST(BuildRateTicketRequestTest, ScoreRange) {
  absl::StatusOr<ticketpb::RateTicketRequest> r =
      BuildRateTicketRequest(3, Flags({{"score", "5"}, {"comment", "great"}}));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->score(), 5);
  EXPECT_EQ(r->comment(), "great");
  for (const char* bad : {"0", "6", "x", ""}) {
    EXPECT_THAT(
        Message(BuildRateTicketRequest(3, Flags({{"score", bad}})).status()),
        HasSubstr("--score"))
        << bad;
  }
}

// --- the SLA service ---------------------------------------------------------

namespace slapb = ::cxdesk::sla::v1;

TEST(ParseTextProtoTest, ParsesOrNamesFileLineAndColumn) {
  slapb::Calendar calendar;
  ASSERT_TRUE(ParseTextProto("c.txtpb",
                             "calendar_id: \"b\"\n"
                             "hours { weekday: WEEKDAY_FRIDAY end: \"24:00\" }",
                             &calendar)
                  .ok());
  EXPECT_EQ(calendar.calendar_id(), "b");
  EXPECT_EQ(calendar.hours(0).weekday(), slapb::WEEKDAY_FRIDAY);
  absl::Status status = ParseTextProto(
      "c.txtpb", "calendar_id: \"b\"\n\nhours { weekday: FRIDAY }", &calendar);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Message(status), HasSubstr("c.txtpb: line 3, column "));
  EXPECT_THAT(Message(status), HasSubstr("FRIDAY"));
}

TEST(BuildListSlaEventsRequestTest, Filters) {
  absl::StatusOr<slapb::ListSlaEventsRequest> r =
      BuildListSlaEventsRequest(Flags({{"ticket", "#9"},
                                       {"kind", "met, breached"},
                                       {"metric", "next_response"},
                                       {"until", "2026-11-02"}}));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->ticket_id(), 9);
  EXPECT_THAT(r->kinds(), ElementsAre(slapb::SLA_EVENT_KIND_MET,
                                      slapb::SLA_EVENT_KIND_BREACHED));
  EXPECT_EQ(r->metric(), slapb::METRIC_NEXT_RESPONSE);
  EXPECT_FALSE(r->has_start_time());
  EXPECT_EQ(r->end_time().seconds(), 1793577600);  // 2026-11-02T00:00:00Z
  EXPECT_EQ(r->page_size(), 1000);
  EXPECT_THAT(
      Message(BuildListSlaEventsRequest(Flags({{"ticket", "x"}})).status()),
      HasSubstr("--ticket: 'x' is not a ticket number"));
  EXPECT_THAT(
      Message(BuildListSlaEventsRequest(Flags({{"metric", "speed"}})).status()),
      HasSubstr("--metric: 'speed' is not one of first_response"));
}

TEST(BuildListBreachesRequestTest, Filters) {
  absl::StatusOr<slapb::ListBreachesRequest> r = BuildListBreachesRequest(Flags(
      {{"team", "t"}, {"agent", "a"}, {"priority", "low"}, {"limit", "7"}},
      {"open"}));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->team(), "t");
  EXPECT_EQ(r->assignee(), "a");
  EXPECT_EQ(r->priority(), ticketpb::PRIORITY_LOW);
  EXPECT_TRUE(r->open_only());
  EXPECT_EQ(r->page_size(), 7);
  EXPECT_EQ(r->metric(), slapb::METRIC_UNSPECIFIED);
}

TEST(BuildSlaReportRequestTest, WindowIsRequired) {
  absl::StatusOr<slapb::GetSlaReportRequest> r =
      BuildSlaReportRequest(Flags({{"to", "2026-11-02"}}));
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Message(r.status()), "missing required flag --from TIME");
  r = BuildSlaReportRequest(Flags({{"from", "2026-11-01"},
                                   {"to", "2026-11-02"},
                                   {"by", "priority,policy"}}));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_THAT(r->group_by(), ElementsAre(slapb::REPORT_DIMENSION_PRIORITY,
                                         slapb::REPORT_DIMENSION_POLICY));
  EXPECT_EQ(r->end_time().seconds() - r->start_time().seconds(), 86400);
}

TEST(ParseReportFormatTest, TableOrCsv) {
  EXPECT_EQ(*ParseReportFormat(Flags({})), ReportFormat::kTable);
  EXPECT_EQ(*ParseReportFormat(Flags({{"format", "CSV"}})), ReportFormat::kCsv);
  EXPECT_EQ(Message(ParseReportFormat(Flags({{"format", "xls"}})).status()),
            "--format: 'xls' is not one of table, csv");
}

}  // namespace
}  // namespace cxdesk::clients::cli
