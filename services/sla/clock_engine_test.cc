#include "services/sla/clock_engine.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "services/sla/business_time.h"

namespace cxdesk::sla {

// So that failing expectations on armed timers print readably.
void PrintTo(const TimerSpec& t, std::ostream* os) {
  *os << (t.kind == TimerSpec::Kind::kBreach
              ? std::string("breach")
              : absl::StrCat("warning[", t.warning, "]"))
      << " " << MetricName(t.metric) << "/" << t.cycle << " due "
      << absl::FormatTime(t.due, absl::UTCTimeZone());
}

namespace {

using absl::StatusCode;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Pair;
using Kind = TicketChange::Kind;

constexpr int64_t kTicket = 42;

// Monday 2026-06-08 09:00:00 UTC.
constexpr absl::Time kT0 = absl::FromUnixSeconds(1780909200);

absl::Time At(absl::Duration d) { return kT0 + d; }

// Round the clock, so business time equals elapsed time. normal: first
// response 2s (warn at 50%), next response 4s, periodic update 6s,
// resolution 10s. urgent: first response 1s only.
Policy Standard() {
  Policy p;
  p.name = "standard";
  p.is_default = true;
  p.targets["normal"][Metric::kFirstResponse] = {
      absl::Seconds(2), "24x7", {WarningThreshold::PercentElapsed(50)}};
  p.targets["normal"][Metric::kNextResponse] = {absl::Seconds(4), "24x7", {}};
  p.targets["normal"][Metric::kPeriodicUpdate] = {absl::Seconds(6), "24x7", {}};
  p.targets["normal"][Metric::kResolution] = {absl::Seconds(10), "24x7", {}};
  p.targets["urgent"][Metric::kFirstResponse] = {absl::Seconds(1), "24x7", {}};
  return p;
}

// Only urgent tickets: no default policy.
Policy VipOnly() {
  Policy p;
  p.name = "vip";
  p.position = 1;
  p.conditions.priorities = {"urgent"};
  p.targets["urgent"][Metric::kFirstResponse] = {absl::Seconds(1), "24x7", {}};
  return p;
}

SlaConfig Config(std::vector<Policy> policies) {
  SlaConfig config;
  config.revision = 1;
  config.calendars.emplace("24x7", TwentyFourSeven("24x7"));
  config.policies = std::move(policies);
  return config;
}

RecordedChange Change(int64_t event_id, absl::Time at, Kind kind,
                      std::string status, std::string priority = "normal",
                      std::string actor = "alice") {
  RecordedChange r;
  r.ticket_event_id = event_id;
  r.ticket_id = kTicket;
  r.cursor = absl::StrCat("c", event_id);
  r.change.at = at;
  r.change.kind = kind;
  r.change.after.priority = std::move(priority);
  r.change.after.kind = "question";
  r.change.after.channel = "email";
  r.change.after.status = std::move(status);
  r.change.after.customer_email = "ada@example.com";
  r.change.actor = std::move(actor);
  r.dims.team = "billing";
  r.dims.assignee = "bob";
  return r;
}

TimerSpec Breach(Metric metric, int cycle, absl::Time due) {
  return {metric, cycle, TimerSpec::Kind::kBreach, -1, due};
}

TimerSpec Warning(Metric metric, int cycle, int index, absl::Time due) {
  return {metric, cycle, TimerSpec::Kind::kWarning, index, due};
}

std::string Describe(const Measurement& m) {
  auto time = [](absl::Time t) {
    return absl::FormatTime("%Y-%m-%d %H:%M:%E*S", t, absl::UTCTimeZone());
  };
  auto duration = [](const std::optional<absl::Duration>& d) {
    return d.has_value() ? absl::FormatDuration(*d) : std::string("-");
  };
  return absl::StrCat(
      m.ticket_id, " ", MetricName(m.metric), "/", m.cycle,
      " policy=", m.policy_id, " calendar=", m.calendar_id,
      " target=", absl::FormatDuration(m.target), " started=", time(m.started),
      " deadline=", time(m.deadline), " ended=", time(m.ended),
      " state=", ClockStateName(m.state), " breached=", m.breached,
      " met_late=", m.met_late, " business=", duration(m.business_time),
      " calendar_time=", duration(m.calendar_time), " team=", m.team,
      " assignee=", m.assignee, " priority=", m.priority, " kind=", m.kind,
      " cx_level=", m.cx_level, " channel=", m.channel);
}

std::vector<std::string> Describe(const std::vector<Measurement>& ms) {
  std::vector<std::string> out;
  for (const Measurement& m : ms) out.push_back(Describe(m));
  return out;
}

// "started first_response/1 @+0s due +2s".
std::vector<std::string> Describe(const std::vector<LedgerEvent>& events) {
  std::vector<std::string> out;
  for (const LedgerEvent& e : events) {
    std::string s = absl::StrCat(
        TransitionName(e.kind), " ", MetricName(e.metric), "/", e.cycle, " @+",
        absl::FormatDuration(e.occur_time - kT0), " due ",
        e.deadline == absl::InfiniteFuture()
            ? std::string("never")
            : absl::StrCat("+", absl::FormatDuration(e.deadline - kT0)));
    if (e.met_late) absl::StrAppend(&s, " late");
    out.push_back(std::move(s));
  }
  return out;
}

// ---- names ----

TEST(ChangeKindTest, NamesRoundTrip) {
  const std::vector<std::pair<Kind, std::string>> kinds = {
      {Kind::kCreated, "created"},
      {Kind::kPublicAgentReply, "public_agent_reply"},
      {Kind::kCustomerMessage, "customer_message"},
      {Kind::kInternalNote, "internal_note"},
      {Kind::kStatusChanged, "status_changed"},
      {Kind::kPriorityChanged, "priority_changed"},
      {Kind::kOtherChange, "other"}};
  for (const auto& [kind, name] : kinds) {
    EXPECT_EQ(ChangeKindName(kind), name);
    absl::StatusOr<Kind> parsed = ParseChangeKind(name);
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    EXPECT_EQ(*parsed, kind) << name;
  }
  const absl::StatusOr<Kind> bad = ParseChangeKind("reopened");
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.status().message(), "unknown change kind \"reopened\"");
  EXPECT_EQ(ParseChangeKind("").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseChangeKind("Created").status().code(),
            StatusCode::kInvalidArgument);
}

TEST(TransitionKindTest, ParsesEveryTransitionName) {
  using T = SlaTransition::Kind;
  const std::vector<std::pair<T, std::string>> kinds = {
      {T::kStarted, "started"},     {T::kPaused, "paused"},
      {T::kResumed, "resumed"},     {T::kMet, "met"},
      {T::kCancelled, "cancelled"}, {T::kRetargeted, "retargeted"},
      {T::kWarned, "warned"},       {T::kBreached, "breached"}};
  for (const auto& [kind, name] : kinds) {
    absl::StatusOr<T> parsed = ParseTransitionKind(name);
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    EXPECT_EQ(*parsed, kind) << name;
  }
  const absl::StatusOr<T> bad = ParseTransitionKind("expired");
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.status().message(), "unknown SLA event kind \"expired\"");
}

