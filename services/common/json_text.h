#ifndef CXDESK_SERVICES_COMMON_JSON_TEXT_H_
#define CXDESK_SERVICES_COMMON_JSON_TEXT_H_

#include <string>

#include "absl/strings/string_view.h"

namespace cxdesk::common {

// `text` as a JSON string literal, quotes included: '"', '\\' and control
// characters escaped (\n, \r, \t, \b, \f, else \u00XX, DEL too); every other
// byte as it is, so UTF-8 passes through. For JSON we write by hand (webhook
// bodies, the customer client's output); protobuf messages go through
// MessageToJsonString instead.
std::string JsonQuote(absl::string_view text);

}  // namespace cxdesk::common

#endif  // CXDESK_SERVICES_COMMON_JSON_TEXT_H_
