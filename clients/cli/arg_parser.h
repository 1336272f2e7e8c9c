#ifndef CXDESK_CLIENTS_CLI_ARG_PARSER_H_
#define CXDESK_CLIENTS_CLI_ARG_PARSER_H_

// Moved to clients/common/arg_parser.h (cxdesk_client_common). These names
// stay in cli:: only until the console includes that header; new code uses
// the common one.

#include "clients/common/arg_parser.h"

namespace cxdesk::clients::cli {

using ::cxdesk::clients::FlagParser;
using ::cxdesk::clients::FlagSpec;
using ::cxdesk::clients::ParsedFlags;

}  // namespace cxdesk::clients::cli

#endif  // CXDESK_CLIENTS_CLI_ARG_PARSER_H_
