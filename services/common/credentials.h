#ifndef CXDESK_SERVICES_COMMON_CREDENTIALS_H_
#define CXDESK_SERVICES_COMMON_CREDENTIALS_H_

#include <string>

namespace cxdesk::common {

// What a request presents about its caller, before anything is checked:
// the one credentials type of every service's use cases. Either may be
// empty; a header that is present but empty is "-", so that it is refused
// as a bad credential rather than taken as none.
struct Credentials {
  std::string bearer_token;  // "authorization: Bearer <token>" (staff)
  std::string access_key;    // "x-cxdesk-access-key: <key>" (a customer)
};

}  // namespace cxdesk::common

#endif  // CXDESK_SERVICES_COMMON_CREDENTIALS_H_
