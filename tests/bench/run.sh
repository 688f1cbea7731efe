#!/bin/bash
# The benchmark (make bench; doc/performance.md): the tests' Postfix, Exim and
# NSD run in a network namespace of their own whose loopback holds every
# packet for BENCH_DELAY_US (NFQUEUE and tests/bench/nfqdelay.c: netem is not
# in this kernel), so a round trip costs twice that. hybridtls and the tools
# it is compared with run in the same namespace; nothing leaves it (it has
# only a loopback). Every result is also given as a multiple of the round
# trip measured in the same run. Torn down whatever happens.
#
# Environment: top_srcdir, top_builddir (as make sets them), BENCH_RUNS
# (repetitions of each timed command, default 7), BENCH_DELAY_US (one-way
# delay, default 25000: a 50 ms round trip), BENCH_TESTSSL=0 to skip
# testssl.sh (minutes under latency), BENCH_OUT (the results file, default
# $top_builddir/bench-results.txt), BENCH_KEEP=1 to keep the working
# directory (outputs, callgrind files), BENCH_CALLGRIND_TARGETS (how many of
# the batch's targets run under callgrind, default 100), BENCH_BIN2 (another hybridtls binary:
# its check and smtp are measured beside ours, as check2 and smtp2), BENCH_ONLY=batch
# (only the batch of 1,000 and its callgrind run), BENCH_BATCH_ARGS (more
# arguments for the batch, such as --full). Needs root.
#   run.sh               the benchmark
#   run.sh --exec CMD    set up the same, run CMD in the namespace, tear down
set -u
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$(pwd)}"
top_srcdir=$(cd "$top_srcdir" && pwd -P)
top_builddir=$(cd "$top_builddir" && pwd -P)
export top_srcdir top_builddir
RUNS=${BENCH_RUNS:-7}
DELAY_US=${BENCH_DELAY_US:-25000}
OUT=${BENCH_OUT:-$top_builddir/bench-results.txt}
BIN=$top_builddir/hybridtls
ZONES50=$top_srcdir/tests/bench/dnsbl-50.zones
QUEUE=$((100 + $$ % 800))

die() {
	echo "bench: $*" >&2
	exit 1
}

[ "$(id -u)" -eq 0 ] || die "must run as root (network namespace, iptables, Postfix)"
for tool in ip iptables dig openssl swaks cc pkg-config valgrind nsd postfix; do
	command -v "$tool" >/dev/null || die "$tool is missing: run ./setup.sh bench"
done
pkg-config --exists libnetfilter_queue || die "libnetfilter-queue-dev is missing: run ./setup.sh bench"
[ -x "$BIN" ] || die "no $BIN: build first"

dir=$(mktemp -d "${TMPDIR:-/tmp}/hybridtls-bench.XXXXXX")
chmod go+x "$dir"
ns=htlsbench$$
nsdir=/etc/netns/$ns

stop() {
	set +e
	[ -f "$dir/nfq.pid" ] && kill "$(cat "$dir/nfq.pid")" 2>/dev/null
	bash "$top_srcdir/tests/dns.sh" stop "$dir/dns" >/dev/null 2>&1
	bash "$top_srcdir/tests/servers.sh" stop "$dir/srv" >/dev/null 2>&1
	# nfqdelay lets whatever it holds go when it stops; then the rest.
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		[ -f "$dir/nfq.pid" ] && kill -0 "$(cat "$dir/nfq.pid")" 2>/dev/null || break
		sleep 0.1
	done
	ip netns del "$ns" 2>/dev/null
	rm -rf "$nsdir"
	[ "${BENCH_KEEP:-0}" = 1 ] && echo "bench: kept $dir" >&2 || rm -rf "$dir"
}
trap stop EXIT
trap 'exit 130' INT TERM HUP

nsx() { ip netns exec "$ns" "$@"; }

# ---- tools ----
mkdir "$dir/bin" "$dir/out"
for t in nfqdelay runstat ptytime; do
	libs=-lutil
	[ $t = nfqdelay ] && libs=$(pkg-config --libs libnetfilter_queue)
	# shellcheck disable=SC2086
	cc -O2 -Wall -Wextra -Werror -o "$dir/bin/$t" "$top_srcdir/tests/bench/$t.c" $libs ||
	    die "cannot build tests/bench/$t.c"
