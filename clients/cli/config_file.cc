#include "clients/cli/config_file.h"

#include <yaml-cpp/yaml.h>

#include <regex>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "clients/cli/requests.h"
#include "google/protobuf/util/json_util.h"
#include "services/common/json_text.h"

namespace cxdesk::clients::cli {
namespace {

// A plain YAML scalar that JSON takes as it is.
bool IsJsonLiteral(const std::string& scalar) {
  static const std::regex* const kNumber =
      new std::regex(R"(-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?)");
  return scalar == "true" || scalar == "false" || scalar == "null" ||
         std::regex_match(scalar, *kNumber);
}

absl::Status AppendJson(absl::string_view file_name, const YAML::Node& node,
                        std::string* out) {
  const YAML::Mark mark = node.Mark();
  switch (node.Type()) {
    case YAML::NodeType::Null:
      out->append("null");
      return absl::OkStatus();
    case YAML::NodeType::Scalar: {
      const std::string& scalar = node.Scalar();
      // "?" is the tag of a plain scalar; a quoted one has "!".
      if (node.Tag() == "?" && (scalar == "~" || IsJsonLiteral(scalar))) {
        out->append(scalar == "~" ? "null" : scalar);
      } else {
        out->append(common::JsonQuote(scalar));
      }
      return absl::OkStatus();
    }
    case YAML::NodeType::Sequence: {
      out->push_back('[');
      bool first = true;
      for (const YAML::Node& item : node) {
        if (!first) out->push_back(',');
        first = false;
        absl::Status status = AppendJson(file_name, item, out);
        if (!status.ok()) return status;
      }
      out->push_back(']');
      return absl::OkStatus();
    }
    case YAML::NodeType::Map: {
      out->push_back('{');
      bool first = true;
      for (const auto& entry : node) {
        if (!entry.first.IsScalar()) {
          return absl::InvalidArgumentError(
              absl::StrCat(file_name, ":", entry.first.Mark().line + 1,
                           ": a key must be a plain word"));
        }
        if (!first) out->push_back(',');
        first = false;
        out->append(common::JsonQuote(entry.first.Scalar()));
        out->push_back(':');
        absl::Status status = AppendJson(file_name, entry.second, out);
        if (!status.ok()) return status;
      }
      out->push_back('}');
      return absl::OkStatus();
    }
    case YAML::NodeType::Undefined:
      break;
  }
  return absl::InvalidArgumentError(absl::StrCat(
      file_name, ":", mark.line + 1, ": a value YAML could not read"));
}

}  // namespace

ConfigFormat DetectConfigFormat(absl::string_view file_name,
                                absl::string_view text) {
  const std::string lower = absl::AsciiStrToLower(file_name);
  if (absl::EndsWith(lower, ".json")) return ConfigFormat::kJson;
  if (absl::EndsWith(lower, ".yaml") || absl::EndsWith(lower, ".yml")) {
    return ConfigFormat::kYaml;
  }
  if (absl::StartsWith(absl::StripLeadingAsciiWhitespace(text), "{")) {
    return ConfigFormat::kJson;
  }
  return ConfigFormat::kText;
}

absl::StatusOr<std::string> YamlToJson(absl::string_view file_name,
                                       const std::string& yaml) {
  // yaml-cpp reports errors by exception; they stop here.
  std::vector<YAML::Node> documents;
  try {
    documents = YAML::LoadAll(yaml);
  } catch (const YAML::Exception& e) {
    return absl::InvalidArgumentError(absl::StrCat(
        file_name, ":", e.mark.line + 1, ": not valid YAML (", e.msg, ")"));
  }
  if (documents.size() != 1) {
    return absl::InvalidArgumentError(
        absl::StrCat(file_name, ": holds ", documents.size(),
                     " YAML documents; exactly one is expected"));
  }
  if (!documents[0].IsMap()) {
    return absl::InvalidArgumentError(absl::StrCat(
        file_name, ": the YAML document must be a mapping of field names"));
  }
  std::string json;
  try {
    absl::Status status = AppendJson(file_name, documents[0], &json);
    if (!status.ok()) return status;
  } catch (const YAML::Exception& e) {
    return absl::InvalidArgumentError(absl::StrCat(
        file_name, ":", e.mark.line + 1, ": not valid YAML (", e.msg, ")"));
  }
  return json;
}

absl::Status ParseConfigFile(absl::string_view file_name,
                             const std::string& text,
                             google::protobuf::Message* message) {
  const ConfigFormat format = DetectConfigFormat(file_name, text);
  if (format == ConfigFormat::kText) {
    return ParseTextProto(file_name, text, message);
  }
  std::string json = text;
  if (format == ConfigFormat::kYaml) {
    absl::StatusOr<std::string> converted = YamlToJson(file_name, text);
    if (!converted.ok()) return converted.status();
    json = *std::move(converted);
  }
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  const auto status =
      google::protobuf::util::JsonStringToMessage(json, message, options);
  if (!status.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(file_name, ": not a ", message->GetTypeName(), " in ",
                     format == ConfigFormat::kYaml ? "YAML" : "JSON", ": ",
                     std::string(status.message())));
  }
  return absl::OkStatus();
}

}  // namespace cxdesk::clients::cli
