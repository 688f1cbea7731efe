#!/bin/bash
# A real authoritative DNS server (NSD) on 127.0.0.1 for the hybridtls
# integration tests, serving the zones in tests/zones/ over UDP and TCP.
#
#   tests/dns.sh start DIR PORT	write DIR/nsd.conf, copy and check the
#				zones, start NSD on 127.0.0.1@PORT and wait
#				until it answers healthy.test SOA (UDP, TCP)
#   tests/dns.sh stop DIR	stop it (safe to repeat, and without a start)
#   tests/dns.sh stats DIR	print NSD's query counters ("name=value" lines,
#				without resetting them), per zone too: the
#				counters of zone Z are named "Z.num.queries",
#				"Z.num.type.A"... (zonestats)
#
# Environment: HTLS_DNS_TLSA_HASH (optional): 64 hex digits that replace the
# placeholder hash of every _25._tcp.* TLSA 3 1 1 in the copies.
# NSD is authoritative only: names outside tests/zones/ are REFUSED, and it
# never sends a query anywhere. Nothing but 127.0.0.1 is bound.
# Needs only nsd and bash (the readiness probe uses /dev/udp and /dev/tcp).
set -eu

READY_TIMEOUT_MS=5000		# NSD must answer within this
STOP_TIMEOUT_MS=5000		# and be gone within this (then KILL)

ZONES_SRC=$(cd "$(dirname "$0")/zones" && pwd -P) ||
    { echo "dns.sh: no zones directory beside $0" >&2; exit 1; }

die() {
	echo "dns.sh: $*" >&2
	exit 1
}

usage() {
	echo "usage: $0 start DIR PORT | stop DIR | stats DIR" >&2
	exit 2
}

now_ms() {
	local t=${EPOCHREALTIME/./}
	echo $((t / 1000))
}

# ---- the readiness probe: a real DNS query, in bash ----

# "healthy.test SOA IN" with the given 16-bit id, no RD, as printf escapes.
query_bytes() {
	printf '\\x%02x\\x%02x' $(($1 >> 8)) $(($1 & 255))
	printf '%s' '\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00'
	printf '%s' '\x07healthy\x04test\x00\x00\x06\x00\x01'
}

