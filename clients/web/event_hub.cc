#include "clients/web/event_hub.h"

#include <algorithm>
#include <utility>

namespace cxdesk::clients::web {

EventHub::Subscription::~Subscription() { hub_->Unsubscribe(ticket_id_, id_); }

EventHub::Ticket& EventHub::Touch(int64_t ticket_id) {
  auto it = tickets_.find(ticket_id);
  if (it != tickets_.end()) {
    ages_.splice(ages_.end(), ages_, it->second.age);
    return it->second;
  }
  if (tickets_.size() >= options_.tickets) {
    // The oldest ticket nobody watches; when everyone is watched, the
    // subscribers bound the memory instead.
    for (auto age = ages_.begin(); age != ages_.end(); ++age) {
      auto old = tickets_.find(*age);
      if (old->second.subscribers.empty()) {
        tickets_.erase(old);
        ages_.erase(age);
        break;
      }
    }
  }
  Ticket& t = tickets_[ticket_id];
  t.age = ages_.insert(ages_.end(), ticket_id);
  return t;
}

std::unique_ptr<EventHub::Subscription> EventHub::Subscribe(
    int64_t ticket_id, const std::string& last_event_id, Sink sink) {
  auto shared = std::make_shared<Sink>(std::move(sink));
  absl::MutexLock delivering(&delivery_mu_);
  std::vector<HubEvent> replay;
  int64_t id = 0;
  {
    absl::MutexLock lock(&mu_);
    Ticket& t = Touch(ticket_id);
    if (!last_event_id.empty()) {
      auto seen = std::find_if(
          t.kept.begin(), t.kept.end(),
          [&](const HubEvent& e) { return e.id == last_event_id; });
      if (seen == t.kept.end()) {
        replay.push_back(HubEvent{"", kReload, "{}"});
      } else {
        replay.assign(std::next(seen), t.kept.end());
      }
    }
    id = next_id_++;
    t.subscribers.push_back(Subscriber{id, shared});
  }
  for (const HubEvent& e : replay) {
    if (!(*shared)(e)) {
      Drop(ticket_id, {id});
      break;
    }
  }
  return std::unique_ptr<Subscription>(new Subscription(this, ticket_id, id));
}

void EventHub::Publish(int64_t ticket_id, HubEvent event) {
  absl::MutexLock delivering(&delivery_mu_);
  std::vector<Subscriber> subscribers;
  {
    absl::MutexLock lock(&mu_);
    Ticket& t = Touch(ticket_id);
    t.kept.push_back(event);
    while (t.kept.size() > options_.events_per_ticket) t.kept.pop_front();
    subscribers = t.subscribers;
  }
  std::vector<int64_t> gone;
  for (const Subscriber& s : subscribers) {
    if (!(*s.sink)(event)) gone.push_back(s.id);
  }
  if (!gone.empty()) Drop(ticket_id, gone);
}

void EventHub::Unsubscribe(int64_t ticket_id, int64_t id) {
  // Waits for a delivery in progress: no sink is called after this returns.
  absl::MutexLock delivering(&delivery_mu_);
  Drop(ticket_id, {id});
}

void EventHub::Drop(int64_t ticket_id, const std::vector<int64_t>& ids) {
  absl::MutexLock lock(&mu_);
  auto it = tickets_.find(ticket_id);
  if (it == tickets_.end()) return;
  std::vector<Subscriber>& subs = it->second.subscribers;
  subs.erase(std::remove_if(subs.begin(), subs.end(),
                            [&](const Subscriber& s) {
                              return std::find(ids.begin(), ids.end(), s.id) !=
                                     ids.end();
                            }),
             subs.end());
}

size_t EventHub::subscribers() const {
  absl::MutexLock lock(&mu_);
  size_t n = 0;
  for (const auto& [id, t] : tickets_) n += t.subscribers.size();
  return n;
}

}  // namespace cxdesk::clients::web
