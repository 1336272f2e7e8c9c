#include "clients/console/curses_screen.h"

#include <curses.h>
#include <unistd.h>

#include <clocale>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <sstream>

#include "absl/strings/str_cat.h"

namespace cxdesk::clients::console {
namespace {

// Set by SIGINT/SIGTERM: the UI loop quits cleanly (endwin) instead of the
// process dying with the terminal in curses mode.
volatile std::sig_atomic_t g_interrupted = 0;

extern "C" void OnInterrupt(int) { g_interrupted = 1; }

// Colour pairs, one per Style that has a colour.
enum Pair : short {
  kPairTitle = 1,
  kPairHeading,
  kPairSelected,
  kPairOk,
  kPairWarning,
  kPairBreached,
  kPairInternal,
  kPairStatus,
};

attr_t Attributes(Style style) {
  const bool colour = has_colors();
  switch (style) {
    case Style::kNormal:
      return A_NORMAL;
    case Style::kTitle:
      return colour ? COLOR_PAIR(kPairTitle) | A_BOLD : A_REVERSE;
    case Style::kHeading:
      return colour ? COLOR_PAIR(kPairHeading) | A_BOLD : A_BOLD;
    case Style::kSelected:
      return A_REVERSE;
    case Style::kOk:
      return colour ? COLOR_PAIR(kPairOk) : A_NORMAL;
    case Style::kWarning:
      return colour ? COLOR_PAIR(kPairWarning) | A_BOLD : A_BOLD;
    case Style::kBreached:
      return colour ? COLOR_PAIR(kPairBreached) | A_BOLD : A_BOLD | A_BLINK;
    case Style::kInternal:
      return colour ? COLOR_PAIR(kPairInternal) : A_DIM;
    case Style::kStatus:
      return colour ? COLOR_PAIR(kPairStatus) : A_BOLD;
    case Style::kDim:
      return A_DIM;
  }
  return A_NORMAL;
}

void Enter() {
  initscr();
  cbreak();
  noecho();
  nonl();
  keypad(stdscr, TRUE);
  // A lone Esc should not wait a second for a sequence.
  set_escdelay(25);
  curs_set(0);
  if (has_colors()) {
    start_color();
    use_default_colors();
    init_pair(kPairTitle, COLOR_WHITE, COLOR_BLUE);
    init_pair(kPairHeading, COLOR_CYAN, -1);
    init_pair(kPairSelected, COLOR_BLACK, COLOR_WHITE);
    init_pair(kPairOk, COLOR_GREEN, -1);
    init_pair(kPairWarning, COLOR_YELLOW, -1);
    init_pair(kPairBreached, COLOR_RED, -1);
    init_pair(kPairInternal, COLOR_MAGENTA, -1);
    init_pair(kPairStatus, COLOR_YELLOW, -1);
  }
}

}  // namespace

CursesScreen::CursesScreen() {
  std::signal(SIGINT, OnInterrupt);
  std::signal(SIGTERM, OnInterrupt);
  std::signal(SIGHUP, OnInterrupt);
  // UTF-8 text (arrows, dashes, customers' names) needs the locale.
  std::setlocale(LC_ALL, "");
  Enter();
  open_ = true;
}

CursesScreen::~CursesScreen() { Close(); }

void CursesScreen::Close() {
  if (!open_) return;
  endwin();
  open_ = false;
}

int CursesScreen::width() const { return COLS; }
int CursesScreen::height() const { return LINES; }

void CursesScreen::Clear() { erase(); }

void CursesScreen::Put(int y, int x, const std::string& text, Style style) {
  if (y < 0 || y >= LINES || x < 0 || x >= COLS) return;
  const attr_t attributes = Attributes(style);
  attron(attributes);
  // Never write the bottom-right cell: curses would scroll.
  int room = COLS - x - (y == LINES - 1 ? 1 : 0);
  std::string cut;
  int columns = 0;
  for (size_t i = 0; i < text.size() && room > 0; ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if ((c & 0xC0) != 0x80) {
      if (columns == room) break;
      ++columns;
    }
    cut += text[i];
  }
  mvaddstr(y, x, cut.c_str());
  attroff(attributes);
}

void CursesScreen::Show() { refresh(); }

int CursesScreen::ReadKey(absl::Duration wait) {
  if (g_interrupted != 0) return kKeyQuit;
  timeout(static_cast<int>(absl::ToInt64Milliseconds(wait)));
  const int key = getch();
  if (g_interrupted != 0) return kKeyQuit;
  switch (key) {
    case ERR:
      return kNoKey;
    case KEY_UP:
      return kKeyUp;
    case KEY_DOWN:
      return kKeyDown;
    case KEY_LEFT:
      return kKeyLeft;
    case KEY_RIGHT:
      return kKeyRight;
    case KEY_PPAGE:
      return kKeyPageUp;
    case KEY_NPAGE:
      return kKeyPageDown;
    case KEY_HOME:
      return kKeyHome;
    case KEY_END:
      return kKeyEnd;
    case KEY_BACKSPACE:
    case 127:
    case 8:
      return kKeyBackspace;
    case KEY_RESIZE:
      return kKeyResize;
    case KEY_ENTER:
    case '\r':
    case '\n':
      return kKeyEnter;
    default:
      return key >= 0 && key < 256 ? key : kNoKey;
  }
}

absl::StatusOr<std::string> CursesScreen::RunEditor(
    const std::string& editor, const std::string& initial) {
  char path[] = "/tmp/cxdesk-console-XXXXXX";
  const int fd = mkstemp(path);
  if (fd < 0) {
    return absl::FailedPreconditionError("cannot make a temporary file");
  }
  {
    const ssize_t written = write(fd, initial.data(), initial.size());
    close(fd);
    if (written != static_cast<ssize_t>(initial.size())) {
      unlink(path);
      return absl::FailedPreconditionError("cannot write a temporary file");
    }
  }
  endwin();
  // The path is ours (mkstemp), the editor the agent's own $EDITOR.
  const std::string command = absl::StrCat(editor, " '", path, "'");
  const int rc = std::system(command.c_str());
  // Back to the full screen.
  reset_prog_mode();
  clearok(stdscr, TRUE);
  refresh();
  std::ifstream in(path, std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)),
                   std::istreambuf_iterator<char>());
  unlink(path);
  if (rc != 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("the editor (", editor, ") failed; nothing sent"));
  }
  return text;
}

}  // namespace cxdesk::clients::console
