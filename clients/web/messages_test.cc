#include "clients/web/messages.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace cxdesk::clients::web {
namespace {

TEST(CatalogueTest, EveryKeyOnceWithBothLanguagesAndTheSamePlaceholders) {
  std::set<std::string> keys;
  for (const CatalogueEntry& e : Catalogue()) {
    EXPECT_TRUE(keys.insert(e.key).second) << "twice: " << e.key;
    EXPECT_NE(std::string(e.english), "") << e.key;
    EXPECT_NE(std::string(e.vietnamese), "") << e.key;
    EXPECT_NE(std::string(e.english), std::string(e.vietnamese))
        << "untranslated: " << e.key;
    EXPECT_EQ(Placeholders(e.english), Placeholders(e.vietnamese)) << e.key;
  }
  // What the pages need at least: every status and kind, every CX level.
  for (const char* key :
       {"status.new", "status.open", "status.pending", "status.on_hold",
        "status.solved", "status.closed", "kind.question", "kind.incident",
        "kind.request", "kind.complaint", "cx.product", "cx.interaction",
        "cx.service", "cx.emotion", "cx.brand", "promise.answer_by",
        "promise.overdue", "error.not_found", "error.too_many"}) {
    EXPECT_EQ(keys.count(key), 1u) << key;
  }
}

TEST(TextTest, GivesTheLanguageAskedForAndShowsAMissingKey) {
  EXPECT_EQ(Text(Language::kEnglish, "reply.send"), "Send reply");
  EXPECT_EQ(Text(Language::kVietnamese, "reply.send"), "Gửi phản hồi");
  EXPECT_EQ(Text(Language::kVietnamese, "no.such.key"), "no.such.key");
}

TEST(FormatTest, FillsPlaceholdersOnce) {
  EXPECT_EQ(Format(Language::kVietnamese, "created.title", {{"ticket", "42"}}),
            "Cảm ơn bạn: chúng tôi đã nhận yêu cầu #42.");
  // A value is not read for placeholders again; unknown ones stay.
  EXPECT_EQ(Format(Language::kEnglish, "promise.answer_by",
                   {{"time", "{time} 14:30"}, {"other", "x"}}),
            "We will answer by {time} 14:30.");
  EXPECT_EQ(Format(Language::kEnglish, "error.invalid", {{"field", "subject"}}),
            "Please check subject: {reason}");
}

TEST(PlaceholdersTest, NamesEachOnceSorted) {
  EXPECT_EQ(Placeholders("{b} and {a} and {b}"),
            (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(Placeholders("no braces").empty());
  EXPECT_TRUE(Placeholders("open { only").empty());
}

TEST(ChooseLanguageTest, TheSwitchThenAcceptLanguageThenEnglish) {
  EXPECT_EQ(ChooseLanguage("vi-VN,vi;q=0.9,en;q=0.8", ""),
            Language::kVietnamese);
  EXPECT_EQ(ChooseLanguage("vi-VN,vi;q=0.9", "en"), Language::kEnglish);
  EXPECT_EQ(ChooseLanguage("en-US,en;q=0.9", "vi"), Language::kVietnamese);
  EXPECT_EQ(ChooseLanguage("fr-FR, en;q=0.5, vi;q=0.7", ""),
            Language::kVietnamese);
  EXPECT_EQ(ChooseLanguage("EN-gb", ""), Language::kEnglish);
  EXPECT_EQ(ChooseLanguage("vi;q=0", ""), Language::kEnglish);
  EXPECT_EQ(ChooseLanguage("vi;q=abc, en;q=0.1", ""), Language::kEnglish);
  EXPECT_EQ(ChooseLanguage("de, fr", ""), Language::kEnglish);
  EXPECT_EQ(ChooseLanguage("", "de"), Language::kEnglish);
  EXPECT_EQ(LanguageCode(Language::kVietnamese), "vi");
  EXPECT_EQ(LanguageCode(Language::kEnglish), "en");
}

}  // namespace
}  // namespace cxdesk::clients::web
