// sla-benchmark: measures breach lateness under bursts with a million timers
// armed, what keeping them armed costs, and GetSlaReport over a million
// tickets' measurements. Not a test: deploy/sla-bench.sh runs it against a
// throwaway database and a cxdesk-slad started for it (timers only), and its
// figures go into docs/benchmarks.md.
//
// Phases:
//  1. Background: `--armed` far-future timers, inserted in bulk by SQL (they
//     never fire during the run; they are the table the claims work on).
//     Then --idle-seconds of the service with nothing due: its CPU.
//  2. Bursts: `--bursts` x `--burst-size` tickets created through the store
//     (one transaction each, as the consumer writes them) whose first
//     response is due within one second per burst. Lateness is measured
//     twice: fired_at - due from sla.timers (when the firing transaction
//     wrote the event) and arrival on WatchSlaEvents - deadline (what a
//     subscriber sees).
//  3. Report: `--report-tickets` tickets with two measurements each spread
//     over 30 days, inserted in bulk; then GetSlaReport over 30 days grouped
//     by team, timed over gRPC.
// Only 127.0.0.1 targets; every phase is bounded.
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <pqxx/pqxx>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "cxdesk/sla/v1/sla_service.grpc.pb.h"
#include "services/common/flags.h"
#include "services/common/proto_time.h"
#include "services/common/token.h"
#include "services/sla/business_time.h"
#include "services/sla/clock_engine.h"
#include "services/sla/postgres_sla_store.h"
#include "services/sla/sla_engine.h"

namespace cxdesk::sla {
namespace {

namespace slapb = ::cxdesk::sla::v1;

constexpr int64_t kBackgroundBase = 1'000'000'000;  // Ticket ids of phase 1.
constexpr int64_t kBurstBase = 2'000'000'000;       // ... of phase 2.
constexpr int64_t kReportBase = 3'000'000'000;      // ... of phase 3.
const absl::Duration kTarget = absl::Seconds(60);

struct ProcSample {
  double cpu_seconds = 0;
  int64_t rss_kib = 0;
  int64_t hwm_kib = 0;
};

ProcSample SampleProcess(int pid) {
  ProcSample s;
  if (pid <= 0) return s;
  std::ifstream stat(absl::StrCat("/proc/", pid, "/stat"));
  std::string line;
  std::getline(stat, line);
  // Fields after the command name (which may hold spaces) start at ')'.
  std::istringstream rest(line.substr(line.rfind(')') + 2));
  std::string field;
  int64_t utime = 0, stime = 0;
  for (int i = 3; i <= 15 && rest >> field; ++i) {
    if (i == 14) utime = std::stoll(field);
    if (i == 15) stime = std::stoll(field);
  }
  s.cpu_seconds = static_cast<double>(utime + stime) / sysconf(_SC_CLK_TCK);
  std::ifstream status(absl::StrCat("/proc/", pid, "/status"));
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) s.rss_kib = std::stoll(line.substr(6));
    if (line.rfind("VmHWM:", 0) == 0) s.hwm_kib = std::stoll(line.substr(6));
  }
  return s;
}

std::string Mib(int64_t kib) {
  return absl::StrFormat("%.1f MiB", kib / 1024.0);
}

struct Quantiles {
  int64_t count = 0;
  double p50 = 0, p99 = 0, max = 0, min = 0;
};

// Nearest-rank quantiles of microsecond samples, in milliseconds.
Quantiles Summarize(std::vector<int64_t> us) {
  Quantiles q;
  q.count = static_cast<int64_t>(us.size());
  if (us.empty()) return q;
  std::sort(us.begin(), us.end());
  auto at = [&](double p) {
    size_t r = static_cast<size_t>(std::ceil(p * us.size()));
    return us[std::max<size_t>(r, 1) - 1] / 1000.0;
  };
  q.p50 = at(0.5);
  q.p99 = at(0.99);
  q.max = us.back() / 1000.0;
  q.min = us.front() / 1000.0;
  return q;
}

void PrintQuantiles(const std::string& what, const Quantiles& q) {
  std::cout << absl::StrFormat(
      "  %-34s n=%-7d p50 %7.1f ms  p99 %7.1f ms  max %7.1f ms  (min %.1f)\n",
      what, q.count, q.p50, q.p99, q.max, q.min);
}

