/**
 * The conformance kit for {@link dev.hubert.api.KvStore} implementations: extend {@link
 * dev.hubert.testkit.KvStoreConformance} in your tests to check your store against every numbered
 * rule of the contract, and use {@link dev.hubert.testkit.InMemoryKvStore}, the reference store
 * that passes them all, to compare.
 */
package dev.hubert.testkit;
