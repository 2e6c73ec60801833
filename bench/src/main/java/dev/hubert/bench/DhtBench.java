package dev.hubert.bench;

import com.google.gson.JsonObject;
import dev.hubert.api.AridDerivation;
import dev.hubert.api.Receipt;
import dev.hubert.dht.MainlineDhtKv;
import dev.hubert.dht.RawBep44Reader;
import dev.hubert.dht.testing.DhtTestnet;
import dev.hubert.dht.testing.InteropPeer;
import dev.hubert.envelope.Arid;
import dev.hubert.envelope.Envelope;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Mainline DHT put/get latency and put throughput on a ten-node testnet (198.51.100.21–30 unless
 * {@code -Dbench.dht.firstHost} moves the block), Hubert ({@link MainlineDhtKv}, writer .31,
 * reader .32) side by side with libtorrent 2.0 (Debian python3-libtorrent, writer .33, reader .34)
 * doing the same operations in the same run, on the same nodes, alternating operation by
 * operation, after {@code bench.dht.warmup} rounds of the same (default {@value #DEFAULT_WARMUP}).
 *
 * <ul>
 *   <li>put: a fresh key, value = an obfuscated envelope of the same size for both. Hubert's put
 *       reads first, then stores with cas = 0 (ends when the nodes answered); libtorrent's put also
 *       reads first (for the seq) and ends at its {@code dht_put_alert}.
 *   <li>get: the reader fetches what its own implementation's writer put. Hubert's get returns at
 *       the first valid value; libtorrent's {@code dht_get_mutable_item} returns when its lookup
 *       ends.
 *   <li>get, lookup only: for the DHT layer like for like, a third Hubert reader (.35, {@link
 *       RawBep44Reader}) runs just hubert-dht's BEP-44 lookup by public key (derived outside the
 *       timing, as for libtorrent) and returns the raw {@code v} at the first valid,
 *       signature-checked value: the work libtorrent's get is timed for. Knowing only the public
 *       key, it verifies signatures in full; Hubert's get re-signs instead (it holds the key). It
 *       reads an extra item Hubert's writer puts (untimed) at the end of each round, so that, like
 *       the other two gets, it is the first read of its item. Hubert's get adds the protocol's own
 *       per-get work (key derivation from the ARID, de-obfuscation and envelope decoding), timed
 *       separately on that item, warm.
 *   <li>puts/s: one at a time (1 / mean put latency), and {@code bench.dht.batch} puts of fresh
 *       keys all in flight at once (wall time).
 * </ul>
 *
 * <p>Latencies are measured inside each implementation's process (libtorrent's in Python around
 * the call and its alert), so the pipe to the Python process is not counted. Both have their spam
 * throttles off. Prints a Markdown report. Run as documented in docs/benchmarks.md.
 */
public final class DhtBench {
  private static final int NODES = 10;
  /**
   * Warm-up rounds before measuring. An embedded DHT node is meant to run long, so its steady
   * state is what counts: after only a few rounds the JIT has not yet compiled the client's path
   * (lookup, Ed25519, envelope decoding), while libtorrent is native code from the start. Most of
   * a get's code runs once per round, so after 500 rounds much of it was still at the JIT's first
   * tier (profiled, several times slower); 2000 rounds reach the optimised tier. The server
   * benchmark warms up with 2000 operations too.
   */
  private static final int DEFAULT_WARMUP = 2000;

  private DhtBench() {}

