#ifndef CXDESK_SERVICES_COMMON_REQUEST_LIMITS_H_
#define CXDESK_SERVICES_COMMON_REQUEST_LIMITS_H_

// The input limits that every request of every cxdesk API obeys, read from
// the `(cxdesk.limits.v1.text)` and `(cxdesk.limits.v1.max_items)` options
// on the proto fields (proto/cxdesk/limits/v1/limits.proto), and enforced
// here by reflection so that no field of any request is forgotten.

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "services/common/text.h"

namespace cxdesk::common {

// The rule of a string field: its `text` option, or for a field without one
// kDefaultTextRule (a test keeps every request field annotated).
TextRule TextRuleOf(const google::protobuf::FieldDescriptor& field);
// The most values of a repeated field: its `max_items` option, or
// kDefaultMaxItems.
int MaxItemsOf(const google::protobuf::FieldDescriptor& field);

// max_chars, max_bytes, multiline.
inline constexpr TextRule kDefaultTextRule = {0, 1000, false};
inline constexpr int kDefaultMaxItems = 1000;
// google.protobuf.FieldMask paths: at most this many, each a single line of
// at most 100 bytes.
inline constexpr int kMaxFieldMaskPaths = 20;
inline constexpr TextRule kFieldMaskPathRule = {0, 100, false};

// OK if every set field of `request`, at any depth, is within its limits
// (common::CheckText for strings, max_items for repeated fields); otherwise
// INVALID_ARGUMENT for the first one, named by its path ("ticket.subject",
// "tags[3]", "update_mask.paths[0]").
absl::Status CheckRequestLimits(const google::protobuf::Message& request);

// Why `bytes` do not parse as a `type`: INVALID_ARGUMENT naming the first
// string field that is not valid UTF-8 ("calendar.time_zone: not valid UTF-8
// at byte 3; string fields hold UTF-8 text"), or saying that the bytes are
// not a well-formed `type` at all.
absl::Status ExplainParseFailure(const google::protobuf::Descriptor& type,
                                 absl::string_view bytes);

// One limited field of a request, for documentation: its path
// ("ticket.tags[]") and its limit in words ("at most 50 bytes, one line;
// at most 20 values").
struct FieldLimit {
  std::string path;
  std::string limit;
};

// Every string and repeated field reachable from `type`, in declaration
// order, with its limit (docs/limits.md is checked against this).
std::vector<FieldLimit> DescribeLimits(
    const google::protobuf::Descriptor& type);

// The paths of the string and repeated fields reachable from `type` that
// declare no limit (for the test that keeps every API annotated). Fields of
// google.protobuf types are not listed: their limits are built in.
std::vector<std::string> FieldsWithoutLimits(
    const google::protobuf::Descriptor& type);

}  // namespace cxdesk::common

#endif  // CXDESK_SERVICES_COMMON_REQUEST_LIMITS_H_
