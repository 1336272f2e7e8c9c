// cxdesk-loadgen: drives the ticket service with synchronous calls from N
// worker threads over K gRPC channels (separate connections) and reports, per
// RPC, calls, errors by code, throughput and latency percentiles, plus the
// load generator's own CPU time so its cost is visible next to the server's.
//
//   export CXDESK_TOKEN=$(cxdesk token issue --role agent --subject lg)
//   cxdesk-loadgen --rpc create,get,comment --concurrency 16 --duration 30s
//
// Exit status: 0 when at most 1% of the measured calls failed, 1 otherwise
// or when setting up failed, 2 for a usage error.
#include <grpcpp/grpcpp.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "clients/common/arg_parser.h"
#include "clients/lib/ticket_client.h"
#include "clients/loadgen/latency_stats.h"
#include "cxdesk/ticket/v1/ticket_service.grpc.pb.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "services/common/grpc_status.h"
#include "services/common/status_macros.h"

namespace cxdesk::clients::loadgen {
namespace {

namespace ticketpb = ::cxdesk::ticket::v1;
using Clock = std::chrono::steady_clock;

enum class Rpc { kCreate, kGet, kComment };

const char* RpcName(Rpc rpc) {
  switch (rpc) {
    case Rpc::kCreate:
      return "create";
    case Rpc::kGet:
      return "get";
    case Rpc::kComment:
      return "comment";
  }
  return "?";
}

struct Options {
  std::string target = "127.0.0.1:7101";
  std::string token;
  std::vector<Rpc> rpcs;
  int concurrency = 4;
  int channels = 0;  // 0: min(concurrency, 8)
  absl::Duration duration = absl::Seconds(10);
  absl::Duration warmup = absl::Seconds(2);
  absl::Duration timeout = absl::Seconds(10);
  int pool_size = 100;
  bool json = false;
};

std::vector<FlagSpec> FlagSpecs() {
  return {
      {"target", "HOST:PORT",
       "the ticket service [env CXDESK_TICKET_ADDR, default 127.0.0.1:7101]"},
      {"token", "TOKEN",
       "an agent token, needed by get and comment [env CXDESK_TOKEN]"},
      {"rpc", "create|get|comment",
       "what to call; repeat or comma-separate to mix (default create)", false,
       true},
      {"concurrency", "N",
       "worker threads, each with one call in flight "
       "(default 4)"},
      {"channels", "K",
       "gRPC channels, i.e. connections (default min(concurrency, 8))"},
      {"duration", "DURATION", "how long to measure (default 10s)"},
      {"warmup", "DURATION", "how long to run before measuring (default 2s)"},
      {"timeout", "DURATION", "deadline of each call (default 10s)"},
      {"pool-size", "N",
       "tickets created first for get and comment to target (default 100)"},
      {"json", "", "print the report as one JSON document"},
  };
}

absl::StatusOr<int> ParsePositive(absl::string_view flag,
                                  absl::string_view text, int max) {
  int value = 0;
  if (!absl::SimpleAtoi(text, &value) || value < 1 || value > max) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--", flag, ": '", text, "' is not a whole number from 1 to ", max));
  }
  return value;
}

absl::StatusOr<absl::Duration> ParseDuration(absl::string_view flag,
                                             absl::string_view text,
                                             bool allow_zero) {
  absl::Duration d;
  if (!absl::ParseDuration(text, &d) || d < absl::ZeroDuration() ||
      (!allow_zero && d == absl::ZeroDuration()) ||
      d == absl::InfiniteDuration()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--", flag, ": '", text, "' is not a duration like 10s"));
  }
  return d;
}

// INVALID_ARGUMENT (a usage error) for bad flags; CANCELLED for --help.
absl::StatusOr<Options> ParseOptions(const std::vector<std::string>& args) {
  FlagParser parser;
  parser.AddAll(FlagSpecs());
  ParsedFlags flags;
  CXDESK_RETURN_IF_ERROR(parser.Parse(args, 0, false, &flags, nullptr));
  if (flags.help) return absl::CancelledError(parser.Help());
  if (!flags.positionals.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("unexpected argument '", flags.positionals[0], "'"));
  }
  auto env = [](const char* name) -> std::optional<std::string> {
    const char* value = std::getenv(name);
    if (value == nullptr || *value == '\0') return std::nullopt;
    return std::string(value);
  };
  Options options;
  if (flags.Has("target")) {
    options.target = flags.Get("target");
  } else if (auto value = env("CXDESK_TICKET_ADDR")) {
    options.target = *value;
  }
  if (flags.Has("token")) {
    options.token = flags.Get("token");
  } else if (auto value = env("CXDESK_TOKEN")) {
    options.token = *value;
  }
  for (absl::string_view word :
       absl::StrSplit(flags.Get("rpc", "create"), ',', absl::SkipEmpty())) {
    if (word == "create") {
      options.rpcs.push_back(Rpc::kCreate);
    } else if (word == "get") {
      options.rpcs.push_back(Rpc::kGet);
    } else if (word == "comment") {
      options.rpcs.push_back(Rpc::kComment);
    } else {
      return absl::InvalidArgumentError(absl::StrCat(
          "--rpc: '", word, "' is not one of create, get, comment"));
    }
  }
  if (options.rpcs.empty()) {
    return absl::InvalidArgumentError("--rpc: name at least one RPC");
  }
  if (flags.Has("concurrency")) {
    CXDESK_ASSIGN_OR_RETURN(
        options.concurrency,
        ParsePositive("concurrency", flags.Get("concurrency"), 4096));
  }
  options.channels = std::min(options.concurrency, 8);
  if (flags.Has("channels")) {
    CXDESK_ASSIGN_OR_RETURN(
        options.channels,
        ParsePositive("channels", flags.Get("channels"), 1024));
  }
  if (flags.Has("pool-size")) {
    CXDESK_ASSIGN_OR_RETURN(
        options.pool_size,
        ParsePositive("pool-size", flags.Get("pool-size"), 100000));
  }
  CXDESK_ASSIGN_OR_RETURN(
      options.duration,
      ParseDuration("duration", flags.Get("duration", "10s"), false));
  CXDESK_ASSIGN_OR_RETURN(
      options.warmup, ParseDuration("warmup", flags.Get("warmup", "2s"), true));
  CXDESK_ASSIGN_OR_RETURN(
      options.timeout,
      ParseDuration("timeout", flags.Get("timeout", "10s"), false));
  options.json = flags.Has("json");
  const bool needs_token = std::any_of(options.rpcs.begin(), options.rpcs.end(),
                                       [](Rpc r) { return r != Rpc::kCreate; });
  if (needs_token && options.token.empty()) {
    return absl::InvalidArgumentError(
        "get and comment need an agent token: pass --token or set "
        "CXDESK_TOKEN (cxdesk token issue --role agent --subject loadgen)");
  }
  return options;
}

