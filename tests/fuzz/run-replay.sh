#!/bin/sh
# make check: replay every fuzz harness over its committed corpus and any crash
# reproducers (tests/fuzz/crashes/NAME-*), with the build's own compiler and
# flags (so the sanitizer build replays under ASan and UBSan too).
set -u
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$(pwd)}"
pass=0 fail=0
for bin in "$top_builddir"/tests/fuzz/replay-*; do
	name=${bin##*/replay-}
	# Real captures are test fixtures too (the unit tests read them by name).
	fixtures=
	[ "$name" = capture ] && fixtures=$top_srcdir/tests/fixtures/captures
	# shellcheck disable=SC2086
	if "$bin" "$top_srcdir/tests/fuzz/corpus/$name" $fixtures "$top_srcdir"/tests/fuzz/crashes/"$name"-* >/dev/null; then
		pass=$((pass + 1))
	else
		echo "fuzz replay: $name FAILED (rerun: $bin $top_srcdir/tests/fuzz/corpus/$name)"
		fail=$((fail + 1))
	fi
done
# The same closing line as the Criterion suites, so the totals count it.
echo "[====] Synthesis: Tested: $((pass + fail)) | Passing: $pass | Failing: $fail | Crashing: 0"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
