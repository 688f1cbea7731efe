#!/bin/sh
# Build the fuzz harnesses with clang and libFuzzer (ASan + UBSan) and run
# campaigns. Not part of `make check` (which replays the corpus with
# tests/fuzz/replay.c); see doc/reliability.md.
#
#   tests/fuzz/libfuzzer.sh build [OUT]            configure OUT with CC=clang --enable-fuzzing
#                                                  and build OUT/tests/fuzz/fuzz_NAME (make fuzz)
#   tests/fuzz/libfuzzer.sh run NAME RUNS [OUT]    fuzz NAME for RUNS executions into a
#                                                  scratch corpus, seeded from the committed one
#   tests/fuzz/libfuzzer.sh smoke NAME SECS [OUT]  fuzz NAME for SECS seconds from the committed
#                                                  corpus into a fresh scratch one (CI); prints
#                                                  one line, fails on any crash or report
#   tests/fuzz/libfuzzer.sh merge NAME [OUT]       minimise the scratch corpus into
#                                                  tests/fuzz/corpus/NAME (only inputs
#                                                  that add coverage are copied)
#
# Needs: clang, libclang-rt-14-dev. Run from the top of the source tree.
set -eu

top=$(pwd)
cmd=${1:-build}
case $cmd in
build) OUT=${2:-fuzz-out} ;;
run|smoke) name=$2; runs=$3; OUT=${4:-fuzz-out} ;;
merge) name=$2; OUT=${3:-fuzz-out} ;;
*) echo "usage: $0 build|run|smoke|merge ..." >&2; exit 2 ;;
esac
BIN=$OUT/tests/fuzz

build() {
	mkdir -p "$OUT"
	# The flags are configure's (--enable-fuzzing): one definition for both.
	if [ ! -f "$OUT/Makefile" ] || [ "$OUT/config.status" -ot "$top/configure" ]; then
		(cd "$OUT" && "$top/configure" -q CC="${CC:-clang}" --enable-fuzzing)
	fi
	make -s -C "$OUT" -j"$(nproc)" fuzz
}

# The options of a run: -max_len is the largest input the parser reads whole
# (explain reads 64 KiB; records are at most 4 KiB; a DNS message 64 KiB).
options() {
	case $name in
	dmarc|tlsrpt|target|greeting) maxlen=4200 ;;
	smtp_reply|spf) maxlen=16384 ;;
	*) maxlen=65536 ;;
	esac
	opts="-max_len=$maxlen -timeout=10 -rss_limit_mb=2048"
	[ -f "tests/fuzz/$name.dict" ] && opts="$opts -dict=tests/fuzz/$name.dict"
	mkdir -p "$OUT/artifacts/$name"
	opts="$opts -artifact_prefix=$OUT/artifacts/$name/"
	# Seeds kept outside the corpus: the real captures the unit tests read.
	seeds=
	[ "$name" = capture ] && seeds=tests/fixtures/captures
	return 0
}

case $cmd in
build)
	build
	;;
run)
	options
	mkdir -p "$OUT/corpus/$name"
	# shellcheck disable=SC2086
	"$BIN/fuzz_$name" -runs="$runs" $opts -print_final_stats=1 \
		"$OUT/corpus/$name" "tests/fuzz/corpus/$name" $seeds
	;;
smoke)
	options
	rm -rf "$OUT/smoke/$name"
	mkdir -p "$OUT/smoke/$name"
	log=$OUT/smoke/$name.log
	rc=0
	# shellcheck disable=SC2086
	"$BIN/fuzz_$name" -max_total_time="$runs" $opts -print_final_stats=1 \
		"$OUT/smoke/$name" "tests/fuzz/corpus/$name" $seeds > "$log" 2>&1 || rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	# A sanitizer report fails the run even if libFuzzer exited 0.
	if [ $rc -eq 0 ] && ! grep -q -E '^==[0-9]+==ERROR|runtime error:' "$log"; then
		echo "fuzz $name: ok, ${execs:-?} executions in $runs s"
	else
		echo "fuzz $name: FAILED (exit $rc; log $log, reproducer in $OUT/artifacts/$name/)"
		grep -E -A12 '^==[0-9]+==ERROR|runtime error:' "$log" | head -30
		exit 1
	fi
	;;
merge)
	"$BIN/fuzz_$name" -merge=1 "tests/fuzz/corpus/$name" "$OUT/corpus/$name"
	;;
esac
