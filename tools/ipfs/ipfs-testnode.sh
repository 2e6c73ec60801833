#!/usr/bin/env bash
# Local IPFS test nodes for hubert-ipfs: js-ipfs 0.66.1, pinned by package-lock.json beside this file
# (see shared notes "ipfs-test-node.md"). Loopback only: no bootstrap peers, no delegates, no
# MDNS/webrtc-star, no NAT port mapping, no preload.
#   ipfs-testnode.sh install
#   ipfs-testnode.sh start NAME API_PORT SWARM_PORT | stop NAME | status NAME
#   ipfs-testnode.sh connect FROM TO          (FROM dials TO's swarm address)
#   ipfs-testnode.sh canary WRITER READER     (publish a name on WRITER, wait until READER resolves it)
# State: $IPFS_TESTNODE_STATE (default target/ipfs-testnode)/NAME/{repo,pid,port,daemon.log}.
# With IPFS_TESTNODE_NETNS set, daemons run and are probed inside that network namespace.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
STATE_ROOT=${IPFS_TESTNODE_STATE:-target/ipfs-testnode}
NETNS=${IPFS_TESTNODE_NETNS:-}
JSIPFS="$HERE/node_modules/.bin/jsipfs"
export NO_UPDATE_NOTIFIER=1
die() { echo "ipfs-testnode: $*" >&2; exit 1; }
in_ns() { if [ -n "$NETNS" ]; then ip netns exec "$NETNS" "$@"; else "$@"; fi; }
# rpc PORT PATH [curl args]: POST http://127.0.0.1:PORT/api/v0/PATH inside the namespace
rpc() { local port=$1 path=$2; shift 2; in_ns curl -sf -m 10 -X POST "$@" "http://127.0.0.1:$port/api/v0/$path"; }
json() { node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const v=JSON.parse(s);console.log(eval(process.argv[1]))})' "$1"; }
port_of() { cat "$STATE_ROOT/$1/port"; }

install() {
  local stamp="$HERE/node_modules/.hubert-lock.sha256" want
  want=$(sha256sum "$HERE/package-lock.json" | cut -d' ' -f1)
  if [ -x "$JSIPFS" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then return 0; fi
  command -v npm >/dev/null || die "npm not found (need node >= 18, tested with node 20)"
  (cd "$HERE" && npm ci --omit=optional --ignore-scripts --no-audit --no-fund --loglevel=error)
  echo "$want" > "$stamp"
}
api_ok() { rpc "$1" id -m 2 >/dev/null 2>&1; }
status() { local d="$STATE_ROOT/$1"; [ -f "$d/pid" ] && kill -0 "$(cat "$d/pid")" 2>/dev/null && api_ok "$(cat "$d/port")"; }
start() {
  local name=$1 api=$2 swarm=$3 d="$STATE_ROOT/$1"
  [ -x "$JSIPFS" ] || die "js-ipfs is not installed: run '$0 install' first"
  if status "$name"; then echo "ipfs-testnode: $name already running (pid $(cat "$d/pid"), api $(cat "$d/port"))"; return 0; fi
  if [ -f "$d/pid" ] && kill -0 "$(cat "$d/pid")" 2>/dev/null; then stop "$name"; fi   # our own stale daemon
  if api_ok "$api"; then
    # another checkout's node (a shared development machine): use it, never stop it
    if rpc "$api" version | grep -q '"Version"'; then
      mkdir -p "$d"; echo "$api" > "$d/port"; rm -f "$d/pid"
      echo "ipfs-testnode: $name: an IPFS node not started from $STATE_ROOT already answers on port $api; using it"
      return 0
    fi
    die "port $api is already serving something else"
  fi
  # a fresh repo every start: a reused repo re-dials the peers it remembers
  rm -rf "$d"; mkdir -p "$d"; export IPFS_PATH="$d/repo"
  cat > "$d/init-config.json" <<EOF
{ "Addresses": { "Swarm": ["/ip4/127.0.0.1/tcp/$swarm"], "API": "/ip4/127.0.0.1/tcp/$api",
                 "Gateway": "/ip4/127.0.0.1/tcp/0", "RPC": "/ip4/127.0.0.1/tcp/0", "Delegates": [] },
  "Bootstrap": [],
  "Discovery": { "MDNS": { "Enabled": false }, "webRTCStar": { "Enabled": false } },
  "Swarm": { "DisableNatPortMap": true } }
EOF
  "$JSIPFS" init --emptyRepo "$d/init-config.json" > "$d/init.log" 2>&1 || { cat "$d/init.log" >&2; die "init failed"; }
  echo "$api" > "$d/port"
  # Not --offline: IPNS records then travel over the DHT to swarm-connected peers (two parties).
  # 'ip netns exec' execs the command, so $! is the daemon's own pid.
  nohup env IPFS_PATH="$IPFS_PATH" ${NETNS:+ip netns exec "$NETNS"} "$JSIPFS" daemon --enable-preload=false \
    > "$d/daemon.log" 2>&1 < /dev/null &
  echo $! > "$d/pid"
  for _ in $(seq 1 240); do
    api_ok "$api" && { echo "ipfs-testnode: $name ready (pid $(cat "$d/pid"), api http://127.0.0.1:$api${NETNS:+ in netns $NETNS})"; return 0; }
    kill -0 "$(cat "$d/pid")" 2>/dev/null || { cat "$d/daemon.log" >&2; die "$name exited during start"; }
    sleep 0.25
  done
  cat "$d/daemon.log" >&2; die "$name not ready after 60 s"
}
stop() {
  local d="$STATE_ROOT/$1" pid; [ -f "$d/pid" ] || return 0; pid=$(cat "$d/pid")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"; for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
  fi
  rm -f "$d/pid"; echo "ipfs-testnode: $1 stopped"
}
connect() {
  local addr
  addr=$(rpc "$(port_of "$2")" id | json 'v.Addresses.filter(a => a.includes("/tcp/"))[0]')
  rpc "$(port_of "$1")" "swarm/connect?arg=$addr" >/dev/null || die "$1 could not connect to $2 ($addr)"
}
canary() {
  local w; w=$(port_of "$1"); local r; r=$(port_of "$2")
  local name="testnode-canary-$$-$RANDOM" id cid
  id=$(rpc "$w" "key/gen?arg=$name&type=ed25519" | json 'v.Id')
  cid=$(printf 'canary %s' "$name" | rpc "$w" add -F "file=@-;type=application/octet-stream" | json 'v.Hash')
  rpc "$w" "name/publish?arg=/ipfs/$cid&resolve=false&lifetime=1h&key=$name" >/dev/null || die "canary publish on $1 failed"
  for _ in $(seq 1 120); do
    if rpc "$r" "name/resolve?arg=$id&recursive=false&timeout=2s" 2>/dev/null | grep -q "$cid"; then
      echo "ipfs-testnode: a name published on $1 resolves on $2"; return 0
    fi
    sleep 0.5
  done
  die "a name published on $1 did not resolve on $2 within about 60 s"
}
cmd=${1:-}; shift || true
case "$cmd" in
  install) install ;;
  start) [ $# -eq 3 ] || die "usage: start NAME API_PORT SWARM_PORT"; start "$@" ;;
  stop) [ $# -eq 1 ] || die "usage: stop NAME"; stop "$1" ;;
  status) status "$1" ;;
  connect) [ $# -eq 2 ] || die "usage: connect FROM TO"; connect "$@" ;;
  canary) [ $# -eq 2 ] || die "usage: canary WRITER READER"; canary "$@" ;;
  *) die "usage: $0 install|start|stop|status|connect|canary ..." ;;
esac
