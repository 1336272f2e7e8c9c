// cxdesk-status: a customer's view of their ticket, by its number and access
// key. Everything but this entry point lives in cxdesk_status_lib
// (status_commands.h).
#include <string>
#include <vector>

#include "clients/status/status_commands.h"

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  return cxdesk::clients::status::RunStatus(
      args, cxdesk::clients::status::ProcessStatusEnvironment());
}
