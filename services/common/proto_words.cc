#include "services/common/proto_words.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace cxdesk::common {
namespace {

std::string WordOf(const std::string& name, absl::string_view prefix) {
  if (!absl::StartsWith(name, prefix) || absl::EndsWith(name, "UNSPECIFIED")) {
    return "";
  }
  return absl::AsciiStrToLower(name.substr(prefix.size()));
}

template <typename E>
E EnumOf(absl::string_view word, absl::string_view prefix,
         bool (*parse)(const std::string&, E*)) {
  E value{};
  if (word.empty() ||
      !parse(absl::StrCat(prefix, absl::AsciiStrToUpper(word)), &value)) {
    return E{};
  }
  return value;
}

}  // namespace

std::string PriorityWord(int v) {
  return WordOf(ticketpb::Priority_Name(v), "PRIORITY_");
}
std::string KindWord(int v) { return WordOf(ticketpb::Kind_Name(v), "KIND_"); }
std::string CxLevelWord(int v) {
  return WordOf(ticketpb::CxLevel_Name(v), "CX_LEVEL_");
}
std::string ChannelWord(int v) {
  return WordOf(ticketpb::Channel_Name(v), "CHANNEL_");
}
std::string StatusWord(int v) {
  return WordOf(ticketpb::Status_Name(v), "STATUS_");
}

ticketpb::Priority PriorityOf(absl::string_view w) {
  return EnumOf(w, "PRIORITY_", &ticketpb::Priority_Parse);
}
ticketpb::Kind KindOf(absl::string_view w) {
  return EnumOf(w, "KIND_", &ticketpb::Kind_Parse);
}
ticketpb::CxLevel CxLevelOf(absl::string_view w) {
  return EnumOf(w, "CX_LEVEL_", &ticketpb::CxLevel_Parse);
}
ticketpb::Channel ChannelOf(absl::string_view w) {
  return EnumOf(w, "CHANNEL_", &ticketpb::Channel_Parse);
}
ticketpb::Status StatusOf(absl::string_view w) {
  return EnumOf(w, "STATUS_", &ticketpb::Status_Parse);
}

}  // namespace cxdesk::common
