#ifndef CXDESK_SERVICES_SLA_STATE_CODEC_H_
#define CXDESK_SERVICES_SLA_STATE_CODEC_H_

// The stored form of a ticket's clock state (sla.tickets.state): a
// serialized cxdesk.sla.storage.v1.StoredTicketClocks. Hidden behind this
// interface so the store and the rules see only domain types. Exact to the
// nanosecond; thread-safe.

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/sla/sla_clock.h"

namespace cxdesk::sla {

std::string EncodeClocksState(const TicketClocksState& state);

// DATA_LOSS if `bytes` is not a state this service wrote.
absl::StatusOr<TicketClocksState> DecodeClocksState(absl::string_view bytes);

// A warning as stored in sla.policy_targets.warnings: "minutes_before:30",
// "percent_elapsed:75".
std::string EncodeWarning(const WarningThreshold& warning);
absl::StatusOr<WarningThreshold> DecodeWarning(absl::string_view text);

}  // namespace cxdesk::sla

#endif  // CXDESK_SERVICES_SLA_STATE_CODEC_H_
