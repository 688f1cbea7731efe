#!/bin/sh
# Integration tests: start the real servers (Postfix, Exim, NSD, the hostile proxy)
# on 127.0.0.1, run the Criterion suite against them, stop them whatever happens.
set -u
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${top_builddir:=$(pwd)}"
export top_srcdir top_builddir

dir=$(mktemp -d "${TMPDIR:-/tmp}/hybridtls-it.XXXXXX")
stop() {
	[ -f "$dir/dnsdrop.pid" ] && kill "$(cat "$dir/dnsdrop.pid")" 2>/dev/null
	[ -f "$dir/dnsnotcp.pid" ] && kill "$(cat "$dir/dnsnotcp.pid")" 2>/dev/null
	bash "$top_srcdir/tests/dns.sh" stop "$dir/dns" >/dev/null 2>&1 || true
	bash "$top_srcdir/tests/servers.sh" stop "$dir" >/dev/null 2>&1 || true
	rm -rf "$dir"
}
trap stop EXIT
trap 'exit 130' INT TERM

if ! bash "$top_srcdir/tests/servers.sh" start "$dir"; then
	echo "run-integration: the test servers did not start (see above)" >&2
	exit 1
fi
set -a
. "$dir/env"
set +a
# The DNS server: the zones of tests/zones, on a port of the servers' free range;
# the TLSA records carry the hash of the test servers' key.
HTLS_DNS_PORT=$((HTLS_PORT_HEALTHY + 49))
HTLS_DNS_TLSA_HASH=$(openssl x509 -in "$HTLS_CERTS/healthy.crt" -pubkey -noout |
    openssl pkey -pubin -outform DER | sha256sum | cut -c1-64)
# Its directory: `tests/dns.sh stats "$HTLS_DNS_DIR"` prints its query counters.
HTLS_DNS_DIR=$dir/dns
export HTLS_DNS_PORT HTLS_DNS_TLSA_HASH HTLS_DNS_DIR
if ! bash "$top_srcdir/tests/dns.sh" start "$dir/dns" "$HTLS_DNS_PORT"; then
	echo "run-integration: the test DNS server did not start (see above)" >&2
	exit 1
fi
# In front of it, a forwarder that never answers for dead.test: a blocklist
# whose servers are gone, beside zones that answer.
HTLS_DNSDROP_PORT=$((HTLS_PORT_HEALTHY + 48))
export HTLS_DNSDROP_PORT
# It also answers tc.test truncated over UDP (then fully over TCP) and sf.test
# with SERVFAIL. A second one, on UDP only, truncates tc.test: there the TCP
# retry is refused.
"$top_builddir/tests/tools/dnsdrop" --listen "$HTLS_DNSDROP_PORT" --upstream "$HTLS_DNS_PORT" \
    --drop dead.test --truncate tc.test --servfail sf.test --tcp --pidfile "$dir/dnsdrop.pid" &
HTLS_DNSNOTCP_PORT=$((HTLS_PORT_HEALTHY + 46))
export HTLS_DNSNOTCP_PORT
"$top_builddir/tests/tools/dnsdrop" --listen "$HTLS_DNSNOTCP_PORT" --upstream "$HTLS_DNS_PORT" \
    --truncate tc.test --pidfile "$dir/dnsnotcp.pid" &
for i in 1 2 3 4 5 6 7 8 9 10; do
	[ -f "$dir/dnsdrop.pid" ] && [ -f "$dir/dnsnotcp.pid" ] && break
	sleep 0.1
done
HYBRIDTLS_DNSBL_ZONES="$top_srcdir/tests/zones/dnsbl-test.zones"
export HYBRIDTLS_DNSBL_ZONES
HTLS_BIN="$top_builddir/hybridtls"
export HTLS_BIN
"$top_builddir/tests/integration.test" "$@"
