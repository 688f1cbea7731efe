#!/bin/bash
# Make the demo scenarios (ui/demos/NAME.json) from real runs of hybridtls
# against real servers (Exim, NSD, the hostile proxy) that carry Exchange
# Online and contoso.com names. See tests/demos/README.
#
#   tests/demos/mkdemos.sh [NAME...]	all demos, or the ones named
#
# Environment: top_builddir (where hybridtls and tests/tools are built,
# default build/), HTLS_EXIM (the exim binary), HTLS_DEMOS_OUT (default
# ui/demos), HTLS_DEMOS_KEEP=1 (keep the work directory: raw captures,
# reports, server logs). Needs root (a network namespace, servers on port 25), nsd,
# python3 and the exim that ./setup.sh check unpacks.
#
# Everything runs in a private network namespace that has only a loopback
# interface: nothing can leave the machine, port 25 is free, and the source
# address of our connections can be chosen, so the IP the servers see is not
# 127.0.0.1 (which the blocklists' self-test queries use). Whatever happens,
# every process in that namespace is stopped at the end.
set -eu

here=$(cd "$(dirname "$0")" && pwd -P)
top_srcdir=$(cd "$here/../.." && pwd -P)
top_builddir=$(cd "${top_builddir:-$top_srcdir/build}" && pwd -P)
HTLS_EXIM=${HTLS_EXIM:-/opt/hybridtls-test/exim/usr/sbin/exim4}
OUT=${HTLS_DEMOS_OUT:-$top_srcdir/ui/demos}
BIN=$top_builddir/hybridtls
ALL="healthy blocklisted cert-expired missing-intermediate ip-not-in-connector"
ALL="$ALL cisco-inspection receive-connector-cert dns-wrong"

# Loopback stand-ins inside the namespace, and the addresses the demos show.
PUBLIC_LO=127.0.113.7	PUBLIC=203.0.113.7	# on-premises public IP
EXO_LO=127.0.2.25	EXO=52.101.68.10	# contoso-com.mail.protection.outlook.com
EXO_BEHIND_LO=127.0.2.26			# Exchange Online behind the firewall
DNS_LO=127.0.10.53	DNS=10.0.0.53		# the resolver asked
EXO_HOST=BN8NAM12FT052.mail.protection.outlook.com
READY_TIMEOUT_S=10

die() {
	echo "mkdemos: $*" >&2
	exit 1
}

# ---- outside the namespace: set up, run the inside, clean up ----

# Every process in the namespace whose id is in $work/netns, but this shell.
netns_pids() {
	local ns p
	[ -s "$work/netns" ] || return 0
	read -r ns <"$work/netns"
	for p in /proc/[0-9]*; do
		[ "${p#/proc/}" = "$$" ] && continue
		[ "$(readlink "$p/ns/net" 2>/dev/null)" = "$ns" ] && echo "${p#/proc/}"
	done
	return 0
}

# TERM, then KILL after 5 s, everything left in the namespace.
stop_netns() {
	local pids i
	for i in $(seq 50); do
		pids=$(netns_pids)
		[ -z "$pids" ] && return 0
		if [ "$i" -eq 50 ]; then
			# shellcheck disable=SC2086
			kill -KILL $pids 2>/dev/null || true
		else
			# shellcheck disable=SC2086
			kill -TERM $pids 2>/dev/null || true
		fi
		sleep 0.1
	done
}

