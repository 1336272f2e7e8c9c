#include "services/common/request_limits.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/wire_format_lite.h>

#include <map>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "cxdesk/limits/v1/limits.pb.h"

namespace cxdesk::common {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;
using google::protobuf::internal::WireFormatLite;

constexpr absl::string_view kFieldMask = "google.protobuf.FieldMask";

std::string Join(absl::string_view prefix, absl::string_view name) {
  return prefix.empty() ? std::string(name) : absl::StrCat(prefix, ".", name);
}

std::string Indexed(absl::string_view path, int index) {
  return absl::StrCat(path, "[", index, "]");
}

bool IsGoogleType(const Descriptor& type) {
  return absl::StartsWith(type.full_name(), "google.protobuf.");
}

absl::Status CheckMessage(const Message& message, const std::string& prefix,
                          int depth);

absl::Status CheckFieldMask(const Message& mask, const std::string& path) {
  const FieldDescriptor* paths = mask.GetDescriptor()->FindFieldByName("paths");
  const Reflection& r = *mask.GetReflection();
  const int n = r.FieldSize(mask, paths);
  const std::string field = Join(path, "paths");
  if (n > kMaxFieldMaskPaths) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ": at most ", kMaxFieldMaskPaths, " paths, got ", n));
  }
  std::string scratch;
  for (int i = 0; i < n; ++i) {
    const std::string& value =
        r.GetRepeatedStringReference(mask, paths, i, &scratch);
    if (absl::Status s =
            CheckText(Indexed(field, i), value, kFieldMaskPathRule);
        !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

absl::Status CheckField(const Message& message, const FieldDescriptor& field,
                        const std::string& path, int depth) {
  const Reflection& r = *message.GetReflection();
  if (field.is_repeated()) {
    const int n = r.FieldSize(message, &field);
    const int max = MaxItemsOf(field);
    if (n > max) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ": at most ", max, " values, got ", n));
    }
    if (field.type() == FieldDescriptor::TYPE_STRING) {
      const TextRule rule = TextRuleOf(field);
      std::string scratch;
      for (int i = 0; i < n; ++i) {
        const std::string& value =
            r.GetRepeatedStringReference(message, &field, i, &scratch);
        if (absl::Status s = CheckText(Indexed(path, i), value, rule);
            !s.ok()) {
          return s;
        }
      }
    } else if (field.type() == FieldDescriptor::TYPE_MESSAGE) {
      for (int i = 0; i < n; ++i) {
        if (absl::Status s =
                CheckMessage(r.GetRepeatedMessage(message, &field, i),
                             Indexed(path, i), depth + 1);
            !s.ok()) {
          return s;
        }
      }
    }
    return absl::OkStatus();
  }
  if (field.type() == FieldDescriptor::TYPE_STRING) {
    std::string scratch;
    return CheckText(path, r.GetStringReference(message, &field, &scratch),
                     TextRuleOf(field));
  }
  if (field.type() == FieldDescriptor::TYPE_MESSAGE) {
    return CheckMessage(r.GetMessage(message, &field), path, depth + 1);
  }
  return absl::OkStatus();
}

