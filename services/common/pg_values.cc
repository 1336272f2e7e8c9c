#include "services/common/pg_values.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace cxdesk::common {

std::string ArrayLiteral(const std::vector<std::string>& items) {
  std::vector<std::string> quoted;
  quoted.reserve(items.size());
  for (const std::string& item : items) {
    std::string q = "\"";
    for (char c : item) {
      if (c == '"' || c == '\\') q.push_back('\\');
      q.push_back(c);
    }
    quoted.push_back(q + "\"");
  }
  return absl::StrCat("{", absl::StrJoin(quoted, ","), "}");
}

std::vector<std::string> ParseTextArray(const pqxx::field& field) {
  std::vector<std::string> out;
  if (field.is_null()) return out;
  pqxx::array_parser parser = field.as_array();
  while (true) {
    std::pair<pqxx::array_parser::juncture, std::string> next =
        parser.get_next();
    if (next.first == pqxx::array_parser::juncture::done) break;
    if (next.first == pqxx::array_parser::juncture::string_value) {
      out.push_back(std::move(next.second));
    }
  }
  return out;
}

}  // namespace cxdesk::common
