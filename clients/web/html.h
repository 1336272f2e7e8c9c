#ifndef CXDESK_CLIENTS_WEB_HTML_H_
#define CXDESK_CLIENTS_WEB_HTML_H_

// The one way text reaches the portal's HTML: escaped. Every text a
// customer or agent wrote (subjects, messages, names) and every text of the
// catalogue goes through HtmlEscape before it stands in a page, in element
// content or in a quoted attribute value.

#include <string>

#include "absl/strings/string_view.h"

namespace cxdesk::clients::web {

// `text` with & < > " ' as character references (&amp; &lt; &gt; &quot;
// &#39;), safe in element content and in a double- or single-quoted
// attribute value. Other bytes pass as they are (the page is UTF-8; the
// services only store valid UTF-8).
std::string HtmlEscape(absl::string_view text);

}  // namespace cxdesk::clients::web

#endif  // CXDESK_CLIENTS_WEB_HTML_H_
