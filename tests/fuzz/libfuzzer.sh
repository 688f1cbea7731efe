#!/bin/sh
# Build the fuzz harnesses with clang and libFuzzer (ASan + UBSan) and
# optionally run a campaign. Not part of `make check` (which replays the
# corpus with tests/fuzz/replay.c); see doc/reliability.md.
#
#   tests/fuzz/libfuzzer.sh build [OUT]            build OUT/fuzz_NAME for every harness
#   tests/fuzz/libfuzzer.sh run NAME RUNS [OUT]    fuzz NAME for RUNS executions into a
#                                                  scratch corpus, seeded from the committed one
#   tests/fuzz/libfuzzer.sh merge NAME [OUT]       minimise the scratch corpus into
#                                                  tests/fuzz/corpus/NAME (only inputs
#                                                  that add coverage are copied)
#
# Needs: clang, libclang-rt-14-dev, a configured build tree for config.h
# (BUILD, default ./build). Run from the top of the source tree.
set -eu

BUILD=${BUILD:-build}
CC=${CC:-clang}
cmd=${1:-build}
case $cmd in
build) OUT=${2:-fuzz-out} ;;
run) name=$2; runs=$3; OUT=${4:-fuzz-out} ;;
merge) name=$2; OUT=${3:-fuzz-out} ;;
*) echo "usage: $0 build|run|merge ..." >&2; exit 2 ;;
esac

HARNESSES="smtp_reply greeting dnsmsg spf dmarc mtasts tlsrpt dnsbl explain connector onpremcert target capture"

SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
CFLAGS="-g -O1 -std=gnu11 $SAN -I$BUILD -Isrc $(pkg-config --cflags openssl libcares jansson)"
LIBS="$(pkg-config --libs openssl libcares jansson)"

build() {
	# Every object afresh: a header may have changed under any of them.
	rm -rf "$OUT/obj"
	mkdir -p "$OUT/obj"
	for f in src/*.c; do
		b=$(basename "$f" .c)
		case $b in main|cmd_*) continue ;; esac
		$CC $CFLAGS -fsanitize=fuzzer-no-link -DPKGDATADIR='"/nonexistent"' \
			-c "$f" -o "$OUT/obj/$b.o"
	done
	# An archive, as libhybridtls.a is: each harness pulls in only the
	# objects it needs, whatever src/ calls what today.
	rm -f "$OUT/libhybridtls-fuzz.a"
	ar rcs "$OUT/libhybridtls-fuzz.a" "$OUT"/obj/*.o
	for h in $HARNESSES; do
		$CC $CFLAGS -fsanitize=fuzzer "tests/fuzz/fuzz_$h.c" "$OUT/libhybridtls-fuzz.a" \
			$LIBS -o "$OUT/fuzz_$h"
	done
}

case $cmd in
build)
	build
	;;
run)
	mkdir -p "$OUT/corpus/$name" "$OUT/artifacts/$name"
	# -max_len: the largest input the parser reads whole (explain reads 64 KiB;
	# records are at most 4 KiB; a DNS message 64 KiB).
	case $name in
	dmarc|tlsrpt|target|greeting) maxlen=4200 ;;
	smtp_reply|spf) maxlen=16384 ;;
	capture) maxlen=65536 ;;	# the seeds are real captures of 5-36 KiB
	*) maxlen=65536 ;;
	esac
	dict=
	[ -f "tests/fuzz/$name.dict" ] && dict="-dict=tests/fuzz/$name.dict"
	"$OUT/fuzz_$name" -runs="$runs" -max_len=$maxlen -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 $dict -artifact_prefix="$OUT/artifacts/$name/" \
		"$OUT/corpus/$name" "tests/fuzz/corpus/$name"
	;;
merge)
	"$OUT/fuzz_$name" -merge=1 "tests/fuzz/corpus/$name" "$OUT/corpus/$name"
	;;
esac
