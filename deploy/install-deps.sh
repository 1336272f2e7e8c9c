#!/usr/bin/env bash
# Installs everything cxdesk needs to build, run and test on Debian 12.
#
# Usage: deploy/install-deps.sh [--with-test-tools]
#
#   (no option)         Debian packages: compilers, CMake/Ninja, gRPC, protobuf,
#                       libpqxx, abseil, GoogleTest, PostgreSQL 15, Node.js, ...
#   --with-test-tools   also what only the tests use: Debian's chromium (the
#                       HTML report is rendered headless), clang-14 and its
#                       libFuzzer runtime (the fuzz targets), and the npm
#                       test tools from package.json (buf), installed into
#                       node_modules/ at the repository root.
#
# Idempotent: it asks dpkg what is missing and runs apt-get (update once, then
# install) only when something is; npm runs only when node_modules/.bin/buf is
# missing. Needs root, or sudo, only when something has to be installed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly ROOT

# Debian packages. nodejs and npm are checked by command instead (see below).
readonly PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config git ca-certificates
  libgrpc++-dev libgrpc-dev protobuf-compiler protobuf-compiler-grpc libprotobuf-dev
  libpqxx-dev libabsl-dev libgtest-dev libgmock-dev googletest libbenchmark-dev
  libssl-dev libcurl4-openssl-dev libncurses-dev libyaml-cpp-dev libboost1.74-dev
  postgresql-15 postgresql-client-15
  tmux clang-format tzdata python3 procps curl
)

# Debian packages only the tests need: chromium renders the HTML report;
# clang with its runtime (libFuzzer, sanitizers) builds the fuzz targets,
# llvm-14 symbolizes their stack traces. (curl, which the web API's e2e test
# and deploy/up.sh's banner use, is among the packages above.)
readonly TEST_PACKAGES=(chromium clang-14 libclang-rt-14-dev llvm-14)

log() { printf 'install-deps: %s\n' "$*"; }
die() { printf 'install-deps: error: %s\n' "$*" >&2; exit 1; }

usage() {
  sed -n '2,16s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
}

with_test_tools=0
while (($# > 0)); do
  case "$1" in
    --with-test-tools) with_test_tools=1 ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown option: $1" ;;
  esac
  shift
done

# Succeeds when the Debian package is installed.
is_installed() {
  local status
  status="$(dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2>/dev/null || true)"
  [[ "${status}" == ii* ]]
}

# Runs a command as root: directly, or through sudo when available.
as_root() {
  if ((EUID == 0)); then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    die "not root and sudo is not installed; as root, run: $*"
  fi
}

install_debian_packages() {
  command -v dpkg-query >/dev/null 2>&1 || die "dpkg-query not found: this script supports Debian 12 only"

  local missing=() pkg wanted=("${PACKAGES[@]}")
  if ((with_test_tools)); then wanted+=("${TEST_PACKAGES[@]}"); fi
  for pkg in "${wanted[@]}"; do
    is_installed "${pkg}" || missing+=("${pkg}")
  done
  # Node.js may come from Debian (nodejs + npm) or from another source that
  # bundles npm (its nodejs package then conflicts with Debian's npm), so these
  # two are needed only when the commands are missing.
  if ! command -v node >/dev/null 2>&1 && ! is_installed nodejs; then
    missing+=(nodejs)
  fi
  if ! command -v npm >/dev/null 2>&1; then
    missing+=(npm)
  fi

  if ((${#missing[@]} == 0)); then
    log "debian packages: all ${#wanted[@]} present, plus node and npm"
    return 0
  fi

  log "debian packages missing: ${missing[*]}"
  log "running apt-get update"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
  log "running apt-get install (${#missing[@]} packages)"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"

  for pkg in "${missing[@]}"; do
    case "${pkg}" in
      nodejs) command -v node >/dev/null 2>&1 || die "node still missing after installing nodejs" ;;
      npm) command -v npm >/dev/null 2>&1 || die "npm still missing after installing npm" ;;
      *) is_installed "${pkg}" || die "package ${pkg} still missing after apt-get install" ;;
    esac
  done
  log "debian packages: installed ${missing[*]}"
}

install_test_tools() {
  local buf="${ROOT}/node_modules/.bin/buf"
  [[ -f "${ROOT}/package.json" ]] || die "${ROOT}/package.json is missing (it lists the npm test tools)"

  if [[ -x "${buf}" ]] && "${buf}" --version >/dev/null 2>&1; then
    log "test tools: buf $("${buf}" --version 2>/dev/null) present"
    return 0
  fi

  command -v npm >/dev/null 2>&1 || die "npm not found"
  local npm_opts=(--no-audit --no-fund --loglevel=error)
  if [[ ! -f "${ROOT}/package-lock.json" ]]; then
    log "test tools: running npm install in ${ROOT} (writes package-lock.json)"
    (cd "${ROOT}" && npm install "${npm_opts[@]}") \
      || die "npm install failed (the npm registry must be reachable)"
  else
    log "test tools: running npm ci in ${ROOT}"
    local ci_log
    ci_log="$(mktemp)"
    if ! (cd "${ROOT}" && npm ci "${npm_opts[@]}") >"${ci_log}" 2>&1; then
      # npm ci refuses a lock file that lacks any platform's optional package
      # (an npm install against a registry mirror without them writes such a
      # lock); npm install still honours the locked versions and checksums.
      grep -m 5 'npm error' "${ci_log}" >&2 || true
      rm -f "${ci_log}"
      log "test tools: npm ci failed; running npm install --no-save instead"
      (cd "${ROOT}" && npm install --no-save "${npm_opts[@]}") \
        || die "npm install failed (the npm registry must be reachable)"
    else
      cat "${ci_log}"
      rm -f "${ci_log}"
    fi
  fi

  [[ -x "${buf}" ]] || die "npm finished but ${buf} is missing"
  "${buf}" --version >/dev/null 2>&1 || die "${buf} does not run"
  log "test tools: buf $("${buf}" --version 2>/dev/null) installed"
}

install_debian_packages
if ((with_test_tools)); then
  install_test_tools
fi
log "done"
