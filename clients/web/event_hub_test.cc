#include "clients/web/event_hub.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"

namespace cxdesk::clients::web {
namespace {

// What one browser was given, in order: "id:type".
class Browser {
 public:
  EventHub::Sink Sink() {
    return [this](const HubEvent& e) {
      absl::MutexLock lock(&mu_);
      seen_.push_back(absl::StrCat(e.id, ":", e.type));
      return open_;
    };
  }
  std::vector<std::string> seen() {
    absl::MutexLock lock(&mu_);
    return seen_;
  }
  void Close() {
    absl::MutexLock lock(&mu_);
    open_ = false;
  }

 private:
  absl::Mutex mu_;
  std::vector<std::string> seen_;
  bool open_ = true;
};

HubEvent Event(const std::string& id) { return HubEvent{id, "ticket", "{}"}; }

using Seen = std::vector<std::string>;

TEST(EventHubTest, EachBrowserGetsItsTicketsEventsOnce) {
  EventHub hub({});
  Browser a, b, other;
  auto sa = hub.Subscribe(7, "", a.Sink());
  auto sb = hub.Subscribe(7, "", b.Sink());
  auto so = hub.Subscribe(8, "", other.Sink());
  hub.Publish(7, Event("1-1"));
  hub.Publish(8, Event("1-2"));
  hub.Publish(7, Event("1-3"));
  EXPECT_EQ(a.seen(), (Seen{"1-1:ticket", "1-3:ticket"}));
  EXPECT_EQ(b.seen(), (Seen{"1-1:ticket", "1-3:ticket"}));
  EXPECT_EQ(other.seen(), (Seen{"1-2:ticket"}));
  EXPECT_EQ(hub.subscribers(), 3u);
}

TEST(EventHubTest, AReconnectWithLastEventIdMissesNothing) {
  EventHub hub({});
  for (int i = 1; i <= 4; ++i) hub.Publish(7, Event(absl::StrCat("1-", i)));
  Browser back;
  auto s = hub.Subscribe(7, "1-2", back.Sink());
  hub.Publish(7, Event("1-5"));
  EXPECT_EQ(back.seen(), (Seen{"1-3:ticket", "1-4:ticket", "1-5:ticket"}));
  // Already up to date: nothing replayed.
  Browser current;
  auto c = hub.Subscribe(7, "1-5", current.Sink());
  EXPECT_TRUE(current.seen().empty());
}

TEST(EventHubTest, WhatIsNoLongerKeptSaysReload) {
  EventHub hub({/*events_per_ticket=*/2, /*tickets=*/10});
  for (int i = 1; i <= 4; ++i) hub.Publish(7, Event(absl::StrCat("1-", i)));
  Browser behind;
  auto s = hub.Subscribe(7, "1-1", behind.Sink());  // Only 1-3, 1-4 kept.
  EXPECT_EQ(behind.seen(), (Seen{":reload"}));
  Browser stranger;  // A ticket the hub never saw.
  auto t = hub.Subscribe(9, "5-5", stranger.Sink());
  EXPECT_EQ(stranger.seen(), (Seen{":reload"}));
}

TEST(EventHubTest, AClosedBrowserIsDroppedAndAnEndedSubscriptionGetsNothing) {
  EventHub hub({});
  Browser gone, ended, stays;
  auto sg = hub.Subscribe(7, "", gone.Sink());
  auto se = hub.Subscribe(7, "", ended.Sink());
  auto ss = hub.Subscribe(7, "", stays.Sink());
  gone.Close();
  hub.Publish(7, Event("1-1"));  // `gone` answers false: dropped.
  EXPECT_EQ(hub.subscribers(), 2u);
  se.reset();
  hub.Publish(7, Event("1-2"));
  EXPECT_EQ(gone.seen(), (Seen{"1-1:ticket"}));
  EXPECT_EQ(ended.seen(), (Seen{"1-1:ticket"}));
  EXPECT_EQ(stays.seen(), (Seen{"1-1:ticket", "1-2:ticket"}));
  EXPECT_EQ(hub.subscribers(), 1u);
}

TEST(EventHubTest, KeepsEventsOfABoundedNumberOfUnwatchedTickets) {
  EventHub hub({/*events_per_ticket=*/4, /*tickets=*/2});
  Browser watcher;
  auto w = hub.Subscribe(1, "", watcher.Sink());  // Watched: never forgotten.
  hub.Publish(1, Event("1-1"));
  hub.Publish(2, Event("1-2"));
  hub.Publish(3, Event("1-3"));  // Forgets ticket 2, the oldest unwatched.
  Browser late2, late1;
  auto s2 = hub.Subscribe(2, "1-2", late2.Sink());
  EXPECT_EQ(late2.seen(), (Seen{":reload"}));
  auto s1 = hub.Subscribe(1, "1-1", late1.Sink());
  EXPECT_TRUE(late1.seen().empty());  // 1-1 kept: nothing after it.
}

TEST(EventHubTest, PublishersOnManyThreadsReachEveryBrowserInOrderPerTicket) {
  EventHub hub({/*events_per_ticket=*/1000, /*tickets=*/10});
  std::vector<Browser> browsers(20);
  std::vector<std::unique_ptr<EventHub::Subscription>> subs;
  for (size_t i = 0; i < browsers.size(); ++i) {
    subs.push_back(hub.Subscribe(i % 2, "", browsers[i].Sink()));
  }
  std::vector<std::thread> publishers;
  for (int ticket = 0; ticket < 2; ++ticket) {
    publishers.emplace_back([&hub, ticket] {
      for (int n = 0; n < 200; ++n) {
        hub.Publish(ticket, Event(absl::StrCat(ticket, "-", n)));
      }
    });
  }
  for (std::thread& t : publishers) t.join();
  for (size_t i = 0; i < browsers.size(); ++i) {
    const Seen seen = browsers[i].seen();
    ASSERT_EQ(seen.size(), 200u) << i;
    for (int n = 0; n < 200; ++n) {
      EXPECT_EQ(seen[n], absl::StrCat(i % 2, "-", n, ":ticket"));
    }
  }
}

}  // namespace
}  // namespace cxdesk::clients::web
