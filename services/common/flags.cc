#include "services/common/flags.h"

#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/common/text.h"

namespace cxdesk::common {

void FlagSet::Add(std::string name, std::string env, std::string default_value,
                  std::string help) {
  order_.push_back(name);
  flags_[std::move(name)] =
      Flag{std::move(env), std::move(default_value), std::move(help)};
}

absl::Status FlagSet::Parse(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    absl::string_view arg = argv[i];
    if (arg == "--help" || arg == "-h") return absl::CancelledError("help");
    if (!absl::StartsWith(arg, "--")) {
      return absl::InvalidArgumentError(
          absl::StrCat("unexpected argument ", common::Excerpt(arg)));
    }
    arg.remove_prefix(2);
    std::string name, value;
    bool has_value = false;
    if (size_t eq = arg.find('='); eq != absl::string_view::npos) {
      name = std::string(arg.substr(0, eq));
      value = std::string(arg.substr(eq + 1));
      has_value = true;
    } else {
      name = std::string(arg);
    }
    auto it = flags_.find(name);
    if (it == flags_.end()) {
      return absl::InvalidArgumentError(absl::StrCat("unknown flag --", name));
    }
    if (!has_value) {
      if (i + 1 >= argc) {
        return absl::InvalidArgumentError(
            absl::StrCat("flag --", name, " needs a value"));
      }
      value = argv[++i];
    }
    it->second.value = std::move(value);
    it->second.set = true;
  }
  for (auto& [name, flag] : flags_) {
    if (flag.set || flag.env.empty()) continue;
    if (const char* env = std::getenv(flag.env.c_str()); env && *env) {
      flag.value = env;
    }
  }
  return absl::OkStatus();
}

const std::string& FlagSet::Get(absl::string_view name) const {
  auto it = flags_.find(name);
  if (it == flags_.end()) std::abort();  // A programming error, not input.
  return it->second.value;
}

std::string FlagSet::Usage() const {
  std::string out = absl::StrCat("usage: ", program_, " [flags]\n");
  for (const std::string& name : order_) {
    const Flag& flag = flags_.find(name)->second;
    absl::StrAppend(&out, "  --", name, "  ", flag.help);
    if (!flag.env.empty()) absl::StrAppend(&out, " [env ", flag.env, "]");
    absl::StrAppend(&out, " (default: '", flag.value, "')\n");
  }
  return out;
}

absl::StatusOr<std::string> OptionalLoopbackTarget(const FlagSet& flags,
                                                   absl::string_view name) {
  const std::string& target = flags.Get(name);
  if (target == "none") return std::string();
  absl::Status valid = ValidateLoopbackTarget(absl::StrCat("--", name), target);
  if (!valid.ok()) return valid;
  return target;
}

std::string ReplicaName(const std::string& name) {
  if (!name.empty()) return name;
  char host[256] = {0};
  gethostname(host, sizeof(host) - 1);
  return absl::StrCat(host, "-", getpid());
}

absl::Status ValidateLoopbackTarget(absl::string_view flag,
                                    absl::string_view target) {
  const size_t colon = target.rfind(':');
  int port = 0;
  if (colon == absl::string_view::npos ||
      !absl::SimpleAtoi(target.substr(colon + 1), &port) || port < 1 ||
      port > 65535) {
    return absl::InvalidArgumentError(absl::StrCat(
        flag, ": expected host:port, got ", common::Excerpt(target)));
  }
  const absl::string_view host = target.substr(0, colon);
  if (host != "localhost" && host != "[::1]" &&
      !absl::StartsWith(host, "127.")) {
    return absl::InvalidArgumentError(
        absl::StrCat(flag,
                     ": must be a loopback address (127.x.x.x, localhost or "
                     "[::1]), got ",
                     common::Excerpt(target)));
  }
  return absl::OkStatus();
}

void AddServerFlags(FlagSet& flags, const std::string& listen_env,
                    const std::string& listen_default,
                    const std::string& pool_env,
                    const std::string& pool_default) {
  flags.Add("database-url", "CXDESK_DATABASE_URL", "",
            "PostgreSQL URL, e.g. postgresql://user@127.0.0.1:5432/cxdesk");
  flags.Add("listen", listen_env, listen_default,
            "gRPC listen address (host:port; port 0 picks one)");
  flags.Add("token-secret-file", "CXDESK_TOKEN_SECRET_FILE",
            ".cxdesk/token-secret", "file holding the token signing secret");
  flags.Add("port-file", "", "", "write the bound port here once serving");
  flags.Add("pool-size", pool_env, pool_default,
            "PostgreSQL connections in the pool");
}

absl::StatusOr<ServerFlags> ReadServerFlags(const FlagSet& flags,
                                            int min_pool) {
  ServerFlags out;
  out.database_url = flags.Get("database-url");
  out.listen = flags.Get("listen");
  out.token_secret_file = flags.Get("token-secret-file");
  out.port_file = flags.Get("port-file");
  if (out.database_url.empty()) {
    return absl::InvalidArgumentError(
        "--database-url (or CXDESK_DATABASE_URL) is required");
  }
  if (out.listen.find(':') == std::string::npos) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--listen: expected host:port, got ", common::Excerpt(out.listen)));
  }
  if (!absl::SimpleAtoi(flags.Get("pool-size"), &out.pool_size) ||
      out.pool_size < min_pool || out.pool_size > 256) {
    return absl::InvalidArgumentError(
        absl::StrCat("--pool-size: must be ", min_pool, "..256"));
  }
  return out;
}

absl::StatusOr<ServerFlags> ParseServerFlags(FlagSet& flags, int argc,
                                             char** argv, int min_pool) {
  absl::Status parsed = flags.Parse(argc, argv);
  if (absl::IsCancelled(parsed)) {
    std::cout << flags.Usage();
    return parsed;
  }
  if (!parsed.ok()) return parsed;
  return ReadServerFlags(flags, min_pool);
}

}  // namespace cxdesk::common
