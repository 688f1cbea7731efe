#!/bin/sh
# Add up what the Criterion suites of a build ran, from their logs, and print
# "N passed, N failed" (crashes count as failures). A sanitizer report anywhere
# in the logs is a failure too, even when the test that caused it passed.
#   tests/summarize.sh [BUILD-DIR [NAME]]
# With NAME, only the log of that test (tests/NAME.log).
dir=${1:-build}
if [ -n "${2:-}" ]; then
	logs=$(ls "$dir/tests/$2.log" 2>/dev/null)
else
	logs=$(ls "$dir"/tests/*.log "$dir"/tests/fuzz/*.log 2>/dev/null)
fi
san=0
[ -n "$logs" ] && san=$(cat $logs | grep -c -E 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:')
if [ "$san" -gt 0 ]; then
	echo "summarize: $san sanitizer report(s) in $dir/tests/*.log:" >&2
	cat $logs | grep -E -A5 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:' | head -40 >&2
fi
cat $logs 2>/dev/null | sed -n 's/.*Synthesis: Tested: *\([0-9]*\) *| *Passing: *\([0-9]*\) *| *Failing: *\([0-9]*\) *| *Crashing: *\([0-9]*\).*/\1 \2 \3 \4/p' |
awk -v san="$san" '{ t += $1; p += $2; f += $3 + $4 }
	END { f += san; if (t == 0) { print "0 passed, 1 failed"; exit 1 }
	      printf "%d passed, %d failed\n", p, f; exit f > 0 }'
