#include "services/sla/sla_proto.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "services/common/event_stream.h"
#include "services/common/proto_time.h"
#include "services/common/proto_words.h"
#include "services/common/status_macros.h"
#include "services/common/text.h"

namespace cxdesk::sla {
namespace {

using common::ChannelOf;
using common::ChannelWord;
using common::CxLevelOf;
using common::CxLevelWord;
using common::FromProtoDuration;
using common::FromProtoTimestamp;
using common::KindOf;
using common::KindWord;
using common::PriorityOf;
using common::PriorityWord;
using common::StatusOf;
using common::StatusWord;
using common::ToProtoDuration;
using common::ToProtoTimestamp;

bool Finite(absl::Time t) {
  return t != absl::InfiniteFuture() && t != absl::InfinitePast();
}

void SetTime(absl::Time t, google::protobuf::Timestamp* out) {
  ToProtoTimestamp(t, out);
}

// "HH:MM" -> minutes after midnight; 24:00 only if `allow_midnight_end`.
absl::StatusOr<int> ParseHhMm(const std::string& field, const std::string& s,
                              bool allow_midnight_end) {
  const bool shape = s.size() == 5 && s[2] == ':' &&
                     absl::ascii_isdigit(s[0]) && absl::ascii_isdigit(s[1]) &&
                     absl::ascii_isdigit(s[3]) && absl::ascii_isdigit(s[4]);
  const int h = shape ? (s[0] - '0') * 10 + (s[1] - '0') : -1;
  const int m = shape ? (s[3] - '0') * 10 + (s[4] - '0') : -1;
  const bool ok = shape && h >= 0 && m >= 0 && m < 60 &&
                  (h < 24 || (allow_midnight_end && h == 24 && m == 0));
  if (!ok) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": must be HH:MM, ",
                     allow_midnight_end ? "00:01..24:00" : "00:00..23:59",
                     " (got ", common::Excerpt(s), ")"));
  }
  return h * 60 + m;
}

std::string HhMm(int minutes) {
  return absl::StrFormat("%02d:%02d", minutes / 60, minutes % 60);
}

// The ticket enum `values` as words (`word_of`); INVALID_ARGUMENT naming
// `field`[i] for the unspecified or an unknown value.
template <typename Words>
absl::StatusOr<std::vector<std::string>> WordsOf(
    const google::protobuf::RepeatedField<int>& values,
    const std::string& field, Words word_of) {
  std::vector<std::string> out;
  for (int i = 0; i < values.size(); ++i) {
    std::string word = word_of(values[i]);
    if (word.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          field, "[", i, "]: unspecified or unknown value ", values[i]));
    }
    out.push_back(std::move(word));
  }
  return out;
}

void WarningToProto(const WarningThreshold& w, v1::Warning* out) {
  if (w.kind == WarningThreshold::Kind::kMinutesBefore) {
    out->set_minutes_before(w.value);
  } else {
    out->set_percent_elapsed(w.value);
  }
}

// A request's instant, or `fallback` when the request leaves it unset.
absl::Time TimeOr(const google::protobuf::Timestamp& ts, bool has,
                  absl::Time fallback) {
  return has ? FromProtoTimestamp(ts) : fallback;
}

void StatsToProto(const DurationStats& s, v1::DurationStats* out) {
  out->set_count(s.count);
  ToProtoDuration(s.p50, out->mutable_p50());
  ToProtoDuration(s.p90, out->mutable_p90());
  ToProtoDuration(s.p99, out->mutable_p99());
  ToProtoDuration(s.max, out->mutable_max());
}

}  // namespace

// ---- enums ----

absl::StatusOr<Metric> MetricFromProto(int value, const std::string& field) {
  if (value < v1::METRIC_FIRST_RESPONSE || value > v1::METRIC_RESOLUTION) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": unspecified or unknown metric ", value));
  }
  return static_cast<Metric>(value - 1);
}

std::optional<Metric> MetricFilterFromProto(int value) {
  if (value < v1::METRIC_FIRST_RESPONSE || value > v1::METRIC_RESOLUTION) {
    return std::nullopt;
  }
  return static_cast<Metric>(value - 1);
}

v1::Metric MetricToProto(Metric m) {
  return static_cast<v1::Metric>(static_cast<int>(m) + 1);
}

