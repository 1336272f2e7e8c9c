#include "clients/status/status_commands.h"

#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <iterator>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "clients/common/arg_parser.h"
#include "clients/common/arg_values.h"
#include "clients/common/enum_words.h"
#include "clients/common/error_words.h"
#include "clients/status/status_view.h"
#include "services/common/json_text.h"
#include "services/common/proto_time.h"

namespace cxdesk::clients::status {

using ::cxdesk::common::JsonQuote;
namespace {

namespace ticketpb = ::cxdesk::ticket::v1;

constexpr char kDefaultTarget[] = "127.0.0.1:7101";
constexpr char kProgram[] = "cxdesk-status";

// Why a command did not succeed: the exit code, the code word for --json
// ("INVALID_ARGUMENT" for usage errors, else the server's code) and the
// message for the customer.
struct Failure {
  int exit_code = kExitError;
  std::string code;
  std::string message;
};
// nullopt when the command succeeded.
using Outcome = std::optional<Failure>;

Failure Usage(std::string message) {
  return {kExitUsage, "INVALID_ARGUMENT", std::move(message)};
}

Failure FromService(const absl::Status& status, absl::string_view target,
                    int64_t ticket_id, std::string message = "") {
  if (message.empty()) {
    message = DescribeCustomerError(status, target, ticket_id);
  }
  return {kExitError, absl::StatusCodeToString(status.code()),
          std::move(message)};
}

std::vector<FlagSpec> GlobalFlags() {
  return {
      {"target", "HOST:PORT",
       "the help desk's ticket service [env CXDESK_TICKET_ADDR, default "
       "127.0.0.1:7101]"},
      {"json", "", "print one JSON object (errors too) for scripts"},
      {"timeout", "DURATION",
       "how long to wait for the help desk (default "
       "10s)"},
      {"tz", "ZONE",
       "show times in this time zone, e.g. Europe/Berlin (default: your "
       "local zone, TZ)"},
  };
}

FlagSpec KeyFlag() {
  return {"key", "KEY",
          "the access key from your confirmation message [env "
          "CXDESK_ACCESS_KEY]"};
}

// One command: its name, positional synopsis and own flags.
struct Command {
  std::string name;  // "show", "reply", "rate", "open"
  std::string synopsis;
  std::string summary;
  std::vector<FlagSpec> flags;
};

const std::vector<Command>& Commands() {
  static const auto* commands = new std::vector<Command>{
      {"show",
       "TICKET_ID --key KEY",
       "how your request stands: the status in plain words, when we will "
       "reply, the conversation and your rating",
       {KeyFlag()}},
      {"reply",
       "reply TICKET_ID --key KEY [--message TEXT]",
       "add your reply to the conversation (without --message, the text is "
       "read from standard input)",
       {KeyFlag(), {"message", "TEXT", "your reply"}}},
      {"rate",
       "rate TICKET_ID --key KEY --score 1..5 [--comment TEXT]",
       "tell us how we did, once the request is solved (one rating per "
       "request)",
       {KeyFlag(),
        {"score", "1..5", "1 very unhappy .. 5 very happy", true},
        {"comment", "TEXT", "anything you want to add"}}},
      {"open",
       "open --email E --subject S [flags]",
       "open a new request; prints its number and the access key to keep "
       "(without --description, the text is read from standard input)",
       {{"email", "E", "your e-mail address", true},
        {"subject", "S", "one line saying what it is about", true},
        {"name", "N", "your name"},
        {"description", "TEXT", "what happened, in your words"},
        {"kind", "KIND", "one of " + KindWords() + " (default question)"},
        {"cx-level", "LEVEL", "for a complaint: one of " + CxLevelWords()}}},
  };
  return *commands;
}

const Command* FindCommand(absl::string_view name) {
  for (const Command& c : Commands()) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

std::string TopUsage() {
  std::string out = "usage:\n";
  for (const Command& c : Commands()) {
    absl::StrAppend(&out, "  ", kProgram, " ", c.synopsis, "\n      ",
                    c.summary, "\n");
  }
  FlagParser global;
  global.AddAll(GlobalFlags());
  global.Add(KeyFlag());
  absl::StrAppend(
      &out, "\nglobal flags (anywhere on the line):\n", global.Help(),
      "\nRun 'cxdesk-status COMMAND --help' for a command's flags.\n"
      "Exit status: 0 done, 1 the help desk refused or cannot be reached, 2 "
      "the command line is wrong.\n");
  return out;
}

std::string CommandUsage(const Command& command) {
  FlagParser own;
  own.AddAll(command.flags);
  FlagParser global;
  global.AddAll(GlobalFlags());
  return absl::StrCat("usage: ", kProgram, " ", command.synopsis, "\n\n",
                      command.summary, "\n\nflags:\n", own.Help(),
                      "\nglobal flags:\n", global.Help());
}

struct Options {
  std::string target;
  bool json = false;
  absl::Duration timeout = TicketClient::kDefaultTimeout;
  absl::TimeZone tz;
  std::string key;
};

// The state of one run of one command.
class Run {
 public:
  Run(const StatusEnvironment& env, const Command& command, ParsedFlags flags,
      Options options)
      : env_(env),
        command_(command),
        flags_(std::move(flags)),
        options_(std::move(options)),
        now_(env.now()) {}

  Outcome Execute() {
    if (command_.name == "open") return Open();
    if (flags_.positionals.empty()) {
      return Usage(absl::StrCat("missing TICKET_ID (usage: ", kProgram, " ",
                                command_.synopsis, ")"));
    }
    if (flags_.positionals.size() > 1) {
      return Usage(
          absl::StrCat("unexpected argument '", flags_.positionals[1], "'"));
    }
    absl::StatusOr<int64_t> id =
        ParseTicketId("TICKET_ID", flags_.positionals[0]);
    if (!id.ok()) return Usage(std::string(id.status().message()));
    id_ = *id;
    if (options_.key.empty()) {
      return Usage(
          "--key: the access key is missing (give --key KEY or set "
          "CXDESK_ACCESS_KEY; it is in your confirmation message)");
    }
    if (command_.name == "reply") return Reply();
    if (command_.name == "rate") return Rate();
    return Show();
  }

 private:
  std::ostream& out() { return *env_.out; }

  TicketClient& client(CallCredentials credentials) {
    if (client_ == nullptr) {
      client_ = env_.connect(options_.target, std::move(credentials),
                             options_.timeout);
    }
    return *client_;
  }
  // A customer's calls carry the access key only, never a staff token.
  TicketClient& customer() { return client({"", options_.key}); }

  // The text of --`flag`, or standard input when the flag is absent;
  // trailing white space removed. A usage error when it ends up empty.
  absl::StatusOr<std::string> TextOrStdin(absl::string_view flag,
                                          absl::string_view what) {
    std::string text;
    if (flags_.Has(flag)) {
      text = flags_.Get(flag);
    } else if (env_.in != nullptr) {
      if (env_.in_is_terminal) {
        *env_.err << "Type " << what
                  << ", then press Ctrl-D on a new line to send it:\n";
      }
      text.assign(std::istreambuf_iterator<char>(*env_.in),
                  std::istreambuf_iterator<char>());
    }
    absl::StripTrailingAsciiWhitespace(&text);
    if (absl::StripLeadingAsciiWhitespace(text).empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--", flag, ": ", what, " is empty (give --", flag,
                       " TEXT, or write it on standard input)"));
    }
    return text;
  }

  Outcome Show() {
    ticketpb::GetTicketStatusRequest request;
    request.set_ticket_id(id_);
    absl::StatusOr<ticketpb::TicketStatusView> view =
        customer().GetTicketStatus(request);
    if (!view.ok()) return FromService(view.status(), options_.target, id_);
    if (options_.json) {
      out() << RenderStatusJson(*view, now_, options_.tz) << "\n";
    } else {
      out() << RenderStatusText(*view, now_, options_.tz);
    }
    return std::nullopt;
  }

  Outcome Reply() {
    absl::StatusOr<std::string> body = TextOrStdin("message", "your message");
    if (!body.ok()) return Usage(std::string(body.status().message()));
    ticketpb::AddCommentRequest request;
    request.set_ticket_id(id_);
    request.set_visibility(ticketpb::VISIBILITY_PUBLIC);
    request.set_body(*body);
    absl::StatusOr<ticketpb::Comment> added = customer().AddComment(request);
    if (!added.ok()) {
      std::string message;
      if (absl::IsFailedPrecondition(added.status()) &&
          absl::StrContains(added.status().message(), "closed")) {
        message = absl::StrCat(
            "Ticket ", id_,
            " is closed and takes no more replies. If you need more help, "
            "open a new request with '",
            kProgram, " open'.");
      }
      return FromService(added.status(), options_.target, id_,
                         std::move(message));
    }
    if (options_.json) {
      out() << "{\"ticket_id\":" << id_
            << ",\"added\":{\"author\":" << JsonQuote(AuthorLabel(*added))
            << ",\"author_role\":\"customer\",\"public\":true,\"time\":"
            << (added->has_create_time()
                    ? JsonQuote(Rfc3339(
                          common::FromProtoTimestamp(added->create_time())))
                    : "null")
            << ",\"body\":" << JsonQuote(added->body()) << "}}\n";
    } else {
      out() << "Thank you: your reply was added to ticket " << id_ << ".\n"
            << "See the conversation with: " << kProgram << " " << id_
            << " --key KEY\n";
    }
    return std::nullopt;
  }

  Outcome Rate() {
    absl::StatusOr<int64_t> score =
        ParseInt("--score", flags_.Get("score"), 1, 5);
    if (!score.ok()) return Usage(std::string(score.status().message()));
    ticketpb::RateTicketRequest request;
    request.set_ticket_id(id_);
    request.set_score(static_cast<int32_t>(*score));
    request.set_comment(flags_.Get("comment"));
    absl::StatusOr<ticketpb::Ticket> rated = customer().RateTicket(request);
    if (!rated.ok()) {
      std::string message;
      if (absl::IsFailedPrecondition(rated.status())) {
        const absl::string_view why = rated.status().message();
        if (absl::StrContains(why, "already rated")) {
          message = absl::StrCat("You have already rated ticket ", id_,
                                 "; a request takes one rating. Thank you!");
        } else if (absl::StrContains(why, "once solved")) {
          message = absl::StrCat(
              "Ticket ", id_,
              " is not solved yet, so it cannot be rated. You can rate it "
              "once we have solved it.");
        } else {
          message =
              absl::StrCat("Ticket ", id_, " cannot be rated now: ", why, ".");
        }
      }
      return FromService(rated.status(), options_.target, id_,
                         std::move(message));
    }
    if (options_.json) {
      out() << "{\"ticket_id\":" << id_
            << ",\"rating\":{\"score\":" << rated->rating().score()
            << ",\"comment\":" << JsonQuote(rated->rating().comment())
            << "}}\n";
    } else {
      out() << "Thank you! You rated ticket " << id_ << " "
            << rated->rating().score() << "/5.\n";
    }
    return std::nullopt;
  }

  Outcome Open() {
    if (!flags_.positionals.empty()) {
      return Usage(
          absl::StrCat("unexpected argument '", flags_.positionals[0], "'"));
    }
    ticketpb::CreateTicketRequest request;
    request.set_customer_email(flags_.Get("email"));
    request.set_subject(flags_.Get("subject"));
    request.set_customer_name(flags_.Get("name"));
    if (flags_.Has("kind")) {
      absl::StatusOr<ticketpb::Kind> kind =
          ParseKind("--kind", flags_.Get("kind"));
      if (!kind.ok()) return Usage(std::string(kind.status().message()));
      request.set_kind(*kind);
    }
    if (flags_.Has("cx-level")) {
      absl::StatusOr<ticketpb::CxLevel> level =
          ParseCxLevel("--cx-level", flags_.Get("cx-level"));
      if (!level.ok()) return Usage(std::string(level.status().message()));
      request.set_cx_level(*level);
    }
    // The server checks these too, naming its field; here the flags are
    // named, before the customer types a description for nothing.
    if (request.kind() == ticketpb::KIND_COMPLAINT &&
        request.cx_level() == ticketpb::CX_LEVEL_UNSPECIFIED) {
      return Usage(absl::StrCat("--cx-level: a complaint needs one of ",
                                CxLevelWords()));
    }
    if (request.kind() != ticketpb::KIND_COMPLAINT &&
        request.cx_level() != ticketpb::CX_LEVEL_UNSPECIFIED) {
      return Usage(
          "--cx-level: only a complaint (--kind complaint) has a CX level");
    }
    absl::StatusOr<std::string> description =
        TextOrStdin("description", "the description");
    if (!description.ok()) {
      return Usage(std::string(description.status().message()));
    }
    request.set_description(*description);
    // Opening needs no credentials; a customer has none yet.
    absl::StatusOr<ticketpb::CreateTicketResponse> created =
        client({}).CreateTicket(request);
    if (!created.ok()) {
      return FromService(created.status(), options_.target, 0);
    }
    const int64_t id = created->ticket().id();
    const std::string check =
        absl::StrCat(kProgram, " ", id, " --key ", created->access_key());
    if (options_.json) {
      out() << "{\"ticket_id\":" << id
            << ",\"access_key\":" << JsonQuote(created->access_key())
            << ",\"subject\":" << JsonQuote(created->ticket().subject())
            << ",\"status\":"
            << JsonQuote(StatusKey(created->ticket().status()))
            << ",\"status_text\":"
            << JsonQuote(StatusText(created->ticket().status()))
            << ",\"check_command\":" << JsonQuote(check) << "}\n";
    } else {
      out() << "Thank you, we have received your request.\n\n"
            << "  Ticket number: " << id << "\n"
            << "  Access key:    " << created->access_key() << "\n\n"
            << "Keep the access key: it is shown only this once, and with "
               "the ticket number\n"
            << "it lets you follow your request. Check it any time with:\n"
            << "  " << check << "\n";
    }
    return std::nullopt;
  }

  const StatusEnvironment& env_;
  const Command& command_;
  const ParsedFlags flags_;
  const Options options_;
  const absl::Time now_;
  int64_t id_ = 0;
  std::unique_ptr<TicketClient> client_;
};

absl::StatusOr<Options> ResolveOptions(const ParsedFlags& flags,
                                       const StatusEnvironment& env) {
  auto pick = [&](absl::string_view flag,
                  const std::string& var) -> std::string {
    if (flags.Has(flag)) return flags.Get(flag);
    if (std::optional<std::string> value = env.getenv(var); value.has_value()) {
      return *value;
    }
    return "";
  };
  Options options;
  options.target = pick("target", "CXDESK_TICKET_ADDR");
  if (options.target.empty() && !flags.Has("target")) {
    options.target = kDefaultTarget;
  }
  const size_t colon = options.target.rfind(':');
  if (colon == std::string::npos || colon == 0 ||
      colon + 1 == options.target.size()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--target: '", options.target,
                     "' is not HOST:PORT (e.g. 127.0.0.1:7101)"));
  }
  options.json = flags.Has("json");
  if (flags.Has("timeout")) {
    absl::StatusOr<absl::Duration> timeout =
        ParseDurationFlag("--timeout", flags.Get("timeout"));
    if (!timeout.ok()) return timeout.status();
    options.timeout = *timeout;
  }
  options.tz = env.tz;
  if (flags.Has("tz")) {
    const std::string zone = flags.Get("tz");
    if (zone.empty() || !absl::LoadTimeZone(zone, &options.tz)) {
      return absl::InvalidArgumentError(
          absl::StrCat("--tz: '", zone,
                       "' is not a known time zone (e.g. Europe/Berlin, "
                       "America/New_York, UTC)"));
    }
  }
  options.key = pick("key", "CXDESK_ACCESS_KEY");
  return options;
}

