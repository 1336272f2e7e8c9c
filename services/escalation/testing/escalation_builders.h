#ifndef CXDESK_SERVICES_ESCALATION_TESTING_ESCALATION_BUILDERS_H_
#define CXDESK_SERVICES_ESCALATION_TESTING_ESCALATION_BUILDERS_H_

// Small builders of the escalation service's domain values for unit tests:
// each returns a valid value with the fields a test usually varies as
// arguments and the rest at plain defaults.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "services/escalation/directory.h"
#include "services/escalation/escalation.h"
#include "services/escalation/ladder.h"
#include "services/escalation/ticket_gateway.h"

namespace cxdesk::escalation::testing {

// A team `id` with the given lead and manager ("" = none).
TeamRecord MakeTeam(const std::string& id, const std::string& lead = "",
                    const std::string& manager = "");

// An agent `id` of `teams` with room for `capacity` tickets, tier 1.
AgentRecord MakeAgent(const std::string& id,
                      const std::vector<std::string>& teams, int capacity = 5,
                      Availability availability = Availability::kOnline);

// A rule `id` at `position` sending tickets of any of `priorities` (empty:
// every ticket) to `team` under `strategy`.
RuleRecord MakeRule(const std::string& id, int position,
                    const std::string& team, Strategy strategy,
                    const std::vector<std::string>& priorities = {});

// A ladder step at `level` firing on `trigger` with `actions`.
Step MakeStep(int level, Trigger trigger, std::vector<Action> actions);

// A ladder for `metric` with `steps`.
Ladder MakeLadder(const std::string& metric, std::vector<Step> steps);

// A ticket stream event of `type` for ticket `id` at ticket version
// `version`, cursor "t<version of the stream>" given as `cursor`; the
// ticket after the change is `status`, of `team` and `assignee`, of kind
// "question", channel "email", with `priority`.
TicketEventIn TicketEvent(const std::string& type, int64_t id, int64_t version,
                          const std::string& cursor, absl::Time at,
                          const std::string& status = "new",
                          const std::string& team = "",
                          const std::string& assignee = "",
                          const std::string& priority = "normal");

// An SLA stream event of `kind` for cycle 1 of `metric` of ticket `id`,
// occurring at `at`, with `deadline` after it.
SlaEventIn SlaEvent(const std::string& kind, int64_t id,
                    const std::string& metric, const std::string& cursor,
                    absl::Time at,
                    std::optional<absl::Time> deadline = std::nullopt);

}  // namespace cxdesk::escalation::testing

#endif  // CXDESK_SERVICES_ESCALATION_TESTING_ESCALATION_BUILDERS_H_
