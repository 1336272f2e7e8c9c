#include "clients/lib/sla_client.h"

#include <grpcpp/grpcpp.h>

#include <utility>

#include "clients/common/error_words.h"
#include "services/common/grpc_status.h"

namespace cxdesk::clients {
namespace {

namespace slapb = ::cxdesk::sla::v1;

}  // namespace

SlaClient::SlaClient(std::shared_ptr<StubInterface> stub,
                     CallCredentials credentials, absl::Duration timeout)
    : stub_(std::move(stub)), setup_(std::move(credentials), timeout) {}

std::unique_ptr<SlaClient> SlaClient::Connect(const std::string& target,
                                              CallCredentials credentials,
                                              absl::Duration timeout) {
  std::shared_ptr<StubInterface> stub = slapb::SlaService::NewStub(
      grpc::CreateChannel(target, grpc::InsecureChannelCredentials()));
  return std::make_unique<SlaClient>(std::move(stub), std::move(credentials),
                                     timeout);
}

void SlaClient::set_credentials(CallCredentials credentials) {
  setup_.set_credentials(std::move(credentials));
}

CallCredentials SlaClient::credentials() const { return setup_.credentials(); }

absl::StatusOr<slapb::Calendar> SlaClient::CreateCalendar(
    const slapb::CreateCalendarRequest& request) {
  return setup_.Unary<slapb::Calendar>(
      [&](grpc::ClientContext* context, slapb::Calendar* response) {
        return stub_->CreateCalendar(context, request, response);
      });
}

absl::StatusOr<slapb::Calendar> SlaClient::GetCalendar(
    const slapb::GetCalendarRequest& request) {
  return setup_.Unary<slapb::Calendar>(
      [&](grpc::ClientContext* context, slapb::Calendar* response) {
        return stub_->GetCalendar(context, request, response);
      });
}

absl::StatusOr<slapb::ListCalendarsResponse> SlaClient::ListCalendars(
    const slapb::ListCalendarsRequest& request) {
  return setup_.Unary<slapb::ListCalendarsResponse>(
      [&](grpc::ClientContext* context,
          slapb::ListCalendarsResponse* response) {
        return stub_->ListCalendars(context, request, response);
      });
}

absl::StatusOr<slapb::Calendar> SlaClient::UpdateCalendar(
    const slapb::UpdateCalendarRequest& request) {
  return setup_.Unary<slapb::Calendar>(
      [&](grpc::ClientContext* context, slapb::Calendar* response) {
        return stub_->UpdateCalendar(context, request, response);
      });
}

absl::Status SlaClient::DeleteCalendar(
    const slapb::DeleteCalendarRequest& request) {
  return setup_
      .Unary<google::protobuf::Empty>(
          [&](grpc::ClientContext* context, google::protobuf::Empty* response) {
            return stub_->DeleteCalendar(context, request, response);
          })
      .status();
}

absl::StatusOr<slapb::Policy> SlaClient::CreatePolicy(
    const slapb::CreatePolicyRequest& request) {
  return setup_.Unary<slapb::Policy>(
      [&](grpc::ClientContext* context, slapb::Policy* response) {
        return stub_->CreatePolicy(context, request, response);
      });
}

absl::StatusOr<slapb::Policy> SlaClient::GetPolicy(
    const slapb::GetPolicyRequest& request) {
  return setup_.Unary<slapb::Policy>(
      [&](grpc::ClientContext* context, slapb::Policy* response) {
        return stub_->GetPolicy(context, request, response);
      });
}

absl::StatusOr<slapb::ListPoliciesResponse> SlaClient::ListPolicies(
    const slapb::ListPoliciesRequest& request) {
  return setup_.Unary<slapb::ListPoliciesResponse>(
      [&](grpc::ClientContext* context, slapb::ListPoliciesResponse* response) {
        return stub_->ListPolicies(context, request, response);
      });
}

absl::StatusOr<slapb::Policy> SlaClient::UpdatePolicy(
    const slapb::UpdatePolicyRequest& request) {
  return setup_.Unary<slapb::Policy>(
      [&](grpc::ClientContext* context, slapb::Policy* response) {
        return stub_->UpdatePolicy(context, request, response);
      });
}

absl::Status SlaClient::DeletePolicy(
    const slapb::DeletePolicyRequest& request) {
  return setup_
      .Unary<google::protobuf::Empty>(
          [&](grpc::ClientContext* context, google::protobuf::Empty* response) {
            return stub_->DeletePolicy(context, request, response);
          })
      .status();
}

absl::StatusOr<slapb::TicketSla> SlaClient::GetTicketSla(
    const slapb::GetTicketSlaRequest& request) {
  return setup_.Unary<slapb::TicketSla>(
      [&](grpc::ClientContext* context, slapb::TicketSla* response) {
        return stub_->GetTicketSla(context, request, response);
      });
}

absl::StatusOr<slapb::SlaPromise> SlaClient::GetSlaPromise(
    const slapb::GetSlaPromiseRequest& request) {
  return setup_.Unary<slapb::SlaPromise>(
      [&](grpc::ClientContext* context, slapb::SlaPromise* response) {
        return stub_->GetSlaPromise(context, request, response);
      });
}

absl::StatusOr<slapb::ListSlaEventsResponse> SlaClient::ListSlaEvents(
    const slapb::ListSlaEventsRequest& request) {
  return setup_.Unary<slapb::ListSlaEventsResponse>(
      [&](grpc::ClientContext* context,
          slapb::ListSlaEventsResponse* response) {
        return stub_->ListSlaEvents(context, request, response);
      });
}

absl::StatusOr<slapb::ListBreachesResponse> SlaClient::ListBreaches(
    const slapb::ListBreachesRequest& request) {
  return setup_.Unary<slapb::ListBreachesResponse>(
      [&](grpc::ClientContext* context, slapb::ListBreachesResponse* response) {
        return stub_->ListBreaches(context, request, response);
      });
}

absl::StatusOr<slapb::SlaReport> SlaClient::GetSlaReport(
    const slapb::GetSlaReportRequest& request) {
  return setup_.Unary<slapb::SlaReport>(
      [&](grpc::ClientContext* context, slapb::SlaReport* response) {
        return stub_->GetSlaReport(context, request, response);
      });
}

absl::StatusOr<slapb::SlaReport> SlaClient::SimulatePolicy(
    const slapb::SimulatePolicyRequest& request) {
  return setup_.Unary<slapb::SlaReport>(
      [&](grpc::ClientContext* context, slapb::SlaReport* response) {
        return stub_->SimulatePolicy(context, request, response);
      });
}

absl::Status SlaClient::WatchSlaEvents(
    const slapb::WatchSlaEventsRequest& request,
    const std::function<bool(const slapb::SlaEvent&)>& on_event,
    StreamCanceller* canceller) {
  return setup_.Watch<slapb::SlaEvent>(
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
