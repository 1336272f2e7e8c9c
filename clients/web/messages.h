#ifndef CXDESK_CLIENTS_WEB_MESSAGES_H_
#define CXDESK_CLIENTS_WEB_MESSAGES_H_

// Every word the customer portal shows, in English and Vietnamese: one
// catalogue, one entry per key holding both languages, so a key cannot exist
// in one language only. Texts may hold named placeholders ("{ticket}"),
// filled by Format; both languages of a key name the same ones (tested).

#include <map>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace cxdesk::clients::web {

enum class Language { kEnglish, kVietnamese };

// "en" or "vi": the page's lang attribute and the switch's value.
absl::string_view LanguageCode(Language language);

// The portal's language for a request: `choice` ("en" or "vi", from the
// language switch's cookie) when it names one, else the best of the
// Accept-Language header (RFC 9110: ranges with q-values, "vi-VN" counts as
// "vi", q=0 refuses), else English.
Language ChooseLanguage(absl::string_view accept_language,
                        absl::string_view choice);

// One entry of the catalogue.
struct CatalogueEntry {
  const char* key;
  const char* english;
  const char* vietnamese;
};

// The whole catalogue, in a stable order (for tests and the page script's
// copy of the texts it needs).
const std::vector<CatalogueEntry>& Catalogue();

// The text of `key` in `language`; the key itself (visible, so a missing
// entry is noticed) for a key the catalogue lacks.
std::string Text(Language language, absl::string_view key);

// Text(language, key) with each "{name}" replaced by `values[name]` (as
// given: escaping is the page's job); an unknown placeholder stays as it is.
std::string Format(Language language, absl::string_view key,
                   const std::map<std::string, std::string>& values);

// The placeholders a text names, sorted: "{a} and {b}" -> {"a", "b"}.
std::vector<std::string> Placeholders(absl::string_view text);

}  // namespace cxdesk::clients::web

#endif  // CXDESK_CLIENTS_WEB_MESSAGES_H_