// One call's context: credentials and deadline.
void Prepare(grpc::ClientContext* context, const Options& options) {
  if (!options.token.empty()) {
    context->AddMetadata(kAuthorizationHeader,
                         absl::StrCat("Bearer ", options.token));
  }
  context->set_deadline(absl::ToChronoTime(absl::Now() + options.timeout));
}

ticketpb::CreateTicketRequest CreateRequest(int worker, int64_t n) {
  ticketpb::CreateTicketRequest request;
  request.set_subject(absl::StrCat("loadgen ticket ", worker, "-", n));
  request.set_description("Created by cxdesk-loadgen.");
  // A handful of customers, so the customer table does not grow per call.
  request.set_customer_email(
      absl::StrCat("loadgen-", worker % 16, "@example.com"));
  request.set_channel(ticketpb::CHANNEL_API);
  request.add_tags("loadgen");
  return request;
}

// What one worker measured, per RPC: latencies of the calls that succeeded,
// and counts of the failed ones by code. Owned by its worker until joined.
struct WorkerResult {
  std::map<Rpc, std::vector<int64_t>> latencies_us;
  std::map<Rpc, std::map<grpc::StatusCode, int64_t>> errors;
};

grpc::Status Call(ticketpb::TicketService::Stub& stub, Rpc rpc,
                  const Options& options, const std::vector<int64_t>& pool,
                  std::mt19937_64& rng, int worker, int64_t n) {
  grpc::ClientContext context;
  Prepare(&context, options);
  switch (rpc) {
    case Rpc::kCreate: {
      ticketpb::CreateTicketResponse response;
      return stub.CreateTicket(&context, CreateRequest(worker, n), &response);
    }
    case Rpc::kGet: {
      ticketpb::GetTicketRequest request;
      request.set_ticket_id(pool[rng() % pool.size()]);
      ticketpb::Ticket response;
      return stub.GetTicket(&context, request, &response);
    }
    case Rpc::kComment: {
      ticketpb::AddCommentRequest request;
      request.set_ticket_id(pool[rng() % pool.size()]);
      // Internal notes change no status, so the pool stays commentable.
      request.set_visibility(ticketpb::VISIBILITY_INTERNAL);
      request.set_body("cxdesk-loadgen note");
      ticketpb::Comment response;
      return stub.AddComment(&context, request, &response);
    }
  }
  return grpc::Status(grpc::StatusCode::INTERNAL, "unknown rpc");
}

