#include "services/sla/config.h"

#include <unistd.h>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/common/flags.h"
#include "services/common/status_macros.h"

namespace cxdesk::sla {

absl::StatusOr<Config> ParseConfig(int argc, char** argv) {
  common::FlagSet flags("cxdesk-slad");
  common::AddServerFlags(flags, "CXDESK_SLA_LISTEN", "127.0.0.1:7102",
                         "CXDESK_SLA_POOL_SIZE");
  flags.Add("ticket-target", "CXDESK_TICKET_TARGET", "127.0.0.1:7101",
            "ticket service whose events drive the clocks (loopback "
            "host:port), or none to only fire timers");
  flags.Add("replica", "CXDESK_SLA_REPLICA", "",
            "this replica's name in sla.timers.fired_by (default: host-pid)");
  flags.Add("timer-batch", "", "1000", "timers claimed per transaction");
  flags.Add("timer-loops", "", "2",
            "firing loops in this replica (one claims while another commits)");
  absl::StatusOr<common::ServerFlags> server =
      common::ParseServerFlags(flags, argc, argv, 2);
  if (!server.ok()) return server.status();
  Config config;
  config.server = *std::move(server);
  CXDESK_ASSIGN_OR_RETURN(config.ticket_target, common::OptionalLoopbackTarget(
                                                    flags, "ticket-target"));
  config.replica = common::ReplicaName(flags.Get("replica"));
  if (!absl::SimpleAtoi(flags.Get("timer-batch"), &config.timer_batch) ||
      config.timer_batch < 1 || config.timer_batch > 10000) {
    return absl::InvalidArgumentError("--timer-batch: must be 1..10000");
  }
  if (!absl::SimpleAtoi(flags.Get("timer-loops"), &config.timer_loops) ||
      config.timer_loops < 1 || config.timer_loops > 16) {
    return absl::InvalidArgumentError("--timer-loops: must be 1..16");
  }
  return config;
}

}  // namespace cxdesk::sla
