#include "clients/common/html.h"

#include <gtest/gtest.h>

namespace cxdesk::clients {
namespace {

TEST(HtmlEscapeTest, MarkupAStrangerWroteStaysText) {
  EXPECT_EQ(HtmlEscape("<script>alert(1)</script>"),
            "&lt;script&gt;alert(1)&lt;/script&gt;");
  EXPECT_EQ(HtmlEscape("<img src=x onerror=\"alert('x')\">"),
            "&lt;img src=x onerror=&quot;alert(&#39;x&#39;)&quot;&gt;");
  // Breaking out of an attribute value needs a quote: there is none left.
  EXPECT_EQ(HtmlEscape("\" autofocus onfocus=\"alert(1)"),
            "&quot; autofocus onfocus=&quot;alert(1)");
  // An entity written by the customer is shown, not decoded.
  EXPECT_EQ(HtmlEscape("&lt;b&gt; &amp;"), "&amp;lt;b&amp;gt; &amp;amp;");
}

TEST(HtmlEscapeTest, OtherTextPassesUnchanged) {
  EXPECT_EQ(HtmlEscape("Máy giặt kêu to, 50% công suất"),
            "Máy giặt kêu to, 50% công suất");
  EXPECT_EQ(HtmlEscape(""), "");
  EXPECT_EQ(HtmlEscape("line\nbreak"), "line\nbreak");
}

}  // namespace
}  // namespace cxdesk::clients