outside() {
	local rc=0
	[ "$(id -u)" -eq 0 ] || die "must run as root (network namespace, port 25)"
	for t in "$BIN" "$top_builddir/tests/tools/mkcerts" "$top_builddir/tests/tools/hostile" "$HTLS_EXIM"; do
		[ -x "$t" ] || die "no $t: run ./setup.sh check (or make check) first"
	done
	for t in nsd nsd-checkzone python3 unshare ip; do
		command -v "$t" >/dev/null || die "$t is not installed"
	done
	# shellcheck disable=SC2086
	[ $# -gt 0 ] || set -- $ALL
	for n in "$@"; do
		case " $ALL " in *" $n "*) ;; *) die "no demo '$n' (demos: $ALL)" ;; esac
	done
	work=$(mktemp -d "${TMPDIR:-/tmp}/hybridtls-demos.XXXXXX")
	# The servers drop privileges: they must reach into the directory.
	chmod 755 "$work"
	trap 'stop_netns; [ -n "${HTLS_DEMOS_KEEP:-}" ] && echo "mkdemos: kept $work" || rm -rf "$work"' EXIT
	mkdir -p "$OUT"
	# In the background, so that a signal is handled at once (wait returns),
	# not only when the inside is done; the EXIT trap then stops it all.
	unshare -n -- bash "$0" --inside "$work" "$@" &
	trap 'exit 130' INT TERM
	wait $! || rc=$?
	exit $rc
}

# ---- inside the namespace ----

# Until a TCP connection to ADDR:PORT is taken (and, with a third argument,
# the first line starts with it), at most READY_TIMEOUT_S.
wait_port() {
	local addr=$1 port=$2 expect=${3:-} line i
	for i in $(seq $((READY_TIMEOUT_S * 10))); do
		line=$( (exec 3<>"/dev/tcp/$addr/$port" || exit 1
			if [ -n "$expect" ]; then IFS= read -r -t 2 line <&3 || true; printf '%s' "$line"; fi
			printf 'QUIT\r\n' >&3) 2>/dev/null) && case $line in "$expect"*) return 0 ;; esac
		sleep 0.1
	done
	die "nothing answers on $addr:$port${expect:+ with $expect}"
}

# The test PKI with Exchange Online and contoso.com names, and the files
# given to hybridtls: the on-premises certificate as Exchange exports it
# (key and chain in one PEM) and the connector exports.
make_inputs() {
	"$top_builddir/tests/tools/mkcerts" --demo "$work/certs" >/dev/null
	mkdir -p "$work/run" "$work/nocerts"
	local c=$work/certs f=$top_srcdir/tests/fixtures/connectors
	cat "$c/onprem.key" "$c/onprem.chain.pem" >"$work/run/mail.contoso.com.pem"
	cat "$c/onprem-expired.key" "$c/onprem-expired.chain.pem" >"$work/run/mail.contoso.com-2025.pem"
	cat "$c/onprem-nointer.key" "$c/onprem-nointer.chain.pem" >"$work/run/mail.contoso.com-leaf.pem"
	# Exported with $FormatEnumerationLimit = -1: no list cut short by "...".
	sed 's/\.\.\.}/}/' "$f/outbound.fl.txt" >"$work/run/Get-OutboundConnector.txt"
	cp "$f/receive-frontend.clixml.xml" "$work/run/Get-ReceiveConnector.xml"
	# The HCW's inbound connector, with the public IP listed (healthy) or,
	# an IP-based connector from before the egress address changed, without.
	python3 - "$f/inbound-hcw.json" "$work/run" "$PUBLIC_LO" <<'EOF'
import sys
src, out, ip = sys.argv[1:]
text = open(src, encoding="utf-8").read()
empty = text[text.index('"SenderIPAddresses"'):text.index('"SenderDomains"')]
def ips(*v):
    return '"SenderIPAddresses":  [\n' + ",\n".join(
        '                              "%s"' % x for x in v) + '\n                          ],\n    '
ok = text.replace(empty, ips(ip))
old = text.replace(empty, ips("198.51.100.25")).replace(
    '"TlsSenderCertificateName":  "mail.contoso.com"', '"TlsSenderCertificateName":  null')
assert ok != text and old != text
open(out + "/Get-InboundConnector.json", "w", encoding="utf-8").write(ok)
open(out + "/Get-InboundConnector-old.json", "w", encoding="utf-8").write(old)
EOF
}

# ---- DNS: NSD with the demo zones and a zone per blocklist ----

