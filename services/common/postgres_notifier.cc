#include "services/common/postgres_notifier.h"

#include <memory>
#include <pqxx/pqxx>

#include "services/common/log.h"
#include "services/common/postgres_pool.h"

namespace cxdesk::common {
namespace {

class Receiver final : public pqxx::notification_receiver {
 public:
  Receiver(pqxx::connection_base& conn, const std::string& channel,
           std::function<void()> on_notify)
      : pqxx::notification_receiver(conn, channel),
        on_notify_(std::move(on_notify)) {}
  void operator()(const std::string&, int) override { on_notify_(); }

 private:
  std::function<void()> on_notify_;
};

}  // namespace

PgNotifier::PgNotifier(std::string url, std::string channel)
    : url_(std::move(url)), channel_(std::move(channel)) {}

PgNotifier::~PgNotifier() { Stop(); }

void PgNotifier::Start() {
  thread_ = std::thread([this] { Run(); });
}

void PgNotifier::Stop() {
  changes_.Stop();
  if (thread_.joinable()) thread_.join();
}

void PgNotifier::Run() {
  while (!stopped()) {
    auto conn = OpenConnection(url_);
    if (!conn.ok()) {
      absl::SleepFor(absl::Seconds(1));
      continue;
    }
    try {
      Receiver receiver(**conn, channel_, [this] { changes_.Bump(); });
      // Anything may have happened while we were not listening.
      changes_.Bump();
      while (!stopped()) (*conn)->await_notification(0, 200000);
    } catch (const std::exception& e) {
      CXDESK_LOG(Warning) << "listener on " << channel_
                          << " lost: " << e.what();
      absl::SleepFor(absl::Milliseconds(500));
    }
  }
}

PgNotifyPublisher::PgNotifyPublisher(std::string url, std::string channel)
    : url_(std::move(url)), channel_(std::move(channel)) {}

PgNotifyPublisher::~PgNotifyPublisher() { Stop(); }

void PgNotifyPublisher::Start() {
  thread_ = std::thread([this] { Run(); });
}

void PgNotifyPublisher::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stop_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

void PgNotifyPublisher::Publish() {
  absl::MutexLock lock(&mu_);
  pending_ = true;
}

uint64_t PgNotifyPublisher::sent() const {
  absl::MutexLock lock(&mu_);
  return sent_;
}

void PgNotifyPublisher::Run() {
  std::unique_ptr<pqxx::connection> conn;
  while (true) {
    {
      absl::MutexLock lock(&mu_);
      auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return pending_ || stop_;
      };
      mu_.Await(absl::Condition(&ready));
      if (!pending_) return;  // Stopping with nothing left to send.
      pending_ = false;
    }
    bool sent = false;
    while (!sent) {
      if (conn == nullptr) {
        auto opened = OpenConnection(url_);
        if (opened.ok()) conn = *std::move(opened);
      }
      if (conn != nullptr) {
        try {
          pqxx::nontransaction txn(*conn);
          txn.exec_params("SELECT pg_notify($1, '')", channel_);
          sent = true;
        } catch (const std::exception& e) {
          CXDESK_LOG(Warning)
              << "NOTIFY " << channel_ << " failed: " << e.what();
          conn.reset();
        }
      }
      if (!sent) {
        absl::MutexLock lock(&mu_);
        if (stop_) return;
        // Retry after a pause; listeners poll meanwhile.
        mu_.AwaitWithTimeout(absl::Condition(&stop_), absl::Milliseconds(500));
      }
    }
    absl::MutexLock lock(&mu_);
    ++sent_;
  }
}

}  // namespace cxdesk::common
