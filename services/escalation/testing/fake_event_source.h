#ifndef CXDESK_SERVICES_ESCALATION_TESTING_FAKE_EVENT_SOURCE_H_
#define CXDESK_SERVICES_ESCALATION_TESTING_FAKE_EVENT_SOURCE_H_

#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "services/common/stream_consumer.h"

namespace cxdesk::escalation {

// An EventSource for unit tests: Follow delivers the events it was given
// (all of them, whatever the cursor: the consumer's store skips what it
// applied) and then blocks, as an idle live stream does, until Cancel().
// Records the cursors it was asked to follow after. Thread-safe.
template <typename Event>
class FakeEventSource final : public common::EventSource<Event> {
 public:
  explicit FakeEventSource(std::vector<Event> events)
      : events_(std::move(events)) {}

  // The `after_cursor` of every Follow so far.
  std::vector<std::string> followed() const {
    absl::MutexLock lock(&mu_);
    return followed_;
  }

  absl::Status Follow(
      const std::string& after_cursor,
      const std::function<bool(const Event&)>& on_event) override {
    std::vector<Event> events;
    {
      absl::MutexLock lock(&mu_);
      followed_.push_back(after_cursor);
      if (cancelled_) return absl::CancelledError("cancelled");
      events = events_;
    }
    for (const Event& e : events) {
      if (!on_event(e)) return absl::OkStatus();
    }
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(&cancelled_));
    return absl::CancelledError("cancelled");
  }
  void Cancel() override {
    absl::MutexLock lock(&mu_);
    cancelled_ = true;
  }
  void Reset() override {
    absl::MutexLock lock(&mu_);
    cancelled_ = false;
  }

 private:
  const std::vector<Event> events_;
  mutable absl::Mutex mu_;
  bool cancelled_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::string> followed_ ABSL_GUARDED_BY(mu_);
};

}  // namespace cxdesk::escalation

#endif  // CXDESK_SERVICES_ESCALATION_TESTING_FAKE_EVENT_SOURCE_H_