absl::Status CheckMessage(const Message& message, const std::string& prefix,
                          int depth) {
  // Protobuf's parser already refuses nesting deeper than 100.
  if (depth > 100) {
    return absl::InvalidArgumentError(
        absl::StrCat(prefix, ": nested too deeply"));
  }
  const Descriptor& type = *message.GetDescriptor();
  if (type.full_name() == kFieldMask) return CheckFieldMask(message, prefix);
  std::vector<const FieldDescriptor*> fields;
  message.GetReflection()->ListFields(message, &fields);
  for (const FieldDescriptor* field : fields) {
    if (absl::Status s =
            CheckField(message, *field, Join(prefix, field->name()), depth);
        !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

// Walks the wire format of a `type` in `in`; true (with the path in
// `found`) at the first string field that is not valid UTF-8.
bool FindInvalidString(const Descriptor& type,
                       google::protobuf::io::CodedInputStream* in,
                       const std::string& prefix, int depth, std::string* found,
                       size_t* offset) {
  if (depth > 100) return false;
  std::map<int, int> seen;  // field number -> values read so far
  while (true) {
    const uint32_t tag = in->ReadTag();
    if (tag == 0) return false;
    const int number = WireFormatLite::GetTagFieldNumber(tag);
    const FieldDescriptor* field = type.FindFieldByNumber(number);
    if (field == nullptr || WireFormatLite::GetTagWireType(tag) !=
                                WireFormatLite::WIRETYPE_LENGTH_DELIMITED) {
      if (!WireFormatLite::SkipField(in, tag)) return false;
      continue;
    }
    uint32_t length = 0;
    if (!in->ReadVarint32(&length)) return false;
    std::string path = Join(prefix, field->name());
    if (field->is_repeated()) path = Indexed(path, seen[number]++);
    if (field->type() == FieldDescriptor::TYPE_STRING) {
      std::string value;
      if (!in->ReadString(&value, static_cast<int>(length))) return false;
      if (size_t bad = FirstInvalidUtf8(value);
          bad != absl::string_view::npos) {
        *found = std::move(path);
        *offset = bad;
        return true;
      }
    } else if (field->type() == FieldDescriptor::TYPE_MESSAGE) {
      const auto limit = in->PushLimit(static_cast<int>(length));
      if (FindInvalidString(*field->message_type(), in, path, depth + 1, found,
                            offset)) {
        return true;
      }
      in->PopLimit(limit);
    } else if (!in->Skip(static_cast<int>(length))) {
      return false;
    }
  }
}

void CollectUnlimited(const Descriptor& type, const std::string& prefix,
                      std::set<const Descriptor*>* visiting,
                      std::vector<std::string>* out) {
  if (IsGoogleType(type) || !visiting->insert(&type).second) return;
  for (int i = 0; i < type.field_count(); ++i) {
    const FieldDescriptor& field = *type.field(i);
    const std::string path = Join(prefix, field.name());
    const auto& options = field.options();
    if (field.is_repeated() && !options.HasExtension(limits::v1::max_items)) {
      out->push_back(absl::StrCat(path, " (max_items)"));
    }
    if (field.type() == FieldDescriptor::TYPE_STRING &&
        !options.HasExtension(limits::v1::text)) {
      out->push_back(absl::StrCat(path, " (text)"));
    }
    if (field.type() == FieldDescriptor::TYPE_MESSAGE) {
      CollectUnlimited(*field.message_type(), path, visiting, out);
    }
  }
  visiting->erase(&type);
}

std::string RuleWords(const TextRule& rule) {
  std::string words = "at most ";
  if (rule.max_chars > 0) {
    absl::StrAppend(&words, rule.max_chars, " characters");
    if (rule.max_bytes > 0)
      absl::StrAppend(&words, " and ", rule.max_bytes, " bytes");
  } else {
    absl::StrAppend(&words, rule.max_bytes, " bytes");
  }
  absl::StrAppend(&words, rule.multiline ? ", lines allowed" : ", one line");
  return words;
}

void Describe(const Descriptor& type, const std::string& prefix,
              std::set<const Descriptor*>* visiting,
              std::vector<FieldLimit>* out) {
  if (!visiting->insert(&type).second) return;
  for (int i = 0; i < type.field_count(); ++i) {
    const FieldDescriptor& field = *type.field(i);
    const bool is_mask = field.type() == FieldDescriptor::TYPE_MESSAGE &&
                         field.message_type()->full_name() == kFieldMask;
    const bool is_text = field.type() == FieldDescriptor::TYPE_STRING;
    std::string path = Join(prefix, field.name());
    std::vector<std::string> words;
    if (is_text) words.push_back(RuleWords(TextRuleOf(field)));
    if (field.is_repeated()) {
      words.push_back(absl::StrCat("at most ", MaxItemsOf(field), " values"));
      absl::StrAppend(&path, "[]");
    }
    if (is_mask) {
      words.push_back(absl::StrCat("at most ", kMaxFieldMaskPaths,
                                   " paths, each ",
                                   RuleWords(kFieldMaskPathRule)));
    }
    if (!words.empty()) out->push_back({path, absl::StrJoin(words, "; ")});
    if (field.type() == FieldDescriptor::TYPE_MESSAGE && !is_mask &&
        !IsGoogleType(*field.message_type())) {
      Describe(*field.message_type(), path, visiting, out);
    }
  }
  visiting->erase(&type);
}

}  // namespace

std::vector<FieldLimit> DescribeLimits(const Descriptor& type) {
  std::set<const Descriptor*> visiting;
  std::vector<FieldLimit> out;
  Describe(type, "", &visiting, &out);
  return out;
}

TextRule TextRuleOf(const FieldDescriptor& field) {
  const auto& options = field.options();
  if (!options.HasExtension(limits::v1::text)) return kDefaultTextRule;
  const limits::v1::Text& text = options.GetExtension(limits::v1::text);
  return TextRule{text.max_chars(), text.max_bytes(), text.multiline()};
}

int MaxItemsOf(const FieldDescriptor& field) {
  const auto& options = field.options();
  if (!options.HasExtension(limits::v1::max_items)) return kDefaultMaxItems;
  return options.GetExtension(limits::v1::max_items);
}

absl::Status CheckRequestLimits(const Message& request) {
  return CheckMessage(request, "", 0);
}

absl::Status ExplainParseFailure(const Descriptor& type,
                                 absl::string_view bytes) {
  google::protobuf::io::CodedInputStream in(
      reinterpret_cast<const uint8_t*>(bytes.data()),
      static_cast<int>(bytes.size()));
  std::string path;
  size_t offset = 0;
  if (FindInvalidString(type, &in, "", 0, &path, &offset)) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": not valid UTF-8 at byte ", offset,
                     "; string fields hold UTF-8 text"));
  }
  return absl::InvalidArgumentError(
      absl::StrCat("request: not a well-formed ", type.full_name(),
                   " (the protobuf encoding is broken)"));
}

std::vector<std::string> FieldsWithoutLimits(const Descriptor& type) {
  std::set<const Descriptor*> visiting;
  std::vector<std::string> out;
  CollectUnlimited(type, "", &visiting, &out);
  return out;
}

}  // namespace cxdesk::common
