#include "clients/console/console_app.h"

#include <grpcpp/grpcpp.h>

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "cxdesk/escalation/v1/escalation_service_mock.grpc.pb.h"
#include "cxdesk/sla/v1/sla_service_mock.grpc.pb.h"
#include "cxdesk/ticket/v1/ticket_service_mock.grpc.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace cxdesk::clients::console {
namespace {

namespace ticketpb = ::cxdesk::ticket::v1;
namespace slapb = ::cxdesk::sla::v1;
namespace escpb = ::cxdesk::escalation::v1;

using ::testing::_;
using ::testing::DoAll;
using ::testing::HasSubstr;
using ::testing::NiceMock;
using ::testing::Not;
using ::testing::Return;
using ::testing::SaveArg;
using ::testing::SetArgPointee;
using ::testing::StartsWith;

// A screen in memory: one string of cells per row.
class FakeScreen : public Screen {
 public:
  FakeScreen(int width, int height) : width_(width), height_(height) {
    Clear();
  }
  int width() const override { return width_; }
  int height() const override { return height_; }
  void Clear() override {
    rows_.assign(height_, std::vector<std::string>(width_, " "));
  }
  void Put(int y, int x, const std::string& text, Style style) override {
    if (y < 0 || y >= height_) return;
    size_t i = 0;
    while (i < text.size() && x < width_) {
      size_t len = 1;
      const unsigned char c = static_cast<unsigned char>(text[i]);
      if (c >= 0xF0) {
        len = 4;
      } else if (c >= 0xE0) {
        len = 3;
      } else if (c >= 0xC0) {
        len = 2;
      }
      rows_[y][x] = text.substr(i, len);
      styles_[{y, x}] = style;
      i += len;
      ++x;
    }
    if (i < text.size()) overflowed_ = true;
  }
  void Show() override {}
  int ReadKey(absl::Duration) override { return kNoKey; }
  absl::StatusOr<std::string> RunEditor(const std::string& editor,
                                        const std::string& initial) override {
    editor_used_ = editor;
    editor_initial_ = initial;
    return editor_text_;
  }

  std::string Line(int y) const {
    std::string line = absl::StrJoin(rows_[y], "");
    return line.substr(0, line.find_last_not_of(' ') + 1);
  }
  std::string Text() const {
    std::vector<std::string> lines;
    for (int y = 0; y < height_; ++y) lines.push_back(Line(y));
    return absl::StrJoin(lines, "\n");
  }
  Style StyleAt(int y, int x) const {
    auto it = styles_.find({y, x});
    return it == styles_.end() ? Style::kNormal : it->second;
  }
  void Resize(int width, int height) {
    width_ = width;
    height_ = height;
    Clear();
  }

  bool overflowed_ = false;
  std::string editor_text_;
  std::string editor_used_;
  std::string editor_initial_;

 private:
  int width_;
  int height_;
  std::vector<std::vector<std::string>> rows_;
  std::map<std::pair<int, int>, Style> styles_;
};

const absl::Time kNow = absl::FromUnixSeconds(1'800'000'000);

void SetTime(absl::Time t, google::protobuf::Timestamp* out) {
  out->set_seconds(absl::ToUnixSeconds(t));
}

ticketpb::Ticket MakeTicket(int64_t id, const std::string& assignee,
                            const std::string& subject) {
  ticketpb::Ticket t;
  t.set_id(id);
  t.set_subject(subject);
  t.set_priority(ticketpb::PRIORITY_HIGH);
  t.set_kind(ticketpb::KIND_INCIDENT);
  t.set_status(ticketpb::STATUS_OPEN);
  t.set_assignee(assignee);
  t.set_team("printers");
  t.set_version(2);
  t.set_etag("e2");
  t.mutable_customer()->set_email("jane@example.com");
  SetTime(kNow - absl::Minutes(5), t.mutable_create_time());
  return t;
}

class ConsoleAppTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ticketpb::ListTicketsResponse list;
    *list.add_tickets() = MakeTicket(1, "ann", "Printer on fire");
    *list.add_tickets() = MakeTicket(2, "ann", "Toner everywhere");
    *list.add_tickets() = MakeTicket(3, "", "Paper jam");
    ON_CALL(*ticket_stub_, ListTickets(_, _, _))
        .WillByDefault(DoAll(SetArgPointee<2>(list), Return(grpc::Status::OK)));
    escpb::Agent agent;
    agent.set_agent_id("ann");
    agent.add_team_ids("printers");
    ON_CALL(*esc_stub_, GetAgent(_, _, _))
        .WillByDefault(
            DoAll(SetArgPointee<2>(agent), Return(grpc::Status::OK)));
    escpb::ListNotificationsResponse notifications;
    escpb::Notification* n = notifications.add_notifications();
    n->set_notification_id(7);
    n->set_ticket_id(1);
    n->set_escalation_id(70);
    n->set_title("Ticket 1: first response warning (level 1)");
    ON_CALL(*esc_stub_, ListNotifications(_, _, _))
        .WillByDefault(
            DoAll(SetArgPointee<2>(notifications), Return(grpc::Status::OK)));
  }

