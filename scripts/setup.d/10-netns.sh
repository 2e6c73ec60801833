#!/usr/bin/env bash
# The isolated test network: network namespace "hubert-test" with loopback up and TEST-NET-2
# addresses 198.51.100.1-64 (RFC 5737) on a veth whose peer is a dead end, so nothing leaves it.
# Every forked test JVM runs inside it (scripts/netns/bin/java); mldht needs the public-looking
# addresses, and daemons (IPFS, Redis, interop peers) bind there too. 198.51.100.200 sits on a
# veth that stays down, for the test of binding an address whose interface is down.
#   10-netns.sh install|start|stop|status|delete  (needs root; start is idempotent)
set -euo pipefail
NS=${HUBERT_NETNS:-hubert-test}
N=64
DOWN_ADDR=198.51.100.200

# the down interface, also added to a namespace made before it existed
add_down_link() {
  ip -n "$NS" link show down0 >/dev/null 2>&1 \
    || ip -n "$NS" link add down0 type veth peer name down1
  case "$(ip -n "$NS" -4 -o addr show dev down0)" in
    *" $DOWN_ADDR/"*) ;;
    *) ip -n "$NS" addr add "$DOWN_ADDR/32" dev down0 ;;
  esac
}
case "${1:-}" in
  install)
    command -v ip >/dev/null || { apt-get install -y -q iproute2 >/dev/null; } ;;
  start)
    if ip netns list | grep -qx "$NS\( .*\)\?"; then
      add_down_link || echo "netns: could not add $DOWN_ADDR on a down link (needs root)" >&2
      echo "netns: $NS already present"; exit 0
    fi
    [ "$(id -u)" = 0 ] || { echo "netns: creating namespace $NS needs root" >&2; exit 1; }
    ip netns add "$NS"
    ip -n "$NS" link set lo up
    ip -n "$NS" link add veth0 type veth peer name veth1
    ip -n "$NS" link set veth0 up
    ip -n "$NS" link set veth1 up
    for i in $(seq 1 $N); do ip -n "$NS" addr add "198.51.100.$i/24" dev veth0; done
    # a default route keeps mldht's default-route probe quiet; packets die on veth1 inside the ns
    ip -n "$NS" route add default dev veth0
    add_down_link
    mkdir -p "/etc/netns/$NS" && echo "nameserver 127.0.0.1" > "/etc/netns/$NS/resolv.conf"
    echo "netns: $NS up with 198.51.100.1-$N" ;;
  stop)
    : ;;  # the namespace is left for the next run; 'delete' removes it
  delete)
    ip netns del "$NS" 2>/dev/null || true
    rm -rf "/etc/netns/$NS" ;;
  status)
    ip netns list | grep -qx "$NS\( .*\)\?" ;;
  *) echo "usage: $0 install|start|stop|status|delete" >&2; exit 2 ;;
esac
