#!/usr/bin/env bash
# The layering check: the rules and managers of every service (the targets
# marked with cxdesk_pure() in CMake) reach neither libpqxx nor protobuf or
# gRPC — not in their link closure, not in any header their objects include.
#
# Usage: tests/check_layering.sh BUILD_DIR
#        tests/check_layering.sh --layering FILE --deps FILE   (self-test)
#
# BUILD_DIR must be built (the headers come from Ninja's dependency log,
# `ninja -t deps`); layering.txt is written there by CMake. Exits 0 when
# clean, 1 listing every violation, 2 when it cannot check.
set -euo pipefail

usage() { echo "usage: $0 BUILD_DIR | --layering FILE --deps FILE" >&2; exit 2; }

layering="" deps=""
if [[ $# -eq 1 ]]; then
  layering="$1/layering.txt"
  deps="$(mktemp)"
  trap 'rm -f "${deps}"' EXIT
  ninja -C "$1" -t deps > "${deps}"
elif [[ $# -eq 4 && "$1" == --layering && "$3" == --deps ]]; then
  layering="$2" deps="$4"
else
  usage
fi
[[ -s "${layering}" ]] || { echo "layering: ${layering} is missing or empty (configure first)" >&2; exit 2; }

# Libraries a pure target must not link, and headers it must not include.
readonly FORBIDDEN_LIBS='^(PkgConfig::PQXX|pqxx|cxdesk_pg|cxdesk_proto|cxdesk_proto_words|cxdesk_grpc|cxdesk_audit|cxdesk_.*_migrations|protobuf::.*|gRPC::.*)$'
readonly FORBIDDEN_HEADERS='(/pqxx/|/grpcpp/|/grpc\+\+/|/grpc/|/google/protobuf/|\.pb\.h$)'

awk -v libs="${FORBIDDEN_LIBS}" -v headers="${FORBIDDEN_HEADERS}" '
  # First file: "<target> <object dir> <linked libraries>..."
  FNR == NR {
    target[++n] = $1; dir[n] = $2 "/"
    for (i = 3; i <= NF; i++)
      if ($i ~ libs) { print "layering: " $1 " links " $i; bad++ }
    next
  }
  # Second file: ninja -t deps. "<object>: #deps ..." then indented headers.
  /^[^ \t].*: #deps/ {
    obj = $1; sub(/:$/, "", obj); owner = 0
    for (t = 1; t <= n; t++)
      if (index(obj, dir[t]) == 1) { owner = t; objects[t]++ }
    next
  }
  owner && /^[ \t]+/ {
    h = $1
    if (h ~ headers && !((owner, h) in seen)) {
      seen[owner, h] = 1
      print "layering: " target[owner] " includes " h " (" obj ")"; bad++
    }
  }
  END {
    for (t = 1; t <= n; t++)
      if (!objects[t]) {
        print "layering: no built objects of " target[t] " in the dependency log (build first)"
        unknown++
      }
    if (bad) {
      print "layering: " bad " violation(s): rules and managers link cxdesk_base and Abseil only; PostgreSQL belongs in the stores, proto and gRPC in the adapters"
      exit 1
    }
    if (unknown) exit 2
    printf "layering: %d pure targets clean (no pqxx, protobuf or gRPC)\n", n
  }
' "${layering}" "${deps}"
