#include "services/ticket/config.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <string>
#include <vector>

namespace cxdesk::ticket {
namespace {

using absl::StatusCode;

// Parses the given flags after a database URL, with the SLA environment
// variables cleared so the defaults show.
absl::StatusOr<Config> Parse(std::vector<std::string> args) {
  unsetenv("CXDESK_SLA_TARGET");
  unsetenv("CXDESK_SLA_TIMEOUT_MS");
  args.insert(args.begin(),
              {"cxdesk-ticketd", "--database-url=postgresql://x/cxdesk"});
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  return ParseConfig(static_cast<int>(argv.size()), argv.data());
}

TEST(ConfigTest, SlaDefaults) {
  absl::StatusOr<Config> config = Parse({});
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->sla_target, "127.0.0.1:7102");
  EXPECT_EQ(config->sla_timeout, absl::Milliseconds(300));
}

TEST(ConfigTest, SlaTargetNoneDisablesThePromise) {
  absl::StatusOr<Config> config =
      Parse({"--sla-target=none", "--sla-timeout-ms=1500"});
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->sla_target, "");
  EXPECT_EQ(config->sla_timeout, absl::Milliseconds(1500));
}

TEST(ConfigTest, SlaTargetMustBeALoopbackHostAndPort) {
  for (const char* ok : {"localhost:7102", "[::1]:7102", "127.0.0.2:1"}) {
    absl::StatusOr<Config> config = Parse({std::string("--sla-target=") + ok});
    ASSERT_TRUE(config.ok()) << ok << ": " << config.status();
    EXPECT_EQ(config->sla_target, ok);
  }
  for (const char* bad : {"127.0.0.1", "127.0.0.1:0", "127.0.0.1:http",
                          "10.0.0.5:7102", "sla.example.com:7102", ""}) {
    absl::StatusOr<Config> config = Parse({std::string("--sla-target=") + bad});
    EXPECT_EQ(config.status().code(), StatusCode::kInvalidArgument) << bad;
    EXPECT_EQ(config.status().message().substr(0, 13), "--sla-target:") << bad;
  }
}

TEST(ConfigTest, SlaTimeoutIsBounded) {
  for (const char* bad : {"0", "-5", "10001", "fast"}) {
    absl::StatusOr<Config> config =
        Parse({std::string("--sla-timeout-ms=") + bad});
    EXPECT_EQ(config.status().message(), "--sla-timeout-ms: must be 1..10000")
        << bad;
  }
}

TEST(ConfigTest, SlaSettingsComeFromTheEnvironment) {
  std::vector<std::string> args = {"cxdesk-ticketd",
                                   "--database-url=postgresql://x/cxdesk"};
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  setenv("CXDESK_SLA_TARGET", "none", 1);
  setenv("CXDESK_SLA_TIMEOUT_MS", "50", 1);
  absl::StatusOr<Config> config =
      ParseConfig(static_cast<int>(argv.size()), argv.data());
  unsetenv("CXDESK_SLA_TARGET");
  unsetenv("CXDESK_SLA_TIMEOUT_MS");
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->sla_target, "");
  EXPECT_EQ(config->sla_timeout, absl::Milliseconds(50));
}

}  // namespace
}  // namespace cxdesk::ticket