int64_t Scalar(pqxx::connection& conn, const std::string& sql) {
  pqxx::nontransaction txn(conn);
  return txn.exec1(sql)[0].as<int64_t>();
}

void Exec(pqxx::connection& conn, const std::string& sql) {
  pqxx::nontransaction txn(conn);
  txn.exec(sql);
}

// Collects arrival times of breach events for burst tickets.
class BreachWatcher {
 public:
  BreachWatcher(const std::string& target, const std::string& token) {
    stub_ = slapb::SlaService::NewStub(
        grpc::CreateChannel(target, grpc::InsecureChannelCredentials()));
    context_.AddMetadata("authorization", "Bearer " + token);
    thread_ = std::thread([this] {
      slapb::WatchSlaEventsRequest request;
      auto reader = stub_->WatchSlaEvents(&context_, request);
      slapb::SlaEvent e;
      while (reader->Read(&e)) {
        if (e.kind() != slapb::SLA_EVENT_KIND_BREACHED ||
            e.ticket_id() < kBurstBase || e.ticket_id() >= kReportBase) {
          continue;
        }
        const absl::Time now = absl::Now();
        const absl::Time deadline = common::FromProtoTimestamp(e.deadline());
        absl::MutexLock lock(&mu_);
        lateness_us_[e.ticket_id()] = absl::ToInt64Microseconds(now - deadline);
      }
      reader->Finish();
    });
  }
  ~BreachWatcher() {
    context_.TryCancel();
    thread_.join();
  }
  std::map<int64_t, int64_t> lateness() {
    absl::MutexLock lock(&mu_);
    return lateness_us_;
  }

 private:
  std::unique_ptr<slapb::SlaService::Stub> stub_;
  grpc::ClientContext context_;
  std::thread thread_;
  absl::Mutex mu_;
  std::map<int64_t, int64_t> lateness_us_ ABSL_GUARDED_BY(mu_);
};

// What the flags say, checked.
struct Settings {
  std::string url;
  std::string target;
  std::string token;  // A manager's, signed with the deployment secret.
  int pid = 0;
  int64_t armed = 0;
  int bursts = 0;
  int burst_size = 0;
  int idle_seconds = 0;
  int64_t report_tickets = 0;
};

// Reads the flags into `s`; nullopt to go on, else the exit code (0 after
// --help, 2 for a bad flag, 1 when the secret cannot be read).
std::optional<int> ParseSettings(int argc, char** argv, Settings& s) {
  common::FlagSet flags("sla-benchmark");
  flags.Add("database-url", "CXDESK_DATABASE_URL", "",
            "the benchmark database");
  flags.Add("sla-target", "", "127.0.0.1:7102", "the cxdesk-slad under test");
  flags.Add("slad-pid", "", "0", "its pid, for CPU and memory");
  flags.Add("token-secret-file", "CXDESK_TOKEN_SECRET_FILE", "",
            "token secret");
  flags.Add("armed", "", "1000000", "far-future timers kept armed");
  flags.Add("bursts", "", "3", "bursts of deadlines");
  flags.Add("burst-size", "", "10000", "deadlines per burst, in one second");
  flags.Add("idle-seconds", "", "10", "idle measurement with the timers armed");
  flags.Add("report-tickets", "", "1000000", "tickets for the report phase");
  absl::Status parsed = flags.Parse(argc, argv);
  if (absl::IsCancelled(parsed)) {
    std::cout << flags.Usage();
    return 0;
  }
  if (!parsed.ok()) {
    std::cerr << "sla-benchmark: " << parsed.message() << "\n";
    return 2;
  }
  s.url = flags.Get("database-url");
  s.target = flags.Get("sla-target");
  if (!common::ValidateLoopbackTarget("--sla-target", s.target).ok()) {
    std::cerr << "sla-benchmark: --sla-target must be on 127.0.0.1\n";
    return 2;
  }
  s.pid = std::stoi(flags.Get("slad-pid"));
  s.armed = std::stoll(flags.Get("armed"));
  s.bursts = std::stoi(flags.Get("bursts"));
  s.burst_size = std::stoi(flags.Get("burst-size"));
  s.idle_seconds = std::stoi(flags.Get("idle-seconds"));
  s.report_tickets = std::stoll(flags.Get("report-tickets"));
  auto secret = common::ReadSecretFile(flags.Get("token-secret-file"));
  if (!secret.ok()) {
    std::cerr << "sla-benchmark: " << secret.status() << "\n";
    return 1;
  }
  s.token = *common::SignToken({"sla-benchmark", common::StaffRole::kManager,
                                absl::Now() + absl::Hours(4)},
                               *secret);
  return std::nullopt;
}

