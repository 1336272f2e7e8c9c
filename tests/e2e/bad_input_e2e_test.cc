// Bad input against the three real services, over gRPC, class by class:
// long values answered at once and naming the field, NUL never stored
// shortened, invalid UTF-8 named instead of INTERNAL, requests over the
// message limit refused. Raw requests go through a generic call, so what is
// sent is exactly the bytes a hostile or broken client would send.
#include <grpcpp/grpcpp.h>
#include <grpcpp/impl/client_unary_call.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "cxdesk/audit/v1/audit_service.grpc.pb.h"
#include "cxdesk/escalation/v1/escalation_service.grpc.pb.h"
#include "cxdesk/sla/v1/sla_service.grpc.pb.h"
#include "cxdesk/ticket/v1/ticket_service.grpc.pb.h"
#include "services/common/grpc_status.h"
#include "services/common/testing/test_database.h"
#include "services/common/token.h"
#include "tests/support/service_process.h"

namespace cxdesk {
namespace {

namespace auditpb = ::cxdesk::audit::v1;
namespace escpb = ::cxdesk::escalation::v1;
namespace slapb = ::cxdesk::sla::v1;
namespace ticketpb = ::cxdesk::ticket::v1;
using common::StaffRole;

const std::string kMiB(1 << 20, 'x');

using common::ViolatedField;

// A calendar the SLA service accepts: Mondays 08:00-17:00 in Hanoi time.
slapb::CreateCalendarRequest ValidCalendar(const std::string& id) {
  slapb::CreateCalendarRequest request;
  slapb::Calendar* c = request.mutable_calendar();
  c->set_calendar_id(id);
  c->set_time_zone("Asia/Ho_Chi_Minh");
  slapb::BusinessHours* h = c->add_hours();
  h->set_weekday(slapb::WEEKDAY_MONDAY);
  h->set_start("08:00");
  h->set_end("17:00");
  return request;
}

class BadInputE2eTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<std::string> url = common::CreateTestDatabase("bad_input");
    ASSERT_TRUE(url.ok()) << url.status();
    secret_ = new testing::TestSecret(testing::MakeTestSecret());
    const std::vector<std::string> common_args = {
        "--database-url=" + *url, "--token-secret-file=" + secret_->path};
    auto ticketd = testing::ServiceProcess::Start(CXDESK_TICKETD, common_args);
    ASSERT_TRUE(ticketd.ok()) << ticketd.status();
    ticketd_ = ticketd->release();
    std::vector<std::string> args = common_args;
    args.push_back("--ticket-target=" + ticketd_->address());
    auto slad = testing::ServiceProcess::Start(CXDESK_SLAD, args);
    ASSERT_TRUE(slad.ok()) << slad.status();
    slad_ = slad->release();
    args.push_back("--sla-target=" + slad_->address());
    auto escalationd = testing::ServiceProcess::Start(CXDESK_ESCALATIOND, args);
    ASSERT_TRUE(escalationd.ok()) << escalationd.status();
    escalationd_ = escalationd->release();
  }
  static void TearDownTestSuite() {
    delete escalationd_;
    delete slad_;
    delete ticketd_;
    delete secret_;
  }

  static std::shared_ptr<grpc::Channel> Channel(
      const testing::ServiceProcess* service) {
    return grpc::CreateChannel(service->address(),
                               grpc::InsecureChannelCredentials());
  }
  // A context with the manager's token and a 10 s deadline: a call that
  // hangs fails the test by running into it.
  static void Manager(grpc::ClientContext* context) {
    context->AddMetadata(
        "authorization",
        "Bearer " + *common::SignToken({"maria", StaffRole::kManager,
                                        absl::Now() + absl::Hours(1)},
                                       secret_->value));
    context->set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
  }

  // Sends `bytes` as the request of `method` ("/pkg.Service/Method").
  static grpc::Status CallRaw(const testing::ServiceProcess* service,
                              const std::string& method,
                              const std::string& bytes) {
    std::shared_ptr<grpc::Channel> channel = Channel(service);
    grpc::Slice slice(bytes);
    grpc::ByteBuffer request(&slice, 1);
    grpc::ByteBuffer response;
    grpc::ClientContext context;
    Manager(&context);
    const grpc::internal::RpcMethod rpc(
        method.c_str(), grpc::internal::RpcMethod::NORMAL_RPC, channel);
    return grpc::internal::BlockingUnaryCall(channel.get(), rpc, &context,
                                             request, &response);
  }

