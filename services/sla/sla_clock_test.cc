#include "services/sla/sla_clock.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <array>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "services/sla/business_time.h"

namespace cxdesk::sla {
namespace {

using absl::StatusCode;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using Kind = TicketChange::Kind;

// Mon-Fri 09:00-17:00 in Berlin. June 2026: Fri 5, Mon 8, Tue 9, Wed 10;
// no DST change nearby (CEST, UTC+2).
Calendar Berlin() {
  std::array<std::vector<BusinessInterval>, 7> week;
  for (int d = 0; d < 5; ++d) week[d] = {{9 * 60, 17 * 60}};
  absl::StatusOr<Calendar> c =
      MakeCalendar("berlin", "Europe/Berlin", std::move(week), {});
  if (!c.ok()) {
    ADD_FAILURE() << c.status();
    return TwentyFourSeven("berlin");
  }
  return *std::move(c);
}

// normal: first response 2h (warn 30 min before and at 50%), next response
// 4h, periodic update 8h, resolution 16h. urgent: first response 1h,
// resolution 4h. low: resolution 40h only.
Policy Standard(const std::string& calendar = "berlin") {
  Policy p;
  p.name = "standard";
  p.is_default = true;
  p.targets["normal"][Metric::kFirstResponse] = {
      absl::Hours(2),
      calendar,
      {WarningThreshold::MinutesBefore(30),
       WarningThreshold::PercentElapsed(50)}};
  p.targets["normal"][Metric::kNextResponse] = {absl::Hours(4), calendar, {}};
  p.targets["normal"][Metric::kPeriodicUpdate] = {absl::Hours(8), calendar, {}};
  p.targets["normal"][Metric::kResolution] = {absl::Hours(16), calendar, {}};
  p.targets["urgent"][Metric::kFirstResponse] = {absl::Hours(1), calendar, {}};
  p.targets["urgent"][Metric::kResolution] = {absl::Hours(4), calendar, {}};
  p.targets["low"][Metric::kResolution] = {absl::Hours(40), calendar, {}};
  return p;
}

class ClockTest : public ::testing::Test {
 protected:
  ClockTest() : berlin_(Berlin()), round_the_clock_(TwentyFourSeven("24x7")) {}

  CalendarLookup Calendars() const {
    return [this](const std::string& name) -> const Calendar* {
      if (name == "berlin") return &berlin_;
      if (name == "24x7") return &round_the_clock_;
      return nullptr;
    };
  }

  // A Berlin local time in June 2026.
  absl::Time June(int day, int hour, int minute) const {
    return absl::FromCivil(absl::CivilSecond(2026, 6, day, hour, minute, 0),
                           berlin_.zone);
  }

  static TicketChange Change(absl::Time at, Kind kind, std::string status,
                             std::string priority = "normal",
                             std::string actor = "alice",
                             std::string reason = "") {
    TicketChange c;
    c.at = at;
    c.kind = kind;
    c.after.priority = std::move(priority);
    c.after.kind = "question";
    c.after.channel = "email";
    c.after.status = std::move(status);
    c.after.customer_email = "ada@example.com";
    c.actor = std::move(actor);
    c.reason = std::move(reason);
    return c;
  }

  std::string Format(absl::Time t) const {
    if (t == absl::InfiniteFuture()) return "never";
    return absl::FormatTime("%m-%d %H:%M:%E*S", t, berlin_.zone);
  }

  // "started first_response/1 -> 06-08 10:00:00 [late] [overdue]".
  std::vector<std::string> Describe(
      const std::vector<SlaTransition>& transitions) const {
    std::vector<std::string> out;
    for (const SlaTransition& t : transitions) {
      std::string s =
          absl::StrCat(TransitionName(t.kind), " ", MetricName(t.metric), "/",
                       t.cycle, " -> ", Format(t.deadline));
      if (t.met_late) absl::StrAppend(&s, " late");
      if (t.overdue) absl::StrAppend(&s, " overdue");
      out.push_back(std::move(s));
    }
    return out;
  }

