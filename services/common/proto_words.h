#ifndef CXDESK_SERVICES_COMMON_PROTO_WORDS_H_
#define CXDESK_SERVICES_COMMON_PROTO_WORDS_H_

// Proto enums <-> lower-case words, derived from the enum descriptors in
// one place: a value's word is its name without the enum's prefix,
// lower-cased ("PRIORITY_URGENT" <-> "urgent", "STATUS_ON_HOLD" <->
// "on_hold"). The services' adapters use the words of the ticket service's
// enums below; the clients build their words on EnumValueWord
// (clients/common/enum_words.h).

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "cxdesk/ticket/v1/ticket_service.pb.h"
#include "google/protobuf/descriptor.h"

namespace cxdesk::common {

namespace ticketpb = ::cxdesk::ticket::v1;

// The word of value `number` of `type`: the value's name without the enum's
// prefix (the name of its value 0 without "UNSPECIFIED", e.g. "PRIORITY_"),
// lower-cased: PRIORITY_HIGH -> "high". "" for value 0 and for a number
// `type` does not have.
std::string EnumValueWord(const google::protobuf::EnumDescriptor& type,
                          int number);

// The number of the value of `type` whose EnumValueWord is `word` (compared
// ignoring case); 0 for "" or an unknown word.
int EnumValueOfWord(const google::protobuf::EnumDescriptor& type,
                    absl::string_view word);

// "" for the unspecified value (or a value the proto does not know).
std::string PriorityWord(int value);
std::string KindWord(int value);
std::string CxLevelWord(int value);
std::string ChannelWord(int value);
std::string StatusWord(int value);

// The inverse; the unspecified value for "" or an unknown word.
ticketpb::Priority PriorityOf(absl::string_view word);
ticketpb::Kind KindOf(absl::string_view word);
ticketpb::CxLevel CxLevelOf(absl::string_view word);
ticketpb::Channel ChannelOf(absl::string_view word);
ticketpb::Status StatusOf(absl::string_view word);

}  // namespace cxdesk::common

#endif  // CXDESK_SERVICES_COMMON_PROTO_WORDS_H_