  public static void main(String[] args) throws Exception {
    int ops = Integer.getInteger("bench.dht.ops", 200);
    int batch = Integer.getInteger("bench.dht.batch", 100);
    int first = Integer.getInteger("bench.dht.firstHost", 21);
    int warmup = Integer.getInteger("bench.dht.warmup", DEFAULT_WARMUP);
    try (DhtTestnet net = DhtTestnet.start(first, NODES);
        InteropPeer ltWriter = InteropPeer.start(InteropPeer.Kind.LIBTORRENT, first + NODES + 2,
            net.addresses().subList(0, 1));
        InteropPeer ltReader = InteropPeer.start(InteropPeer.Kind.LIBTORRENT, first + NODES + 3,
            net.addresses().subList(0, 1));
        RawBep44Reader rawReader = RawBep44Reader.start(net.clientConfig(first + NODES + 4)
            .build())) {
      MainlineDhtKv writer = net.client(first + NODES);
      MainlineDhtKv reader = net.client(first + NODES + 1);
      Samples hPut = new Samples();
      Samples hGet = new Samples();
      Samples lPut = new Samples();
      Samples lGet = new Samples();
      Samples rawGet = new Samples();
      Samples deriveKey = new Samples();
      Samples decode = new Samples();
      int[] failures = new int[5];
      int valueSize = message(Arid.random()).toCborData().length;

      for (int i = 0; i < warmup + ops; i++) {
        boolean record = i >= warmup;
        Arid h = Arid.random();
        Arid l = Arid.random();
        Envelope he = message(h);
        Envelope le = message(l);

        long t = System.nanoTime();
        Receipt r = writer.put(h, he).get(60, TimeUnit.SECONDS);
        long hPutNanos = System.nanoTime() - t;
        JsonObject lp = ltWriter.put(AridDerivation.mainlineSigningSeed(l), null,
            AridDerivation.obfuscate(l, le.toCborData()), null);

        t = System.nanoTime();
        Optional<Envelope> got = reader.get(h, Duration.ofSeconds(10)).get(60, TimeUnit.SECONDS);
        long hGetNanos = System.nanoTime() - t;
        JsonObject lg = ltReader.get(AridDerivation.mainlinePublicKey(l), null);

        // lookup only, of a fresh item of its own like the other two gets (in trial runs Hubert's
        // get was faster when another reader had just read the same item)
        Arid x = Arid.random();
        Envelope xe = message(x);
        Receipt xr = writer.put(x, xe).get(60, TimeUnit.SECONDS);
        byte[] xKey = AridDerivation.mainlinePublicKey(x);
        t = System.nanoTime();
        Optional<byte[]> raw = rawReader.get(xKey).get(60, TimeUnit.SECONDS);
        long rawGetNanos = System.nanoTime() - t;
        // the Hubert protocol's own per-get work, alone
        t = System.nanoTime();
        byte[] derived = AridDerivation.mainlinePublicKey(x);
        long deriveNanos = System.nanoTime() - t;
        Envelope decoded = null;
        t = System.nanoTime();
        if (raw.isPresent()) {
          decoded = Envelope.fromCborData(AridDerivation.obfuscate(x, raw.get()));
        }
        long decodeNanos = System.nanoTime() - t;

        if (!record) {
          continue;
        }
        hPut.add(hPutNanos / 1e6);
        hGet.add(hGetNanos / 1e6);
        lPut.add(lp.get("ms").getAsDouble());
        lGet.add(lg.get("ms").getAsDouble());
        rawGet.add(rawGetNanos / 1e6);
        deriveKey.add(deriveNanos / 1e6);
        failures[4] += xr.replicas().orElse(0) > 0 && Arrays.equals(derived, xKey)
            && decoded != null && decoded.isIdenticalTo(xe) ? 0 : 1;
        if (raw.isPresent()) {
          decode.add(decodeNanos / 1e6);
        }
        failures[0] += r.replicas().orElse(0) > 0 ? 0 : 1;
        failures[1] += got.isPresent() && got.get().isIdenticalTo(he) ? 0 : 1;
        failures[2] += lp.get("ok").getAsBoolean() ? 0 : 1;
        failures[3] += lg.get("found").getAsBoolean() && Arrays.equals(InteropPeer.value(lg),
            AridDerivation.obfuscate(l, le.toCborData())) ? 0 : 1;
      }

      // throughput: a batch of puts all in flight at once
      List<CompletableFuture<Receipt>> puts = new ArrayList<>();
      long t = System.nanoTime();
      for (int i = 0; i < batch; i++) {
        Arid a = Arid.random();
        puts.add(writer.put(a, message(a)));
      }
      int hOk = 0;
      for (CompletableFuture<Receipt> f : puts) {
        try {
          f.get(120, TimeUnit.SECONDS);
          hOk++;
        } catch (Exception e) {
          // counted as not stored
        }
      }
      double hBatchMs = (System.nanoTime() - t) / 1e6;
      List<byte[][]> items = new ArrayList<>();
      for (int i = 0; i < batch; i++) {
        Arid a = Arid.random();
        items.add(new byte[][] {AridDerivation.mainlineSigningSeed(a), null,
            AridDerivation.obfuscate(a, message(a).toCborData())});
      }
      JsonObject lBatch = ltWriter.putAll(items);
      double lBatchMs = lBatch.get("ms").getAsDouble();
      int lOk = lBatch.get("ok").getAsInt();

      System.out.println();
      System.out.printf(Locale.ROOT, "Mainline DHT, %d-node testnet, %d operations each after %d"
          + " warm-up, value %d bytes, %s, Java %s, %d cores%n%n", NODES, ops, warmup, valueSize,
          Instant.now(), Runtime.version(), Runtime.getRuntime().availableProcessors());
      System.out.println("| operation | Hubert p50 | Hubert p99 | libtorrent p50 | libtorrent p99 |"
          + " failures (H / lt) |");
      System.out.println("|---|---|---|---|---|---|");
      row("put (ms)", hPut, lPut, failures[0], failures[2]);
      row("get (ms)", hGet, lGet, failures[1], failures[3]);
      System.out.printf(Locale.ROOT, "| get, lookup only: key given, raw value (ms) | %.2f | %.1f |"
          + " | | %d / |%n", rawGet.percentile(50), rawGet.percentile(99), failures[4]);
      System.out.printf(Locale.ROOT, "| puts/s, one at a time | %.0f | | %.0f | | |%n",
          1000 / hPut.mean(), 1000 / lPut.mean());
      System.out.printf(Locale.ROOT, "| puts/s, %d in flight | %.0f | | %.0f | | %d / %d |%n",
          batch, hOk * 1000 / hBatchMs, lOk * 1000 / lBatchMs, batch - hOk, batch - lOk);
      System.out.printf(Locale.ROOT, "%nmeans: Hubert put %.1f ms, get %.1f ms; libtorrent put %.1f"
          + " ms, get %.1f ms%n", hPut.mean(), hGet.mean(), lPut.mean(), lGet.mean());
      System.out.printf(Locale.ROOT, "get medians / libtorrent's: Hubert get %.2f×, lookup only"
          + " %.2f×; Hubert protocol work per get (warm, p50 / p99): key derivation %.1f / %.1f"
          + " µs, de-obfuscation + envelope decoding %.1f / %.1f µs%n",
          hGet.percentile(50) / lGet.percentile(50), rawGet.percentile(50) / lGet.percentile(50),
          deriveKey.percentile(50) * 1000, deriveKey.percentile(99) * 1000,
          decode.percentile(50) * 1000, decode.percentile(99) * 1000);
    }
  }

  /** An envelope of about 200 bytes, different for each ARID. */
  private static Envelope message(Arid arid) {
    return Envelope.of("benchmark message " + arid.hex() + " " + "x".repeat(100))
        .addAssertion("note", "the same size for Hubert and libtorrent");
  }

  private static void row(String name, Samples h, Samples l, int hFail, int lFail) {
    System.out.printf(Locale.ROOT, "| %s | %.2f | %.1f | %.2f | %.1f | %d / %d |%n", name,
        h.percentile(50), h.percentile(99), l.percentile(50), l.percentile(99), hFail, lFail);
  }

  /** Latencies in milliseconds; nearest-rank percentiles. */
  private static final class Samples {
    private final List<Double> values = new ArrayList<>();

    void add(double ms) {
      values.add(ms);
    }

    double percentile(int p) {
      double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      if (sorted.length == 0) {
        return Double.NaN;
      }
      int rank = (int) Math.ceil(p / 100.0 * sorted.length);
      return sorted[Math.max(0, rank - 1)];
    }

    double mean() {
      return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }
  }
}
