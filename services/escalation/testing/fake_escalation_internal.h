#ifndef CXDESK_SERVICES_ESCALATION_TESTING_FAKE_ESCALATION_INTERNAL_H_
#define CXDESK_SERVICES_ESCALATION_TESTING_FAKE_ESCALATION_INTERNAL_H_

// Shared by the .cc files of FakeEscalationStore only: the rules every
// table of the fake follows, and its unit of work.

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "services/escalation/escalation_store.h"
#include "services/escalation/testing/fake_escalation_store.h"

namespace cxdesk::escalation::fake_internal {

using State = FakeEscalationStore::State;
using Leases = std::map<int64_t, FakeEscalationStore::OutboxLease>;

// NOT_FOUND "<what> \"<id>\" not found", as the PostgreSQL store says it.
absl::Status NotFound(absl::string_view what, const std::string& id);
// ALREADY_EXISTS, as PgPool maps a unique violation.
absl::Status Duplicate();
// NOT_FOUND unless `found`; ABORTED if `expected` is set and not `stored`.
absl::Status CheckVersion(bool found, int64_t stored,
                          std::optional<int64_t> expected,
                          absl::string_view what, const std::string& id);
// FAILED_PRECONDITION if `r` wants to be the default team and another is.
absl::Status CheckSingleDefault(const State& s, const TeamRecord& r);
// Open tickets of `agents` by LoadOf(); an agent with none is absent.
std::map<std::string, int> LoadsOf(const State& s,
                                   const std::vector<std::string>& agents);
// The tickets waiting in `team`'s queue, with their next deadline.
std::vector<QueuedTicket> QueueOf(const State& s, const std::string& team);
// The rules by position, then id.
std::vector<RuleRecord> RulesInOrder(const State& s);
// True if outbox row `id` is not leased at `now`.
bool Claimable(const Leases& leases, int64_t id, absl::Time now);
// When pending outbox row `id` can be claimed: its next attempt, or its
// lease's end if later.
absl::Time ClaimableAt(const Leases& leases, int64_t id,
                       absl::Time next_attempt);
// A transaction over `s` (a copy the caller keeps or drops).
std::unique_ptr<EscalationTxn> NewTxn(State& s);

// `all` from `offset`, at most `limit` of them.
template <typename T>
std::vector<T> Slice(std::vector<T> all, int offset, int limit) {
  std::vector<T> out;
  for (size_t i = std::max(offset, 0); i < all.size(); ++i) {
    if (static_cast<int>(out.size()) >= limit) break;
    out.push_back(std::move(all[i]));
  }
  return out;
}

}  // namespace cxdesk::escalation::fake_internal

#endif  // CXDESK_SERVICES_ESCALATION_TESTING_FAKE_ESCALATION_INTERNAL_H_
