#include "clients/web/router.h"

#include <set>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace cxdesk::clients::web {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::optional<std::string> PercentDecode(absl::string_view text,
                                         bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      int high = HexValue(text[i + 1]);
      int low = HexValue(text[i + 2]);
      if (high < 0 || low < 0) return std::nullopt;
      out.push_back(static_cast<char>(high * 16 + low));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

absl::StatusOr<std::multimap<std::string, std::string>> ParseQuery(
    absl::string_view query_string) {
  std::multimap<std::string, std::string> query;
  for (absl::string_view pair : absl::StrSplit(query_string, '&')) {
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    absl::string_view raw_key = pair.substr(0, eq);
    absl::string_view raw_value =
        eq == absl::string_view::npos ? "" : pair.substr(eq + 1);
    std::optional<std::string> key = PercentDecode(raw_key, true);
    std::optional<std::string> value = PercentDecode(raw_value, true);
    if (!key || !value) {
      return absl::InvalidArgumentError("bad percent escape in the query");
    }
    query.emplace(std::move(*key), std::move(*value));
  }
  return query;
}

void Router::Add(absl::string_view method, absl::string_view pattern,
                 HttpHandler handler) {
  Route route;
  route.method = std::string(method);
  route.handler = std::move(handler);
  absl::string_view path = pattern;
  if (!path.empty() && path.front() == '/') path.remove_prefix(1);
  // The verb follows the last segment: "tickets/{id}:rate".
  size_t last_slash = path.rfind('/');
  size_t colon = path.find(
      ':', last_slash == absl::string_view::npos ? 0 : last_slash + 1);
  if (colon != absl::string_view::npos) {
    route.verb = std::string(path.substr(colon + 1));
    path = path.substr(0, colon);
  }
  for (absl::string_view part : absl::StrSplit(path, '/')) {
    Segment segment;
    if (part.size() >= 2 && part.front() == '{' && part.back() == '}') {
      segment.is_param = true;
      part = part.substr(1, part.size() - 2);
    }
    segment.text = std::string(part);
    route.segments.push_back(std::move(segment));
  }
  routes_.push_back(std::move(route));
}

bool Router::Match(const Route& route, absl::string_view path,
                   std::map<std::string, std::string>* raw_params) {
  if (path.empty() || path.front() != '/') return false;
  path.remove_prefix(1);
  size_t last_slash = path.rfind('/');
  size_t last_start =
      last_slash == absl::string_view::npos ? 0 : last_slash + 1;
  if (!route.verb.empty()) {
    absl::string_view suffix = path.substr(last_start);
    size_t colon = suffix.rfind(':');
    if (colon == absl::string_view::npos ||
        suffix.substr(colon + 1) != route.verb) {
      return false;
    }
    path = path.substr(0, last_start + colon);
  } else if (path.find(':', last_start) != absl::string_view::npos) {
    return false;
  }
  std::vector<absl::string_view> parts = absl::StrSplit(path, '/');
  if (parts.size() != route.segments.size()) return false;
  std::map<std::string, std::string> found;
  for (size_t i = 0; i < parts.size(); ++i) {
    const Segment& segment = route.segments[i];
    if (segment.is_param) {
      if (parts[i].empty()) return false;
      found[segment.text] = std::string(parts[i]);
    } else if (parts[i] != segment.text) {
      return false;
    }
  }
  *raw_params = std::move(found);
  return true;
}

HandlerResult Router::Dispatch(const HttpRequest& request) const {
  std::set<std::string> allowed;
  for (const Route& route : routes_) {
    std::map<std::string, std::string> raw_params;
    if (!Match(route, request.path, &raw_params)) continue;
    if (route.method != request.method) {
      allowed.insert(route.method);
      continue;
    }
    HttpRequest routed = request;
    for (auto& [name, raw] : raw_params) {
      std::optional<std::string> value = PercentDecode(raw, false);
      if (!value) {
        return HandlerResult::Complete(
            ErrorResponse(400, "bad percent escape in the path"));
      }
      routed.params[name] = std::move(*value);
    }
    absl::StatusOr<std::multimap<std::string, std::string>> query =
        ParseQuery(request.query_string);
    if (!query.ok()) {
      return HandlerResult::Complete(
          ErrorResponse(400, query.status().message()));
    }
    routed.query = std::move(*query);
    return route.handler(routed);
  }
  if (allowed.empty()) {
    return HandlerResult::Complete(ErrorResponse(404, "no such resource"));
  }
  HttpResponse response = ErrorResponse(405, "method not allowed here");
  response.SetHeader("Allow", absl::StrJoin(allowed, ", "));
  return HandlerResult::Complete(std::move(response));
}

HttpHandler Router::AsHandler() const {
  return [this](const HttpRequest& request) { return Dispatch(request); };
}

}  // namespace cxdesk::clients::web
