#!/usr/bin/env bash
# hubert-server's tests: StorageFaultTest makes a running server's SQLite files read-only with
# chattr +i (which binds root too), so chattr (Debian's e2fsprogs) must be there. Nothing to start:
# the tests start their servers themselves (in-process, or as child JVMs they kill by pid).
#   40-server.sh install|start|stop      (idempotent; install needs root)
set -euo pipefail
case "${1:-}" in
  install)
    if ! command -v chattr >/dev/null; then
      apt-get update -q >/dev/null
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q e2fsprogs >/dev/null
    fi
    echo "server: chattr at $(command -v chattr)" ;;
  start|stop)
    : ;;
  *) echo "usage: $0 install|start|stop" >&2; exit 2 ;;
esac
