#ifndef CXDESK_SERVICES_ESCALATION_TESTING_FAKE_HTTP_POSTER_H_
#define CXDESK_SERVICES_ESCALATION_TESTING_FAKE_HTTP_POSTER_H_

#include <deque>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "services/escalation/http_poster.h"

namespace cxdesk::escalation {

// An HttpPoster for unit tests: records every request and answers with the
// answers it was given, in order, then 200. Thread-safe.
class FakeHttpPoster final : public HttpPoster {
 public:
  // Queues the answer to a later POST: a status code or an error.
  void Answer(absl::StatusOr<int> answer) {
    absl::MutexLock lock(&mu_);
    answers_.push_back(std::move(answer));
  }
  // The requests so far, oldest first.
  std::vector<HttpRequest> requests() const {
    absl::MutexLock lock(&mu_);
    return requests_;
  }

  absl::StatusOr<int> Post(const HttpRequest& request) override {
    absl::MutexLock lock(&mu_);
    requests_.push_back(request);
    if (answers_.empty()) return 200;
    absl::StatusOr<int> answer = answers_.front();
    answers_.pop_front();
    return answer;
  }

 private:
  mutable absl::Mutex mu_;
  std::deque<absl::StatusOr<int>> answers_ ABSL_GUARDED_BY(mu_);
  std::vector<HttpRequest> requests_ ABSL_GUARDED_BY(mu_);
};

}  // namespace cxdesk::escalation

#endif  // CXDESK_SERVICES_ESCALATION_TESTING_FAKE_HTTP_POSTER_H_
