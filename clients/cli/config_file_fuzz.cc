// Fuzz target: the CLI's administration files (config_file.h). The first
// input byte picks the format, byte % 3 (text format, JSON, YAML, by the
// file's extension), and the message, (byte / 3) % 6, among those the CLI
// reads from files: sla.v1.Calendar, sla.v1.Policy, escalation.v1.Team,
// escalation.v1.Agent, escalation.v1.RoutingRule, escalation.v1.Ladder; the
// other bytes are the file. Checks what the header promises:
//  - ParseConfigFile never crashes or hangs (libFuzzer's -timeout), and
//    answers OK or INVALID_ARGUMENT with a message naming the file;
//  - for YAML, YamlToJson answers OK or INVALID_ARGUMENT naming the file,
//    and what it answers OK is JSON (RFC 8259) with no name twice in one
//    object.
// Corpus: fuzz/corpus/config_file_fuzz/.

#include <google/protobuf/message.h>
#include <google/protobuf/stubs/logging.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <set>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "clients/cli/config_file.h"
#include "cxdesk/escalation/v1/escalation_service.pb.h"
#include "cxdesk/sla/v1/sla_service.pb.h"

namespace {

// A finding: traps, naming the line of the check that failed.
void Check(bool ok, int line = __builtin_LINE()) {
  if (ok) return;
  std::fprintf(stderr, "%s:%d: check failed\n", __FILE__, line);
  __builtin_trap();
}

std::unique_ptr<google::protobuf::Message> NewMessage(int which) {
  switch (which) {
    case 0:
      return std::make_unique<cxdesk::sla::v1::Calendar>();
    case 1:
      return std::make_unique<cxdesk::sla::v1::Policy>();
    case 2:
      return std::make_unique<cxdesk::escalation::v1::Team>();
    case 3:
      return std::make_unique<cxdesk::escalation::v1::Agent>();
    case 4:
      return std::make_unique<cxdesk::escalation::v1::RoutingRule>();
    default:
      return std::make_unique<cxdesk::escalation::v1::Ladder>();
  }
}

// RFC 8259 JSON, with no name twice in one object (what protobuf's JSON
// parser takes, numbers of any size aside). Recursive: YAML nesting is
// bounded by yaml-cpp (DeepRecursion).
class JsonChecker {
 public:
  explicit JsonChecker(absl::string_view text) : s_(text) {}

  bool Valid() {
    if (!Value()) return false;
    SkipSpace();
    return i_ == s_.size();
  }

 private:
  void SkipSpace() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' ||
                              s_[i_] == '\n' || s_[i_] == '\r')) {
      ++i_;
    }
  }
  bool Eat(char c) {
    SkipSpace();
    if (i_ < s_.size() && s_[i_] == c) {
      ++i_;
      return true;
    }
    return false;
  }
  bool Word(absl::string_view word) {
    if (s_.substr(i_, word.size()) != word) return false;
    i_ += word.size();
    return true;
  }
  size_t Digits() {
    const size_t from = i_;
    while (i_ < s_.size() && absl::ascii_isdigit(s_[i_])) ++i_;
    return i_ - from;
  }
  bool Number() {
    if (i_ < s_.size() && s_[i_] == '-') ++i_;
    const size_t start = i_;
    const size_t whole = Digits();
    if (whole == 0 || (whole > 1 && s_[start] == '0')) return false;
    if (i_ < s_.size() && s_[i_] == '.') {
      ++i_;
      if (Digits() == 0) return false;
    }
    if (i_ < s_.size() && (s_[i_] == 'e' || s_[i_] == 'E')) {
      ++i_;
      if (i_ < s_.size() && (s_[i_] == '+' || s_[i_] == '-')) ++i_;
      if (Digits() == 0) return false;
    }
    return true;
  }
  bool String(std::string* out) {
    if (!Eat('"')) return false;
    while (i_ < s_.size()) {
      const unsigned char c = s_[i_++];
      if (c == '"') return true;
      if (c < 0x20) return false;
      if (c != '\\') {
        out->push_back(static_cast<char>(c));
        continue;
      }
      if (i_ >= s_.size()) return false;
      const char e = s_[i_++];
      if (e == 'u') {
        for (int k = 0; k < 4; ++k, ++i_) {
          if (i_ >= s_.size() || !absl::ascii_isxdigit(s_[i_])) return false;
        }
        out->append(s_.data() + i_ - 6, 6);
      } else if (absl::string_view("\"\\/bfnrt").find(e) ==
                 absl::string_view::npos) {
        return false;
      } else {
        out->push_back(e);
      }
    }
    return false;
  }
  bool Value() {
    SkipSpace();
    if (i_ >= s_.size()) return false;
    switch (s_[i_]) {
      case '{': {
        ++i_;
        if (Eat('}')) return true;
        std::set<std::string> names;
        do {
          std::string name;
          if (!String(&name) || !names.insert(name).second || !Eat(':') ||
              !Value()) {
            return false;
          }
        } while (Eat(','));
        return Eat('}');
      }
      case '[':
        ++i_;
        if (Eat(']')) return true;
        do {
          if (!Value()) return false;
        } while (Eat(','));
        return Eat(']');
      case '"': {
        std::string ignored;
        return String(&ignored);
      }
      case 't':
        return Word("true");
      case 'f':
        return Word("false");
      case 'n':
        return Word("null");
      default:
        return Number();
    }
  }

  absl::string_view s_;
  size_t i_ = 0;
};

void CheckRefusal(const absl::Status& status, absl::string_view file_name) {
  Check(status.code() == absl::StatusCode::kInvalidArgument);
  Check(absl::StartsWith(status.message(), absl::StrCat(file_name, ":")));
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  google::protobuf::SetLogHandler(nullptr);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static constexpr const char* kFileNames[] = {"config.txtpb", "config.json",
                                               "config.yaml"};
  const int format = data[0] % 3;
  const char* const file_name = kFileNames[format];
  const std::string text(reinterpret_cast<const char*>(data + 1), size - 1);

  std::unique_ptr<google::protobuf::Message> message =
      NewMessage((data[0] / 3) % 6);
  const absl::Status status =
      cxdesk::clients::cli::ParseConfigFile(file_name, text, message.get());
  if (!status.ok()) CheckRefusal(status, file_name);

  if (format == 2) {
    absl::StatusOr<std::string> json =
        cxdesk::clients::cli::YamlToJson(file_name, text);
    if (!json.ok()) {
      CheckRefusal(json.status(), file_name);
    } else {
      JsonChecker checker(*json);
      if (!checker.Valid()) {
        std::fprintf(stderr, "YamlToJson answered what is not JSON: %s\n",
                     json->c_str());
        __builtin_trap();
      }
    }
  }
  return 0;
}
