#!/usr/bin/env bash
# The cxdesk test command: installs what is missing, builds, runs every ctest
# test against a throwaway PostgreSQL 15 cluster, then lints the proto API.
#
# Usage: tests/run.sh [CTEST_ARGS...]      e.g. tests/run.sh -L unit
#
# Environment:
#   CXDESK_BUILD_DIR    build folder (default: build)
#   CXDESK_BUILD_TYPE   CMAKE_BUILD_TYPE (default: RelWithDebInfo)
#   CXDESK_FUZZ_SECONDS how long each fuzz target runs (default: 5)
#
# Tests find the cluster in CXDESK_TEST_DATABASE_URL (database postgres, user
# postgres); they create their own cxdesk_test_* databases in it. The cluster
# and its folder are removed on exit, whatever happens.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly ROOT
cd "${ROOT}"

BUILD_DIR="${CXDESK_BUILD_DIR:-build}"
BUILD_TYPE="${CXDESK_BUILD_TYPE:-RelWithDebInfo}"
readonly BUILD_DIR BUILD_TYPE

step() { printf '\n==> %s\n' "$*"; }
note() { printf 'run.sh: %s\n' "$*"; }

failed_stages=()
tmp_dir=""

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [[ -n "${tmp_dir}" && -d "${tmp_dir}" ]]; then
    "${ROOT}/deploy/pg.sh" destroy "${tmp_dir}/pgdata" >/dev/null 2>&1 \
      || "${ROOT}/deploy/pg.sh" stop "${tmp_dir}/pgdata" || true
    rm -rf -- "${tmp_dir}"
  fi
  exit "${rc}"
}
trap cleanup EXIT
trap 'note "interrupted"; exit 130' INT TERM

# ccache keyed by paths relative to the checkout, without the build folder:
# a clone in another folder (CI) then reuses what an earlier build of the
# same sources compiled.
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-${ROOT}}"
export CCACHE_NOHASHDIR="${CCACHE_NOHASHDIR:-1}"

step "dependencies"
"${ROOT}/deploy/install-deps.sh" --with-test-tools

step "configure (${BUILD_DIR}, ${BUILD_TYPE})"
cmake_args=(-S . -B "${BUILD_DIR}" -DCMAKE_BUILD_TYPE="${BUILD_TYPE}")
# Keep the generator of an existing build folder: CMake refuses to switch.
if [[ ! -f "${BUILD_DIR}/CMakeCache.txt" ]]; then
  cmake_args+=(-G Ninja)
fi
if command -v ccache >/dev/null 2>&1; then
  cmake_args+=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
build_ok=1
if ! cmake "${cmake_args[@]}"; then
  failed_stages+=(configure)
  build_ok=0
fi

if ((build_ok)); then
  step "build"
  if ! cmake --build "${BUILD_DIR}"; then
    failed_stages+=(build)
    build_ok=0
  fi
fi

ctest_log=""
if ((build_ok)); then
  step "PostgreSQL (throwaway cluster)"
  tmp_dir="$(mktemp -d -t cxdesk-test.XXXXXX)"
  # PostgreSQL runs as user postgres when we are root; let it reach the folder.
  chmod 0755 "${tmp_dir}"
  pg_port="$("${ROOT}/deploy/pg.sh" free-port)"
  CXDESK_PG_FAST=1 "${ROOT}/deploy/pg.sh" start "${tmp_dir}/pgdata" "${pg_port}"
  export CXDESK_TEST_DATABASE_URL="postgresql://postgres@127.0.0.1:${pg_port}/postgres"
  note "CXDESK_TEST_DATABASE_URL=${CXDESK_TEST_DATABASE_URL}"

  step "ctest $*"
  ctest_log="${tmp_dir}/ctest.log"
  set +e
  ctest --test-dir "${BUILD_DIR}" --output-on-failure --no-tests=error -j2 "$@" 2>&1 | tee "${ctest_log}"
  ctest_rc=${PIPESTATUS[0]}
  set -e
  if ((ctest_rc != 0)); then
    failed_stages+=(ctest)
  fi
else
  note "skipping ctest: the build failed"
  failed_stages+=(ctest)
fi

# The fuzz targets, coverage-guided, a few seconds each: a separate clang
# build (build-fuzz) with AddressSanitizer and UndefinedBehaviorSanitizer.
# `deploy/fuzz.sh 600` is the long run (docs/fuzzing.md).
step "fuzz (libFuzzer, ${CXDESK_FUZZ_SECONDS:-5} s per target)"
if "${ROOT}/deploy/fuzz.sh" "${CXDESK_FUZZ_SECONDS:-5}"; then
  note "fuzz: no crash, no failed check"
else
  failed_stages+=(fuzz)
fi

step "buf lint proto"
if "${ROOT}/node_modules/.bin/buf" lint proto; then
  note "buf lint: clean"
else
  failed_stages+=(buf-lint)
fi

step "summary"
if ((${#failed_stages[@]} > 0)); then
  note "FAILED stages: ${failed_stages[*]}"
else
  note "all stages passed (build, ctest, fuzz, buf lint)"
fi
# Last, a plain count from ctest's own closing line
# ("N% tests passed, F tests failed out of T").
if [[ -n "${ctest_log}" && -f "${ctest_log}" ]]; then
  summary="$(grep -E '^[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "${ctest_log}" | tail -n 1 || true)"
  if [[ "${summary}" =~ ([0-9]+)\ tests?\ failed\ out\ of\ ([0-9]+) ]]; then
    n_failed="${BASH_REMATCH[1]}"
    n_total="${BASH_REMATCH[2]}"
    printf 'ctest: %d passed, %d failed\n' "$((n_total - n_failed))" "${n_failed}"
  fi
fi
if ((${#failed_stages[@]} > 0)); then
  exit 1
fi
