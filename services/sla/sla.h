#ifndef CXDESK_SERVICES_SLA_SLA_H_
#define CXDESK_SERVICES_SLA_SLA_H_

// Domain types of the SLA service beyond the pure rules (calendar.h,
// policy.h, sla_clock.h): configuration records, the recorded ticket changes,
// the per-ticket state row, ledger events, measurements and timers. Plain
// data: no proto, no pqxx.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "services/common/event_stream.h"
#include "services/sla/calendar.h"
#include "services/sla/policy.h"
#include "services/sla/sla_clock.h"

namespace cxdesk::sla {

// A calendar as stored: the definition plus its bookkeeping.
struct CalendarRecord {
  Calendar calendar;  // calendar.name is the calendar id.
  std::string description;
  int64_t version = 0;  // The etag is its decimal form.
  absl::Time create_time;
  absl::Time update_time;
};

// A policy as stored.
struct PolicyRecord {
  Policy policy;  // policy.name is the policy id.
  std::string description;
  int64_t version = 0;
  absl::Time create_time;
  absl::Time update_time;
};

// Every calendar and policy at one configuration revision. Immutable once
// built; shared between threads by shared_ptr.
struct SlaConfig {
  int64_t revision = 0;
  std::map<std::string, Calendar> calendars;
  std::vector<Policy> policies;

  const Calendar* FindCalendar(const std::string& id) const {
    auto it = calendars.find(id);
    return it == calendars.end() ? nullptr : &it->second;
  }
  const Policy* FindPolicy(const std::string& id) const {
    for (const Policy& p : policies) {
      if (p.name == id) return &p;
    }
    return nullptr;
  }
};

// What a ticket looks like beyond TicketFacts: the group values reports
// are broken down by.
struct TicketDims {
  std::string team;
  std::string assignee;
};

// One ticket event as the SLA service records it (sla.ticket_changes).
struct RecordedChange {
  int64_t ticket_event_id = 0;
  int64_t ticket_id = 0;
  std::string cursor;  // The ticket stream's cursor after this event.
  TicketChange change;
  TicketDims dims;
  std::optional<int> csat;  // The rating's score once rated.
};

// The row of sla.tickets.
struct StoredTicket {
  int64_t ticket_id = 0;
  std::string policy_id;  // "" when no policy applied.
  TicketClocksState state;
  TicketDims dims;
  std::optional<int> csat;
  int64_t last_event_id = 0;
  absl::Time create_time;
  absl::Time update_time;
};

// One row of the ledger (sla.events).
struct LedgerEvent {
  common::EventCursor cursor;  // Set when read back.
  int64_t id = 0;              // Set when read back.
  int64_t ticket_id = 0;
  SlaTransition::Kind kind = SlaTransition::Kind::kStarted;
  Metric metric = Metric::kFirstResponse;
  int cycle = 1;
  absl::Time occur_time;
  absl::Time record_time;  // Set when read back.
  absl::Time deadline = absl::InfiniteFuture();
  std::string policy_id;
  std::string calendar_id;
  absl::Duration target;
  std::string actor;
  std::string reason;
  std::string status;
  bool met_late = false;
  bool overdue = false;
  std::optional<WarningThreshold> warning;
  std::optional<absl::Duration> pause_business;
  std::optional<absl::Duration> pause_elapsed;
  std::optional<absl::Duration> business_time;  // kMet only.
  std::optional<absl::Duration> calendar_time;  // kMet only.
  int64_t ticket_event_id = 0;
  std::string team;
  std::string assignee;
  std::string priority;
};

// One clock as the reports see it (sla.measurements).
struct Measurement {
  int64_t ticket_id = 0;
  Metric metric = Metric::kFirstResponse;
  int cycle = 1;
  std::string policy_id;
  std::string calendar_id;
  absl::Duration target;
  absl::Time started;
  absl::Time deadline = absl::InfiniteFuture();
  absl::Time ended = absl::InfiniteFuture();
  ClockState state = ClockState::kRunning;
  bool breached = false;
  bool met_late = false;
  std::optional<absl::Duration> business_time;  // Met clocks.
  std::optional<absl::Duration> calendar_time;  // Met clocks.
  // Group values.
  std::string team;
  std::string assignee;
  std::string priority;
  std::string kind;
  std::string cx_level;
  std::string channel;
};

// An armed timer row.
struct ArmedTimer {
  int64_t id = 0;
  int64_t ticket_id = 0;
  TimerSpec spec;
};

// What became of one claimed timer.
enum class TimerOutcome { kFired, kStale };

}  // namespace cxdesk::sla

#endif  // CXDESK_SERVICES_SLA_SLA_H_
