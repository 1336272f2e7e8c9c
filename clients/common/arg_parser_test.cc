#include "clients/common/arg_parser.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace cxdesk::clients {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

FlagParser MakeParser() {
  FlagParser parser;
  parser.AddAll({{"body", "TEXT", "the text", true},
                 {"json", "", "as JSON"},
                 {"tags", "A,B", "labels", false, /*repeatable=*/true},
                 {"page-size", "N", "size"}});
  return parser;
}

absl::Status Parse(const std::vector<std::string>& args, ParsedFlags* out) {
  return MakeParser().Parse(args, 0, /*stop_at_positional=*/false, out,
                            nullptr);
}

TEST(FlagParserTest, ValuesSwitchesAndPositionals) {
  ParsedFlags flags;
  ASSERT_TRUE(
      Parse({"12", "--body", "hi there", "--json", "--page-size=5", "extra"},
            &flags)
          .ok());
  EXPECT_EQ(flags.Get("body"), "hi there");
  EXPECT_EQ(flags.Get("page-size"), "5");
  EXPECT_TRUE(flags.Has("json"));
  EXPECT_FALSE(flags.Has("tags"));
  EXPECT_EQ(flags.Get("tags", "none"), "none");
  EXPECT_THAT(flags.positionals, ElementsAre("12", "extra"));
}

TEST(FlagParserTest, EmptyValueWithEqualsIsGiven) {
  ParsedFlags flags;
  ASSERT_TRUE(Parse({"--tags="}, &flags).ok());
  EXPECT_TRUE(flags.Has("tags"));
  EXPECT_EQ(flags.Get("tags", "x"), "");
}

TEST(FlagParserTest, RepeatableFlagsAreJoined) {
  ParsedFlags flags;
  ASSERT_TRUE(Parse({"--tags", "a", "--tags=b,c"}, &flags).ok());
  EXPECT_EQ(flags.Get("tags"), "a,b,c");
}

TEST(FlagParserTest, DoubleDashEndsFlags) {
  ParsedFlags flags;
  ASSERT_TRUE(Parse({"--", "--json", "-x"}, &flags).ok());
  EXPECT_FALSE(flags.Has("json"));
  EXPECT_THAT(flags.positionals, ElementsAre("--json", "-x"));
}

TEST(FlagParserTest, NegativeNumbersAndDashArePositionals) {
  ParsedFlags flags;
  ASSERT_TRUE(Parse({"-5", "-"}, &flags).ok());
  EXPECT_THAT(flags.positionals, ElementsAre("-5", "-"));
}

TEST(FlagParserTest, HelpIsNoted) {
  ParsedFlags flags;
  ASSERT_TRUE(Parse({"-h"}, &flags).ok());
  EXPECT_TRUE(flags.help);
}

TEST(FlagParserTest, Errors) {
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  for (const Case& c : std::vector<Case>{
           {{"--nope"}, "unknown flag --nope"},
           {{"-x"}, "unknown flag -x"},
           {{"--json=yes"}, "--json takes no value"},
           {{"--body"}, "--body needs a value (TEXT)"},
           {{"--body", "--json"}, "--body needs a value"},
           {{"--body", "a", "--body", "b"}, "--body given more than once"},
       }) {
    ParsedFlags flags;
    absl::Status status = Parse(c.args, &flags);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << c.message;
    EXPECT_THAT(std::string(status.message()), HasSubstr(c.message));
  }
}

TEST(FlagParserTest, StopsAtFirstPositional) {
  ParsedFlags flags;
  size_t next = 0;
  std::vector<std::string> args = {"--json", "ticket", "--body", "x"};
  ASSERT_TRUE(MakeParser().Parse(args, 0, true, &flags, &next).ok());
  EXPECT_EQ(next, 1u);
  EXPECT_TRUE(flags.Has("json"));
  EXPECT_FALSE(flags.Has("body"));
}

TEST(FlagParserTest, RequiredFlags) {
  FlagParser parser = MakeParser();
  ParsedFlags flags;
  absl::Status status = parser.CheckRequired(flags);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()),
              HasSubstr("missing required flag --body"));
  flags.values["body"] = "x";
  EXPECT_TRUE(parser.CheckRequired(flags).ok());
}

TEST(FlagParserTest, HelpListsFlags) {
  const std::string help = MakeParser().Help();
  EXPECT_THAT(help, HasSubstr("--body TEXT"));
  EXPECT_THAT(help, HasSubstr("(required)"));
  EXPECT_THAT(help, HasSubstr("--json "));
}

TEST(FlagParserTest, AliasesStoreUnderTheName) {
  FlagParser parser;
  FlagSpec from{"from", "TIME", "start"};
  from.alias = "since";
  FlagSpec csv{"csv", "", "as CSV"};
  csv.alias = "comma";
  parser.Add(from);
  parser.Add(csv);
  ParsedFlags flags;
  ASSERT_TRUE(parser
                  .Parse({"--since", "2026-11-01", "--comma"}, 0, false, &flags,
                         nullptr)
                  .ok());
  EXPECT_EQ(flags.Get("from"), "2026-11-01");
  EXPECT_FALSE(flags.Has("since"));
  EXPECT_TRUE(flags.Has("csv"));
  ParsedFlags twice;
  absl::Status status =
      parser.Parse({"--from", "a", "--since", "b"}, 0, false, &twice, nullptr);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "--since given more than once");
  EXPECT_THAT(parser.Help(), HasSubstr("start [also --since]"));
}

}  // namespace
}  // namespace cxdesk::clients
