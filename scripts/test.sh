#!/usr/bin/env bash
# Runs lint, the type check and every ava test (or the ava arguments given), then prints the
# closing line `N passed, N failed`.
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/mediasoup-worker/worker-path.sh
passed=0 failed=0 skipped=0
failures=$(mktemp)

check() { # name, command...
  local name=$1; shift
  if "$@" >/tmp/appliance-check-$$.log 2>&1; then
    echo "ok - $name"; passed=$((passed + 1))
  else
    echo "not ok - $name"; sed 's/^/    /' /tmp/appliance-check-$$.log | tail -60; failed=$((failed + 1))
    echo "not ok - $name" >>"$failures"
  fi
  rm -f /tmp/appliance-check-$$.log
}

check "eslint" npx eslint .
check "tsc --noEmit" npx tsc --noEmit

# Counted from the test lines rather than ava's closing summary, which a crashed reporter never prints.
count() { # tap file, pass|fail|skip
  awk -v want="$2" '
    /^not ok [0-9]+ / { todo = ($0 ~ /# TODO/); if ((want == "fail" && !todo) || (want == "skip" && todo)) n++; next }
    /^ok [0-9]+ / { skip = ($0 ~ /# (SKIP|TODO)/); if ((want == "skip") == skip && want != "fail") n++ }
    END { print n + 0 }' "$1"
}
tally() { # tap file, ava's exit status
  passed=$((passed + $(count "$1" pass)))
  failed=$((failed + $(count "$1" fail)))
  skipped=$((skipped + $(count "$1" skip)))
  # A crash that stops ava before it reports still has to count as a failure.
  if [[ $2 -ne 0 && $(count "$1" fail) -eq 0 ]]; then
    failed=$((failed + 1)); echo "not ok - ava exited with status $2 without reporting a failure" >>"$failures"
  fi
  # Each failure again with its message, so that the end of a long log says what failed.
  awk '
    /^not ok [0-9]+ / && $0 !~ /# TODO/ { print; inside = 1; next }
    inside && /^  \.\.\.$/ { inside = 0 }
    inside && /^    message:/ { print; more = 2; next }
    inside && more > 0 && /^      / { print; more--; next }
    { more = 0 }' "$1" >>"$failures"
  rm -f "$1"
}

if [[ $# -gt 0 ]]; then
  tap=$(mktemp)
  npx ava --tap "$@" | tee "$tap"
  tally "$tap" "${PIPESTATUS[0]}"
else
  # Tests that carry media (encoders, the SFU, browsers sending video) each keep both cores of a
  # small machine busy in real time; two at once starve each other into timeouts. They run one
  # file at a time, beside the other tests, which run one file at a time too.
  media=$(ls test/{pipelines,recording,web,sfu}/*.test.ts test/faults/appliance-signals.test.ts)
  rest=$(ls test/*/*.test.ts | grep -v -F -x -f <(echo "$media"))
  rest_tap=$(mktemp) media_tap=$(mktemp)
  npx ava --tap --concurrency 1 $rest >"$rest_tap" 2>&1 &
  rest_pid=$!
  npx ava --tap --concurrency 1 $media 2>&1 | tee "$media_tap"
  media_status=${PIPESTATUS[0]}
  wait "$rest_pid"
  rest_status=$?
  echo "# the other tests, run beside those above:"
  cat "$rest_tap"
  tally "$media_tap" "$media_status"
  tally "$rest_tap" "$rest_status"
fi

if [[ -s $failures ]]; then
  echo "# what failed:"
  sed 's/^/#   /' "$failures"
fi
rm -f "$failures"
if [[ $skipped -gt 0 ]]; then
  echo "$passed passed, $failed failed, $skipped skipped"
else
  echo "$passed passed, $failed failed"
fi
[[ $failed -eq 0 ]]