void RunWorker(int worker, ticketpb::TicketService::Stub& stub,
               const Options& options, const std::vector<int64_t>& pool,
               Clock::time_point measure_start, Clock::time_point end,
               WorkerResult* result) {
  std::mt19937_64 rng(0x5eed + worker);
  for (int64_t n = 0;; ++n) {
    const Clock::time_point start = Clock::now();
    if (start >= end) break;
    // Workers start at different RPCs, so a mix is mixed at every instant.
    const Rpc rpc = options.rpcs[(worker + n) % options.rpcs.size()];
    const grpc::Status status = Call(stub, rpc, options, pool, rng, worker, n);
    const Clock::time_point finish = Clock::now();
    if (start < measure_start) continue;  // Warm-up.
    if (status.ok()) {
      result->latencies_us[rpc].push_back(
          std::chrono::duration_cast<std::chrono::microseconds>(finish - start)
              .count());
    } else {
      ++result->errors[rpc][status.error_code()];
    }
  }
}

double CpuSeconds(const timeval& tv) {
  return static_cast<double>(tv.tv_sec) + tv.tv_usec / 1e6;
}

struct CpuSample {
  double user = 0;
  double sys = 0;
};

CpuSample ProcessCpu() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return {CpuSeconds(usage.ru_utime), CpuSeconds(usage.ru_stime)};
}

std::string CodeName(grpc::StatusCode code) {
  return absl::StatusCodeToString(static_cast<absl::StatusCode>(code));
}

// The measurements of one RPC, merged over the workers.
struct Row {
  Rpc rpc;
  int64_t errors = 0;
  std::map<grpc::StatusCode, int64_t> by_code;
  LatencySummary latency;
};

// What a run measured: one row per distinct RPC in the order first named,
// the totals and the load generator's own CPU time.
struct Report {
  std::vector<Row> rows;
  int64_t total_calls = 0;
  int64_t total_errors = 0;
  double measured_s = 0;
  double cpu_user = 0;
  double cpu_sys = 0;
  bool failed = false;
};

// Merges the workers' results, one row per distinct RPC in the order first
// named.
std::vector<Row> MergeResults(const Options& options,
                              std::vector<WorkerResult>& results,
                              int64_t* total_calls, int64_t* total_errors) {
  std::vector<Rpc> kinds;
  for (Rpc r : options.rpcs) {
    if (std::find(kinds.begin(), kinds.end(), r) == kinds.end()) {
      kinds.push_back(r);
    }
  }
  std::vector<Row> rows;
  for (Rpc rpc : kinds) {
    Row row;
    row.rpc = rpc;
    std::vector<int64_t> samples;
    for (WorkerResult& r : results) {
      std::vector<int64_t>& l = r.latencies_us[rpc];
      samples.insert(samples.end(), l.begin(), l.end());
      for (auto [code, n] : r.errors[rpc]) {
        row.by_code[code] += n;
        row.errors += n;
      }
    }
    row.latency = Summarize(std::move(samples));
    *total_calls += row.latency.count + row.errors;
    *total_errors += row.errors;
    rows.push_back(std::move(row));
  }
  return rows;
}