# The zone file of one blocklist: its test entry 127.0.0.2 listed (RFC 5782),
# and the public IP listed with CODE and TXT when given.
blocklist_zone() {
	local zone=$1 code=${2:-} txt=${3:-} rev
	rev=$(echo "$PUBLIC_LO" | awk -F. '{ print $4 "." $3 "." $2 "." $1 }')
	cat <<EOF
\$ORIGIN $zone.
\$TTL 300
@	SOA	ns1 hostmaster 2026110101 3600 900 604800 300
@	NS	ns1
ns1	A	$DNS_LO
2.0.0.127	A	127.0.0.2
2.0.0.127	TXT	"test entry"
EOF
	[ -n "$code" ] && printf '%s\tA\t%s\n%s\tTXT\t"%s"\n' "$rev" "$code" "$rev" "$txt"
	return 0
}

# dns_start good|wrong [listed]: NSD on DNS_LO:53 with contoso.com as it
# should be or as dns-wrong has it, and the public IP on two blocklists.
dns_start() {
	local d=$work/dns world=$1 listed=${2:-} f name z revzone last
	rm -rf "$d"
	mkdir -p "$d/zones"
	revzone=$(echo "$PUBLIC_LO" | awk -F. '{ print $3 "." $2 "." $1 ".in-addr.arpa" }')
	last=${PUBLIC_LO##*.}
	if [ "$world" = wrong ]; then
		cp "$here/zones/contoso.com.wrong.zone" "$d/zones/contoso.com.zone"
	else
		cp "$here/zones/contoso.com.zone" "$d/zones/"
	fi
	cp "$here/zones/protection.outlook.com.zone" "$here/zones/contoso.onmicrosoft.com.zone" "$d/zones/"
	sed "1i \$ORIGIN $revzone." "$here/zones/public.rev.zone" >"$d/zones/$revzone.zone"
	sed -i -e "s/@PUBLIC@/$PUBLIC_LO/g" -e "s/@EXO@/$EXO_LO/g" -e "s/@LAST@/$last/g" "$d"/zones/*.zone
	# Every list hybridtls asks by default, so none is left unanswered.
	# shellcheck disable=SC2013 # zone names are single words
	for z in $(awk '$1 == "zone" { print $2 }' "$top_srcdir/src/dnsbl.zones"); do
		case $listed:$z in
		listed:zen.spamhaus.org)
			blocklist_zone "$z" 127.0.0.4 "https://check.spamhaus.org/query/ip/$PUBLIC_LO" ;;
		listed:bl.spamcop.net)
			blocklist_zone "$z" 127.0.0.2 "Blocked - see https://www.spamcop.net/bl.shtml?$PUBLIC_LO" ;;
		*)
			blocklist_zone "$z" ;;
		esac >"$d/zones/$z.zone"
	done
	{
		cat <<EOF
server:
	ip-address: $DNS_LO@53
	do-ip4: yes
	do-ip6: no
	server-count: 1
	username: ""
	chroot: ""
	zonesdir: "$d/zones"
	database: ""
	zonelistfile: "$d/zone.list"
	xfrdfile: ""
	xfrdir: "$d"
	pidfile: "$d/nsd.pid"
	logfile: "$d/nsd.log"
	hide-version: yes
	minimal-responses: no
	rrl-ratelimit: 0
remote-control:
	control-enable: no
EOF
		for f in "$d"/zones/*.zone; do
			name=$(basename "$f" .zone)
			nsd-checkzone "$name" "$f" >/dev/null || die "zone $name has errors ($f)"
			printf 'zone:\n\tname: "%s"\n\tzonefile: "%s.zone"\n' "$name" "$name"
		done
	} >"$d/nsd.conf"
	nsd -c "$d/nsd.conf" </dev/null >"$d/start.log" 2>&1 || { cat "$d/start.log" >&2; die "nsd failed"; }
	wait_port "$DNS_LO" 53
}

# ---- SMTP servers: Exim dressed as Exchange ----

# exim_start NAME ADDR HOST CERT MODE: an Exim on ADDR:25 that greets as
# Exchange does and names the client's address in its EHLO reply. MODE: tls
# (STARTTLS with CERT), or blocked (no STARTTLS, MAIL refused with Exchange
# Online's banned-IP reply).
exim_start() {
	local name=$1 addr=$2 host=$3 cert=$4 mode=$5 d=$work/exim-$1 tls='*' mail=accept ask=
	rm -rf "$d"
	mkdir -p "$d"
	mkdir -m 777 "$d/spool" "$d/log"
	if [ "$mode" = blocked ]; then
		tls=
		# shellcheck disable=SC2016 # Exim expands it, per connection
		mail='deny message = 5.7.606 Access denied, banned sending IP [$sender_host_address]. To request removal from this list please visit https://sender.office.com/ and follow the directions. For more information please go to http://go.microsoft.com/fwlink/?LinkID=526655 AS(1430)'
	fi
	# Exchange Online asks the sender for its certificate (attribution to
	# the inbound connector); it never refuses the session over it.
	[ "$name" = exo ] && ask='*'
	cat >"$d/exim.conf" <<EOF
primary_hostname = $host
exim_path = $HTLS_EXIM
keep_environment =
local_interfaces = <; $addr.25
spool_directory = $d/spool
log_file_path = $d/log/%slog
host_lookup =
rfc1413_hosts =
smtp_banner = \$primary_hostname Microsoft ESMTP MAIL Service ready at \$tod_full
message_size_limit = 150M
dsn_advertise_hosts = *
pipelining_connect_advertise_hosts = :
tls_advertise_hosts = $tls
tls_certificate = $work/certs/$cert.chain.pem
tls_privatekey = $work/certs/$cert.key
tls_try_verify_hosts = $ask
tls_verify_certificates = $work/certs/ca.pem
acl_smtp_mail = acl_mail
acl_smtp_rcpt = acl_rcpt

begin acl
acl_mail:
  $mail
acl_rcpt:
  deny message = 5.7.1 no mail is accepted here
begin routers
begin transports
EOF
	"$HTLS_EXIM" -C "$d/exim.conf" -bd -oP "$d/exim.pid" </dev/null >"$d/start.log" 2>&1 ||
	    { cat "$d/start.log" "$d/log/paniclog" >&2 2>/dev/null; die "exim $name failed"; }
	wait_port "$addr" 25 220
}

# A Cisco ASA's "inspect esmtp" in front of Exchange Online.
firewall_start() {
	mkdir -p "$work/hostile"
	"$top_builddir/tests/tools/hostile" --listen "$EXO_LO:25" --upstream "$EXO_BEHIND_LO:25" \
	    --mode xxxxxxxa --pidfile "$work/hostile/pid" </dev/null >"$work/hostile/log" 2>&1 &
	wait_port "$EXO_LO" 25 220
}

# Stop every server of the last demo: all processes in the namespace but us.
stop_servers() {
	local pids i p
	for i in $(seq 50); do
		pids=
		for p in /proc/[0-9]*; do
			p=${p#/proc/}
			[ "$p" = "$$" ] && continue
			[ "$(readlink "/proc/$p/ns/net" 2>/dev/null)" = "$NETNS" ] && pids="$pids $p"
		done
		[ -z "$pids" ] && return 0
		# shellcheck disable=SC2086
		kill -"$([ "$i" -lt 50 ] && echo TERM || echo KILL)" $pids 2>/dev/null || true
		sleep 0.1
	done
	die "servers still running:$pids"
}

# ---- the runs ----

# capture NAME ARGS...: run hybridtls check with ARGS, trusting the demo
# root as the system store, and keep its capture in $work/raw/NAME.json.
capture() {
	local name=$1 rc=0
	shift
	mkdir -p "$work/raw"
	(cd "$work/run" && SSL_CERT_FILE=$work/certs/ca.pem SSL_CERT_DIR=$work/nocerts \
	    "$BIN" check "$@" --resolver "$DNS_LO" --ehlo mail.contoso.com --timeout 5 \
	    --capture "$work/raw/$name.json" >"$work/raw/$name.txt" 2>&1) || rc=$?
	if [ "$rc" -gt 3 ] || [ ! -s "$work/raw/$name.json" ]; then
		cat "$work/raw/$name.txt" >&2
		die "$name: hybridtls check failed (exit $rc)"
	fi
}

demo_healthy() {
	dns_start good
	exim_start exo "$EXO_LO" "$EXO_HOST" exo tls
	exim_start onprem "$PUBLIC_LO" mail.contoso.com onprem tls
	capture healthy contoso.com --connector Get-InboundConnector.json \
	    --connector Get-OutboundConnector.txt --cert mail.contoso.com.pem --onprem mail.contoso.com
}

demo_blocklisted() {
	dns_start good listed
	exim_start exo "$EXO_LO" "$EXO_HOST" exo blocked
	capture blocklisted contoso.com --envelope postmaster@contoso.com,admin@contoso.com
}

demo_cert_expired() {
	dns_start good
	exim_start exo "$EXO_LO" "$EXO_HOST" exo tls
	exim_start onprem "$PUBLIC_LO" mail.contoso.com onprem-expired tls
	capture cert-expired contoso.com --connector Get-OutboundConnector.txt \
	    --cert mail.contoso.com-2025.pem --onprem mail.contoso.com
}

demo_missing_intermediate() {
	dns_start good
	exim_start exo "$EXO_LO" "$EXO_HOST" exo tls
	exim_start onprem "$PUBLIC_LO" mail.contoso.com onprem-nointer tls
	capture missing-intermediate contoso.com --connector Get-OutboundConnector.txt \
	    --cert mail.contoso.com-leaf.pem --onprem mail.contoso.com
}

demo_ip_not_in_connector() {
	dns_start good
	exim_start exo "$EXO_LO" "$EXO_HOST" exo tls
	capture ip-not-in-connector contoso.com --connector Get-InboundConnector-old.json
}

demo_cisco_inspection() {
	dns_start good
	exim_start exo "$EXO_BEHIND_LO" "$EXO_HOST" exo tls
	firewall_start
	capture cisco-inspection contoso.com
}

demo_receive_connector_cert() {
	dns_start good
	exim_start exo "$EXO_LO" "$EXO_HOST" exo tls
	# After a renewal the connector still names the old certificate:
	# Exchange falls back to its own self-signed one.
	exim_start onprem "$PUBLIC_LO" mail.contoso.com onprem-default tls
	capture receive-connector-cert contoso.com --connector Get-OutboundConnector.txt \
	    --connector Get-ReceiveConnector.xml --cert mail.contoso.com.pem --onprem mail.contoso.com
}

demo_dns_wrong() {
	dns_start wrong
	exim_start onprem "$PUBLIC_LO" mail.contoso.com onprem tls
	capture dns-wrong contoso.com
}

# The capture with the demo's addresses, checked: it loads, and nothing of
# the run's machine is left in it.
finish() {
	local name=$1 raw=$work/raw/$1.json out=$OUT/$1.json bad host
	python3 "$here/rewrite.py" "$raw" "$out.tmp" "$PUBLIC_LO=$PUBLIC" "$EXO_LO=$EXO" "$DNS_LO=$DNS"
	host=$(hostname)
	[ ${#host} -ge 4 ] || host=$work	# too short to look for
	for bad in 127.0.0.1 127.0.113. 127.0.2. 127.0.10. .test "$work" "$host"; do
		! grep -qF -- "$bad" "$out.tmp" || { rm -f "$out.tmp"; die "$name: '$bad' is left in the capture"; }
	done
	"$BIN" replay "$out.tmp" --json >/dev/null 2>"$work/replay.err" || [ $? -le 2 ] ||
	    { cat "$work/replay.err" >&2; die "$name: the rewritten capture does not replay"; }
	mv "$out.tmp" "$out"
	echo "mkdemos: wrote $out"
}

inside() {
	work=$1
	shift
	ip link set lo up
	# Connections to any loopback address come from the public IP's stand-in.
	ip route replace local 127.0.0.0/8 dev lo table local proto kernel scope host src "$PUBLIC_LO"
	NETNS=$(readlink /proc/$$/ns/net)
	echo "$NETNS" >"$work/netns"
	trap stop_servers EXIT
	make_inputs
	for name in "$@"; do
		"demo_${name//-/_}"
		stop_servers
		finish "$name"
	done
}

if [ "${1:-}" = --inside ]; then
	shift
	inside "$@"
else
	outside "$@"
fi