absl::StatusOr<std::vector<Dimension>> DimensionsFromProto(
    const google::protobuf::RepeatedField<int>& group_by) {
  std::vector<Dimension> out;
  for (int i = 0; i < group_by.size(); ++i) {
    if (group_by[i] < v1::REPORT_DIMENSION_TEAM ||
        group_by[i] > v1::REPORT_DIMENSION_CHANNEL) {
      return absl::InvalidArgumentError(absl::StrCat(
          "group_by[", i, "]: unspecified or unknown dimension ", group_by[i]));
    }
    out.push_back(static_cast<Dimension>(group_by[i] - 1));
  }
  return out;
}

// ---- configuration ----

absl::StatusOr<CalendarRecord> CalendarFromProto(const v1::Calendar& proto) {
  CalendarRecord r;
  r.calendar.name = proto.calendar_id();
  r.calendar.time_zone = proto.time_zone();
  r.description = proto.description();
  for (int i = 0; i < proto.hours_size(); ++i) {
    const v1::BusinessHours& h = proto.hours(i);
    const std::string field = absl::StrCat("calendar.hours[", i, "]");
    if (h.weekday() < v1::WEEKDAY_MONDAY || h.weekday() > v1::WEEKDAY_SUNDAY) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ".weekday: unspecified or unknown weekday"));
    }
    CXDESK_ASSIGN_OR_RETURN(const int start,
                            ParseHhMm(field + ".start", h.start(), false));
    CXDESK_ASSIGN_OR_RETURN(const int end,
                            ParseHhMm(field + ".end", h.end(), true));
    if (end <= start) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ".end: must be after start"));
    }
    r.calendar.week[h.weekday() - 1].push_back({start, end});
  }
  for (int i = 0; i < proto.holidays_size(); ++i) {
    const v1::Holiday& h = proto.holidays(i);
    const std::string field = absl::StrCat("calendar.holidays[", i, "]");
    Holiday holiday;
    // absl::ParseCivilTime also takes signs, spaces and long years; a date
    // is exactly YYYY-MM-DD and names a real day.
    if (!absl::ParseCivilTime(h.date(), &holiday.day) ||
        absl::FormatCivilTime(holiday.day) != h.date() ||
        h.date().size() != 10) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ".date: must be a real day as YYYY-MM-DD (got ",
                       common::Excerpt(h.date()), ")"));
    }
    for (int k = 0; k < i; ++k) {
      if (proto.holidays(k).date() == h.date() &&
          proto.holidays(k).yearly() == h.yearly()) {
        return absl::InvalidArgumentError(
            absl::StrCat(field, ".date: the same day as holidays[", k, "]"));
      }
    }
    holiday.yearly = h.yearly();
    holiday.title = h.title();
    r.calendar.holidays.push_back(std::move(holiday));
  }
  return r;
}

void CalendarToProto(const CalendarRecord& r, v1::Calendar* out) {
  out->set_calendar_id(r.calendar.name);
  out->set_time_zone(r.calendar.time_zone);
  for (int d = 0; d < 7; ++d) {
    for (const BusinessInterval& i : r.calendar.week[d]) {
      v1::BusinessHours* h = out->add_hours();
      h->set_weekday(static_cast<v1::Weekday>(d + 1));
      h->set_start(HhMm(i.start_minute));
      h->set_end(HhMm(i.end_minute));
    }
  }
  for (const Holiday& h : r.calendar.holidays) {
    v1::Holiday* p = out->add_holidays();
    p->set_date(absl::FormatCivilTime(h.day));
    p->set_yearly(h.yearly);
    p->set_title(h.title);
  }
  out->set_description(r.description);
  out->set_etag(absl::StrCat(r.version));
  SetTime(r.create_time, out->mutable_create_time());
  SetTime(r.update_time, out->mutable_update_time());
}