# Is the reply (hex bytes on stdin) an authoritative NOERROR answer to
# query id $1 with at least one answer record?
good_reply() {
	local -a b
	read -r -a b <<<"$(tr -s ' \n' '  ')"
	[ "${#b[@]}" -ge 12 ] || return 1
	[ $((16#${b[0]} * 256 + 16#${b[1]})) -eq "$1" ] || return 1
	# QR and AA set, RCODE 0, ANCOUNT > 0
	[ $((16#${b[2]} & 0x84)) -eq $((0x84)) ] || return 1
	[ $((16#${b[3]} & 0x0f)) -eq 0 ] || return 1
	[ $((16#${b[6]} * 256 + 16#${b[7]})) -gt 0 ] || return 1
}

probe_udp() {
	local id=$((RANDOM)) q
	q=$(query_bytes "$id")
	(
		exec 3<>"/dev/udp/127.0.0.1/$PORT" || exit 1
		# shellcheck disable=SC2059
		printf "$q" >&3
		# One datagram: dd does a single read().
		timeout 1 dd bs=4096 count=1 status=none <&3 | od -An -v -tx1
	) 2>/dev/null | good_reply "$id"
}

probe_tcp() {
	local id=$((RANDOM)) q
	q=$(query_bytes "$id")
	(
		exec 3<>"/dev/tcp/127.0.0.1/$PORT" || exit 1
		# shellcheck disable=SC2059
		printf "\\x00\\x1e$q" >&3	# 2-byte length prefix: 30
		timeout 1 head -c 14 <&3 | od -An -v -tx1
	) 2>/dev/null | { read -r _ _ rest; echo "$rest"; } | good_reply "$id"
}

# ---- processes ----

# Our live NSD processes, "pid" per line: the ones run with our config
# file (NSD names them "nsd: xfrd", "nsd: main", "nsd: server 1", so match
# the command line, not the name). Zombies count as gone: orphans that
# init has not reaped yet.
our_processes() {
	local pid stat args
	ps -eo pid=,stat=,args= | while read -r pid stat args; do
		case $stat in Z*) continue ;; esac
		case $args in
		"nsd -c $DIR/nsd.conf"|*"/nsd -c $DIR/nsd.conf") echo "$pid" ;;
		esac
	done
}

cmd_stop() {
	local deadline left pid procs
	[ -f "$DIR/nsd.conf" ] || return 0
	procs=$(our_processes)
	[ -n "$procs" ] || { rm -f "$DIR/nsd.pid"; return 0; }

	# The main process first (it stops its children), then anything left.
	if [ -f "$DIR/nsd.pid" ] && read -r pid <"$DIR/nsd.pid" &&
	    printf '%s\n' "$procs" | grep -qx "$pid"; then
		kill -TERM "$pid" 2>/dev/null || true
	else
		# shellcheck disable=SC2086
		kill -TERM $procs 2>/dev/null || true
	fi
	deadline=$(($(now_ms) + STOP_TIMEOUT_MS))
	while :; do
		left=$(our_processes)
		[ -z "$left" ] && break
		if [ "$(now_ms)" -ge "$deadline" ]; then
			echo "dns.sh: killing nsd" "${left//$'\n'/ }" >&2
			# shellcheck disable=SC2086
			kill -KILL $left 2>/dev/null || true
			sleep 0.2
			left=$(our_processes)
			[ -z "$left" ] || die "still running: nsd" "${left//$'\n'/ }"
			break
		fi
		sleep 0.05
	done
	rm -f "$DIR/nsd.pid"
}

# ---- starting ----

write_conf() {
	local f name
	{
		cat <<EOF
# NSD for the hybridtls tests (written by tests/dns.sh): authoritative
# only, 127.0.0.1@$PORT (UDP and TCP), no zone transfers, control on a
# local socket only (for the query counters).
server:
	ip-address: 127.0.0.1@$PORT
	do-ip4: yes
	do-ip6: no
	server-count: 1
	reuseport: no
	# Stay root: no setuid and no chroot, so DIR needs no special rights.
	username: ""
	chroot: ""
	zonesdir: "$DIR/zones"
	database: ""
	zonelistfile: "$DIR/zone.list"
	xfrdfile: ""
	xfrdir: "$DIR/xfr"
	zonefiles-write: 0
	pidfile: "$DIR/nsd.pid"
	logfile: "$DIR/nsd.log"
	verbosity: 0
	hide-version: yes
	hide-identity: yes
	refuse-any: no
	# Answer full sets, as a real zone server would.
	minimal-responses: no
	round-robin: no
	rrl-ratelimit: 0
	rrl-whitelist-ratelimit: 0

remote-control:
	control-enable: yes
	control-interface: "$DIR/nsd.ctl"
EOF
		# Each zone counts its own queries, under its own name.
		for f in "$DIR"/zones/*.zone; do
			name=$(basename "$f" .zone)
			printf '\nzone:\n\tname: "%s"\n\tzonefile: "%s.zone"\n\tzonestats: "%s"\n' \
			    "$name" "$name" "$name"
		done
	} >"$DIR/nsd.conf"
}

copy_zones() {
	local f name
	rm -rf "$DIR/zones" "$DIR/xfr"
	mkdir -m 755 "$DIR/zones" "$DIR/xfr"
	set -- "$ZONES_SRC"/*.zone
	[ -f "$1" ] || die "no zone files in $ZONES_SRC"
	cp "$@" "$DIR/zones/"
	if [ -n "${HTLS_DNS_TLSA_HASH:-}" ]; then
		case $HTLS_DNS_TLSA_HASH in
		*[!0-9A-Fa-f]*) die "HTLS_DNS_TLSA_HASH: not hex" ;;
		esac
		[ ${#HTLS_DNS_TLSA_HASH} -eq 64 ] ||
		    die "HTLS_DNS_TLSA_HASH: want 64 hex digits (SHA-256)"
		# Every TLSA 3 1 1 placeholder (mail.healthy.test, the DANE MX host).
		sed -i "/^_25\._tcp\.[^[:space:]]*[[:space:]]/s/ 0\{64\}\$/ $HTLS_DNS_TLSA_HASH/" \
		    "$DIR"/zones/*.zone
		grep -q "$HTLS_DNS_TLSA_HASH" "$DIR/zones/healthy.test.zone" ||
		    die "no placeholder TLSA line in healthy.test.zone"
	fi
	for f in "$DIR"/zones/*.zone; do
		name=$(basename "$f" .zone)
		nsd-checkzone "$name" "$f" >"$DIR/checkzone.log" 2>&1 || {
			cat "$DIR/checkzone.log" >&2
			die "zone $name ($ZONES_SRC/$name.zone) has errors"
		}
	done
	rm -f "$DIR/checkzone.log"
}

# nsd with stdio as given and every other descriptor closed: the daemon
# must hold none of the caller's pipes (a test harness waits for those).
run_nsd() {
	(
		for fd in /proc/self/fd/*; do
			fd=${fd##*/}
			[ "$fd" -gt 2 ] 2>/dev/null || continue
			eval "exec $fd>&-" 2>/dev/null || true
		done
		exec nsd -c "$DIR/nsd.conf"
	)
}

start_failed() {
	local rc=$?
	trap - EXIT
	[ "$rc" -eq 0 ] && return 0
	echo "dns.sh: start failed; stopping what was started" >&2
	for f in "$DIR/nsd-start.log" "$DIR/nsd.log"; do
		[ -s "$f" ] || continue
		echo "--- last lines of $f:" >&2
		tail -n 15 "$f" >&2
	done
	cmd_stop || true
	exit "$rc"
}

cmd_start() {
	local deadline
	command -v nsd >/dev/null || die "nsd is not installed (apt-get install nsd)"
	command -v nsd-checkzone >/dev/null || die "nsd-checkzone is not installed"
	case $PORT in
	''|*[!0-9]*) die "bad port: '$PORT'" ;;
	esac
	{ [ "$PORT" -ge 1 ] && [ "$PORT" -le 65535 ]; } || die "bad port: $PORT"

	# Anything left from an earlier run in DIR goes first.
	cmd_stop
	rm -f "$DIR/nsd.log" "$DIR/nsd-start.log" "$DIR/zone.list" \
	    "$DIR/nsd.pid"
	trap start_failed EXIT
	copy_zones
	write_conf
	nsd-checkconf "$DIR/nsd.conf" >"$DIR/nsd-start.log" 2>&1 ||
	    die "nsd-checkconf rejects $DIR/nsd.conf"

	# NSD forks into the background (setsid) once its sockets are bound;
	# a failed bind (port in use) makes it exit non-zero here.
	run_nsd </dev/null >>"$DIR/nsd-start.log" 2>&1 ||
	    die "nsd failed to start on 127.0.0.1@$PORT"

	deadline=$(($(now_ms) + READY_TIMEOUT_MS))
	until probe_udp && probe_tcp; do
		[ -n "$(our_processes)" ] || die "nsd exited"
		[ "$(now_ms)" -lt "$deadline" ] ||
		    die "nsd did not answer healthy.test SOA on" \
		        "127.0.0.1:$PORT (UDP and TCP) within" \
		        "$((READY_TIMEOUT_MS / 1000)) s"
		sleep 0.05
	done
	trap - EXIT
	echo "dns.sh: nsd up on 127.0.0.1:$PORT (UDP, TCP); pid" \
	    "$(cat "$DIR/nsd.pid" 2>/dev/null || echo '?'); log $DIR/nsd.log"
}

# ---- main ----

[ $# -ge 2 ] || usage
DIR=$2
[ -n "$DIR" ] || usage
case $1 in
start)
	[ $# -eq 3 ] || usage
	PORT=$3
	mkdir -p "$DIR"
	;;
stop)
	[ $# -eq 2 ] || usage
	[ -d "$DIR" ] || exit 0
	;;
stats)
	[ $# -eq 2 ] || usage
	;;
*)
	usage
	;;
esac
DIR=$(cd "$DIR" && pwd -P)
# The path goes into nsd.conf and is matched in ps output: keep it plain.
case $DIR in
/|*[!A-Za-z0-9._/+-]*) die "unsuitable DIR: '$DIR' (plain characters only)" ;;
esac

case $1 in
start) cmd_start ;;
stop) cmd_stop ;;
stats) nsd-control -c "$DIR/nsd.conf" stats_noreset ;;
esac
