// Fuzz target: each ticket request through the real adapter and manager
// (TicketGrpcService over TicketManager over the in-memory FakeTicketStore,
// on a FakeClock with a fixed secret), the way the server runs it after the
// request guard.
//
// Input: [1 byte: method and caller] [the request's wire bytes]. The byte
// picks the method, byte % 13, in declaration order of TicketService, and the
// caller, (byte / 13) % 6: a manager token, an agent token, the access key of
// ticket 1 (new), the access key of ticket 4 (solved), no credentials, an
// expired agent token. Inputs that do not parse or that the guard refuses
// (CheckRequestLimits) are skipped: that is request_limits_fuzz's job.
//
// Every input starts from the same five seeded tickets (new; open with a
// reply and a note; pending; solved; closed and rated). Checks:
//  - the answer is OK or one of INVALID_ARGUMENT, NOT_FOUND,
//    FAILED_PRECONDITION, ABORTED, ALREADY_EXISTS, PERMISSION_DENIED,
//    UNAUTHENTICATED, OUT_OF_RANGE, RESOURCE_EXHAUSTED: never INTERNAL,
//    UNKNOWN or a crash;
//  - when CreateTicket, AddComment, ChangeTicketStatus or UpdateTicket is OK,
//    the text read back through GetTicket, ListComments and ListTicketEvents
//    equals what was sent, after the documented normalisation only (tags
//    lower-cased, sorted and de-duplicated, and trimmed; the e-mail address
//    lower-cased and trimmed): nothing is silently cut or changed.
// WatchTicketEvents needs a grpc::ServerWriter, which only a real call has;
// it goes to TicketManager::WatchTicketEvents directly, for one replay.
// Corpus: fuzz/corpus/ticket_manager_fuzz/.

#include <google/protobuf/stubs/logging.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/test/server_context_test_spouse.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "services/common/grpc_status.h"
#include "services/common/request_limits.h"
#include "services/common/testing/fake_clock.h"
#include "services/common/token.h"
#include "services/ticket/testing/fake_ticket_store.h"
#include "services/ticket/ticket_grpc_service.h"
#include "services/ticket/ticket_manager.h"
#include "services/ticket/ticket_proto.h"

namespace cxdesk::ticket {
namespace {

constexpr char kSecret[] = "fuzz-ticket-secret-0123456789abcdef";
constexpr int kSeededTickets = 5;
constexpr int kCallers = 6;
// The e-mail addresses of the seeded customers: a create for one of them
// keeps the stored name.
constexpr absl::string_view kSeededEmails[] = {"ana@example.com",
                                               "bo@example.com"};

// A finding: traps, naming the line of the check that failed.
void Check(bool ok, int line = __builtin_LINE()) {
  if (ok) return;
  std::fprintf(stderr, "%s:%d: check failed\n", __FILE__, line);
  __builtin_trap();
}

// What a call presents, as gRPC metadata.
struct Caller {
  std::string bearer;
  std::string access_key;
};

// A fresh service with the seeded tickets; one per input, so every input
// runs on the same state.
struct World {
  common::FakeClock clock;
  FakeTicketStore store;
  TicketManager manager{store, clock, kSecret, nullptr};
  TicketGrpcService service{manager};
  Caller callers[kCallers];

