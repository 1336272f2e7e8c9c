#include "services/sla/sla_manager.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/event_stream.h"
#include "services/common/page_token.h"
#include "services/common/status_macros.h"
#include "services/common/text.h"
#include "services/sla/business_time.h"
#include "services/sla/clock_engine.h"

namespace cxdesk::sla {
namespace {

// Ledger events and breaches are read by reports: larger pages.
constexpr common::PageLimits kLedgerPageLimits{100, 1000};

constexpr absl::Duration kMaxSimulationWindow = absl::Hours(24 * 31);

std::string FormatUtc(absl::Time t) {
  return absl::FormatTime("%Y-%m-%d %H:%M:%S UTC", t, absl::UTCTimeZone());
}

// 1..63 of [a-z0-9_-], starting with a letter or digit.
absl::Status ValidateId(absl::string_view field, const std::string& id) {
  if (id.empty())
    return absl::InvalidArgumentError(absl::StrCat(field, ": required"));
  if (id.size() > 63) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": at most 63 characters"));
  }
  for (char c : id) {
    if (!(absl::ascii_islower(c) || absl::ascii_isdigit(c) || c == '_' ||
          c == '-')) {
      return absl::InvalidArgumentError(absl::StrCat(
          field, ": only lower-case letters, digits, '_' and '-' (got ",
          common::Excerpt(id), ")"));
    }
  }
  if (!absl::ascii_isalnum(id[0])) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": must start with a letter or digit"));
  }
  return absl::OkStatus();
}

absl::Status CheckWindow(absl::Time start, absl::Time end) {
  if (start == absl::InfinitePast()) {
    return absl::InvalidArgumentError("start_time: required");
  }
  if (end == absl::InfiniteFuture()) {
    return absl::InvalidArgumentError("end_time: required");
  }
  if (end <= start) {
    return absl::InvalidArgumentError("end_time: must be after start_time");
  }
  return absl::OkStatus();
}

absl::Status CheckGroupBy(const std::vector<Dimension>& group_by) {
  std::set<Dimension> seen;
  for (size_t i = 0; i < group_by.size(); ++i) {
    if (!seen.insert(group_by[i]).second) {
      return absl::InvalidArgumentError(absl::StrCat(
          "group_by[", i, "]: ", DimensionName(group_by[i]), " is repeated"));
    }
  }
  return absl::OkStatus();
}

std::string ExplainState(const SlaClock& c, absl::Time as_of) {
  switch (c.state) {
    case ClockState::kRunning:
      if (c.breached) {
        return absl::StrCat("breached at ", FormatUtc(c.deadline),
                            " and still running");
      }
      return absl::StrCat("running since ", FormatUtc(c.started), ", due ",
                          FormatUtc(c.deadline),
                          as_of > c.deadline ? " (overdue)" : "");
    case ClockState::kPaused: {
      const Pause& p = c.pauses.back();
      std::string why = absl::StrCat("paused since ", FormatUtc(p.from),
                                     " while the ticket is ", p.status);
      if (!p.actor.empty()) absl::StrAppend(&why, " (", p.actor);
      if (!p.actor.empty() && !p.reason.empty()) {
        absl::StrAppend(&why, ": ", p.reason);
      }
      if (!p.actor.empty()) absl::StrAppend(&why, ")");
      absl::StrAppend(&why, c.breached
                                ? "; already breached"
                                : "; the deadline moves by the paused time");
      return why;
    }
    case ClockState::kMet:
      return absl::StrCat("met at ", FormatUtc(c.ended),
                          c.ended > c.deadline ? ", late" : ", on time");
    case ClockState::kCancelled:
      return absl::StrCat("cancelled at ", FormatUtc(c.ended));
  }
  return "";
}

}  // namespace

