#ifndef CXDESK_SERVICES_COMMON_PG_VALUES_H_
#define CXDESK_SERVICES_COMMON_PG_VALUES_H_

// Values across the libpqxx boundary, shared by the stores. Times cross the
// wire as integer microseconds since the Unix epoch (CXDESK_TS / CXDESK_US
// in SQL), converted exactly on both sides; arrays as array literals.

#include <cstdint>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

// SQL: parameter `p` (integer microseconds) as a timestamptz.
#define CXDESK_TS(p) \
  "('epoch'::timestamptz + (" p ")::bigint * interval '1 microsecond')"
// SQL: timestamptz column `c` as integer microseconds.
#define CXDESK_US(c) "(extract(epoch FROM " c ") * 1000000)::bigint"

namespace cxdesk::common {

// A PostgreSQL array literal of `items`, each quoted so no element can
// break the literal.
std::string ArrayLiteral(const std::vector<std::string>& items);

// The elements of a one-dimensional text[] value (NULL elements are
// skipped).
std::vector<std::string> ParseTextArray(const pqxx::field& field);

// Reads consecutive columns of one row.
class PgCols {
 public:
  explicit PgCols(const pqxx::row& row) : row_(row) {}
  bool IsNull() const { return row_[i_].is_null(); }
  std::string Str() { return row_[i_++].as<std::string>(std::string()); }
  int64_t Int() { return row_[i_++].as<int64_t>(0); }
  bool Bool() { return row_[i_++].as<bool>(false); }
  double Double() { return row_[i_++].as<double>(0); }
  // A CXDESK_US column.
  absl::Time Time() { return absl::FromUnixMicros(Int()); }
  std::optional<absl::Time> OptTime() {
    if (IsNull()) {
      ++i_;
      return std::nullopt;
    }
    return Time();
  }
  std::optional<int64_t> OptInt() {
    if (IsNull()) {
      ++i_;
      return std::nullopt;
    }
    return Int();
  }
  std::vector<std::string> TextArray() { return ParseTextArray(row_[i_++]); }
  // A bytea column, unescaped.
  std::string Bytes() { return pqxx::binarystring(row_[i_++]).str(); }
  void Skip(int n) { i_ += n; }

 private:
  const pqxx::row& row_;
  int i_ = 0;
};

}  // namespace cxdesk::common

#endif  // CXDESK_SERVICES_COMMON_PG_VALUES_H_
