#include "services/common/json_text.h"

#include <gtest/gtest.h>

namespace cxdesk::common {
namespace {

TEST(JsonQuoteTest, EscapesQuotesBackslashesAndControlCharacters) {
  EXPECT_EQ(JsonQuote(""), "\"\"");
  EXPECT_EQ(JsonQuote("a\"b\\c\nd\te\x01\x7f"),
            "\"a\\\"b\\\\c\\nd\\te\\u0001\\u007f\"");
  EXPECT_EQ(JsonQuote("Grüße </script>"), "\"Grüße </script>\"");
}

TEST(JsonQuoteTest, NamedEscapesForTheUsualControls) {
  EXPECT_EQ(JsonQuote("\r\b\f"), "\"\\r\\b\\f\"");
}

}  // namespace
}  // namespace cxdesk::common
