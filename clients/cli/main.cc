// cxdesk: the command-line client of the cxdesk services. Everything but this
// entry point lives in cxdesk_cli_lib (commands.h).
#include <string>
#include <vector>

#include "clients/cli/commands.h"

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  return cxdesk::clients::cli::RunCli(
      args, cxdesk::clients::cli::ProcessEnvironment());
}
