#include "services/escalation/curl_http_poster.h"

#include <curl/curl.h>

#include <algorithm>
#include <climits>
#include <cstdint>
#include <memory>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace cxdesk::escalation {
namespace {

// libcurl's global state, set up once for the process and never torn down
// (it is needed until exit). A function-local static: initialised once even
// under concurrent first calls, and trivially destructible.
CURLcode GlobalInit() {
  static const CURLcode code = curl_global_init(CURL_GLOBAL_DEFAULT);
  return code;
}

struct EasyDeleter {
  void operator()(CURL* h) const { curl_easy_cleanup(h); }
};
struct UrlDeleter {
  void operator()(CURLU* u) const { curl_url_cleanup(u); }
};
struct SlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};
struct CurlFreeDeleter {
  void operator()(char* s) const { curl_free(s); }
};
using EasyPtr = std::unique_ptr<CURL, EasyDeleter>;
using UrlPtr = std::unique_ptr<CURLU, UrlDeleter>;
using SlistPtr = std::unique_ptr<curl_slist, SlistDeleter>;
using CurlString = std::unique_ptr<char, CurlFreeDeleter>;

// RFC 9110 token characters.
bool IsTokenChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) ||
         absl::string_view("!#$%&'*+-.^_`|~").find(c) !=
             absl::string_view::npos;
}

absl::Status ValidateHeader(size_t index, absl::string_view name,
                            absl::string_view value) {
  if (name.empty() || !std::all_of(name.begin(), name.end(), IsTokenChar)) {
    return absl::InvalidArgumentError(
        absl::StrCat("headers[", index, "]: name must be an HTTP token"));
  }
  // A CR or LF would let the value inject headers; a NUL would cut it short.
  if (value.find_first_of(absl::string_view("\r\n\0", 3)) !=
      absl::string_view::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat("headers[", index, "] (", name,
                     "): value must not hold CR, LF or NUL"));
  }
  return absl::OkStatus();
}

// Accumulates the response body's size; the bytes themselves are dropped.
struct ResponseSink {
  size_t limit = 0;
  size_t received = 0;
  bool cut_short = false;
};

size_t DiscardBody(char* /*data*/, size_t size, size_t nmemb, void* userdata) {
  auto* sink = static_cast<ResponseSink*>(userdata);
  const size_t n = size * nmemb;
  if (n > sink->limit - sink->received) {
    sink->cut_short = true;
    return 0;  // Makes libcurl stop with CURLE_WRITE_ERROR.
  }
  sink->received += n;
  return n;
}

absl::Status MapCurlError(CURLcode code, absl::string_view host,
                          const char* error_buffer) {
  const std::string message = absl::StrCat(
      "POST to ", host, ": ", curl_easy_strerror(code),
      error_buffer[0] != '\0' ? absl::StrCat(" (", error_buffer, ")")
                              : std::string());
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT:
      return absl::DeadlineExceededError(message);
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
      return absl::InvalidArgumentError(message);
    case CURLE_FAILED_INIT:
    case CURLE_OUT_OF_MEMORY:
    case CURLE_BAD_FUNCTION_ARGUMENT:
    case CURLE_UNKNOWN_OPTION:
    case CURLE_NOT_BUILT_IN:
      return absl::InternalError(message);
    default:
      // DNS, connect, TLS, send/receive errors, an empty or garbled reply:
      // the receiver's side; worth a retry.
      return absl::UnavailableError(message);
  }
}

}  // namespace

CurlHttpPoster::CurlHttpPoster(CurlHttpPosterOptions options)
    : options_(std::move(options)) {
  // Initialise here, typically before the server's threads start.
  GlobalInit();
}

