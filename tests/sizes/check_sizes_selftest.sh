#!/usr/bin/env bash
# The size check must be able to fail: a tree with a 121-line function and an
# 801-line file is refused with both named; the same tree cut to the limits
# (a 120-line function, an 800-line file, a long data table) passes.
set -euo pipefail
check="$1"
tree="$(mktemp -d)"
trap 'rm -rf -- "${tree}"' EXIT
mkdir -p "${tree}/services/x" "${tree}/tests"

# A function whose body spans `lines` lines, braces included.
function_of() {
  local name="$1" lines="$2"
  echo "int ${name}(int a) const {"
  for ((i = 0; i < lines - 2; ++i)); do echo "  a += ${i};  // }"; done
  echo "}"
}
{
  echo "namespace cxdesk::x {"
  function_of Long 121
  echo "const int kTable[] = {"
  for ((i = 0; i < 200; ++i)); do echo "  ${i},"; done
  echo "};"
  echo "}  // namespace cxdesk::x"
} >"${tree}/services/x/long.cc"
for ((i = 0; i < 801; ++i)); do echo "// ${i}"; done >"${tree}/services/x/big.h"

if out="$(python3 "${check}" "${tree}")"; then
  echo "FAIL: the check passed a 121-line function and an 801-line file"
  exit 1
fi
grep -q "services/x/long.cc:2: Long is 121 lines" <<<"${out}" \
  || { echo "FAIL: the long function is not named: ${out}"; exit 1; }
grep -q "services/x/big.h: 801 lines" <<<"${out}" \
  || { echo "FAIL: the big file is not named: ${out}"; exit 1; }
[[ "$(grep -c 'lines (at most' <<<"${out}")" == 2 ]] \
  || { echo "FAIL: the data table was counted: ${out}"; exit 1; }

{
  echo "namespace cxdesk::x {"
  function_of Long 120
  echo "}  // namespace cxdesk::x"
} >"${tree}/services/x/long.cc"
sed -i '$d' "${tree}/services/x/big.h"
python3 "${check}" "${tree}" >/dev/null \
  || { echo "FAIL: the check refused a tree within the limits"; exit 1; }
echo "check_sizes selftest: ok"
