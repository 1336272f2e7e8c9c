#include "services/common/text.h"

#include <cstdint>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace cxdesk::common {
namespace {

// Decodes the UTF-8 sequence at `s[i]`: its code point and length, or a
// length of 0 if it is not a valid, shortest-form sequence of a scalar value.
struct Decoded {
  uint32_t code_point = 0;
  size_t length = 0;
};

Decoded DecodeAt(absl::string_view s, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<uint8_t>(s[k]); };
  const uint8_t b0 = byte(i);
  if (b0 < 0x80) return {b0, 1};
  size_t length;
  uint32_t cp;
  uint32_t min;
  if ((b0 & 0xE0) == 0xC0) {
    length = 2, cp = b0 & 0x1F, min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    length = 3, cp = b0 & 0x0F, min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    length = 4, cp = b0 & 0x07, min = 0x10000;
  } else {
    return {};
  }
  if (i + length > s.size()) return {};
  for (size_t k = 1; k < length; ++k) {
    const uint8_t b = byte(i + k);
    if ((b & 0xC0) != 0x80) return {};
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return {};
  return {cp, length};
}

bool IsControl(uint32_t cp) { return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F); }

std::string CodePointName(uint32_t cp) {
  if (cp == 0) return "NUL (U+0000)";
  if (cp == '\t') return "a tab (U+0009)";
  if (cp == '\n') return "a line feed (U+000A)";
  if (cp == '\r') return "a carriage return (U+000D)";
  return absl::StrFormat("the control character U+%04X", cp);
}

}  // namespace

size_t FirstInvalidUtf8(absl::string_view value) {
  for (size_t i = 0; i < value.size();) {
    const Decoded d = DecodeAt(value, i);
    if (d.length == 0) return i;
    i += d.length;
  }
  return absl::string_view::npos;
}

size_t CountCodePoints(absl::string_view value) {
  size_t n = 0;
  for (char c : value) {
    if ((static_cast<uint8_t>(c) & 0xC0) != 0x80) ++n;
  }
  return n;
}

absl::Status CheckText(absl::string_view field, absl::string_view value,
                       const TextRule& rule) {
  // The byte limit first: it is cheap and bounds the scan below.
  if (rule.max_bytes > 0 &&
      value.size() > static_cast<size_t>(rule.max_bytes)) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ": at most ", rule.max_bytes, " bytes, got ", value.size()));
  }
  size_t chars = 0;
  for (size_t i = 0; i < value.size(); ++chars) {
    const Decoded d = DecodeAt(value, i);
    if (d.length == 0) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ": not valid UTF-8 at byte ", i));
    }
    if (IsControl(d.code_point)) {
      const bool allowed =
          rule.multiline && (d.code_point == '\t' || d.code_point == '\n' ||
                             d.code_point == '\r');
      if (!allowed) {
        return absl::InvalidArgumentError(absl::StrCat(
            field, ": contains ", CodePointName(d.code_point), " at byte ", i,
            d.code_point == 0 ? "; text cannot hold NUL"
            : rule.multiline  ? ""
                              : "; this field is a single line"));
      }
    }
    i += d.length;
  }
  if (rule.max_chars > 0 && chars > static_cast<size_t>(rule.max_chars)) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ": at most ", rule.max_chars, " characters, got ", chars));
  }
  return absl::OkStatus();
}

std::string Excerpt(absl::string_view value) {
  constexpr size_t kShownChars = 64;
  std::string out = "\"";
  size_t shown = 0;
  size_t i = 0;
  while (i < value.size() && shown < kShownChars) {
    const Decoded d = DecodeAt(value, i);
    if (d.length == 0) {
      absl::StrAppendFormat(&out, "\\x%02X", static_cast<uint8_t>(value[i]));
      ++i;
    } else {
      const uint32_t cp = d.code_point;
      if (cp == '"' || cp == '\\') {
        out += '\\';
        out += static_cast<char>(cp);
      } else if (cp == '\n') {
        out += "\\n";
      } else if (cp == '\t') {
        out += "\\t";
      } else if (cp == '\r') {
        out += "\\r";
      } else if (IsControl(cp)) {
        absl::StrAppendFormat(&out, "\\u%04X", cp);
      } else {
        out.append(value.data() + i, d.length);
      }
      i += d.length;
    }
    ++shown;
  }
  out += '"';
  if (i < value.size()) {
    // Replace the closing quote: the value goes on.
    out.back() = '.';
    absl::StrAppend(&out, "..\" (", value.size(), " bytes)");
  }
  return out;
}

std::string Truncate(absl::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  constexpr absl::string_view kEllipsis = "...";
  size_t cut = max_bytes > kEllipsis.size() ? max_bytes - kEllipsis.size() : 0;
  // Back up to the start of a character.
  while (cut > 0 && (static_cast<uint8_t>(text[cut]) & 0xC0) == 0x80) --cut;
  return absl::StrCat(text.substr(0, cut), kEllipsis);
}

}  // namespace cxdesk::common
