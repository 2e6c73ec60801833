package dev.hubert.bench;

import dev.hubert.api.KvStore;
import dev.hubert.api.Receipt;
import dev.hubert.dht.MainlineDhtKv;
import dev.hubert.dht.testing.DhtTestnet;
import dev.hubert.envelope.Arid;
import dev.hubert.envelope.Envelope;
import dev.hubert.hybrid.HybridKv;
import dev.hubert.ipfs.IpfsKv;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Put/get latency of {@link HybridKv} across envelope sizes, next to the two backends it is built
 * on, measured in the same run and interleaved: the DHT alone ({@link MainlineDhtKv}, only for
 * envelopes it accepts) and IPFS alone ({@link IpfsKv}).
 *
 * <p>A ten-node DHT testnet on 198.51.100.21–30 (inside the namespace {@code hubert-test}). Writer:
 * DHT client .31 and IPFS node A; reader: DHT client .32 and IPFS node B. The three stores share
 * these clients and nodes, so the hybrid store's extra cost is its own. Per size and iteration,
 * every variant puts the same envelope (of exactly the given tagged-CBOR size) at a fresh ARID on
 * the writer, in rotating order; then every variant gets its value back on the reader, in
 * rotating order, and the result is checked. Prints a Markdown table of medians and 90th
 * percentiles. Run it as docs/benchmarks.md says.
 */
public final class HybridBench {
  private static final int DHT_LIMIT = HybridKv.DEFAULT_DHT_LIMIT;
  private static final int[] SIZES = {100, 500, 996, 997, 10 * 1024, 100 * 1024, 1024 * 1024,
      5 * 1024 * 1024};
  /** From this size on, fewer iterations (each costs seconds). */
  private static final int LARGE = 100 * 1024;
  private static final Duration GET_TIMEOUT = Duration.ofSeconds(60);
  private static final int FIRST_NODE = 21;
  private static final int WRITER_HOST = 31;
  private static final int READER_HOST = 32;

  private enum Variant { HYBRID, DHT, IPFS }

  private HybridBench() {}

  public static void main(String[] args) throws Exception {
    URI a = URI.create(System.getProperty("hubert.ipfs.a", "http://127.0.0.1:5001"));
    URI b = URI.create(System.getProperty("hubert.ipfs.b", "http://127.0.0.1:5002"));
    int iterations = Integer.getInteger("bench.iterations", 10);
    int largeIterations = Integer.getInteger("bench.iterations.large", 8);
    int warmup = Integer.getInteger("bench.warmup", 2);
    new HybridBench().run(a, b, iterations, largeIterations, warmup);
  }

  private void run(URI a, URI b, int iterations, int largeIterations, int warmup) throws Exception {
    long start = System.nanoTime();
    Map<String, List<Long>> results = new LinkedHashMap<>();
    Map<Integer, String> routes = new LinkedHashMap<>();
    Random random = new Random(42);
    try (DhtTestnet net = DhtTestnet.start(FIRST_NODE, DhtTestnet.DEFAULT_NODES);
        IpfsKv ipfsWriter = IpfsKv.builder().rpcUrl(a).build();
        IpfsKv ipfsReader = IpfsKv.builder().rpcUrl(b).build()) {
      MainlineDhtKv dhtWriter = net.client(WRITER_HOST);
      MainlineDhtKv dhtReader = net.client(READER_HOST);
      Map<Variant, KvStore> writers = new EnumMap<>(Variant.class);
      Map<Variant, KvStore> readers = new EnumMap<>(Variant.class);
      writers.put(Variant.HYBRID, HybridKv.builder(dhtWriter, ipfsWriter).build());
      readers.put(Variant.HYBRID, HybridKv.builder(dhtReader, ipfsReader).build());
      writers.put(Variant.DHT, dhtWriter);
      readers.put(Variant.DHT, dhtReader);
      writers.put(Variant.IPFS, ipfsWriter);
      readers.put(Variant.IPFS, ipfsReader);
      System.out.printf(Locale.ROOT, "testnet %s, writer %s + %s, reader %s + %s%n", net.addresses(),
          dhtWriter.localAddress(), a, dhtReader.localAddress(), b);

      for (int size : SIZES) {
        List<Variant> variants = new ArrayList<>(List.of(Variant.HYBRID, Variant.IPFS));
        if (size <= DHT_LIMIT) {
          variants.add(1, Variant.DHT);
        }
        int k = variants.size();
        int measured = size >= LARGE ? largeIterations : iterations;
        long sizeStart = System.nanoTime();
        for (int i = 0; i < warmup + measured; i++) {
          Envelope envelope = envelopeOfSize(size, random);
          Map<Variant, Arid> arids = new EnumMap<>(Variant.class);
          Map<Variant, Long> put = new EnumMap<>(Variant.class);
          Map<Variant, Long> get = new EnumMap<>(Variant.class);
          for (int turn = 0; turn < k; turn++) {
            Variant v = variants.get((turn + i) % k);   // rotate the order of the puts
            Arid arid = Arid.random();
            arids.put(v, arid);
            long t0 = System.nanoTime();
            Receipt receipt = writers.get(v).blocking().put(arid, envelope);
            put.put(v, System.nanoTime() - t0);
            if (v == Variant.HYBRID) {
              routes.put(size, route(receipt, size));
            }
          }
          for (int turn = 0; turn < k; turn++) {
            Variant v = variants.get((turn + i + 1) % k);   // and of the gets, shifted by one
            long t0 = System.nanoTime();
            Envelope got = readers.get(v).blocking().get(arids.get(v), GET_TIMEOUT).orElseThrow(
                () -> new IllegalStateException(v + " get of a " + size + "-byte envelope found nothing"
                    + " within " + GET_TIMEOUT.toSeconds() + " s"));
            get.put(v, System.nanoTime() - t0);
            check(got.isIdenticalTo(envelope), v + " get returned another envelope");
          }
          if (i >= warmup) {
            for (Variant v : variants) {
              results.computeIfAbsent(key("put", size, v), x -> new ArrayList<>()).add(put.get(v));
              results.computeIfAbsent(key("get", size, v), x -> new ArrayList<>()).add(get.get(v));
            }
          }
        }
        System.out.printf(Locale.ROOT, "%s: %d + %d iterations in %.0f s%n", label(size), warmup,
            measured, (System.nanoTime() - sizeStart) / 1e9);
      }
      writers.get(Variant.HYBRID).close();
      readers.get(Variant.HYBRID).close();
    }
    print(results, routes);
    System.out.printf(Locale.ROOT, "%nwhole run: %.0f s; per row %d measured iterations (%d from %s on)"
        + " after %d warm-up%n", (System.nanoTime() - start) / 1e9, iterations, largeIterations,
        label(LARGE), warmup);
  }

