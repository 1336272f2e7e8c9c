#ifndef CXDESK_SERVICES_TICKET_TESTING_FAKE_TICKET_STORE_H_
#define CXDESK_SERVICES_TICKET_TESTING_FAKE_TICKET_STORE_H_

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "services/ticket/ticket_store.h"

namespace cxdesk::ticket {

// An in-memory TicketStore for manager unit tests. Implements the contract
// of TicketStore (versions, events, request ids) without SQL; ListTickets
// filters only by status and assignee. Thread-safe.
class FakeTicketStore final : public TicketStore {
 public:
  absl::StatusOr<CreateResult> CreateTicket(const Ticket& ticket,
                                            const std::string& request_id,
                                            const Actor& actor) override {
    absl::MutexLock lock(&mu_);
    if (!request_id.empty()) {
      auto it = create_requests_.find(request_id);
      if (it != create_requests_.end()) {
        return CreateResult{tickets_.at(it->second), true};
      }
    }
    Ticket t = ticket;
    t.id = static_cast<int64_t>(tickets_.size()) + 1;
    t.version = 1;
    auto customer = customers_.find(t.customer.email);
    if (customer == customers_.end()) {
      customer = customers_.emplace(t.customer.email, t.customer).first;
      customer->second.id = static_cast<int64_t>(customers_.size());
    }
    t.customer = customer->second;
    tickets_[t.id] = t;
    if (!request_id.empty()) create_requests_[request_id] = t.id;
    AppendEvent(t, EventType::kCreated, actor, "", std::nullopt, std::nullopt);
    return CreateResult{t, false};
  }

  absl::StatusOr<Ticket> GetTicket(int64_t id) override {
    absl::MutexLock lock(&mu_);
    auto it = tickets_.find(id);
    if (it == tickets_.end()) return NotFound(id);
    return it->second;
  }

  absl::StatusOr<std::vector<Ticket>> ListTickets(const TicketQuery& query,
                                                  int64_t offset,
                                                  int limit) override {
    absl::MutexLock lock(&mu_);
    std::vector<Ticket> out;
    for (auto it = tickets_.rbegin(); it != tickets_.rend(); ++it) {
      const Ticket& t = it->second;
      if (!query.statuses.empty() &&
          std::find(query.statuses.begin(), query.statuses.end(), t.status) ==
              query.statuses.end()) {
        continue;
      }
      if (!query.assignee.empty() && t.assignee != query.assignee) continue;
      out.push_back(t);
    }
    out.erase(out.begin(), out.begin() + std::min<int64_t>(offset, out.size()));
    if (static_cast<int>(out.size()) > limit) out.resize(limit);
    return out;
  }

  absl::StatusOr<MutationResult> MutateTicket(
      int64_t id, const std::string& request_id,
      const DecideChange& decide) override {
    absl::MutexLock lock(&mu_);
    auto it = tickets_.find(id);
    if (it == tickets_.end()) return NotFound(id);
    MutationResult result;
    if (!request_id.empty()) {
      auto used = mutate_requests_.find(request_id);
      if (used != mutate_requests_.end()) {
        result.ticket = it->second;
        if (used->second) result.comment = comments_.at(*used->second - 1);
        result.replayed = true;
        return result;
      }
    }
    absl::StatusOr<std::optional<TicketChange>> change = decide(it->second);
    if (!change.ok()) return change.status();
    if (!change->has_value()) {
      result.ticket = it->second;
      return result;
    }
    TicketChange& c = **change;
    Ticket before = it->second;
    Ticket after = c.after;
    after.version = before.version + 1;
    after.update_time = c.time;
    if (c.comment) {
      c.comment->id = static_cast<int64_t>(comments_.size()) + 1;
      c.comment->ticket_id = id;
      c.comment->create_time = c.time;
      comments_.push_back(*c.comment);
    }
    it->second = after;
    if (!request_id.empty()) {
      mutate_requests_[request_id] =
          c.comment ? std::optional<int64_t>(c.comment->id) : std::nullopt;
    }
    AppendEvent(after, c.type, c.actor, c.reason, before, c.comment);
    result.ticket = after;
    result.comment = c.comment;
    result.changed = true;
    return result;
  }

  absl::StatusOr<std::vector<Comment>> ListComments(int64_t ticket_id,
                                                    bool include_internal,
                                                    int64_t after_id,
                                                    int limit) override {
    absl::MutexLock lock(&mu_);
    if (!tickets_.count(ticket_id)) return NotFound(ticket_id);
    std::vector<Comment> out;
    for (const Comment& c : comments_) {
      if (c.ticket_id != ticket_id || c.id <= after_id) continue;
      if (!include_internal && c.visibility != Visibility::kPublic) continue;
      if (static_cast<int>(out.size()) == limit) break;
      out.push_back(c);
    }
    return out;
  }

  absl::StatusOr<std::vector<TicketEvent>> ListTicketEvents(
      int64_t ticket_id, int64_t after_version, int limit) override {
    absl::MutexLock lock(&mu_);
    if (!tickets_.count(ticket_id)) return NotFound(ticket_id);
    std::vector<TicketEvent> out;
    for (const TicketEvent& e : events_) {
      if (e.ticket_id != ticket_id || e.ticket_version <= after_version)
        continue;
      if (static_cast<int>(out.size()) == limit) break;
      out.push_back(e);
    }
    return out;
  }

  absl::StatusOr<common::EventBatch<TicketEvent>> ReadEvents(
      const common::EventCursor& after, int limit) override {
    absl::MutexLock lock(&mu_);
    common::EventBatch<TicketEvent> batch;
    for (const TicketEvent& e : events_) {
      if (e.id <= after.id) continue;
      if (static_cast<int>(batch.events.size()) == limit) break;
      batch.events.push_back(e);
    }
    return batch;
  }

  absl::StatusOr<common::EventCursor> LatestEventCursor() override {
    absl::MutexLock lock(&mu_);
    if (events_.empty()) return common::EventCursor{};
    return common::EventCursor{0, events_.back().id};
  }

  // Test access: every event appended so far.
  std::vector<TicketEvent> events() {
    absl::MutexLock lock(&mu_);
    return events_;
  }

 private:
  static absl::Status NotFound(int64_t id) {
    return absl::NotFoundError(absl::StrCat("ticket ", id, " not found"));
  }

  void AppendEvent(const Ticket& after, EventType type, const Actor& actor,
                   const std::string& reason, std::optional<Ticket> before,
                   std::optional<Comment> comment)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    TicketEvent e;
    e.id = static_cast<int64_t>(events_.size()) + 1;
    e.cursor = {static_cast<uint64_t>(e.id), e.id};
    e.ticket_id = after.id;
    e.ticket_version = after.version;
    e.type = type;
    e.actor = actor;
    e.time = after.update_time;
    e.reason = reason;
    e.after = after;
    e.before = std::move(before);
    e.comment = std::move(comment);
    events_.push_back(std::move(e));
  }

  absl::Mutex mu_;
  std::map<int64_t, Ticket> tickets_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, Customer> customers_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, int64_t> create_requests_ ABSL_GUARDED_BY(mu_);
  // Request id -> the id of the comment that request added, if any.
  std::map<std::string, std::optional<int64_t>> mutate_requests_
      ABSL_GUARDED_BY(mu_);
  std::vector<Comment> comments_ ABSL_GUARDED_BY(mu_);
  std::vector<TicketEvent> events_ ABSL_GUARDED_BY(mu_);
};

}  // namespace cxdesk::ticket

#endif  // CXDESK_SERVICES_TICKET_TESTING_FAKE_TICKET_STORE_H_
