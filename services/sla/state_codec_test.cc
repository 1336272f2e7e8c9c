#include "services/sla/state_codec.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "cxdesk/sla/storage/v1/ticket_clocks.pb.h"
#include "services/sla/business_time.h"

namespace cxdesk::sla {
namespace {

using absl::StatusCode;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

namespace slastoragepb = ::cxdesk::sla::storage::v1;

// Monday 2026-06-08 09:00:00 UTC.
constexpr absl::Time kT0 = absl::FromUnixSeconds(1780909200);

void ExpectSameFacts(const TicketFacts& a, const TicketFacts& b) {
  EXPECT_EQ(a.priority, b.priority);
  EXPECT_EQ(a.kind, b.kind);
  EXPECT_EQ(a.cx_level, b.cx_level);
  EXPECT_EQ(a.channel, b.channel);
  EXPECT_EQ(a.status, b.status);
  EXPECT_EQ(a.tags, b.tags);
  EXPECT_EQ(a.customer_email, b.customer_email);
}

void ExpectSameClock(const SlaClock& a, const SlaClock& b) {
  EXPECT_EQ(a.metric, b.metric);
  EXPECT_EQ(a.cycle, b.cycle);
  EXPECT_EQ(a.state, b.state);
  EXPECT_EQ(a.started, b.started);
  EXPECT_EQ(a.target, b.target);
  EXPECT_EQ(a.calendar, b.calendar);
  EXPECT_EQ(a.warnings, b.warnings);
  ASSERT_EQ(a.pauses.size(), b.pauses.size());
  for (size_t i = 0; i < a.pauses.size(); ++i) {
    EXPECT_EQ(a.pauses[i].from, b.pauses[i].from) << i;
    EXPECT_EQ(a.pauses[i].to, b.pauses[i].to) << i;
    EXPECT_EQ(a.pauses[i].actor, b.pauses[i].actor) << i;
    EXPECT_EQ(a.pauses[i].reason, b.pauses[i].reason) << i;
    EXPECT_EQ(a.pauses[i].status, b.pauses[i].status) << i;
  }
  EXPECT_EQ(a.deadline, b.deadline);
  EXPECT_EQ(a.warning_due, b.warning_due);
  EXPECT_EQ(a.warning_fired, b.warning_fired);
  EXPECT_EQ(a.breached, b.breached);
  EXPECT_EQ(a.ended, b.ended);
}

void ExpectSameState(const TicketClocksState& a, const TicketClocksState& b) {
  EXPECT_EQ(a.created, b.created);
  EXPECT_EQ(a.last_change, b.last_change);
  EXPECT_EQ(a.policy, b.policy);
  ExpectSameFacts(a.facts, b.facts);
  ASSERT_EQ(a.clocks.size(), b.clocks.size());
  for (size_t i = 0; i < a.clocks.size(); ++i) {
    SCOPED_TRACE(i);
    ExpectSameClock(a.clocks[i], b.clocks[i]);
  }
}

// Every field set, odd nanoseconds everywhere, and every kind of infinity
// the state can hold.
TicketClocksState FullState() {
  TicketClocksState s;
  s.created = true;
  s.last_change = kT0 + absl::Nanoseconds(123456789);
  s.policy = "standard";
  s.facts.priority = "urgent";
  s.facts.kind = "complaint";
  s.facts.cx_level = "emotion";
  s.facts.channel = "chat";
  s.facts.status = "pending";
  s.facts.tags = {"billing", "eu", "vip"};
  s.facts.customer_email = "ada@example.com";

  // Paused before its deadline: open pause, unknown deadline and warnings.
  SlaClock paused;
  paused.metric = Metric::kFirstResponse;
  paused.cycle = 1;
  paused.state = ClockState::kPaused;
  paused.started = kT0 + absl::Nanoseconds(1);
  paused.target = absl::Hours(1) + absl::Nanoseconds(7);
  paused.calendar = "berlin";
  paused.warnings = {WarningThreshold::MinutesBefore(15),
                     WarningThreshold::PercentElapsed(50)};
  paused.pauses.push_back({kT0 + absl::Minutes(10) + absl::Nanoseconds(3),
                           absl::InfiniteFuture(), "alice", "waiting for logs",
                           "pending"});
  paused.deadline = absl::InfiniteFuture();
  paused.warning_due = {absl::InfiniteFuture(),
                        kT0 + absl::Minutes(30) + absl::Nanoseconds(9)};
  paused.warning_fired = {false, true};
  paused.breached = false;
  paused.ended = absl::InfiniteFuture();
  s.clocks.push_back(paused);

  // Met late after two closed pauses; started before 1970 (negative nanos).
  SlaClock met;
  met.metric = Metric::kResolution;
  met.cycle = 3;
  met.state = ClockState::kMet;
  met.started = absl::FromUnixNanos(-1234567891);
  met.target = absl::Minutes(90);
  met.calendar = "24x7";
  met.pauses.push_back({absl::FromUnixNanos(-1000), absl::FromUnixNanos(5),
                        "bob", "", "on_hold"});
  met.pauses.push_back(
      {kT0, kT0 + absl::Nanoseconds(999999999), "", "", "pending"});
  met.deadline = kT0 - absl::Nanoseconds(1);
  met.breached = true;
  met.ended = kT0 + absl::Hours(3) + absl::Nanoseconds(1);
  s.clocks.push_back(met);

  // Cancelled, never paused, no warnings.
  SlaClock cancelled;
  cancelled.metric = Metric::kPeriodicUpdate;
  cancelled.cycle = 2;
  cancelled.state = ClockState::kCancelled;
  cancelled.started = kT0;
  cancelled.target = absl::Hours(8);
  cancelled.calendar = "berlin";
  cancelled.deadline = kT0 + absl::Hours(8);
  cancelled.ended = kT0 + absl::Hours(1);
  s.clocks.push_back(cancelled);

  SlaClock running;
  running.metric = Metric::kNextResponse;
  running.cycle = 1;
  running.state = ClockState::kRunning;
  running.started = kT0 + absl::Seconds(1);
  running.target = absl::Hours(4);
  running.calendar = "berlin";
  running.warnings = {WarningThreshold::PercentElapsed(75)};
  running.deadline = kT0 + absl::Hours(4) + absl::Seconds(1);
  running.warning_due = {kT0 + absl::Hours(3) + absl::Seconds(1)};
  running.warning_fired = {false};
  s.clocks.push_back(running);
  return s;
}

TEST(StateCodecTest, RoundTripIsExactToTheNanosecond) {
  const TicketClocksState state = FullState();
  absl::StatusOr<TicketClocksState> decoded =
      DecodeClocksState(EncodeClocksState(state));
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  ExpectSameState(*decoded, state);
  // Spot checks on the infinities, which are stored as absent fields.
  EXPECT_EQ(decoded->clocks[0].deadline, absl::InfiniteFuture());
  EXPECT_EQ(decoded->clocks[0].pauses[0].to, absl::InfiniteFuture());
  EXPECT_EQ(decoded->clocks[0].warning_due[0], absl::InfiniteFuture());
  EXPECT_EQ(decoded->clocks[0].ended, absl::InfiniteFuture());
  EXPECT_EQ(decoded->clocks[1].started, absl::FromUnixNanos(-1234567891));
}

TEST(StateCodecTest, EmptyStateRoundTrips) {
  const TicketClocksState empty;
  absl::StatusOr<TicketClocksState> decoded =
      DecodeClocksState(EncodeClocksState(empty));
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_FALSE(decoded->created);
  EXPECT_EQ(decoded->last_change, absl::InfinitePast());
  EXPECT_EQ(decoded->policy, "");
  EXPECT_THAT(decoded->facts.tags, IsEmpty());
  EXPECT_THAT(decoded->clocks, IsEmpty());
}

TEST(StateCodecTest, StateFromTheRulesRoundTripsAndKeepsWorking) {
  const Calendar round_the_clock = TwentyFourSeven("24x7");
  const CalendarLookup calendars = [&](const std::string& name) {
    return name == "24x7" ? &round_the_clock : nullptr;
  };
  Policy policy;
  policy.name = "standard";
  policy.is_default = true;
  policy.targets["normal"][Metric::kFirstResponse] = {
      absl::Hours(2), "24x7", {WarningThreshold::PercentElapsed(50)}};
  policy.targets["normal"][Metric::kResolution] = {absl::Hours(10), "24x7", {}};
  TicketChange change;
  change.at = kT0;
  change.kind = TicketChange::Kind::kCreated;
  change.after.priority = "normal";
  change.after.status = "new";
  TicketClocks clocks;
  ASSERT_TRUE(clocks.Apply(change, policy, calendars).ok());
  change.at = kT0 + absl::Minutes(20) + absl::Nanoseconds(1);
  change.kind = TicketChange::Kind::kStatusChanged;
  change.after.status = "pending";
  change.actor = "alice";
  ASSERT_TRUE(clocks.Apply(change, policy, calendars).ok());

  absl::StatusOr<TicketClocksState> decoded =
      DecodeClocksState(EncodeClocksState(clocks.state()));
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  ExpectSameState(*decoded, clocks.state());

  // Reloaded clocks resume exactly like the originals.
  TicketClocks reloaded(*decoded);
  change.at = kT0 + absl::Hours(1);
  change.after.status = "open";
  absl::StatusOr<std::vector<SlaTransition>> a =
      clocks.Apply(change, policy, calendars);
  absl::StatusOr<std::vector<SlaTransition>> b =
      reloaded.Apply(change, policy, calendars);
  ASSERT_TRUE(a.ok()) << a.status();
  ASSERT_TRUE(b.ok()) << b.status();
  ExpectSameState(reloaded.state(), clocks.state());
  EXPECT_EQ(reloaded.Open(Metric::kFirstResponse)->deadline,
            kT0 + absl::Hours(2) + absl::Minutes(40) - absl::Nanoseconds(1));
}

TEST(StateCodecTest, GarbageIsDataLoss) {
  const absl::StatusOr<TicketClocksState> decoded =
      DecodeClocksState("not a stored clock state");
  EXPECT_EQ(decoded.status().code(), StatusCode::kDataLoss);
  EXPECT_EQ(decoded.status().message(), "stored clock state does not parse");
  // Truncated in the middle of a field.
  const std::string bytes = EncodeClocksState(FullState());
  EXPECT_EQ(
      DecodeClocksState(absl::string_view(bytes).substr(0, 40)).status().code(),
      StatusCode::kDataLoss);
}

TEST(StateCodecTest, MalformedClockIsDataLoss) {
  slastoragepb::StoredTicketClocks unknown_metric;
  unknown_metric.set_created(true);
  unknown_metric.add_clocks()->set_metric("time_to_coffee");
  absl::StatusOr<TicketClocksState> decoded =
      DecodeClocksState(unknown_metric.SerializeAsString());
  EXPECT_EQ(decoded.status().code(), StatusCode::kDataLoss);
  EXPECT_EQ(decoded.status().message(), "stored clock is malformed");

  slastoragepb::StoredTicketClocks bad_state;
  slastoragepb::StoredClock* clock = bad_state.add_clocks();
  clock->set_metric("resolution");
  clock->set_state(4);
  EXPECT_EQ(DecodeClocksState(bad_state.SerializeAsString()).status().code(),
            StatusCode::kDataLoss);

  slastoragepb::StoredTicketClocks missing_warning_due;
  clock = missing_warning_due.add_clocks();
  clock->set_metric("first_response");
  clock->add_warnings()->set_kind(2);
  clock->add_warning_fired(false);
  EXPECT_EQ(DecodeClocksState(missing_warning_due.SerializeAsString())
                .status()
                .code(),
            StatusCode::kDataLoss);
}

TEST(WarningCodecTest, EncodesBothKinds) {
  EXPECT_EQ(EncodeWarning(WarningThreshold::MinutesBefore(30)),
            "minutes_before:30");
  EXPECT_EQ(EncodeWarning(WarningThreshold::PercentElapsed(75)),
            "percent_elapsed:75");
}

TEST(WarningCodecTest, DecodesWhatItEncodes) {
  for (const WarningThreshold& w :
       {WarningThreshold::MinutesBefore(1), WarningThreshold::MinutesBefore(30),
        WarningThreshold::PercentElapsed(1),
        WarningThreshold::PercentElapsed(99)}) {
    absl::StatusOr<WarningThreshold> decoded = DecodeWarning(EncodeWarning(w));
    ASSERT_TRUE(decoded.ok()) << decoded.status();
    EXPECT_EQ(*decoded, w);
  }
}

TEST(WarningCodecTest, GarbageIsDataLoss) {
  for (const std::string& text :
       {std::string("hours_before:3"), std::string("percent_elapsed:x"),
        std::string("percent_elapsed:"), std::string("minutes_before"),
        std::string("30"), std::string("")}) {
    const absl::StatusOr<WarningThreshold> decoded = DecodeWarning(text);
    EXPECT_EQ(decoded.status().code(), StatusCode::kDataLoss) << text;
    EXPECT_EQ(decoded.status().message(), "stored warning \"" + text + "\"");
  }
}

}  // namespace
}  // namespace cxdesk::sla
