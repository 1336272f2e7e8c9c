// ConsoleApp's bottom line: composing replies and notes, the prompts for
// text and choices, and the status line.
#include <algorithm>
#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "clients/console/console_app.h"

namespace cxdesk::clients::console {
namespace ticketpb = ::cxdesk::ticket::v1;

void ConsoleApp::Compose(Screen& screen, PromptKind kind, int64_t id) {
  const bool internal = kind == PromptKind::kNote;
  if (!options_.inline_editor && !options_.editor.empty()) {
    absl::StatusOr<std::string> text = screen.RunEditor(
        options_.editor,
        absl::StrCat(internal ? "# Internal note" : "# Public reply",
                     " on ticket #", id,
                     ". Lines starting with # are dropped; an empty text "
                     "sends nothing.\n"));
    if (!text.ok()) {
      status_ = std::string(text.status().message());
      return;
    }
    std::string body;
    for (absl::string_view line : absl::StrSplit(*text, '\n')) {
      if (absl::StartsWith(line, "#")) continue;
      absl::StrAppend(&body, line, "\n");
    }
    absl::StripAsciiWhitespace(&body);
    if (body.empty()) {
      status_ = internal ? "note not sent (empty)" : "reply not sent (empty)";
      return;
    }
    SendComment(id, internal, body);
    return;
  }
  BeginPrompt(kind, id,
              internal ? "internal note (\\n for a new line)"
                       : "public reply (\\n for a new line)");
}

void ConsoleApp::BeginPrompt(PromptKind kind, int64_t id, std::string label,
                             std::string initial) {
  prompt_ = kind;
  prompt_ticket_ = id;
  prompt_label_ = std::move(label);
  prompt_text_ = std::move(initial);
}

void ConsoleApp::HandlePromptKey(int key) {
  if (key == kKeyEscape) {
    prompt_ = PromptKind::kNone;
    status_ = "cancelled";
    return;
  }
  if (prompt_ == PromptKind::kStatus || prompt_ == PromptKind::kPriority) {
    const PromptKind kind = prompt_;
    const int choice = key - '1';
    if (kind == PromptKind::kStatus) {
      if (choice < 0 || choice >= static_cast<int>(status_choices_.size())) {
        return;
      }
      prompt_ = PromptKind::kNone;
      ChangeStatus(prompt_ticket_, status_choices_[choice]);
    } else {
      if (choice < 0 || choice >= 4) return;
      prompt_ = PromptKind::kNone;
      ChangePriority(prompt_ticket_, static_cast<ticketpb::Priority>(
                                         ticketpb::PRIORITY_LOW + choice));
    }
    return;
  }
  if (key == kKeyEnter) {
    const std::string text = prompt_text_;
    FinishPrompt(text);
    return;
  }
  if (key == kKeyBackspace || key == 127 || key == 8) {
    if (!prompt_text_.empty()) {
      // Drop a whole UTF-8 character.
      size_t n = prompt_text_.size() - 1;
      while (n > 0 &&
             (static_cast<unsigned char>(prompt_text_[n]) & 0xC0) == 0x80) {
        --n;
      }
      prompt_text_.resize(n);
    }
    return;
  }
  if (key >= 0x20 && key < 0x100 && key != 0x7f) {
    prompt_text_ += static_cast<char>(key);
  }
}

void ConsoleApp::FinishPrompt(const std::string& raw) {
  const PromptKind kind = prompt_;
  const int64_t id = prompt_ticket_;
  prompt_ = PromptKind::kNone;
  std::string text(absl::StripAsciiWhitespace(raw));
  switch (kind) {
    case PromptKind::kReply:
    case PromptKind::kNote: {
      if (text.empty()) {
        status_ = "nothing sent (empty)";
        return;
      }
      SendComment(id, kind == PromptKind::kNote,
                  absl::StrReplaceAll(text, {{"\\n", "\n"}}));
      return;
    }
    case PromptKind::kAssign:
      if (text.empty()) {
        status_ = "not assigned (no agent id)";
        return;
      }
      Assign(id, text);
      return;
    case PromptKind::kTags:
      EditTags(id, raw);
      return;
    case PromptKind::kSearch:
      Search(text);
      return;
    default:
      return;
  }
}

void ConsoleApp::DrawBottom(Screen& screen) {
  const int w = screen.width();
  const int y = screen.height() - 1;
  if (prompt_ != PromptKind::kNone) {
    const bool choice =
        prompt_ == PromptKind::kStatus || prompt_ == PromptKind::kPriority;
    std::string line = choice ? absl::StrCat(prompt_label_, "  (Esc cancels)")
                              : absl::StrCat(prompt_label_, ": ", prompt_text_);
    // Show the end of a long input.
    int len = 0;
    for (char c : line) len += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    if (len >= w) {
      line = line.substr(line.size() - static_cast<size_t>(w - 2));
    }
    screen.Put(y, 0, Fit(choice ? line : line + "_", w), Style::kStatus);
    return;
  }
  // The bottom-right cell stays empty (curses would scroll).
  const std::string hint = "  ? help  q quit ";
  std::string text = status_;
  screen.Put(y, 0, Fit(text, std::max(w - static_cast<int>(hint.size()), 1)),
             Style::kStatus);
  if (w > static_cast<int>(hint.size()) + 10) {
    screen.Put(y, w - static_cast<int>(hint.size()), hint, Style::kDim);
  }
}

}  // namespace cxdesk::clients::console
