#include "clients/cli/enum_words.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace cxdesk::clients::cli {
namespace {

namespace v1 = ::cxdesk::ticket::v1;
using ::testing::HasSubstr;

TEST(EnumWordsTest, ParsesEveryWord) {
  EXPECT_EQ(*ParseStatus("s", "new"), v1::STATUS_NEW);
  EXPECT_EQ(*ParseStatus("s", "on-hold"), v1::STATUS_ON_HOLD);
  EXPECT_EQ(*ParseStatus("s", "ON_HOLD"), v1::STATUS_ON_HOLD);
  EXPECT_EQ(*ParseStatus("s", "closed"), v1::STATUS_CLOSED);
  EXPECT_EQ(*ParsePriority("p", "Urgent"), v1::PRIORITY_URGENT);
  EXPECT_EQ(*ParseKind("k", "complaint"), v1::KIND_COMPLAINT);
  EXPECT_EQ(*ParseCxLevel("c", "interaction"), v1::CX_LEVEL_INTERACTION);
  EXPECT_EQ(*ParseCxLevel("c", "brand"), v1::CX_LEVEL_BRAND);
  EXPECT_EQ(*ParseChannel("c", "social"), v1::CHANNEL_SOCIAL);
  EXPECT_EQ(*ParseChannel("c", " api "), v1::CHANNEL_API);
}

TEST(EnumWordsTest, BadWordNamesTheFlagAndTheAllowedWords) {
  absl::StatusOr<v1::Priority> p = ParsePriority("--priority", "hihg");
  EXPECT_EQ(p.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(p.status().message(),
            "--priority: 'hihg' is not one of low, normal, high, urgent");
  EXPECT_THAT(std::string(ParseStatus("STATUS", "done").status().message()),
              HasSubstr("new, open, pending, on-hold, solved, closed"));
}

TEST(EnumWordsTest, UnspecifiedIsNeverInput) {
  EXPECT_FALSE(ParseStatus("s", "unspecified").ok());
  EXPECT_FALSE(ParseKind("k", "").ok());
  EXPECT_FALSE(ParseCxLevel("c", "cx_level_product").ok());
}

TEST(EnumWordsTest, WordsRoundTrip) {
  for (int i = 1; i <= 6; ++i) {
    auto s = static_cast<v1::Status>(i);
    EXPECT_EQ(*ParseStatus("s", StatusWord(s)), s);
  }
  for (int i = 1; i <= 4; ++i) {
    auto p = static_cast<v1::Priority>(i);
    EXPECT_EQ(*ParsePriority("p", PriorityWord(p)), p);
    auto k = static_cast<v1::Kind>(i);
    EXPECT_EQ(*ParseKind("k", KindWord(k)), k);
  }
  for (int i = 1; i <= 5; ++i) {
    auto c = static_cast<v1::CxLevel>(i);
    EXPECT_EQ(*ParseCxLevel("c", CxLevelWord(c)), c);
  }
  for (int i = 1; i <= 6; ++i) {
    auto c = static_cast<v1::Channel>(i);
    EXPECT_EQ(*ParseChannel("c", ChannelWord(c)), c);
  }
}

TEST(EnumWordsTest, OutputWords) {
  EXPECT_EQ(StatusWord(v1::STATUS_UNSPECIFIED), "-");
  EXPECT_EQ(StatusWord(static_cast<v1::Status>(42)), "?42");
  EXPECT_EQ(RoleWord(v1::ROLE_CUSTOMER), "customer");
  EXPECT_EQ(EventTypeWord(v1::EVENT_TYPE_STATUS_CHANGED), "status");
  EXPECT_EQ(EventTypeWord(v1::EVENT_TYPE_COMMENT_ADDED), "comment");
  EXPECT_EQ(VisibilityWord(v1::VISIBILITY_INTERNAL), "internal");
  EXPECT_EQ(PriorityWords(), "low, normal, high, urgent");
  EXPECT_EQ(KindWords(), "question, incident, request, complaint");
  EXPECT_EQ(CxLevelWords(), "product, interaction, service, emotion, brand");
  EXPECT_EQ(ChannelWords(), "email, web, phone, chat, social, api");
}

}  // namespace
}  // namespace cxdesk::clients::cli