TEST(ClockStateTest, ParsesEveryStateName) {
  const std::vector<std::pair<ClockState, std::string>> states = {
      {ClockState::kRunning, "running"},
      {ClockState::kPaused, "paused"},
      {ClockState::kMet, "met"},
      {ClockState::kCancelled, "cancelled"}};
  for (const auto& [state, name] : states) {
    absl::StatusOr<ClockState> parsed = ParseClockState(name);
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    EXPECT_EQ(*parsed, state) << name;
  }
  const absl::StatusOr<ClockState> bad = ParseClockState("breached");
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.status().message(), "unknown clock state \"breached\"");
}

// ---- PolicyFor ----

TEST(PolicyForTest, MatchesOrFallsBackToAnUnnamedPolicyWithoutTargets) {
  const SlaConfig config = Config({VipOnly()});
  TicketFacts urgent;
  urgent.priority = "urgent";
  EXPECT_EQ(PolicyFor(config, urgent).name, "vip");

  TicketFacts normal;
  normal.priority = "normal";
  const Policy& none = PolicyFor(config, normal);
  EXPECT_EQ(none.name, "");
  EXPECT_TRUE(none.targets.empty());
  EXPECT_EQ(none.Target("normal", Metric::kFirstResponse), nullptr);

  const SlaConfig with_default = Config({VipOnly(), Standard()});
  EXPECT_EQ(PolicyFor(with_default, normal).name, "standard");
  EXPECT_EQ(PolicyFor(with_default, urgent).name, "vip");
}

// ---- ApplyChange ----

TEST(ApplyChangeTest, CreationStartsClocksArmsTimersAndMeasures) {
  const SlaConfig config = Config({Standard()});
  absl::StatusOr<ClockUpdate> update =
      ApplyChange(std::nullopt, Change(1, kT0, Kind::kCreated, "new"), config);
  ASSERT_TRUE(update.ok()) << update.status();

  const StoredTicket& ticket = update->ticket;
  EXPECT_EQ(ticket.ticket_id, kTicket);
  EXPECT_EQ(ticket.policy_id, "standard");
  EXPECT_EQ(ticket.dims.team, "billing");
  EXPECT_EQ(ticket.dims.assignee, "bob");
  EXPECT_EQ(ticket.csat, std::nullopt);
  EXPECT_EQ(ticket.last_event_id, 1);
  EXPECT_EQ(ticket.create_time, kT0);
  EXPECT_EQ(ticket.update_time, kT0);
  EXPECT_TRUE(ticket.state.created);
  EXPECT_EQ(ticket.state.policy, "standard");
  EXPECT_EQ(ticket.state.last_change, kT0);
  EXPECT_EQ(ticket.state.facts.status, "new");
  ASSERT_EQ(ticket.state.clocks.size(), 2u);

  EXPECT_THAT(Describe(update->events),
              ElementsAre("started first_response/1 @+0 due +2s",
                          "started resolution/1 @+0 due +10s"));
  const LedgerEvent& first = update->events[0];
  EXPECT_EQ(first.ticket_id, kTicket);
  EXPECT_EQ(first.kind, SlaTransition::Kind::kStarted);
  EXPECT_EQ(first.occur_time, kT0);
  EXPECT_EQ(first.deadline, At(absl::Seconds(2)));
  EXPECT_EQ(first.policy_id, "standard");
  EXPECT_EQ(first.calendar_id, "24x7");
  EXPECT_EQ(first.target, absl::Seconds(2));
  EXPECT_EQ(first.actor, "alice");
  EXPECT_EQ(first.status, "new");
  EXPECT_EQ(first.ticket_event_id, 1);
  EXPECT_EQ(first.team, "billing");
  EXPECT_EQ(first.assignee, "bob");
  EXPECT_EQ(first.priority, "normal");
  EXPECT_FALSE(first.met_late);
  EXPECT_FALSE(first.overdue);
  EXPECT_EQ(first.warning, std::nullopt);
  EXPECT_EQ(first.pause_business, std::nullopt);
  EXPECT_EQ(first.business_time, std::nullopt);
  EXPECT_EQ(first.calendar_time, std::nullopt);
  EXPECT_EQ(update->events[1].metric, Metric::kResolution);
  EXPECT_EQ(update->events[1].target, absl::Seconds(10));

  EXPECT_THAT(
      update->armed,
      ElementsAre(Warning(Metric::kFirstResponse, 1, 0, At(absl::Seconds(1))),
                  Breach(Metric::kFirstResponse, 1, At(absl::Seconds(2))),
                  Breach(Metric::kResolution, 1, At(absl::Seconds(10)))));

  EXPECT_THAT(
      Describe(update->measurements),
      ElementsAre("42 first_response/1 policy=standard calendar=24x7 target=2s "
                  "started=2026-06-08 09:00:00 deadline=2026-06-08 09:00:02 "
                  "ended=infinite-future state=running breached=0 met_late=0 "
                  "business=- calendar_time=- team=billing assignee=bob "
                  "priority=normal kind=question cx_level= channel=email",
                  "42 resolution/1 policy=standard calendar=24x7 target=10s "
                  "started=2026-06-08 09:00:00 deadline=2026-06-08 09:00:10 "
                  "ended=infinite-future state=running breached=0 met_late=0 "
                  "business=- calendar_time=- team=billing assignee=bob "
                  "priority=normal kind=question cx_level= channel=email"));
}

