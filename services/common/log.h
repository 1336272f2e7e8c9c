#ifndef CXDESK_SERVICES_COMMON_LOG_H_
#define CXDESK_SERVICES_COMMON_LOG_H_

#include <sstream>
#include <string>

namespace cxdesk::common {

enum class LogLevel { kDebug = 0, kInfo = 1, kWarning = 2, kError = 3 };

// Sets the lowest level written (default kInfo). Call once at start.
void SetMinLogLevel(LogLevel level);
bool LogEnabled(LogLevel level);

// One log line, written to stderr with a UTC timestamp when destroyed.
// Thread-safe. Never pass tokens, access keys or message bodies.
class LogLine {
 public:
  LogLine(LogLevel level, const char* file, int line);
  ~LogLine();
  LogLine(const LogLine&) = delete;
  LogLine& operator=(const LogLine&) = delete;
  std::ostream& stream() { return stream_; }

 private:
  LogLevel level_;
  std::ostringstream stream_;
};

}  // namespace cxdesk::common

#define CXDESK_LOG(level)                                                     \
  if (!::cxdesk::common::LogEnabled(::cxdesk::common::LogLevel::k##level))    \
    ;                                                                         \
  else                                                                        \
    ::cxdesk::common::LogLine(::cxdesk::common::LogLevel::k##level, __FILE__, \
                              __LINE__)                                       \
        .stream()

#endif  // CXDESK_SERVICES_COMMON_LOG_H_
