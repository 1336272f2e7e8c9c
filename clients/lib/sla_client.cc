#include "clients/lib/sla_client.h"

#include <grpcpp/grpcpp.h>

#include <utility>

#include "clients/common/error_words.h"
#include "services/common/grpc_status.h"

namespace cxdesk::clients {
namespace {

namespace v1 = ::cxdesk::sla::v1;

}  // namespace

SlaClient::SlaClient(std::shared_ptr<StubInterface> stub,
                     CallCredentials credentials, absl::Duration timeout)
    : stub_(std::move(stub)), setup_(std::move(credentials), timeout) {}

std::unique_ptr<SlaClient> SlaClient::Connect(const std::string& target,
                                              CallCredentials credentials,
                                              absl::Duration timeout) {
  std::shared_ptr<StubInterface> stub = v1::SlaService::NewStub(
      grpc::CreateChannel(target, grpc::InsecureChannelCredentials()));
  return std::make_unique<SlaClient>(std::move(stub), std::move(credentials),
                                     timeout);
}

void SlaClient::set_credentials(CallCredentials credentials) {
  setup_.set_credentials(std::move(credentials));
}

CallCredentials SlaClient::credentials() const { return setup_.credentials(); }

absl::StatusOr<v1::Calendar> SlaClient::CreateCalendar(
    const v1::CreateCalendarRequest& request) {
  return setup_.Unary<v1::Calendar>(
      [&](grpc::ClientContext* context, v1::Calendar* response) {
        return stub_->CreateCalendar(context, request, response);
      });
}

absl::StatusOr<v1::Calendar> SlaClient::GetCalendar(
    const v1::GetCalendarRequest& request) {
  return setup_.Unary<v1::Calendar>(
      [&](grpc::ClientContext* context, v1::Calendar* response) {
        return stub_->GetCalendar(context, request, response);
      });
}

absl::StatusOr<v1::ListCalendarsResponse> SlaClient::ListCalendars(
    const v1::ListCalendarsRequest& request) {
  return setup_.Unary<v1::ListCalendarsResponse>(
      [&](grpc::ClientContext* context, v1::ListCalendarsResponse* response) {
        return stub_->ListCalendars(context, request, response);
      });
}

absl::StatusOr<v1::Calendar> SlaClient::UpdateCalendar(
    const v1::UpdateCalendarRequest& request) {
  return setup_.Unary<v1::Calendar>(
      [&](grpc::ClientContext* context, v1::Calendar* response) {
        return stub_->UpdateCalendar(context, request, response);
      });
}

absl::Status SlaClient::DeleteCalendar(
    const v1::DeleteCalendarRequest& request) {
  return setup_
      .Unary<google::protobuf::Empty>(
          [&](grpc::ClientContext* context, google::protobuf::Empty* response) {
            return stub_->DeleteCalendar(context, request, response);
          })
      .status();
}

absl::StatusOr<v1::Policy> SlaClient::CreatePolicy(
    const v1::CreatePolicyRequest& request) {
  return setup_.Unary<v1::Policy>(
      [&](grpc::ClientContext* context, v1::Policy* response) {
        return stub_->CreatePolicy(context, request, response);
      });
}

absl::StatusOr<v1::Policy> SlaClient::GetPolicy(
    const v1::GetPolicyRequest& request) {
  return setup_.Unary<v1::Policy>(
      [&](grpc::ClientContext* context, v1::Policy* response) {
        return stub_->GetPolicy(context, request, response);
      });
}

absl::StatusOr<v1::ListPoliciesResponse> SlaClient::ListPolicies(
    const v1::ListPoliciesRequest& request) {
  return setup_.Unary<v1::ListPoliciesResponse>(
      [&](grpc::ClientContext* context, v1::ListPoliciesResponse* response) {
        return stub_->ListPolicies(context, request, response);
      });
}

absl::StatusOr<v1::Policy> SlaClient::UpdatePolicy(
    const v1::UpdatePolicyRequest& request) {
  return setup_.Unary<v1::Policy>(
      [&](grpc::ClientContext* context, v1::Policy* response) {
        return stub_->UpdatePolicy(context, request, response);
      });
}

absl::Status SlaClient::DeletePolicy(const v1::DeletePolicyRequest& request) {
  return setup_
      .Unary<google::protobuf::Empty>(
          [&](grpc::ClientContext* context, google::protobuf::Empty* response) {
            return stub_->DeletePolicy(context, request, response);
          })
      .status();
}

absl::StatusOr<v1::TicketSla> SlaClient::GetTicketSla(
    const v1::GetTicketSlaRequest& request) {
  return setup_.Unary<v1::TicketSla>(
      [&](grpc::ClientContext* context, v1::TicketSla* response) {
        return stub_->GetTicketSla(context, request, response);
      });
}

absl::StatusOr<v1::SlaPromise> SlaClient::GetSlaPromise(
    const v1::GetSlaPromiseRequest& request) {
  return setup_.Unary<v1::SlaPromise>(
      [&](grpc::ClientContext* context, v1::SlaPromise* response) {
        return stub_->GetSlaPromise(context, request, response);
      });
}

absl::StatusOr<v1::ListSlaEventsResponse> SlaClient::ListSlaEvents(
    const v1::ListSlaEventsRequest& request) {
  return setup_.Unary<v1::ListSlaEventsResponse>(
      [&](grpc::ClientContext* context, v1::ListSlaEventsResponse* response) {
        return stub_->ListSlaEvents(context, request, response);
      });
}

absl::StatusOr<v1::ListBreachesResponse> SlaClient::ListBreaches(
    const v1::ListBreachesRequest& request) {
  return setup_.Unary<v1::ListBreachesResponse>(
      [&](grpc::ClientContext* context, v1::ListBreachesResponse* response) {
        return stub_->ListBreaches(context, request, response);
      });
}

absl::StatusOr<v1::SlaReport> SlaClient::GetSlaReport(
    const v1::GetSlaReportRequest& request) {
  return setup_.Unary<v1::SlaReport>(
      [&](grpc::ClientContext* context, v1::SlaReport* response) {
        return stub_->GetSlaReport(context, request, response);
      });
}

absl::StatusOr<v1::SlaReport> SlaClient::SimulatePolicy(
    const v1::SimulatePolicyRequest& request) {
  return setup_.Unary<v1::SlaReport>(
      [&](grpc::ClientContext* context, v1::SlaReport* response) {
        return stub_->SimulatePolicy(context, request, response);
      });
}

absl::Status SlaClient::WatchSlaEvents(
    const v1::WatchSlaEventsRequest& request,
    const std::function<bool(const v1::SlaEvent&)>& on_event,
    StreamCanceller* canceller) {
  return setup_.Watch<v1::SlaEvent>(
      "WatchSlaEvents",
      [&](grpc::ClientContext* context) {
        return stub_->WatchSlaEvents(context, request);
      },
      on_event, canceller);
}

std::string DescribeSlaError(const absl::Status& status,
                             absl::string_view target) {
  return DescribeStatus(status, ErrorVoice::kSla, {"", std::string(target)});
}

}  // namespace cxdesk::clients
