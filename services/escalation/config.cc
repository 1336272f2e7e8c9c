#include "services/escalation/config.h"

#include <unistd.h>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/common/flags.h"
#include "services/common/status_macros.h"

namespace cxdesk::escalation {
namespace {

absl::Status ReadInt(const common::FlagSet& flags, const std::string& name,
                     int min, int max, int& out) {
  if (!absl::SimpleAtoi(flags.Get(name), &out) || out < min || out > max) {
    return absl::InvalidArgumentError(
        absl::StrCat("--", name, ": must be ", min, "..", max));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Config> ParseConfig(int argc, char** argv) {
  common::FlagSet flags("cxdesk-escalationd");
  // Sixteen connections by default, well above kMinPoolSize: the eight
  // relays claim and record in bursts beside routing's units of work.
  common::AddServerFlags(flags, "CXDESK_ESCALATION_LISTEN", "127.0.0.1:7103",
                         "CXDESK_ESCALATION_POOL_SIZE", "16");
  flags.Add("ticket-target", "CXDESK_TICKET_TARGET", "127.0.0.1:7101",
            "ticket service: its events are routed, its tickets escalated "
            "(loopback host:port)");
  flags.Add("sla-target", "CXDESK_SLA_TARGET", "127.0.0.1:7102",
            "SLA service: its warnings and breaches climb the ladders, its "
            "calendars are agents' shifts (loopback host:port), or none");
  flags.Add("replica", "CXDESK_ESCALATION_REPLICA", "",
            "this replica's name in escalation.timers.fired_by "
            "(default: host-pid)");
  flags.Add("action-attempts", "", "20",
            "attempts of a ticket-service action before it fails for good");
  flags.Add("action-loops", "", "8",
            "relays carrying out ticket-service actions in parallel");
  flags.Add("action-batch", "", "4",
            "actions one relay claims (and leases) at a time");
  flags.Add("webhook-attempts", "", "6",
            "webhook attempts before a delivery becomes a dead letter");
  flags.Add("webhook-backoff-ms", "", "1000",
            "delay before the first webhook retry (doubles each retry, "
            "at most a minute)");
  flags.Add("webhook-timeout-ms", "", "5000", "timeout of one webhook POST");
  absl::StatusOr<common::ServerFlags> server =
      common::ParseServerFlags(flags, argc, argv, kMinPoolSize);
  if (!server.ok()) return server.status();
  Config config;
  config.server = *std::move(server);
  config.ticket_target = flags.Get("ticket-target");
  absl::Status valid =
      common::ValidateLoopbackTarget("--ticket-target", config.ticket_target);
  if (!valid.ok()) return valid;
  CXDESK_ASSIGN_OR_RETURN(config.sla_target,
                          common::OptionalLoopbackTarget(flags, "sla-target"));
  config.replica = common::ReplicaName(flags.Get("replica"));
  int backoff_ms = 0;
  int timeout_ms = 0;
  for (absl::Status s :
       {ReadInt(flags, "action-attempts", 1, 1000, config.actions.max_attempts),
        ReadInt(flags, "action-loops", 1, 64, config.action_loops),
        ReadInt(flags, "action-batch", 1, 1000, config.actions.batch),
        ReadInt(flags, "webhook-attempts", 1, 100,
                config.webhooks.max_attempts),
        ReadInt(flags, "webhook-backoff-ms", 1, 3600000, backoff_ms),
        ReadInt(flags, "webhook-timeout-ms", 1, 60000, timeout_ms)}) {
    if (!s.ok()) return s;
  }
  config.webhooks.base_backoff = absl::Milliseconds(backoff_ms);
  config.webhooks.timeout = absl::Milliseconds(timeout_ms);
  return config;
}

}  // namespace cxdesk::escalation
