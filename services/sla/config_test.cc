#include "services/sla/config.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <string>
#include <vector>

namespace cxdesk::sla {
namespace {

using absl::StatusCode;

// Parses the given flags, with the environment fallbacks cleared so the
// defaults show.
absl::StatusOr<Config> Parse(std::vector<std::string> args) {
  for (const char* env :
       {"CXDESK_DATABASE_URL", "CXDESK_SLA_LISTEN", "CXDESK_SLA_POOL_SIZE",
        "CXDESK_TICKET_TARGET", "CXDESK_SLA_REPLICA"}) {
    unsetenv(env);
  }
  args.insert(args.begin(), "cxdesk-slad");
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  return ParseConfig(static_cast<int>(argv.size()), argv.data());
}

TEST(SlaConfigTest, DefaultsListenOnLoopbackAndFollowTheTicketService) {
  absl::StatusOr<Config> config = Parse({"--database-url=postgresql://x/db"});
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->server.listen, "127.0.0.1:7102");
  EXPECT_EQ(config->ticket_target, "127.0.0.1:7101");
  EXPECT_EQ(config->server.pool_size, 8);
  EXPECT_EQ(config->timer_batch, 1000);
  EXPECT_EQ(config->timer_loops, 2);
  EXPECT_FALSE(config->replica.empty());
}

TEST(SlaConfigTest, TicketTargetNoneFiresTimersOnly) {
  absl::StatusOr<Config> config =
      Parse({"--database-url=postgresql://x/db", "--ticket-target=none",
             "--replica=r2", "--timer-loops=3"});
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->ticket_target, "");
  EXPECT_EQ(config->replica, "r2");
  EXPECT_EQ(config->timer_loops, 3);
}

TEST(SlaConfigTest, BadFlagsAreNamed) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{}, "--database-url"},
      {{"--database-url=u", "--listen=7102"}, "--listen:"},
      {{"--database-url=u", "--pool-size=1"}, "--pool-size: must be 2..256"},
      {{"--database-url=u", "--ticket-target=10.0.0.5:7101"},
       "--ticket-target: must be a loopback address"},
      {{"--database-url=u", "--timer-batch=0"}, "--timer-batch:"},
      {{"--database-url=u", "--timer-loops=17"}, "--timer-loops:"}};
  for (const auto& [args, prefix] : cases) {
    absl::StatusOr<Config> config = Parse(args);
    ASSERT_FALSE(config.ok()) << prefix;
    EXPECT_EQ(config.status().code(), StatusCode::kInvalidArgument) << prefix;
    EXPECT_EQ(config.status().message().substr(0, prefix.size()), prefix)
        << config.status().message();
  }
}

}  // namespace
}  // namespace cxdesk::sla
