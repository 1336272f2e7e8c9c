#include "clients/lib/ticket_client.h"

#include <grpcpp/grpcpp.h>

#include <utility>

#include "absl/strings/str_cat.h"
#include "clients/common/error_words.h"
#include "services/common/grpc_status.h"
#include "services/common/status_macros.h"

namespace cxdesk::clients {
namespace {

namespace v1 = ::cxdesk::ticket::v1;
namespace health = ::grpc::health::v1;

}  // namespace

TicketClient::TicketClient(std::shared_ptr<StubInterface> stub,
                           CallCredentials credentials, absl::Duration timeout)
    : stub_(std::move(stub)), setup_(std::move(credentials), timeout) {}

std::unique_ptr<TicketClient> TicketClient::Connect(const std::string& target,
                                                    CallCredentials credentials,
                                                    absl::Duration timeout) {
  std::shared_ptr<StubInterface> stub = v1::TicketService::NewStub(
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

absl::StatusOr<v1::CreateTicketResponse> TicketClient::CreateTicket(
    const v1::CreateTicketRequest& request) {
  return setup_.Unary<v1::CreateTicketResponse>(
      [&](grpc::ClientContext* context, v1::CreateTicketResponse* response) {
        return stub_->CreateTicket(context, request, response);
      });
}

absl::StatusOr<v1::Ticket> TicketClient::GetTicket(
    const v1::GetTicketRequest& request) {
  return setup_.Unary<v1::Ticket>(
      [&](grpc::ClientContext* context, v1::Ticket* response) {
        return stub_->GetTicket(context, request, response);
      });
}

absl::StatusOr<v1::ListTicketsResponse> TicketClient::ListTickets(
    const v1::ListTicketsRequest& request) {
  return setup_.Unary<v1::ListTicketsResponse>(
      [&](grpc::ClientContext* context, v1::ListTicketsResponse* response) {
        return stub_->ListTickets(context, request, response);
      });
}

absl::StatusOr<v1::Ticket> TicketClient::UpdateTicket(
    const v1::UpdateTicketRequest& request) {
  return setup_.Unary<v1::Ticket>(
      [&](grpc::ClientContext* context, v1::Ticket* response) {
        return stub_->UpdateTicket(context, request, response);
      });
}

absl::StatusOr<v1::Comment> TicketClient::AddComment(
    const v1::AddCommentRequest& request) {
  return setup_.Unary<v1::Comment>(
      [&](grpc::ClientContext* context, v1::Comment* response) {
        return stub_->AddComment(context, request, response);
      });
}

absl::StatusOr<v1::ListCommentsResponse> TicketClient::ListComments(
    const v1::ListCommentsRequest& request) {
  return setup_.Unary<v1::ListCommentsResponse>(
      [&](grpc::ClientContext* context, v1::ListCommentsResponse* response) {
        return stub_->ListComments(context, request, response);
      });
}

absl::StatusOr<v1::Ticket> TicketClient::AssignTicket(
    const v1::AssignTicketRequest& request) {
  return setup_.Unary<v1::Ticket>(
      [&](grpc::ClientContext* context, v1::Ticket* response) {
        return stub_->AssignTicket(context, request, response);
      });
}

absl::StatusOr<v1::Ticket> TicketClient::ChangeTicketStatus(
    const v1::ChangeTicketStatusRequest& request) {
  return setup_.Unary<v1::Ticket>(
      [&](grpc::ClientContext* context, v1::Ticket* response) {
        return stub_->ChangeTicketStatus(context, request, response);
      });
}

absl::StatusOr<v1::Ticket> TicketClient::RateTicket(
    const v1::RateTicketRequest& request) {
  return setup_.Unary<v1::Ticket>(
      [&](grpc::ClientContext* context, v1::Ticket* response) {
        return stub_->RateTicket(context, request, response);
      });
}

absl::StatusOr<v1::TicketStatusView> TicketClient::GetTicketStatus(
    const v1::GetTicketStatusRequest& request) {
  return setup_.Unary<v1::TicketStatusView>(
      [&](grpc::ClientContext* context, v1::TicketStatusView* response) {
        return stub_->GetTicketStatus(context, request, response);
      });
}

absl::StatusOr<v1::ListTicketEventsResponse> TicketClient::ListTicketEvents(
    const v1::ListTicketEventsRequest& request) {
  return setup_.Unary<v1::ListTicketEventsResponse>(
      [&](grpc::ClientContext* context,
          v1::ListTicketEventsResponse* response) {
        return stub_->ListTicketEvents(context, request, response);
      });
}

absl::StatusOr<v1::LatestEventCursor> TicketClient::GetLatestEventCursor(
    const v1::GetLatestEventCursorRequest& request) {
  return setup_.Unary<v1::LatestEventCursor>(
      [&](grpc::ClientContext* context, v1::LatestEventCursor* response) {
        return stub_->GetLatestEventCursor(context, request, response);
      });
}

absl::Status TicketClient::WatchTicketEvents(
    const v1::WatchTicketEventsRequest& request,
    const std::function<bool(const v1::TicketEvent&)>& on_event,
    StreamCanceller* canceller) {
  return setup_.Watch<v1::TicketEvent>(
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
