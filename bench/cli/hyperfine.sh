#!/usr/bin/env bash
# Wall time of the `hubert` command, measured with hyperfine (Debian package) side by side with
# plain `java -version`, the floor of any JVM command:
#   1. java -version                                   (the floor)
#   2. ./hubert generate arid                          (launcher: C1, serial GC, CDS archive)
#   3. java -jar hubert-cli/target/hubert.jar generate arid   (untuned, for comparison)
#   4. a put + get round trip through a Hubert server (./hubert put ... && ./hubert get ...),
#      the server (`./hubert server`, in-memory) started by this script on 127.0.0.1.
# Usage: bench/cli/hyperfine.sh [results.md]       (needs root for apt-get, or hyperfine on PATH)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
OUT=${1:-$ROOT/target/bench-cli.md}
mkdir -p "$(dirname "$OUT")" target
command -v hyperfine >/dev/null || { apt-get update -q >/dev/null; apt-get install -y -q hyperfine >/dev/null; }
[ -f hubert-cli/target/hubert.jar ] || mvn -B -q -ntp package -pl hubert-cli -am -DskipTests -Dmaven.javadoc.skip=true
./hubert generate arid >/dev/null   # makes the CDS archive, as a first run does

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
./hubert server --port "$PORT" > target/bench-server.log 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do ./hubert check -s server --port "$PORT" >/dev/null 2>&1 && break; sleep 0.2; done
ENV=$(./hubert generate envelope 32)
ARID_FILE=target/bench-arid

hyperfine --warmup 3 --runs 20 --export-markdown target/bench-cli-start.md \
  -n 'java -version' 'java -version' \
  -n 'hubert generate arid' './hubert generate arid' \
  -n 'java -jar hubert.jar generate arid (untuned)' 'java -jar hubert-cli/target/hubert.jar generate arid'
hyperfine --warmup 2 --runs 15 --export-markdown target/bench-cli-roundtrip.md \
  --prepare "./hubert generate arid > $ARID_FILE" \
  -n 'hubert put + get via server' \
  "./hubert put -s server --port $PORT \$(cat $ARID_FILE) $ENV && ./hubert get -s server --port $PORT \$(cat $ARID_FILE) > /dev/null"
{ cat target/bench-cli-start.md; echo; cat target/bench-cli-roundtrip.md; } > "$OUT"
echo "results: $OUT"
