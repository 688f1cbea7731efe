#!/bin/bash
# Real SMTP servers on 127.0.0.1 for the hybridtls integration tests.
#
#   tests/servers.sh start DIR	make a test PKI, start a private Postfix
#				(one smtpd per scenario), Exim and the
#				hostile proxies; write DIR/env
#   tests/servers.sh stop DIR	stop all of it (safe to repeat)
#
# Environment: top_builddir (where tests/tools/{mkcerts,hostile} are built,
# default .), HTLS_EXIM (the exim binary). Needs root (Postfix does).
# Everything listens on 127.0.0.1 only; nothing here sends mail anywhere.
set -eu

HTLS_EXIM=${HTLS_EXIM:-/opt/hybridtls-test/exim/usr/sbin/exim4}
top_builddir=${top_builddir:-.}

READY_TIMEOUT_MS=10000		# every port must answer within this
STOP_TIMEOUT_MS=10000		# and every process be gone within this

# name:offset. Postfix smtpd services, then Exim, then the proxies.
POSTFIX_PORTS="healthy:1 nostarttls:2 expired:3 wrongname:4 selfsigned:5
	nointer:6 banner554:7 banner421:8 expiring:9 notyet:10 untrusted:11
	tls10:12 enforce:13 exchange-notls:14 ccert:15 longchain:16
	budget-a:17 budget-b:18 budget-c:19"
EXIM_OFFSET=20
# 35.. are what an SMTP-inspecting firewall (ASA inspect esmtp, PIX fixup
# smtp) does to the healthy Postfix's dialogue. (run-integration.sh puts
# its DNS servers at HTLS_PORT_HEALTHY + 46, + 48 and + 49: keep clear.)
HOSTILE_PORTS="silent:30 hugeline:31 reset-after-ehlo:32 slowbanner:33
	relay:34 mask-banner:35 xxxxxxxa:36 starttls-500:37 starttls-break:38
	ehlo-refused:39 strip-starttls:40"
# 61.. are hostile peers: a reset at each phase, bad bytes, endless replies.
HOSTILE_PORTS="$HOSTILE_PORTS reset-at-connect:61 reset-after-banner:62
	reset-after-220:63 reset-mid-handshake:64 reset-after-ehlo-tls:65
	tls-alert:66 drip:67 nul:68 badbytes:69 endless:70 manyext:71
	closed-while-flag:72"
SLOWBANNER_DELAY_MS=5500
DRIP_DELAY_MS=20		# per byte: a 160-byte EHLO reply takes 3.2 s

# Processes we may ever stop: only these names, and only when they belong
# to this DIR (cwd in its Postfix queue, or DIR in their command line).
OUR_COMMS="master smtpd postlogd tlsmgr anvil proxymap qmgr pickup"
OUR_COMMS="$OUR_COMMS trivial-rewrite cleanup bounce verify scache flush"
OUR_COMMS="$OUR_COMMS error discard exim4 exim hostile"

die() {
	echo "servers.sh: $*" >&2
	exit 1
}

now_ms() {
	local t=${EPOCHREALTIME/./}
	echo $((t / 1000))
}

usage() {
	echo "usage: $0 start|stop DIR" >&2
	exit 2
}

# ---- ports ----

# Is any TCP socket (any state) using a local port in [lo, hi]?
ports_busy() {
	ss -Htan | awk -v lo="$1" -v hi="$2" '
		{ n = split($4, a, ":"); p = a[n] + 0
		  if (p >= lo && p <= hi) busy = 1 }
		END { exit !busy }'
}

# A free block of 100 ports, below the ephemeral range if there is room,
# so that no outgoing connection can hold one of ours.
pick_base() {
	local lo=20000 hi=59000 eph base
	read -r eph _ </proc/sys/net/ipv4/ip_local_port_range || eph=
	if [ -n "$eph" ] && [ "$eph" -gt $((lo + 2000)) ] &&
	    [ "$eph" -le "$hi" ]; then
		hi=$((eph - 100))
	fi
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		base=$((lo + (RANDOM % ((hi - lo) / 100)) * 100))
		if ! ports_busy "$base" $((base + 99)); then
			echo "$base"
			return 0
		fi
	done
	die "no free block of 100 ports found in $lo..$hi"
}

# The first line a port says (empty if none within 3 s); QUIT after it.
probe_banner() {
	(
		exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
		line=
		IFS= read -r -t 3 line <&3 || true
		printf 'QUIT\r\n' >&3 || true
		printf '%s' "${line%$'\r'}"
	) 2>/dev/null
}