absl::StatusOr<int> CurlHttpPoster::Post(const HttpRequest& request) {
  if (request.timeout <= absl::ZeroDuration() ||
      request.timeout == absl::InfiniteDuration()) {
    return absl::InvalidArgumentError("timeout: must be positive and finite");
  }
  for (size_t i = 0; i < request.headers.size(); ++i) {
    const auto& [name, value] = request.headers[i];
    if (absl::Status s = ValidateHeader(i, name, value); !s.ok()) return s;
  }
  if (GlobalInit() != CURLE_OK) {
    return absl::InternalError("libcurl global initialisation failed");
  }

  // Parse the URL first: to refuse other schemes before any I/O, and to name
  // only its host in messages (a webhook URL often holds a secret in its
  // path or query).
  UrlPtr url(curl_url());
  if (url == nullptr) return absl::InternalError("curl_url failed");
  if (request.url.find('\0') != std::string::npos ||
      curl_url_set(url.get(), CURLUPART_URL, request.url.c_str(), 0) !=
          CURLUE_OK) {
    return absl::InvalidArgumentError("url: not a valid absolute URL");
  }
  char* raw_scheme = nullptr;
  char* raw_host = nullptr;
  curl_url_get(url.get(), CURLUPART_SCHEME, &raw_scheme, 0);
  curl_url_get(url.get(), CURLUPART_HOST, &raw_host, 0);
  const CurlString scheme(raw_scheme);
  const CurlString host_holder(raw_host);
  if (scheme == nullptr || (!absl::EqualsIgnoreCase(scheme.get(), "http") &&
                            !absl::EqualsIgnoreCase(scheme.get(), "https"))) {
    return absl::InvalidArgumentError(
        "url: only http:// and https:// are supported");
  }
  // libcurl reads "http:///x" as host "x"; an empty authority is a mistake.
  const size_t authority = request.url.find("://");
  if (host_holder == nullptr || host_holder.get()[0] == '\0' ||
      authority == std::string::npos ||
      request.url.compare(authority + 3, 1, "/") == 0) {
    return absl::InvalidArgumentError("url: has no host");
  }
  const absl::string_view host = host_holder.get();

  SlistPtr headers;
  const auto append = [&headers](const std::string& line) {
    curl_slist* next = curl_slist_append(headers.get(), line.c_str());
    if (next == nullptr) return false;
    headers.release();  // Now owned by `next`.
    headers.reset(next);
    return true;
  };
  bool has_content_type = false;
  bool ok = true;
  for (const auto& [name, value] : request.headers) {
    has_content_type |= absl::EqualsIgnoreCase(name, "Content-Type");
    // "Name:" would tell libcurl to drop the header; "Name;" sends it empty.
    ok = ok && append(value.empty() ? absl::StrCat(name, ";")
                                    : absl::StrCat(name, ": ", value));
  }
  if (!has_content_type) ok = ok && append("Content-Type: application/json");
  // No "Expect: 100-continue" round trip before larger bodies.
  ok = ok && append("Expect:");
  if (!ok) return absl::InternalError("curl_slist_append failed");

  EasyPtr easy(curl_easy_init());
  if (easy == nullptr) return absl::InternalError("curl_easy_init failed");
  CURL* h = easy.get();
  char error_buffer[CURL_ERROR_SIZE] = {0};
  ResponseSink sink{options_.max_response_bytes};
  const int64_t timeout_ms =
      std::min<int64_t>(absl::ToInt64Milliseconds(
                            absl::Ceil(request.timeout, absl::Milliseconds(1))),
                        LONG_MAX);

  CURLcode code = CURLE_OK;
  const auto set = [&code](CURLcode c) {
    if (code == CURLE_OK) code = c;
  };
  set(curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error_buffer));
  set(curl_easy_setopt(h, CURLOPT_CURLU, url.get()));
#if LIBCURL_VERSION_NUM >= 0x075500  // 7.85.0
  set(curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https"));
#else
  set(curl_easy_setopt(h, CURLOPT_PROTOCOLS,
                       static_cast<long>(CURLPROTO_HTTP | CURLPROTO_HTTPS)));
#endif
  set(curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L));
  set(curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout_ms)));
  set(curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L));
  set(curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L));
  set(curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L));
  set(curl_easy_setopt(h, CURLOPT_USERAGENT, options_.user_agent.c_str()));
  if (options_.proxy.has_value()) {
    set(curl_easy_setopt(h, CURLOPT_PROXY, options_.proxy->c_str()));
  }
  set(curl_easy_setopt(h, CURLOPT_POST, 1L));
  set(curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
                       static_cast<curl_off_t>(request.body.size())));
  // Not copied: `request` outlives the transfer.
  set(curl_easy_setopt(h, CURLOPT_POSTFIELDS, request.body.data()));
  set(curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get()));
  set(curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &DiscardBody));
  set(curl_easy_setopt(h, CURLOPT_WRITEDATA, &sink));
  if (code != CURLE_OK) return MapCurlError(code, host, error_buffer);

  code = curl_easy_perform(h);
  long status = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  if (code == CURLE_OK ||
      (code == CURLE_WRITE_ERROR && sink.cut_short && status != 0)) {
    return static_cast<int>(status);
  }
  return MapCurlError(code, host, error_buffer);
}

}  // namespace cxdesk::escalation