// Prints `report` as one JSON object; false if it cannot be printed.
bool PrintJsonReport(const Options& options, const Report& report) {
  const std::vector<Row>& rows = report.rows;
  const double measured_s = report.measured_s;
  google::protobuf::Struct json_report;
  auto& f = *json_report.mutable_fields();
  f["target"].set_string_value(options.target);
  f["concurrency"].set_number_value(options.concurrency);
  f["channels"].set_number_value(options.channels);
  f["warmup_s"].set_number_value(absl::ToDoubleSeconds(options.warmup));
  f["duration_s"].set_number_value(measured_s);
  auto* list = f["rpcs"].mutable_list_value();
  for (const Row& row : rows) {
    auto& r = *list->add_values()->mutable_struct_value()->mutable_fields();
    r["rpc"].set_string_value(RpcName(row.rpc));
    r["calls"].set_number_value(row.latency.count + row.errors);
    r["ok"].set_number_value(row.latency.count);
    r["errors"].set_number_value(row.errors);
    auto& codes = *r["errors_by_code"].mutable_struct_value()->mutable_fields();
    for (auto [code, n] : row.by_code)
      codes[CodeName(code)].set_number_value(n);
    r["throughput_per_s"].set_number_value(row.latency.count / measured_s);
    r["p50_ms"].set_number_value(row.latency.p50_ms);
    r["p90_ms"].set_number_value(row.latency.p90_ms);
    r["p99_ms"].set_number_value(row.latency.p99_ms);
    r["max_ms"].set_number_value(row.latency.max_ms);
    r["mean_ms"].set_number_value(row.latency.mean_ms);
  }
  f["cpu_user_s"].set_number_value(report.cpu_user);
  f["cpu_sys_s"].set_number_value(report.cpu_sys);
  f["failed"].set_bool_value(report.failed);
  std::string json;
  if (!google::protobuf::util::MessageToJsonString(json_report, &json).ok()) {
    std::cerr << "cxdesk-loadgen: cannot print the report as JSON\n";
    return false;
  }
  std::cout << json << "\n";
  return true;
}

// Prints `report` as a table and a line of CPU time.
void PrintTextReport(const Options& options, const Report& report) {
  const std::vector<Row>& rows = report.rows;
  const double measured_s = report.measured_s;
  const double cpu_user = report.cpu_user;
  const double cpu_sys = report.cpu_sys;
  std::vector<std::string> names;
  for (Rpc r : options.rpcs) names.push_back(RpcName(r));
  std::cout << absl::StrFormat(
      "cxdesk-loadgen: %s, %d workers on %d channels, rpc %s, warm-up %s, "
      "measured %s\n\n",
      options.target, options.concurrency, options.channels,
      absl::StrJoin(names, ","), absl::FormatDuration(options.warmup),
      absl::FormatDuration(options.duration));
  std::cout << absl::StrFormat("%-8s %10s %8s %10s %9s %9s %9s %9s\n", "rpc",
                               "calls", "errors", "ok/s", "p50 ms", "p90 ms",
                               "p99 ms", "max ms");
  for (const Row& row : rows) {
    std::cout << absl::StrFormat(
        "%-8s %10d %8d %10.1f %9.2f %9.2f %9.2f %9.2f\n", RpcName(row.rpc),
        row.latency.count + row.errors, row.errors,
        row.latency.count / measured_s, row.latency.p50_ms, row.latency.p90_ms,
        row.latency.p99_ms, row.latency.max_ms);
  }
  for (const Row& row : rows) {
    if (row.by_code.empty()) continue;
    std::vector<std::string> parts;
    for (auto [code, n] : row.by_code) {
      parts.push_back(absl::StrCat(CodeName(code), " x", n));
    }
    std::cout << "  errors of " << RpcName(row.rpc) << ": "
              << absl::StrJoin(parts, ", ") << "\n";
  }
  std::cout << absl::StrFormat(
      "\nloadgen cpu: %.2f s user + %.2f s sys = %.2f s in %.1f s (%.2f "
      "cores)\n",
      cpu_user, cpu_sys, cpu_user + cpu_sys, measured_s,
      (cpu_user + cpu_sys) / measured_s);
}

