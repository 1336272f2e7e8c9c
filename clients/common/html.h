#ifndef CXDESK_CLIENTS_COMMON_HTML_H_
#define CXDESK_CLIENTS_COMMON_HTML_H_

// The one way text reaches HTML, in every client: the manager's report page
// (clients/cli/report_html) and the customer portal's pages (clients/web).
// Every text a customer or agent wrote (subjects, messages, names, team
// names) and every text of a catalogue goes through HtmlEscape before it
// stands in a page, in element content or in a quoted attribute value.

#include <string>

#include "absl/strings/string_view.h"

namespace cxdesk::clients {

// `text` with & < > " ' as character references (&amp; &lt; &gt; &quot;
// &#39;), safe in element content and in a double- or single-quoted
// attribute value. Other bytes pass as they are (the page is UTF-8; the
// services only store valid UTF-8).
std::string HtmlEscape(absl::string_view text);

}  // namespace cxdesk::clients

#endif  // CXDESK_CLIENTS_COMMON_HTML_H_