done

# ---- the namespace and its servers ----
# ip netns exec bind-mounts /etc/netns/NS/resolv.conf over /etc/resolv.conf:
# anything that resolves on its own (testssl.sh, swaks) asks 127.0.0.1 and
# gets a refusal at once.
mkdir -p "$nsdir"
echo "nameserver 127.0.0.1" >"$nsdir/resolv.conf"
ip netns add "$ns" || die "cannot create a network namespace"
nsx ip link set lo up || die "cannot bring up the namespace's loopback"

nsx bash "$top_srcdir/tests/servers.sh" start "$dir/srv" >"$dir/servers.log" 2>&1 ||
    { cat "$dir/servers.log" >&2; die "the test servers did not start"; }
set -a
. "$dir/srv/env"
set +a
DNS_PORT=$((HTLS_PORT_HEALTHY + 49))
nsx bash "$top_srcdir/tests/dns.sh" start "$dir/dns" "$DNS_PORT" >"$dir/dns.log" 2>&1 ||
    { cat "$dir/dns.log" >&2; die "the test DNS server did not start"; }
RESOLVER=127.0.0.1:$DNS_PORT

delay_on() {
	nsx iptables -A OUTPUT -o lo -j NFQUEUE --queue-num "$QUEUE" || die "iptables NFQUEUE failed"
}
delay_off() {
	nsx iptables -D OUTPUT -o lo -j NFQUEUE --queue-num "$QUEUE" 2>/dev/null
}
nsx "$dir/bin/nfqdelay" --queue "$QUEUE" --delay-us "$DELAY_US" --pidfile "$dir/nfq.pid" \
    </dev/null >"$dir/nfq.log" 2>&1 &
for _ in $(seq 50); do [ -s "$dir/nfq.pid" ] && break; sleep 0.05; done
[ -s "$dir/nfq.pid" ] || { cat "$dir/nfq.log" >&2; die "nfqdelay did not start"; }

# ---- measuring ----
# runstat's line for one run of a command in the namespace, appended to
# $dir/raw/NAME as "wall user sys rss status".
mkdir "$dir/raw"
measure() {	# NAME COMMAND...
	local name=$1 line
	shift
	line=$(nsx "$dir/bin/runstat" "$@" 2>&1 >"$dir/out/$name.out" | grep '^runstat ' | tail -n 1)
	[ -n "$line" ] || { echo "bench: $name: no measurement" >&2; return 1; }
	set -- $line
	echo "${2#*=} ${3#*=} ${4#*=} ${5#*=} ${6#*=}" >>"$dir/raw/$name"
}

# median, min and max of column C (1-based) of a raw file
stats() {	# FILE COLUMN -> "median min max"
	awk -v c="$2" '{ print $c }' "$1" | sort -g | awk '
		{ v[NR] = $1 }
		END { if (NR == 0) { print "- - -"; exit }
		      m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		      print m, v[1], v[NR] }'
}

# The slowest blocklist answer as the engine timed it (no process start and
# exit): NAME_dns gets it in ms.
dns_span() {
	jq '[.facts.dnsbl.results[] | (.answer, .reason, .test_listed, .test_not_listed)
	    | objects | .ms] | max' "$dir/out/$1.out" >>"$dir/raw/$1_dns" 2>/dev/null
}
# Where the full check's time went, from its own JSON (ms): the MX answer,
# then the SMTP probe's phases (resolve of the MX host, connect, banner,
# EHLO, STARTTLS, TLS handshake, EHLO over TLS, QUIT) and its total.
CHECK_PHASES="mx resolve connect banner ehlo starttls handshake ehlo_tls quit smtp_total"
check_path() {
	jq -r '.facts.smtp.timings as $t
	    | [.facts.dns.records.mx.ms, $t.resolve_ms, $t.connect_ms, $t.banner_ms, $t.ehlo_ms,
	       $t.starttls_ms, $t.handshake_ms, $t.ehlo_tls_ms, $t.quit_ms, $t.total_ms] | @tsv' \
	    "$dir/out/check.out" >>"$dir/raw/check_path" 2>/dev/null
}

