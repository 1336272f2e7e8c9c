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

void ToProtoDuration(absl::Duration d, google::protobuf::Duration* out) {
  // Truncates toward zero: seconds and nanos keep d's sign.
  const int64_t seconds = absl::IDivDuration(d, absl::Seconds(1), &d);
  out->set_seconds(seconds);
  out->set_nanos(static_cast<int32_t>(absl::ToInt64Nanoseconds(d)));
}

absl::Duration FromProtoDuration(const google::protobuf::Duration& d) {
  return absl::Seconds(d.seconds()) + absl::Nanoseconds(d.nanos());
}

}  // namespace cxdesk::common
