#include "clients/lib/ticket_client.h"

#include <grpcpp/grpcpp.h>

#include <utility>

#include "absl/strings/str_cat.h"
#include "clients/common/error_words.h"
#include "services/common/grpc_status.h"
#include "services/common/status_macros.h"

namespace cxdesk::clients {
namespace {

namespace ticketpb = ::cxdesk::ticket::v1;
namespace health = ::grpc::health::v1;

}  // namespace

TicketClient::TicketClient(std::shared_ptr<StubInterface> stub,
                           CallCredentials credentials, absl::Duration timeout)
    : stub_(std::move(stub)), setup_(std::move(credentials), timeout) {}

std::unique_ptr<TicketClient> TicketClient::Connect(const std::string& target,
                                                    CallCredentials credentials,
                                                    absl::Duration timeout) {
  std::shared_ptr<StubInterface> stub = ticketpb::TicketService::NewStub(
      grpc::CreateChannel(target, grpc::InsecureChannelCredentials()));
  return std::make_unique<TicketClient>(std::move(stub), std::move(credentials),
                                        timeout);
}

void TicketClient::set_credentials(CallCredentials credentials) {
  setup_.set_credentials(std::move(credentials));
}

CallCredentials TicketClient::credentials() const {
  return setup_.credentials();
}

absl::StatusOr<ticketpb::CreateTicketResponse> TicketClient::CreateTicket(
    const ticketpb::CreateTicketRequest& request) {
  return setup_.Unary<ticketpb::CreateTicketResponse>(
      [&](grpc::ClientContext* context,
          ticketpb::CreateTicketResponse* response) {
        return stub_->CreateTicket(context, request, response);
      });
}

absl::StatusOr<ticketpb::Ticket> TicketClient::GetTicket(
    const ticketpb::GetTicketRequest& request) {
  return setup_.Unary<ticketpb::Ticket>(
      [&](grpc::ClientContext* context, ticketpb::Ticket* response) {
        return stub_->GetTicket(context, request, response);
      });
}

absl::StatusOr<ticketpb::ListTicketsResponse> TicketClient::ListTickets(
    const ticketpb::ListTicketsRequest& request) {
  return setup_.Unary<ticketpb::ListTicketsResponse>(
      [&](grpc::ClientContext* context,
          ticketpb::ListTicketsResponse* response) {
        return stub_->ListTickets(context, request, response);
      });
}

absl::StatusOr<ticketpb::Ticket> TicketClient::UpdateTicket(
    const ticketpb::UpdateTicketRequest& request) {
  return setup_.Unary<ticketpb::Ticket>(
      [&](grpc::ClientContext* context, ticketpb::Ticket* response) {
        return stub_->UpdateTicket(context, request, response);
      });
}

absl::StatusOr<ticketpb::Comment> TicketClient::AddComment(
    const ticketpb::AddCommentRequest& request) {
  return setup_.Unary<ticketpb::Comment>(
      [&](grpc::ClientContext* context, ticketpb::Comment* response) {
        return stub_->AddComment(context, request, response);
      });
}

absl::StatusOr<ticketpb::ListCommentsResponse> TicketClient::ListComments(
    const ticketpb::ListCommentsRequest& request) {
  return setup_.Unary<ticketpb::ListCommentsResponse>(
      [&](grpc::ClientContext* context,
          ticketpb::ListCommentsResponse* response) {
        return stub_->ListComments(context, request, response);
      });
}

absl::StatusOr<ticketpb::Ticket> TicketClient::AssignTicket(
    const ticketpb::AssignTicketRequest& request) {
  return setup_.Unary<ticketpb::Ticket>(
      [&](grpc::ClientContext* context, ticketpb::Ticket* response) {
        return stub_->AssignTicket(context, request, response);
      });
}

absl::StatusOr<ticketpb::Ticket> TicketClient::ChangeTicketStatus(
    const ticketpb::ChangeTicketStatusRequest& request) {
  return setup_.Unary<ticketpb::Ticket>(
      [&](grpc::ClientContext* context, ticketpb::Ticket* response) {
        return stub_->ChangeTicketStatus(context, request, response);
      });
}

absl::StatusOr<ticketpb::Ticket> TicketClient::RateTicket(
    const ticketpb::RateTicketRequest& request) {
  return setup_.Unary<ticketpb::Ticket>(
      [&](grpc::ClientContext* context, ticketpb::Ticket* response) {
        return stub_->RateTicket(context, request, response);
      });
}

absl::StatusOr<ticketpb::TicketStatusView> TicketClient::GetTicketStatus(
    const ticketpb::GetTicketStatusRequest& request) {
  return setup_.Unary<ticketpb::TicketStatusView>(
      [&](grpc::ClientContext* context, ticketpb::TicketStatusView* response) {
        return stub_->GetTicketStatus(context, request, response);
      });
}

absl::StatusOr<ticketpb::ListTicketEventsResponse>
TicketClient::ListTicketEvents(
    const ticketpb::ListTicketEventsRequest& request) {
  return setup_.Unary<ticketpb::ListTicketEventsResponse>(
      [&](grpc::ClientContext* context,
          ticketpb::ListTicketEventsResponse* response) {
        return stub_->ListTicketEvents(context, request, response);
      });
}

absl::StatusOr<ticketpb::LatestEventCursor> TicketClient::GetLatestEventCursor(
    const ticketpb::GetLatestEventCursorRequest& request) {
  return setup_.Unary<ticketpb::LatestEventCursor>(
      [&](grpc::ClientContext* context, ticketpb::LatestEventCursor* response) {
        return stub_->GetLatestEventCursor(context, request, response);
      });
}

absl::Status TicketClient::WatchTicketEvents(
    const ticketpb::WatchTicketEventsRequest& request,
    const std::function<bool(const ticketpb::TicketEvent&)>& on_event,
    StreamCanceller* canceller) {
  return setup_.Watch<ticketpb::TicketEvent>(
      "WatchTicketEvents",
      [&](grpc::ClientContext* context) {
        return stub_->WatchTicketEvents(context, request);
      },
      on_event, canceller);
}

absl::Status CheckHealth(health::Health::StubInterface& stub,
                         absl::Duration timeout) {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  health::HealthCheckRequest request;  // Empty service: the whole server.
  health::HealthCheckResponse response;
  grpc::Status status = stub.Check(&context, request, &response);
  if (!status.ok()) return common::FromGrpcStatus(status);
  if (response.status() != health::HealthCheckResponse::SERVING) {
    return absl::UnavailableError(absl::StrCat(
        "the server reports ",
        health::HealthCheckResponse::ServingStatus_Name(response.status()),
        " instead of SERVING"));
  }
  return absl::OkStatus();
}

absl::Status CheckHealth(const std::string& target, absl::Duration timeout) {
  std::unique_ptr<health::Health::Stub> stub = health::Health::NewStub(
      grpc::CreateChannel(target, grpc::InsecureChannelCredentials()));
  return CheckHealth(*stub, timeout);
}

namespace {

// The APIs a cxdesk server registers with its health service, by name.
constexpr absl::string_view kApis[] = {
    "cxdesk.ticket.v1.TicketService",
    "cxdesk.sla.v1.SlaService",
    "cxdesk.escalation.v1.EscalationService",
};

}  // namespace

absl::StatusOr<std::string> ServedApi(health::Health::StubInterface& stub,
                                      absl::Duration timeout) {
  CXDESK_RETURN_IF_ERROR(CheckHealth(stub, timeout));
  for (absl::string_view api : kApis) {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
    health::HealthCheckRequest request;
    request.set_service(std::string(api));
    health::HealthCheckResponse response;
    const grpc::Status status = stub.Check(&context, request, &response);
    if (status.ok() &&
        response.status() == health::HealthCheckResponse::SERVING) {
      return std::string(api);
    }
    // NOT_FOUND: the server does not serve this one; ask for the next.
    if (!status.ok() && status.error_code() != grpc::StatusCode::NOT_FOUND) {
      return common::FromGrpcStatus(status);
    }
  }
  return absl::NotFoundError(
      "the server serves none of the ticket, SLA and escalation APIs");
}

absl::StatusOr<std::string> ServedApi(const std::string& target,
                                      absl::Duration timeout) {
  std::unique_ptr<health::Health::Stub> stub = health::Health::NewStub(
      grpc::CreateChannel(target, grpc::InsecureChannelCredentials()));
  return ServedApi(*stub, timeout);
}

std::string ApiWords(absl::string_view full_name) {
  if (full_name == kApis[0]) return "ticket service";
  if (full_name == kApis[1]) return "SLA service";
  if (full_name == kApis[2]) return "escalation service";
  return std::string(full_name);
}

std::string DescribeError(const absl::Status& status,
                          absl::string_view target) {
  return DescribeStatus(status, ErrorVoice::kTicket, {"", std::string(target)});
}

}  // namespace cxdesk::clients