# ---- the round trip actually obtained ----
delay_on
rtt_dns() {
	nsx dig +tries=1 +time=2 -p "$DNS_PORT" @127.0.0.1 healthy.test SOA |
	    awk '/Query time:/ { print $4 }'
}
rtt_tcp() {	# ms to connect to the healthy Postfix (SYN, SYN-ACK), from bash
	nsx bash -c '
		t0=${EPOCHREALTIME/./}
		exec 3<>/dev/tcp/127.0.0.1/'"$HTLS_PORT_HEALTHY"' || exit 1
		t1=${EPOCHREALTIME/./}
		exec 3>&-
		echo $(( (t1 - t0) / 1000 )).$(( (t1 - t0) % 1000 / 100 ))'
}
for _ in $(seq "$RUNS"); do
	rtt_dns >>"$dir/raw/rtt_dns"
	rtt_tcp >>"$dir/raw/rtt_tcp"
done
read -r RTT RTT_MIN RTT_MAX < <(stats "$dir/raw/rtt_dns" 1)
read -r TCP TCP_MIN TCP_MAX < <(stats "$dir/raw/rtt_tcp" 1)
case $RTT in ""|-|*[!0-9.]*) die "no round trip measured (dig failed?)" ;; esac
# dig says whole milliseconds: 0 with no added delay; ratios then use 1 ms.
[ "$RTT" = 0 ] && RTT=1
echo "bench: round trip: dig $RTT ms ($RTT_MIN..$RTT_MAX), TCP connect $TCP ms ($TCP_MIN..$TCP_MAX)"

# run.sh --exec COMMAND...: the same set-up, then COMMAND (in the namespace,
# under latency, with HTLS_*, RESOLVER and ZONES50 set) instead of the benchmark.
if [ "${1:-}" = --exec ]; then
	shift
	export RESOLVER ZONES50 BIN
	nsx "$@"
	exit
fi

# ---- side by side, under latency; interleaved so that load hits all alike ----
# --ehlo bench.test: Exim looks up the host name of an EHLO that names its
# own address ([127.0.0.1]), two more round trips that are Exim's, not ours.
HT=("$BIN" --resolver "$RESOLVER" --ca-file "$HTLS_CA" --timeout 10 --ehlo bench.test)
MX_HOST=healthy-test.mail.protection.outlook.com
dig_loop() {
	local z
	for z in $(awk '$1 == "zone" { print $2 }' "$ZONES50"); do
		dig +short +tries=1 +time=2 -p "$DNS_PORT" @127.0.0.1 "1.0.0.127.$z" A
	done
}
export -f dig_loop
export DNS_PORT ZONES50
[ "${BENCH_ONLY:-}" = batch ] && RUNS=0	# no latency part
for r in $(seq "$RUNS"); do
	echo "bench: run $r of $RUNS"
	# The full diagnosis of a domain: MX, then SMTP/STARTTLS/TLS to Exim (it
	# names the client's address in its EHLO reply, as Exchange does), every
	# DNS record, PTR, SPF and the 50 blocklists on that address.
	measure check "${HT[@]}" check healthy.test --port "$HTLS_PORT_EXIM" \
	    --dnsbl-zones "$ZONES50" --json
	check_path
	if [ -n "${BENCH_BIN2:-}" ]; then
		measure check2 "$BENCH_BIN2" "${HT[@]:1}" check healthy.test --port "$HTLS_PORT_EXIM" \
		    --dnsbl-zones "$ZONES50" --json
		measure smtp2 "$BENCH_BIN2" "${HT[@]:1}" smtp "127.0.0.1:$HTLS_PORT_EXIM" --tls-name "$MX_HOST"
	fi
	measure smtp "${HT[@]}" smtp "127.0.0.1:$HTLS_PORT_EXIM" --tls-name "$MX_HOST"
	measure swaks swaks --server "127.0.0.1:$HTLS_PORT_EXIM" --tls --quit-after helo \
	    --helo bench.test --from a@bench.test --to b@healthy.test --timeout 10
	measure s_client sh -c "openssl s_client -starttls smtp -connect 127.0.0.1:$HTLS_PORT_EXIM \
	    -name bench.test -servername $MX_HOST -CAfile $HTLS_CA -brief </dev/null"
	measure bl50 "${HT[@]}" blocklist 127.0.0.1 --dnsbl-zones "$ZONES50" --json
	dns_span bl50
	measure bl50_listed "${HT[@]}" blocklist 127.0.0.2 --dnsbl-zones "$ZONES50" --json
	dns_span bl50_listed
	measure dig50 bash -c dig_loop
	measure dns "${HT[@]}" dns healthy.test --ip 127.0.0.1 --json