  // "breach first_response/1 06-08 10:00:00", "warning[0] ...".
  std::vector<std::string> Describe(
      const std::vector<TimerSpec>& timers) const {
    std::vector<std::string> out;
    for (const TimerSpec& t : timers) {
      out.push_back(absl::StrCat(t.kind == TimerSpec::Kind::kBreach
                                     ? std::string("breach")
                                     : absl::StrCat("warning[", t.warning, "]"),
                                 " ", MetricName(t.metric), "/", t.cycle, " ",
                                 Format(t.due)));
    }
    return out;
  }

  std::vector<std::string> Apply(TicketClocks& clocks,
                                 const TicketChange& change,
                                 const Policy& policy) {
    absl::StatusOr<std::vector<SlaTransition>> out =
        clocks.Apply(change, policy, Calendars());
    if (!out.ok()) {
      ADD_FAILURE() << out.status();
      return {};
    }
    return Describe(*out);
  }

  // The first days of the ticket FullLifeOfATicket* follows: created on
  // Friday 16:00, pending from 16:30 ("waiting for logs"), an internal note
  // on Saturday, the customer's answer on Monday 09:30.
  std::vector<TicketChange> OverTheWeekend() const {
    return {Change(June(5, 16, 0), Kind::kCreated, "new"),
            Change(June(5, 16, 30), Kind::kStatusChanged, "pending", "normal",
                   "alice", "waiting for logs"),
            Change(June(6, 10, 0), Kind::kInternalNote, "pending"),
            Change(June(8, 9, 30), Kind::kCustomerMessage, "open", "normal",
                   "ada@example.com")};
  }