  std::unique_ptr<ConsoleApp> Make(std::string editor = "") {
    ConsoleOptions options;
    options.ticket_target = "127.0.0.1:1";
    options.sla_target = "127.0.0.1:1";
    options.escalation_target = "127.0.0.1:1";
    options.token = "T";
    options.editor = std::move(editor);
    auto app = std::make_unique<ConsoleApp>(options, Identity{"ann", "agent"},
                                            tickets_, sla_, escalation_);
    EXPECT_TRUE(app->Start().ok());
    // Ticket 1's first response is due in 12m04s (what the SLA worker
    // would post).
    Update u;
    u.kind = Update::Kind::kSla;
    u.ticket_id = 1;
    slapb::TicketSla s;
    s.set_ticket_id(1);
    slapb::SlaClock* c = s.add_clocks();
    c->set_metric(slapb::METRIC_FIRST_RESPONSE);
    c->set_state(slapb::CLOCK_STATE_RUNNING);
    SetTime(kNow + absl::Minutes(12) + absl::Seconds(4), c->mutable_deadline());
    u.sla = s;
    app->inbox().Post(std::move(u));
    return app;
  }

  void Keys(ConsoleApp& app, const std::string& keys) {
    for (char c : keys) app.Step(screen_, c, kNow);
  }

  std::shared_ptr<NiceMock<ticketpb::MockTicketServiceStub>> ticket_stub_ =
      std::make_shared<NiceMock<ticketpb::MockTicketServiceStub>>();
  std::shared_ptr<NiceMock<slapb::MockSlaServiceStub>> sla_stub_ =
      std::make_shared<NiceMock<slapb::MockSlaServiceStub>>();
  std::shared_ptr<NiceMock<escpb::MockEscalationServiceStub>> esc_stub_ =
      std::make_shared<NiceMock<escpb::MockEscalationServiceStub>>();
  TicketClient tickets_{ticket_stub_};
  SlaClient sla_{sla_stub_};
  EscalationClient escalation_{esc_stub_};
  FakeScreen screen_{100, 30};
};

TEST_F(ConsoleAppTest, MyQueueSortedByDeadlineWithCountsAndUnread) {
  auto app = Make();
  ASSERT_TRUE(app->Step(screen_, kNoKey, kNow));
  EXPECT_THAT(screen_.Line(0), HasSubstr("[1:Mine 2]"));
  EXPECT_THAT(screen_.Line(0), HasSubstr("2:Team 3"));
  EXPECT_THAT(screen_.Line(0), HasSubstr("3:Unassigned 1"));
  EXPECT_THAT(screen_.Line(0), HasSubstr("N:1 unread"));
  EXPECT_THAT(screen_.Line(1), StartsWith("ID    DUE    PRIO   KIND"));
  EXPECT_THAT(screen_.Line(2), StartsWith("1     12m04s high   incident"));
  EXPECT_THAT(screen_.Line(3), StartsWith("2     -      high   incident"));
  EXPECT_EQ(screen_.Line(4), "");
  // The countdown is green before any warning.
  EXPECT_EQ(screen_.StyleAt(2, 6), Style::kOk);
  // A second later it counts down.
  app->Step(screen_, kNoKey, kNow + absl::Seconds(1));
  EXPECT_THAT(screen_.Line(2), StartsWith("1     12m03s"));
  Keys(*app, "3");
  EXPECT_THAT(screen_.Line(2), StartsWith("3     -      high"));
  EXPECT_THAT(screen_.Line(2), HasSubstr("Paper jam"));
}