absl::StatusOr<PolicyRecord> PolicyFromProto(const v1::Policy& proto) {
  PolicyRecord r;
  Policy& p = r.policy;
  p.name = proto.policy_id();
  p.position = proto.position();
  p.is_default = proto.is_default();
  r.description = proto.description();
  const v1::PolicyConditions& c = proto.conditions();
  CXDESK_ASSIGN_OR_RETURN(
      p.conditions.priorities,
      WordsOf(c.priorities(), "policy.conditions.priorities", PriorityWord));
  CXDESK_ASSIGN_OR_RETURN(
      p.conditions.kinds,
      WordsOf(c.kinds(), "policy.conditions.kinds", KindWord));
  CXDESK_ASSIGN_OR_RETURN(
      p.conditions.cx_levels,
      WordsOf(c.cx_levels(), "policy.conditions.cx_levels", CxLevelWord));
  CXDESK_ASSIGN_OR_RETURN(
      p.conditions.channels,
      WordsOf(c.channels(), "policy.conditions.channels", ChannelWord));
  p.conditions.tags_any.assign(c.tags_any().begin(), c.tags_any().end());
  p.conditions.customer_emails.assign(c.customer_emails().begin(),
                                      c.customer_emails().end());
  for (int i = 0; i < proto.targets_size(); ++i) {
    const v1::Target& t = proto.targets(i);
    const std::string field = absl::StrCat("policy.targets[", i, "]");
    const std::string priority = PriorityWord(t.priority());
    if (priority.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ".priority: unspecified or unknown priority"));
    }
    CXDESK_ASSIGN_OR_RETURN(const Metric metric,
                            MetricFromProto(t.metric(), field + ".metric"));
    if (p.targets[priority].count(metric) > 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          field, ": a second ", priority, " ", MetricName(metric), " target"));
    }
    TargetSpec spec;
    spec.target = FromProtoDuration(t.target());
    spec.calendar = t.calendar_id();
    for (int j = 0; j < t.warnings_size(); ++j) {
      const v1::Warning& w = t.warnings(j);
      switch (w.threshold_case()) {
        case v1::Warning::kMinutesBefore:
          spec.warnings.push_back(
              WarningThreshold::MinutesBefore(w.minutes_before()));
          break;
        case v1::Warning::kPercentElapsed:
          spec.warnings.push_back(
              WarningThreshold::PercentElapsed(w.percent_elapsed()));
          break;
        default:
          return absl::InvalidArgumentError(
              absl::StrCat(field, ".warnings[", j,
                           "]: set minutes_before or percent_elapsed"));
      }
    }
    p.targets[priority][metric] = std::move(spec);
  }
  if (proto.pause_statuses_size() > 0) {
    CXDESK_ASSIGN_OR_RETURN(
        p.pause_statuses,
        WordsOf(proto.pause_statuses(), "policy.pause_statuses", StatusWord));
  }
  p.reopen_restarts_resolution = !proto.keep_resolution_on_reopen();
  return r;
}

void PolicyToProto(const PolicyRecord& r, v1::Policy* out) {
  const Policy& p = r.policy;
  out->set_policy_id(p.name);
  out->set_position(p.position);
  out->set_is_default(p.is_default);
  v1::PolicyConditions* c = out->mutable_conditions();
  for (const auto& w : p.conditions.priorities)
    c->add_priorities(PriorityOf(w));
  for (const auto& w : p.conditions.kinds) c->add_kinds(KindOf(w));
  for (const auto& w : p.conditions.cx_levels) c->add_cx_levels(CxLevelOf(w));
  for (const auto& w : p.conditions.channels) c->add_channels(ChannelOf(w));
  for (const auto& t : p.conditions.tags_any) c->add_tags_any(t);
  for (const auto& e : p.conditions.customer_emails) c->add_customer_emails(e);
  for (const auto& [priority, by_metric] : p.targets) {
    for (const auto& [metric, spec] : by_metric) {
      v1::Target* t = out->add_targets();
      t->set_priority(PriorityOf(priority));
      t->set_metric(MetricToProto(metric));
      ToProtoDuration(spec.target, t->mutable_target());
      t->set_calendar_id(spec.calendar);
      for (const WarningThreshold& w : spec.warnings) {
        WarningToProto(w, t->add_warnings());
      }
    }
  }
  for (const auto& s : p.pause_statuses) out->add_pause_statuses(StatusOf(s));
  out->set_keep_resolution_on_reopen(!p.reopen_restarts_resolution);
  out->set_description(r.description);
  out->set_etag(absl::StrCat(r.version));
  SetTime(r.create_time, out->mutable_create_time());
  SetTime(r.update_time, out->mutable_update_time());
}

// ---- clocks ----

