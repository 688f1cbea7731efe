#!/bin/sh
# Integration tests: start the real servers (Postfix, Exim, the hostile proxy)
# on 127.0.0.1, run the Criterion suite against them, stop them whatever happens.
set -u
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${top_builddir:=$(pwd)}"
export top_srcdir top_builddir

dir=$(mktemp -d "${TMPDIR:-/tmp}/hybridtls-it.XXXXXX")
stop() {
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
HTLS_BIN="$top_builddir/hybridtls"
export HTLS_BIN
"$top_builddir/tests/integration.test" "$@"
