#ifndef CXDESK_SERVICES_COMMON_REVISION_CACHE_H_
#define CXDESK_SERVICES_COMMON_REVISION_CACHE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"

namespace cxdesk::common {

// A service's whole configuration (the SLA calendars and policies, the
// escalation directory), loaded at once and kept until the store's
// configuration revision moves past it. `Config` has an int64_t `revision`:
// the revision it was loaded at. Thread-safe; readers share one immutable
// snapshot.
template <typename Config>
class RevisionCache {
 public:
  using Load = std::function<absl::StatusOr<Config>()>;
  explicit RevisionCache(Load load) : load_(std::move(load)) {}

  // The configuration at `revision` or later: the cached one, or a fresh
  // load (the load's error as it is).
  absl::StatusOr<std::shared_ptr<const Config>> AtLeast(int64_t revision) {
    {
      absl::MutexLock lock(&mu_);
      if (config_ != nullptr && config_->revision >= revision) return config_;
    }
    // Loaded outside the lock: a slow load must not block readers of a
    // revision that is already cached.
    absl::StatusOr<Config> loaded = load_();
    if (!loaded.ok()) return loaded.status();
    auto fresh = std::make_shared<const Config>(*std::move(loaded));
    absl::MutexLock lock(&mu_);
    // Two loads may race: the newer revision wins.
    if (config_ == nullptr || config_->revision < fresh->revision) {
      config_ = std::move(fresh);
    }
    return config_;
  }

 private:
  const Load load_;
  absl::Mutex mu_;
  std::shared_ptr<const Config> config_ ABSL_GUARDED_BY(mu_);
};

}  // namespace cxdesk::common

#endif  // CXDESK_SERVICES_COMMON_REVISION_CACHE_H_