void ClockViewToProto(const ClockView& v, v1::SlaClock* out) {
  const SlaClock& c = v.clock;
  out->set_metric(MetricToProto(c.metric));
  out->set_cycle(c.cycle);
  out->set_state(static_cast<v1::ClockState>(static_cast<int>(c.state) + 1));
  out->set_breached(c.breached);
  ToProtoDuration(c.target, out->mutable_target());
  out->set_calendar_id(c.calendar);
  SetTime(c.started, out->mutable_start_time());
  if (Finite(c.deadline)) SetTime(c.deadline, out->mutable_deadline());
  if (Finite(c.ended)) SetTime(c.ended, out->mutable_end_time());
  ToProtoDuration(v.elapsed_business, out->mutable_elapsed_business());
  ToProtoDuration(v.remaining_business, out->mutable_remaining_business());
  ToProtoDuration(v.paused_business, out->mutable_paused_business());
  for (size_t i = 0; i < c.pauses.size(); ++i) {
    const Pause& p = c.pauses[i];
    v1::ClockPause* pause = out->add_pauses();
    SetTime(p.from, pause->mutable_start_time());
    if (Finite(p.to)) SetTime(p.to, pause->mutable_end_time());
    pause->set_actor(p.actor);
    pause->set_reason(p.reason);
    pause->set_status(StatusOf(p.status));
    ToProtoDuration(v.pause_business[i], pause->mutable_business_duration());
  }
  if (v.next_warning.has_value()) {
    WarningToProto(*v.next_warning, out->mutable_next_warning());
    if (Finite(v.next_warning_time)) {
      SetTime(v.next_warning_time, out->mutable_next_warning_time());
    }
  }
  out->set_explanation(v.explanation);
}

void TicketSlaToProto(const TicketSlaView& view, v1::TicketSla* out) {
  out->set_ticket_id(view.ticket_id);
  out->set_policy_id(view.policy_id);
  out->set_status(StatusOf(view.status));
  for (const ClockView& c : view.clocks) ClockViewToProto(c, out->add_clocks());
  SetTime(view.as_of, out->mutable_as_of_time());
}

void SlaPromiseToProto(const SlaPromise& promise, v1::SlaPromise* out) {
  out->set_ticket_id(promise.ticket_id);
  out->set_metric(MetricToProto(promise.metric));
  if (Finite(promise.due)) SetTime(promise.due, out->mutable_due_time());
  out->set_text(promise.text);
}

// ---- ledger and breaches ----

void LedgerEventToProto(const LedgerEvent& e, v1::SlaEvent* out) {
  out->set_cursor(common::EncodeCursor(e.cursor));
  out->set_id(e.id);
  out->set_ticket_id(e.ticket_id);
  out->set_kind(static_cast<v1::SlaEventKind>(static_cast<int>(e.kind) + 1));
  out->set_metric(MetricToProto(e.metric));
  out->set_cycle(e.cycle);
  SetTime(e.occur_time, out->mutable_occur_time());
  SetTime(e.record_time, out->mutable_record_time());
  if (Finite(e.deadline)) SetTime(e.deadline, out->mutable_deadline());
  out->set_policy_id(e.policy_id);
  out->set_calendar_id(e.calendar_id);
  ToProtoDuration(e.target, out->mutable_target());
  out->set_actor(e.actor);
  out->set_reason(e.reason);
  out->set_status(StatusOf(e.status));
  out->set_met_late(e.met_late);
  out->set_overdue(e.overdue);
  if (e.warning.has_value()) WarningToProto(*e.warning, out->mutable_warning());
  if (e.pause_business.has_value()) {
    ToProtoDuration(*e.pause_business, out->mutable_pause_business());
  }
  if (e.pause_elapsed.has_value()) {
    ToProtoDuration(*e.pause_elapsed, out->mutable_pause_elapsed());
  }
  if (e.business_time.has_value()) {
    ToProtoDuration(*e.business_time, out->mutable_business_time());
  }
  if (e.calendar_time.has_value()) {
    ToProtoDuration(*e.calendar_time, out->mutable_calendar_time());
  }
  out->set_ticket_event_id(e.ticket_event_id);
  out->set_team(e.team);
  out->set_assignee(e.assignee);
  out->set_priority(PriorityOf(e.priority));
}

