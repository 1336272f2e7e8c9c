#include "clients/web/messages.h"

#include <optional>
#include <set>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace cxdesk::clients::web {

const std::vector<CatalogueEntry>& Catalogue() {
  static const auto* const kCatalogue = new std::vector<CatalogueEntry>{
      // Pages and navigation.
      {"page.title", "Customer support", "Hỗ trợ khách hàng"},
      {"nav.open", "Open a ticket", "Gửi yêu cầu mới"},
      {"nav.find", "Find my ticket", "Tìm yêu cầu của tôi"},
      {"lang.other", "Tiếng Việt", "English"},
      // Opening a ticket.
      {"form.name", "Your name", "Họ và tên"},
      {"form.email", "Your e-mail address", "Địa chỉ e-mail của bạn"},
      {"form.kind", "What is it?", "Bạn cần gì?"},
      {"kind.question", "A question", "Một câu hỏi"},
      {"kind.incident", "Something is broken", "Có sự cố"},
      {"kind.request", "A request", "Một yêu cầu"},
      {"kind.complaint", "A complaint", "Một khiếu nại"},
      {"form.cx_level", "What is the complaint about?",
       "Khiếu nại của bạn liên quan đến điều gì?"},
      {"cx.product", "The product itself", "Chính sản phẩm"},
      {"cx.interaction", "How we talked with you",
       "Cách chúng tôi trao đổi với bạn"},
      {"cx.service", "Our service or the way we work",
       "Dịch vụ hoặc cách làm việc của chúng tôi"},
      {"cx.emotion", "How it made you feel", "Cảm nhận của bạn"},
      {"cx.brand", "What you think of us", "Ấn tượng của bạn về chúng tôi"},
      {"form.subject", "Subject", "Tiêu đề"},
      {"form.message", "Message", "Nội dung"},
      {"form.send", "Send", "Gửi"},
      {"created.title", "Thank you: we have your ticket #{ticket}.",
       "Cảm ơn bạn: chúng tôi đã nhận yêu cầu #{ticket}."},
      {"created.keep_link",
       "Keep this private link: it is the only way back to your ticket.",
       "Hãy giữ đường dẫn riêng này: đây là cách duy nhất để quay lại yêu "
       "cầu của bạn."},
      // Finding a ticket.
      {"find.number", "Ticket number", "Số yêu cầu"},
      {"find.key", "Access key", "Mã truy cập"},
      {"find.submit", "Show my ticket", "Xem yêu cầu"},
      // The ticket's status, in plain words.
      {"status.new", "We have received your request and will look at it soon.",
       "Chúng tôi đã nhận được yêu cầu của bạn và sẽ xem xét sớm."},
      {"status.open", "We are working on it.",
       "Chúng tôi đang xử lý yêu cầu của bạn."},
      {"status.pending", "We are waiting for your reply.",
       "Chúng tôi đang chờ bạn phản hồi."},
      {"status.on_hold", "We are waiting on a third party before we can go on.",
       "Chúng tôi đang chờ một bên thứ ba trước khi tiếp tục."},
      {"status.solved",
       "We think this is solved. If it isn't, reply and we will pick it up "
       "again.",
       "Chúng tôi cho rằng vấn đề đã được giải quyết. Nếu chưa, hãy phản hồi "
       "và chúng tôi sẽ tiếp tục xử lý."},
      {"status.closed",
       "Closed. This request is finished; open a new one if you need more "
       "help.",
       "Đã đóng. Yêu cầu này đã hoàn tất; hãy gửi yêu cầu mới nếu bạn cần "
       "thêm hỗ trợ."},
      {"status.unknown", "We cannot tell the status of this request right now.",
       "Hiện chúng tôi chưa thể cho biết trạng thái của yêu cầu này."},
      // The promise.
      {"promise.answer_by", "We will answer by {time}.",
       "Chúng tôi sẽ trả lời bạn trước {time}."},
      {"promise.resolve_by", "We aim to resolve this by {time}.",
       "Chúng tôi dự kiến giải quyết trước {time}."},
      {"promise.overdue",
       "We are late: we promised to answer by {time}. We are sorry, and we "
       "are on it.",
       "Chúng tôi đã trễ hẹn trả lời trước {time}. Xin lỗi bạn, chúng tôi "
       "đang xử lý."},
      {"promise.left", "{duration} left", "còn {duration}"},
      // The conversation and replying.
      {"conversation.title", "Conversation", "Trao đổi"},
      {"conversation.you", "You", "Bạn"},
      {"conversation.support", "Support", "Bộ phận hỗ trợ"},
      {"reply.label", "Your reply", "Phản hồi của bạn"},
      {"reply.send", "Send reply", "Gửi phản hồi"},
      // Rating, once solved.
      {"rate.title", "How did we do?", "Bạn đánh giá sự hỗ trợ thế nào?"},
      {"rate.score", "Your rating, from 1 (poor) to 5 (excellent)",
       "Điểm của bạn, từ 1 (kém) đến 5 (rất tốt)"},
      {"rate.comment", "Anything to add? (optional)",
       "Bạn muốn góp ý thêm? (không bắt buộc)"},
      {"rate.send", "Send rating", "Gửi đánh giá"},
      {"rate.thanks", "Thank you for rating us {score} of 5.",
       "Cảm ơn bạn đã đánh giá {score}/5."},
      // Live updates.
      {"live.reconnecting", "Reconnecting for live updates…",
       "Đang kết nối lại để cập nhật trực tiếp…"},
      // Errors, in words a customer can act on.
      {"error.not_found",
       "We cannot find that ticket. Check the number and the access key.",
       "Không tìm thấy yêu cầu này. Vui lòng kiểm tra số yêu cầu và mã truy "
       "cập."},
      {"error.too_many",
       "Too many tries. Please wait {seconds} seconds and try again.",
       "Bạn đã thử quá nhiều lần. Vui lòng chờ {seconds} giây rồi thử lại."},
      {"error.invalid", "Please check {field}: {reason}",
       "Vui lòng kiểm tra {field}: {reason}"},
      {"error.too_large", "That is too large to send.",
       "Nội dung quá lớn để gửi."},
      {"error.unavailable",
       "Our help desk is briefly unavailable. Please try again in a moment.",
       "Hệ thống hỗ trợ tạm thời gián đoạn. Vui lòng thử lại sau ít phút."},
      {"error.internal", "Something went wrong on our side. Please try again.",
       "Đã có lỗi từ phía chúng tôi. Vui lòng thử lại."},
  };
  return *kCatalogue;
}