  // Asserts the answer to a bad request: INVALID_ARGUMENT naming `field`,
  // starting with `message`, and small enough for any client's headers.
  static void ExpectInvalid(const grpc::Status& status,
                            const std::string& field,
                            const std::string& message) {
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
        << status.error_message();
    EXPECT_EQ(ViolatedField(status), field);
    EXPECT_EQ(status.error_message().substr(0, message.size()), message);
    EXPECT_LE(status.error_message().size(), 512u);
    EXPECT_LE(status.error_details().size(), 2048u);
  }

  static ticketpb::Ticket CreateTicket() {
    ticketpb::CreateTicketRequest request;
    request.set_subject("Máy giặt bị hỏng");
    request.set_description("Tôi cần giúp đỡ.");
    request.set_customer_email("an@example.com");
    ticketpb::CreateTicketResponse response;
    grpc::ClientContext context;
    Manager(&context);
    const grpc::Status s = ticketpb::TicketService::NewStub(Channel(ticketd_))
                               ->CreateTicket(&context, request, &response);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return response.ticket();
  }

  static testing::TestSecret* secret_;
  static testing::ServiceProcess* ticketd_;
  static testing::ServiceProcess* slad_;
  static testing::ServiceProcess* escalationd_;
};

testing::TestSecret* BadInputE2eTest::secret_ = nullptr;
testing::ServiceProcess* BadInputE2eTest::ticketd_ = nullptr;
testing::ServiceProcess* BadInputE2eTest::slad_ = nullptr;
testing::ServiceProcess* BadInputE2eTest::escalationd_ = nullptr;

// --- class 1: a long value is answered at once, naming the field ----------

TEST_F(BadInputE2eTest, TicketServiceAnswersMegabyteValuesNamingTheField) {
  auto stub = ticketpb::TicketService::NewStub(Channel(ticketd_));
  const ticketpb::Ticket ticket = CreateTicket();
  {
    ticketpb::UpdateTicketRequest request;
    request.mutable_ticket()->set_id(ticket.id());
    request.mutable_update_mask()->add_paths(kMiB);
    ticketpb::Ticket out;
    grpc::ClientContext context;
    Manager(&context);
    ExpectInvalid(stub->UpdateTicket(&context, request, &out),
                  "update_mask.paths[0]",
                  "update_mask.paths[0]: at most 100 bytes, got 1048576");
  }
  {
    ticketpb::UpdateTicketRequest request;
    request.mutable_ticket()->set_id(ticket.id());
    request.mutable_ticket()->set_subject("new");
    request.mutable_update_mask()->add_paths("subject");
    request.set_etag(kMiB);
    ticketpb::Ticket out;
    grpc::ClientContext context;
    Manager(&context);
    ExpectInvalid(stub->UpdateTicket(&context, request, &out), "etag",
                  "etag: at most 64 bytes, got 1048576");
  }
  {
    ticketpb::ListTicketsRequest request;
    request.set_order_by(std::string(64 * 1024, 'o'));
    ticketpb::ListTicketsResponse out;
    grpc::ClientContext context;
    Manager(&context);
    ExpectInvalid(stub->ListTickets(&context, request, &out), "order_by",
                  "order_by: at most 64 bytes, got 65536");
  }
  {
    // The longest text the service takes, a comment body, a megabyte long.
    ticketpb::AddCommentRequest request;
    request.set_ticket_id(ticket.id());
    request.set_body(kMiB);
    ticketpb::Comment out;
    grpc::ClientContext context;
    Manager(&context);
    ExpectInvalid(stub->AddComment(&context, request, &out), "body",
                  "body: at most 65536 bytes, got 1048576");
  }
  {
    // A value within the field limit but wrong is quoted, bounded.
    ticketpb::ListTicketsRequest request;
    request.set_order_by(std::string(64, 'o'));
    ticketpb::ListTicketsResponse out;
    grpc::ClientContext context;
    Manager(&context);
    const grpc::Status status = stub->ListTickets(&context, request, &out);
    ExpectInvalid(status, "order_by", "order_by: must be one of");
  }
}

