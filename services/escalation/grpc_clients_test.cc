// The escalation service's gRPC clients against in-process fake ticket and
// SLA services: what goes over the wire and what comes back.

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server.h>
#include <grpcpp/server_builder.h>
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "clients/lib/testing/in_process_server.h"
#include "services/common/proto_time.h"
#include "services/common/testing/fake_clock.h"
#include "services/escalation/grpc_event_sources.h"
#include "services/escalation/grpc_shift_calendars.h"
#include "services/escalation/grpc_ticket_gateway.h"

namespace cxdesk::escalation {
namespace {

namespace ticketpb = ::cxdesk::ticket::v1;
namespace slapb = ::cxdesk::sla::v1;
using absl::StatusCode;
using clients::DeadlineOf;
using clients::InProcessServerTest;
using clients::MetadataValue;

constexpr char kToken[] = "service-token-1";
constexpr char kBearer[] = "Bearer service-token-1";

std::shared_ptr<grpc::Channel> ChannelTo(const std::string& target) {
  return grpc::CreateChannel(target, grpc::InsecureChannelCredentials());
}

// A port that was just free: bound and released again.
int ClosedPort() {
  int port = 0;
  ticketpb::TicketService::Service unused;
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                           &port);
  builder.RegisterService(&unused);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  server->Shutdown();
  return port;
}

// Serves the stream's messages, then holds it open until the client
// cancels it (or the server shuts down). After cursor "end" it finishes
// with OK instead.
template <typename Message>
grpc::Status ServeStream(grpc::ServerContext* context,
                         const std::string& after_cursor,
                         const std::vector<Message>& messages,
                         grpc::ServerWriter<Message>* writer) {
  if (after_cursor == "end") return grpc::Status::OK;
  for (const Message& m : messages) {
    if (!writer->Write(m)) return grpc::Status::OK;
  }
  while (!context->IsCancelled()) absl::SleepFor(absl::Milliseconds(5));
  return grpc::Status(grpc::StatusCode::CANCELLED, "cancelled");
}

// ---- the ticket service ----

// What the fake ticket service saw of one call.
struct Seen {
  std::string authorization;
  std::string deadline;  // Milliseconds left, or "none".
};

// A ticket service holding tickets in memory. UpdateTicket checks the etag,
// honours request_ids like the real one (a used key returns the ticket as
// it is), and can be told to answer ABORTED a number of times first.
class FakeTicketService final : public ticketpb::TicketService::Service {
 public:
  grpc::Status GetTicket(grpc::ServerContext* context,
                         const ticketpb::GetTicketRequest* request,
                         ticketpb::Ticket* response) override {
    absl::MutexLock lock(&mu_);
    ++get_calls_;
    seen_.push_back(
        {MetadataValue(*context, "authorization"), DeadlineOf(*context)});
    auto it = tickets_.find(request->ticket_id());
    if (it == tickets_.end()) {
      return grpc::Status(grpc::StatusCode::NOT_FOUND, "no such ticket");
    }
    *response = it->second;
    return grpc::Status::OK;
  }

  grpc::Status UpdateTicket(grpc::ServerContext* context,
                            const ticketpb::UpdateTicketRequest* request,
                            ticketpb::Ticket* response) override {
    absl::MutexLock lock(&mu_);
    updates_.push_back(*request);
    seen_.push_back(
        {MetadataValue(*context, "authorization"), DeadlineOf(*context)});
    auto it = tickets_.find(request->ticket().id());
    if (it == tickets_.end()) {
      return grpc::Status(grpc::StatusCode::NOT_FOUND, "no such ticket");
    }
    ticketpb::Ticket& t = it->second;
    if (used_keys_.count(request->request_id()) > 0) {
      *response = t;
      return grpc::Status::OK;
    }
    if (aborts_left_ > 0) {
      --aborts_left_;
      // Someone else changed the ticket meanwhile.
      Bump(t);
      return grpc::Status(grpc::StatusCode::ABORTED, "stale etag");
    }
    if (!request->etag().empty() && request->etag() != t.etag()) {
      return grpc::Status(grpc::StatusCode::ABORTED, "stale etag");
    }
    t.set_priority(request->ticket().priority());
    Bump(t);
    used_keys_.insert(request->request_id());
    *response = t;
    return grpc::Status::OK;
  }

  grpc::Status AssignTicket(grpc::ServerContext* context,
                            const ticketpb::AssignTicketRequest* request,
                            ticketpb::Ticket* response) override {
    absl::MutexLock lock(&mu_);
    assigns_.push_back(*request);
    seen_.push_back(
        {MetadataValue(*context, "authorization"), DeadlineOf(*context)});
    response->set_id(request->ticket_id());
    return grpc::Status::OK;
  }

  grpc::Status AddComment(grpc::ServerContext* context,
                          const ticketpb::AddCommentRequest* request,
                          ticketpb::Comment* response) override {
    absl::MutexLock lock(&mu_);
    comments_.push_back(*request);
    seen_.push_back(
        {MetadataValue(*context, "authorization"), DeadlineOf(*context)});
    if (request->ticket_id() == 404) {
      return grpc::Status(grpc::StatusCode::NOT_FOUND, "no such ticket");
    }
    response->set_id(1);
    response->set_ticket_id(request->ticket_id());
    return grpc::Status::OK;
  }