int Run(const Options& options) {
  // Separate channels are separate connections only if their arguments
  // differ and they do not share the global subchannel pool.
  std::vector<std::unique_ptr<ticketpb::TicketService::Stub>> stubs;
  for (int i = 0; i < options.channels; ++i) {
    grpc::ChannelArguments args;
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    args.SetInt("cxdesk.loadgen_channel_id", i);
    std::shared_ptr<grpc::Channel> channel = grpc::CreateCustomChannel(
        options.target, grpc::InsecureChannelCredentials(), args);
    if (!channel->WaitForConnected(
            absl::ToChronoTime(absl::Now() + absl::Seconds(5)))) {
      std::cerr << "cxdesk-loadgen: error: "
                << DescribeError(absl::UnavailableError(""), options.target)
                << "\n";
      return 1;
    }
    stubs.push_back(ticketpb::TicketService::NewStub(channel));
  }

  std::vector<int64_t> pool;
  const bool needs_pool = std::any_of(options.rpcs.begin(), options.rpcs.end(),
                                      [](Rpc r) { return r != Rpc::kCreate; });
  if (needs_pool) {
    for (int i = 0; i < options.pool_size; ++i) {
      grpc::ClientContext context;
      Prepare(&context, options);
      ticketpb::CreateTicketResponse response;
      grpc::Status status = stubs[i % stubs.size()]->CreateTicket(
          &context, CreateRequest(-1, i), &response);
      if (!status.ok()) {
        std::cerr << "cxdesk-loadgen: error creating the ticket pool: "
                  << DescribeError(common::FromGrpcStatus(status),
                                   options.target)
                  << "\n";
        return 1;
      }
      pool.push_back(response.ticket().id());
    }
  }

  const Clock::time_point begin = Clock::now();
  const Clock::time_point measure_start =
      begin + absl::ToChronoNanoseconds(options.warmup);
  const Clock::time_point end =
      measure_start + absl::ToChronoNanoseconds(options.duration);
  std::vector<WorkerResult> results(options.concurrency);
  std::vector<std::thread> workers;
  for (int w = 0; w < options.concurrency; ++w) {
    workers.emplace_back(RunWorker, w, std::ref(*stubs[w % stubs.size()]),
                         std::cref(options), std::cref(pool), measure_start,
                         end, &results[w]);
  }
  std::this_thread::sleep_until(measure_start);
  const CpuSample cpu_start = ProcessCpu();
  for (std::thread& t : workers) t.join();
  const CpuSample cpu_end = ProcessCpu();
  const double measured_s = absl::ToDoubleSeconds(options.duration);

  Report report;
  report.rows =
      MergeResults(options, results, &report.total_calls, &report.total_errors);
  report.measured_s = measured_s;
  report.cpu_user = cpu_end.user - cpu_start.user;
  report.cpu_sys = cpu_end.sys - cpu_start.sys;
  report.failed = TooManyErrors(report.total_calls, report.total_errors);
  if (options.json) {
    if (!PrintJsonReport(options, report)) return 1;
  } else {
    PrintTextReport(options, report);
  }
  if (report.failed) {
    std::cerr << absl::StrFormat(
        "cxdesk-loadgen: FAILED: %d of %d calls failed (more than 1%%)\n",
        report.total_errors, report.total_calls);
    return 1;
  }
  return 0;
}

}  // namespace
}  // namespace cxdesk::clients::loadgen

int main(int argc, char** argv) {
  using namespace cxdesk::clients::loadgen;  // NOLINT: main only.
  const std::vector<std::string> args(argv + 1, argv + argc);
  absl::StatusOr<Options> options = ParseOptions(args);
  if (options.status().code() == absl::StatusCode::kCancelled) {
    std::cout << "usage: cxdesk-loadgen [flags]\n\n"
              << options.status().message();
    return 0;
  }
  if (!options.ok()) {
    std::cerr << "cxdesk-loadgen: " << options.status().message()
              << "\n(run 'cxdesk-loadgen --help' for usage)\n";
    return 2;
  }
  return Run(*options);
}