TEST_F(BadInputE2eTest, SlaServiceAnswersMegabyteValuesNamingTheField) {
  auto stub = slapb::SlaService::NewStub(Channel(slad_));
  slapb::CreateCalendarRequest request;
  request.mutable_calendar()->set_calendar_id("long-zone");
  request.mutable_calendar()->set_time_zone(kMiB);
  slapb::Calendar out;
  grpc::ClientContext context;
  Manager(&context);
  ExpectInvalid(stub->CreateCalendar(&context, request, &out),
                "calendar.time_zone",
                "calendar.time_zone: at most 64 bytes, got 1048576");
}

TEST_F(BadInputE2eTest, EscalationServiceAnswersMegabyteValuesNamingTheField) {
  auto stub = escpb::EscalationService::NewStub(Channel(escalationd_));
  escpb::CreateRoutingRuleRequest request;
  request.mutable_rule()->set_rule_id("long-tag");
  request.mutable_rule()->set_team_id("support");
  request.mutable_rule()->mutable_conditions()->add_tags_any(kMiB);
  escpb::RoutingRule out;
  grpc::ClientContext context;
  Manager(&context);
  ExpectInvalid(stub->CreateRoutingRule(&context, request, &out),
                "rule.conditions.tags_any[0]",
                "rule.conditions.tags_any[0]: at most 50 bytes, got 1048576");
}

TEST_F(BadInputE2eTest, AuditServiceAnswersMegabyteValuesNamingTheField) {
  auto stub = auditpb::AuditService::NewStub(Channel(ticketd_));
  auditpb::VerifyAuditTrailRequest request;
  request.set_stream(kMiB);
  auditpb::AuditVerification out;
  grpc::ClientContext context;
  Manager(&context);
  ExpectInvalid(stub->VerifyAuditTrail(&context, request, &out), "stream",
                "stream: at most 64 bytes, got 1048576");
}

// --- class 2: a NUL byte is refused, nothing is stored shortened ----------

TEST_F(BadInputE2eTest, TicketReasonWithNulIsRefusedAndNothingChanges) {
  auto stub = ticketpb::TicketService::NewStub(Channel(ticketd_));
  const ticketpb::Ticket ticket = CreateTicket();
  ticketpb::ChangeTicketStatusRequest request;
  request.set_ticket_id(ticket.id());
  request.set_status(ticketpb::STATUS_PENDING);
  request.set_reason(std::string("before\0after", 12));
  ticketpb::Ticket out;
  {
    grpc::ClientContext context;
    Manager(&context);
    ExpectInvalid(stub->ChangeTicketStatus(&context, request, &out), "reason",
                  "reason: contains NUL (U+0000) at byte 6");
  }
  ticketpb::GetTicketRequest get;
  get.set_ticket_id(ticket.id());
  ticketpb::Ticket now;
  grpc::ClientContext context;
  Manager(&context);
  ASSERT_TRUE(stub->GetTicket(&context, get, &now).ok());
  EXPECT_EQ(now.status(), ticket.status());
  EXPECT_EQ(now.etag(), ticket.etag());

  ticketpb::AddCommentRequest comment;
  comment.set_ticket_id(ticket.id());
  comment.set_body(std::string("a\0b", 3));
  ticketpb::Comment added;
  grpc::ClientContext context2;
  Manager(&context2);
  ExpectInvalid(stub->AddComment(&context2, comment, &added), "body",
                "body: contains NUL (U+0000) at byte 1");
}

