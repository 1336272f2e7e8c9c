#ifndef CXDESK_CLIENTS_CONSOLE_CURSES_SCREEN_H_
#define CXDESK_CLIENTS_CONSOLE_CURSES_SCREEN_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "clients/console/screen.h"

namespace cxdesk::clients::console {

// The Screen on a real terminal through ncurses: the only code that talks
// to curses. Construction enters the full screen, destruction (or Close)
// restores the terminal. Not thread-safe.
class CursesScreen final : public Screen {
 public:
  CursesScreen();
  ~CursesScreen() override;
  CursesScreen(const CursesScreen&) = delete;
  CursesScreen& operator=(const CursesScreen&) = delete;

  // Leaves the full screen (endwin). Idempotent.
  void Close();

  int width() const override;
  int height() const override;
  void Clear() override;
  void Put(int y, int x, const std::string& text, Style style) override;
  void Show() override;
  int ReadKey(absl::Duration wait) override;
  absl::StatusOr<std::string> RunEditor(const std::string& editor,
                                        const std::string& initial) override;

 private:
  bool open_ = false;
};

}  // namespace cxdesk::clients::console

#endif  // CXDESK_CLIENTS_CONSOLE_CURSES_SCREEN_H_
