/**
 * The hybrid store: {@link dev.hubert.hybrid.HybridKv} keeps small envelopes in the Mainline DHT
 * and large ones in IPFS behind a reference envelope, as hubert 0.5.0 does.
 */
package dev.hubert.hybrid;