TEST_F(ConsoleAppTest, EightyColumnsNeverOverflowAndResizeRelaysOut) {
  auto app = Make();
  screen_.Resize(80, 24);
  app->Step(screen_, kKeyResize, kNow);
  EXPECT_FALSE(screen_.overflowed_);
  EXPECT_EQ(screen_.Line(1),
            "ID    DUE    PRIO   KIND      CX      CUSTOMER     STATUS  AGE "
            "SUBJECT");
  EXPECT_THAT(screen_.Line(2), HasSubstr(" 5m  Printer on fire"));
  screen_.Resize(132, 40);
  app->Step(screen_, kKeyResize, kNow);
  EXPECT_THAT(screen_.Line(1), HasSubstr("ASSIGNEE"));
  EXPECT_FALSE(screen_.overflowed_);
}

TEST_F(ConsoleAppTest, RefusedStatusChangeInPlainWords) {
  auto app = Make();
  app->Step(screen_, kNoKey, kNow);
  EXPECT_CALL(*ticket_stub_, ChangeTicketStatus(_, _, _))
      .WillOnce(Return(grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                                    "status: cannot move a closed ticket to "
                                    "open")));
  Keys(*app, "s");
  EXPECT_THAT(screen_.Line(29),
              StartsWith("status → 1 pending 2 on-hold 3 solved"));
  Keys(*app, "1");
  EXPECT_EQ(app->status_line(), "cannot move a closed ticket to open");
  EXPECT_THAT(screen_.Line(29),
              StartsWith("cannot move a closed ticket to open"));
}

TEST_F(ConsoleAppTest, StatusChangeConfirmed) {
  auto app = Make();
  app->Step(screen_, kNoKey, kNow);
  ticketpb::ChangeTicketStatusRequest sent;
  ticketpb::Ticket after = MakeTicket(1, "ann", "Printer on fire");
  after.set_status(ticketpb::STATUS_PENDING);
  after.set_version(3);
  EXPECT_CALL(*ticket_stub_, ChangeTicketStatus(_, _, _))
      .WillOnce(DoAll(SaveArg<1>(&sent), SetArgPointee<2>(after),
                      Return(grpc::Status::OK)));
  Keys(*app, "s1");
  EXPECT_EQ(sent.ticket_id(), 1);
  EXPECT_EQ(sent.status(), ticketpb::STATUS_PENDING);
  EXPECT_EQ(app->status_line(), "status → pending");
  EXPECT_THAT(screen_.Line(2), HasSubstr("pending"));
}

TEST_F(ConsoleAppTest, StaleEtagReloadsTheTicket) {
  auto app = Make();
  app->Step(screen_, kNoKey, kNow);
  ticketpb::UpdateTicketRequest sent;
  EXPECT_CALL(*ticket_stub_, UpdateTicket(_, _, _))
      .WillOnce(DoAll(SaveArg<1>(&sent),
                      Return(grpc::Status(grpc::StatusCode::ABORTED,
                                          "etag: the ticket changed"))));
  ticketpb::Ticket fresh = MakeTicket(1, "ann", "Printer on fire");
  fresh.set_priority(ticketpb::PRIORITY_URGENT);
  fresh.set_version(5);
  EXPECT_CALL(*ticket_stub_, GetTicket(_, _, _))
      .WillOnce(DoAll(SetArgPointee<2>(fresh), Return(grpc::Status::OK)));
  Keys(*app, "p4");
  EXPECT_EQ(sent.etag(), "e2");
  EXPECT_EQ(sent.ticket().priority(), ticketpb::PRIORITY_URGENT);
  EXPECT_EQ(app->status_line(),
            "someone changed this ticket first — reloaded, try again");
  EXPECT_THAT(screen_.Line(2), HasSubstr("urgent"));
}

TEST_F(ConsoleAppTest, PermissionDeniedInPlainWords) {
  auto app = Make();
  app->Step(screen_, kNoKey, kNow);
  EXPECT_CALL(*ticket_stub_, AssignTicket(_, _, _))
      .WillOnce(Return(grpc::Status(grpc::StatusCode::PERMISSION_DENIED,
                                    "only managers may reassign")));
  Keys(*app, "abob");
  app->Step(screen_, kKeyEnter, kNow);
  EXPECT_EQ(app->status_line(),
            "you may not do that: only managers may reassign");
}