ClockView ViewClock(const SlaClock& clock, const Calendar* calendar,
                    const std::string& policy_id, absl::Time as_of) {
  ClockView v;
  v.clock = clock;
  const absl::Time end = std::min(as_of, clock.ended);
  for (const Pause& p : clock.pauses) {
    const absl::Duration d =
        calendar == nullptr
            ? absl::ZeroDuration()
            : BusinessTimeBetween(*calendar, p.from, std::min(p.to, end));
    v.pause_business.push_back(d);
    v.paused_business += d;
  }
  v.elapsed_business = calendar == nullptr
                           ? absl::ZeroDuration()
                           : ElapsedBusinessTime(clock, *calendar, as_of);
  v.remaining_business = clock.target - v.elapsed_business;
  if (clock.open() && !clock.breached) {
    for (size_t i = 0; i < clock.warnings.size(); ++i) {
      if (clock.warning_fired[i]) continue;
      if (!v.next_warning.has_value() ||
          clock.warning_due[i] < v.next_warning_time) {
        v.next_warning = clock.warnings[i];
        v.next_warning_time = clock.warning_due[i];
      }
    }
  }
  v.explanation = absl::StrCat(
      MetricName(clock.metric), " target ", absl::FormatDuration(clock.target),
      " of business time on calendar \"", clock.calendar, "\" under policy \"",
      policy_id, "\"; ", ExplainState(clock, as_of));
  if (!clock.pauses.empty()) {
    // Whole seconds read better; the exact figure is in paused_business.
    const absl::Duration shown =
        v.paused_business >= absl::Seconds(1)
            ? absl::Trunc(v.paused_business, absl::Seconds(1))
            : v.paused_business;
    absl::StrAppend(&v.explanation, "; paused ", clock.pauses.size(),
                    clock.pauses.size() == 1 ? " time" : " times", " for ",
                    absl::FormatDuration(shown), " of business time in all");
  }
  return v;
}

std::optional<SlaPromise> PromiseFor(int64_t ticket_id,
                                     const std::vector<SlaClock>& clocks) {
  const SlaClock* response = nullptr;
  const SlaClock* resolution = nullptr;
  for (const SlaClock& c : clocks) {
    if (!c.open()) continue;
    if (c.metric == Metric::kFirstResponse ||
        c.metric == Metric::kNextResponse) {
      if (response == nullptr || c.deadline < response->deadline) {
        response = &c;
      }
    } else if (c.metric == Metric::kResolution) {
      resolution = &c;
    }
  }
  const SlaClock* clock = response != nullptr ? response : resolution;
  if (clock == nullptr) return std::nullopt;
  SlaPromise promise;
  promise.ticket_id = ticket_id;
  promise.metric = clock->metric;
  const bool known = clock->deadline != absl::InfiniteFuture();
  if (known) promise.due = clock->deadline;
  // Customers get minutes, rounded up: "by 15:57" for 15:56:52 is a promise
  // kept; "by 15:56" would be one already broken.
  const absl::Time rounded =
      absl::UnixEpoch() +
      absl::Ceil(clock->deadline - absl::UnixEpoch(), absl::Minutes(1));
  const std::string when =
      absl::FormatTime("%Y-%m-%d %H:%M UTC", rounded, absl::UTCTimeZone());
  if (!known) {
    promise.text = "We are waiting for your reply";
  } else if (clock == response) {
    promise.text = absl::StrCat("We will respond by ", when);
  } else {
    promise.text = absl::StrCat("We aim to resolve this by ", when);
  }
  return promise;
}

absl::StatusOr<std::shared_ptr<const SlaConfig>> SlaManager::CurrentConfig() {
  CXDESK_ASSIGN_OR_RETURN(const int64_t revision, store_.ConfigRevision());
  return config_.AtLeast(revision);
}

// ---- calendars ----

absl::Status SlaManager::ValidateCalendarInput(CalendarRecord& input) const {
  CXDESK_RETURN_IF_ERROR(
      ValidateId("calendar.calendar_id", input.calendar.name));
  for (auto& day : input.calendar.week) {
    std::sort(day.begin(), day.end(),
              [](const BusinessInterval& a, const BusinessInterval& b) {
                return a.start_minute < b.start_minute;
              });
  }
  absl::StatusOr<Calendar> made =
      MakeCalendar(input.calendar.name, input.calendar.time_zone,
                   input.calendar.week, input.calendar.holidays);
  if (!made.ok()) {
    return absl::Status(made.status().code(),
                        absl::StrCat("calendar.", made.status().message()));
  }
  input.calendar = *std::move(made);
  return absl::OkStatus();
}

