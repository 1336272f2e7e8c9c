#include "services/escalation/config.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"

namespace cxdesk::escalation {
namespace {

using absl::StatusCode;

// Parses the given flags, with the environment fallbacks cleared so the
// defaults show.
absl::StatusOr<Config> Parse(std::vector<std::string> args) {
  for (const char* env : {"CXDESK_DATABASE_URL", "CXDESK_ESCALATION_LISTEN",
                          "CXDESK_ESCALATION_POOL_SIZE", "CXDESK_TICKET_TARGET",
                          "CXDESK_SLA_TARGET", "CXDESK_ESCALATION_REPLICA"}) {
    unsetenv(env);
  }
  args.insert(args.begin(), "cxdesk-escalationd");
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  return ParseConfig(static_cast<int>(argv.size()), argv.data());
}

TEST(EscalationConfigTest, DefaultsListenOnLoopbackAndFollowBothServices) {
  absl::StatusOr<Config> config = Parse({"--database-url=postgresql://x/db"});
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->server.listen, "127.0.0.1:7103");
  EXPECT_EQ(config->ticket_target, "127.0.0.1:7101");
  EXPECT_EQ(config->sla_target, "127.0.0.1:7102");
  EXPECT_EQ(config->server.pool_size, 16);
  EXPECT_EQ(config->action_loops, 8);
  EXPECT_EQ(config->actions.batch, 4);
  EXPECT_EQ(config->actions.max_attempts, 20);
  EXPECT_EQ(config->webhooks.max_attempts, 6);
  EXPECT_EQ(config->webhooks.base_backoff, absl::Seconds(1));
  EXPECT_EQ(config->webhooks.timeout, absl::Seconds(5));
  EXPECT_FALSE(config->replica.empty());
}

TEST(EscalationConfigTest, SlaTargetNoneAndTunedLoops) {
  absl::StatusOr<Config> config =
      Parse({"--database-url=postgresql://x/db", "--sla-target=none",
             "--replica=r2", "--action-loops=2", "--pool-size=6",
             "--webhook-backoff-ms=100", "--webhook-attempts=3"});
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->sla_target, "");
  EXPECT_EQ(config->replica, "r2");
  EXPECT_EQ(config->action_loops, 2);
  EXPECT_EQ(config->server.pool_size, 6);
  EXPECT_EQ(config->webhooks.base_backoff, absl::Milliseconds(100));
  EXPECT_EQ(config->webhooks.max_attempts, 3);
}

TEST(EscalationConfigTest, BadFlagsAreNamed) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{}, "--database-url"},
      {{"--database-url=u", "--listen=7103"}, "--listen:"},
      {{"--database-url=u", "--ticket-target=10.0.0.5:7101"},
       "--ticket-target: must be a loopback address"},
      {{"--database-url=u", "--sla-target=example.com:7102"},
       "--sla-target: must be a loopback address"},
      {{"--database-url=u", "--action-loops=0"},
       "--action-loops: must be 1..64"},
      {{"--database-url=u", "--action-batch=x"}, "--action-batch: must be"},
      {{"--database-url=u", "--webhook-attempts=0"}, "--webhook-attempts:"},
      {{"--database-url=u", "--webhook-timeout-ms=-5"},
       "--webhook-timeout-ms:"},
      // The relays hold no connection during their calls: the pool need
      // not grow with --action-loops, only cover the service's parts.
      {{"--database-url=u", "--pool-size=3"}, "--pool-size: must be 4..256"}};
  for (const auto& [args, prefix] : cases) {
    absl::StatusOr<Config> config = Parse(args);
    ASSERT_FALSE(config.ok()) << prefix;
    EXPECT_EQ(config.status().code(), StatusCode::kInvalidArgument) << prefix;
    EXPECT_TRUE(absl::StartsWith(config.status().message(), prefix))
        << config.status().message();
  }
}

}  // namespace
}  // namespace cxdesk::escalation