absl::string_view LanguageCode(Language language) {
  return language == Language::kVietnamese ? "vi" : "en";
}

namespace {

// The language a language range names, if it is one of ours.
std::optional<Language> OfRange(absl::string_view range) {
  const std::string lower = absl::AsciiStrToLower(range);
  const absl::string_view primary =
      absl::string_view(lower).substr(0, lower.find('-'));
  if (primary == "vi") return Language::kVietnamese;
  if (primary == "en") return Language::kEnglish;
  return std::nullopt;
}

}  // namespace

Language ChooseLanguage(absl::string_view accept_language,
                        absl::string_view choice) {
  if (choice == "vi") return Language::kVietnamese;
  if (choice == "en") return Language::kEnglish;
  std::optional<Language> best;
  double best_q = 0;
  for (absl::string_view item : absl::StrSplit(accept_language, ',')) {
    std::vector<absl::string_view> parts = absl::StrSplit(item, ';');
    const std::optional<Language> language =
        OfRange(absl::StripAsciiWhitespace(parts[0]));
    double q = 1;
    for (size_t i = 1; i < parts.size(); ++i) {
      absl::string_view param = absl::StripAsciiWhitespace(parts[i]);
      if (absl::ConsumePrefix(&param, "q=") && !absl::SimpleAtod(param, &q)) {
        q = 0;  // A malformed weight counts as a refusal.
      }
    }
    if (language.has_value() && q > best_q) {
      best = language;
      best_q = q;
    }
  }
  return best.value_or(Language::kEnglish);
}

std::string Text(Language language, absl::string_view key) {
  for (const CatalogueEntry& e : Catalogue()) {
    if (key == e.key) {
      return language == Language::kVietnamese ? e.vietnamese : e.english;
    }
  }
  return std::string(key);
}

std::string Format(Language language, absl::string_view key,
                   const std::map<std::string, std::string>& values) {
  // One pass: a value that itself holds "{name}" is not replaced again.
  std::vector<std::pair<std::string, std::string>> pairs;
  for (const auto& [name, value] : values) {
    pairs.emplace_back("{" + name + "}", value);
  }
  return absl::StrReplaceAll(Text(language, key), pairs);
}

std::vector<std::string> Placeholders(absl::string_view text) {
  std::set<std::string> names;
  size_t open = text.find('{');
  while (open != absl::string_view::npos) {
    const size_t close = text.find('}', open);
    if (close == absl::string_view::npos) break;
    names.insert(std::string(text.substr(open + 1, close - open - 1)));
    open = text.find('{', close);
  }
  return std::vector<std::string>(names.begin(), names.end());
}

}  // namespace cxdesk::clients::web