absl::StatusOr<CalendarRecord> SlaManager::CreateCalendar(
    const std::string& bearer, CalendarRecord input) {
  CXDESK_RETURN_IF_ERROR(auth_.Check(bearer, common::StaffNeed::kManager));
  CXDESK_RETURN_IF_ERROR(ValidateCalendarInput(input));
  return store_.CreateCalendar(input, clock_.Now());
}

absl::StatusOr<CalendarRecord> SlaManager::GetCalendar(
    const std::string& bearer, const std::string& id) {
  CXDESK_RETURN_IF_ERROR(auth_.Check(bearer, common::StaffNeed::kStaff));
  CXDESK_RETURN_IF_ERROR(ValidateId("calendar_id", id));
  return store_.GetCalendar(id);
}

absl::StatusOr<Page<CalendarRecord>> SlaManager::ListCalendars(
    const std::string& bearer, int32_t page_size,
    const std::string& page_token) {
  CXDESK_RETURN_IF_ERROR(auth_.Check(bearer, common::StaffNeed::kStaff));
  return common::ReadOffsetPage<CalendarRecord>(
      page_size, page_token, "calendars", [&](int offset, int limit) {
        return store_.ListCalendars(offset, limit);
      });
}

absl::StatusOr<CalendarRecord> SlaManager::UpdateCalendar(
    const std::string& bearer, CalendarRecord input, const std::string& etag) {
  CXDESK_ASSIGN_OR_RETURN(const int64_t version,
                          auth_.RequireEdit(bearer, etag, true));
  CXDESK_RETURN_IF_ERROR(ValidateCalendarInput(input));
  return store_.UpdateCalendar(input, version, clock_.Now());
}

absl::Status SlaManager::DeleteCalendar(const std::string& bearer,
                                        const std::string& id,
                                        const std::string& etag) {
  CXDESK_ASSIGN_OR_RETURN(const int64_t version,
                          auth_.RequireEdit(bearer, etag, false));
  CXDESK_RETURN_IF_ERROR(ValidateId("calendar_id", id));
  return store_.DeleteCalendar(
      id, version > 0 ? std::optional<int64_t>(version) : std::nullopt);
}

// ---- policies ----

absl::Status SlaManager::ValidatePolicyInput(const PolicyRecord& input) {
  CXDESK_RETURN_IF_ERROR(ValidateId("policy.policy_id", input.policy.name));
  if (input.policy.position < 0) {
    return absl::InvalidArgumentError("policy.position: must not be negative");
  }
  std::map<std::string, bool> known;
  absl::Status lookup_error;
  const absl::Status status =
      ValidatePolicy(input.policy, [&](const std::string& id) {
        auto it = known.find(id);
        if (it != known.end()) return it->second;
        absl::StatusOr<CalendarRecord> found = store_.GetCalendar(id);
        if (!found.ok() && !absl::IsNotFound(found.status())) {
          lookup_error = found.status();
        }
        return known[id] = found.ok();
      });
  CXDESK_RETURN_IF_ERROR(lookup_error);
  if (!status.ok()) {
    return absl::Status(status.code(),
                        absl::StrCat("policy.", status.message()));
  }
  return absl::OkStatus();
}

absl::StatusOr<PolicyRecord> SlaManager::CreatePolicy(const std::string& bearer,
                                                      PolicyRecord input) {
  CXDESK_RETURN_IF_ERROR(auth_.Check(bearer, common::StaffNeed::kManager));
  CXDESK_RETURN_IF_ERROR(ValidatePolicyInput(input));
  return store_.CreatePolicy(input, clock_.Now());
}

absl::StatusOr<PolicyRecord> SlaManager::GetPolicy(const std::string& bearer,
                                                   const std::string& id) {
  CXDESK_RETURN_IF_ERROR(auth_.Check(bearer, common::StaffNeed::kStaff));
  CXDESK_RETURN_IF_ERROR(ValidateId("policy_id", id));
  return store_.GetPolicy(id);
}

absl::StatusOr<Page<PolicyRecord>> SlaManager::ListPolicies(
    const std::string& bearer, int32_t page_size,
    const std::string& page_token) {
  CXDESK_RETURN_IF_ERROR(auth_.Check(bearer, common::StaffNeed::kStaff));
  return common::ReadOffsetPage<PolicyRecord>(
      page_size, page_token, "policies", [&](int offset, int limit) {
        return store_.ListPolicies(offset, limit);
      });
}

