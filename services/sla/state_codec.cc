#include "services/sla/state_codec.h"

#include <cstdint>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "cxdesk/sla/storage/v1/ticket_clocks.pb.h"

namespace cxdesk::sla {
namespace {

namespace slastoragepb = ::cxdesk::sla::storage::v1;

int64_t ToNs(absl::Time t) { return absl::ToUnixNanos(t); }
absl::Time FromNs(int64_t ns) { return absl::FromUnixNanos(ns); }
bool Finite(absl::Time t) {
  return t != absl::InfiniteFuture() && t != absl::InfinitePast();
}

void ToStored(const WarningThreshold& w, slastoragepb::StoredWarning* out) {
  out->set_kind(w.kind == WarningThreshold::Kind::kMinutesBefore ? 1 : 2);
  out->set_value(w.value);
}

WarningThreshold FromStored(const slastoragepb::StoredWarning& w) {
  return w.kind() == 1 ? WarningThreshold::MinutesBefore(w.value())
                       : WarningThreshold::PercentElapsed(w.value());
}

void ToStored(const TicketFacts& f, slastoragepb::StoredFacts* out) {
  out->set_priority(f.priority);
  out->set_kind(f.kind);
  out->set_cx_level(f.cx_level);
  out->set_channel(f.channel);
  out->set_status(f.status);
  for (const std::string& t : f.tags) out->add_tags(t);
  out->set_customer_email(f.customer_email);
}

TicketFacts FromStored(const slastoragepb::StoredFacts& f) {
  TicketFacts out;
  out.priority = f.priority();
  out.kind = f.kind();
  out.cx_level = f.cx_level();
  out.channel = f.channel();
  out.status = f.status();
  out.tags.assign(f.tags().begin(), f.tags().end());
  out.customer_email = f.customer_email();
  return out;
}

}  // namespace

std::string EncodeClocksState(const TicketClocksState& state) {
  slastoragepb::StoredTicketClocks out;
  out.set_created(state.created);
  if (Finite(state.last_change))
    out.set_last_change_ns(ToNs(state.last_change));
  out.set_policy(state.policy);
  ToStored(state.facts, out.mutable_facts());
  for (const SlaClock& c : state.clocks) {
    slastoragepb::StoredClock* s = out.add_clocks();
    s->set_metric(std::string(MetricName(c.metric)));
    s->set_cycle(c.cycle);
    s->set_state(static_cast<int>(c.state));
    s->set_started_ns(ToNs(c.started));
    s->set_target_ns(absl::ToInt64Nanoseconds(c.target));
    s->set_calendar(c.calendar);
    for (const WarningThreshold& w : c.warnings) ToStored(w, s->add_warnings());
    for (const Pause& p : c.pauses) {
      slastoragepb::StoredPause* sp = s->add_pauses();
      sp->set_from_ns(ToNs(p.from));
      if (Finite(p.to)) sp->set_to_ns(ToNs(p.to));
      sp->set_actor(p.actor);
      sp->set_reason(p.reason);
      sp->set_status(p.status);
    }
    if (Finite(c.deadline)) s->set_deadline_ns(ToNs(c.deadline));
    for (size_t i = 0; i < c.warning_due.size(); ++i) {
      const bool known = Finite(c.warning_due[i]);
      s->add_warning_due_ns(known ? ToNs(c.warning_due[i]) : 0);
      s->add_warning_due_known(known);
    }
    for (bool fired : c.warning_fired) s->add_warning_fired(fired);
    s->set_breached(c.breached);
    if (Finite(c.ended)) s->set_ended_ns(ToNs(c.ended));
  }
  return out.SerializeAsString();
}

absl::StatusOr<TicketClocksState> DecodeClocksState(absl::string_view bytes) {
  slastoragepb::StoredTicketClocks in;
  if (!in.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return absl::DataLossError("stored clock state does not parse");
  }
  TicketClocksState state;
  state.created = in.created();
  state.last_change = in.has_last_change_ns() ? FromNs(in.last_change_ns())
                                              : absl::InfinitePast();
  state.policy = in.policy();
  state.facts = FromStored(in.facts());
  for (const slastoragepb::StoredClock& s : in.clocks()) {
    SlaClock c;
    absl::StatusOr<Metric> metric = ParseMetric(s.metric());
    if (!metric.ok() || s.state() < 0 || s.state() > 3 ||
        s.warning_due_ns_size() != s.warnings_size() ||
        s.warning_due_known_size() != s.warnings_size() ||
        s.warning_fired_size() != s.warnings_size()) {
      return absl::DataLossError("stored clock is malformed");
    }
    c.metric = *metric;
    c.cycle = s.cycle();
    c.state = static_cast<ClockState>(s.state());
    c.started = FromNs(s.started_ns());
    c.target = absl::Nanoseconds(s.target_ns());
    c.calendar = s.calendar();
    for (const slastoragepb::StoredWarning& w : s.warnings()) {
      c.warnings.push_back(FromStored(w));
    }
    for (const slastoragepb::StoredPause& sp : s.pauses()) {
      Pause p;
      p.from = FromNs(sp.from_ns());
      p.to = sp.has_to_ns() ? FromNs(sp.to_ns()) : absl::InfiniteFuture();
      p.actor = sp.actor();
      p.reason = sp.reason();
      p.status = sp.status();
      c.pauses.push_back(std::move(p));
    }
    c.deadline =
        s.has_deadline_ns() ? FromNs(s.deadline_ns()) : absl::InfiniteFuture();
    for (int i = 0; i < s.warnings_size(); ++i) {
      c.warning_due.push_back(s.warning_due_known(i)
                                  ? FromNs(s.warning_due_ns(i))
                                  : absl::InfiniteFuture());
      c.warning_fired.push_back(s.warning_fired(i));
    }
    c.breached = s.breached();
    c.ended = s.has_ended_ns() ? FromNs(s.ended_ns()) : absl::InfiniteFuture();
    state.clocks.push_back(std::move(c));
  }
  return state;
}

std::string EncodeWarning(const WarningThreshold& warning) {
  return absl::StrCat(warning.kind == WarningThreshold::Kind::kMinutesBefore
                          ? "minutes_before:"
                          : "percent_elapsed:",
                      warning.value);
}

absl::StatusOr<WarningThreshold> DecodeWarning(absl::string_view text) {
  std::pair<absl::string_view, absl::string_view> parts =
      absl::StrSplit(text, absl::MaxSplits(':', 1));
  int value = 0;
  if (!absl::SimpleAtoi(parts.second, &value)) {
    return absl::DataLossError(absl::StrCat("stored warning \"", text, "\""));
  }
  if (parts.first == "minutes_before") {
    return WarningThreshold::MinutesBefore(value);
  }
  if (parts.first == "percent_elapsed") {
    return WarningThreshold::PercentElapsed(value);
  }
  return absl::DataLossError(absl::StrCat("stored warning \"", text, "\""));
}

}  // namespace cxdesk::sla
