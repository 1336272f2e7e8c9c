#ifndef CXDESK_CLIENTS_COMMON_ERROR_WORDS_H_
#define CXDESK_CLIENTS_COMMON_ERROR_WORDS_H_

// Errors from the services in plain words, told by one table-driven
// function: each voice (who asked, and who reads the answer) has a table of
// texts by status code, consulted in order, the first match winning.

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace cxdesk::clients {

// Whose error is told, and to whom.
enum class ErrorVoice {
  kTicket,      // staff, about a call to the ticket service
  kSla,         // staff, about a call to the SLA service
  kEscalation,  // staff, about a call to the escalation service
  kAudit,       // staff, about a call to one service's audit trail
  kCustomer,    // a customer (cxdesk-status), about the ticket service
  kConsole,     // an agent in cxdesk-console's status line, about a service
};

// What the texts may name besides the status itself.
struct ErrorSubject {
  // The service asked, for kAudit and kConsole: "ticket", "SLA" or
  // "escalation".
  std::string service;
  // Its address, HOST:PORT.
  std::string target;
  // The ticket asked about, for kCustomer; 0 when there is none yet.
  int64_t ticket_id = 0;
};

// A message for people, in plain words, explaining `status` and what to do
// about it, in `voice`. Never contains credentials (the servers' messages
// never repeat them). For OK returns "ok" in every voice.
std::string DescribeStatus(const absl::Status& status, ErrorVoice voice,
                           const ErrorSubject& subject);

// RESOURCE_EXHAUSTED from `service` ("the ticket service") in plain words:
// a request over the server's message limit ("Received message larger than
// max (N vs. M)", gRPC's own words) says how large it was and what the limit
// is; anything else is the service being busy or a limit being hit.
std::string DescribeResourceExhausted(absl::string_view service,
                                      absl::string_view message);

}  // namespace cxdesk::clients

#endif  // CXDESK_CLIENTS_COMMON_ERROR_WORDS_H_