// Parses the command line and runs the command; nullopt on success. Sets
// `*command` once the command is known, for the usage hint of a failure.
Outcome Dispatch(const std::vector<std::string>& args,
                 const StatusEnvironment& env, const Command** command) {
  FlagParser global_parser;
  global_parser.AddAll(GlobalFlags());
  global_parser.Add(KeyFlag());
  ParsedFlags flags;
  size_t next = 0;
  absl::Status parsed =
      global_parser.Parse(args, 0,
                          /*stop_at_positional=*/true, &flags, &next);
  if (!parsed.ok()) return Usage(std::string(parsed.message()));
  if (next == args.size() || args[next] == "help") {
    if (flags.help || next < args.size()) {
      *env.out << TopUsage();
      return std::nullopt;
    }
    return Usage(
        "which ticket? (give a ticket number, or one of: reply, rate, open)");
  }
  const std::string& word = args[next];
  const Command* spec = FindCommand(word);
  size_t begin = next + 1;
  if (spec == nullptr) {
    if (!ParseTicketId("TICKET_ID", word).ok()) {
      return Usage(absl::StrCat(
          "unknown command '", word,
          "' (give a ticket number, or one of: reply, rate, open)"));
    }
    spec = FindCommand("show");
    begin = next;  // the ticket number is the first positional
  }
  *command = spec;
  FlagParser parser;
  parser.AddAll(GlobalFlags());
  parser.AddAll(spec->flags);
  if (spec->name == "open") parser.Add(KeyFlag());  // harmless, ignored
  absl::Status rest =
      parser.Parse(args, begin, /*stop_at_positional=*/false, &flags, nullptr);
  if (!rest.ok()) return Usage(std::string(rest.message()));
  if (flags.help) {
    *env.out << CommandUsage(*spec);
    return std::nullopt;
  }
  FlagParser own;
  own.AddAll(spec->flags);
  if (absl::Status required = own.CheckRequired(flags); !required.ok()) {
    return Usage(std::string(required.message()));
  }
  absl::StatusOr<Options> options = ResolveOptions(flags, env);
  if (!options.ok()) return Usage(std::string(options.status().message()));
  Run run(env, *spec, std::move(flags), *std::move(options));
  return run.Execute();
}