// One round-the-clock calendar, one default policy whose first response is
// due 60 s after creation (no warnings: one timer per ticket in the bursts,
// plus resolution's far away). False after a message on error.
bool Configure(PostgresSlaStore& store) {
  CalendarRecord calendar;
  calendar.calendar = TwentyFourSeven("bench-24x7");
  PolicyRecord policy;
  policy.policy.name = "bench";
  policy.policy.is_default = true;
  policy.policy.targets["high"][Metric::kFirstResponse] = {
      kTarget, "bench-24x7", {}};
  policy.policy.targets["high"][Metric::kResolution] = {
      absl::Hours(24 * 30), "bench-24x7", {}};
  if (auto s = store.CreateCalendar(calendar, absl::Now()); !s.ok()) {
    std::cerr << "sla-benchmark: " << s.status() << "\n";
    return false;
  }
  if (auto s = store.CreatePolicy(policy, absl::Now()); !s.ok()) {
    std::cerr << "sla-benchmark: " << s.status() << "\n";
    return false;
  }

  return true;
}

// Phase 1: the far-future timers, then the service idle with them armed.
void RunBackground(pqxx::connection& conn, const Settings& s) {
  const int64_t armed = s.armed;
  const int pid = s.pid;
  const int idle_seconds = s.idle_seconds;
  std::cout << "phase 1: " << armed << " armed far-future timers\n";
  const absl::Time t = absl::Now();
  Exec(conn,
       absl::StrCat("INSERT INTO sla.timers (ticket_id, metric, cycle, kind, "
                    "warning, due, due_ns) SELECT ",
                    kBackgroundBase,
                    " + g, 'resolution', 1, 'breach', -1, d, "
                    "(extract(epoch FROM d) * 1000000)::bigint * 1000 FROM "
                    "generate_series(1, ",
                    armed,
                    ") AS g, LATERAL (SELECT date_trunc('second', now()) + "
                    "interval '30 days' + g * interval '2 ms' AS d) AS x"));
  Exec(conn, "VACUUM ANALYZE sla.timers");
  std::cout << "  inserted in " << absl::FormatDuration(absl::Now() - t)
            << "\n";
  {
    pqxx::nontransaction txn(conn);
    pqxx::row sizes = txn.exec1(
        "SELECT pg_relation_size('sla.timers'), "
        "pg_relation_size('sla.timers_armed_due_idx'), "
        "pg_relation_size('sla.timers_armed_ticket_idx'), "
        "pg_total_relation_size('sla.timers')");
    std::cout << "  sla.timers: heap " << Mib(sizes[0].as<int64_t>() / 1024)
              << ", armed-due index " << Mib(sizes[1].as<int64_t>() / 1024)
              << ", armed-ticket index " << Mib(sizes[2].as<int64_t>() / 1024)
              << ", total " << Mib(sizes[3].as<int64_t>() / 1024) << "\n";
  }
  // Wake the loops (the NOTIFY a store write would send).
  Exec(conn, "NOTIFY cxdesk_sla_timers");
  const ProcSample idle0 = SampleProcess(pid);
  absl::SleepFor(absl::Seconds(idle_seconds));
  const ProcSample idle1 = SampleProcess(pid);
  std::cout << absl::StrFormat(
      "  cxdesk-slad idle with them armed: %.3f cores over %d s, RSS %s\n",
      (idle1.cpu_seconds - idle0.cpu_seconds) / idle_seconds, idle_seconds,
      Mib(idle1.rss_kib));
}