TEST(ApplyChangeTest, FirstChangeThatIsNotACreationFailsPrecondition) {
  const SlaConfig config = Config({Standard()});
  const absl::StatusOr<ClockUpdate> update = ApplyChange(
      std::nullopt, Change(1, kT0, Kind::kPublicAgentReply, "open"), config);
  EXPECT_EQ(update.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(update.status().message(),
            "the first change of a ticket must be its creation");
}

TEST(ApplyChangeTest, SecondCreationFailsPrecondition) {
  const SlaConfig config = Config({Standard()});
  absl::StatusOr<ClockUpdate> created =
      ApplyChange(std::nullopt, Change(1, kT0, Kind::kCreated, "new"), config);
  ASSERT_TRUE(created.ok()) << created.status();
  const absl::StatusOr<ClockUpdate> again = ApplyChange(
      created->ticket, Change(2, At(absl::Seconds(1)), Kind::kCreated, "new"),
      config);
  EXPECT_EQ(again.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(again.status().message(), "the ticket was already created");
}

TEST(ApplyChangeTest, ChangeBeforeThePreviousOneIsInvalid) {
  const SlaConfig config = Config({Standard()});
  absl::StatusOr<ClockUpdate> created = ApplyChange(
      std::nullopt, Change(1, At(absl::Seconds(5)), Kind::kCreated, "new"),
      config);
  ASSERT_TRUE(created.ok()) << created.status();
  const absl::StatusOr<ClockUpdate> earlier = ApplyChange(
      created->ticket, Change(2, kT0, Kind::kInternalNote, "new"), config);
  EXPECT_EQ(earlier.status().code(), StatusCode::kInvalidArgument);
}

TEST(ApplyChangeTest, NoMatchingPolicyMeansNoPolicyAndNoClocks) {
  const SlaConfig config = Config({VipOnly()});
  absl::StatusOr<ClockUpdate> update =
      ApplyChange(std::nullopt, Change(1, kT0, Kind::kCreated, "new"), config);
  ASSERT_TRUE(update.ok()) << update.status();
  EXPECT_EQ(update->ticket.policy_id, "");
  EXPECT_EQ(update->ticket.state.policy, "");
  EXPECT_TRUE(update->ticket.state.created);
  EXPECT_THAT(update->ticket.state.clocks, IsEmpty());
  EXPECT_THAT(update->events, IsEmpty());
  EXPECT_THAT(update->armed, IsEmpty());
  EXPECT_THAT(update->measurements, IsEmpty());
  EXPECT_EQ(update->ticket.ticket_id, kTicket);
  EXPECT_EQ(update->ticket.dims.team, "billing");

  // A later reply still has nothing to measure.
  absl::StatusOr<ClockUpdate> reply = ApplyChange(
      update->ticket,
      Change(2, At(absl::Seconds(1)), Kind::kPublicAgentReply, "open"), config);
  ASSERT_TRUE(reply.ok()) << reply.status();
  EXPECT_EQ(reply->ticket.policy_id, "");
  EXPECT_THAT(reply->events, IsEmpty());
  EXPECT_THAT(reply->armed, IsEmpty());
}

TEST(ApplyChangeTest, PendingPauseMovesTheDeadlineByExactlyThePause) {
  const SlaConfig config = Config({Standard()});
  const absl::Time t1 = At(absl::Milliseconds(500) + absl::Nanoseconds(3));
  const absl::Time t2 = At(absl::Seconds(5) + absl::Nanoseconds(11));

  absl::StatusOr<ClockUpdate> created =
      ApplyChange(std::nullopt, Change(1, kT0, Kind::kCreated, "new"), config);
  ASSERT_TRUE(created.ok()) << created.status();
  const absl::Time breach_before = At(absl::Seconds(2));
  ASSERT_EQ(created->armed[1],
            Breach(Metric::kFirstResponse, 1, breach_before));

  absl::StatusOr<ClockUpdate> pending = ApplyChange(
      created->ticket, Change(2, t1, Kind::kStatusChanged, "pending"), config);
  ASSERT_TRUE(pending.ok()) << pending.status();
  ASSERT_EQ(pending->events.size(), 2u);
  EXPECT_EQ(pending->events[0].kind, SlaTransition::Kind::kPaused);
  EXPECT_EQ(pending->events[0].metric, Metric::kFirstResponse);
  EXPECT_EQ(pending->events[0].occur_time, t1);
  EXPECT_EQ(pending->events[0].deadline, absl::InfiniteFuture());
  EXPECT_EQ(pending->events[0].status, "pending");
  EXPECT_EQ(pending->events[1].kind, SlaTransition::Kind::kPaused);
  EXPECT_EQ(pending->events[1].metric, Metric::kResolution);
  // Paused before the deadline: nothing to arm.
  EXPECT_THAT(pending->armed, IsEmpty());
  ASSERT_EQ(pending->measurements.size(), 2u);
  EXPECT_EQ(pending->measurements[0].state, ClockState::kPaused);
  EXPECT_EQ(pending->measurements[0].deadline, absl::InfiniteFuture());

  absl::StatusOr<ClockUpdate> reopened = ApplyChange(
      pending->ticket, Change(3, t2, Kind::kStatusChanged, "open"), config);
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  const absl::Duration pause = t2 - t1;
  ASSERT_EQ(reopened->events.size(), 2u);
  const LedgerEvent& resumed = reopened->events[0];
  EXPECT_EQ(resumed.kind, SlaTransition::Kind::kResumed);
  EXPECT_EQ(resumed.metric, Metric::kFirstResponse);
  EXPECT_EQ(resumed.occur_time, t2);
  EXPECT_EQ(resumed.deadline, breach_before + pause);
  EXPECT_EQ(resumed.pause_business, pause);
  EXPECT_EQ(resumed.pause_elapsed, pause);
  EXPECT_EQ(reopened->events[1].deadline, At(absl::Seconds(10)) + pause);

  EXPECT_THAT(
      reopened->armed,
      ElementsAre(
          Warning(Metric::kFirstResponse, 1, 0, At(absl::Seconds(1)) + pause),
          Breach(Metric::kFirstResponse, 1, breach_before + pause),
          Breach(Metric::kResolution, 1, At(absl::Seconds(10)) + pause)));
  EXPECT_EQ(reopened->armed[1].due - breach_before, t2 - t1);
}

TEST(ApplyChangeTest, ReplyBeforeTheDeadlineIsMetOnTime) {
  const SlaConfig config = Config({Standard()});
  absl::StatusOr<ClockUpdate> created =
      ApplyChange(std::nullopt, Change(1, kT0, Kind::kCreated, "new"), config);
  ASSERT_TRUE(created.ok()) << created.status();
  const absl::Time reply_at = At(absl::Milliseconds(1500));
  absl::StatusOr<ClockUpdate> reply = ApplyChange(
      created->ticket,
      Change(2, reply_at, Kind::kPublicAgentReply, "open", "normal", "carol"),
      config);
  ASSERT_TRUE(reply.ok()) << reply.status();

  EXPECT_THAT(Describe(reply->events),
              ElementsAre("met first_response/1 @+1.5s due +2s",
                          "started periodic_update/1 @+1.5s due +7.5s"));
  const LedgerEvent& met = reply->events[0];
  EXPECT_EQ(met.kind, SlaTransition::Kind::kMet);
  EXPECT_FALSE(met.met_late);
  EXPECT_EQ(met.business_time, absl::Milliseconds(1500));
  EXPECT_EQ(met.calendar_time, absl::Milliseconds(1500));
  EXPECT_EQ(met.business_time, met.calendar_time);
  EXPECT_EQ(met.actor, "carol");
  EXPECT_EQ(met.ticket_event_id, 2);
  EXPECT_EQ(met.status, "open");

  // Met: its warning and breach timers are gone.
  EXPECT_THAT(reply->armed,
              ElementsAre(Breach(Metric::kResolution, 1, At(absl::Seconds(10))),
                          Breach(Metric::kPeriodicUpdate, 1,
                                 reply_at + absl::Seconds(6))));

  ASSERT_EQ(reply->measurements.size(), 2u);
  const Measurement& m = reply->measurements[0];
  EXPECT_EQ(m.metric, Metric::kFirstResponse);
  EXPECT_EQ(m.state, ClockState::kMet);
  EXPECT_EQ(m.ended, reply_at);
  EXPECT_FALSE(m.met_late);
  EXPECT_FALSE(m.breached);
  EXPECT_EQ(m.business_time, absl::Milliseconds(1500));
  EXPECT_EQ(m.calendar_time, absl::Milliseconds(1500));
  EXPECT_EQ(reply->measurements[1].metric, Metric::kPeriodicUpdate);
  EXPECT_EQ(reply->measurements[1].state, ClockState::kRunning);
}

TEST(ApplyChangeTest, ReplyExactlyAtTheDeadlineIsOnTime) {
  const SlaConfig config = Config({Standard()});
  absl::StatusOr<ClockUpdate> created =
      ApplyChange(std::nullopt, Change(1, kT0, Kind::kCreated, "new"), config);
  ASSERT_TRUE(created.ok()) << created.status();
  absl::StatusOr<ClockUpdate> reply = ApplyChange(
      created->ticket,
      Change(2, At(absl::Seconds(2)), Kind::kPublicAgentReply, "open"), config);
  ASSERT_TRUE(reply.ok()) << reply.status();
  ASSERT_FALSE(reply->events.empty());
  EXPECT_EQ(reply->events[0].kind, SlaTransition::Kind::kMet);
  EXPECT_FALSE(reply->events[0].met_late);
  EXPECT_FALSE(reply->measurements[0].met_late);
}

TEST(ApplyChangeTest, ReplyAfterTheDeadlineIsMetLate) {
  const SlaConfig config = Config({Standard()});
  absl::StatusOr<ClockUpdate> created =
      ApplyChange(std::nullopt, Change(1, kT0, Kind::kCreated, "new"), config);
  ASSERT_TRUE(created.ok()) << created.status();
  const absl::Time reply_at = At(absl::Seconds(2) + absl::Nanoseconds(1));
  absl::StatusOr<ClockUpdate> reply =
      ApplyChange(created->ticket,
                  Change(2, reply_at, Kind::kPublicAgentReply, "open"), config);
  ASSERT_TRUE(reply.ok()) << reply.status();
  ASSERT_EQ(reply->events.size(), 2u);
  const LedgerEvent& met = reply->events[0];
  EXPECT_EQ(met.kind, SlaTransition::Kind::kMet);
  EXPECT_TRUE(met.met_late);
  EXPECT_EQ(met.business_time, reply_at - kT0);
  EXPECT_EQ(met.calendar_time, reply_at - kT0);

  const Measurement& m = reply->measurements[0];
  EXPECT_EQ(m.metric, Metric::kFirstResponse);
  EXPECT_TRUE(m.met_late);
  // The breach timer never fired: late, but not flagged breached.
  EXPECT_FALSE(m.breached);
}

// A report groups an open clock by the ticket's team and assignee now: a
// reassignment, which moves no clock, still rewrites the open clocks' rows.
TEST(ApplyChangeTest, ReassignmentRemeasuresOpenClocksOnly) {
  const SlaConfig config = Config({Standard()});
  absl::StatusOr<ClockUpdate> created =
      ApplyChange(std::nullopt, Change(1, kT0, Kind::kCreated, "new"), config);
  ASSERT_TRUE(created.ok()) << created.status();
  const size_t clocks = created->ticket.state.clocks.size();
  ASSERT_GE(clocks, 2u);

  RecordedChange moved =
      Change(2, At(absl::Seconds(1)), Kind::kOtherChange, "open");
  moved.dims = {"care", "lena"};
  absl::StatusOr<ClockUpdate> after =
      ApplyChange(created->ticket, moved, config);
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_THAT(after->events, IsEmpty());
  ASSERT_EQ(after->measurements.size(), clocks);
  for (const Measurement& m : after->measurements) {
    EXPECT_EQ(m.team, "care");
    EXPECT_EQ(m.assignee, "lena");
  }

  // The same team and assignee again: nothing to rewrite.
  RecordedChange same =
      Change(3, At(absl::Seconds(2)), Kind::kOtherChange, "open");
  same.dims = {"care", "lena"};
  absl::StatusOr<ClockUpdate> again = ApplyChange(after->ticket, same, config);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_THAT(again->measurements, IsEmpty());
}

TEST(ApplyChangeTest, CsatIsKeptOnceRated) {
  const SlaConfig config = Config({Standard()});
  absl::StatusOr<ClockUpdate> created =
      ApplyChange(std::nullopt, Change(1, kT0, Kind::kCreated, "new"), config);
  ASSERT_TRUE(created.ok()) << created.status();
  RecordedChange rated =
      Change(2, At(absl::Seconds(1)), Kind::kOtherChange, "new");
  rated.csat = 4;
  absl::StatusOr<ClockUpdate> after_rating =
      ApplyChange(created->ticket, rated, config);
  ASSERT_TRUE(after_rating.ok()) << after_rating.status();
  EXPECT_EQ(after_rating->ticket.csat, 4);
  EXPECT_THAT(after_rating->events, IsEmpty());
  EXPECT_THAT(after_rating->measurements, IsEmpty());
  EXPECT_EQ(after_rating->ticket.last_event_id, 2);
  EXPECT_EQ(after_rating->ticket.create_time, kT0);
  EXPECT_EQ(after_rating->ticket.update_time, At(absl::Seconds(1)));

  absl::StatusOr<ClockUpdate> later = ApplyChange(
      after_rating->ticket,
      Change(3, At(absl::Seconds(2)), Kind::kInternalNote, "new"), config);
  ASSERT_TRUE(later.ok()) << later.status();
  EXPECT_EQ(later->ticket.csat, 4);
}

// ---- FireTimers ----

class FireTimersTest : public ::testing::Test {
 protected:
  FireTimersTest() : config_(Config({Standard()})) {
    absl::StatusOr<ClockUpdate> created = ApplyChange(
        std::nullopt, Change(1, kT0, Kind::kCreated, "new"), config_);
    EXPECT_TRUE(created.ok()) << created.status();
    if (created.ok()) ticket_ = created->ticket;
  }

  SlaConfig config_;
  StoredTicket ticket_;
};

TEST_F(FireTimersTest, DueBreachFiresAtItsDueInstant) {
  const absl::Time due = At(absl::Seconds(2));
  const FireUpdate fired = FireTimers(
      ticket_, {{7, kTicket, Breach(Metric::kFirstResponse, 1, due)}},
      At(absl::Seconds(2) + absl::Milliseconds(250)), config_);

  EXPECT_THAT(fired.outcomes, ElementsAre(Pair(7, TimerOutcome::kFired)));
  ASSERT_EQ(fired.update.events.size(), 1u);
  const LedgerEvent& e = fired.update.events[0];
  EXPECT_EQ(e.kind, SlaTransition::Kind::kBreached);
  EXPECT_EQ(e.metric, Metric::kFirstResponse);
  EXPECT_EQ(e.cycle, 1);
  EXPECT_EQ(e.occur_time, due);
  EXPECT_EQ(e.deadline, due);
  EXPECT_EQ(e.ticket_id, kTicket);
  EXPECT_EQ(e.policy_id, "standard");
  EXPECT_EQ(e.calendar_id, "24x7");
  EXPECT_EQ(e.target, absl::Seconds(2));
  EXPECT_EQ(e.status, "new");
  EXPECT_EQ(e.ticket_event_id, 0);
  EXPECT_EQ(e.team, "billing");
  EXPECT_EQ(e.priority, "normal");
  EXPECT_FALSE(e.met_late);

  const SlaClock& clock = fired.update.ticket.state.clocks[0];
  EXPECT_EQ(clock.metric, Metric::kFirstResponse);
  EXPECT_TRUE(clock.breached);
  EXPECT_EQ(clock.state, ClockState::kRunning);
  // A breached clock arms nothing more (not even its unfired warning).
  EXPECT_THAT(fired.update.armed, ElementsAre(Breach(Metric::kResolution, 1,
                                                     At(absl::Seconds(10)))));
  ASSERT_EQ(fired.update.measurements.size(), 1u);
  EXPECT_EQ(fired.update.measurements[0].metric, Metric::kFirstResponse);
  EXPECT_TRUE(fired.update.measurements[0].breached);
  EXPECT_FALSE(fired.update.measurements[0].met_late);
  // The input ticket is not changed.
  EXPECT_FALSE(ticket_.state.clocks[0].breached);
}

TEST_F(FireTimersTest, TimerWhoseDueNoLongerMatchesIsStale) {
  const FireUpdate fired = FireTimers(
      ticket_,
      {{8, kTicket, Breach(Metric::kFirstResponse, 1, At(absl::Seconds(3)))}},
      At(absl::Seconds(4)), config_);
  EXPECT_THAT(fired.outcomes, ElementsAre(Pair(8, TimerOutcome::kStale)));
  EXPECT_THAT(fired.update.events, IsEmpty());
  EXPECT_THAT(fired.update.measurements, IsEmpty());
  EXPECT_FALSE(fired.update.ticket.state.clocks[0].breached);
  EXPECT_THAT(
      fired.update.armed,
      ElementsAre(Warning(Metric::kFirstResponse, 1, 0, At(absl::Seconds(1))),
                  Breach(Metric::kFirstResponse, 1, At(absl::Seconds(2))),
                  Breach(Metric::kResolution, 1, At(absl::Seconds(10)))));
}

TEST_F(FireTimersTest, TimerOfAMetClockIsStale) {
  absl::StatusOr<ClockUpdate> reply = ApplyChange(
      ticket_, Change(2, At(absl::Seconds(1)), Kind::kPublicAgentReply, "open"),
      config_);
  ASSERT_TRUE(reply.ok()) << reply.status();
  const FireUpdate fired = FireTimers(
      reply->ticket,
      {{9, kTicket, Breach(Metric::kFirstResponse, 1, At(absl::Seconds(2)))}},
      At(absl::Seconds(2)), config_);
  EXPECT_THAT(fired.outcomes, ElementsAre(Pair(9, TimerOutcome::kStale)));
  EXPECT_THAT(fired.update.events, IsEmpty());
}

TEST_F(FireTimersTest, TwoTimersOfOneTicketFireInDueOrder) {
  // Claimed in the wrong order: the breach (due +2s) before the warning
  // (due +1s).
  const FireUpdate fired = FireTimers(
      ticket_,
      {{1, kTicket, Breach(Metric::kFirstResponse, 1, At(absl::Seconds(2)))},
       {2, kTicket,
        Warning(Metric::kFirstResponse, 1, 0, At(absl::Seconds(1)))}},
      At(absl::Seconds(5)), config_);
  EXPECT_THAT(fired.outcomes, ElementsAre(Pair(2, TimerOutcome::kFired),
                                          Pair(1, TimerOutcome::kFired)));
  EXPECT_THAT(Describe(fired.update.events),
              ElementsAre("warned first_response/1 @+1s due +2s",
                          "breached first_response/1 @+2s due +2s"));
  ASSERT_EQ(fired.update.events.size(), 2u);
  EXPECT_EQ(fired.update.events[0].warning,
            WarningThreshold::PercentElapsed(50));
  EXPECT_EQ(fired.update.events[1].warning, std::nullopt);
  const SlaClock& clock = fired.update.ticket.state.clocks[0];
  EXPECT_TRUE(clock.breached);
  EXPECT_THAT(clock.warning_fired, ElementsAre(true));
  // Both events touched one clock: one measurement.
  ASSERT_EQ(fired.update.measurements.size(), 1u);
  EXPECT_TRUE(fired.update.measurements[0].breached);
}

TEST_F(FireTimersTest, AlreadyFiredWarningIsStaleTheSecondTime) {
  const ArmedTimer warning = {
      3, kTicket, Warning(Metric::kFirstResponse, 1, 0, At(absl::Seconds(1)))};
  const FireUpdate first =
      FireTimers(ticket_, {warning}, At(absl::Seconds(1)), config_);
  EXPECT_THAT(first.outcomes, ElementsAre(Pair(3, TimerOutcome::kFired)));
  const FireUpdate second =
      FireTimers(first.update.ticket, {warning}, At(absl::Seconds(1)), config_);
  EXPECT_THAT(second.outcomes, ElementsAre(Pair(3, TimerOutcome::kStale)));
  EXPECT_THAT(second.update.events, IsEmpty());
}

// ---- ReplayTicket ----

// The live service, one step at a time: each change is applied as it comes,
// and each timer fires alone at its due instant (ties with a change go to
// the change). The sla.measurements rows are the last row written per clock.
std::vector<Measurement> Live(const std::vector<RecordedChange>& changes,
                              const SlaConfig& config, absl::Time until) {
  std::optional<StoredTicket> ticket;
  std::vector<TimerSpec> armed;
  std::map<std::pair<Metric, int>, Measurement> rows;
  int64_t next_timer_id = 1;
  auto record = [&](const ClockUpdate& u) {
    ticket = u.ticket;
    armed = u.armed;
    for (const Measurement& m : u.measurements) {
      rows[{m.metric, m.cycle}] = m;
    }
  };
  // Fires every timer due at or before `limit`, earliest first.
  auto fire_through = [&](absl::Time limit) {
    while (ticket.has_value()) {
      const TimerSpec* next = nullptr;
      for (const TimerSpec& t : armed) {
        if (t.due <= limit && (next == nullptr || t.due < next->due)) {
          next = &t;
        }
      }
      if (next == nullptr) return;
      const TimerSpec spec = *next;
      const FireUpdate fired = FireTimers(
          *ticket, {{next_timer_id++, kTicket, spec}}, spec.due, config);
      EXPECT_THAT(fired.outcomes,
                  ElementsAre(Pair(next_timer_id - 1, TimerOutcome::kFired)));
      record(fired.update);
    }
  };
  for (const RecordedChange& change : changes) {
    fire_through(change.change.at - absl::Nanoseconds(1));
    absl::StatusOr<ClockUpdate> update = ApplyChange(ticket, change, config);
    if (update.ok()) record(*update);
  }
  fire_through(until);
  std::vector<Measurement> out;
  if (!ticket.has_value()) return out;
  for (const SlaClock& c : ticket->state.clocks) {
    auto it = rows.find({c.metric, c.cycle});
    EXPECT_NE(it, rows.end()) << MetricName(c.metric) << "/" << c.cycle;
    if (it != rows.end()) out.push_back(it->second);
  }
  return out;
}

// created +0; (FR warning +1s, FR breach +2s); reply +3s (FR met late,
// periodic update 1 starts); customer message +4s (next response 1 starts);
// pending +5s; customer message reopens +7s (2s pause); reply +9s (next
// response and periodic update met on time, periodic update 2 starts);
// (resolution breach +12s); solved +13s (resolution met late, periodic
// update 2 cancelled).
std::vector<RecordedChange> Script() {
  return {
      Change(1, kT0, Kind::kCreated, "new"),
      Change(2, At(absl::Seconds(3)), Kind::kPublicAgentReply, "open"),
      Change(3, At(absl::Seconds(4)), Kind::kCustomerMessage, "open", "normal",
             "ada@example.com"),
      Change(4, At(absl::Seconds(5)), Kind::kStatusChanged, "pending"),
      Change(5, At(absl::Seconds(7)), Kind::kCustomerMessage, "open", "normal",
             "ada@example.com"),
      Change(6, At(absl::Seconds(9)), Kind::kPublicAgentReply, "open"),
      Change(7, At(absl::Seconds(13)), Kind::kStatusChanged, "solved"),
  };
}

TEST(ReplayTicketTest, EqualsTheLiveSequence) {
  const SlaConfig config = Config({Standard()});
  std::vector<RecordedChange> changes = Script();
  changes.back().csat = 5;
  const absl::Time until = At(absl::Seconds(20));

  std::optional<int> csat;
  const std::vector<Measurement> replayed =
      ReplayTicket(changes, config, until, &csat);
  EXPECT_EQ(csat, 5);
  EXPECT_THAT(Describe(replayed), ::testing::ElementsAreArray(
                                      Describe(Live(changes, config, until))));

  // And the figures themselves.
  const std::string tail =
      " team=billing assignee=bob priority=normal kind=question cx_level= "
      "channel=email";
  EXPECT_THAT(
      Describe(replayed),
      ElementsAre(
          "42 first_response/1 policy=standard calendar=24x7 target=2s "
          "started=2026-06-08 09:00:00 deadline=2026-06-08 09:00:02 "
          "ended=2026-06-08 09:00:03 state=met breached=1 met_late=1 "
          "business=3s calendar_time=3s" +
              tail,
          "42 resolution/1 policy=standard calendar=24x7 target=10s "
          "started=2026-06-08 09:00:00 deadline=2026-06-08 09:00:12 "
          "ended=2026-06-08 09:00:13 state=met breached=1 met_late=1 "
          "business=11s calendar_time=13s" +
              tail,
          "42 periodic_update/1 policy=standard calendar=24x7 target=6s "
          "started=2026-06-08 09:00:03 deadline=2026-06-08 09:00:11 "
          "ended=2026-06-08 09:00:09 state=met breached=0 met_late=0 "
          "business=4s calendar_time=6s" +
              tail,
          "42 next_response/1 policy=standard calendar=24x7 target=4s "
          "started=2026-06-08 09:00:04 deadline=2026-06-08 09:00:10 "
          "ended=2026-06-08 09:00:09 state=met breached=0 met_late=0 "
          "business=3s calendar_time=5s" +
              tail,
          "42 periodic_update/2 policy=standard calendar=24x7 target=6s "
          "started=2026-06-08 09:00:09 deadline=2026-06-08 09:00:15 "
          "ended=2026-06-08 09:00:13 state=cancelled breached=0 met_late=0 "
          "business=- calendar_time=-" +
              tail));
}

TEST(ReplayTicketTest, FiresTimersDueAtOrBeforeUntilOnly) {
  const SlaConfig config = Config({Standard()});
  const std::vector<RecordedChange> created = {
      Change(1, kT0, Kind::kCreated, "new")};

  const std::vector<Measurement> before = ReplayTicket(
      created, config, At(absl::Seconds(2) - absl::Nanoseconds(1)), nullptr);
  ASSERT_EQ(before.size(), 2u);
  EXPECT_EQ(before[0].metric, Metric::kFirstResponse);
  EXPECT_FALSE(before[0].breached);

  const std::vector<Measurement> at =
      ReplayTicket(created, config, At(absl::Seconds(2)), nullptr);
  ASSERT_EQ(at.size(), 2u);
  EXPECT_TRUE(at[0].breached);
  EXPECT_EQ(at[0].state, ClockState::kRunning);
  EXPECT_FALSE(at[1].breached);
}

TEST(ReplayTicketTest, ATimerDueAtAChangeLosesToTheChange) {
  const SlaConfig config = Config({Standard()});
  const std::vector<RecordedChange> changes = {
      Change(1, kT0, Kind::kCreated, "new"),
      Change(2, At(absl::Seconds(2)), Kind::kPublicAgentReply, "open")};
  const std::vector<Measurement> out =
      ReplayTicket(changes, config, At(absl::Seconds(3)), nullptr);
  ASSERT_FALSE(out.empty());
  EXPECT_EQ(out[0].metric, Metric::kFirstResponse);
  EXPECT_EQ(out[0].state, ClockState::kMet);
  EXPECT_FALSE(out[0].breached);
  EXPECT_FALSE(out[0].met_late);
}

TEST(ReplayTicketTest, SkipsChangesTheRulesReject) {
  const SlaConfig config = Config({Standard()});
  const std::vector<RecordedChange> changes = {
      // Before the creation: rejected, as live.
      Change(1, kT0, Kind::kPublicAgentReply, "open"),
      Change(2, At(absl::Seconds(1)), Kind::kCreated, "new"),
      // A second creation: rejected.
      Change(3, At(absl::Milliseconds(1500)), Kind::kCreated, "new")};
  std::optional<int> csat = 3;
  const std::vector<Measurement> out =
      ReplayTicket(changes, config, At(absl::Milliseconds(1500)), &csat);
  EXPECT_EQ(csat, std::nullopt);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].metric, Metric::kFirstResponse);
  EXPECT_EQ(out[0].started, At(absl::Seconds(1)));
  EXPECT_EQ(out[0].state, ClockState::kRunning);
  EXPECT_EQ(out[1].metric, Metric::kResolution);
}

