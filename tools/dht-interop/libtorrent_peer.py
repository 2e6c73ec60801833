#!/usr/bin/python3
"""A BEP-44 peer on libtorrent (Debian python3-libtorrent 2.0.x), driven by JSON lines on stdin.

Joins a DHT through the given bootstrap nodes, prints {"event": "ready", ...} once its routing
table has nodes, then answers one JSON line per command:

  {"id": 1, "op": "put", "seed": HEX32, "salt": HEX|null, "value": HEX}
      -> {"id": 1, "ok": true, "responses": N, "seq": S, "ms": T}
  {"id": 2, "op": "get", "pubkey": HEX32, "salt": HEX|null}
      -> {"id": 2, "found": true, "seq": S, "value": HEX, "authoritative": B, "ms": T}
  {"id": 3, "op": "put_many", "items": [{"seed": HEX32, "salt": HEX|null, "value": HEX}, ...]}
      -> {"id": 3, "ok": N_SUCCEEDED, "ms": WALL_TIME}  (all puts in flight at once)
  {"id": 4, "op": "quit"}

libtorrent's put first reads the item and signs seq = (seq found) + 1, so on a fresh key it writes
seq = 1 (its Python API has no cas). Every command is bounded by --timeout; the process exits on
'quit', on end of input, or after --lifetime seconds, whichever comes first.

Usage: libtorrent_peer.py --bind 198.51.100.100 --port 6881 --bootstrap 198.51.100.1:6881[,...]
"""
import argparse
import hashlib
import json
import select
import sys
import time

import libtorrent as lt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat


