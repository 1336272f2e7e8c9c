#ifndef CXDESK_SERVICES_COMMON_PROTO_TIME_H_
#define CXDESK_SERVICES_COMMON_PROTO_TIME_H_

#include <google/protobuf/timestamp.pb.h>

#include "absl/time/time.h"

namespace cxdesk::common {

// The one conversion between absl::Time and google.protobuf.Timestamp, both
// ways, exact to the nanosecond (nanos stay in 0..999,999,999 also before
// 1970).
void ToProtoTimestamp(absl::Time t, google::protobuf::Timestamp* out);
absl::Time FromProtoTimestamp(const google::protobuf::Timestamp& ts);

}  // namespace cxdesk::common

#endif  // CXDESK_SERVICES_COMMON_PROTO_TIME_H_