// Whether --json appears among the flags (before any "--"), so that even an
// error in parsing the command line is reported as JSON.
bool WantsJson(const std::vector<std::string>& args) {
  for (const std::string& arg : args) {
    if (arg == "--") return false;
    if (arg == "--json") return true;
  }
  return false;
}

}  // namespace

std::string DescribeCustomerError(const absl::Status& status,
                                  absl::string_view target, int64_t ticket_id) {
  return DescribeStatus(status, ErrorVoice::kCustomer,
                        {"", std::string(target), ticket_id});
}

StatusEnvironment ProcessStatusEnvironment() {
  StatusEnvironment env;
  env.getenv = [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
  env.tz = absl::LocalTimeZone();
  env.now = [] { return absl::Now(); };
  env.connect = [](const std::string& target, CallCredentials credentials,
                   absl::Duration timeout) {
    return TicketClient::Connect(target, std::move(credentials), timeout);
  };
  env.in = &std::cin;
  env.in_is_terminal = isatty(STDIN_FILENO) == 1;
  env.out = &std::cout;
  env.err = &std::cerr;
  return env;
}

int RunStatus(const std::vector<std::string>& args,
              const StatusEnvironment& env) {
  const Command* command = nullptr;
  const Outcome outcome = Dispatch(args, env, &command);
  if (!outcome.has_value()) {
    env.out->flush();
    return kExitOk;
  }
  if (WantsJson(args)) {
    *env.out << RenderErrorJson(outcome->code, outcome->message) << "\n";
  } else if (outcome->exit_code == kExitUsage) {
    const std::string help =
        command == nullptr || command->name == "show"
            ? absl::StrCat(kProgram, " --help")
            : absl::StrCat(kProgram, " ", command->name, " --help");
    *env.err << kProgram << ": " << outcome->message << "\n(run '" << help
             << "' for usage)\n";
  } else {
    *env.err << outcome->message << "\n";
  }
  env.out->flush();
  return outcome->exit_code;
}

}  // namespace cxdesk::clients::status
