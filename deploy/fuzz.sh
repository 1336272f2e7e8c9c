#!/usr/bin/env bash
# Builds the libFuzzer targets in build-fuzz (clang++-14, AddressSanitizer,
# UndefinedBehaviorSanitizer) and runs each for SECONDS through ctest (label
# `fuzz`). What the targets check: docs/fuzzing.md.
#
# Usage: deploy/fuzz.sh [SECONDS] [TARGET...]
#
#   deploy/fuzz.sh                    every target, 5 s each (the test stage)
#   deploy/fuzz.sh 600                every target, 10 min each (the long run)
#   deploy/fuzz.sh 60 token_fuzz      one target, 1 min
#
# Each target fuzzes a scratch copy of its corpus, build-fuzz/fuzz/corpus/
# <target>/ (new inputs land there), seeded from fuzz/corpus/<target>/ (the
# repository corpus, never written). Exits non-zero when a target fails: a
# crash, a sanitizer report, a broken check, a leak, a timeout (-timeout=10)
# or running out of memory (-rss_limit_mb=2048); it prints where the input
# was saved and how to replay it.
#
# Environment:
#   CXDESK_FUZZ_BUILD_DIR   build folder (default: build-fuzz)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly ROOT
cd "${ROOT}"

BUILD_DIR="${CXDESK_FUZZ_BUILD_DIR:-build-fuzz}"
readonly BUILD_DIR

note() { printf 'fuzz.sh: %s\n' "$*"; }
die() { printf 'fuzz.sh: error: %s\n' "$*" >&2; exit 2; }

fuzz_seconds=5
if (($# > 0)); then
  [[ "$1" =~ ^[0-9]+$ && "$1" -gt 0 ]] || die "SECONDS must be a positive number, not '$1' (usage: deploy/fuzz.sh [SECONDS] [TARGET...])"
  fuzz_seconds="$1"
  shift
fi
targets=("$@")

command -v clang++-14 >/dev/null 2>&1 \
  || die "clang++-14 not found (Debian: apt-get install clang-14 libclang-rt-14-dev llvm-14)"

printf '\n==> configure (%s, clang++-14, %s s per target)\n' "${BUILD_DIR}" "${fuzz_seconds}"
cmake_args=(-S . -B "${BUILD_DIR}" -DCMAKE_CXX_COMPILER=clang++-14
            -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCXDESK_FUZZ=ON
            "-DCXDESK_FUZZ_SECONDS=${fuzz_seconds}")
# Keep the generator of an existing build folder: CMake refuses to switch.
if [[ ! -f "${BUILD_DIR}/CMakeCache.txt" ]]; then
  cmake_args+=(-G Ninja)
fi
if command -v ccache >/dev/null 2>&1; then
  cmake_args+=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
cmake "${cmake_args[@]}" >/dev/null

printf '\n==> build\n'
if ((${#targets[@]} > 0)); then
  cmake --build "${BUILD_DIR}" --target "${targets[@]}"
else
  cmake --build "${BUILD_DIR}" --target cxdesk_fuzz_targets
fi

printf '\n==> fuzz\n'
ctest_args=(--test-dir "${BUILD_DIR}" -L fuzz --output-on-failure --no-tests=error)
if ((${#targets[@]} > 0)); then
  pattern="$(IFS='|'; echo "${targets[*]}")"
  ctest_args+=(-R "^(${pattern})\$")
fi
# Only inputs saved by this run are reported below.
marker="$(mktemp)"
trap 'rm -f -- "${marker}"' EXIT
set +e
ctest "${ctest_args[@]}"
ctest_rc=$?
set -e

# One line per target from libFuzzer's closing line ("#N DONE cov: ...").
log="${BUILD_DIR}/Testing/Temporary/LastTest.log"
if [[ -f "${log}" ]]; then
  printf '\n==> summary (executions, coverage, executions per second)\n'
  awk '/^[0-9]+\/[0-9]+ Test: / { name = $3 }
       /DONE +cov:/ && name != "" {
         line = $0; sub(/^#/, "", line); n = split(line, f, /[ \t]+/)
         cov = ""; eps = ""
         for (i = 1; i < n; i++) {
           if (f[i] == "cov:") cov = f[i + 1]
           if (f[i] == "exec/s:") eps = f[i + 1]
         }
         printf "  %-22s runs %-10s cov %-6s exec/s %s\n", name, f[1], cov, eps
         name = ""
       }' "${log}"
fi

artifacts_dir="${BUILD_DIR}/fuzz/artifacts"
mapfile -t found < <(find "${artifacts_dir}" -type f -newer "${marker}" 2>/dev/null | sort)
if ((${#found[@]} > 0)); then
  printf '\n==> failing inputs saved by this run\n'
  for input in "${found[@]}"; do
    target="$(basename "$(dirname "${input}")")"
    binary="$(find "${BUILD_DIR}" -type f -name "${target}" -perm -u+x | head -n 1)"
    note "${target}: ${input}"
    note "  replay: ${binary:-<${target} binary>} ${input}"
    note "  hex:    $(head -c 256 "${input}" | od -An -v -tx1 | tr -d ' \n')"
  done
  note "add a fixed finding to the corpus: docs/fuzzing.md"
fi
if ((ctest_rc != 0)); then
  note "FAILED (ctest exit ${ctest_rc})"
  exit 1
fi
note "every target ran ${fuzz_seconds} s without a finding"
