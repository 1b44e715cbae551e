#!/usr/bin/env bash
# The whole suite, as `make test` runs it: the fault tests beside the rest.
#
# The fault tests spend most of their time waiting for Neo4j to stop and start again, on
# a server of their own (ASSETBRIDGE_FAULTS_NEO4J_PORT); run one after the other, they
# alone took CI over its 20 minutes. Beside the rest they get their own test port (the
# test port plus 12: 7689 and 7690 are taken by tests of their own) and
# key store too, so the two runs share nothing. With NEO4J_URI set both would clear the
# same database, so then they run one after the other.
set -uo pipefail
cd "$(dirname "$0")/.."
PYTEST=${PYTEST:-.venv/bin/pytest}
port=${ASSETBRIDGE_TEST_NEO4J_PORT:-7688}

if [[ -n "${NEO4J_URI:-}" ]]; then
    exec "$PYTEST" "$@"
fi

mkdir -p var/test-artifacts
faults_log=var/test-artifacts/faults.log
ASSETBRIDGE_TEST_NEO4J_PORT=$((port + 12)) \
ASSETBRIDGE_FAULTS_NEO4J_PORT=${ASSETBRIDGE_FAULTS_NEO4J_PORT:-$((port + 43))} \
ASSETBRIDGE_KEYSTORE_PATH="$PWD/var/keystore-test-$((port + 12)).sqlite3" \
    "$PYTEST" -m faults -p no:cacheprovider "$@" >"$faults_log" 2>&1 &
faults_pid=$!

ASSETBRIDGE_TEST_NEO4J_PORT=$port "$PYTEST" -m "not faults" "$@"
rest=$?
wait "$faults_pid"
faults=$?

echo
echo "== the fault tests (run beside the rest; full output in $faults_log) =="
cat "$faults_log"
if ((rest != 0 || faults != 0)); then
    echo "the suite failed: rest exit $rest, fault tests exit $faults" >&2
    exit 1
fi