  Calendar berlin_;
  Calendar round_the_clock_;
};

TEST_F(ClockTest, FullLifeOfATicketOnBusinessHoursOverTheWeekend) {
  const Policy policy = Standard();
  const std::vector<TicketChange> weekend = OverTheWeekend();
  TicketClocks clocks;

  // Friday 16:00: 1h left on Friday, so 2h of first response end Monday
  // 10:00 and 16h of resolution end Tuesday 16:00 (1h + 8h + 7h).
  EXPECT_THAT(Apply(clocks, weekend[0], policy),
              ElementsAre("started first_response/1 -> 06-08 10:00:00",
                          "started resolution/1 -> 06-09 16:00:00"));
  EXPECT_EQ(clocks.Open(Metric::kFirstResponse)->deadline, June(8, 10, 0));
  // 50% (1h) ends exactly at Friday 17:00; 30 min before is Monday 09:30.
  EXPECT_THAT(Describe(clocks.ArmedTimers()),
              ElementsAre("warning[0] first_response/1 06-08 09:30:00",
                          "warning[1] first_response/1 06-05 17:00:00",
                          "breach first_response/1 06-08 10:00:00",
                          "breach resolution/1 06-09 16:00:00"));

  // Friday 16:30: pending pauses both clocks; no deadline while paused.
  absl::StatusOr<std::vector<SlaTransition>> paused =
      clocks.Apply(weekend[1], policy, Calendars());
  ASSERT_TRUE(paused.ok()) << paused.status();
  EXPECT_THAT(Describe(*paused), ElementsAre("paused first_response/1 -> never",
                                             "paused resolution/1 -> never"));
  EXPECT_EQ((*paused)[0].actor, "alice");
  EXPECT_EQ((*paused)[0].reason, "waiting for logs");
  EXPECT_EQ((*paused)[0].status, "pending");
  EXPECT_THAT(clocks.ArmedTimers(), IsEmpty());
  const SlaClock* first = clocks.Open(Metric::kFirstResponse);
  EXPECT_EQ(first->state, ClockState::kPaused);
  ASSERT_EQ(first->pauses.size(), 1u);
  EXPECT_EQ(first->pauses[0].from, June(5, 16, 30));
  EXPECT_EQ(first->pauses[0].to, absl::InfiniteFuture());
  EXPECT_EQ(first->pauses[0].actor, "alice");
  EXPECT_EQ(first->pauses[0].status, "pending");

  // Saturday: an internal note changes nothing.
  const TicketClocksState before_note = clocks.state();
  EXPECT_THAT(Apply(clocks, weekend[2], policy), IsEmpty());
  EXPECT_THAT(clocks.ArmedTimers(), IsEmpty());
  EXPECT_EQ(clocks.state().clocks.size(), before_note.clocks.size());

  // Monday 09:30: the customer answers and the ticket reopens. The pause
  // held 1h of business time (Fri 16:30-17:00, Mon 09:00-09:30), so both
  // deadlines move by exactly 1h. First response is still open, so the
  // message starts no next-response clock.
  absl::StatusOr<std::vector<SlaTransition>> resumed =
      clocks.Apply(weekend[3], policy, Calendars());
  ASSERT_TRUE(resumed.ok()) << resumed.status();
  EXPECT_THAT(Describe(*resumed),
              ElementsAre("resumed first_response/1 -> 06-08 11:00:00",
                          "resumed resolution/1 -> 06-09 17:00:00"));
  EXPECT_EQ((*resumed)[0].pause_business, absl::Hours(1));
  EXPECT_EQ((*resumed)[0].pause_elapsed, absl::Hours(65));
  first = clocks.Find(Metric::kFirstResponse, 1);
  EXPECT_EQ(ElapsedBusinessTime(*first, berlin_, June(8, 10, 0)),
            absl::Minutes(60));
  // The 50% warning (Friday 17:00 before the pause) was never reached: 30
  // min elapsed before the pause, so it comes 30 min after it.
  EXPECT_THAT(Describe(clocks.ArmedTimers()),
              ElementsAre("warning[0] first_response/1 06-08 10:30:00",
                          "warning[1] first_response/1 06-08 10:00:00",
                          "breach first_response/1 06-08 11:00:00",
                          "breach resolution/1 06-09 17:00:00"));
}

TEST_F(ClockTest, FullLifeOfATicketOnBusinessHoursFromReplyToClose) {
  const Policy policy = Standard();
  TicketClocks clocks;
  for (const TicketChange& change : OverTheWeekend()) {
    ASSERT_TRUE(clocks.Apply(change, policy, Calendars()).ok());
  }

  // Monday 10:45: the first public reply meets first response on time and
  // starts the first periodic update (8h: Mon 10:45-17:00, Tue 09:00-10:45).
  EXPECT_THAT(
      Apply(clocks, Change(June(8, 10, 45), Kind::kPublicAgentReply, "open"),
            policy),
      ElementsAre("met first_response/1 -> 06-08 11:00:00",
                  "started periodic_update/1 -> 06-09 10:45:00"));
  EXPECT_EQ(clocks.Find(Metric::kFirstResponse, 1)->ended, June(8, 10, 45));

  // Monday 14:00: a customer message starts next response (4h -> Tue 10:00);
  // a second one at 15:00 does not: the oldest unanswered message counts.
  EXPECT_THAT(Apply(clocks,
                    Change(June(8, 14, 0), Kind::kCustomerMessage, "open",
                           "normal", "ada@example.com"),
                    policy),
              ElementsAre("started next_response/1 -> 06-09 10:00:00"));
  EXPECT_THAT(Apply(clocks,
                    Change(June(8, 15, 0), Kind::kCustomerMessage, "open",
                           "normal", "ada@example.com"),
                    policy),
              IsEmpty());

  // Tuesday 09:30: a public reply meets next response and the periodic
  // update, and starts the next periodic update (-> Wed 09:30).
  EXPECT_THAT(
      Apply(clocks, Change(June(9, 9, 30), Kind::kPublicAgentReply, "open"),
            policy),
      ElementsAre("met next_response/1 -> 06-09 10:00:00",
                  "met periodic_update/1 -> 06-09 10:45:00",
                  "started periodic_update/2 -> 06-10 09:30:00"));

  // Tuesday 12:00: solved meets resolution and cancels the periodic update.
  EXPECT_THAT(
      Apply(clocks, Change(June(9, 12, 0), Kind::kStatusChanged, "solved"),
            policy),
      ElementsAre("met resolution/1 -> 06-09 17:00:00",
                  "cancelled periodic_update/2 -> 06-10 09:30:00"));
  EXPECT_THAT(clocks.ArmedTimers(), IsEmpty());

  // Wednesday 10:00: the customer writes back and the ticket reopens: a new
  // next-response clock (-> 14:00) and resolution cycle 2 (16h: Wed 7h,
  // Thu 8h, Fri 1h -> Fri 10:00).
  EXPECT_THAT(Apply(clocks,
                    Change(June(10, 10, 0), Kind::kCustomerMessage, "open",
                           "normal", "ada@example.com"),
                    policy),
              ElementsAre("started next_response/2 -> 06-10 14:00:00",
                          "started resolution/2 -> 06-12 10:00:00"));
  EXPECT_EQ(clocks.Find(Metric::kResolution, 1)->state, ClockState::kMet);
  EXPECT_EQ(clocks.Open(Metric::kResolution)->cycle, 2);

  // Closing cancels whatever is still open.
  EXPECT_THAT(
      Apply(clocks, Change(June(10, 11, 0), Kind::kStatusChanged, "closed"),
            policy),
      ElementsAre("cancelled next_response/2 -> 06-10 14:00:00",
                  "cancelled resolution/2 -> 06-12 10:00:00"));
  EXPECT_THAT(clocks.ArmedTimers(), IsEmpty());
}

TEST_F(ClockTest, WarningsFireAtExactInstantsAndOnlyOnce) {
  Policy policy = Standard();
  policy.targets["normal"][Metric::kFirstResponse].warnings.push_back(
      WarningThreshold::PercentElapsed(90));
  TicketClocks clocks;
  Apply(clocks, Change(June(8, 9, 0), Kind::kCreated, "open"), policy);
  EXPECT_THAT(Describe(clocks.ArmedTimers()),
              ElementsAre("warning[0] first_response/1 06-08 10:30:00",
                          "warning[1] first_response/1 06-08 10:00:00",
                          "warning[2] first_response/1 06-08 10:48:00",
                          "breach first_response/1 06-08 11:00:00",
                          "breach resolution/1 06-09 17:00:00"));

  const TimerSpec half = {Metric::kFirstResponse, 1, TimerSpec::Kind::kWarning,
                          1, June(8, 10, 0)};
  EXPECT_EQ(clocks.FireTimer(half, June(8, 9, 59)).status().code(),
            StatusCode::kFailedPrecondition);  // Not due yet.
  absl::StatusOr<SlaTransition> warned = clocks.FireTimer(half, June(8, 10, 0));
  ASSERT_TRUE(warned.ok()) << warned.status();
  EXPECT_EQ(warned->kind, SlaTransition::Kind::kWarned);
  EXPECT_EQ(warned->at, June(8, 10, 0));
  EXPECT_EQ(warned->deadline, June(8, 11, 0));
  EXPECT_EQ(warned->warning, WarningThreshold::PercentElapsed(50));
  EXPECT_EQ(clocks.FireTimer(half, June(8, 10, 1)).status().code(),
            StatusCode::kFailedPrecondition);  // Already fired.

  // A pause 10:15-13:15 moves the unfired warnings and the deadline by 3h;
  // the fired one stays fired.
  Apply(clocks, Change(June(8, 10, 15), Kind::kStatusChanged, "on_hold"),
        policy);
  Apply(clocks, Change(June(8, 13, 15), Kind::kStatusChanged, "open"), policy);
  EXPECT_THAT(Describe(clocks.ArmedTimers()),
              ElementsAre("warning[0] first_response/1 06-08 13:30:00",
                          "warning[2] first_response/1 06-08 13:48:00",
                          "breach first_response/1 06-08 14:00:00",
                          "breach resolution/1 06-10 12:00:00"));
}

TEST_F(ClockTest, MinutesBeforeCountsBusinessTime) {
  Policy policy = Standard();
  policy.targets["normal"][Metric::kFirstResponse] = {
      absl::Hours(1), "berlin", {WarningThreshold::MinutesBefore(30)}};
  TicketClocks clocks;
  // Friday 16:15 + 1h = Monday 09:15; 30 minutes before it is Friday 16:45.
  Apply(clocks, Change(June(5, 16, 15), Kind::kCreated, "new"), policy);
  EXPECT_THAT(Describe(clocks.ArmedTimers()),
              ElementsAre("warning[0] first_response/1 06-05 16:45:00",
                          "breach first_response/1 06-08 09:15:00",
                          "breach resolution/1 06-09 16:15:00"));
}

TEST_F(ClockTest, BreachedClockKeepsRunningAndIsMetLate) {
  const Policy policy = Standard();
  TicketClocks clocks;
  Apply(clocks, Change(June(8, 9, 0), Kind::kCreated, "open"), policy);
  const TimerSpec breach = {Metric::kFirstResponse, 1, TimerSpec::Kind::kBreach,
                            -1, June(8, 11, 0)};
  absl::StatusOr<SlaTransition> breached =
      clocks.FireTimer(breach, June(8, 11, 0) + absl::Milliseconds(3));
  ASSERT_TRUE(breached.ok()) << breached.status();
  EXPECT_EQ(breached->kind, SlaTransition::Kind::kBreached);
  EXPECT_EQ(breached->deadline, June(8, 11, 0));
  EXPECT_TRUE(clocks.Find(Metric::kFirstResponse, 1)->breached);
  EXPECT_EQ(clocks.Find(Metric::kFirstResponse, 1)->state,
            ClockState::kRunning);
  EXPECT_EQ(clocks.FireTimer(breach, June(8, 11, 5)).status().code(),
            StatusCode::kFailedPrecondition);
  // Only resolution's timers remain.
  EXPECT_THAT(Describe(clocks.ArmedTimers()),
              ElementsAre("breach resolution/1 06-09 17:00:00"));

  EXPECT_THAT(
      Apply(clocks, Change(June(8, 12, 0), Kind::kPublicAgentReply, "open"),
            policy),
      ElementsAre("met first_response/1 -> 06-08 11:00:00 late",
                  "started periodic_update/1 -> 06-09 12:00:00"));
}

TEST_F(ClockTest, StaleAndUnknownTimersAreRejected) {
  const Policy policy = Standard();
  TicketClocks clocks;
  Apply(clocks, Change(June(8, 9, 0), Kind::kCreated, "open"), policy);
  EXPECT_EQ(clocks
                .FireTimer({Metric::kNextResponse, 1, TimerSpec::Kind::kBreach,
                            -1, June(8, 11, 0)},
                           June(8, 11, 0))
                .status()
                .code(),
            StatusCode::kNotFound);
  EXPECT_EQ(clocks
                .FireTimer({Metric::kFirstResponse, 1,
                            TimerSpec::Kind::kWarning, 7, June(8, 11, 0)},
                           June(8, 11, 0))
                .status()
                .code(),
            StatusCode::kNotFound);
  // Paused before its deadline: the breach timer is stale.
  Apply(clocks, Change(June(8, 10, 0), Kind::kStatusChanged, "pending"),
        policy);
  EXPECT_EQ(clocks
                .FireTimer({Metric::kFirstResponse, 1, TimerSpec::Kind::kBreach,
                            -1, June(8, 11, 0)},
                           June(8, 11, 0))
                .status()
                .code(),
            StatusCode::kFailedPrecondition);
}

TEST_F(ClockTest, PriorityChangeRetargetsFromTheStartKeepingPausedTime) {
  const Policy policy = Standard();
  TicketClocks clocks;
  Apply(clocks, Change(June(8, 9, 0), Kind::kCreated, "open"), policy);
  Apply(clocks, Change(June(8, 9, 10), Kind::kStatusChanged, "pending"),
        policy);
  EXPECT_THAT(
      Apply(clocks, Change(June(8, 9, 40), Kind::kStatusChanged, "open"),
            policy),
      ElementsAre("resumed first_response/1 -> 06-08 11:30:00",
                  "resumed resolution/1 -> 06-10 09:30:00"));

  // Urgent: 1h first response = 10 min before the pause + 50 min after it;
  // 4h resolution = 10 min + 3h50 after 09:40.
  EXPECT_THAT(
      Apply(clocks,
            Change(June(8, 9, 50), Kind::kPriorityChanged, "open", "urgent"),
            policy),
      ElementsAre("retargeted first_response/1 -> 06-08 10:30:00",
                  "retargeted resolution/1 -> 06-08 13:30:00"));
  const SlaClock* first = clocks.Open(Metric::kFirstResponse);
  EXPECT_EQ(first->started, June(8, 9, 0));
  EXPECT_EQ(first->target, absl::Hours(1));
  EXPECT_TRUE(first->warnings.empty());
  EXPECT_THAT(Describe(clocks.ArmedTimers()),
              ElementsAre("breach first_response/1 06-08 10:30:00",
                          "breach resolution/1 06-08 13:30:00"));

  // Low has no first-response target: that clock is cancelled. Resolution
  // gets 40h: Mon 7h30 (09:00-09:10, 09:40-17:00), Tue-Thu 24h, Fri 8h, and
  // 30 min on the next Monday.
  EXPECT_THAT(
      Apply(clocks,
            Change(June(8, 10, 0), Kind::kPriorityChanged, "open", "low"),
            policy),
      ElementsAre("cancelled first_response/1 -> 06-08 10:30:00",
                  "retargeted resolution/1 -> 06-15 09:30:00"));
}

TEST_F(ClockTest, RetargetToAPassedDeadlineIsOverdue) {
  const Policy policy = Standard();
  TicketClocks clocks;
  Apply(clocks, Change(June(8, 9, 0), Kind::kCreated, "open"), policy);
  absl::StatusOr<std::vector<SlaTransition>> out = clocks.Apply(
      Change(June(8, 10, 15), Kind::kPriorityChanged, "open", "urgent"), policy,
      Calendars());
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_THAT(Describe(*out),
              ElementsAre("retargeted first_response/1 -> 06-08 10:00:00 "
                          "overdue",
                          "retargeted resolution/1 -> 06-08 13:00:00"));
  // The caller arms the past breach timer, which fires at once.
  const TimerSpec due = {Metric::kFirstResponse, 1, TimerSpec::Kind::kBreach,
                         -1, June(8, 10, 0)};
  EXPECT_THAT(clocks.ArmedTimers(), ::testing::Contains(due));
  absl::StatusOr<SlaTransition> breached =
      clocks.FireTimer(due, June(8, 10, 15));
  ASSERT_TRUE(breached.ok()) << breached.status();
  EXPECT_EQ(breached->kind, SlaTransition::Kind::kBreached);
}

TEST_F(ClockTest, RetargetWhilePausedWaitsForTheResume) {
  const Policy policy = Standard();
  TicketClocks clocks;
  Apply(clocks, Change(June(8, 9, 0), Kind::kCreated, "open"), policy);
  Apply(clocks, Change(June(8, 9, 30), Kind::kStatusChanged, "pending"),
        policy);
  EXPECT_THAT(
      Apply(clocks,
            Change(June(8, 10, 0), Kind::kPriorityChanged, "pending", "urgent"),
            policy),
      ElementsAre("retargeted first_response/1 -> never",
                  "retargeted resolution/1 -> never"));
  EXPECT_THAT(
      Apply(clocks,
            Change(June(8, 11, 0), Kind::kStatusChanged, "open", "urgent"),
            policy),
      ElementsAre("resumed first_response/1 -> 06-08 11:30:00",
                  "resumed resolution/1 -> 06-08 14:30:00"));
}

TEST_F(ClockTest, RoundTheClockCalendar) {
  const Policy policy = Standard("24x7");
  TicketClocks clocks;
  // Saturday 22:00 Berlin; business time is elapsed time.
  EXPECT_THAT(
      Apply(clocks, Change(June(6, 22, 0), Kind::kCreated, "new"), policy),
      ElementsAre("started first_response/1 -> 06-07 00:00:00",
                  "started resolution/1 -> 06-07 14:00:00"));
  Apply(clocks, Change(June(6, 23, 0), Kind::kStatusChanged, "on_hold"),
        policy);
  absl::StatusOr<std::vector<SlaTransition>> resumed =
      clocks.Apply(Change(June(7, 1, 30), Kind::kStatusChanged, "open"), policy,
                   Calendars());
  ASSERT_TRUE(resumed.ok()) << resumed.status();
  EXPECT_THAT(Describe(*resumed),
              ElementsAre("resumed first_response/1 -> 06-07 02:30:00",
                          "resumed resolution/1 -> 06-07 16:30:00"));
  EXPECT_EQ((*resumed)[0].pause_business, absl::Minutes(150));
  EXPECT_EQ((*resumed)[0].pause_elapsed, absl::Minutes(150));
}

TEST_F(ClockTest, CreatedInAPauseStatusStartsPaused) {
  const Policy policy = Standard();
  TicketClocks clocks;
  EXPECT_THAT(
      Apply(clocks, Change(June(8, 9, 0), Kind::kCreated, "pending"), policy),
      ElementsAre("started first_response/1 -> 06-08 11:00:00",
                  "started resolution/1 -> 06-09 17:00:00",
                  "paused first_response/1 -> never",
                  "paused resolution/1 -> never"));
}

TEST_F(ClockTest, MovingBetweenPauseStatusesSplitsThePause) {
  const Policy policy = Standard();
  TicketClocks clocks;
  Apply(clocks, Change(June(8, 9, 0), Kind::kCreated, "open"), policy);
  Apply(clocks, Change(June(8, 10, 0), Kind::kStatusChanged, "pending"),
        policy);
  EXPECT_THAT(
      Apply(clocks, Change(June(8, 11, 0), Kind::kStatusChanged, "on_hold"),
            policy),
      ElementsAre("resumed first_response/1 -> 06-08 12:00:00",
                  "paused first_response/1 -> never",
                  "resumed resolution/1 -> 06-10 10:00:00",
                  "paused resolution/1 -> never"));
  const SlaClock* first = clocks.Open(Metric::kFirstResponse);
  ASSERT_EQ(first->pauses.size(), 2u);
  EXPECT_EQ(first->pauses[0].status, "pending");
  EXPECT_EQ(first->pauses[0].to, June(8, 11, 0));
  EXPECT_EQ(first->pauses[1].status, "on_hold");
}

TEST_F(ClockTest, PublicReplyWhilePendingMeetsThePausedClock) {
  const Policy policy = Standard();
  TicketClocks clocks;
  Apply(clocks, Change(June(8, 9, 0), Kind::kCreated, "open"), policy);
  Apply(clocks, Change(June(8, 9, 30), Kind::kStatusChanged, "pending"),
        policy);
  // The reply ends the pause and meets first response; the new periodic
  // update starts paused, since the ticket is still pending.
  EXPECT_THAT(
      Apply(clocks, Change(June(8, 10, 0), Kind::kPublicAgentReply, "pending"),
            policy),
      ElementsAre("met first_response/1 -> never",
                  "started periodic_update/1 -> 06-09 10:00:00",
                  "paused periodic_update/1 -> never"));
  const SlaClock* first = clocks.Find(Metric::kFirstResponse, 1);
  ASSERT_EQ(first->pauses.size(), 1u);
  EXPECT_EQ(first->pauses[0].to, June(8, 10, 0));
  EXPECT_EQ(ElapsedBusinessTime(*first, berlin_, June(8, 12, 0)),
            absl::Minutes(30));
}

TEST_F(ClockTest, PausedAfterItsDeadlineKeepsItsBreachTimer) {
  const Policy policy = Standard();
  TicketClocks clocks;
  Apply(clocks, Change(June(8, 9, 0), Kind::kCreated, "open"), policy);
  EXPECT_THAT(
      Apply(clocks, Change(June(8, 11, 30), Kind::kStatusChanged, "pending"),
            policy),
      ElementsAre("paused first_response/1 -> 06-08 11:00:00",
                  "paused resolution/1 -> never"));
  EXPECT_THAT(Describe(clocks.ArmedTimers()),
              ElementsAre("warning[0] first_response/1 06-08 10:30:00",
                          "warning[1] first_response/1 06-08 10:00:00",
                          "breach first_response/1 06-08 11:00:00"));
  absl::StatusOr<SlaTransition> breached = clocks.FireTimer(
      {Metric::kFirstResponse, 1, TimerSpec::Kind::kBreach, -1, June(8, 11, 0)},
      June(8, 11, 31));
  ASSERT_TRUE(breached.ok()) << breached.status();
  EXPECT_EQ(breached->status, "pending");
}

TEST_F(ClockTest, PolicyChangeRetargetsOnlyWhatChanged) {
  const Policy policy = Standard();
  Policy vip = Standard();
  vip.name = "vip";
  vip.targets["normal"][Metric::kFirstResponse].target = absl::Hours(1);
  TicketClocks clocks;
  Apply(clocks, Change(June(8, 9, 0), Kind::kCreated, "open"), policy);
  EXPECT_THAT(
      Apply(clocks, Change(June(8, 9, 30), Kind::kOtherChange, "open"), vip),
      ElementsAre("retargeted first_response/1 -> 06-08 10:00:00"));
  EXPECT_EQ(clocks.state().policy, "vip");
  // Warnings kept their thresholds and moved with the target.
  EXPECT_THAT(Describe(clocks.ArmedTimers()),
              ElementsAre("warning[0] first_response/1 06-08 09:30:00",
                          "warning[1] first_response/1 06-08 09:30:00",
                          "breach first_response/1 06-08 10:00:00",
                          "breach resolution/1 06-09 17:00:00"));
}

TEST_F(ClockTest, ReopenWithoutRestartHasNoResolutionClock) {
  Policy policy = Standard();
  policy.reopen_restarts_resolution = false;
  TicketClocks clocks;
  Apply(clocks, Change(June(8, 9, 0), Kind::kCreated, "open"), policy);
  EXPECT_THAT(
      Apply(clocks, Change(June(8, 10, 0), Kind::kStatusChanged, "solved"),
            policy),
      ElementsAre("met resolution/1 -> 06-09 17:00:00",
                  "cancelled first_response/1 -> 06-08 11:00:00"));
  EXPECT_THAT(
      Apply(clocks, Change(June(8, 11, 0), Kind::kStatusChanged, "open"),
            policy),
      IsEmpty());
  EXPECT_EQ(clocks.Open(Metric::kResolution), nullptr);
}

TEST_F(ClockTest, ApplyIsAllOrNothing) {
  const Policy policy = Standard();
  TicketClocks clocks;
  EXPECT_EQ(clocks
                .Apply(Change(June(8, 9, 0), Kind::kCustomerMessage, "open"),
                       policy, Calendars())
                .status()
                .code(),
            StatusCode::kFailedPrecondition);

  const Policy elsewhere = Standard("mars");
  EXPECT_EQ(clocks
                .Apply(Change(June(8, 9, 0), Kind::kCreated, "open"), elsewhere,
                       Calendars())
                .status()
                .code(),
            StatusCode::kFailedPrecondition);
  EXPECT_FALSE(clocks.state().created);
  EXPECT_TRUE(clocks.clocks().empty());

  Apply(clocks, Change(June(8, 9, 0), Kind::kCreated, "open"), policy);
  EXPECT_EQ(clocks
                .Apply(Change(June(8, 9, 5), Kind::kCreated, "open"), policy,
                       Calendars())
                .status()
                .code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(clocks
                .Apply(Change(June(8, 8, 59), Kind::kStatusChanged, "pending"),
                       policy, Calendars())
                .status()
                .code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(clocks
                .Apply(Change(absl::InfiniteFuture(), Kind::kStatusChanged,
                              "pending"),
                       policy, Calendars())
                .status()
                .code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(clocks.Open(Metric::kFirstResponse)->state, ClockState::kRunning);
}

}  // namespace
}  // namespace cxdesk::sla
