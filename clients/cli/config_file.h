#ifndef CXDESK_CLIENTS_CLI_CONFIG_FILE_H_
#define CXDESK_CLIENTS_CLI_CONFIG_FILE_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"

namespace cxdesk::clients::cli {

// The formats an administration file may be written in. All three describe
// the same proto message (a Calendar, a Policy, a Team, ...) with the same
// field names: text format with the proto's names, JSON and YAML with the
// proto's JSON mapping (lowerCamelCase or the original snake_case names,
// enums by name, durations as "300s", timestamps in RFC 3339).
enum class ConfigFormat { kText, kJson, kYaml };

// By the file's extension: ".json" JSON, ".yaml" or ".yml" YAML, anything
// else text format; for standard input ("-") or another extension, text
// that starts with '{' is JSON.
ConfigFormat DetectConfigFormat(absl::string_view file_name,
                                absl::string_view text);

// A YAML document as JSON. Plain (unquoted) scalars that read as numbers,
// true/false or null stay so; every other scalar becomes a string. An
// INVALID_ARGUMENT naming `file_name` and the line for a YAML syntax error,
// more than one document, a key twice in one mapping, or aliases and tags
// JSON cannot carry.
absl::StatusOr<std::string> YamlToJson(absl::string_view file_name,
                                       const std::string& yaml);

// Parses `text` (the contents of `file_name`) into `message` in the format
// DetectConfigFormat finds. INVALID_ARGUMENT naming the file and what is
// wrong (the field, the line) when it cannot be parsed.
absl::Status ParseConfigFile(absl::string_view file_name,
                             const std::string& text,
                             google::protobuf::Message* message);

}  // namespace cxdesk::clients::cli

#endif  // CXDESK_CLIENTS_CLI_CONFIG_FILE_H_
