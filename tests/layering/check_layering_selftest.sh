#!/usr/bin/env bash
# Proves that tests/check_layering.sh fails on a manager that includes pqxx
# or links the PostgreSQL library, and passes on a clean one.
set -euo pipefail
check="$1"
tmp="$(mktemp -d)"
trap 'rm -rf "${tmp}"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

cat > "${tmp}/layering.txt" <<'TXT'
cxdesk_sla_manager services/sla/CMakeFiles/cxdesk_sla_manager.dir cxdesk_sla_rules cxdesk_base absl::status
TXT
cat > "${tmp}/clean.deps" <<'TXT'
services/sla/CMakeFiles/cxdesk_sla_manager.dir/sla_manager.cc.o: #deps 2, deps mtime 1 (VALID)
    ../services/sla/sla_manager.cc
    /usr/include/absl/status/status.h

services/sla/CMakeFiles/cxdesk_sla_service.dir/sla_grpc_service.cc.o: #deps 1, deps mtime 1 (VALID)
    /usr/include/pqxx/pqxx
TXT
out="$("${check}" --layering "${tmp}/layering.txt" --deps "${tmp}/clean.deps")" \
  || fail "a clean manager was rejected: ${out}"
[[ "${out}" == "layering: 1 pure targets clean (no pqxx, protobuf or gRPC)" ]] \
  || fail "unexpected output: ${out}"

# The manager's own object now includes pqxx.
sed 's|/usr/include/absl/status/status.h|/usr/include/pqxx/pqxx|' \
  "${tmp}/clean.deps" > "${tmp}/pqxx.deps"
set +e
out="$("${check}" --layering "${tmp}/layering.txt" --deps "${tmp}/pqxx.deps")"
rc=$?
set -e
[[ ${rc} -eq 1 ]] || fail "pqxx in a manager: exit ${rc}, want 1"
grep -qx 'layering: cxdesk_sla_manager includes /usr/include/pqxx/pqxx (services/sla/CMakeFiles/cxdesk_sla_manager.dir/sla_manager.cc.o)' <<<"${out}" \
  || fail "pqxx in a manager not named: ${out}"

# A generated proto header, and a link to the PostgreSQL library.
sed 's|/usr/include/absl/status/status.h|build/proto/gen/cxdesk/sla/v1/sla_service.pb.h|' \
  "${tmp}/clean.deps" > "${tmp}/proto.deps"
sed 's|cxdesk_base|cxdesk_pg|' "${tmp}/layering.txt" > "${tmp}/pg-link.txt"
set +e
out="$("${check}" --layering "${tmp}/pg-link.txt" --deps "${tmp}/proto.deps")"
rc=$?
set -e
[[ ${rc} -eq 1 ]] || fail "proto header and pg link: exit ${rc}, want 1"
grep -qx 'layering: cxdesk_sla_manager links cxdesk_pg' <<<"${out}" || fail "link not named: ${out}"
grep -q 'includes build/proto/gen/cxdesk/sla/v1/sla_service.pb.h' <<<"${out}" || fail "proto header not named: ${out}"

# No objects of the target at all: cannot check, never a silent pass.
grep -v cxdesk_sla_manager.dir "${tmp}/clean.deps" > "${tmp}/none.deps"
set +e
"${check}" --layering "${tmp}/layering.txt" --deps "${tmp}/none.deps" >/dev/null
rc=$?
set -e
[[ ${rc} -eq 2 ]] || fail "nothing built: exit ${rc}, want 2"
echo "check_layering self-test: ok"
