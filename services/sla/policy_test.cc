#include "services/sla/policy.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace cxdesk::sla {
namespace {

using absl::StatusCode;

bool OnlyBerlin(const std::string& name) { return name == "berlin"; }

Policy ValidPolicy() {
  Policy p;
  p.name = "vip";
  p.position = 1;
  p.conditions.priorities = {"high", "urgent"};
  p.conditions.kinds = {"incident"};
  p.targets["urgent"][Metric::kFirstResponse] = {
      absl::Hours(1),
      "berlin",
      {WarningThreshold::MinutesBefore(15),
       WarningThreshold::PercentElapsed(50)}};
  return p;
}

TicketFacts Ticket() {
  TicketFacts t;
  t.priority = "normal";
  t.kind = "question";
  t.channel = "email";
  t.status = "new";
  t.tags = {"billing", "eu"};
  t.customer_email = "ada@example.com";
  return t;
}

Policy Named(const std::string& name, int position, bool is_default = false) {
  Policy p;
  p.name = name;
  p.position = position;
  p.is_default = is_default;
  return p;
}

void ExpectInvalid(const Policy& p, const std::string& message) {
  const absl::Status s = ValidatePolicy(p, OnlyBerlin);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << s;
  EXPECT_EQ(s.message(), message);
}

TEST(MetricTest, NamesRoundTrip) {
  EXPECT_EQ(MetricName(Metric::kFirstResponse), "first_response");
  EXPECT_EQ(MetricName(Metric::kNextResponse), "next_response");
  EXPECT_EQ(MetricName(Metric::kPeriodicUpdate), "periodic_update");
  EXPECT_EQ(MetricName(Metric::kResolution), "resolution");
  for (Metric m : kAllMetrics) {
    absl::StatusOr<Metric> parsed = ParseMetric(MetricName(m));
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    EXPECT_EQ(*parsed, m);
  }
  EXPECT_EQ(ParseMetric("resolved").status().code(),
            StatusCode::kInvalidArgument);
}

TEST(WarningElapsedTest, MinutesBeforeAndPercent) {
  EXPECT_EQ(WarningElapsed(WarningThreshold::MinutesBefore(30), absl::Hours(2)),
            absl::Minutes(90));
  EXPECT_EQ(
      WarningElapsed(WarningThreshold::PercentElapsed(75), absl::Hours(2)),
      absl::Minutes(90));
  EXPECT_EQ(
      WarningElapsed(WarningThreshold::PercentElapsed(33), absl::Minutes(1)),
      absl::Seconds(19) + absl::Milliseconds(800));
}

TEST(ValidatePolicyTest, AcceptsAValidPolicy) {
  EXPECT_TRUE(ValidatePolicy(ValidPolicy(), OnlyBerlin).ok());
  Policy fallback = Named("default", 0, /*is_default=*/true);
  fallback.targets["low"][Metric::kResolution] = {
      absl::Hours(40), "berlin", {}};
  EXPECT_TRUE(ValidatePolicy(fallback, OnlyBerlin).ok());
}

TEST(ValidatePolicyTest, NamesTheBadField) {
  Policy p = ValidPolicy();
  p.name = "";
  ExpectInvalid(p, "name: must not be empty");

  p = ValidPolicy();
  p.is_default = true;
  ExpectInvalid(p, "conditions: a default policy must have no conditions");

  p = ValidPolicy();
  p.conditions.priorities = {"high", "asap"};
  ExpectInvalid(p,
                "conditions.priorities[1]: unknown priority \"asap\" (one of "
                "low|normal|high|urgent)");

  p = ValidPolicy();
  p.conditions.kinds = {"bug"};
  ExpectInvalid(p,
                "conditions.kinds[0]: unknown kind \"bug\" (one of "
                "question|incident|request|complaint)");

  p = ValidPolicy();
  p.conditions.cx_levels = {"Brand"};
  ExpectInvalid(p,
                "conditions.cx_levels[0]: unknown CX level \"Brand\" (one of "
                "product|interaction|service|emotion|brand)");

  p = ValidPolicy();
  p.conditions.channels = {"email", "fax"};
  ExpectInvalid(p,
                "conditions.channels[1]: unknown channel \"fax\" (one of "
                "email|web|phone|chat|social|api)");

  p = ValidPolicy();
  p.conditions.tags_any = {""};
  ExpectInvalid(p, "conditions.tags_any[0]: must not be empty");

  p = ValidPolicy();
  p.conditions.customer_emails = {"a@b.c", ""};
  ExpectInvalid(p, "conditions.customer_emails[1]: must not be empty");

  p = ValidPolicy();
  p.targets["asap"][Metric::kResolution] = {absl::Hours(1), "berlin", {}};
  ExpectInvalid(p,
                "targets[asap]: unknown priority \"asap\" (one of "
                "low|normal|high|urgent)");

  p = ValidPolicy();
  p.targets["urgent"][Metric::kFirstResponse].target = absl::ZeroDuration();
  ExpectInvalid(p, "targets[urgent][first_response].target: must be positive");

  p = ValidPolicy();
  p.targets["urgent"][Metric::kFirstResponse].target = -absl::Minutes(5);
  ExpectInvalid(p, "targets[urgent][first_response].target: must be positive");

  p = ValidPolicy();
  p.targets["urgent"][Metric::kFirstResponse].calendar = "";
  ExpectInvalid(p,
                "targets[urgent][first_response].calendar: must not be empty");

  p = ValidPolicy();
  p.targets["urgent"][Metric::kFirstResponse].calendar = "tokyo";
  ExpectInvalid(
      p,
      "targets[urgent][first_response].calendar: unknown calendar \"tokyo\"");

  p = ValidPolicy();
  p.targets["urgent"][Metric::kFirstResponse].warnings[1] =
      WarningThreshold::PercentElapsed(100);
  ExpectInvalid(
      p, "targets[urgent][first_response].warnings[1].percent: must be 1..99");

  p = ValidPolicy();
  p.targets["urgent"][Metric::kFirstResponse].warnings[1] =
      WarningThreshold::PercentElapsed(0);
  ExpectInvalid(
      p, "targets[urgent][first_response].warnings[1].percent: must be 1..99");

  p = ValidPolicy();
  p.targets["urgent"][Metric::kFirstResponse].warnings[0] =
      WarningThreshold::MinutesBefore(0);
  ExpectInvalid(p,
                "targets[urgent][first_response].warnings[0].minutes_before: "
                "must be positive");

  p = ValidPolicy();
  p.targets["urgent"][Metric::kFirstResponse].warnings[0] =
      WarningThreshold::MinutesBefore(60);
  ExpectInvalid(p,
                "targets[urgent][first_response].warnings[0].minutes_before: "
                "must be less than the target");

  p = ValidPolicy();
  p.pause_statuses = {"pending", "waiting"};
  ExpectInvalid(p,
                "pause_statuses[1]: unknown status \"waiting\" (one of "
                "new|open|pending|on_hold|solved|closed)");

  p = ValidPolicy();
  p.pause_statuses = {"solved"};
  ExpectInvalid(p,
                "pause_statuses[0]: status \"solved\" cannot pause a clock "
                "(one of new|open|pending|on_hold)");
}

TEST(ValidatePolicyTest, DefaultPauseStatusesArePendingAndOnHold) {
  const Policy p;
  EXPECT_EQ(p.pause_statuses, (std::vector<std::string>{"pending", "on_hold"}));
  EXPECT_TRUE(p.PausesIn("pending"));
  EXPECT_TRUE(p.PausesIn("on_hold"));
  EXPECT_FALSE(p.PausesIn("open"));
  EXPECT_TRUE(p.reopen_restarts_resolution);
}

TEST(MatchesTest, EachConditionNarrowsAndEmptyMeansAny) {
  PolicyConditions c;
  EXPECT_TRUE(Matches(c, Ticket()));

  c.priorities = {"high"};
  EXPECT_FALSE(Matches(c, Ticket()));
  c.priorities = {"high", "normal"};
  EXPECT_TRUE(Matches(c, Ticket()));

  c.kinds = {"incident"};
  EXPECT_FALSE(Matches(c, Ticket()));
  c.kinds = {};

  c.cx_levels = {"brand"};
  EXPECT_FALSE(Matches(c, Ticket()));  // A question has no CX level.
  TicketFacts complaint = Ticket();
  complaint.kind = "complaint";
  complaint.cx_level = "brand";
  EXPECT_TRUE(Matches(c, complaint));
  c.cx_levels = {};

  c.channels = {"chat", "phone"};
  EXPECT_FALSE(Matches(c, Ticket()));
  c.channels = {"email"};
  EXPECT_TRUE(Matches(c, Ticket()));

  c.tags_any = {"vip", "legal"};
  EXPECT_FALSE(Matches(c, Ticket()));
  c.tags_any = {"vip", "eu"};
  EXPECT_TRUE(Matches(c, Ticket()));

  c.customer_emails = {"bob@example.com"};
  EXPECT_FALSE(Matches(c, Ticket()));
  c.customer_emails = {"ADA@Example.com"};
  EXPECT_TRUE(Matches(c, Ticket()));
}

TEST(MatchPolicyTest, FirstMatchByPositionThenDefault) {
  std::vector<Policy> policies;
  policies.push_back(Named("default", 0, /*is_default=*/true));
  policies.push_back(Named("any-email", 20));
  policies.back().conditions.channels = {"email"};
  policies.push_back(Named("billing", 10));
  policies.back().conditions.tags_any = {"billing"};
  policies.push_back(Named("urgent", 5));
  policies.back().conditions.priorities = {"urgent"};

  const Policy* p = MatchPolicy(policies, Ticket());
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->name, "billing");  // Position 10 beats 20; urgent misses.

  TicketFacts urgent = Ticket();
  urgent.priority = "urgent";
  p = MatchPolicy(policies, urgent);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->name, "urgent");

  TicketFacts chat = Ticket();
  chat.channel = "chat";
  chat.tags = {};
  p = MatchPolicy(policies, chat);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->name, "default");

  policies.erase(policies.begin());
  EXPECT_EQ(MatchPolicy(policies, chat), nullptr);
  EXPECT_EQ(MatchPolicy({}, Ticket()), nullptr);
}

TEST(MatchPolicyTest, TiesKeepVectorOrderAndDefaultNeverMatchesFirst) {
  std::vector<Policy> policies;
  policies.push_back(Named("default", -1, /*is_default=*/true));
  policies.push_back(Named("first", 3));
  policies.push_back(Named("second", 3));
  const Policy* p = MatchPolicy(policies, Ticket());
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->name, "first");
}

}  // namespace
}  // namespace cxdesk::sla