TEST_F(ConsoleAppTest, InlineReplyWithNewLines) {
  auto app = Make();
  app->Step(screen_, kNoKey, kNow);
  ticketpb::AddCommentRequest sent;
  EXPECT_CALL(*ticket_stub_, AddComment(_, _, _))
      .WillOnce(DoAll(SaveArg<1>(&sent), Return(grpc::Status::OK)));
  Keys(*app, "rHello\\nBye");
  EXPECT_THAT(screen_.Line(29), StartsWith("public reply"));
  EXPECT_THAT(screen_.Line(29), HasSubstr(": Hello\\nBye_"));
  app->Step(screen_, kKeyEnter, kNow);
  EXPECT_EQ(sent.ticket_id(), 1);
  EXPECT_EQ(sent.visibility(), ticketpb::VISIBILITY_PUBLIC);
  EXPECT_EQ(sent.body(), "Hello\nBye");
  EXPECT_EQ(app->status_line(), "reply sent");
}

TEST_F(ConsoleAppTest, NoteInTheEditorDropsCommentLines) {
  auto app = Make("vi");
  app->Step(screen_, kNoKey, kNow);
  screen_.editor_text_ = "# Internal note on ticket #1.\nCheck the fuser.\n";
  ticketpb::AddCommentRequest sent;
  EXPECT_CALL(*ticket_stub_, AddComment(_, _, _))
      .WillOnce(DoAll(SaveArg<1>(&sent), Return(grpc::Status::OK)));
  Keys(*app, "n");
  EXPECT_EQ(screen_.editor_used_, "vi");
  EXPECT_THAT(screen_.editor_initial_, StartsWith("# Internal note"));
  EXPECT_EQ(sent.visibility(), ticketpb::VISIBILITY_INTERNAL);
  EXPECT_EQ(sent.body(), "Check the fuser.");
  EXPECT_EQ(app->status_line(), "note added");
}

TEST_F(ConsoleAppTest, EmptyEditorTextSendsNothing) {
  auto app = Make("vi");
  app->Step(screen_, kNoKey, kNow);
  screen_.editor_text_ = "# Public reply\n\n";
  EXPECT_CALL(*ticket_stub_, AddComment(_, _, _)).Times(0);
  Keys(*app, "r");
  EXPECT_EQ(app->status_line(), "reply not sent (empty)");
}

TEST_F(ConsoleAppTest, StreamedTicketAppearsWithoutAKey) {
  auto app = Make();
  app->Step(screen_, kNoKey, kNow);
  Update u;
  u.kind = Update::Kind::kTicketEvent;
  u.event.set_ticket_id(4);
  u.event.set_ticket_version(1);
  u.event.set_type(ticketpb::EVENT_TYPE_CREATED);
  u.event.set_actor("bob");
  *u.event.mutable_after() = MakeTicket(4, "ann", "Scanner squeaks");
  u.event.mutable_after()->set_version(1);
  app->inbox().Post(u);
  app->Step(screen_, kNoKey, kNow);
  EXPECT_THAT(screen_.Line(0), HasSubstr("[1:Mine 3]"));
  EXPECT_THAT(screen_.Text(), HasSubstr("Scanner squeaks"));
  EXPECT_EQ(app->status_line(), "new ticket #4: Scanner squeaks");
  // A replay of an event the console already holds changes nothing.
  u.event.set_ticket_id(1);
  *u.event.mutable_after() = MakeTicket(1, "", "Old subject");
  u.event.mutable_after()->set_version(1);
  app->inbox().Post(u);
  app->Step(screen_, kNoKey, kNow);
  EXPECT_THAT(screen_.Text(), HasSubstr("Printer on fire"));
  EXPECT_THAT(screen_.Text(), Not(HasSubstr("Old subject")));
}

