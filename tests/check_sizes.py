#!/usr/bin/env python3
"""The house style's size limits, checked over the tree.

  check_sizes.py SOURCE_DIR

Fails (exit 1, one line per offence) when a non-test source file is over
800 lines or a C++ function body is over 120 lines. Tests, fuzz targets,
benchmarks and testing/ folders are exempt; so are data tables, which are
not function bodies (an initialiser after `=` is not counted), and the
functions named in tests/sizes_allow.txt with the reason they stay long.

Functions are found by their braces, after comments, strings and character
literals are blanked: a `{` opened outside any function whose last token
before it closes a parameter list (`)`, or `) const`, `) override`,
`) noexcept`, `-> T`, a constructor's initialiser list) starts a function
body, which ends at its matching `}`. Lambdas and local classes count
towards the function they are in.
"""

import os
import re
import sys

MAX_FILE_LINES = 800
MAX_FUNCTION_LINES = 120
ROOTS = ("services", "clients", "deploy", "tests/support")
SOURCE_EXTENSIONS = (".cc", ".h", ".sh")
EXEMPT_SUFFIXES = ("_test.cc", "_fuzz.cc", "_benchmark.cc", "_test.sh",
                   "_selftest.sh")


def exempt(path):
    parts = path.split(os.sep)
    return "testing" in parts or path.endswith(EXEMPT_SUFFIXES)


def blank_literals(text):
    """Comments, strings and char literals become spaces; newlines stay."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif c == "R" and text.startswith('R"', i):
            m = re.match(r'R"([^(\s]*)\(', text[i:])
            if not m:
                out.append(c)
                i += 1
                continue
            end = text.find(")" + m.group(1) + '"', i)
            j = n if end < 0 else end + len(m.group(1)) + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            j = min(j + 1, n)
            out.append(" " * (j - i))
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out)


# What may stand between a parameter list's `)` and the body's `{`.
SIGNATURE_TAIL = re.compile(
    r"\)\s*(?:const|override|final|noexcept|mutable|volatile|&|\s)*"
    r"(?:->\s*[\w:<>,\s\*&]+)?\s*$")
INITIALISER_TAIL = re.compile(r"\)\s*:\s*[\w:]+\s*[\({].*[\)}]\s*$", re.S)
CONTROL = re.compile(r"\b(if|for|while|switch|catch)\s*\($")


def functions(text):
    """Yields (name, first_line, line_count) of each function body."""
    code = blank_literals(text)
    depth = 0
    body_depth = None  # Brace depth inside the current function body.
    start = 0
    name = ""
    statement_start = 0
    for i, c in enumerate(code):
        if c in ";}" and body_depth is None:
            statement_start = i + 1
        if c == "{":
            if body_depth is None:
                head = code[statement_start:i]
                tail = head.rstrip()
                is_function = (SIGNATURE_TAIL.search(tail)
                               or INITIALISER_TAIL.search(tail))
                if is_function and "=" not in tail.split("(")[0][-3:]:
                    paren = head.find("(")
                    words = re.findall(r"[\w:~]+", head[:paren])
                    name = words[-1] if words else "?"
                    if not CONTROL.search(head[:paren + 1].strip()):
                        body_depth = depth + 1
                        start = code.count("\n", 0, i) + 1
                statement_start = i + 1
            depth += 1
        elif c == "}":
            depth -= 1
            if body_depth is not None and depth == body_depth - 1:
                end = code.count("\n", 0, i) + 1
                yield name, start, end - start + 1
                body_depth = None
                statement_start = i + 1


def load_allowed(source_dir):
    allowed = {}
    path = os.path.join(source_dir, "tests", "sizes_allow.txt")
    if not os.path.exists(path):
        return allowed
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if line:
                allowed[line.split()[0]] = True
    return allowed


def main():
    if len(sys.argv) != 2:
        print("usage: check_sizes.py SOURCE_DIR", file=sys.stderr)
        return 2
    source_dir = sys.argv[1]
    allowed = load_allowed(source_dir)
    offences = []
    for root in ROOTS:
        for folder, _, files in os.walk(os.path.join(source_dir, root)):
            for file in sorted(files):
                path = os.path.join(folder, file)
                rel = os.path.relpath(path, source_dir)
                if not file.endswith(SOURCE_EXTENSIONS) or exempt(rel):
                    continue
                with open(path, encoding="utf-8") as f:
                    text = f.read()
                lines = text.count("\n")
                if lines > MAX_FILE_LINES:
                    offences.append(
                        f"{rel}: {lines} lines (at most {MAX_FILE_LINES})")
                if not file.endswith((".cc", ".h")):
                    continue
                for name, first, count in functions(text):
                    key = f"{rel}:{name}"
                    if count > MAX_FUNCTION_LINES and key not in allowed:
                        offences.append(
                            f"{rel}:{first}: {name} is {count} lines "
                            f"(at most {MAX_FUNCTION_LINES})")
    for offence in offences:
        print(offence)
    if offences:
        print(f"{len(offences)} over the size limits "
              "(docs/architecture.md, 'How a service is written')")
        return 1
    print("sizes: every file and function within the limits")
    return 0


if __name__ == "__main__":
    sys.exit(main())
