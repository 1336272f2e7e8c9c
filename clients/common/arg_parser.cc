#include "clients/common/arg_parser.h"

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace cxdesk::clients {

bool ParsedFlags::Has(absl::string_view name) const {
  return values.find(name) != values.end() ||
         switches.find(name) != switches.end();
}

std::string ParsedFlags::Get(absl::string_view name,
                             absl::string_view fallback) const {
  auto it = values.find(name);
  return it == values.end() ? std::string(fallback) : it->second;
}

void FlagParser::Add(FlagSpec spec) {
  // A later spec of the same name wins, so a command may refine a shared one.
  auto it = std::find_if(specs_.begin(), specs_.end(), [&](const FlagSpec& s) {
    return s.name == spec.name;
  });
  if (it != specs_.end()) {
    *it = std::move(spec);
  } else {
    specs_.push_back(std::move(spec));
  }
}

void FlagParser::AddAll(const std::vector<FlagSpec>& specs) {
  for (const FlagSpec& spec : specs) Add(spec);
}

const FlagSpec* FlagParser::Find(absl::string_view name) const {
  for (const FlagSpec& spec : specs_) {
    if (spec.name == name) return &spec;
  }
  for (const FlagSpec& spec : specs_) {
    if (!spec.alias.empty() && spec.alias == name) return &spec;
  }
  return nullptr;
}

absl::Status FlagParser::Parse(const std::vector<std::string>& args,
                               size_t begin, bool stop_at_positional,
                               ParsedFlags* out, size_t* next) const {
  bool flags_done = false;
  size_t i = begin;
  for (; i < args.size(); ++i) {
    const std::string& arg = args[i];
    const bool looks_like_flag =
        !flags_done && arg.size() > 1 && arg[0] == '-' &&
        !absl::ascii_isdigit(static_cast<unsigned char>(arg[1]));
    if (!looks_like_flag) {
      if (stop_at_positional) break;
      out->positionals.push_back(arg);
      continue;
    }
    if (arg == "--") {
      flags_done = true;
      continue;
    }
    if (arg == "--help" || arg == "-h") {
      out->help = true;
      continue;
    }
    if (!absl::StartsWith(arg, "--")) {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown flag ", arg, " (flags are written --name)"));
    }
    absl::string_view body = absl::string_view(arg).substr(2);
    std::string name, value;
    bool has_value = false;
    if (size_t eq = body.find('='); eq != absl::string_view::npos) {
      name = std::string(body.substr(0, eq));
      value = std::string(body.substr(eq + 1));
      has_value = true;
    } else {
      name = std::string(body);
    }
    const FlagSpec* spec = Find(name);
    if (spec == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat("unknown flag --", name));
    }
    if (spec->is_switch()) {
      if (has_value) {
        return absl::InvalidArgumentError(
            absl::StrCat("--", name, " takes no value"));
      }
      out->switches.insert(spec->name);
      continue;
    }
    if (!has_value) {
      // "--body --json" is far more likely a forgotten value than a body
      // that starts with "--"; such a value can still be given as --body=...
      if (i + 1 >= args.size() ||
          (absl::StartsWith(args[i + 1], "--") && args[i + 1].size() > 2)) {
        return absl::InvalidArgumentError(absl::StrCat(
            "--", name, " needs a value (", spec->value_name, ")"));
      }
      value = args[++i];
    }
    auto [it, inserted] = out->values.emplace(spec->name, value);
    if (!inserted) {
      if (!spec->repeatable) {
        return absl::InvalidArgumentError(
            absl::StrCat("--", name, " given more than once"));
      }
      absl::StrAppend(&it->second, ",", value);
    }
  }
  if (next != nullptr) *next = i;
  return absl::OkStatus();
}

absl::Status FlagParser::CheckRequired(const ParsedFlags& flags) const {
  for (const FlagSpec& spec : specs_) {
    if (spec.required && !flags.Has(spec.name)) {
      return absl::InvalidArgumentError(
          absl::StrCat("missing required flag --", spec.name, " ",
                       spec.value_name, " (", spec.help, ")"));
    }
  }
  return absl::OkStatus();
}

std::string FlagParser::Help() const {
  std::vector<std::string> left;
  size_t width = 0;
  for (const FlagSpec& spec : specs_) {
    std::string l = absl::StrCat("  --", spec.name);
    if (!spec.is_switch()) absl::StrAppend(&l, " ", spec.value_name);
    width = std::max(width, l.size());
    left.push_back(std::move(l));
  }
  std::string out;
  for (size_t i = 0; i < specs_.size(); ++i) {
    absl::StrAppend(&out, left[i], std::string(width + 2 - left[i].size(), ' '),
                    specs_[i].help, specs_[i].required ? " (required)" : "",
                    specs_[i].alias.empty()
                        ? ""
                        : absl::StrCat(" [also --", specs_[i].alias, "]"),
                    "\n");
  }
  return out;
}

}  // namespace cxdesk::clients
