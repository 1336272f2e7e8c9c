#include "services/common/text.h"

#include <gtest/gtest.h>

#include <string>

namespace cxdesk::common {
namespace {

using absl::StatusCode;

constexpr TextRule kLine{0, 100, false};
constexpr TextRule kLines{0, 100, true};

TEST(CheckTextTest, AcceptsUnicodeTextWithinTheLimit) {
  EXPECT_TRUE(CheckText("name", "Nguyễn Thị Ánh", kLine).ok());
  EXPECT_TRUE(CheckText("name", "", kLine).ok());
  EXPECT_TRUE(
      CheckText("body", "line one\nline two\r\n\tindented", kLines).ok());
  EXPECT_TRUE(CheckText("name", "😀", TextRule{1, 0, false}).ok());
}

TEST(CheckTextTest, RefusesNulAnywhereNamingTheByte) {
  const std::string value("before\0after", 12);
  const absl::Status s = CheckText("reason", value, kLines);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(),
            "reason: contains NUL (U+0000) at byte 6; text cannot hold NUL");
}

TEST(CheckTextTest, SingleLineRefusesEveryControlCharacter) {
  EXPECT_EQ(CheckText("subject", "two\nlines", kLine).message(),
            "subject: contains a line feed (U+000A) at byte 3; this field is "
            "a single line");
  EXPECT_EQ(CheckText("subject", "a\tb", kLine).code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(CheckText("subject", "bell\x07", kLine).message(),
            "subject: contains the control character U+0007 at byte 4; this "
            "field is a single line");
  EXPECT_EQ(CheckText("subject", "del\x7f", kLine).code(),
            StatusCode::kInvalidArgument);
  // U+0085 (NEL), a C1 control, encoded as C2 85.
  EXPECT_EQ(CheckText("subject", "x\xc2\x85", kLine).message(),
            "subject: contains the control character U+0085 at byte 1; this "
            "field is a single line");
}

TEST(CheckTextTest, MultilineAllowsOnlyTabLineFeedAndCarriageReturn) {
  EXPECT_EQ(CheckText("body", "a\x1b[31m", kLines).message(),
            "body: contains the control character U+001B at byte 1");
  EXPECT_EQ(CheckText("body", std::string("a\0", 2), kLines).code(),
            StatusCode::kInvalidArgument);
}

TEST(CheckTextTest, RefusesInvalidUtf8NamingTheByte) {
  EXPECT_EQ(CheckText("name", "ok\xff", kLine).message(),
            "name: not valid UTF-8 at byte 2");
  // Overlong "/", a lone surrogate (U+D800), past U+10FFFF, truncated.
  for (const char* bad :
       {"\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xe2\x82"}) {
    EXPECT_EQ(CheckText("name", bad, kLine).code(),
              StatusCode::kInvalidArgument)
        << bad;
  }
}

TEST(CheckTextTest, CountsCharactersAndBytesAsTheRuleSays) {
  const std::string vietnamese = "Khiếu nại";  // 9 characters, 13 bytes
  ASSERT_EQ(vietnamese.size(), 13u);
  EXPECT_TRUE(CheckText("s", vietnamese, TextRule{9, 0, false}).ok());
  EXPECT_EQ(CheckText("s", vietnamese, TextRule{8, 0, false}).message(),
            "s: at most 8 characters, got 9");
  EXPECT_EQ(CheckText("s", vietnamese, TextRule{0, 12, false}).message(),
            "s: at most 12 bytes, got 13");
}

TEST(CheckTextTest, AHugeValueIsRefusedByItsLengthWithoutEchoingIt) {
  const std::string huge(1 << 20, 'x');
  const absl::Status s = CheckText("time_zone", huge, TextRule{0, 64, false});
  EXPECT_EQ(s.message(), "time_zone: at most 64 bytes, got 1048576");
}

TEST(ExcerptTest, QuotesShortValuesWhole) {
  EXPECT_EQ(Excerpt("Europe/Berlin"), "\"Europe/Berlin\"");
  EXPECT_EQ(Excerpt(""), "\"\"");
}

TEST(ExcerptTest, BoundsLongValuesToAPrefixAndTheLength) {
  const std::string excerpt = Excerpt(std::string(1 << 20, 'a'));
  EXPECT_EQ(excerpt, "\"" + std::string(64, 'a') + "...\" (1048576 bytes)");
}

TEST(ExcerptTest, EscapesWhatCouldBreakAMessage) {
  EXPECT_EQ(Excerpt(std::string("a\0b\n\"\\\xff", 7)),
            "\"a\\u0000b\\n\\\"\\\\\\xFF\"");
  // Characters, not bytes, are counted: 80 Vietnamese letters stay whole
  // characters when cut.
  std::string long_text;
  for (int i = 0; i < 80; ++i) long_text += "ệ";
  const std::string cut = Excerpt(long_text);
  EXPECT_EQ(FirstInvalidUtf8(cut), absl::string_view::npos);
  EXPECT_EQ(CountCodePoints(cut),
            1 + 64 + 4 + std::string(" (240 bytes)").size());
}

TEST(TruncateTest, CutsAtACharacterBoundary) {
  EXPECT_EQ(Truncate("short", 10), "short");
  EXPECT_EQ(Truncate("abcdefghij", 8), "abcde...");
  const std::string cut = Truncate("ệệệệ", 8);  // 3 bytes each
  EXPECT_EQ(cut, "ệ...");
  EXPECT_LE(cut.size(), 8u);
}

TEST(FirstInvalidUtf8Test, FindsTheOffset) {
  EXPECT_EQ(FirstInvalidUtf8("abc"), absl::string_view::npos);
  EXPECT_EQ(FirstInvalidUtf8("ab\x80"), 2u);
  EXPECT_EQ(CountCodePoints("Ánh"), 3u);
}

}  // namespace
}  // namespace cxdesk::common
