#include "clients/cli/config_file.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cxdesk/escalation/v1/escalation_service.pb.h"
#include "cxdesk/sla/v1/sla_service.pb.h"

namespace cxdesk::clients::cli {
namespace {

using ::testing::HasSubstr;

TEST(DetectConfigFormatTest, ByExtensionThenByContent) {
  EXPECT_EQ(DetectConfigFormat("team.json", "x"), ConfigFormat::kJson);
  EXPECT_EQ(DetectConfigFormat("team.YAML", ""), ConfigFormat::kYaml);
  EXPECT_EQ(DetectConfigFormat("team.yml", "{"), ConfigFormat::kYaml);
  EXPECT_EQ(DetectConfigFormat("team.txtpb", "team_id: \"a\""),
            ConfigFormat::kText);
  EXPECT_EQ(DetectConfigFormat("<stdin>", "  \n{\"teamId\": \"a\"}"),
            ConfigFormat::kJson);
  EXPECT_EQ(DetectConfigFormat("<stdin>", "team_id: \"a\""),
            ConfigFormat::kText);
}

TEST(YamlToJsonTest, KeepsTypesOfPlainScalarsOnly) {
  absl::StatusOr<std::string> json = YamlToJson(
      "a.yaml",
      "name: care\ncapacity: 5\nratio: -1.5e3\non: true\nnothing: ~\n"
      "quoted: \"5\"\nwords: [a, \"b c\"]\nnested:\n  note: |\n    line \"1\"\n"
      "    line\t2\n");
  ASSERT_TRUE(json.ok()) << json.status();
  EXPECT_EQ(*json,
            "{\"name\":\"care\",\"capacity\":5,\"ratio\":-1.5e3,\"on\":true,"
            "\"nothing\":null,\"quoted\":\"5\",\"words\":[\"a\",\"b c\"],"
            "\"nested\":{\"note\":\"line \\\"1\\\"\\nline\\t2\\n\"}}");
}

TEST(YamlToJsonTest, ErrorsNameTheFileAndLine) {
  absl::StatusOr<std::string> json =
      YamlToJson("a.yaml", "name: care\nskills: [a, b\n");
  EXPECT_EQ(json.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(json.status().message()), HasSubstr("a.yaml:"));
  EXPECT_THAT(std::string(json.status().message()),
              HasSubstr("not valid YAML"));
  json = YamlToJson("b.yaml", "a: 1\n---\nb: 2\n");
  EXPECT_EQ(json.status().message(),
            "b.yaml: holds 2 YAML documents; exactly one is expected");
  json = YamlToJson("c.yaml", "- a\n- b\n");
  EXPECT_EQ(json.status().message(),
            "c.yaml: the YAML document must be a mapping of field names");
}

// Found by config_file_fuzz: a key with a byte that is not UTF-8 reached
// the JSON as it was.
TEST(YamlToJsonTest, BytesThatAreNotUtf8AreRefusedWithTheirLine) {
  absl::StatusOr<std::string> json =
      YamlToJson("agent.yaml",
                 "agent_id: ana\ncapacity: 4\n_\x97"
                 "d: 5\n");
  EXPECT_EQ(json.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(json.status().message(), "agent.yaml:3: not UTF-8 (byte 28)");
  EXPECT_TRUE(YamlToJson("ok.yaml", "name: Chăm sóc khách hàng\n").ok());
}

// Found by config_file_fuzz: each of these crashed or hung the CLI.
TEST(YamlToJsonTest, HostileYamlIsRefusedAtOnce) {
  for (const char* yaml : {
           "a: &a [*a]\n",                                 // an alias in itself
           "a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n",  // billion laughs
           "&a,[*a]\n",  // yaml-cpp 0.7 loops on it
       }) {
    SCOPED_TRACE(yaml);
    const absl::StatusOr<std::string> json = YamlToJson("h.yaml", yaml);
    EXPECT_EQ(json.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(json.status().message()), HasSubstr("h.yaml"));
  }
  const absl::StatusOr<std::string> twice =
      YamlToJson("d.yaml", "name: care\nname: product\n");
  EXPECT_EQ(twice.status().message(),
            "d.yaml:2: the key \"name\" appears twice in one mapping");
  // A 200,000-digit number is a number, not a stack overflow.
  const std::string digits(200000, '7');
  const absl::StatusOr<std::string> number =
      YamlToJson("n.yaml", "n: " + digits + "\n");
  ASSERT_TRUE(number.ok()) << number.status();
  EXPECT_EQ(*number, "{\"n\":" + digits + "}");
}

TEST(ParseConfigFileTest, SameMessageFromEveryFormat) {
  const std::string text =
      "agent_id: \"alice\"\ndisplay_name: \"Alice\"\nteam_ids: \"care\"\n"
      "capacity: 4\nskills: \"billing\"\n";
  const std::string json =
      R"({"agentId": "alice", "displayName": "Alice", "teamIds": ["care"],)"
      R"( "capacity": 4, "skills": ["billing"]})";
  const std::string yaml =
      "agent_id: alice\ndisplay_name: Alice\nteam_ids: [care]\ncapacity: 4\n"
      "skills:\n  - billing\n";
  escalation::v1::Agent from_text, from_json, from_yaml;
  ASSERT_TRUE(ParseConfigFile("a.txtpb", text, &from_text).ok());
  ASSERT_TRUE(ParseConfigFile("a.json", json, &from_json).ok());
  absl::Status status = ParseConfigFile("a.yaml", yaml, &from_yaml);
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_EQ(from_text.agent_id(), "alice");
  EXPECT_EQ(from_text.capacity(), 4);
  EXPECT_EQ(from_json.SerializeAsString(), from_text.SerializeAsString());
  EXPECT_EQ(from_yaml.SerializeAsString(), from_text.SerializeAsString());
}

TEST(ParseConfigFileTest, UnknownFieldsAndBadValuesAreNamed) {
  sla::v1::Policy policy;
  absl::Status status =
      ParseConfigFile("p.yaml", "policy_id: vip\nspeed: 3\n", &policy);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()),
              HasSubstr("p.yaml: not a cxdesk.sla.v1.Policy in YAML"));
  EXPECT_THAT(std::string(status.message()), HasSubstr("speed"));
  status = ParseConfigFile("p.json", R"({"position": "first"})", &policy);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()),
              HasSubstr("p.json: not a cxdesk.sla.v1.Policy in JSON"));
  status = ParseConfigFile("p.txtpb", "policy_id: 3 3", &policy);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()), HasSubstr("p.txtpb: line 1"));
}

}  // namespace
}  // namespace cxdesk::clients::cli
