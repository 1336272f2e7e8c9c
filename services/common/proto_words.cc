#include "services/common/proto_words.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/strip.h"

namespace cxdesk::common {
namespace {

// "PRIORITY_" for Priority: the name of value 0 ("PRIORITY_UNSPECIFIED")
// without "UNSPECIFIED"; "" if the enum has no such value.
absl::string_view PrefixOf(const google::protobuf::EnumDescriptor& type) {
  const google::protobuf::EnumValueDescriptor* zero = type.FindValueByNumber(0);
  if (zero == nullptr) return "";
  absl::string_view name = zero->name();
  if (!absl::ConsumeSuffix(&name, "UNSPECIFIED")) return "";
  return name;
}

template <typename E>
E EnumOf(absl::string_view word) {
  return static_cast<E>(
      EnumValueOfWord(*google::protobuf::GetEnumDescriptor<E>(), word));
}

}  // namespace

std::string EnumValueWord(const google::protobuf::EnumDescriptor& type,
                          int number) {
  const google::protobuf::EnumValueDescriptor* value =
      type.FindValueByNumber(number);
  if (number == 0 || value == nullptr) return "";
  absl::string_view name = value->name();
  absl::ConsumePrefix(&name, PrefixOf(type));
  return absl::AsciiStrToLower(name);
}

int EnumValueOfWord(const google::protobuf::EnumDescriptor& type,
                    absl::string_view word) {
  if (word.empty()) return 0;
  for (int i = 0; i < type.value_count(); ++i) {
    const int number = type.value(i)->number();
    if (number != 0 &&
        absl::EqualsIgnoreCase(EnumValueWord(type, number), word)) {
      return number;
    }
  }
  return 0;
}

std::string PriorityWord(int v) {
  return EnumValueWord(*ticketpb::Priority_descriptor(), v);
}
std::string KindWord(int v) {
  return EnumValueWord(*ticketpb::Kind_descriptor(), v);
}
std::string CxLevelWord(int v) {
  return EnumValueWord(*ticketpb::CxLevel_descriptor(), v);
}
std::string ChannelWord(int v) {
  return EnumValueWord(*ticketpb::Channel_descriptor(), v);
}
std::string StatusWord(int v) {
  return EnumValueWord(*ticketpb::Status_descriptor(), v);
}

ticketpb::Priority PriorityOf(absl::string_view w) {
  return EnumOf<ticketpb::Priority>(w);
}
ticketpb::Kind KindOf(absl::string_view w) { return EnumOf<ticketpb::Kind>(w); }
ticketpb::CxLevel CxLevelOf(absl::string_view w) {
  return EnumOf<ticketpb::CxLevel>(w);
}
ticketpb::Channel ChannelOf(absl::string_view w) {
  return EnumOf<ticketpb::Channel>(w);
}
ticketpb::Status StatusOf(absl::string_view w) {
  return EnumOf<ticketpb::Status>(w);
}

}  // namespace cxdesk::common
