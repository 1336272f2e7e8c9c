#ifndef CXDESK_SERVICES_COMMON_PROTO_WORDS_H_
#define CXDESK_SERVICES_COMMON_PROTO_WORDS_H_

// The ticket service's proto enums <-> the lower-case words the rules
// use ("PRIORITY_URGENT" <-> "urgent", "STATUS_ON_HOLD" <-> "on_hold").
// Adapter code only (the SLA and escalation services share it).

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "cxdesk/ticket/v1/ticket_service.pb.h"

namespace cxdesk::common {

namespace ticketpb = ::cxdesk::ticket::v1;

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