TEST_F(BadInputE2eTest, CalendarDescriptionWithNulIsRefusedAndNotCreated) {
  auto stub = slapb::SlaService::NewStub(Channel(slad_));
  slapb::CreateCalendarRequest request = ValidCalendar("nul-description");
  request.mutable_calendar()->set_description(std::string("giờ làm việc") +
                                              '\0' + "bí mật");
  slapb::Calendar out;
  {
    grpc::ClientContext context;
    Manager(&context);
    ExpectInvalid(stub->CreateCalendar(&context, request, &out),
                  "calendar.description",
                  "calendar.description: contains NUL (U+0000)");
  }
  slapb::GetCalendarRequest get;
  get.set_calendar_id("nul-description");
  grpc::ClientContext context;
  Manager(&context);
  EXPECT_EQ(stub->GetCalendar(&context, get, &out).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(BadInputE2eTest, TeamNameWithNulIsRefused) {
  auto stub = escpb::EscalationService::NewStub(Channel(escalationd_));
  escpb::CreateTeamRequest request;
  request.mutable_team()->set_team_id("nul-team");
  request.mutable_team()->set_display_name(std::string("Care\0Team", 9));
  escpb::Team out;
  grpc::ClientContext context;
  Manager(&context);
  ExpectInvalid(stub->CreateTeam(&context, request, &out), "team.display_name",
                "team.display_name: contains NUL (U+0000) at byte 4");
}

TEST_F(BadInputE2eTest, ATimeZoneThatIsAFilePathIsRefused) {
  auto stub = slapb::SlaService::NewStub(Channel(slad_));
  for (const char* zone : {"/etc/passwd", "../../etc/passwd", "file:UTC"}) {
    slapb::CreateCalendarRequest request = ValidCalendar("path-zone");
    request.mutable_calendar()->set_time_zone(zone);
    slapb::Calendar out;
    grpc::ClientContext context;
    Manager(&context);
    const grpc::Status status = stub->CreateCalendar(&context, request, &out);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << zone;
    EXPECT_EQ(status.error_message().substr(0, 38),
              "calendar.time_zone: unknown time zone ")
        << status.error_message();
  }
}

// --- class 3: invalid UTF-8 is INVALID_ARGUMENT naming the field ----------

TEST_F(BadInputE2eTest, InvalidUtf8IsNamedInEveryService) {
  {
    ticketpb::CreateTicketRequest request;
    request.set_subject("ok\xff");
    request.set_description("text");
    request.set_customer_email("an@example.com");
    ExpectInvalid(
        CallRaw(ticketd_, "/cxdesk.ticket.v1.TicketService/CreateTicket",
                request.SerializePartialAsString()),
        "subject", "subject: not valid UTF-8 at byte 2");
  }
  {
    slapb::CreateCalendarRequest request;
    request.mutable_calendar()->set_calendar_id("utf8");
    request.mutable_calendar()->set_time_zone("Europe/\xc3\x28");
    ExpectInvalid(CallRaw(slad_, "/cxdesk.sla.v1.SlaService/CreateCalendar",
                          request.SerializePartialAsString()),
                  "calendar.time_zone",
                  "calendar.time_zone: not valid UTF-8 at byte 7");
  }
  {
    escpb::CreateTeamRequest request;
    request.mutable_team()->set_team_id("t\xed\xa0\x80");
    ExpectInvalid(CallRaw(escalationd_,
                          "/cxdesk.escalation.v1.EscalationService/CreateTeam",
                          request.SerializePartialAsString()),
                  "team.team_id", "team.team_id: not valid UTF-8 at byte 1");
  }
  {
    auditpb::VerifyAuditTrailRequest request;
    request.set_stream("\x80");
    ExpectInvalid(
        CallRaw(escalationd_, "/cxdesk.audit.v1.AuditService/VerifyAuditTrail",
                request.SerializePartialAsString()),
        "stream", "stream: not valid UTF-8 at byte 0");
  }
  // Not protobuf at all: still INVALID_ARGUMENT, never INTERNAL.
  const grpc::Status broken = CallRaw(
      ticketd_, "/cxdesk.ticket.v1.TicketService/GetTicket", "\x08\xff\xff");
  EXPECT_EQ(broken.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(broken.error_message(),
            "request: not a well-formed cxdesk.ticket.v1.GetTicketRequest "
            "(the protobuf encoding is broken)");
}

// --- the message limit: RESOURCE_EXHAUSTED, saying both sizes --------------

TEST_F(BadInputE2eTest, ARequestOverTheMessageLimitIsResourceExhausted) {
  for (const testing::ServiceProcess* service :
       {ticketd_, slad_, escalationd_}) {
    // 3 MiB of field 15 (unknown to GetTicketRequest): over the 2 MiB limit.
    std::string bytes = "\x7a";
    const uint32_t n = 3 << 20;
    for (uint32_t v = n;; v >>= 7) {
      if (v < 0x80) {
        bytes += static_cast<char>(v);
        break;
      }
      bytes += static_cast<char>((v & 0x7f) | 0x80);
    }
    bytes += std::string(n, 'z');
    const grpc::Status status = CallRaw(
        service, "/cxdesk.audit.v1.AuditService/VerifyAuditTrail", bytes);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED)
        << service->address();
    EXPECT_EQ(status.error_message(),
              absl::StrCat("Received message larger than max (", bytes.size(),
                           " vs. 2097152)"));
  }
}

}  // namespace
}  // namespace cxdesk