TEST(ReplayTicketTest, NoChangesNoMeasurements) {
  std::optional<int> csat;
  EXPECT_THAT(ReplayTicket({}, Config({Standard()}), kT0, &csat), IsEmpty());
  EXPECT_EQ(csat, std::nullopt);
}

// ---- Measure ----

TEST(MeasureTest, MetClockWithoutItsCalendarHasZeroBusinessTime) {
  StoredTicket ticket;
  ticket.ticket_id = 7;
  ticket.policy_id = "standard";
  ticket.dims = {"billing", "bob"};
  ticket.state.facts.priority = "high";
  ticket.state.facts.kind = "complaint";
  ticket.state.facts.cx_level = "service";
  ticket.state.facts.channel = "chat";
  SlaClock clock;
  clock.metric = Metric::kResolution;
  clock.cycle = 2;
  clock.state = ClockState::kMet;
  clock.started = kT0;
  clock.target = absl::Hours(1);
  clock.calendar = "deleted";
  clock.deadline = At(absl::Hours(1));
  clock.ended = At(absl::Hours(2));
  const Measurement m = Measure(ticket, clock, nullptr);
  EXPECT_EQ(m.ticket_id, 7);
  EXPECT_EQ(m.metric, Metric::kResolution);
  EXPECT_EQ(m.cycle, 2);
  EXPECT_EQ(m.calendar_id, "deleted");
  EXPECT_TRUE(m.met_late);
  EXPECT_EQ(m.calendar_time, absl::Hours(2));
  EXPECT_EQ(m.business_time, absl::ZeroDuration());
  EXPECT_EQ(m.priority, "high");
  EXPECT_EQ(m.kind, "complaint");
  EXPECT_EQ(m.cx_level, "service");
  EXPECT_EQ(m.channel, "chat");
  EXPECT_EQ(m.team, "billing");
  EXPECT_EQ(m.assignee, "bob");

  // A calendar that excludes 09:00-10:00 UTC: one business hour of two.
  std::array<std::vector<BusinessInterval>, 7> week;
  for (auto& day : week) day = {{0, 9 * 60}, {10 * 60, 24 * 60}};
  absl::StatusOr<Calendar> calendar =
      MakeCalendar("deleted", "UTC", std::move(week), {});
  ASSERT_TRUE(calendar.ok()) << calendar.status();
  EXPECT_EQ(Measure(ticket, clock, &*calendar).business_time, absl::Hours(1));

  clock.state = ClockState::kCancelled;
  const Measurement cancelled = Measure(ticket, clock, &*calendar);
  EXPECT_FALSE(cancelled.met_late);
  EXPECT_EQ(cancelled.business_time, std::nullopt);
  EXPECT_EQ(cancelled.calendar_time, std::nullopt);
}

}  // namespace
}  // namespace cxdesk::sla
