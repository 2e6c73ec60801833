#!/usr/bin/env bash
# The README's test command: installs and starts everything the tests need, runs every test, stops
# what it started. Idempotent; needs root (apt packages, network namespace).
#   scripts/test.sh [extra maven arguments]
# Each scripts/setup.d/NN-name.sh takes install|start|stop; they run in name order, and stop runs
# in reverse order on exit, even after a failure.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
export HUBERT_TEST_STATE=${HUBERT_TEST_STATE:-$ROOT/target/test-state}
mkdir -p "$HUBERT_TEST_STATE"
mapfile -t SETUP < <(ls scripts/setup.d/*.sh | sort)

for s in "${SETUP[@]}"; do bash "$s" install; done

started=()
teardown() {
  local i
  for ((i=${#started[@]}-1; i>=0; i--)); do bash "${started[$i]}" stop || true; done
}
trap teardown EXIT
for s in "${SETUP[@]}"; do started+=("$s"); bash "$s" start; done

# JAVA_HOME for the real JVM the namespace wrapper starts
export HUBERT_REAL_JAVA=${HUBERT_REAL_JAVA:-$(readlink -f "$(command -v java)")}
mvn -B -ntp verify -Dhubert.test.jvm="$ROOT/scripts/netns/bin/java" "$@"