  grpc::Status WatchTicketEvents(
      grpc::ServerContext* context,
      const ticketpb::WatchTicketEventsRequest* request,
      grpc::ServerWriter<ticketpb::TicketEvent>* writer) override {
    std::vector<ticketpb::TicketEvent> events;
    {
      absl::MutexLock lock(&mu_);
      watch_cursor_ = request->after_cursor();
      seen_.push_back(
          {MetadataValue(*context, "authorization"), DeadlineOf(*context)});
      events = events_;
    }
    return ServeStream(context, request->after_cursor(), events, writer);
  }

  void Put(ticketpb::Ticket ticket) {
    absl::MutexLock lock(&mu_);
    Bump(ticket);
    tickets_[ticket.id()] = std::move(ticket);
  }
  void AbortNext(int n) {
    absl::MutexLock lock(&mu_);
    aborts_left_ = n;
  }
  void UseKey(const std::string& request_id) {
    absl::MutexLock lock(&mu_);
    used_keys_.insert(request_id);
  }
  void SetEvents(std::vector<ticketpb::TicketEvent> events) {
    absl::MutexLock lock(&mu_);
    events_ = std::move(events);
  }
  ticketpb::Ticket ticket(int64_t id) {
    absl::MutexLock lock(&mu_);
    return tickets_[id];
  }
  int get_calls() {
    absl::MutexLock lock(&mu_);
    return get_calls_;
  }
  std::vector<ticketpb::UpdateTicketRequest> updates() {
    absl::MutexLock lock(&mu_);
    return updates_;
  }
  std::vector<ticketpb::AssignTicketRequest> assigns() {
    absl::MutexLock lock(&mu_);
    return assigns_;
  }
  std::vector<ticketpb::AddCommentRequest> comments() {
    absl::MutexLock lock(&mu_);
    return comments_;
  }
  std::vector<Seen> seen() {
    absl::MutexLock lock(&mu_);
    return seen_;
  }
  std::string watch_cursor() {
    absl::MutexLock lock(&mu_);
    return watch_cursor_;
  }

 private:
  // A new version and etag, as every write makes.
  static void Bump(ticketpb::Ticket& t) {
    t.set_version(t.version() + 1);
    t.set_etag(absl::StrCat("e", t.version()));
  }