  /** The route the hybrid store took, from its receipt; fails if it is not the expected one. */
  private static String route(Receipt receipt, int size) {
    boolean direct = receipt.text().startsWith("Stored in DHT at ARID");
    boolean viaIpfs = receipt.text().startsWith("Stored in IPFS (ref:");
    check(direct || viaIpfs, "unexpected hybrid receipt: " + receipt.text());
    check(direct == (size <= DHT_LIMIT), "a " + size + "-byte envelope went "
        + (direct ? "to the DHT" : "to IPFS") + ": " + receipt.text());
    return direct ? "DHT" : "IPFS + ref";
  }

  /**
   * {@code Envelope.ofBytes} of random bytes whose tagged CBOR is exactly {@code size} bytes (the
   * size the threshold is about).
   */
  static Envelope envelopeOfSize(int size, Random random) {
    int payload = size;
    for (int attempt = 0; attempt < 4; attempt++) {
      int length = Envelope.ofBytes(new byte[payload]).toCborData().length;
      if (length == size) {
        byte[] bytes = new byte[payload];
        random.nextBytes(bytes);
        Envelope e = Envelope.ofBytes(bytes);
        check(e.toCborData().length == size, "envelope size drifted");
        return e;
      }
      payload += size - length;
    }
    throw new IllegalArgumentException("no byte-string envelope has exactly " + size + " bytes");
  }

  private static void print(Map<String, List<Long>> results, Map<Integer, String> routes) {
    System.out.printf(Locale.ROOT, "%n| operation | envelope | HybridKv route | HybridKv median / p90 (ms) "
        + "| DHT alone median / p90 (ms) | IPFS alone median / p90 (ms) "
        + "| HybridKv over the backend it uses (median) |%n|---|---|---|---|---|---|---|%n");
    for (String op : new String[] {"put", "get"}) {
      for (int size : SIZES) {
        List<Long> h = results.get(key(op, size, Variant.HYBRID));
        List<Long> d = results.get(key(op, size, Variant.DHT));
        List<Long> x = results.get(key(op, size, Variant.IPFS));
        List<Long> base = size <= DHT_LIMIT ? d : x;
        System.out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %+.0f%% (%s) |%n", op, label(size),
            routes.get(size), cell(h), cell(d), cell(x),
            (percentile(h, 50) / percentile(base, 50) - 1) * 100, size <= DHT_LIMIT ? "DHT" : "IPFS");
      }
    }
  }

  private static String cell(List<Long> nanos) {
    return nanos == null ? "–" : String.format(Locale.ROOT, "%.1f / %.1f", percentile(nanos, 50),
        percentile(nanos, 90));
  }

  private static double percentile(List<Long> nanos, int p) {
    long[] s = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
    int index = (int) Math.ceil(p / 100.0 * s.length) - 1;
    return s[Math.max(0, Math.min(s.length - 1, index))] / 1e6;
  }

  private static String key(String op, int size, Variant v) {
    return op + " " + size + " " + v;
  }

  private static String label(int size) {
    if (size >= 1024 * 1024) {
      return size / (1024 * 1024) + " MiB";
    }
    return size >= 10 * 1024 ? size / 1024 + " KiB" : size + " B";
  }

  private static void check(boolean ok, String message) {
    if (!ok) {
      throw new IllegalStateException(message);
    }
  }
}