done
if [ "$RUNS" -gt 0 ] && [ "${BENCH_TESTSSL:-1}" != 0 ] && command -v testssl >/dev/null; then
	echo "bench: testssl.sh (once: minutes under latency)"
	measure testssl timeout 1200 testssl --starttls smtp --quiet --color 0 --warnings off \
	    --nodns none --ip 127.0.0.1 --connect-timeout 10 --openssl-timeout 10 \
	    "127.0.0.1:$HTLS_PORT_EXIM"
fi

# ---- on loopback, no added latency ----
delay_off
echo "bench: batch of 1000 targets, -j 100, on loopback"
ports="$HTLS_PORT_HEALTHY $HTLS_PORT_NOSTARTTLS $HTLS_PORT_EXPIRED $HTLS_PORT_WRONGNAME
	$HTLS_PORT_SELFSIGNED $HTLS_PORT_NOINTER $HTLS_PORT_EXPIRING $HTLS_PORT_NOTYET
	$HTLS_PORT_UNTRUSTED $HTLS_PORT_ENFORCE"
# Distinct names (the batch drops duplicates): batch.test answers 127.0.0.1 for any.
for i in $(seq 100); do for p in $ports; do echo "h$i.batch.test:$p"; done; done >"$dir/targets"
# shellcheck disable=SC2206
BATCH_ARGS=(${BENCH_BATCH_ARGS:-})
BATCH=("${HT[@]}" batch "$dir/targets" -j 100 --ip 127.0.0.1 --dnsbl-zones "$ZONES50" --json "${BATCH_ARGS[@]}")
for _ in $(seq 3); do
	measure batch "${BATCH[@]}"
done
# Instructions per target: callgrind runs 50 times slower, so on the first
# CG_TARGETS of the list (the whole 1,000 take most of an hour on this machine).
CG_TARGETS=${BENCH_CALLGRIND_TARGETS:-100}
head -n "$CG_TARGETS" "$dir/targets" >"$dir/targets-cg"
nsx valgrind --tool=callgrind --callgrind-out-file="$dir/callgrind.out" \
    "${HT[@]}" --timeout 60 batch "$dir/targets-cg" -j 100 --ip 127.0.0.1 --dnsbl-zones "$ZONES50" \
    --target-timeout 300 --json "${BATCH_ARGS[@]}" >"$dir/out/batch-callgrind.out" 2>"$dir/callgrind.log"
BATCH_IR=$(awk '/^summary:/ { print $2 }' "$dir/callgrind.out" 2>/dev/null)
BATCH_OK=$(grep -c . "$dir/out/batch-callgrind.out")
measure check_loopback "${HT[@]}" check healthy.test --port "$HTLS_PORT_EXIM" \
    --dnsbl-zones "$ZONES50" --json
nsx valgrind --tool=callgrind --callgrind-out-file="$dir/callgrind-check.out" \
    "${HT[@]}" check healthy.test --port "$HTLS_PORT_EXIM" --dnsbl-zones "$ZONES50" --json \
    >/dev/null 2>"$dir/callgrind-check.log"
CHECK_IR=$(awk '/^summary:/ { print $2 }' "$dir/callgrind-check.out" 2>/dev/null)

# Start to the first wizard screen ("What to check"), on an 80x24 pty.
for _ in $(seq "$RUNS"); do
	nsx "$dir/bin/ptytime" --timeout-ms 2000 "What to check" "$BIN" >>"$dir/raw/wizard.txt" 2>/dev/null
done

