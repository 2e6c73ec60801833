#!/usr/bin/env bash
# Two js-ipfs test nodes for hubert-ipfs (tools/ipfs), inside the test namespace (10-netns.sh):
# node A: API 127.0.0.1:5001, swarm 4001; node B: API 5002, swarm 4002; connected, no bootstrap.
#   30-ipfs.sh install|start|stop
# install = npm ci of the pinned tools/ipfs/package-lock.json; start = both nodes + connect + wait
# until a canary IPNS name published on A resolves on B; stop = both daemons by pid.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
NODE_SH="$ROOT/tools/ipfs/ipfs-testnode.sh"
export IPFS_TESTNODE_STATE=${HUBERT_TEST_STATE:-$ROOT/target/test-state}/ipfs
export IPFS_TESTNODE_NETNS=${HUBERT_NETNS:-hubert-test}
case "${1:-}" in
  install)
    command -v curl >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q curl >/dev/null; }
    command -v npm >/dev/null || { echo "30-ipfs: npm (node >= 18) is required" >&2; exit 1; }
    bash "$NODE_SH" install ;;
  start)
    ip netns list | grep -qx "$IPFS_TESTNODE_NETNS\( .*\)\?" \
      || { echo "30-ipfs: namespace $IPFS_TESTNODE_NETNS missing (10-netns.sh start)" >&2; exit 1; }
    bash "$NODE_SH" start a 5001 4001
    bash "$NODE_SH" start b 5002 4002
    bash "$NODE_SH" connect b a
    bash "$NODE_SH" canary a b ;;
  stop)
    rc=0
    bash "$NODE_SH" stop b || rc=1
    bash "$NODE_SH" stop a || rc=1
    exit $rc ;;
  *) echo "usage: $0 install|start|stop" >&2; exit 2 ;;
esac