TEST_F(ConsoleAppTest, ReplayedOldTicketIsNotAnnouncedAsNew) {
  // The load left ticket 2 out (e.g. past the load limit).
  ticketpb::ListTicketsResponse list;
  *list.add_tickets() = MakeTicket(1, "ann", "Printer on fire");
  *list.add_tickets() = MakeTicket(3, "", "Paper jam");
  ON_CALL(*ticket_stub_, ListTickets(_, _, _))
      .WillByDefault(DoAll(SetArgPointee<2>(list), Return(grpc::Status::OK)));
  auto app = Make();
  app->Step(screen_, kNoKey, kNow);
  const std::string before = app->status_line();
  Update u;
  u.kind = Update::Kind::kTicketEvent;
  u.event.set_ticket_id(2);
  u.event.set_ticket_version(1);
  u.event.set_type(ticketpb::EVENT_TYPE_CREATED);
  u.event.set_actor("jane@example.com");
  *u.event.mutable_after() = MakeTicket(2, "", "Old question");
  u.event.mutable_after()->set_version(1);
  app->inbox().Post(u);
  app->Step(screen_, kNoKey, kNow);
  EXPECT_EQ(app->status_line(), before);
  EXPECT_THAT(screen_.Line(0), HasSubstr("3:Unassigned 2"));
}

TEST_F(ConsoleAppTest, BadSearchNamesTheFilter) {
  auto app = Make();
  app->Step(screen_, kNoKey, kNow);
  Keys(*app, "/priority:hihg");
  app->Step(screen_, kKeyEnter, kNow);
  EXPECT_EQ(app->status_line(),
            "search: priority: 'hihg' is not one of low, normal, high, urgent");
}

TEST_F(ConsoleAppTest, SearchFiltersOnTheServerAndHere) {
  auto app = Make();
  app->Step(screen_, kNoKey, kNow);
  ticketpb::ListTicketsRequest sent;
  ticketpb::ListTicketsResponse none;
  EXPECT_CALL(*ticket_stub_, ListTickets(_, _, _))
      .WillOnce(DoAll(SaveArg<1>(&sent), SetArgPointee<2>(none),
                      Return(grpc::Status::OK)));
  Keys(*app, "/jam status:open");
  app->Step(screen_, kKeyEnter, kNow);
  ASSERT_EQ(sent.statuses_size(), 1);
  EXPECT_EQ(sent.statuses(0), ticketpb::STATUS_OPEN);
  EXPECT_EQ(app->status_line(), "1 ticket matches");
  EXPECT_THAT(screen_.Line(0), HasSubstr("[4:Search 1]"));
  EXPECT_THAT(screen_.Line(2), HasSubstr("Paper jam"));
}

TEST_F(ConsoleAppTest, AcknowledgeFromTheNotificationsView) {
  auto app = Make();
  app->Step(screen_, kNoKey, kNow);
  escpb::AcknowledgeEscalationRequest sent;
  escpb::Escalation acknowledged;
  acknowledged.set_escalation_id(70);
  acknowledged.set_ticket_id(1);
  acknowledged.set_acknowledged(true);
  EXPECT_CALL(*esc_stub_, AcknowledgeEscalation(_, _, _))
      .WillOnce(DoAll(SaveArg<1>(&sent), SetArgPointee<2>(acknowledged),
                      Return(grpc::Status::OK)));
  Keys(*app, "N");
  EXPECT_THAT(screen_.Line(1), StartsWith("Notifications"));
  EXPECT_THAT(screen_.Line(2), HasSubstr("Ticket 1: first response warning"));
  Keys(*app, "A");
  EXPECT_EQ(sent.escalation_id(), 70);
  EXPECT_EQ(app->status_line(), "escalation 70 of ticket #1 acknowledged");
  EXPECT_THAT(screen_.Line(0), HasSubstr("N:0 unread"));
}

TEST_F(ConsoleAppTest, HelpListsTheKeysAndQQuits) {
  auto app = Make();
  app->Step(screen_, kNoKey, kNow);
  Keys(*app, "?");
  EXPECT_THAT(screen_.Text(), HasSubstr("r              public reply"));
  EXPECT_THAT(screen_.Text(), HasSubstr("A              acknowledge"));
  Keys(*app, "?");
  EXPECT_THAT(screen_.Line(1), StartsWith("ID"));
  EXPECT_FALSE(app->Step(screen_, 'q', kNow));
}

