#ifndef CXDESK_SERVICES_COMMON_PROTO_TIME_H_
#define CXDESK_SERVICES_COMMON_PROTO_TIME_H_

#include <google/protobuf/duration.pb.h>
#include <google/protobuf/timestamp.pb.h>

#include "absl/time/time.h"

namespace cxdesk::common {

// The one conversion between absl::Time and google.protobuf.Timestamp, both
// ways, exact to the nanosecond (nanos stay in 0..999,999,999 also before
// 1970).
void ToProtoTimestamp(absl::Time t, google::protobuf::Timestamp* out);
absl::Time FromProtoTimestamp(const google::protobuf::Timestamp& ts);

// The same for absl::Duration and google.protobuf.Duration (seconds and
// nanos carry the same sign, as the proto requires).
void ToProtoDuration(absl::Duration d, google::protobuf::Duration* out);
absl::Duration FromProtoDuration(const google::protobuf::Duration& d);

}  // namespace cxdesk::common

#endif  // CXDESK_SERVICES_COMMON_PROTO_TIME_H_
