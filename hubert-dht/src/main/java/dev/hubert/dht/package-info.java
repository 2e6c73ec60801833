/**
 * The Mainline DHT store: {@link dev.hubert.dht.MainlineDhtKv} (BEP-44 mutable items written by an
 * embedded libmldht node, wire-compatible with hubert 0.5.0) and its Dagger module {@link
 * dev.hubert.dht.MainlineDhtModule}. Everything else in the package is internal.
 */
package dev.hubert.dht;