  World();
};

std::string Sign(const common::FakeClock& clock, const std::string& subject,
                 common::StaffRole role, absl::Duration valid_for) {
  absl::StatusOr<std::string> token =
      common::SignToken({subject, role, clock.Now() + valid_for}, kSecret);
  Check(token.ok());
  return *token;
}

World::World() {
  const Credentials manager_creds{
      Sign(clock, "mia", common::StaffRole::kManager, absl::Hours(1)), ""};
  const Credentials agent_creds{
      Sign(clock, "alice", common::StaffRole::kAgent, absl::Hours(1)), ""};
  callers[0] = {manager_creds.bearer_token, ""};
  callers[1] = {agent_creds.bearer_token, ""};
  callers[5] = {
      Sign(clock, "alice", common::StaffRole::kAgent, -absl::Seconds(1)), ""};
  std::string keys[kSeededTickets + 1];
  for (int i = 1; i <= kSeededTickets; ++i) {
    NewTicketInput in;
    in.subject = "Seeded ticket " + std::to_string(i);
    in.description = "Line one\nline two of ticket " + std::to_string(i);
    in.customer_email = i % 2 == 1 ? "Ana@Example.com" : "bo@example.com";
    in.customer_name = i % 2 == 1 ? "Ana Lima" : "Bo";
    in.tags = {"Refund", "seed"};
    in.request_id = "seed-" + std::to_string(i);
    if (i == 2) {
      in.kind = Kind::kComplaint;
      in.cx_level = CxLevel::kService;
    }
    absl::StatusOr<CreatedTicket> created =
        manager.CreateTicket(i == 2 ? agent_creds : Credentials{}, in);
    Check(created.ok() && created->ticket.id == i);
    keys[i] = created->access_key;
    clock.Advance(absl::Minutes(1));
  }
  Check(manager.AssignTicket(agent_creds, 2, {"alice", "billing", false, ""})
            .ok());
  Check(manager.AddComment(agent_creds, 2, Visibility::kPublic, "On it", "")
            .ok());
  Check(manager.AddComment(agent_creds, 2, Visibility::kInternal, "Note", "")
            .ok());
  Check(manager.ChangeStatus(agent_creds, 3, Status::kPending, "waiting").ok());
  Check(manager.ChangeStatus(agent_creds, 4, Status::kSolved, "done").ok());
  Check(manager.ChangeStatus(agent_creds, 5, Status::kSolved, "").ok());
  Check(manager.RateTicket({"", keys[5]}, 5, 4, "fine").ok());
  Check(manager.ChangeStatus(manager_creds, 5, Status::kClosed, "").ok());
  clock.Advance(absl::Minutes(1));
  callers[2] = {"", keys[1]};
  callers[3] = {"", keys[4]};
}

template <typename Request, typename Response>
using Rpc = grpc::Status (TicketGrpcService::*)(grpc::ServerContext*,
                                                const Request*, Response*);

template <typename Request, typename Response>
grpc::Status CallAs(World& world, const Caller& caller,
                    Rpc<Request, Response> rpc, const Request& request,
                    Response* response) {
  grpc::ServerContext context;
  grpc::testing::ServerContextTestSpouse spouse(&context);
  if (!caller.bearer.empty()) {
    spouse.AddClientMetadata("authorization", "Bearer " + caller.bearer);
  }
  if (!caller.access_key.empty()) {
    spouse.AddClientMetadata("x-cxdesk-access-key", caller.access_key);
  }
  return (world.service.*rpc)(&context, &request, response);
}

void CheckCode(const grpc::Status& status) {
  switch (status.error_code()) {
    case grpc::StatusCode::OK:
    case grpc::StatusCode::INVALID_ARGUMENT:
    case grpc::StatusCode::NOT_FOUND:
    case grpc::StatusCode::FAILED_PRECONDITION:
    case grpc::StatusCode::ABORTED:
    case grpc::StatusCode::ALREADY_EXISTS:
    case grpc::StatusCode::PERMISSION_DENIED:
    case grpc::StatusCode::UNAUTHENTICATED:
    case grpc::StatusCode::OUT_OF_RANGE:
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return;
    default:
      __builtin_trap();
  }
}

// ---- reading back, as the manager ----

v1::Ticket ReadTicket(World& world, int64_t id) {
  v1::GetTicketRequest request;
  request.set_ticket_id(id);
  v1::Ticket ticket;
  Check(CallAs(world, world.callers[0], &TicketGrpcService::GetTicket, request,
               &ticket)
            .ok());
  return ticket;
}

std::vector<v1::Comment> ReadComments(World& world, int64_t id) {
  v1::ListCommentsRequest request;
  request.set_ticket_id(id);
  request.set_page_size(500);
  v1::ListCommentsResponse response;
  Check(CallAs(world, world.callers[0], &TicketGrpcService::ListComments,
               request, &response)
            .ok());
  return {response.comments().begin(), response.comments().end()};
}

std::vector<v1::TicketEvent> ReadEvents(World& world, int64_t id) {
  v1::ListTicketEventsRequest request;
  request.set_ticket_id(id);
  request.set_page_size(500);
  v1::ListTicketEventsResponse response;
  Check(CallAs(world, world.callers[0], &TicketGrpcService::ListTicketEvents,
               request, &response)
            .ok());
  return {response.events().begin(), response.events().end()};
}

// The normalisation of tags: lower-cased, sorted, de-duplicated (as
// documented), and trimmed of surrounding white space (as NormalizeTags
// does; its comment and the proto's do not say so yet).
template <typename Tags>
std::vector<std::string> NormalizedTags(const Tags& tags) {
  std::vector<std::string> out;
  for (const std::string& tag : tags) {
    out.push_back(absl::AsciiStrToLower(absl::StripAsciiWhitespace(tag)));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::vector<std::string> TagsOf(const v1::Ticket& ticket) {
  return {ticket.tags().begin(), ticket.tags().end()};
}

// ---- the checks of the writes ----

void VerifyCreate(World& world, const v1::CreateTicketRequest& request,
                  const v1::CreateTicketResponse& response) {
  const int64_t id = response.ticket().id();
  // A retry of a seeded create answers the seeded ticket.
  if (id <= kSeededTickets) {
    Check(request.request_id() == "seed-" + std::to_string(id));
    return;
  }
  const v1::Ticket stored = ReadTicket(world, id);
  Check(stored.SerializeAsString() == response.ticket().SerializeAsString());
  Check(stored.subject() == request.subject());
  Check(stored.description() == request.description());
  const std::string email = absl::AsciiStrToLower(
      absl::StripAsciiWhitespace(request.customer_email()));
  Check(stored.customer().email() == email);
  if (std::find(std::begin(kSeededEmails), std::end(kSeededEmails), email) ==
      std::end(kSeededEmails)) {
    Check(stored.customer().name() == request.customer_name());
  }
  Check(TagsOf(stored) == NormalizedTags(request.tags()));
  const std::vector<v1::TicketEvent> events = ReadEvents(world, id);
  Check(events.size() == 1 && events[0].type() == v1::EVENT_TYPE_CREATED);
}

void VerifyComment(World& world, const v1::AddCommentRequest& request,
                   const v1::Comment& response) {
  Check(response.body() == request.body());
  Check(response.ticket_id() == request.ticket_id());
  bool found = false;
  for (const v1::Comment& c : ReadComments(world, request.ticket_id())) {
    if (c.id() != response.id()) continue;
    found = true;
    Check(c.SerializeAsString() == response.SerializeAsString());
  }
  Check(found);
  const std::vector<v1::TicketEvent> events =
      ReadEvents(world, request.ticket_id());
  Check(!events.empty() && events.back().has_comment() &&
        events.back().comment().id() == response.id() &&
        events.back().comment().body() == request.body());
}

void VerifyStatusChange(World& world, const v1::ChangeTicketStatusRequest& r,
                        const v1::Ticket& before, const v1::Ticket& response) {
  Check(response.status() == r.status());
  const v1::Ticket stored = ReadTicket(world, r.ticket_id());
  Check(stored.SerializeAsString() == response.SerializeAsString());
  // Asking for the current status is a documented no-op (no event).
  if (stored.version() == before.version()) {
    Check(before.status() == r.status());
    return;
  }
  const std::vector<v1::TicketEvent> events = ReadEvents(world, r.ticket_id());
  Check(!events.empty() &&
        events.back().type() == v1::EVENT_TYPE_STATUS_CHANGED &&
        events.back().reason() == r.reason());
}

void VerifyUpdate(World& world, const v1::UpdateTicketRequest& request,
                  const v1::Ticket& response) {
  const v1::Ticket& sent = request.ticket();
  const v1::Ticket stored = ReadTicket(world, sent.id());
  Check(stored.SerializeAsString() == response.SerializeAsString());
  for (const std::string& path : request.update_mask().paths()) {
    if (path == "subject") {
      Check(stored.subject() == sent.subject());
    } else if (path == "description") {
      Check(stored.description() == sent.description());
    } else if (path == "tags") {
      Check(TagsOf(stored) == NormalizedTags(sent.tags()));
    } else if (path == "kind") {
      Check(stored.kind() == sent.kind());
    } else if (path == "cx_level") {
      Check(stored.cx_level() == sent.cx_level());
    } else if (path == "priority") {
      Check(stored.priority() == sent.priority());
    } else if (path == "channel") {
      Check(stored.channel() == sent.channel());
    }
  }
}

// ---- one input ----

// Parses `bytes` as the guard does; false if the guard would refuse them.
template <typename Request>
bool Parse(absl::string_view bytes, Request* request) {
  return request->ParseFromArray(bytes.data(),
                                 static_cast<int>(bytes.size())) &&
         common::CheckRequestLimits(*request).ok();
}

// Calls `rpc` with the request in `bytes`; `verify` checks an OK answer.
template <typename Request, typename Response, typename Verify>
void Run(World& world, const Caller& caller, absl::string_view bytes,
         Rpc<Request, Response> rpc, Verify verify) {
  Request request;
  if (!Parse(bytes, &request)) return;
  Response response;
  const grpc::Status status = CallAs(world, caller, rpc, request, &response);
  CheckCode(status);
  if (status.ok()) verify(request, response);
}

template <typename Request, typename Response>
void Run(World& world, const Caller& caller, absl::string_view bytes,
         Rpc<Request, Response> rpc) {
  Run(world, caller, bytes, rpc, [](const Request&, const Response&) {});
}

void RunWatch(World& world, const Caller& caller, absl::string_view bytes) {
  v1::WatchTicketEventsRequest request;
  if (!Parse(bytes, &request)) return;
  const absl::Status status = world.manager.WatchTicketEvents(
      {caller.bearer, caller.access_key}, request.after_cursor(),
      [&](const TicketEvent& event) {
        v1::TicketEvent out;
        TicketEventToProto(event, &out);
        return true;
      },
      [] { return true; });
  CheckCode(common::ToGrpcStatus(status));
}

void RunOne(World& world, const std::string& method, const Caller& caller,
            absl::string_view bytes) {
  using S = TicketGrpcService;
  if (method == "CreateTicket") {
    Run(world, caller, bytes, &S::CreateTicket,
        [&](const v1::CreateTicketRequest& request,
            const v1::CreateTicketResponse& response) {
          VerifyCreate(world, request, response);
        });
  } else if (method == "GetTicket") {
    Run(world, caller, bytes, &S::GetTicket);
  } else if (method == "ListTickets") {
    Run(world, caller, bytes, &S::ListTickets);
  } else if (method == "UpdateTicket") {
    Run(world, caller, bytes, &S::UpdateTicket,
        [&](const v1::UpdateTicketRequest& request,
            const v1::Ticket& response) {
          VerifyUpdate(world, request, response);
        });
  } else if (method == "AddComment") {
    Run(world, caller, bytes, &S::AddComment,
        [&](const v1::AddCommentRequest& request, const v1::Comment& response) {
          VerifyComment(world, request, response);
        });
  } else if (method == "ListComments") {
    Run(world, caller, bytes, &S::ListComments);
  } else if (method == "AssignTicket") {
    Run(world, caller, bytes, &S::AssignTicket);
  } else if (method == "ChangeTicketStatus") {
    v1::ChangeTicketStatusRequest peek;
    if (!Parse(bytes, &peek)) return;
    // The ticket as it was, to tell a change from the documented no-op.
    v1::Ticket before;
    if (peek.ticket_id() >= 1 && peek.ticket_id() <= kSeededTickets) {
      before = ReadTicket(world, peek.ticket_id());
    }
    Run(world, caller, bytes, &S::ChangeTicketStatus,
        [&](const v1::ChangeTicketStatusRequest& request,
            const v1::Ticket& response) {
          VerifyStatusChange(world, request, before, response);
        });
  } else if (method == "RateTicket") {
    Run(world, caller, bytes, &S::RateTicket);
  } else if (method == "GetTicketStatus") {
    Run(world, caller, bytes, &S::GetTicketStatus);
  } else if (method == "ListTicketEvents") {
    Run(world, caller, bytes, &S::ListTicketEvents);
  } else if (method == "WatchTicketEvents") {
    RunWatch(world, caller, bytes);
  } else if (method == "GetLatestEventCursor") {
    Run(world, caller, bytes, &S::GetLatestEventCursor);
  } else {
    // A method added to the API needs a line here.
    __builtin_trap();
  }
}

}  // namespace
}  // namespace cxdesk::ticket

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  google::protobuf::SetLogHandler(nullptr);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static const google::protobuf::ServiceDescriptor& service =
      *cxdesk::ticket::v1::CreateTicketRequest::descriptor()
           ->file()
           ->FindServiceByName("TicketService");
  const int count = service.method_count();
  const std::string& method = service.method(data[0] % count)->name();
  const int caller = (data[0] / count) % cxdesk::ticket::kCallers;
  cxdesk::ticket::World world;
  cxdesk::ticket::RunOne(
      world, method, world.callers[caller],
      absl::string_view(reinterpret_cast<const char*>(data + 1), size - 1));
  return 0;
}
