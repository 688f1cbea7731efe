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

HARNESSES="smtp_reply greeting dnsmsg spf dmarc mtasts tlsrpt dnsbl explain connector onpremcert target"

# The src/*.c files each harness links (the closure of what it calls).
srcs() {
	case $1 in
	smtp_reply) echo smtp_reply facts dnsmsg cert onpremcert connector connector_json connector_clixml connector_fl ;;
	greeting) echo greeting ;;
	dnsmsg) echo dnsmsg ;;
	spf) echo spf textutil ;;
	dmarc) echo dmarc textutil ;;
	mtasts) echo mtasts textutil ;;
	tlsrpt) echo tlsrpt textutil ;;
	dnsbl) echo dnsbl ;;
	explain) echo explain report_explain smtp_reply facts dnsmsg cert onpremcert connector connector_json connector_clixml connector_fl ;;
	connector) echo connector connector_json connector_clixml connector_fl ;;
	onpremcert) echo onpremcert cert facts dnsmsg connector connector_json connector_clixml connector_fl ;;
	target) echo target ;;
	esac
}

SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
CFLAGS="-g -O1 -std=gnu11 $SAN -I$BUILD -Isrc $(pkg-config --cflags openssl libcares jansson)"
LIBS="$(pkg-config --libs openssl libcares jansson)"

build() {
	mkdir -p "$OUT/obj"
	for f in src/*.c; do
		b=$(basename "$f" .c)
		case $b in main|cmd_*) continue ;; esac
		if [ ! -e "$OUT/obj/$b.o" ] || [ "$f" -nt "$OUT/obj/$b.o" ]; then
			$CC $CFLAGS -fsanitize=fuzzer-no-link -DPKGDATADIR='"/nonexistent"' \
				-c "$f" -o "$OUT/obj/$b.o"
		fi
	done
	for h in $HARNESSES; do
		objs=
		for s in $(srcs "$h"); do objs="$objs $OUT/obj/$s.o"; done
		$CC $CFLAGS -fsanitize=fuzzer "tests/fuzz/fuzz_$h.c" $objs $LIBS -o "$OUT/fuzz_$h"
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