absl::StatusOr<PolicyRecord> SlaManager::UpdatePolicy(const std::string& bearer,
                                                      PolicyRecord input,
                                                      const std::string& etag) {
  CXDESK_ASSIGN_OR_RETURN(const int64_t version,
                          auth_.RequireEdit(bearer, etag, true));
  CXDESK_RETURN_IF_ERROR(ValidatePolicyInput(input));
  return store_.UpdatePolicy(input, version, clock_.Now());
}

absl::Status SlaManager::DeletePolicy(const std::string& bearer,
                                      const std::string& id,
                                      const std::string& etag) {
  CXDESK_ASSIGN_OR_RETURN(const int64_t version,
                          auth_.RequireEdit(bearer, etag, false));
  CXDESK_RETURN_IF_ERROR(ValidateId("policy_id", id));
  return store_.DeletePolicy(
      id, version > 0 ? std::optional<int64_t>(version) : std::nullopt);
}

// ---- clocks ----

absl::StatusOr<TicketSlaView> SlaManager::GetTicketSla(
    const std::string& bearer, int64_t ticket_id) {
  CXDESK_RETURN_IF_ERROR(auth_.Check(bearer, common::StaffNeed::kStaff));
  if (ticket_id <= 0) {
    return absl::InvalidArgumentError("ticket_id: must be positive");
  }
  CXDESK_ASSIGN_OR_RETURN(StoredTicket ticket, store_.GetTicket(ticket_id));
  CXDESK_ASSIGN_OR_RETURN(std::shared_ptr<const SlaConfig> config,
                          CurrentConfig());
  TicketSlaView view;
  view.ticket_id = ticket_id;
  view.policy_id = ticket.policy_id;
  view.status = ticket.state.facts.status;
  view.as_of = clock_.Now();
  for (const SlaClock& c : ticket.state.clocks) {
    view.clocks.push_back(ViewClock(c, config->FindCalendar(c.calendar),
                                    ticket.policy_id, view.as_of));
  }
  return view;
}

absl::StatusOr<SlaPromise> SlaManager::GetSlaPromise(const std::string& bearer,
                                                     int64_t ticket_id) {
  CXDESK_RETURN_IF_ERROR(auth_.Check(bearer, common::StaffNeed::kStaff));
  if (ticket_id <= 0) {
    return absl::InvalidArgumentError("ticket_id: must be positive");
  }
  CXDESK_ASSIGN_OR_RETURN(StoredTicket ticket, store_.GetTicket(ticket_id));
  std::optional<SlaPromise> promise =
      PromiseFor(ticket_id, ticket.state.clocks);
  if (!promise.has_value()) {
    return absl::NotFoundError(
        absl::StrCat("ticket ", ticket_id, " has no open SLA clock"));
  }
  return *promise;
}

absl::StatusOr<Page<LedgerEvent>> SlaManager::ListSlaEvents(
    const std::string& bearer, const EventFilter& filter, int32_t page_size,
    const std::string& page_token) {
  CXDESK_RETURN_IF_ERROR(auth_.Check(bearer, common::StaffNeed::kStaff));
  if (filter.ticket_id < 0) {
    return absl::InvalidArgumentError("ticket_id: must not be negative");
  }
  std::vector<std::string> kinds;
  for (auto k : filter.kinds) kinds.push_back(std::string(TransitionName(k)));
  const std::string fingerprint = absl::StrCat(
      "events|", filter.ticket_id, "|", absl::StrJoin(kinds, ","), "|",
      filter.metric.has_value() ? MetricName(*filter.metric) : "", "|",
      absl::FormatTime(filter.start), "|", absl::FormatTime(filter.end));
  return common::ReadPage<LedgerEvent>(
      page_size, page_token, fingerprint,
      [&](int64_t after, int limit) {
        return store_.ListEvents(filter, after, limit);
      },
      [](int64_t, int, const LedgerEvent& e) { return e.id; },
      kLedgerPageLimits);
}