def emit(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def keys_from_seed(seed):
    """libtorrent wants the 64-byte expanded ed25519 secret: clamp(sha512(seed)) as in ref10."""
    h = bytearray(hashlib.sha512(seed).digest())
    h[0] &= 248
    h[31] &= 63
    h[31] |= 64
    public = Ed25519PrivateKey.from_private_bytes(seed).public_key().public_bytes(
        Encoding.Raw, PublicFormat.Raw)
    return bytes(h), public


def unhex(value):
    return bytes.fromhex(value) if value else b""


def raw(value):
    """Alert fields come back as bytes, or as str for salts (the binding decodes them as UTF-8, so
    only UTF-8 salts work with libtorrent's Python API; the tests use ASCII salts)."""
    return value.encode("utf-8") if isinstance(value, str) else bytes(value)


def wait_alert(ses, match, deadline):
    """Pops alerts until match(alert) returns a result or the deadline passes."""
    while time.monotonic() < deadline:
        ses.wait_for_alert(int(max(1, (deadline - time.monotonic()) * 1000)))
        for alert in ses.pop_alerts():
            result = match(alert)
            if result is not None:
                return result
    return None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bind", required=True)
    parser.add_argument("--port", type=int, default=6881)
    parser.add_argument("--bootstrap", required=True)
    parser.add_argument("--timeout", type=float, default=20.0)
    parser.add_argument("--lifetime", type=float, default=600.0)
    args = parser.parse_args()
    end_of_life = time.monotonic() + args.lifetime

    ses = lt.session({
        "listen_interfaces": "%s:%d" % (args.bind, args.port),
        "outgoing_interfaces": args.bind,
        "enable_dht": True, "enable_lsd": False, "enable_upnp": False, "enable_natpmp": False,
        "enable_ip_notifier": False,
        "dht_bootstrap_nodes": args.bootstrap,
        "dht_restrict_routing_ips": False, "dht_restrict_search_ips": False,
        "dht_prefer_verified_node_ids": False,
        "dht_block_ratelimit": 100000, "dht_upload_rate_limit": 10000000,
        # 2 MiB receive buffer, as Hubert's DHT sockets: with the OS default (208 KiB) a burst of
        # answers to many puts in flight overflows it, and the lost ones end at the 15 s timeout
        "recv_socket_buffer_size": 2 * 1024 * 1024,
        "alert_mask": lt.alert.category_t.dht_notification | lt.alert.category_t.error_notification
                      | lt.alert.category_t.status_notification
                      | lt.alert.category_t.dht_operation_notification,
    })
    deadline = time.monotonic() + args.timeout
    nodes = 0
    while time.monotonic() < deadline:
        ses.post_dht_stats()
        stats = wait_alert(ses, lambda a: a if isinstance(a, lt.dht_stats_alert) else None,
                           time.monotonic() + 0.2)
        if stats is not None:
            nodes = sum(b["num_nodes"] for b in stats.routing_table)
            if nodes > 0:
                break
    if nodes == 0:
        emit({"event": "error", "error": "no DHT node reached via " + args.bootstrap})
        return 1
    emit({"event": "ready", "nodes": nodes, "impl": "libtorrent " + lt.__version__})

    while time.monotonic() < end_of_life:
        ready, _, _ = select.select([sys.stdin], [], [], 1.0)
        if not ready:
            continue
        line = sys.stdin.readline()
        if not line:
            break
        line = line.strip()
        if not line:
            continue
        cmd = json.loads(line)
        op, cid = cmd.get("op"), cmd.get("id")
        if op == "quit":
            break
        salt = unhex(cmd.get("salt"))
        started = time.monotonic()
        deadline = started + args.timeout
        if op == "put":
            secret, public = keys_from_seed(bytes.fromhex(cmd["seed"]))
            ses.dht_put_mutable_item(secret, public, unhex(cmd["value"]), salt)

            def put_done(a):
                if isinstance(a, lt.dht_put_alert) and raw(a.public_key) == public \
                        and raw(a.salt) == salt:
                    return a
                return None
            alert = wait_alert(ses, put_done, deadline)
            ms = (time.monotonic() - started) * 1000
            if alert is None:
                emit({"id": cid, "ok": False, "error": "no dht_put_alert in time", "ms": ms})
            else:
                emit({"id": cid, "ok": alert.num_success > 0, "responses": alert.num_success,
                      "seq": alert.seq, "ms": ms})
        elif op == "put_many":
            pending = {}
            for item in cmd["items"]:
                secret, public = keys_from_seed(bytes.fromhex(item["seed"]))
                pending[(public, unhex(item.get("salt")))] = True
                ses.dht_put_mutable_item(secret, public, unhex(item["value"]), unhex(item.get("salt")))
            ok = 0

            def one_done(a):
                nonlocal ok
                if isinstance(a, lt.dht_put_alert):
                    key = (raw(a.public_key), raw(a.salt))
                    if pending.pop(key, None):
                        ok += 1 if a.num_success > 0 else 0
                return True if not pending else None
            wait_alert(ses, one_done, deadline + len(cmd["items"]) * 0.1)
            emit({"id": cid, "ok": ok, "missing": len(pending),
                  "ms": (time.monotonic() - started) * 1000})
        elif op == "get":
            public = bytes.fromhex(cmd["pubkey"])
            ses.dht_get_mutable_item(public, salt)

            def got(a):
                if isinstance(a, lt.dht_mutable_item_alert) and raw(a.key) == public \
                        and raw(a.salt) == salt:
                    return a
                return None
            alert = wait_alert(ses, got, deadline)
            ms = (time.monotonic() - started) * 1000
            if alert is None:
                emit({"id": cid, "found": False, "error": "no dht_mutable_item_alert in time",
                      "ms": ms})
                continue
            try:
                item = alert.item  # {'value': <bdecoded v>, 'signature': ..., ...}
            except RuntimeError:
                item = None
            value = item.get("value") if isinstance(item, dict) else None
            if isinstance(value, bytes) and alert.seq > 0:
                emit({"id": cid, "found": True, "seq": alert.seq, "value": value.hex(),
                      "authoritative": alert.authoritative, "ms": ms})
            else:
                emit({"id": cid, "found": False, "seq": alert.seq, "ms": ms})
        else:
            emit({"id": cid, "error": "unknown op %r" % op})
    return 0


if __name__ == "__main__":
    sys.exit(main())
