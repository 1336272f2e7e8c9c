#include "tests/support/service_process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "services/common/crypto.h"

namespace cxdesk::testing {
namespace {

std::string MakeTempDir() {
  char templ[] = "/tmp/cxdesk-e2e-XXXXXX";
  const char* dir = mkdtemp(templ);
  return dir ? dir : "/tmp";
}

}  // namespace

absl::StatusOr<std::unique_ptr<ServiceProcess>> ServiceProcess::Start(
    const std::string& binary, const std::vector<std::string>& args,
    absl::Duration timeout, const std::string& listen) {
  std::unique_ptr<ServiceProcess> p(new ServiceProcess());
  p->dir_ = MakeTempDir();
  const std::string port_file = p->dir_ + "/port";
  const std::string log_file = p->dir_ + "/log";
  std::vector<std::string> argv_s = {binary};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  argv_s.push_back("--listen=" + listen);
  argv_s.push_back("--port-file=" + port_file);
  std::vector<char*> argv;
  for (std::string& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);
  const pid_t pid = fork();
  if (pid < 0) return absl::InternalError("fork failed");
  if (pid == 0) {
    const int fd = open(log_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
      dup2(fd, STDOUT_FILENO);
      dup2(fd, STDERR_FILENO);
    }
    // The test runner may block signals; the service must see SIGTERM.
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  p->pid_ = pid;
  const absl::Time deadline = absl::Now() + timeout;
  while (absl::Now() < deadline) {
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) {
      p->pid_ = -1;
      return absl::UnavailableError(
          absl::StrCat(binary, " exited during start-up:\n", p->LogTail()));
    }
    std::ifstream in(port_file);
    int port = 0;
    std::string line;
    if (in && std::getline(in, line) && absl::SimpleAtoi(line, &port) &&
        port > 0) {
      p->address_ = absl::StrCat("127.0.0.1:", port);
      return p;
    }
    absl::SleepFor(absl::Milliseconds(20));
  }
  p->Kill();
  return absl::UnavailableError(
      absl::StrCat(binary, " did not serve in time:\n", p->LogTail()));
}

ServiceProcess::~ServiceProcess() {
  if (pid_ > 0) Stop(absl::Seconds(5)).IgnoreError();
}

absl::StatusOr<int> ServiceProcess::Stop(absl::Duration timeout) {
  if (pid_ <= 0) return absl::FailedPreconditionError("not running");
  kill(pid_, SIGTERM);
  const absl::Time deadline = absl::Now() + timeout;
  while (absl::Now() < deadline) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    absl::SleepFor(absl::Milliseconds(10));
  }
  Kill();
  return absl::DeadlineExceededError("did not stop after SIGTERM");
}

void ServiceProcess::Kill() {
  if (pid_ <= 0) return;
  kill(pid_, SIGKILL);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
}

std::string ServiceProcess::LogTail() const {
  std::ifstream in(dir_ + "/log");
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::string all = buffer.str();
  return all.size() > 4000 ? all.substr(all.size() - 4000) : all;
}

TestSecret MakeTestSecret() {
  TestSecret secret;
  secret.path = MakeTempDir() + "/token-secret";
  secret.value = common::RandomToken(32);
  std::ofstream(secret.path) << secret.value << "\n";
  return secret;
}

int FreeLoopbackPort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return 0;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof(addr);
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  close(fd);
  return port;
}

}  // namespace cxdesk::testing