probe_connect() {
	( exec 3<>"/dev/tcp/127.0.0.1/$1" ) 2>/dev/null
}

# Wait until each "port:expect" answers: expect is a reply code the first
# line must start with, or "connect" for a bare connection.
wait_ready() {
	local deadline pending next item port expect line
	deadline=$(($(now_ms) + READY_TIMEOUT_MS))
	pending="$*"
	while :; do
		next=
		for item in $pending; do
			port=${item%%:*}
			expect=${item#*:}
			if [ "$expect" = connect ]; then
				probe_connect "$port" && continue
			else
				line=$(probe_banner "$port") || line=
				case $line in "$expect "*) continue ;; esac
			fi
			next="$next $item"
		done
		pending=$next
		[ -z "$pending" ] && return 0
		if [ "$(now_ms)" -ge "$deadline" ]; then
			for item in $pending; do
				port=${item%%:*}
				line=$(probe_banner "$port") || line="(no connection)"
				echo "servers.sh: port $port: expected" \
				    "${item#*:}, got: ${line:-(nothing)}" >&2
			done
			return 1
		fi
		sleep 0.1
	done
}

# ---- Postfix ----

write_postfix() {
	local pf=$DIR/postfix c=$DIR/certs item name port
	mkdir -m 755 "$pf" "$DIR/postfix-queue" "$DIR/postfix-data"
	chown postfix "$DIR/postfix-data"
	make_postfix_queue "$DIR/postfix-queue"

	# texthash: needs no postmap. At connect, thanks to
	# smtpd_delay_reject=no, these replace the 220 banner.
	echo "127.0.0.1 554 5.7.1 Service unavailable; client blocked" \
	    >"$pf/banner554"
	echo "127.0.0.1 421 4.3.2 Service not available, closing channel" \
	    >"$pf/banner421"

	cat >"$pf/main.cf" <<EOF
# A private Postfix for the hybridtls tests: 127.0.0.1 only, accepts no
# mail (every recipient is refused) and could deliver none anyway.
compatibility_level = 3.6
queue_directory = $DIR/postfix-queue
data_directory = $DIR/postfix-data
mail_owner = postfix
maillog_file = $DIR/postfix.log
maillog_file_prefixes = $DIR

inet_interfaces = 127.0.0.1
inet_protocols = ipv4
myhostname = mail.test
mydomain = test
myorigin = \$myhostname
mydestination =
relay_domains =
mynetworks = 127.0.0.0/8
smtpd_banner = \$myhostname ESMTP
# No DNS, not even for the client's name.
smtpd_peername_lookup = no

smtpd_relay_restrictions = reject_unauth_destination
local_recipient_maps =
alias_maps =
alias_database =
local_transport = error:local delivery is disabled
default_transport = error:outbound delivery is disabled
relay_transport = error:outbound delivery is disabled
biff = no

smtpd_tls_security_level = may
smtpd_tls_chain_files = $c/healthy.key, $c/healthy.chain.pem
smtpd_tls_loglevel = 1
EOF

	{
		echo "# One smtpd per scenario; no port 25 service."
		for item in $POSTFIX_PORTS; do
			name=${item%%:*}
			port=$((BASE + ${item#*:}))
			echo "127.0.0.1:$port inet n - n - - smtpd"
			echo "  -o syslog_name=postfix/$name"
			postfix_options "$name" | sed 's/^/  -o /'
		done
		cat <<'EOF'
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
pickup    unix  n       -       n       60      1       pickup
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
proxywrite unix -       -       n       -       1       proxymap
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
EOF
	} >"$pf/master.cf"
	# Postfix waits (in 0.3 s steps) for files changed less than a
	# second ago to settle; these are complete already.
	touch -d '1 minute ago' "$pf"/*
}

# The queue "postfix start" would make with post-install, which takes 1.5 s
# of shell here; quick-start tells it to skip that and its other checks
# (all moot for a new, empty queue). Any mistake shows in wait_ready.
make_postfix_queue() {
	local q=$1 d
	mkdir -m 755 "$q/pid"
	for d in active bounce corrupt defer deferred flush hold incoming \
	    private saved trace; do
		mkdir -m 700 "$q/$d"
		chown postfix "$q/$d"
	done
	mkdir -m 730 "$q/maildrop"
	mkdir -m 710 "$q/public"
	chown postfix:postdrop "$q/maildrop" "$q/public"
	: >"$q/quick-start"
}

# The -o settings of one scenario, one per line: key=value, or
# "{ key = value }" for a value with spaces.
postfix_options() {
	local c=$DIR/certs pf=$DIR/postfix
	case $1 in
	healthy)
		echo "smtpd_tls_chain_files=$c/healthy.key,$c/healthy.chain.pem" ;;
	nostarttls)
		echo "smtpd_tls_security_level=none" ;;
	expired|wrongname|selfsigned|nointer|expiring|notyet|untrusted)
		echo "smtpd_tls_chain_files=$c/$1.key,$c/$1.chain.pem" ;;
	longchain)
		# The leaf, 98 intermediates in a line and the test intermediate:
		# 100 certificates (mkcerts).
		echo "smtpd_tls_chain_files=$c/$1.key,$c/$1.chain.pem" ;;
	banner554|banner421)
		echo "smtpd_delay_reject=no"
		echo "smtpd_client_restrictions=check_client_access,texthash:$pf/$1"
		;;
	tls10|budget-a|budget-b|budget-c)
		# OpenSSL 3 allows TLS 1.0/1.1 only at security level 0.
		# budget-*: the same, one port per connection-budget test, so
		# that each can count in the log the connections it alone made
		# (a probe of it takes two: the TLS 1.0/1.1 retry).
		echo "smtpd_tls_protocols=!SSLv2,!SSLv3,!TLSv1.2,!TLSv1.3"
		echo "smtpd_tls_mandatory_protocols=!SSLv2,!SSLv3,!TLSv1.2,!TLSv1.3"
		echo "tls_medium_cipherlist=DEFAULT:@SECLEVEL=0"
		;;
	enforce)
		# MAIL FROM without TLS: 530 5.7.0 Must issue a STARTTLS
		# command first. Recipients are still all refused.
		echo "smtpd_tls_chain_files=$c/healthy.key,$c/healthy.chain.pem"
		echo "smtpd_tls_security_level=encrypt"
		;;
	ccert)
		# Asks for a client certificate and insists on one the test CA
		# issued, as a receiving Exchange checks the sender's certificate.
		echo "smtpd_tls_chain_files=$c/healthy.key,$c/healthy.chain.pem"
		echo "smtpd_tls_security_level=encrypt"
		echo "smtpd_tls_ask_ccert=yes"
		echo "smtpd_tls_req_ccert=yes"
		echo "smtpd_tls_CAfile=$c/ca.pem"
		;;
	exchange-notls)
		# An Exchange receive connector without a usable certificate.
		echo "smtpd_tls_security_level=none"
		echo "myhostname=mail.contoso.test"
		echo "{ smtpd_banner = \$myhostname Microsoft ESMTP MAIL Service" \
		    "ready at Tue, 24 Nov 2026 10:00:00 +0000 }"
		;;
	*)
		die "no Postfix settings for $1" ;;
	esac
}

start_postfix() {
	local log=$DIR/postfix-start.log
	# postfix start explains a failure only on a terminal: give it one.
	if script -qec true /dev/null >/dev/null 2>&1; then
		script -qec "postfix -c '$DIR/postfix' start" /dev/null \
		    >"$log" 2>&1 </dev/null || {
			tr -d '\r' <"$log" >&2
			die "postfix start failed (see $DIR/postfix.log)"
		}
	else
		postfix -c "$DIR/postfix" start >"$log" 2>&1 </dev/null || {
			cat "$log" >&2
			die "postfix start failed (see $DIR/postfix.log)"
		}
	fi
}

# ---- Exim ----

write_exim() {
	local ex=$DIR/exim c=$DIR/certs
	mkdir -m 755 "$ex"
	# Exim drops to Debian-exim: its spool and logs must be writable.
	mkdir -m 777 "$ex/spool" "$ex/log"
	cat >"$ex/exim.conf" <<EOF
# Exim for the hybridtls tests: loopback only (127.0.0.1 and ::1), refuses every recipient.
primary_hostname = exim.test
qualify_domain = exim.test
exim_path = $HTLS_EXIM
keep_environment =
local_interfaces = <; 127.0.0.1.$((BASE + EXIM_OFFSET)) ; ::1.$((BASE + EXIM_OFFSET))
spool_directory = $ex/spool
log_file_path = $ex/log/%slog
# No DNS or ident lookups of the client.
host_lookup =
rfc1413_hosts =

tls_advertise_hosts = *
tls_certificate = $c/healthy.chain.pem
tls_privatekey = $c/healthy.key

acl_smtp_rcpt = acl_check_rcpt

begin acl

acl_check_rcpt:
  deny    message = no mail is accepted here

begin routers

begin transports
EOF
}

start_exim() {
	"$HTLS_EXIM" -C "$DIR/exim/exim.conf" -bd -oP "$DIR/exim/exim.pid" \
	    </dev/null >"$DIR/exim/start.log" 2>&1 || {
		cat "$DIR/exim/start.log" "$DIR/exim/log/paniclog" >&2 \
		    2>/dev/null || true
		die "exim failed to start"
	}
}

# ---- hostile proxies ----

start_hostile() {
	local bin=$top_builddir/tests/tools/hostile item mode port delay upstream
	mkdir -m 755 "$DIR/hostile"
	for item in $HOSTILE_PORTS; do
		mode=${item%%:*}
		port=$((BASE + ${item#*:}))
		delay=$SLOWBANNER_DELAY_MS
		[ "$mode" = drip ] && delay=$DRIP_DELAY_MS
		# A firewall that is closed, then fixed, in front of Exim (which
		# names the client's address): tests remove the flag to open it.
		upstream=$((BASE + 1))
		[ "$mode" = closed-while-flag ] && upstream=$((BASE + EXIM_OFFSET))
		# stdio to files: nothing may hold the test harness's pipes.
		"$bin" --listen "127.0.0.1:$port" \
		    --upstream "127.0.0.1:$upstream" --mode "$mode" \
		    --delay-ms "$delay" --flag "$DIR/hostile/firewall-closed" \
		    --pidfile "$DIR/hostile/$mode.pid" \
		    </dev/null >>"$DIR/hostile/$mode.log" 2>&1 &
		# Until it writes its own, so a failed start can still stop it.
		echo $! >"$DIR/hostile/$mode.pid"
	done
}

# ---- stopping ----

# Our live processes: "pid comm" lines, found by what they are, not by
# name alone: Postfix daemons by their cwd (the queue), Exim and the
# proxies by DIR in their command lines. Zombies count as gone: they are
# orphans waiting for init to reap them.
our_processes() {
	local pid stat comm args cwd
	ps -eo pid=,stat=,comm=,args= | while read -r pid stat comm args; do
		case $stat in Z*) continue ;; esac
		case " $OUR_COMMS " in *" $comm "*) ;; *) continue ;; esac
		cwd=$(readlink "/proc/$pid/cwd" 2>/dev/null) || cwd=
		if [ "$cwd" = "$DIR/postfix-queue" ]; then
			echo "$pid $comm"
		else
			case $args in
			*"$DIR/exim/"*|*"$DIR/hostile/"*) echo "$pid $comm" ;;
			esac
		fi
	done
}

# The pid in a pid file, if it is in $procs (ours and alive).
live_pid() {
	local pid
	[ -f "$1" ] || return 1
	read -r pid <"$1" 2>/dev/null || return 1
	case $pid in ''|*[!0-9]*) return 1 ;; esac
	printf '%s\n' "$procs" | grep -q "^$pid " || return 1
	echo "$pid"
}

cmd_stop() {
	local deadline left pid comm f procs
	[ -d "$DIR" ] || return 0
	procs=$(our_processes)

	# What "postfix stop" does (master then stops its children), minus
	# its polling in steps of 1 s: the loop below waits, bounded.
	for f in "$DIR"/hostile/*.pid "$DIR/exim/exim.pid" \
	    "$DIR/postfix-queue/pid/master.pid"; do
		if pid=$(live_pid "$f"); then
			kill -TERM "$pid" 2>/dev/null || true
		fi
	done

	# Everything left gets TERM, then KILL after the deadline.
	deadline=$(($(now_ms) + STOP_TIMEOUT_MS))
	while :; do
		left=$(our_processes)
		[ -z "$left" ] && break
		if [ "$(now_ms)" -ge "$deadline" ]; then
			echo "$left" | while read -r pid comm; do
				echo "servers.sh: killing ${comm}[$pid]" >&2
				kill -KILL "$pid" 2>/dev/null || true
			done
			sleep 0.2
			left=$(our_processes)
			[ -z "$left" ] || die "still running: $left"
			break
		fi
		echo "$left" | while read -r pid comm; do
			kill -TERM "$pid" 2>/dev/null || true
		done
		sleep 0.1
	done
	rm -f "$DIR"/hostile/*.pid "$DIR/exim/exim.pid"
}

# ---- starting ----

start_failed() {
	local rc=$?
	trap - EXIT
	[ "$rc" -eq 0 ] && return 0
	echo "servers.sh: start failed; stopping what was started" >&2
	for f in "$DIR/postfix.log" "$DIR/exim/log/mainlog" \
	    "$DIR/exim/log/paniclog" "$DIR"/hostile/*.log; do
		[ -s "$f" ] || continue
		echo "--- last lines of $f:" >&2
		tail -n 15 "$f" >&2
	done
	cmd_stop || true
	exit "$rc"
}

cmd_start() {
	local item name port expect tool
	local -a checks=()
	[ "$(id -u)" -eq 0 ] || die "must run as root (Postfix needs it)"
	command -v postfix >/dev/null || die "postfix is not installed"
	[ -x "$HTLS_EXIM" ] || die "no exim at $HTLS_EXIM (set HTLS_EXIM)"
	top_builddir=$(cd "$top_builddir" && pwd -P)
	for tool in mkcerts hostile; do
		[ -x "$top_builddir/tests/tools/$tool" ] ||
		    die "no $top_builddir/tests/tools/$tool: build it first"
	done

	# Anything left from an earlier run in DIR goes first.
	cmd_stop
	rm -rf "$DIR/certs" "$DIR/postfix" "$DIR/postfix-queue" \
	    "$DIR/postfix-data" "$DIR/exim" "$DIR/hostile" "$DIR/env" \
	    "$DIR/postfix.log" "$DIR/postfix-start.log"

	trap start_failed EXIT
	# The servers drop privileges: they must be able to reach into DIR
	# (only adds search permission: DIR may be a mktemp -d).
	chmod go+x "$DIR"
	"$top_builddir/tests/tools/mkcerts" "$DIR/certs"
	if ! setpriv --reuid=Debian-exim --regid=Debian-exim --clear-groups \
	    test -r "$DIR/certs/healthy.key" 2>/dev/null; then
		die "user Debian-exim cannot read $DIR/certs:" \
		    "every directory above $DIR must be searchable (o+x)"
	fi

	BASE=$(pick_base)
	write_postfix
	write_exim
	start_postfix
	start_exim
	start_hostile

	for item in $POSTFIX_PORTS; do
		name=${item%%:*}
		port=$((BASE + ${item#*:}))
		case $name in
		banner554) expect=554 ;;
		banner421) expect=421 ;;
		*) expect=220 ;;
		esac
		checks+=("$port:$expect")
	done
	checks+=("$((BASE + EXIM_OFFSET)):220")
	for item in $HOSTILE_PORTS; do
		name=${item%%:*}
		port=$((BASE + ${item#*:}))
		case $name in
		silent|hugeline|slowbanner|reset-at-connect) expect=connect ;;
		*) expect=220 ;;	# through to Postfix (masked or not)
		esac
		checks+=("$port:$expect")
	done
	wait_ready "${checks[@]}" || die "servers did not come up in time"

	{
		echo "HTLS_DIR=$DIR"
		echo "HTLS_CA=$DIR/certs/ca.pem"
		echo "HTLS_CERTS=$DIR/certs"
		for item in $POSTFIX_PORTS $HOSTILE_PORTS; do
			name=${item%%:*}
			name=${name//-/_}
			echo "HTLS_PORT_${name^^}=$((BASE + ${item#*:}))"
		done
		echo "HTLS_PORT_EXIM=$((BASE + EXIM_OFFSET))"
		echo "HTLS_FIREWALL_FLAG=$DIR/hostile/firewall-closed"
	} >"$DIR/env.tmp"
	mv "$DIR/env.tmp" "$DIR/env"
	trap - EXIT
	echo "servers.sh: servers up on 127.0.0.1:$((BASE + 1))..; see $DIR/env"
}

# ---- main ----

if [ $# -ne 2 ] || [ -z "$2" ]; then
	usage
fi
# The path goes into Postfix and Exim configs: keep it plain.
check_dir() {
	case $1 in
	/|*[!A-Za-z0-9._/+-]*)
		die "unsuitable DIR: '$1' (plain characters only)" ;;
	esac
}
check_dir "$2"
case $1 in
start) mkdir -p "$2" ;;
stop) [ -d "$2" ] || exit 0 ;;
*) usage ;;
esac
DIR=$(cd "$2" && pwd -P)
check_dir "$DIR"

case $1 in
start) cmd_start ;;
stop) cmd_stop ;;
esac
