#ifndef CXDESK_CLIENTS_WEB_EVENT_HUB_H_
#define CXDESK_CLIENTS_WEB_EVENT_HUB_H_

// The gateway's fan-out of live updates: one follower of the services'
// streams (WatchTicketEvents, the SLA stream for the promise) publishes each
// event once, under its ticket; every browser open on that ticket is a
// subscriber and gets it. The hub keeps the last events of each ticket, so a
// browser that reconnects with Last-Event-ID is given what it missed, or, if
// that is no longer kept, told to reload the ticket (never left silently
// behind). Thread-safe; bounded memory.

#include <cstdint>
#include <deque>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace cxdesk::clients::web {

// One live update, as a Server-Sent Event.
struct HubEvent {
  std::string id;    // The stream cursor it came with: the SSE id.
  std::string type;  // The SSE event name, e.g. "ticket" or "promise".
  std::string data;  // One line of JSON.
};

class EventHub {
 public:
  struct Options {
    size_t events_per_ticket = 64;  // Kept for Last-Event-ID.
    size_t tickets = 10000;         // Tickets with kept events, at most.
  };
  // What a subscriber is given: an event, or "reload" when what it missed
  // is no longer kept. Returns false once the subscriber is gone (the
  // browser closed), which ends its subscription. Called without the hub's
  // lock held, from the publishing thread; must not block for long, and
  // must not destroy its own Subscription (return false instead).
  using Sink = std::function<bool(const HubEvent&)>;
  // The event a sink receives when it must reload the ticket.
  static constexpr char kReload[] = "reload";

  explicit EventHub(Options options) : options_(options) {}

  // A subscription; destroying it ends it (the sink is not called after
  // the destructor returns).
  class Subscription {
   public:
    ~Subscription();
    Subscription(const Subscription&) = delete;
    Subscription& operator=(const Subscription&) = delete;

   private:
    friend class EventHub;
    Subscription(EventHub* hub, int64_t ticket_id, int64_t id)
        : hub_(hub), ticket_id_(ticket_id), id_(id) {}
    EventHub* hub_;
    int64_t ticket_id_;
    int64_t id_;
  };

  // Subscribes `sink` to ticket `ticket_id`. With `last_event_id` (a
  // reconnect), first hands it the kept events after that one, in order, or
  // one kReload event when that id is not among the kept events of the
  // ticket; then every event published from now on.
  std::unique_ptr<Subscription> Subscribe(int64_t ticket_id,
                                          const std::string& last_event_id,
                                          Sink sink);

  // Publishes `event` to ticket `ticket_id`'s subscribers and keeps it.
  void Publish(int64_t ticket_id, HubEvent event);

  // Subscribers now, over all tickets (for the metrics and tests).
  size_t subscribers() const;

 private:
  struct Subscriber {
    int64_t id;
    std::shared_ptr<Sink> sink;
  };
  struct Ticket {
    std::deque<HubEvent> kept;
    std::vector<Subscriber> subscribers;
    std::list<int64_t>::iterator age;  // Its place in `ages_`.
  };

  void Unsubscribe(int64_t ticket_id, int64_t id);
  // Ends the subscriptions `ids` of ticket `ticket_id`.
  void Drop(int64_t ticket_id, const std::vector<int64_t>& ids)
      ABSL_LOCKS_EXCLUDED(mu_);
  // The ticket's entry, made the youngest; forgets the oldest ticket without
  // subscribers when there are too many.
  Ticket& Touch(int64_t ticket_id) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const Options options_;
  mutable absl::Mutex mu_;
  std::map<int64_t, Ticket> tickets_ ABSL_GUARDED_BY(mu_);
  std::list<int64_t> ages_ ABSL_GUARDED_BY(mu_);  // Oldest first.
  int64_t next_id_ ABSL_GUARDED_BY(mu_) = 1;
  // Serialises deliveries, so a sink sees its events in publishing order and
  // never after its subscription ended.
  absl::Mutex delivery_mu_;
};

}  // namespace cxdesk::clients::web

#endif  // CXDESK_CLIENTS_WEB_EVENT_HUB_H_
