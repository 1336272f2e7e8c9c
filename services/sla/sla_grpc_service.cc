#include "services/sla/sla_grpc_service.h"

#include <utility>

#include "services/common/grpc_metadata.h"
#include "services/common/grpc_status.h"
#include "services/sla/sla_proto.h"

namespace cxdesk::sla {

using common::Reply;

namespace {

grpc::Status Done(const absl::Status& status) {
  return common::ToGrpcStatus(status);
}

}  // namespace

// ---- calendars ----

grpc::Status SlaGrpcService::CreateCalendar(
    grpc::ServerContext* context, const v1::CreateCalendarRequest* request,
    v1::Calendar* response) {
  absl::StatusOr<CalendarRecord> input = CalendarFromProto(request->calendar());
  if (!input.ok()) return Done(input.status());
  return Reply(manager_.CreateCalendar(common::BearerTokenOf(*context),
                                       *std::move(input)),
               [&](const CalendarRecord& r) { CalendarToProto(r, response); });
}

grpc::Status SlaGrpcService::GetCalendar(grpc::ServerContext* context,
                                         const v1::GetCalendarRequest* request,
                                         v1::Calendar* response) {
  return Reply(manager_.GetCalendar(common::BearerTokenOf(*context),
                                    request->calendar_id()),
               [&](const CalendarRecord& r) { CalendarToProto(r, response); });
}

grpc::Status SlaGrpcService::ListCalendars(
    grpc::ServerContext* context, const v1::ListCalendarsRequest* request,
    v1::ListCalendarsResponse* response) {
  return Reply(
      manager_.ListCalendars(common::BearerTokenOf(*context),
                             request->page_size(), request->page_token()),
      [&](const Page<CalendarRecord>& page) {
        for (const CalendarRecord& r : page.items) {
          CalendarToProto(r, response->add_calendars());
        }
        response->set_next_page_token(page.next_page_token);
      });
}

grpc::Status SlaGrpcService::UpdateCalendar(
    grpc::ServerContext* context, const v1::UpdateCalendarRequest* request,
    v1::Calendar* response) {
  absl::StatusOr<CalendarRecord> input = CalendarFromProto(request->calendar());
  if (!input.ok()) return Done(input.status());
  return Reply(manager_.UpdateCalendar(common::BearerTokenOf(*context),
                                       *std::move(input), request->etag()),
               [&](const CalendarRecord& r) { CalendarToProto(r, response); });
}

grpc::Status SlaGrpcService::DeleteCalendar(
    grpc::ServerContext* context, const v1::DeleteCalendarRequest* request,
    google::protobuf::Empty* response) {
  return Done(manager_.DeleteCalendar(common::BearerTokenOf(*context),
                                      request->calendar_id(), request->etag()));
}

// ---- policies ----

grpc::Status SlaGrpcService::CreatePolicy(
    grpc::ServerContext* context, const v1::CreatePolicyRequest* request,
    v1::Policy* response) {
  absl::StatusOr<PolicyRecord> input = PolicyFromProto(request->policy());
  if (!input.ok()) return Done(input.status());
  return Reply(
      manager_.CreatePolicy(common::BearerTokenOf(*context), *std::move(input)),
      [&](const PolicyRecord& r) { PolicyToProto(r, response); });
}

grpc::Status SlaGrpcService::GetPolicy(grpc::ServerContext* context,
                                       const v1::GetPolicyRequest* request,
                                       v1::Policy* response) {
  return Reply(
      manager_.GetPolicy(common::BearerTokenOf(*context), request->policy_id()),
      [&](const PolicyRecord& r) { PolicyToProto(r, response); });
}

grpc::Status SlaGrpcService::ListPolicies(
    grpc::ServerContext* context, const v1::ListPoliciesRequest* request,
    v1::ListPoliciesResponse* response) {
  return Reply(
      manager_.ListPolicies(common::BearerTokenOf(*context),
                            request->page_size(), request->page_token()),
      [&](const Page<PolicyRecord>& page) {
        for (const PolicyRecord& r : page.items) {
          PolicyToProto(r, response->add_policies());
        }
        response->set_next_page_token(page.next_page_token);
      });
}

grpc::Status SlaGrpcService::UpdatePolicy(
    grpc::ServerContext* context, const v1::UpdatePolicyRequest* request,
    v1::Policy* response) {
  absl::StatusOr<PolicyRecord> input = PolicyFromProto(request->policy());
  if (!input.ok()) return Done(input.status());
  return Reply(manager_.UpdatePolicy(common::BearerTokenOf(*context),
                                     *std::move(input), request->etag()),
               [&](const PolicyRecord& r) { PolicyToProto(r, response); });
}

grpc::Status SlaGrpcService::DeletePolicy(
    grpc::ServerContext* context, const v1::DeletePolicyRequest* request,
    google::protobuf::Empty* response) {
  return Done(manager_.DeletePolicy(common::BearerTokenOf(*context),
                                    request->policy_id(), request->etag()));
}

// ---- clocks ----

grpc::Status SlaGrpcService::GetTicketSla(
    grpc::ServerContext* context, const v1::GetTicketSlaRequest* request,
    v1::TicketSla* response) {
  return Reply(manager_.GetTicketSla(common::BearerTokenOf(*context),
                                     request->ticket_id()),
               [&](const TicketSlaView& v) { TicketSlaToProto(v, response); });
}

grpc::Status SlaGrpcService::GetSlaPromise(
    grpc::ServerContext* context, const v1::GetSlaPromiseRequest* request,
    v1::SlaPromise* response) {
  return Reply(manager_.GetSlaPromise(common::BearerTokenOf(*context),
                                      request->ticket_id()),
               [&](const SlaPromise& p) { SlaPromiseToProto(p, response); });
}

// ---- ledger and breaches ----

grpc::Status SlaGrpcService::ListSlaEvents(
    grpc::ServerContext* context, const v1::ListSlaEventsRequest* request,
    v1::ListSlaEventsResponse* response) {
  absl::StatusOr<EventFilter> filter = EventFilterFromProto(*request);
  if (!filter.ok()) return Done(filter.status());
  return Reply(
      manager_.ListSlaEvents(common::BearerTokenOf(*context), *filter,
                             request->page_size(), request->page_token()),
      [&](const Page<LedgerEvent>& page) {
        for (const LedgerEvent& e : page.items) {
          LedgerEventToProto(e, response->add_events());
        }
        response->set_next_page_token(page.next_page_token);
      });
}

grpc::Status SlaGrpcService::ListBreaches(
    grpc::ServerContext* context, const v1::ListBreachesRequest* request,
    v1::ListBreachesResponse* response) {
  return Reply(
      manager_.ListBreaches(common::BearerTokenOf(*context),
                            BreachFilterFromProto(*request),
                            request->page_size(), request->page_token()),
      [&](const Page<BreachRecord>& page) {
        for (const BreachRecord& b : page.items) {
          BreachToProto(b, response->add_breaches());
        }
        response->set_next_page_token(page.next_page_token);
      });
}

grpc::Status SlaGrpcService::WatchSlaEvents(
    grpc::ServerContext* context, const v1::WatchSlaEventsRequest* request,
    grpc::ServerWriter<v1::SlaEvent>* writer) {
  v1::SlaEvent proto;
  return Done(manager_.WatchSlaEvents(
      common::BearerTokenOf(*context), request->after_cursor(),
      [&](const LedgerEvent& e) {
        proto.Clear();
        LedgerEventToProto(e, &proto);
        return writer->Write(proto);
      },
      [&] { return context->IsCancelled(); }));
}

// ---- reports ----

grpc::Status SlaGrpcService::GetSlaReport(
    grpc::ServerContext* context, const v1::GetSlaReportRequest* request,
    v1::SlaReport* response) {
  absl::StatusOr<ReportQuery> query = ReportQueryFromProto(*request);
  if (!query.ok()) return Done(query.status());
  return Reply(manager_.GetSlaReport(common::BearerTokenOf(*context),
                                     query->start, query->end, query->group_by),
               [&](const Report& r) { ReportToProto(r, response); });
}

grpc::Status SlaGrpcService::SimulatePolicy(
    grpc::ServerContext* context, const v1::SimulatePolicyRequest* request,
    v1::SlaReport* response) {
  absl::StatusOr<Simulation> simulation = SimulationFromProto(*request);
  if (!simulation.ok()) return Done(simulation.status());
  return Reply(manager_.SimulatePolicy(
                   common::BearerTokenOf(*context),
                   std::move(simulation->draft), simulation->query.start,
                   simulation->query.end, simulation->query.group_by),
               [&](const Report& r) { ReportToProto(r, response); });
}

}  // namespace cxdesk::sla
