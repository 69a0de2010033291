#!/usr/bin/env bash
# Runs lint, the type check and every ava test, then prints the closing line `N passed, N failed`.
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/mediasoup-worker/worker-path.sh
passed=0 failed=0 skipped=0

check() { # name, command...
  local name=$1; shift
  if "$@" >/tmp/appliance-check-$$.log 2>&1; then
    echo "ok - $name"; passed=$((passed + 1))
  else
    echo "not ok - $name"; sed 's/^/    /' /tmp/appliance-check-$$.log | tail -60; failed=$((failed + 1))
  fi
  rm -f /tmp/appliance-check-$$.log
}

check "eslint" npx eslint .
check "tsc --noEmit" npx tsc --noEmit

tap=$(mktemp)
npx ava --tap "$@" | tee "$tap"
ava_status=${PIPESTATUS[0]}
count() { awk -v k="# $1" 'index($0, k) == 1 { n = $3 } END { print n + 0 }' "$tap"; }
passed=$((passed + $(count pass)))
failed=$((failed + $(count fail)))
skipped=$((skipped + $(count skip) + $(count todo)))
# A crash that stops ava before it reports still has to count as a failure.
if [[ $ava_status -ne 0 && $(count fail) -eq 0 ]]; then failed=$((failed + 1)); fi
rm -f "$tap"

if [[ $skipped -gt 0 ]]; then
  echo "$passed passed, $failed failed, $skipped skipped"
else
  echo "$passed passed, $failed failed"
fi
[[ $failed -eq 0 ]]