  absl::Mutex mu_;
  std::map<int64_t, ticketpb::Ticket> tickets_ ABSL_GUARDED_BY(mu_);
  std::set<std::string> used_keys_ ABSL_GUARDED_BY(mu_);
  int aborts_left_ ABSL_GUARDED_BY(mu_) = 0;
  int get_calls_ ABSL_GUARDED_BY(mu_) = 0;
  std::vector<ticketpb::UpdateTicketRequest> updates_ ABSL_GUARDED_BY(mu_);
  std::vector<ticketpb::AssignTicketRequest> assigns_ ABSL_GUARDED_BY(mu_);
  std::vector<ticketpb::AddCommentRequest> comments_ ABSL_GUARDED_BY(mu_);
  std::vector<Seen> seen_ ABSL_GUARDED_BY(mu_);
  std::vector<ticketpb::TicketEvent> events_ ABSL_GUARDED_BY(mu_);
  std::string watch_cursor_ ABSL_GUARDED_BY(mu_);
};

ticketpb::Ticket MakeTicket(int64_t id, ticketpb::Priority priority) {
  ticketpb::Ticket t;
  t.set_id(id);
  t.set_subject("Printer on fire");
  t.set_description("It smokes since the update.");
  t.set_kind(ticketpb::KIND_COMPLAINT);
  t.set_cx_level(ticketpb::CX_LEVEL_EMOTION);
  t.set_priority(priority);
  t.set_channel(ticketpb::CHANNEL_EMAIL);
  t.set_status(ticketpb::STATUS_OPEN);
  t.add_tags("hardware");
  t.add_tags("vip");
  t.mutable_customer()->set_email("ada@example.com");
  t.set_team("care");
  t.set_assignee("ann");
  return t;
}

class GrpcTicketGatewayTest : public InProcessServerTest<FakeTicketService> {
 protected:
  GrpcTicketGateway Gateway() {
    return GrpcTicketGateway(
        ticketpb::TicketService::NewStub(ChannelTo(target_)),
        [] { return std::string(kToken); });
  }
};

TEST_F(GrpcTicketGatewayTest, AssignSendsTheRequestIdAndBearerToken) {
  GrpcTicketGateway gateway = Gateway();
  ASSERT_TRUE(gateway.Assign(7, "ann", "care", false, "esc-a-1").ok());
  ASSERT_TRUE(gateway.Assign(8, "", "", true, "esc-a-2").ok());

  const std::vector<ticketpb::AssignTicketRequest> assigns = service_.assigns();
  ASSERT_EQ(assigns.size(), 2u);
  EXPECT_EQ(assigns[0].ticket_id(), 7);
  EXPECT_EQ(assigns[0].assignee(), "ann");
  EXPECT_EQ(assigns[0].team(), "care");
  EXPECT_FALSE(assigns[0].unassign());
  EXPECT_EQ(assigns[0].request_id(), "esc-a-1");
  EXPECT_EQ(assigns[1].ticket_id(), 8);
  EXPECT_EQ(assigns[1].assignee(), "");
  EXPECT_TRUE(assigns[1].unassign());
  EXPECT_EQ(assigns[1].request_id(), "esc-a-2");
  for (const Seen& seen : service_.seen()) {
    EXPECT_EQ(seen.authorization, kBearer);
    EXPECT_NE(seen.deadline, "none");
  }
}

TEST_F(GrpcTicketGatewayTest, RaisePrioritySendsMaskEtagAndRequestId) {
  service_.Put(MakeTicket(7, ticketpb::PRIORITY_NORMAL));
  const std::string etag = service_.ticket(7).etag();
  GrpcTicketGateway gateway = Gateway();

  absl::StatusOr<std::string> detail = gateway.RaisePriority(7, "esc-p-1");

  ASSERT_TRUE(detail.ok()) << detail.status();
  EXPECT_EQ(*detail, "priority normal -> high");
  const std::vector<ticketpb::UpdateTicketRequest> updates = service_.updates();
  ASSERT_EQ(updates.size(), 1u);
  EXPECT_EQ(updates[0].ticket().id(), 7);
  EXPECT_EQ(updates[0].ticket().priority(), ticketpb::PRIORITY_HIGH);
  ASSERT_EQ(updates[0].update_mask().paths_size(), 1);
  EXPECT_EQ(updates[0].update_mask().paths(0), "priority");
  EXPECT_EQ(updates[0].etag(), etag);
  EXPECT_EQ(updates[0].request_id(), "esc-p-1");
  EXPECT_EQ(service_.ticket(7).priority(), ticketpb::PRIORITY_HIGH);
  for (const Seen& seen : service_.seen()) {
    EXPECT_EQ(seen.authorization, kBearer);
  }
}

TEST_F(GrpcTicketGatewayTest, RaisePriorityOfAnUrgentTicketUpdatesNothing) {
  service_.Put(MakeTicket(7, ticketpb::PRIORITY_URGENT));
  absl::StatusOr<std::string> detail = Gateway().RaisePriority(7, "esc-p-1");
  ASSERT_TRUE(detail.ok()) << detail.status();
  EXPECT_EQ(*detail, "priority already urgent");
  EXPECT_TRUE(service_.updates().empty());
}

TEST_F(GrpcTicketGatewayTest, RaisePriorityRereadsAfterAStaleEtag) {
  service_.Put(MakeTicket(7, ticketpb::PRIORITY_HIGH));
  service_.AbortNext(1);
  absl::StatusOr<std::string> detail = Gateway().RaisePriority(7, "esc-p-1");
  ASSERT_TRUE(detail.ok()) << detail.status();
  EXPECT_EQ(*detail, "priority high -> urgent");
  const std::vector<ticketpb::UpdateTicketRequest> updates = service_.updates();
  ASSERT_EQ(updates.size(), 2u);
  // The second try carries the etag of the second read and the same key.
  EXPECT_NE(updates[0].etag(), updates[1].etag());
  EXPECT_EQ(updates[1].request_id(), "esc-p-1");
  EXPECT_EQ(service_.get_calls(), 2);
}

TEST_F(GrpcTicketGatewayTest, RaisePriorityGivesUpAfterThreeRetries) {
  service_.Put(MakeTicket(7, ticketpb::PRIORITY_LOW));
  service_.AbortNext(100);
  absl::StatusOr<std::string> detail = Gateway().RaisePriority(7, "esc-p-1");
  EXPECT_EQ(detail.status().code(), StatusCode::kAborted);
  EXPECT_EQ(service_.updates().size(), 4u);
}

TEST_F(GrpcTicketGatewayTest, RaisePriorityWithAReplayedKeySaysSo) {
  // An earlier attempt raised normal -> high, and its reply was lost.
  service_.Put(MakeTicket(7, ticketpb::PRIORITY_HIGH));
  service_.UseKey("esc-p-1");
  absl::StatusOr<std::string> detail = Gateway().RaisePriority(7, "esc-p-1");
  ASSERT_TRUE(detail.ok()) << detail.status();
  EXPECT_EQ(*detail, "priority already raised (now high)");
  EXPECT_EQ(service_.ticket(7).priority(), ticketpb::PRIORITY_HIGH);
}

TEST_F(GrpcTicketGatewayTest, RaisePriorityOfAnUnknownTicketIsNotFound) {
  EXPECT_EQ(Gateway().RaisePriority(99, "esc-p-1").status().code(),
            StatusCode::kNotFound);
}

TEST_F(GrpcTicketGatewayTest, AddNoteSendsAnInternalComment) {
  GrpcTicketGateway gateway = Gateway();
  ASSERT_TRUE(gateway.AddNote(7, "Escalated to level 2", "esc-n-1").ok());
  const std::vector<ticketpb::AddCommentRequest> comments = service_.comments();
  ASSERT_EQ(comments.size(), 1u);
  EXPECT_EQ(comments[0].ticket_id(), 7);
  EXPECT_EQ(comments[0].visibility(), ticketpb::VISIBILITY_INTERNAL);
  EXPECT_EQ(comments[0].body(), "Escalated to level 2");
  EXPECT_EQ(comments[0].request_id(), "esc-n-1");
  EXPECT_EQ(service_.seen().at(0).authorization, kBearer);
  EXPECT_EQ(gateway.AddNote(404, "x", "esc-n-2").code(), StatusCode::kNotFound);
}

TEST_F(GrpcTicketGatewayTest, GetTicketReturnsTheRouteFieldsAsWords) {
  service_.Put(MakeTicket(7, ticketpb::PRIORITY_HIGH));
  absl::StatusOr<TicketToRoute> route = Gateway().GetTicket(7);
  ASSERT_TRUE(route.ok()) << route.status();
  EXPECT_EQ(route->id, 7);
  EXPECT_EQ(route->kind, "complaint");
  EXPECT_EQ(route->cx_level, "emotion");
  EXPECT_EQ(route->priority, "high");
  EXPECT_EQ(route->channel, "email");
  EXPECT_EQ(route->tags, (std::vector<std::string>{"hardware", "vip"}));
  EXPECT_EQ(route->subject, "Printer on fire");
  EXPECT_EQ(route->description, "It smokes since the update.");
  EXPECT_EQ(route->customer_email, "ada@example.com");
  EXPECT_EQ(Gateway().GetTicket(99).status().code(), StatusCode::kNotFound);
}

TEST(GrpcTicketGatewayDownTest, DownServiceIsUnavailable) {
  GrpcTicketGateway gateway(ticketpb::TicketService::NewStub(ChannelTo(
                                absl::StrCat("127.0.0.1:", ClosedPort()))),
                            [] { return std::string(kToken); });
  EXPECT_EQ(gateway.Assign(7, "ann", "", false, "esc-a-1").code(),
            StatusCode::kUnavailable);
}

// ---- conversions ----

TEST(ConversionTest, TicketEventFieldByField) {
  ticketpb::TicketEvent e;
  e.set_cursor("c-42");
  e.set_id(42);
  e.set_ticket_id(7);
  e.set_ticket_version(5);
  e.set_type(ticketpb::EVENT_TYPE_ASSIGNED);
  common::ToProtoTimestamp(absl::FromUnixSeconds(1'767'225'600),
                           e.mutable_create_time());
  *e.mutable_after() = MakeTicket(7, ticketpb::PRIORITY_URGENT);
  e.mutable_after()->clear_description();  // Snapshots have none.
  e.mutable_after()->set_status(ticketpb::STATUS_ON_HOLD);

  const TicketEventIn in = ToTicketEventIn(e);

  EXPECT_EQ(in.id, 42);
  EXPECT_EQ(in.cursor, "c-42");
  EXPECT_EQ(in.ticket_id, 7);
  EXPECT_EQ(in.type, "assigned");
  EXPECT_EQ(in.at, absl::FromUnixSeconds(1'767'225'600));
  EXPECT_EQ(in.after.id, 7);
  EXPECT_EQ(in.after.version, 5);
  EXPECT_EQ(in.after.status, "on_hold");
  EXPECT_EQ(in.after.route.id, 7);
  EXPECT_EQ(in.after.route.kind, "complaint");
  EXPECT_EQ(in.after.route.cx_level, "emotion");
  EXPECT_EQ(in.after.route.priority, "urgent");
  EXPECT_EQ(in.after.route.channel, "email");
  EXPECT_EQ(in.after.route.tags, (std::vector<std::string>{"hardware", "vip"}));
  EXPECT_EQ(in.after.route.subject, "Printer on fire");
  EXPECT_EQ(in.after.route.description, "");
  EXPECT_EQ(in.after.route.customer_email, "ada@example.com");
  EXPECT_EQ(in.after.team, "care");
  EXPECT_EQ(in.after.assignee, "ann");
  EXPECT_EQ(in.after.pending_assignee, "");
  EXPECT_FALSE(in.after.routed);
}

TEST(ConversionTest, EveryTicketEventTypeHasItsWord) {
  const std::vector<std::pair<ticketpb::EventType, std::string>> cases = {
      {ticketpb::EVENT_TYPE_CREATED, "created"},
      {ticketpb::EVENT_TYPE_UPDATED, "updated"},
      {ticketpb::EVENT_TYPE_COMMENT_ADDED, "comment_added"},
      {ticketpb::EVENT_TYPE_ASSIGNED, "assigned"},
      {ticketpb::EVENT_TYPE_STATUS_CHANGED, "status_changed"},
      {ticketpb::EVENT_TYPE_RATED, "rated"},
      {ticketpb::EVENT_TYPE_UNSPECIFIED, ""},
  };
  for (const auto& [type, word] : cases) {
    ticketpb::TicketEvent e;
    e.set_type(type);
    EXPECT_EQ(ToTicketEventIn(e).type, word) << type;
  }
}

slapb::SlaEvent MakeSlaEvent() {
  slapb::SlaEvent e;
  e.set_cursor("s-9");
  e.set_id(9);
  e.set_ticket_id(7);
  e.set_kind(slapb::SLA_EVENT_KIND_BREACHED);
  e.set_metric(slapb::METRIC_FIRST_RESPONSE);
  e.set_cycle(2);
  common::ToProtoTimestamp(absl::FromUnixSeconds(1'767'229'200),
                           e.mutable_occur_time());
  common::ToProtoTimestamp(absl::FromUnixSeconds(1'767'229'201),
                           e.mutable_record_time());
  common::ToProtoTimestamp(absl::FromUnixSeconds(1'767'229'200),
                           e.mutable_deadline());
  e.set_team("care");
  e.set_assignee("ann");
  e.set_priority(ticketpb::PRIORITY_HIGH);
  return e;
}

TEST(ConversionTest, SlaEventFieldByField) {
  const SlaEventIn in = ToSlaEventIn(MakeSlaEvent());
  EXPECT_EQ(in.id, 9);
  EXPECT_EQ(in.cursor, "s-9");
  EXPECT_EQ(in.ticket_id, 7);
  EXPECT_EQ(in.kind, "breached");
  EXPECT_EQ(in.metric, "first_response");
  EXPECT_EQ(in.cycle, 2);
  EXPECT_EQ(in.occur_time, absl::FromUnixSeconds(1'767'229'200));
  ASSERT_TRUE(in.deadline.has_value());
  EXPECT_EQ(*in.deadline, absl::FromUnixSeconds(1'767'229'200));
  EXPECT_EQ(in.team, "care");
  EXPECT_EQ(in.assignee, "ann");
  EXPECT_EQ(in.priority, "high");
}

TEST(ConversionTest, PausedSlaEventHasNoDeadline) {
  slapb::SlaEvent e = MakeSlaEvent();
  e.set_kind(slapb::SLA_EVENT_KIND_PAUSED);
  e.set_metric(slapb::METRIC_PERIODIC_UPDATE);
  e.clear_deadline();
  const SlaEventIn in = ToSlaEventIn(e);
  EXPECT_EQ(in.kind, "paused");
  EXPECT_EQ(in.metric, "periodic_update");
  EXPECT_FALSE(in.deadline.has_value());
}

TEST(ConversionTest, EverySlaKindAndMetricHasItsWord) {
  const std::vector<std::pair<slapb::SlaEventKind, std::string>> kinds = {
      {slapb::SLA_EVENT_KIND_STARTED, "started"},
      {slapb::SLA_EVENT_KIND_PAUSED, "paused"},
      {slapb::SLA_EVENT_KIND_RESUMED, "resumed"},
      {slapb::SLA_EVENT_KIND_MET, "met"},
      {slapb::SLA_EVENT_KIND_CANCELLED, "cancelled"},
      {slapb::SLA_EVENT_KIND_RETARGETED, "retargeted"},
      {slapb::SLA_EVENT_KIND_WARNED, "warned"},
      {slapb::SLA_EVENT_KIND_BREACHED, "breached"},
      {slapb::SLA_EVENT_KIND_UNSPECIFIED, ""},
  };
  for (const auto& [kind, word] : kinds) {
    slapb::SlaEvent e;
    e.set_kind(kind);
    EXPECT_EQ(ToSlaEventIn(e).kind, word) << kind;
  }
  const std::vector<std::pair<slapb::Metric, std::string>> metrics = {
      {slapb::METRIC_FIRST_RESPONSE, "first_response"},
      {slapb::METRIC_NEXT_RESPONSE, "next_response"},
      {slapb::METRIC_PERIODIC_UPDATE, "periodic_update"},
      {slapb::METRIC_RESOLUTION, "resolution"},
      {slapb::METRIC_UNSPECIFIED, ""},
  };
  for (const auto& [metric, word] : metrics) {
    slapb::SlaEvent e;
    e.set_metric(metric);
    EXPECT_EQ(ToSlaEventIn(e).metric, word) << metric;
  }
}

// ---- the ticket event stream ----

ticketpb::TicketEvent MakeTicketEvent(int64_t id) {
  ticketpb::TicketEvent e;
  e.set_id(id);
  e.set_cursor(absl::StrCat("c-", id));
  e.set_ticket_id(7);
  e.set_ticket_version(id);
  e.set_type(ticketpb::EVENT_TYPE_UPDATED);
  *e.mutable_after() = MakeTicket(7, ticketpb::PRIORITY_NORMAL);
  return e;
}

// Collects what a Follow delivers, from the thread that follows.
class Collected {
 public:
  void Add(std::string cursor) {
    absl::MutexLock lock(&mu_);
    cursors_.push_back(std::move(cursor));
  }
  // Waits (at most 10 s) until `n` events arrived.
  bool AwaitCount(size_t n) {
    absl::MutexLock lock(&mu_);
    awaited_ = n;
    return mu_.AwaitWithTimeout(absl::Condition(this, &Collected::Reached),
                                absl::Seconds(10));
  }
  std::vector<std::string> cursors() {
    absl::MutexLock lock(&mu_);
    return cursors_;
  }

 private:
  bool Reached() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return cursors_.size() >= awaited_;
  }

  absl::Mutex mu_;
  std::vector<std::string> cursors_ ABSL_GUARDED_BY(mu_);
  size_t awaited_ ABSL_GUARDED_BY(mu_) = 0;
};

class GrpcTicketEventSourceTest
    : public InProcessServerTest<FakeTicketService> {
 protected:
  std::unique_ptr<GrpcTicketEventSource> Source() {
    return std::make_unique<GrpcTicketEventSource>(
        ticketpb::TicketService::NewStub(ChannelTo(target_)),
        [] { return std::string(kToken); });
  }
};

TEST_F(GrpcTicketEventSourceTest, FollowsUntilCancelled) {
  service_.SetEvents(
      {MakeTicketEvent(1), MakeTicketEvent(2), MakeTicketEvent(3)});
  std::unique_ptr<GrpcTicketEventSource> source = Source();
  Collected collected;
  absl::Status status;
  std::thread follower([&] {
    status = source->Follow("c-0", [&](const TicketEventIn& e) {
      collected.Add(e.cursor);
      return true;
    });
  });
  ASSERT_TRUE(collected.AwaitCount(3));
  source->Cancel();
  follower.join();

  EXPECT_EQ(status.code(), StatusCode::kCancelled) << status;
  EXPECT_EQ(collected.cursors(),
            (std::vector<std::string>{"c-1", "c-2", "c-3"}));
  EXPECT_EQ(service_.watch_cursor(), "c-0");
  EXPECT_EQ(service_.seen().at(0).authorization, kBearer);
  // No deadline on a stream that is followed for as long as it lives.
  EXPECT_EQ(service_.seen().at(0).deadline, "none");

  // Cancelled until Reset: a later Follow returns at once.
  EXPECT_EQ(
      source->Follow("", [](const TicketEventIn&) { return true; }).code(),
      StatusCode::kCancelled);
  source->Reset();
  int seen = 0;
  EXPECT_TRUE(source
                  ->Follow("",
                           [&](const TicketEventIn&) {
                             ++seen;
                             return seen < 2;
                           })
                  .ok());
  EXPECT_EQ(seen, 2);
}

TEST_F(GrpcTicketEventSourceTest, AStreamThatEndsIsUnavailable) {
  EXPECT_EQ(
      Source()->Follow("end", [](const TicketEventIn&) { return true; }).code(),
      StatusCode::kUnavailable);
}

TEST(GrpcTicketEventSourceDownTest, DownServiceIsUnavailable) {
  GrpcTicketEventSource source(ticketpb::TicketService::NewStub(ChannelTo(
                                   absl::StrCat("127.0.0.1:", ClosedPort()))),
                               [] { return std::string(kToken); });
  EXPECT_EQ(source.Follow("", [](const TicketEventIn&) { return true; }).code(),
            StatusCode::kUnavailable);
}

// ---- the SLA service ----

// GetCalendar answers "office" (Berlin, Mon-Fri 09:00-17:00, a holiday on
// 2026-01-06) and NOT_FOUND for anything else; WatchSlaEvents serves its
// events.
class FakeSlaService final : public slapb::SlaService::Service {
 public:
  grpc::Status GetCalendar(grpc::ServerContext* context,
                           const slapb::GetCalendarRequest* request,
                           slapb::Calendar* response) override {
    absl::MutexLock lock(&mu_);
    ++calendar_calls_;
    seen_.push_back(
        {MetadataValue(*context, "authorization"), DeadlineOf(*context)});
    if (request->calendar_id() != "office") {
      return grpc::Status(grpc::StatusCode::NOT_FOUND, "no such calendar");
    }
    response->set_calendar_id("office");
    response->set_time_zone("Europe/Berlin");
    for (int d = slapb::WEEKDAY_MONDAY; d <= slapb::WEEKDAY_FRIDAY; ++d) {
      slapb::BusinessHours* h = response->add_hours();
      h->set_weekday(static_cast<slapb::Weekday>(d));
      h->set_start("09:00");
      h->set_end("17:00");
    }
    slapb::Holiday* holiday = response->add_holidays();
    holiday->set_date("2026-01-06");
    holiday->set_title("Epiphany");
    return grpc::Status::OK;
  }

  grpc::Status WatchSlaEvents(
      grpc::ServerContext* context, const slapb::WatchSlaEventsRequest* request,
      grpc::ServerWriter<slapb::SlaEvent>* writer) override {
    std::vector<slapb::SlaEvent> events;
    {
      absl::MutexLock lock(&mu_);
      watch_cursor_ = request->after_cursor();
      seen_.push_back(
          {MetadataValue(*context, "authorization"), DeadlineOf(*context)});
      events = events_;
    }
    return ServeStream(context, request->after_cursor(), events, writer);
  }

  void SetEvents(std::vector<slapb::SlaEvent> events) {
    absl::MutexLock lock(&mu_);
    events_ = std::move(events);
  }
  int calendar_calls() {
    absl::MutexLock lock(&mu_);
    return calendar_calls_;
  }
  std::vector<Seen> seen() {
    absl::MutexLock lock(&mu_);
    return seen_;
  }
  std::string watch_cursor() {
    absl::MutexLock lock(&mu_);
    return watch_cursor_;
  }

 private:
  absl::Mutex mu_;
  int calendar_calls_ ABSL_GUARDED_BY(mu_) = 0;
  std::vector<Seen> seen_ ABSL_GUARDED_BY(mu_);
  std::vector<slapb::SlaEvent> events_ ABSL_GUARDED_BY(mu_);
  std::string watch_cursor_ ABSL_GUARDED_BY(mu_);
};

class GrpcSlaEventSourceTest : public InProcessServerTest<FakeSlaService> {};

TEST_F(GrpcSlaEventSourceTest, DeliversConvertedEventsUntilTheCallerStops) {
  slapb::SlaEvent second = MakeSlaEvent();
  second.set_id(10);
  second.set_cursor("s-10");
  service_.SetEvents({MakeSlaEvent(), second, MakeSlaEvent()});
  GrpcSlaEventSource source(slapb::SlaService::NewStub(ChannelTo(target_)),
                            [] { return std::string(kToken); });
  std::vector<SlaEventIn> events;
  const absl::Status status = source.Follow("s-8", [&](const SlaEventIn& e) {
    events.push_back(e);
    return events.size() < 2;
  });
  ASSERT_TRUE(status.ok()) << status;
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].cursor, "s-9");
  EXPECT_EQ(events[0].kind, "breached");
  EXPECT_EQ(events[1].id, 10);
  EXPECT_EQ(service_.watch_cursor(), "s-8");
  EXPECT_EQ(service_.seen().at(0).authorization, kBearer);
}

TEST_F(GrpcSlaEventSourceTest, FollowsUntilCancelled) {
  service_.SetEvents({MakeSlaEvent(), MakeSlaEvent(), MakeSlaEvent()});
  GrpcSlaEventSource source(slapb::SlaService::NewStub(ChannelTo(target_)),
                            [] { return std::string(kToken); });
  Collected collected;
  absl::Status status;
  std::thread follower([&] {
    status = source.Follow("", [&](const SlaEventIn& e) {
      collected.Add(e.cursor);
      return true;
    });
  });
  ASSERT_TRUE(collected.AwaitCount(3));
  source.Cancel();
  follower.join();
  EXPECT_EQ(status.code(), StatusCode::kCancelled) << status;
  EXPECT_EQ(collected.cursors().size(), 3u);
}

// ---- shift calendars ----

class GrpcShiftCalendarsTest : public InProcessServerTest<FakeSlaService> {
 protected:
  std::unique_ptr<GrpcShiftCalendars> Calendars(const std::string& target) {
    return std::make_unique<GrpcShiftCalendars>(
        slapb::SlaService::NewStub(ChannelTo(target)),
        [] { return std::string(kToken); }, clock_,
        GrpcShiftCalendars::Options{});
  }

  static absl::Time Utc(int y, int m, int d, int hh, int mm) {
    return absl::FromCivil(absl::CivilMinute(y, m, d, hh, mm),
                           absl::UTCTimeZone());
  }

  common::FakeClock clock_;
};

TEST_F(GrpcShiftCalendarsTest, InsideHoursIsOnShiftOutsideIsNot) {
  std::unique_ptr<GrpcShiftCalendars> calendars = Calendars(target_);
  calendars->Warm({"office"});
  // Monday 2026-01-05; Berlin is UTC+1 in winter.
  EXPECT_TRUE(calendars->InShift("office", Utc(2026, 1, 5, 8, 30)));
  EXPECT_TRUE(calendars->InShift("office", Utc(2026, 1, 5, 15, 59)));
  EXPECT_FALSE(calendars->InShift("office", Utc(2026, 1, 5, 7, 59)));
  EXPECT_FALSE(calendars->InShift("office", Utc(2026, 1, 5, 16, 0)));
  // Saturday, and the Tuesday holiday.
  EXPECT_FALSE(calendars->InShift("office", Utc(2026, 1, 3, 10, 0)));
  EXPECT_FALSE(calendars->InShift("office", Utc(2026, 1, 6, 10, 0)));
  EXPECT_TRUE(calendars->InShift("office", Utc(2026, 1, 7, 10, 0)));

  const std::vector<Seen> seen = service_.seen();
  ASSERT_FALSE(seen.empty());
  EXPECT_EQ(seen[0].authorization, kBearer);
  EXPECT_NE(seen[0].deadline, "none");
}

// InShift answers from memory only (the engine asks it with rows locked):
// a calendar never warmed is on shift, and nothing is called.
TEST_F(GrpcShiftCalendarsTest, InShiftNeverCallsTheService) {
  std::unique_ptr<GrpcShiftCalendars> calendars = Calendars(target_);
  // A Saturday: off shift, were the calendar read.
  EXPECT_TRUE(calendars->InShift("office", Utc(2026, 1, 3, 10, 0)));
  EXPECT_EQ(service_.calendar_calls(), 0);
  calendars->Warm({"office"});
  EXPECT_EQ(service_.calendar_calls(), 1);
  EXPECT_FALSE(calendars->InShift("office", Utc(2026, 1, 3, 10, 0)));
  // Stale after its 30 s, it is still the answer until warmed again.
  clock_.Advance(absl::Seconds(31));
  EXPECT_FALSE(calendars->InShift("office", Utc(2026, 1, 3, 10, 0)));
  EXPECT_EQ(service_.calendar_calls(), 1);
}

TEST_F(GrpcShiftCalendarsTest, CachesACalendarForThirtySeconds) {
  std::unique_ptr<GrpcShiftCalendars> calendars = Calendars(target_);
  calendars->Warm({"office"});
  EXPECT_TRUE(calendars->InShift("office", Utc(2026, 1, 5, 10, 0)));
  EXPECT_FALSE(calendars->InShift("office", Utc(2026, 1, 5, 20, 0)));
  EXPECT_EQ(service_.calendar_calls(), 1);
  clock_.Advance(absl::Seconds(29));
  calendars->Warm({"office"});
  EXPECT_EQ(service_.calendar_calls(), 1);
  clock_.Advance(absl::Seconds(2));
  calendars->Warm({"office"});
  EXPECT_TRUE(calendars->InShift("office", Utc(2026, 1, 5, 10, 0)));
  EXPECT_EQ(service_.calendar_calls(), 2);
}

TEST_F(GrpcShiftCalendarsTest, UnknownCalendarIsOnShift) {
  std::unique_ptr<GrpcShiftCalendars> calendars = Calendars(target_);
  calendars->Warm({"nowhere"});
  EXPECT_TRUE(calendars->InShift("nowhere", Utc(2026, 1, 3, 3, 0)));
  calendars->Warm({"nowhere"});
  EXPECT_TRUE(calendars->InShift("nowhere", Utc(2026, 1, 3, 4, 0)));
  // The failure is remembered for a while rather than asked again.
  EXPECT_EQ(service_.calendar_calls(), 1);
}

TEST_F(GrpcShiftCalendarsTest, LogsFailuresAtMostEveryThirtySeconds) {
  std::unique_ptr<GrpcShiftCalendars> calendars = Calendars(target_);
  const absl::Time at = Utc(2026, 1, 3, 3, 0);
  ::testing::internal::CaptureStderr();
  calendars->Warm({"gone-1", "gone-2"});
  EXPECT_TRUE(calendars->InShift("gone-1", at));
  EXPECT_TRUE(calendars->InShift("gone-2", at));
  clock_.Advance(absl::Seconds(10));
  calendars->Warm({"gone-1"});  // Asked again: failed again.
  std::string log = ::testing::internal::GetCapturedStderr();
  EXPECT_NE(log.find("\"gone-1\""), std::string::npos) << log;
  EXPECT_EQ(log.find("\"gone-2\""), std::string::npos) << log;
  EXPECT_EQ(service_.calendar_calls(), 3);

  clock_.Advance(absl::Seconds(21));
  ::testing::internal::CaptureStderr();
  calendars->Warm({"gone-2"});
  log = ::testing::internal::GetCapturedStderr();
  EXPECT_NE(log.find("\"gone-2\""), std::string::npos) << log;
  EXPECT_NE(log.find("2 similar failures not logged"), std::string::npos)
      << log;
}

TEST_F(GrpcShiftCalendarsTest, DownServiceIsOnShift) {
  std::unique_ptr<GrpcShiftCalendars> calendars =
      Calendars(absl::StrCat("127.0.0.1:", ClosedPort()));
  calendars->Warm({"office"});
  // A Saturday night: off shift, were the calendar readable.
  EXPECT_TRUE(calendars->InShift("office", Utc(2026, 1, 3, 23, 0)));
}

TEST(ShiftCalendarFromProtoTest, RejectsABadTime) {
  slapb::Calendar proto;
  proto.set_calendar_id("office");
  proto.set_time_zone("UTC");
  slapb::BusinessHours* h = proto.add_hours();
  h->set_weekday(slapb::WEEKDAY_MONDAY);
  h->set_start("9am");
  h->set_end("17:00");
  EXPECT_EQ(ShiftCalendarFromProto(proto).status().code(),
            StatusCode::kInvalidArgument);
  h->set_start("09:00");
  EXPECT_TRUE(ShiftCalendarFromProto(proto).ok());
}

}  // namespace
}  // namespace cxdesk::escalation
