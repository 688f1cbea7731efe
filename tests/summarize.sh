#!/bin/sh
# Add up what the Criterion suites of a build ran, from their logs:
# prints "N passed, N failed" (crashes count as failures).
dir=${1:-build}
cat "$dir"/tests/*.log 2>/dev/null | sed -n 's/.*Synthesis: Tested: *\([0-9]*\) *| *Passing: *\([0-9]*\) *| *Failing: *\([0-9]*\) *| *Crashing: *\([0-9]*\).*/\1 \2 \3 \4/p' |
awk '{ t += $1; p += $2; f += $3 + $4 } END { if (t == 0) { print "0 passed, 1 failed"; exit 1 } printf "%d passed, %d failed\n", p, f }'