absl::StatusOr<EventFilter> EventFilterFromProto(
    const v1::ListSlaEventsRequest& request) {
  EventFilter filter;
  filter.ticket_id = request.ticket_id();
  for (int i = 0; i < request.kinds_size(); ++i) {
    const int k = request.kinds(i);
    if (k < v1::SLA_EVENT_KIND_STARTED || k > v1::SLA_EVENT_KIND_BREACHED) {
      return absl::InvalidArgumentError(
          absl::StrCat("kinds[", i, "]: unspecified or unknown kind ", k));
    }
    filter.kinds.push_back(static_cast<SlaTransition::Kind>(k - 1));
  }
  filter.metric = MetricFilterFromProto(request.metric());
  filter.start = TimeOr(request.start_time(), request.has_start_time(),
                        absl::InfinitePast());
  filter.end = TimeOr(request.end_time(), request.has_end_time(),
                      absl::InfiniteFuture());
  return filter;
}

BreachFilter BreachFilterFromProto(const v1::ListBreachesRequest& request) {
  BreachFilter filter;
  filter.start = TimeOr(request.start_time(), request.has_start_time(),
                        absl::InfinitePast());
  filter.end = TimeOr(request.end_time(), request.has_end_time(),
                      absl::InfiniteFuture());
  filter.team = request.team();
  filter.assignee = request.assignee();
  filter.metric = MetricFilterFromProto(request.metric());
  filter.priority = PriorityWord(request.priority());
  filter.open_only = request.open_only();
  return filter;
}

void BreachToProto(const BreachRecord& breach, v1::Breach* out) {
  LedgerEventToProto(breach.event, out->mutable_event());
  if (Finite(breach.met_time))
    SetTime(breach.met_time, out->mutable_met_time());
  out->set_state(
      static_cast<v1::ClockState>(static_cast<int>(breach.state) + 1));
}

// ---- reports ----

absl::StatusOr<ReportQuery> ReportQueryFromProto(
    const v1::GetSlaReportRequest& request) {
  ReportQuery query;
  CXDESK_ASSIGN_OR_RETURN(query.group_by,
                          DimensionsFromProto(request.group_by()));
  query.start = TimeOr(request.start_time(), request.has_start_time(),
                       absl::InfinitePast());
  query.end = TimeOr(request.end_time(), request.has_end_time(),
                     absl::InfiniteFuture());
  return query;
}

absl::StatusOr<Simulation> SimulationFromProto(
    const v1::SimulatePolicyRequest& request) {
  Simulation simulation;
  CXDESK_ASSIGN_OR_RETURN(simulation.query.group_by,
                          DimensionsFromProto(request.group_by()));
  CXDESK_ASSIGN_OR_RETURN(simulation.draft, PolicyFromProto(request.policy()));
  simulation.query.start = TimeOr(
      request.start_time(), request.has_start_time(), absl::InfinitePast());
  simulation.query.end = TimeOr(request.end_time(), request.has_end_time(),
                                absl::InfiniteFuture());
  return simulation;
}

void ReportToProto(const Report& report, v1::SlaReport* out) {
  SetTime(report.start, out->mutable_start_time());
  SetTime(report.end, out->mutable_end_time());
  for (Dimension d : report.group_by) {
    out->add_group_by(
        static_cast<v1::ReportDimension>(static_cast<int>(d) + 1));
  }
  for (const ReportRow& row : report.rows) {
    v1::SlaReportRow* r = out->add_rows();
    for (const std::string& v : row.group_values) r->add_group_values(v);
    r->set_tickets(row.tickets);
    r->set_ratings(row.ratings);
    r->set_average_csat(row.average_csat);
    for (const MetricReport& m : row.metrics) {
      v1::MetricReport* p = r->add_metrics();
      p->set_metric(MetricToProto(m.metric));
      p->set_clocks(m.clocks);
      p->set_met_on_time(m.met_on_time);
      p->set_breached(m.breached);
      p->set_open(m.open);
      p->set_cancelled(m.cancelled);
      p->set_compliance_percent(m.compliance_percent);
      StatsToProto(m.business_time, p->mutable_business_time());
      StatsToProto(m.calendar_time, p->mutable_calendar_time());
    }
  }
  out->set_clocks(report.clocks);
}

}  // namespace cxdesk::sla
