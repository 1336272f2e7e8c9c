#include "clients/web/api_routes.h"

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/struct.pb.h"

namespace cxdesk::clients::web {
namespace {

namespace ticketpb = ::cxdesk::ticket::v1;

constexpr char kJson[] = "application/json";

// The seconds of a wait, rounded up, at least one.
int WholeSeconds(absl::Duration wait) {
  const int64_t seconds =
      absl::ToInt64Seconds(absl::Ceil(wait, absl::Seconds(1)));
  return seconds < 1 ? 1 : static_cast<int>(seconds);
}

// The key the caller sent for `ticket_id`: the header first (an API user
// says which key on purpose), else the ticket's cookie; "" when neither holds
// a key-shaped one.
std::string KeyOf(const HttpRequest& request, int64_t ticket_id) {
  const std::string header = request.Header(kAccessKeyRequestHeader);
  if (!header.empty()) return IsKeyShaped(header) ? header : "";
  return KeyFromCookies(request.Header("cookie"), ticket_id).value_or("");
}

// The message of the body of :exchangeKey, {"accessKey": "..."}: the key, or
// INVALID_ARGUMENT naming the problem as MessageFromJson does.
absl::StatusOr<std::string> AccessKeyOfBody(absl::string_view body) {
  google::protobuf::Struct object;
  if (absl::Status parsed = MessageFromJson(body, &object); !parsed.ok()) {
    return parsed;
  }
  for (const auto& [name, value] : object.fields()) {
    if (name != "accessKey") {
      return absl::InvalidArgumentError(
          absl::StrCat("body: unknown field \"", name, "\""));
    }
  }
  auto key = object.fields().find("accessKey");
  if (key == object.fields().end() ||
      key->second.kind_case() != google::protobuf::Value::kStringValue ||
      key->second.string_value().empty()) {
    return absl::InvalidArgumentError("accessKey: required, a string");
  }
  if (!IsKeyShaped(key->second.string_value())) {
    return absl::InvalidArgumentError(
        "accessKey: not an access key (1 to 128 letters, digits, - or _)");
  }
  return key->second.string_value();
}

}  // namespace

HandlerResult JsonResult(int status, std::string body) {
  HttpResponse response;
  response.status = status;
  response.SetHeader("Content-Type", kJson);
  response.body = std::move(body);
  return HandlerResult::Complete(std::move(response));
}

HandlerResult ErrorResult(const HttpError& error) {
  HandlerResult result = JsonResult(error.http_status, ErrorJson(error));
  if (error.retry_after_seconds.has_value()) {
    result.response.SetHeader("Retry-After",
                              absl::StrCat(*error.retry_after_seconds));
  }
  return result;
}

absl::StatusOr<int64_t> ParseTicketId(absl::string_view text) {
  int64_t id = 0;
  // SimpleAtoi allows a sign and surrounding spaces; an id is digits only.
  const bool digits =
      !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
        return absl::ascii_isdigit(c);
      });
  if (!digits || !absl::SimpleAtoi(text, &id) || id <= 0) {
    return absl::InvalidArgumentError("ticket_id: must be a positive integer");
  }
  return id;
}

TicketApi::TicketApi(Options options, const TicketClient& tickets,
                     const common::Clock& clock)
    : options_(std::move(options)),
      tickets_(tickets),
      clock_(clock),
      limiter_(options_.guess_limit) {}

void TicketApi::AddRoutes(Router& router) {
  router.Add("POST", "/api/v1/tickets",
             [this](const HttpRequest& r) { return CreateTicket(r); });
  router.Add("GET", "/api/v1/tickets/{id}/status",
             [this](const HttpRequest& r) { return GetStatus(r); });
  router.Add("POST", "/api/v1/tickets/{id}/comments",
             [this](const HttpRequest& r) { return AddComment(r); });
  router.Add("POST", "/api/v1/tickets/{id}:rate",
             [this](const HttpRequest& r) { return Rate(r); });
  router.Add("POST", "/api/v1/tickets/{id}:exchangeKey",
             [this](const HttpRequest& r) { return ExchangeKey(r); });
}

std::string TicketApi::Cookie(int64_t ticket_id, absl::string_view key) const {
  return KeyCookie(ticket_id, key, options_.tls, options_.cookie_max_age);
}

std::optional<HandlerResult> TicketApi::Admit(const HttpRequest& request,
                                              bool post, Caller* caller) {
  if (post) {
    const std::string origin = request.Header("origin");
    if (!origin.empty() && origin != options_.origin) {
      return ErrorResult(HttpErrorOf(absl::PermissionDeniedError(
          "Origin: requests from another site are not accepted")));
    }
  }
  if (caller == nullptr) return std::nullopt;
  auto it = request.params.find("id");
  absl::StatusOr<int64_t> id = ParseTicketId(
      it == request.params.end() ? absl::string_view() : it->second);
  if (!id.ok()) return ErrorResult(HttpErrorOf(id.status()));
  const absl::Duration wait =
      limiter_.TryAgainIn(request.peer_address, clock_.Now());
  if (wait > absl::ZeroDuration()) {
    HttpError error = HttpErrorOf(absl::ResourceExhaustedError(
        "too many wrong keys or unknown tickets from this address; try "
        "again later"));
    error.retry_after_seconds = WholeSeconds(wait);
    return ErrorResult(error);
  }
  caller->ticket_id = *id;
  caller->credentials.access_key = KeyOf(request, *id);
  return std::nullopt;
}

