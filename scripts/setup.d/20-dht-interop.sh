#!/usr/bin/env bash
# Independent BEP-44 implementations for hubert-dht's interop tests and benchmark, driven as child
# processes of the tests (no daemons): Debian's python3-libtorrent (run with /usr/bin/python3, not
# a pyenv python) and npm's bittorrent-dht, pinned by tools/dht-interop/package-lock.json.
# 'start' gives them their addresses in the test namespace (10-netns.sh adds only .1-.64):
# 198.51.100.100 for libtorrent, .101 for bittorrent-dht.
#   20-dht-interop.sh install|start|stop      (idempotent; install and start need root)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
NS=${HUBERT_NETNS:-hubert-test}
TOOLS=$ROOT/tools/dht-interop
case "${1:-}" in
  install)
    if ! /usr/bin/python3 -c 'import libtorrent, cryptography' 2>/dev/null; then
      apt-get update -q >/dev/null
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-libtorrent python3-cryptography >/dev/null
    fi
    command -v node >/dev/null || {
      apt-get update -q >/dev/null
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q nodejs npm >/dev/null
    }
    if ! cmp -s "$TOOLS/package-lock.json" "$TOOLS/node_modules/.hubert-installed-lock" 2>/dev/null; then
      (cd "$TOOLS" && npm ci --no-audit --no-fund --loglevel=error)
      cp "$TOOLS/package-lock.json" "$TOOLS/node_modules/.hubert-installed-lock"
    fi
    /usr/bin/python3 -c 'import libtorrent; print("dht-interop: libtorrent", libtorrent.__version__)'
    echo "dht-interop: node $(node --version), bittorrent-dht $(node -p "require('$TOOLS/node_modules/bittorrent-dht/package.json').version")" ;;
  start)
    for host in 100 101; do
      if ! ip -n "$NS" -o addr show dev veth0 | grep -q "inet 198\.51\.100\.$host/"; then
        ip -n "$NS" addr add "198.51.100.$host/24" dev veth0
      fi
    done
    echo "dht-interop: 198.51.100.100 (libtorrent) and .101 (bittorrent-dht) in $NS" ;;
  stop)
    : ;;  # nothing runs between tests; the addresses stay with the namespace
  *) echo "usage: $0 install|start|stop" >&2; exit 2 ;;
esac