# ---- the report ----
{
	echo "hybridtls benchmark, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "hybridtls $("$BIN" --version 2>/dev/null | head -n 1 | awk '{ print $2 }'), git $(git -C "$top_srcdir" rev-parse --short HEAD 2>/dev/null || echo '?')"
	echo "added delay $DELAY_US us each way; runs per command: $RUNS (median, then min..max)"
	echo
	printf 'round trip (dig):         %s ms (%s..%s)\n' "$RTT" "$RTT_MIN" "$RTT_MAX"
	printf 'TCP connect:              %s ms (%s..%s)\n' "$TCP" "$TCP_MIN" "$TCP_MAX"
	echo
	printf '%-14s %10s %18s %7s %9s %9s %10s %s\n' what wall_ms "(min..max)" RTTs user_ms sys_ms rss_kib status
	for name in check check2 smtp smtp2 swaks s_client bl50 bl50_listed dig50 dns testssl check_loopback batch; do
		f=$dir/raw/$name
		[ -s "$f" ] || continue
		read -r w wmin wmax < <(stats "$f" 1)
		read -r u _ _ < <(stats "$f" 2)
		read -r s _ _ < <(stats "$f" 3)
		read -r _ _ rss < <(stats "$f" 4)
		st=$(awk '{ print $5 }' "$f" | sort -u | tr '\n' ',' | sed 's/,$//')
		printf '%-14s %10.1f %18s %7.2f %9.1f %9.1f %10d %s\n' "$name" "$w" \
		    "($wmin..$wmax)" "$(echo "$w / $RTT" | bc -l)" "$u" "$s" "$rss" "$st"
	done
	echo
	read -r bw _ _ < <(stats "$dir/raw/batch" 1)
	printf 'batch: 1000 targets in %.0f ms: %.0f targets/s\n' "$bw" "$(echo "1000000 / $bw" | bc -l)"
	if [ -n "$BATCH_IR" ]; then
		printf 'batch of %s under callgrind: %s instructions, %.0f per target (%s report lines)\n' \
		    "$CG_TARGETS" "$BATCH_IR" "$(echo "$BATCH_IR / $CG_TARGETS" | bc -l)" "$BATCH_OK"
	else
		echo "batch under callgrind: no result (see callgrind.log)"
	fi
	[ -n "$CHECK_IR" ] && printf 'one full check under callgrind: %s instructions\n' "$CHECK_IR"
	if [ "$RUNS" -eq 0 ]; then
		:	# BENCH_ONLY=batch
	elif grep -q shown_ms "$dir/raw/wizard.txt"; then
		sed -n 's/.*shown_ms=//p' "$dir/raw/wizard.txt" >"$dir/raw/wizard"
		read -r wz wzmin wzmax < <(stats "$dir/raw/wizard" 1)
		printf 'first wizard screen: %s ms (%s..%s)\n' "$wz" "$wzmin" "$wzmax"
	else
		echo "first wizard screen: wizard not available ($(head -n 1 "$dir/raw/wizard.txt"))"
	fi
	echo
	[ -s "$dir/raw/check_path" ] && echo "the full check, phase by phase (its JSON; median ms, and in round trips):"
	col=0
	[ -s "$dir/raw/check_path" ] || CHECK_PHASES=
	for ph in $CHECK_PHASES; do
		col=$((col + 1))
		read -r m _ _ < <(stats "$dir/raw/check_path" "$col")
		printf '  %-11s %7s ms %6.2f RTT\n' "$ph" "$m" "$(echo "$m / $RTT" | bc -l)"
	done
	for name in bl50 bl50_listed; do
		[ -s "$dir/raw/${name}_dns" ] || continue
		read -r m mn mx < <(stats "$dir/raw/${name}_dns" 1)
		printf '%s: slowest answer %s ms (%s..%s) = %.2f RTT, as the engine timed it\n' \
		    "$name" "$m" "$mn" "$mx" "$(echo "$m / $RTT" | bc -l)"
	done
	echo
	echo "raw: one line per run, wall_ms user_ms sys_ms maxrss_kib status"
	for f in "$dir"/raw/*; do echo "  $(basename "$f"): $(tr '\n' ';' <"$f")"; done
} >"$OUT"
cp "$dir/out/check.out" "${OUT%.txt}-check.json" 2>/dev/null
cat "$OUT"
