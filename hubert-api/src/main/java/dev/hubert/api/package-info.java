/**
 * The Hubert contract: {@link dev.hubert.api.KvStore} (write-once put, polling get, exists) with
 * its numbered rules, the {@link dev.hubert.api.HubertException} family, and what every backend
 * shares — {@link dev.hubert.api.AridDerivation} (keys and obfuscation exactly as hubert 0.5.0),
 * {@link dev.hubert.api.Polling}, {@link dev.hubert.api.DaemonThreads} and {@link
 * dev.hubert.api.VerboseLog}.
 */
package dev.hubert.api;
