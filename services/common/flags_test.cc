#include "services/common/flags.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace cxdesk::common {
namespace {

FlagSet MakeFlags() {
  FlagSet flags("prog");
  flags.Add("listen", "CXDESK_TEST_LISTEN", "127.0.0.1:7101", "address");
  flags.Add("pool-size", "", "8", "connections");
  return flags;
}

TEST(FlagsTest, FlagBeatsEnvironmentBeatsDefault) {
  setenv("CXDESK_TEST_LISTEN", "127.0.0.1:9000", 1);
  FlagSet from_env = MakeFlags();
  char prog[] = "prog";
  char* argv1[] = {prog};
  ASSERT_TRUE(from_env.Parse(1, argv1).ok());
  EXPECT_EQ(from_env.Get("listen"), "127.0.0.1:9000");
  EXPECT_EQ(from_env.Get("pool-size"), "8");

  FlagSet from_flag = MakeFlags();
  char a1[] = "--listen=127.0.0.1:1234";
  char a2[] = "--pool-size";
  char a3[] = "16";
  char* argv2[] = {prog, a1, a2, a3};
  ASSERT_TRUE(from_flag.Parse(4, argv2).ok());
  EXPECT_EQ(from_flag.Get("listen"), "127.0.0.1:1234");
  EXPECT_EQ(from_flag.Get("pool-size"), "16");
  unsetenv("CXDESK_TEST_LISTEN");
}

TEST(FlagsTest, UnknownFlagAndMissingValueAreNamed) {
  FlagSet flags = MakeFlags();
  char prog[] = "prog";
  char bad[] = "--colour=red";
  char* argv[] = {prog, bad};
  absl::Status status = flags.Parse(2, argv);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "unknown flag --colour");

  FlagSet flags2 = MakeFlags();
  char last[] = "--listen";
  char* argv2[] = {prog, last};
  EXPECT_EQ(flags2.Parse(2, argv2).message(), "flag --listen needs a value");
}

TEST(FlagsTest, AnOptionalTargetIsNoneOrALoopbackAddress) {
  FlagSet flags("prog");
  flags.Add("sla-target", "", "127.0.0.1:7102", "SLA service");
  char prog[] = "prog";
  char* defaults[] = {prog};
  ASSERT_TRUE(flags.Parse(1, defaults).ok());
  EXPECT_EQ(OptionalLoopbackTarget(flags, "sla-target").value(),
            "127.0.0.1:7102");

  FlagSet none("prog");
  none.Add("sla-target", "", "127.0.0.1:7102", "SLA service");
  char off[] = "--sla-target=none";
  char* argv_none[] = {prog, off};
  ASSERT_TRUE(none.Parse(2, argv_none).ok());
  EXPECT_EQ(OptionalLoopbackTarget(none, "sla-target").value(), "");

  FlagSet remote("prog");
  remote.Add("sla-target", "", "127.0.0.1:7102", "SLA service");
  char far[] = "--sla-target=10.0.0.5:7102";
  char* argv_far[] = {prog, far};
  ASSERT_TRUE(remote.Parse(2, argv_far).ok());
  absl::Status refused = OptionalLoopbackTarget(remote, "sla-target").status();
  EXPECT_EQ(refused.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(refused.message(), "--sla-target: ")) << refused;
}

TEST(FlagsTest, AReplicaIsNamedOrHostAndPid) {
  EXPECT_EQ(ReplicaName("slad-2"), "slad-2");
  const std::string own = ReplicaName("");
  EXPECT_TRUE(absl::EndsWith(own, absl::StrCat("-", getpid()))) << own;
  EXPECT_GT(own.size(), absl::StrCat("-", getpid()).size()) << own;
}

}  // namespace
}  // namespace cxdesk::common
