#ifndef CXDESK_SERVICES_COMMON_POSTGRES_LEASE_H_
#define CXDESK_SERVICES_COMMON_POSTGRES_LEASE_H_

// A session-level PostgreSQL advisory lock held on a connection of its own:
// one holder at a time across processes, released when the holder lets go
// or its connection dies (a killed replica loses it at once). Used to let
// one replica consume a stream while the others stand by.

#include <cstdint>
#include <memory>
#include <pqxx/pqxx>
#include <string>

#include "absl/status/statusor.h"
#include "services/common/stream_consumer.h"

namespace cxdesk::common {

class SessionLock final : public Lease {
 public:
  SessionLock(std::unique_ptr<pqxx::connection> conn, int32_t space,
              int32_t key);
  ~SessionLock() override;  // Unlocks (if the connection still lives).
  SessionLock(const SessionLock&) = delete;
  SessionLock& operator=(const SessionLock&) = delete;

  // Whether the lock is still held: its connection answers.
  bool Alive() override;

 private:
  std::unique_ptr<pqxx::connection> conn_;
  const int32_t space_;
  const int32_t key_;
};

// Takes pg_try_advisory_lock(space, key) on a new connection to `url`:
// the lock, nullptr if another session holds it, or the connection error.
absl::StatusOr<std::unique_ptr<SessionLock>> TryAcquireSessionLock(
    const std::string& url, int32_t space, int32_t key);

}  // namespace cxdesk::common

#endif  // CXDESK_SERVICES_COMMON_POSTGRES_LEASE_H_
