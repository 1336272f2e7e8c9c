#include "clients/cli/config_file.h"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <optional>
#include <set>
#include <sstream>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "clients/cli/requests.h"
#include "google/protobuf/util/json_util.h"
#include "services/common/json_text.h"
#include "services/common/text.h"

namespace cxdesk::clients::cli {
namespace {

// The length of the run of digits at `s[i]`.
size_t Digits(const std::string& s, size_t i) {
  size_t n = 0;
  while (i + n < s.size() && absl::ascii_isdigit(s[i + n])) ++n;
  return n;
}

// A JSON number: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?. A loop, not
// std::regex, whose matcher recurses once per character and overflows the
// stack on a long scalar.
bool IsJsonNumber(const std::string& s) {
  size_t i = s.size() > 0 && s[0] == '-' ? 1 : 0;
  const size_t whole = Digits(s, i);
  if (whole == 0 || (whole > 1 && s[i] == '0')) return false;
  i += whole;
  if (i < s.size() && s[i] == '.') {
    const size_t fraction = Digits(s, i + 1);
    if (fraction == 0) return false;
    i += 1 + fraction;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    const size_t exponent = Digits(s, i);
    if (exponent == 0) return false;
    i += exponent;
  }
  return i == s.size();
}

// A plain YAML scalar that JSON takes as it is.
bool IsJsonLiteral(const std::string& scalar) {
  return scalar == "true" || scalar == "false" || scalar == "null" ||
         IsJsonNumber(scalar);
}

// One pass over the events of a YAML stream, before it is loaded: counts
// its documents and finds the first alias (*name). yaml-cpp loads an alias
// as the very node of its anchor, so a document may be a graph: an alias
// inside its own anchor is a cycle, and nested aliases grow exponentially
// ("billion laughs"). Neither is JSON. It also stops where yaml-cpp 0.7
// would loop: on some malformed input (such as "&a,[*a]") the parser reports
// (empty) documents at one position forever, and YAML::LoadAll never
// returns.
class DocumentScan final : public YAML::EventHandler {
 public:
  void OnDocumentStart(const YAML::Mark& mark) override { start_ = mark; }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override {
    if (!alias_) alias_ = mark;
  }
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}

  // Reads every document of `parser`, up to the first alias or a stuck
  // parser. Throws what the parser throws.
  void Run(YAML::Parser& parser) {
    int previous_start = -1;
    while (!alias_ && parser.HandleNextDocument(*this)) {
      if (start_.pos <= previous_start) {
        stuck_ = start_;
        return;
      }
      previous_start = start_.pos;
      ++documents_;
    }
  }
  int documents() const { return documents_; }
  const std::optional<YAML::Mark>& alias() const { return alias_; }
  const std::optional<YAML::Mark>& stuck() const { return stuck_; }

 private:
  YAML::Mark start_;
  int documents_ = 0;
  std::optional<YAML::Mark> alias_;
  std::optional<YAML::Mark> stuck_;
};

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
      std::set<std::string> keys;
      for (const auto& entry : node) {
        if (!entry.first.IsScalar()) {
          return absl::InvalidArgumentError(
              absl::StrCat(file_name, ":", entry.first.Mark().line + 1,
                           ": a key must be a plain word"));
        }
        // YAML keys are unique; yaml-cpp keeps both, and JSON would take
        // either one.
        if (!keys.insert(entry.first.Scalar()).second) {
          return absl::InvalidArgumentError(
              absl::StrCat(file_name, ":", entry.first.Mark().line + 1,
                           ": the key ", common::Excerpt(entry.first.Scalar()),
                           " appears twice in one mapping"));
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
  // A configuration file is UTF-8: yaml-cpp would pass other bytes of a key
  // or a scalar through into the JSON (found by config_file_fuzz).
  if (const size_t bad = common::FirstInvalidUtf8(yaml);
      bad != absl::string_view::npos) {
    const auto line = 1 + std::count(yaml.begin(), yaml.begin() + bad, '\n');
    return absl::InvalidArgumentError(
        absl::StrCat(file_name, ":", line, ": not UTF-8 (byte ", bad + 1, ")"));
  }
  // yaml-cpp reports errors by exception; they stop here.
  YAML::Node document;
  try {
    std::istringstream stream(yaml);
    YAML::Parser parser(stream);
    DocumentScan scan;
    scan.Run(parser);
    if (scan.stuck()) {
      return absl::InvalidArgumentError(
          absl::StrCat(file_name, ":", scan.stuck()->line + 1,
                       ": not valid YAML (cannot read past column ",
                       scan.stuck()->column + 1, ")"));
    }
    if (scan.alias()) {
      return absl::InvalidArgumentError(
          absl::StrCat(file_name, ":", scan.alias()->line + 1,
                       ": an alias (*name), which JSON cannot carry; write "
                       "the value out"));
    }
    if (scan.documents() != 1) {
      return absl::InvalidArgumentError(
          absl::StrCat(file_name, ": holds ", scan.documents(),
                       " YAML documents; exactly one is expected"));
    }
    document = YAML::Load(yaml);
  } catch (const YAML::Exception& e) {
    return absl::InvalidArgumentError(absl::StrCat(
        file_name, ":", e.mark.line + 1, ": not valid YAML (", e.msg, ")"));
  }
  if (!document.IsMap()) {
    return absl::InvalidArgumentError(absl::StrCat(
        file_name, ": the YAML document must be a mapping of field names"));
  }
  std::string json;
  try {
    absl::Status status = AppendJson(file_name, document, &json);
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
