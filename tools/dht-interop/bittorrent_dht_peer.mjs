#!/usr/bin/env node
// A BEP-44 peer on npm bittorrent-dht (webtorrent, pure JS), driven by JSON lines on stdin; the
// same protocol as libtorrent_peer.py:
//
//   {"id": 1, "op": "put", "seed": HEX32, "salt": HEX|null, "value": HEX, "cas": 0|null}
//       -> {"id": 1, "ok": true, "responses": N, "ms": T} | {"id": 1, "ok": false, "error": "..."}
//   {"id": 2, "op": "get", "pubkey": HEX32, "salt": HEX|null}
//       -> {"id": 2, "found": true, "seq": S, "value": HEX, "ms": T}
//   {"id": 3, "op": "quit"}
//
// Puts are seq = 1 (hubert's layout), with cas when given. Ed25519 comes from Node's crypto.
// Every command is bounded by --timeout seconds; the process exits on 'quit', on end of input, or
// after --lifetime seconds.
//
// Usage: node bittorrent_dht_peer.mjs --bind 198.51.100.101 --port 6881 --bootstrap 198.51.100.1:6881[,...]
import crypto from 'node:crypto'
import readline from 'node:readline'
import DHT from 'bittorrent-dht'

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => {
  if (a.startsWith('--')) acc.push([a.slice(2), all[i + 1]])
  return acc
}, []))
const port = Number(args.port || 6881)
const timeoutMs = Number(args.timeout || 20) * 1000
setTimeout(() => process.exit(0), Number(args.lifetime || 600) * 1000).unref()

const emit = (obj) => process.stdout.write(JSON.stringify(obj) + '\n')
const unhex = (h) => (h ? Buffer.from(h, 'hex') : undefined)

// PKCS#8 and SPKI wrappers for raw Ed25519 keys (RFC 8410)
const privateKey = (seed) => crypto.createPrivateKey({
  key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]),
  format: 'der',
  type: 'pkcs8'
})
const publicKeyOf = (key) => crypto.createPublicKey(key).export({ format: 'der', type: 'spki' }).subarray(12)
const verify = (sig, msg, pk) => crypto.verify(null, msg, crypto.createPublicKey({
  key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), Buffer.from(pk)]),
  format: 'der',
  type: 'spki'
}), sig)

const dht = new DHT({ bootstrap: args.bootstrap.split(','), host: false, verify })
const bounded = (cid, promise) => Promise.race([promise, new Promise((resolve) =>
  setTimeout(() => resolve({ id: cid, ok: false, found: false, error: 'timeout' }), timeoutMs).unref())])

function put (cmd) {
  const started = performance.now()
  const key = privateKey(Buffer.from(cmd.seed, 'hex'))
  const opts = {
    k: publicKeyOf(key),
    seq: 1,
    v: Buffer.from(cmd.value, 'hex'),
    sign: (buf) => crypto.sign(null, buf, key)
  }
  if (cmd.salt) opts.salt = unhex(cmd.salt)
  if (typeof cmd.cas === 'number') opts.cas = cmd.cas
  return new Promise((resolve) => dht.put(opts, (err, hash, n) => resolve(err
    ? { id: cmd.id, ok: false, error: String(err.message || err), responses: n || 0, ms: performance.now() - started }
    : { id: cmd.id, ok: true, responses: n, ms: performance.now() - started })))
}

function get (cmd) {
  const started = performance.now()
  const pk = Buffer.from(cmd.pubkey, 'hex')
  const salt = unhex(cmd.salt)
  const target = crypto.createHash('sha1').update(salt ? Buffer.concat([pk, salt]) : pk).digest()
  const opts = { cache: false }
  if (salt) opts.salt = salt
  return new Promise((resolve) => dht.get(target, opts, (err, res) => resolve(err
    ? { id: cmd.id, found: false, error: String(err.message || err), ms: performance.now() - started }
    : res
      ? { id: cmd.id, found: true, seq: res.seq, value: Buffer.from(res.v).toString('hex'), ms: performance.now() - started }
      : { id: cmd.id, found: false, ms: performance.now() - started })))
}

const notReady = setTimeout(() => {
  emit({ event: 'error', error: 'no DHT node reached via ' + args.bootstrap })
  process.exit(1)
}, timeoutMs)
dht.on('ready', () => {
  clearTimeout(notReady)
  emit({ event: 'ready', nodes: dht.toJSON().nodes.length, impl: 'bittorrent-dht' })
  const lines = readline.createInterface({ input: process.stdin })
  lines.on('line', async (line) => {
    if (!line.trim()) return
    const cmd = JSON.parse(line)
    if (cmd.op === 'quit') {
      dht.destroy(() => process.exit(0))
      return
    }
    if (cmd.op === 'put') emit(await bounded(cmd.id, put(cmd)))
    else if (cmd.op === 'get') emit(await bounded(cmd.id, get(cmd)))
    else emit({ id: cmd.id, error: 'unknown op ' + cmd.op })
  })
  lines.on('close', () => dht.destroy(() => process.exit(0)))
})
dht.on('warning', (e) => process.stderr.write('bittorrent-dht warning: ' + e.message + '\n'))
dht.on('error', (e) => {
  emit({ event: 'error', error: String(e.message || e) })
  process.exit(1)
})
dht.listen(port, args.bind)
