package dev.hubert.ipfs;

import dev.hubert.api.KvStore;
import dev.hubert.envelope.Arid;
import dev.hubert.testkit.Capabilities;
import dev.hubert.testkit.KvStoreConformance;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The conformance kit on {@link IpfsKv} with two parties: the store under test on js-ipfs node A
 * (the writer), the second party on node B (the reader), which finds values only through the
 * ARID-derived IPNS name.
 */
class IpfsKvConformanceTest extends KvStoreConformance {
  @Override
  protected KvStore createStore() {
    return IpfsKv.builder().rpcUrl(TestNodes.a()).build();
  }

  @Override
  protected KvStore createSecondParty(KvStore first) {
    return IpfsKv.builder().rpcUrl(TestNodes.b()).build();
  }

  @Override
  protected Capabilities capabilities() {
    return Capabilities.builder()
        .maxValueSize(IpfsKv.DEFAULT_MAX_ENVELOPE_SIZE)   // obfuscation keeps the CBOR length
        .exactValueSizeLimit(true)
        // IPNS lifetime in whole seconds, at most 36 h; the key is removed
        .supportsTtl(Duration.ofSeconds(1))
        .atomicWriteOnce(true)                           // puts through one IpfsKv are serialized
        .build();
  }

  @Override
  protected KvStore createUnreachableStore() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();   // closed again: nobody listens there
    }
    return IpfsKv.builder().rpcUrl("http://127.0.0.1:" + port).build();
  }

  /** Publishes bytes that are no envelope under the ARID's derived name, through node A. */
  @Override
  protected boolean writeCorruptValue(KvStore store, Arid arid) throws Exception {
    ExecutorService executor = Executors.newSingleThreadExecutor();
    KuboRpc rpc = new KuboRpc(TestNodes.a(), Duration.ofSeconds(5), Duration.ofSeconds(30),
        executor);
    try {
      IpfsStore raw = new IpfsStore(rpc, IpfsKv.DEFAULT_MAX_ENVELOPE_SIZE, false,
          Duration.ofSeconds(10), Duration.ofSeconds(30), Arid::urString, executor);
      raw.put(arid, "not an envelope".getBytes(StandardCharsets.UTF_8), null, false)
          .get(60, TimeUnit.SECONDS);
      return true;
    } finally {
      rpc.close();
      executor.shutdownNow();
    }
  }
}