// Phase 2, writing: `total` burst tickets through the store from 8 threads,
// burst b's first responses due within the second first_second + b * gap.
void WriteBursts(PostgresSlaStore& store, const Settings& s,
                 absl::Time first_second, absl::Duration gap) {
  const int burst_size = s.burst_size;
  const int64_t total = static_cast<int64_t>(s.bursts) * burst_size;
  ConfigCache cache(store);
  std::atomic<int64_t> next{0};
  std::atomic<int64_t> failures{0};
  const absl::Time t = absl::Now();
  std::vector<std::thread> writers;
  for (int w = 0; w < 8; ++w) {
    writers.emplace_back([&] {
      while (true) {
        const int64_t i = next.fetch_add(1);
        if (i >= total) return;
        const int64_t b = i / burst_size;
        const int64_t k = i % burst_size;
        RecordedChange c;
        c.ticket_event_id = kBurstBase + i;
        c.ticket_id = kBurstBase + i;
        c.cursor = "bench";
        // Due at first_second + b * gap + k/burst_size of a second.
        c.change.at = first_second + b * gap +
                      absl::Nanoseconds(1'000'000'000LL * k / burst_size) -
                      kTarget;
        c.change.kind = TicketChange::Kind::kCreated;
        c.change.actor = "bench@example.com";
        c.change.after = {"high", "incident",         "", "web", "new",
                          {},     "bench@example.com"};
        c.dims = {"team-" + std::to_string(i % 10), ""};
        const absl::Status status = store.ApplyChange(
            "sla-benchmark", c,
            [&](const RecordedChange&,
                const std::optional<StoredTicket>& current, int64_t revision)
                -> absl::StatusOr<std::optional<ClockUpdate>> {
              auto config = cache.AtLeast(revision);
              if (!config.ok()) return config.status();
              auto update = ApplyChange(current, c, **config);
              if (!update.ok()) return update.status();
              return std::optional<ClockUpdate>(*std::move(update));
            });
        if (!status.ok()) failures.fetch_add(1);
      }
    });
  }
  for (auto& w : writers) w.join();
  std::cout << absl::StrFormat("  wrote %d tickets in %s (%d failed)\n", total,
                               absl::FormatDuration(absl::Now() - t),
                               failures.load());
}

// Phase 2: the bursts and their lateness, fired and on the stream.
void RunBursts(PostgresSlaStore& store, pqxx::connection& conn,
               const Settings& s) {
  const int bursts = s.bursts;
  const int burst_size = s.burst_size;
  const int pid = s.pid;
  const std::string& target = s.target;
  const std::string& token = s.token;
  const int64_t total = static_cast<int64_t>(bursts) * burst_size;
  // Leave time to write every burst before the first falls due.
  const absl::Time first_second =
      absl::FromUnixSeconds(absl::ToUnixSeconds(absl::Now())) +
      absl::Seconds(15 + total / 700);
  const absl::Duration gap = absl::Seconds(5);
  std::cout << "phase 2: " << bursts << " bursts of " << burst_size
            << " deadlines, each within one second, first at "
            << absl::FormatTime("%H:%M:%S", first_second, absl::UTCTimeZone())
            << " UTC\n";
  BreachWatcher watcher(target, token);
  WriteBursts(store, s, first_second, gap);
  Exec(conn, "NOTIFY cxdesk_sla_timers");
  if (absl::Now() >= first_second) {
    std::cout << "  WARNING: writing took past the first deadline; the "
                 "first burst measures a backlog\n";
  }
  const ProcSample burst0 = SampleProcess(pid);
  const absl::Time last_second = first_second + (bursts - 1) * gap;
  absl::SleepFor(last_second + absl::Seconds(3) - absl::Now());
  const absl::Time give_up = absl::Now() + absl::Seconds(60);
  const std::string burst_range = absl::StrCat(
      "ticket_id >= ", kBurstBase, " AND ticket_id < ", kBurstBase + total);
  while (absl::Now() < give_up &&
         Scalar(conn, absl::StrCat("SELECT count(*) FROM sla.timers WHERE ",
                                   burst_range,
                                   " AND metric = 'first_response' AND "
                                   "fired_at IS NULL")) > 0) {
    absl::SleepFor(absl::Milliseconds(200));
  }
  const ProcSample burst1 = SampleProcess(pid);
  absl::SleepFor(absl::Seconds(1));  // Let the stream deliver the tail.
  std::vector<std::vector<int64_t>> fired_us(bursts);
  {
    pqxx::nontransaction txn(conn);
    for (const auto& row : txn.exec(absl::StrCat(
             "SELECT ticket_id, (extract(epoch FROM fired_at) * 1000000)::"
             "bigint * 1000 - due_ns FROM sla.timers WHERE ",
             burst_range,
             " AND metric = 'first_response' AND outcome = 'fired'"))) {
      const int64_t b = (row[0].as<int64_t>() - kBurstBase) / burst_size;
      fired_us[b].push_back(row[1].as<int64_t>() / 1000);
    }
  }
  std::vector<std::vector<int64_t>> stream_us(bursts);
  for (const auto& [id, us] : watcher.lateness()) {
    stream_us[(id - kBurstBase) / burst_size].push_back(us);
  }
  std::vector<int64_t> all_fired, all_stream;
  for (int b = 0; b < bursts; ++b) {
    PrintQuantiles(absl::StrCat("burst ", b + 1, " fired - due"),
                   Summarize(fired_us[b]));
    PrintQuantiles(absl::StrCat("burst ", b + 1, " on WatchSlaEvents - due"),
                   Summarize(stream_us[b]));
    all_fired.insert(all_fired.end(), fired_us[b].begin(), fired_us[b].end());
    all_stream.insert(all_stream.end(), stream_us[b].begin(),
                      stream_us[b].end());
  }
  PrintQuantiles("all bursts fired - due", Summarize(all_fired));
  PrintQuantiles("all bursts on WatchSlaEvents - due", Summarize(all_stream));
  const double burst_seconds =
      absl::ToDoubleSeconds(last_second + absl::Seconds(3) - first_second);
  std::cout << absl::StrFormat(
      "  cxdesk-slad during the bursts: %.2f cores on average over %.0f s; "
      "RSS %s, peak %s\n",
      (burst1.cpu_seconds - burst0.cpu_seconds) / burst_seconds, burst_seconds,
      Mib(burst1.rss_kib), Mib(burst1.hwm_kib));
  std::cout << "  armed timers now: "
            << Scalar(conn,
                      "SELECT count(*) FROM sla.timers WHERE fired_at IS NULL")
            << "\n";
}

// Phase 3, data: `report_tickets` tickets with first response and
// resolution measured, spread over 30 days, inserted in bulk.
void InsertReportRows(pqxx::connection& conn, int64_t report_tickets) {
  std::cout << "phase 3: " << report_tickets
            << " tickets with first response and resolution measured, "
               "over 30 days\n";
  const absl::Time t = absl::Now();
  Exec(conn, absl::StrCat(
                 "INSERT INTO sla.tickets (ticket_id, policy_id, status, team, "
                 "assignee, csat, state, last_event_id, created_at, "
                 "updated_at) SELECT ",
                 kReportBase,
                 " + g, 'bench', 'solved', 'team-' || g % 10, 'agent-' || g % "
                 "50, CASE WHEN g % 3 = 0 THEN 1 + g % 5 END, '\\x'::bytea, g, "
                 "now(), now() FROM generate_series(1, ",
                 report_tickets, ") AS g"));
  Exec(conn,
       absl::StrCat(
           "INSERT INTO sla.measurements (ticket_id, metric, cycle, "
           "policy_id, calendar_id, target_ns, started_at, deadline, "
           "ended_at, state, breached, met_late, business_ns, calendar_ns, "
           "team, assignee, priority, kind, cx_level, channel) SELECT ",
           kReportBase,
           " + g, m.metric, 1, 'bench', 'bench-24x7', m.target, s, s + "
           "m.target * interval '1 microsecond' / 1000, s + d * interval "
           "'1 microsecond' / 1000, 'met', d > m.target, d > m.target, d, "
           "d, 'team-' || g % 10, 'agent-' || g % 50, (ARRAY['low', "
           "'normal', 'high', 'urgent'])[1 + g % 4], 'incident', '', 'web' "
           "FROM generate_series(1, ",
           report_tickets,
           ") AS g, LATERAL (SELECT now() - interval '30 days' + "
           "(g::float8 / ",
           report_tickets,
           ") * interval '30 days' AS s) AS st, LATERAL (VALUES "
           "('first_response', 3600000000000::bigint), ('resolution', "
           "86400000000000::bigint)) AS m (metric, target), LATERAL (SELECT "
           "(m.target * (0.2 + ((g::bigint * 7919) % 1000) / 800.0))::bigint "
           "AS d) "
           "AS dd"));
  Exec(conn, "VACUUM ANALYZE sla.measurements");
  Exec(conn, "VACUUM ANALYZE sla.tickets");
  std::cout << "  inserted in " << absl::FormatDuration(absl::Now() - t)
            << "; sla.measurements "
            << Mib(Scalar(conn,
                          "SELECT pg_total_relation_size('sla.measurements')") /
                   1024)
            << "\n";
}

// Phase 3, timing: GetSlaReport over 30 days, five calls per grouping.
void TimeReports(const std::string& target, const std::string& token) {
  auto stub = slapb::SlaService::NewStub(
      grpc::CreateChannel(target, grpc::InsecureChannelCredentials()));
  for (const auto& group : std::vector<std::vector<slapb::ReportDimension>>{
           {slapb::REPORT_DIMENSION_TEAM},
           {slapb::REPORT_DIMENSION_TEAM, slapb::REPORT_DIMENSION_PRIORITY},
           {}}) {
    std::vector<int64_t> took_us;
    int rows = 0;
    int64_t clocks = 0;
    for (int run = 0; run < 5; ++run) {
      slapb::GetSlaReportRequest request;
      common::ToProtoTimestamp(absl::Now() - absl::Hours(24 * 30),
                               request.mutable_start_time());
      common::ToProtoTimestamp(absl::Now(), request.mutable_end_time());
      for (auto d : group) request.add_group_by(d);
      slapb::SlaReport report;
      grpc::ClientContext context;
      context.AddMetadata("authorization", "Bearer " + token);
      context.set_deadline(
          absl::ToChronoTime(absl::Now() + absl::Seconds(120)));
      const absl::Time start = absl::Now();
      const grpc::Status status =
          stub->GetSlaReport(&context, request, &report);
      took_us.push_back(absl::ToInt64Microseconds(absl::Now() - start));
      if (!status.ok()) {
        std::cerr << "  GetSlaReport failed: " << status.error_message()
                  << "\n";
        break;
      }
      rows = report.rows_size();
      clocks = report.clocks();
    }
    std::string name = "GetSlaReport 30 days, group by";
    for (auto d : group) {
      absl::StrAppend(&name, " ", slapb::ReportDimension_Name(d).substr(17));
    }
    if (group.empty()) absl::StrAppend(&name, " nothing");
    std::cout << "  " << name << ": " << rows << " rows over " << clocks
              << " clocks\n";
    PrintQuantiles("  time (5 calls)", Summarize(took_us));
  }
}

int Run(int argc, char** argv) {
  std::cout << std::unitbuf;  // Progress shows as it happens.
  Settings settings;
  if (std::optional<int> exit_code = ParseSettings(argc, argv, settings)) {
    return *exit_code;
  }
  common::PgPool::Options options{settings.url, 8};
  options.queries = PostgresSlaStore::PreparedQueries();
  auto pool = common::PgPool::Create(options);
  if (!pool.ok()) {
    std::cerr << "sla-benchmark: " << pool.status() << "\n";
    return 1;
  }
  PostgresSlaStore store(**pool, nullptr, nullptr);
  pqxx::connection conn(settings.url);
  if (!Configure(store)) return 1;
  RunBackground(conn, settings);
  RunBursts(store, conn, settings);
  if (settings.report_tickets > 0) {
    InsertReportRows(conn, settings.report_tickets);
    TimeReports(settings.target, settings.token);
  }
  std::cout << "cxdesk-slad peak RSS over the run: "
            << Mib(SampleProcess(settings.pid).hwm_kib) << "\n";
  return 0;
}

}  // namespace
}  // namespace cxdesk::sla

int main(int argc, char** argv) { return cxdesk::sla::Run(argc, argv); }
