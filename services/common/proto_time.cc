#include "services/common/proto_time.h"

#include <cstdint>

namespace cxdesk::common {

void ToProtoTimestamp(absl::Time t, google::protobuf::Timestamp* out) {
  // Floor to whole seconds so the remainder is never negative.
  const absl::Time second = absl::FromUnixSeconds(absl::ToUnixSeconds(t));
  const absl::Time floor = second > t ? second - absl::Seconds(1) : second;
  out->set_seconds(absl::ToUnixSeconds(floor));
  out->set_nanos(static_cast<int32_t>((t - floor) / absl::Nanoseconds(1)));
}

absl::Time FromProtoTimestamp(const google::protobuf::Timestamp& ts) {
  return absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos());
}

}  // namespace cxdesk::common
