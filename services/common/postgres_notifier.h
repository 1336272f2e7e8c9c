#ifndef CXDESK_SERVICES_COMMON_POSTGRES_NOTIFIER_H_
#define CXDESK_SERVICES_COMMON_POSTGRES_NOTIFIER_H_

#include <cstdint>
#include <string>
#include <thread>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/common/change_signal.h"

namespace cxdesk::common {

// Wakes waiters when a PostgreSQL NOTIFY arrives on one channel. One
// dedicated connection LISTENs in a background thread and reconnects (with a
// pause) when it breaks; every (re)connect also counts as a change so that
// waiters re-read what they may have missed. Thread-safe.
class PgNotifier final : public ChangeSignal {
 public:
  PgNotifier(std::string url, std::string channel);
  ~PgNotifier() override;  // Stops the thread.
  PgNotifier(const PgNotifier&) = delete;
  PgNotifier& operator=(const PgNotifier&) = delete;

  // Starts listening in the background.
  void Start();
  // Stops listening and wakes every waiter for good.
  void Stop();

  // ChangeSignal: the generation grows with every notification.
  uint64_t generation() const override { return changes_.generation(); }
  uint64_t WaitForChange(uint64_t seen, absl::Duration timeout) const override {
    return changes_.WaitForChange(seen, timeout);
  }
  bool stopped() const override { return changes_.stopped(); }

 private:
  void Run();

  const std::string url_;
  const std::string channel_;
  ChangeCounter changes_;
  std::thread thread_;
};

// Sends `NOTIFY <channel>` after writers commit, from a dedicated connection
// and thread, coalescing bursts: at most one NOTIFY is in flight, and
// Publish() calls made meanwhile cause exactly one more. Writers thus never
// NOTIFY inside their own transactions, where PostgreSQL serialises every
// notifying commit on one lock held through the WAL flush (measured: it
// halved the create rate). If the process dies between a commit and its
// NOTIFY, listeners still find the change at their next poll. Thread-safe.
class PgNotifyPublisher {
 public:
  PgNotifyPublisher(std::string url, std::string channel);
  ~PgNotifyPublisher();  // Stops the thread, sending a pending NOTIFY first.
  PgNotifyPublisher(const PgNotifyPublisher&) = delete;
  PgNotifyPublisher& operator=(const PgNotifyPublisher&) = delete;

  void Start();
  void Stop();
  // Asks for a NOTIFY soon. Never blocks on the database.
  void Publish();
  // How many NOTIFY statements were sent (for tests and metrics).
  uint64_t sent() const;

 private:
  void Run();

  const std::string url_;
  const std::string channel_;
  mutable absl::Mutex mu_;
  bool pending_ ABSL_GUARDED_BY(mu_) = false;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  uint64_t sent_ ABSL_GUARDED_BY(mu_) = 0;
  std::thread thread_;
};

}  // namespace cxdesk::common

#endif  // CXDESK_SERVICES_COMMON_POSTGRES_NOTIFIER_H_
