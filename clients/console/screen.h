#ifndef CXDESK_CLIENTS_CONSOLE_SCREEN_H_
#define CXDESK_CLIENTS_CONSOLE_SCREEN_H_

// The terminal as the agent console draws on it: keys, styles and the
// Screen interface (curses_screen.h is the real one, tests use a fake).

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "clients/console/console_model.h"

namespace cxdesk::clients::console {

// Keys the console understands besides printable characters; the screen
// maps the terminal's codes to these.
enum Key : int {
  kNoKey = -1,
  kKeyEnter = '\n',
  kKeyTab = '\t',
  kKeyEscape = 27,
  kKeyUp = 1000,
  kKeyDown,
  kKeyLeft,
  kKeyRight,
  kKeyPageUp,
  kKeyPageDown,
  kKeyHome,
  kKeyEnd,
  kKeyBackspace,
  kKeyResize,
  kKeyQuit,  // the process was asked to stop (SIGINT, SIGTERM)
};

// How a piece of text is drawn.
enum class Style {
  kNormal,
  kTitle,     // the top bar
  kHeading,   // table header, section titles
  kSelected,  // the highlighted row
  kOk,        // green
  kWarning,   // amber (yellow)
  kBreached,  // red
  kInternal,  // internal notes
  kStatus,    // the status line
  kDim,
};

// The terminal as the console sees it. Not thread-safe: used from the UI
// thread only.
class Screen {
 public:
  virtual ~Screen() = default;
  virtual int width() const = 0;
  virtual int height() const = 0;
  // Starts a new frame (blank).
  virtual void Clear() = 0;
  // Draws `text` at row `y`, column `x`; text past the right edge is cut.
  virtual void Put(int y, int x, const std::string& text, Style style) = 0;
  // Shows the frame.
  virtual void Show() = 0;
  // The next key, or kNoKey after `timeout`.
  virtual int ReadKey(absl::Duration timeout) = 0;
  // Leaves the full screen, runs `editor` on a file holding `initial`,
  // comes back and returns the file's text. FAILED_PRECONDITION when the
  // editor fails.
  virtual absl::StatusOr<std::string> RunEditor(const std::string& editor,
                                                const std::string& initial) = 0;
};

// The style of a countdown of `urgency` (green, amber, red; plain for
// none).
inline Style UrgencyStyle(Urgency u) {
  switch (u) {
    case Urgency::kOk:
      return Style::kOk;
    case Urgency::kWarning:
      return Style::kWarning;
    case Urgency::kBreached:
      return Style::kBreached;
    case Urgency::kNone:
      break;
  }
  return Style::kNormal;
}

}  // namespace cxdesk::clients::console

#endif  // CXDESK_CLIENTS_CONSOLE_SCREEN_H_