HandlerResult TicketApi::CallFailed(const HttpRequest& request,
                                    const absl::Status& status,
                                    bool key_bearing) {
  HttpError error = HttpErrorOf(status);
  if (key_bearing && (error.http_status == 404 || error.http_status == 401)) {
    limiter_.RecordFailure(request.peer_address, clock_.Now());
  }
  if (error.http_status == 503 || error.http_status == 504) {
    // The transport's text names addresses inside our network.
    error.message =
        "the ticket service is not reachable just now; please try again";
    error.field.clear();
  }
  return ErrorResult(error);
}

HandlerResult TicketApi::CreateTicket(const HttpRequest& request) {
  if (auto refused = Admit(request, /*post=*/true, nullptr)) return *refused;
  ticketpb::CreateTicketRequest create;
  if (absl::Status parsed = MessageFromJson(request.body, &create);
      !parsed.ok()) {
    return ErrorResult(HttpErrorOf(parsed));
  }
  create.set_channel(ticketpb::CHANNEL_WEB);
  // A new ticket needs no key; the gateway is nobody's staff.
  TicketClient anonymous = tickets_.WithCredentials({});
  absl::StatusOr<ticketpb::CreateTicketResponse> created =
      anonymous.CreateTicket(create);
  if (!created.ok()) return CallFailed(request, created.status(), false);
  HandlerResult result = JsonResult(201, MessageToJson(*created));
  const int64_t id = created->ticket().id();
  if (IsKeyShaped(created->access_key())) {
    result.response.SetHeader("Set-Cookie", Cookie(id, created->access_key()));
  }
  result.response.SetHeader("Location",
                            absl::StrCat("/api/v1/tickets/", id, "/status"));
  return result;
}

HandlerResult TicketApi::GetStatus(const HttpRequest& request) {
  Caller caller;
  if (auto refused = Admit(request, /*post=*/false, &caller)) return *refused;
  ticketpb::GetTicketStatusRequest get;
  get.set_ticket_id(caller.ticket_id);
  TicketClient customer = tickets_.WithCredentials(caller.credentials);
  absl::StatusOr<ticketpb::TicketStatusView> view =
      customer.GetTicketStatus(get);
  if (!view.ok()) return CallFailed(request, view.status(), true);
  return JsonResult(200, MessageToJson(*view));
}

HandlerResult TicketApi::AddComment(const HttpRequest& request) {
  Caller caller;
  if (auto refused = Admit(request, /*post=*/true, &caller)) return *refused;
  ticketpb::AddCommentRequest add;
  if (absl::Status parsed = MessageFromJson(request.body, &add); !parsed.ok()) {
    return ErrorResult(HttpErrorOf(parsed));
  }
  add.set_ticket_id(caller.ticket_id);
  // A customer's reply is public; an explicit other visibility goes on for
  // the service to refuse.
  if (add.visibility() == ticketpb::VISIBILITY_UNSPECIFIED) {
    add.set_visibility(ticketpb::VISIBILITY_PUBLIC);
  }
  TicketClient customer = tickets_.WithCredentials(caller.credentials);
  absl::StatusOr<ticketpb::Comment> comment = customer.AddComment(add);
  if (!comment.ok()) return CallFailed(request, comment.status(), true);
  return JsonResult(201, MessageToJson(*comment));
}

HandlerResult TicketApi::Rate(const HttpRequest& request) {
  Caller caller;
  if (auto refused = Admit(request, /*post=*/true, &caller)) return *refused;
  ticketpb::RateTicketRequest rate;
  if (absl::Status parsed = MessageFromJson(request.body, &rate);
      !parsed.ok()) {
    return ErrorResult(HttpErrorOf(parsed));
  }
  rate.set_ticket_id(caller.ticket_id);
  TicketClient customer = tickets_.WithCredentials(caller.credentials);
  absl::StatusOr<ticketpb::Ticket> rated = customer.RateTicket(rate);
  if (!rated.ok()) return CallFailed(request, rated.status(), true);
  return JsonResult(200, MessageToJson(*rated));
}

HandlerResult TicketApi::ExchangeKey(const HttpRequest& request) {
  Caller caller;
  if (auto refused = Admit(request, /*post=*/true, &caller)) return *refused;
  absl::StatusOr<std::string> key = AccessKeyOfBody(request.body);
  if (!key.ok()) return ErrorResult(HttpErrorOf(key.status()));
  ticketpb::GetTicketStatusRequest get;
  get.set_ticket_id(caller.ticket_id);
  TicketClient customer = tickets_.WithCredentials({"", *key});
  absl::StatusOr<ticketpb::TicketStatusView> view =
      customer.GetTicketStatus(get);
  if (!view.ok()) return CallFailed(request, view.status(), true);
  HttpResponse response;
  response.status = 204;
  response.SetHeader("Set-Cookie", Cookie(caller.ticket_id, *key));
  return HandlerResult::Complete(std::move(response));
}

}  // namespace cxdesk::clients::web
