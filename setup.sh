#!/bin/sh
# Install what hybridtls needs on Debian 12, then build it in build/.
#   ./setup.sh          install the packages, build
#   ./setup.sh check    ... and run the whole test suite
#   ./setup.sh sanitize ... and run the whole test suite under ASan + UBSan (build-san/)
#   ./setup.sh bench    ... and the benchmark's tools too, then run it (make bench)
#   ./setup.sh fuzz     ... build the libFuzzer harnesses (build-fuzz/, clang) and fuzz
#                       each one for FUZZ_SECONDS (15) from its committed corpus
#   ./setup.sh valgrind ... and run the integration suite with every hybridtls run
#                       under valgrind memcheck (no errors, no leaks)
# Idempotent: packages already there and an up-to-date build are skipped.
set -eu
cd "$(dirname "$0")"
top=$(pwd)
what=${1:-build}

# Packages to build and run (first line) and to test (second line).
PKGS="autoconf automake make gcc pkg-config libncurses-dev libssl-dev libc-ares-dev libjansson-dev
      libcriterion-dev postfix nsd openssl socat tmux ca-certificates iproute2 procps libgnutls-dane0 libidn12 libnsl2"
# Only for the step that needs them.
case $what in
fuzz) PKGS="$PKGS clang libclang-rt-14-dev" ;;
valgrind) PKGS="$PKGS valgrind" ;;
esac

# The benchmark's own (./setup.sh bench only): doc/performance.md.
[ "$what" = bench ] && PKGS="$PKGS swaks libnet-ssleay-perl libio-socket-inet6-perl testssl.sh
      dnsutils valgrind iptables libnetfilter-queue-dev bc jq"

as_root() {
	if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "setup: installing:$missing"
	as_root apt-get update -qq
	# Postfix asks how to configure itself; the tests run their own instance.
	echo "postfix postfix/main_mailer_type select No configuration" | as_root debconf-set-selections
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
fi

# Exim names the client's address in its EHLO reply, as Exchange does; its
# package conflicts with Postfix's, so the tests use it unpacked in /opt.
EXIM_DIR=/opt/hybridtls-test/exim
if [ "$what" != build ] && [ ! -x "$EXIM_DIR/usr/sbin/exim4" ]; then
	echo "setup: unpacking exim4-daemon-light for the tests into $EXIM_DIR"
	tmp=$(mktemp -d)
	(cd "$tmp" && as_root apt-get download -q exim4-daemon-light >/dev/null 2>&1 ||
	    (as_root apt-get update -qq && as_root apt-get download -q exim4-daemon-light))
	as_root mkdir -p "$EXIM_DIR"
	as_root dpkg-deb -x "$tmp"/exim4-daemon-light_*.deb "$EXIM_DIR"
	rm -rf "$tmp"
fi
if [ "$what" != build ] && ! getent passwd Debian-exim >/dev/null; then
	as_root useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin Debian-exim
fi

[ -x configure ] && [ configure -nt configure.ac ] && [ Makefile.in -nt Makefile.am ] || autoreconf -fi

build() {	# build DIR CONFIGURE-ARGS...
	dir=$1; shift
	mkdir -p "$dir"
	if [ ! -f "$dir/Makefile" ] || [ "$dir/config.status" -ot configure ]; then
		(cd "$dir" && "$top/configure" -q "$@")
	fi
	make -s -C "$dir" -j"$(nproc)"
}

case "$what" in
build)
	build build --enable-werror
	echo "setup: built build/hybridtls"
	;;
check)
	build build --enable-werror
	rc=0
	make -s -C build -j2 check || rc=$?
	sh tests/summarize.sh build || rc=1
	exit $rc
	;;
sanitize)
	build build-san --enable-werror --enable-sanitizers
	rc=0
	# Leaks fail the test binaries; the hybridtls runs inside them report too.
	LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$top/tests/lsan.supp:print_suppressions=0} \
	ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0} \
	UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1} \
	    make -s -C build-san -j2 check || rc=$?
	sh tests/summarize.sh build-san || rc=1
	exit $rc
	;;
bench)
	build build --enable-werror
	make -s -C build bench
	;;
fuzz)
	# A short bounded run of every harness (CI); doc/reliability.md has the
	# long campaigns. Each harness counts as one test in the totals.
	tests/fuzz/libfuzzer.sh build build-fuzz
	pass=0 fail=0 start=$(date +%s)
	for src in tests/fuzz/fuzz_*.c; do
		name=${src#tests/fuzz/fuzz_}
		name=${name%.c}
		if tests/fuzz/libfuzzer.sh smoke "$name" "${FUZZ_SECONDS:-15}" build-fuzz; then
			pass=$((pass + 1))
		else
			fail=$((fail + 1))
		fi
	done
	echo "fuzz: $((pass + fail)) harnesses, ${FUZZ_SECONDS:-15} s each, $(($(date +%s) - start)) s in all"
	echo "$pass passed, $fail failed"
	[ "$fail" -eq 0 ]
	;;
valgrind)
	build build --enable-werror
	# Every run of the binary by the integration tests goes through valgrind;
	# the tests' waits and the --timeout they pass are scaled, since it runs
	# some 20 times slower. Left out: the batch of 200, whose healthy targets
	# must greet within 5 s while one valgrind process runs 40 handshakes at
	# once (the other batch tests run).
	vg=$top/build/valgrind
	rm -rf "$vg"
	mkdir -p "$vg"
	rc=0
	HTLS_WRAP="valgrind --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect --log-file=$vg/%p.log" \
	HTLS_TIME_SCALE=${HTLS_TIME_SCALE:-10} \
	CRITERION_TEST_PATTERN='!(scripting/batch_of_200_targets_reports_each_exactly_once)' \
	    make -s -C build -j2 check TESTS=tests/run-integration.sh || rc=$?
	runs=$(ls "$vg" | wc -l)
	bad=$(grep -l -E 'ERROR SUMMARY: [1-9]|(definitely|indirectly) lost: [1-9]' "$vg"/*.log 2>/dev/null | wc -l)
	echo "valgrind: $runs runs of hybridtls, $bad with errors or leaks"
	[ "$bad" -eq 0 ] || { rc=1; grep -l -E 'ERROR SUMMARY: [1-9]|(definitely|indirectly) lost: [1-9]' "$vg"/*.log | head -5; }
	[ "$runs" -gt 0 ] || rc=1
	# A run with a valgrind error is a failed test too (exit 99 breaks its assertions).
	sh tests/summarize.sh build run-integration.sh || rc=1
	exit $rc
	;;
*)
	echo "usage: ./setup.sh [check|sanitize|fuzz|valgrind|bench]" >&2
	exit 64
	;;
esac
