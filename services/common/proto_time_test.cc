#include "services/common/proto_time.h"

#include <gtest/gtest.h>

namespace cxdesk::common {
namespace {

TEST(ProtoTimeTest, RoundTripsToTheNanosecond) {
  const absl::Time t = absl::FromUnixNanos(1'767'225'600'123'456'789);
  google::protobuf::Timestamp ts;
  ToProtoTimestamp(t, &ts);
  EXPECT_EQ(ts.seconds(), 1'767'225'600);
  EXPECT_EQ(ts.nanos(), 123'456'789);
  EXPECT_EQ(FromProtoTimestamp(ts), t);
}

TEST(ProtoTimeTest, InstantsBefore1970KeepNonNegativeNanos) {
  const absl::Time t = absl::UnixEpoch() - absl::Milliseconds(1500);
  google::protobuf::Timestamp ts;
  ToProtoTimestamp(t, &ts);
  EXPECT_EQ(ts.seconds(), -2);
  EXPECT_EQ(ts.nanos(), 500'000'000);
  EXPECT_EQ(FromProtoTimestamp(ts), t);
}

TEST(ProtoDurationTest, RoundTripsWithTheSameSignOnBothParts) {
  google::protobuf::Duration proto;
  ToProtoDuration(absl::Seconds(-3) - absl::Nanoseconds(250), &proto);
  EXPECT_EQ(proto.seconds(), -3);
  EXPECT_EQ(proto.nanos(), -250);
  EXPECT_EQ(FromProtoDuration(proto),
            absl::Seconds(-3) - absl::Nanoseconds(250));
  ToProtoDuration(absl::Milliseconds(1500), &proto);
  EXPECT_EQ(proto.seconds(), 1);
  EXPECT_EQ(proto.nanos(), 500000000);
  EXPECT_EQ(FromProtoDuration(proto), absl::Milliseconds(1500));
}

}  // namespace
}  // namespace cxdesk::common