TEST_F(ConsoleAppTest, TakeAssignsToMe) {
  auto app = Make();
  Keys(*app, "3");  // unassigned: ticket 3
  ticketpb::AssignTicketRequest sent;
  ticketpb::Ticket after = MakeTicket(3, "ann", "Paper jam");
  after.set_version(3);
  EXPECT_CALL(*ticket_stub_, AssignTicket(_, _, _))
      .WillOnce(DoAll(SaveArg<1>(&sent), SetArgPointee<2>(after),
                      Return(grpc::Status::OK)));
  Keys(*app, "t");
  EXPECT_EQ(sent.ticket_id(), 3);
  EXPECT_EQ(sent.assignee(), "ann");
  EXPECT_EQ(app->status_line(), "#3 is yours");
  EXPECT_THAT(screen_.Line(0), HasSubstr("1:Mine 3"));
  EXPECT_THAT(screen_.Line(0), HasSubstr("[3:Unassigned 0]"));
}

TEST_F(ConsoleAppTest, TagsStartFromTheCurrentOnesAndMinusRemoves) {
  ticketpb::ListTicketsResponse list;
  ticketpb::Ticket tagged = MakeTicket(1, "ann", "Printer on fire");
  tagged.add_tags("hardware");
  tagged.add_tags("vip");
  *list.add_tickets() = tagged;
  ON_CALL(*ticket_stub_, ListTickets(_, _, _))
      .WillByDefault(DoAll(SetArgPointee<2>(list), Return(grpc::Status::OK)));
  auto app = Make();
  app->Step(screen_, kNoKey, kNow);
  ticketpb::UpdateTicketRequest sent;
  ticketpb::Ticket after = tagged;
  after.clear_tags();
  after.add_tags("colour");
  after.add_tags("hardware");
  EXPECT_CALL(*ticket_stub_, UpdateTicket(_, _, _))
      .WillOnce(DoAll(SaveArg<1>(&sent), SetArgPointee<2>(after),
                      Return(grpc::Status::OK)));
  Keys(*app, "g");
  EXPECT_THAT(screen_.Line(29),
              StartsWith("tags (+add -remove): hardware vip_"));
  Keys(*app, " -vip colour");
  app->Step(screen_, kKeyEnter, kNow);
  ASSERT_EQ(sent.update_mask().paths_size(), 1);
  EXPECT_EQ(sent.update_mask().paths(0), "tags");
  EXPECT_EQ(sent.etag(), "e2");
  EXPECT_THAT(sent.ticket().tags(),
              ::testing::ElementsAre("colour", "hardware"));
  EXPECT_EQ(app->status_line(), "tags → colour hardware");
}

TEST_F(ConsoleAppTest, EscalationServiceBackLoadsTheTeams) {
  EXPECT_CALL(*esc_stub_, GetAgent(_, _, _))
      .WillOnce(Return(grpc::Status(grpc::StatusCode::UNAVAILABLE, "down")))
      .WillRepeatedly(Return(grpc::Status::OK));
  escpb::Agent agent;
  agent.add_team_ids("printers");
  auto app = Make();
  EXPECT_EQ(app->status_line(),
            "teams unknown: escalation service unreachable, retrying");
  app->Step(screen_, kNoKey, kNow);
  EXPECT_THAT(screen_.Line(0), HasSubstr("2:Team 0"));
  ::testing::Mock::VerifyAndClearExpectations(esc_stub_.get());
  EXPECT_CALL(*esc_stub_, GetAgent(_, _, _))
      .WillOnce(DoAll(SetArgPointee<2>(agent), Return(grpc::Status::OK)));
  Update u;
  u.kind = Update::Kind::kEscalationBack;
  u.message = "escalation service restarted — reconnected";
  app->inbox().Post(u);
  app->Step(screen_, kNoKey, kNow);
  EXPECT_EQ(app->status_line(), "escalation service restarted — reconnected");
  EXPECT_THAT(screen_.Line(0), HasSubstr("2:Team 3"));
}

TEST_F(ConsoleAppTest, UnreachableAtStartIsUnavailable) {
  ON_CALL(*ticket_stub_, ListTickets(_, _, _))
      .WillByDefault(Return(
          grpc::Status(grpc::StatusCode::UNAVAILABLE, "connection refused")));
  ConsoleOptions options;
  ConsoleApp app(options, Identity{"ann", "agent"}, tickets_, sla_,
                 escalation_);
  EXPECT_EQ(app.Start().code(), absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace cxdesk::clients::console