absl::StatusOr<Page<BreachRecord>> SlaManager::ListBreaches(
    const std::string& bearer, const BreachFilter& filter, int32_t page_size,
    const std::string& page_token) {
  CXDESK_RETURN_IF_ERROR(auth_.Check(bearer, common::StaffNeed::kStaff));
  const std::string fingerprint = absl::StrCat(
      "breaches|", absl::FormatTime(filter.start), "|",
      absl::FormatTime(filter.end), "|", filter.team, "|", filter.assignee, "|",
      filter.metric.has_value() ? MetricName(*filter.metric) : "", "|",
      filter.priority, "|", filter.open_only);
  return common::ReadPage<BreachRecord>(
      page_size, page_token, fingerprint,
      [&](int64_t after, int limit) {
        return store_.ListBreaches(filter, after, limit);
      },
      [](int64_t, int, const BreachRecord& b) { return b.event.id; },
      kLedgerPageLimits);
}

absl::StatusOr<Report> SlaManager::GetSlaReport(
    const std::string& bearer, absl::Time start, absl::Time end,
    const std::vector<Dimension>& group_by) {
  CXDESK_RETURN_IF_ERROR(auth_.Check(bearer, common::StaffNeed::kManager));
  CXDESK_RETURN_IF_ERROR(CheckWindow(start, end));
  CXDESK_RETURN_IF_ERROR(CheckGroupBy(group_by));
  return store_.BuildSlaReport(start, end, group_by);
}

absl::StatusOr<Report> SlaManager::SimulatePolicy(
    const std::string& bearer, PolicyRecord draft, absl::Time start,
    absl::Time end, const std::vector<Dimension>& group_by) {
  CXDESK_RETURN_IF_ERROR(auth_.Check(bearer, common::StaffNeed::kManager));
  CXDESK_RETURN_IF_ERROR(CheckWindow(start, end));
  if (end - start > kMaxSimulationWindow) {
    return absl::InvalidArgumentError(
        "end_time: the window may be at most 31 days");
  }
  CXDESK_RETURN_IF_ERROR(CheckGroupBy(group_by));
  CXDESK_RETURN_IF_ERROR(ValidatePolicyInput(draft));
  CXDESK_ASSIGN_OR_RETURN(std::shared_ptr<const SlaConfig> current,
                          CurrentConfig());
  SlaConfig config = *current;  // A copy: the draft must not leak out.
  // The draft replaces its namesake; a new default replaces the default.
  std::vector<Policy> policies;
  for (Policy& p : config.policies) {
    if (p.name == draft.policy.name) continue;
    if (draft.policy.is_default && p.is_default) continue;
    policies.push_back(std::move(p));
  }
  policies.push_back(draft.policy);
  std::stable_sort(policies.begin(), policies.end(),
                   [](const Policy& a, const Policy& b) {
                     return std::make_tuple(a.is_default, a.position, a.name) <
                            std::make_tuple(b.is_default, b.position, b.name);
                   });
  config.policies = std::move(policies);
  CXDESK_ASSIGN_OR_RETURN(auto tickets,
                          store_.LoadChangesForReplay(start, end));
  const absl::Time now = clock_.Now();
  std::vector<Measurement> measurements;
  std::map<int64_t, int> csat;
  for (const std::vector<RecordedChange>& changes : tickets) {
    std::optional<int> score;
    std::vector<Measurement> ms = ReplayTicket(changes, config, now, &score);
    if (score.has_value()) csat[changes.front().ticket_id] = *score;
    measurements.insert(measurements.end(), ms.begin(), ms.end());
  }
  return BuildReport(measurements, csat, start, end, group_by);
}

absl::Status SlaManager::WatchSlaEvents(
    const std::string& bearer, const std::string& after_cursor,
    const std::function<bool(const LedgerEvent&)>& send,
    const std::function<bool()>& cancelled) {
  CXDESK_RETURN_IF_ERROR(auth_.Check(bearer, common::StaffNeed::kStaff));
  CXDESK_ASSIGN_OR_RETURN(common::EventCursor cursor,
                          common::DecodeCursor(after_cursor, "after_cursor"));
  // Without a notifier, a signal that never fires: the watch polls.
  return common::RunWatch<LedgerEvent>(
      cursor, notifier_ != nullptr ? *notifier_ : common::NoChanges(),
      [this](const common::EventCursor& after, int limit) {
        return store_.ReadEvents(after, limit);
      },
      [](const LedgerEvent& e) { return e.cursor; }, send, cancelled);
}

}  // namespace cxdesk::sla
