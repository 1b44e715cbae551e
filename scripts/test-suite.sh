#!/usr/bin/env bash
# The whole suite, as `make test` runs it: three pytest runs side by side.
#
# The fault tests spend most of their time waiting for Neo4j to stop and start again, on
# a server of their own (ASSETBRIDGE_FAULTS_NEO4J_PORT); much of the rest waits on Neo4j,
# a browser or a subprocess too. One after the other they took CI past its 20 minutes, so
# the rest is split in two shards (the API and the schema; the graph, the loaders and the
# commands) and both run beside the fault tests. Each run has its own test port (7689 and
# 7690 are taken by tests of their own, so the others are plus 12 and plus 24) and its own
# key store, so the runs share nothing. With NEO4J_URI set they would clear the same
# database, so then one pytest runs everything.
#
# Arguments go to every run; with test paths given, one pytest runs them (faults included).
set -uo pipefail
cd "$(dirname "$0")/.."
PYTEST=${PYTEST:-.venv/bin/pytest}
port=${ASSETBRIDGE_TEST_NEO4J_PORT:-7688}

if [[ -n "${NEO4J_URI:-}" ]]; then
    exec "$PYTEST" "$@"
fi
for arg in "$@"; do
    if [[ "$arg" == tests* ]]; then
        exec "$PYTEST" "$@"
    fi
done

mkdir -p var/test-artifacts
names=(faults schema-api graph-loaders)
pids=()

shard() {  # name, port, pytest arguments...
    local name=$1 shard_port=$2
    shift 2
    ASSETBRIDGE_TEST_NEO4J_PORT=$shard_port \
    ASSETBRIDGE_KEYSTORE_PATH="$PWD/var/keystore-test-$shard_port.sqlite3" \
        "$PYTEST" -p no:cacheprovider "$@" >"var/test-artifacts/$name.log" 2>&1 &
    pids+=($!)
}

# The walks over every field of the schema (marked `walks`) run after the fault tests, in
# their shard: those mostly wait, and the schema shard was the longest by minutes.
ASSETBRIDGE_FAULTS_NEO4J_PORT=${ASSETBRIDGE_FAULTS_NEO4J_PORT:-$((port + 43))} \
    shard faults $((port + 12)) -m "faults or walks" "$@"
shard schema-api "$port" -m "not faults and not walks" tests/api tests/schema "$@"
shard graph-loaders $((port + 24)) -m "not faults and not walks" tests \
    --ignore=tests/api --ignore=tests/schema "$@"

failed=()
for i in "${!pids[@]}"; do
    wait "${pids[$i]}" || failed+=("${names[$i]}")
done
for name in "${names[@]}"; do
    echo
    echo "== $name (full output in var/test-artifacts/$name.log) =="
    cat "var/test-artifacts/$name.log"
done
if ((${#failed[@]} > 0)); then
    echo "the suite failed: ${failed[*]}" >&2
    exit 1
fi
echo "the suite passed: ${names[*]}"
