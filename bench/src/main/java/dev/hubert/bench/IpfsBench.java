package dev.hubert.bench;

import dev.hubert.api.AridDerivation;
import dev.hubert.envelope.Arid;
import dev.hubert.envelope.Envelope;
import dev.hubert.ipfs.IpfsKv;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Put/get latency of {@link IpfsKv} next to the bare RPC calls it is built on, in the same run and
 * interleaved: writer on node A, reader on node B (the two js-ipfs test nodes).
 *
 * <ul>
 *   <li>Hubert put: {@code IpfsKv.put} on A (obfuscation, write-once resolve, key import, add,
 *       publish). Bare put: {@code add} + {@code name/publish} with a key made beforehand.
 *   <li>Also timed for puts: hubert 0.5.0's sequence of RPC calls (key/list, key/gen, add,
 *       resolve, publish), the reference's cost against the same daemon.
 *   <li>Hubert get: {@code IpfsKv.get} on B of a value published on A (resolve, cat,
 *       de-obfuscation, envelope decoding). Bare get: {@code name/resolve} + {@code cat} on B.
 * </ul>
 *
 * <p>Each pair alternates which goes first. Prints a Markdown table of medians and 90th
 * percentiles. Run it as docs/benchmarks.md says; it talks only to the two local nodes.
 */
public final class IpfsBench {
  private static final int WARMUP = 2;
  private static final Pattern HASH = Pattern.compile("\"Hash\"\\s*:\\s*\"([^\"]+)\"");
  private static final Pattern ID = Pattern.compile("\"Id\"\\s*:\\s*\"([^\"]+)\"");
  private static final Pattern PATH = Pattern.compile("\"Path\"\\s*:\\s*\"/ipfs/([^\"]+)\"");

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  private IpfsBench() {}

  public static void main(String[] args) throws Exception {
    URI a = URI.create(System.getProperty("hubert.ipfs.a", "http://127.0.0.1:5001"));
    URI b = URI.create(System.getProperty("hubert.ipfs.b", "http://127.0.0.1:5002"));
    int iterations = Integer.getInteger("bench.iterations", 10);
    new IpfsBench().run(a, b, iterations);
  }

  private void run(URI a, URI b, int iterations) throws Exception {
    int[] sizes = {1024, 100 * 1024, 1024 * 1024};
    Map<String, List<Long>> results = new LinkedHashMap<>();
    Random random = new Random(42);
    String run = Long.toString(System.currentTimeMillis(), 36);
    try (IpfsKv writer = IpfsKv.builder().rpcUrl(a).build();
        IpfsKv reader = IpfsKv.builder().rpcUrl(b).build()) {
      for (int size : sizes) {
        for (int i = 0; i < WARMUP + iterations; i++) {
          byte[] payload = new byte[size];
          random.nextBytes(payload);
          Envelope envelope = Envelope.ofBytes(payload);
          Arid arid = Arid.random();
          // the bare calls store bytes of the same length; their key exists beforehand
          byte[] bare = AridDerivation.obfuscate(Arid.random(), envelope.toCborData());
          String keyName = "bench-" + run + "-" + size + "-" + i;
          String peerId = match(ID, post(a, "key/gen?arg=" + keyName + "&type=ed25519", null));
          long[] put = new long[3];
          String[] bareCid = new String[1];
          for (int turn = 0; turn < 3; turn++) {
            int variant = (turn + i) % 3;   // rotate the order of the three puts
            long t0 = System.nanoTime();
            if (variant == 0) {
              writer.blocking().put(arid, envelope);
            } else if (variant == 1) {
              bareCid[0] = match(HASH, post(a, "add?pin=false", bare));
              post(a, "name/publish?arg=" + enc("/ipfs/" + bareCid[0]) + "&resolve=false&key="
                  + keyName + "&allow-offline=true", null);
            } else {
              referencePut(a, keyName + "-ref", AridDerivation.obfuscate(Arid.random(),
                  envelope.toCborData()));
            }
            put[variant] = System.nanoTime() - t0;
          }
          boolean hubertFirst = i % 2 == 0;
          long[] get = new long[2];
          for (int turn = 0; turn < 2; turn++) {
            long t0 = System.nanoTime();
            if ((turn == 0) == hubertFirst) {
              Envelope got = reader.blocking().get(arid, Duration.ofSeconds(60)).orElseThrow(
                  () -> new IllegalStateException("Hubert get found nothing"));
              get[0] = System.nanoTime() - t0;
              check(got.isIdenticalTo(envelope), "Hubert get returned another envelope");
            } else {
              String cid = resolveOnB(b, peerId);
              byte[] content = postBytes(b, "cat?arg=" + cid + "&timeout=60s", null);
              get[1] = System.nanoTime() - t0;
              check(Arrays.equals(content, bare), "bare cat returned other bytes");
            }
          }
          if (i >= WARMUP) {
            String label = label(size);
            results.computeIfAbsent("put " + label + " hubert", k -> new ArrayList<>()).add(put[0]);
            results.computeIfAbsent("put " + label + " bare", k -> new ArrayList<>()).add(put[1]);
            results.computeIfAbsent("put " + label + " ref", k -> new ArrayList<>()).add(put[2]);
            results.computeIfAbsent("get " + label + " hubert", k -> new ArrayList<>()).add(get[0]);
            results.computeIfAbsent("get " + label + " bare", k -> new ArrayList<>()).add(get[1]);
          }
          post(a, "key/rm?arg=" + keyName, null);
          post(a, "key/rm?arg=" + keyName + "-ref", null);
        }
      }
    }
    print(results, sizes, iterations);
  }

  /**
   * hubert 0.5.0's put as RPC calls (spec 6.3): key/list, key/gen, add, the write-once resolve,
   * publish.
   */
  private void referencePut(URI a, String keyName, byte[] data) throws Exception {
    post(a, "key/list", null);
    String id = match(ID, post(a, "key/gen?arg=" + keyName + "&type=ed25519&size=0", null));
    String cid = match(HASH, post(a, "add", data));
    HttpResponse<String> r = send(a, "name/resolve?arg=" + id + "&recursive=false&nocache=false", null);
    check(r.statusCode() == 500, "reference put: a fresh name resolved");
    post(a, "name/publish?arg=" + enc("/ipfs/" + cid) + "&resolve=false&key=" + keyName, null);
  }

  /** The bare reader resolves like a careful client: retry while B has not got the record yet. */
  private String resolveOnB(URI b, String peerId) throws Exception {
    for (int attempt = 0; attempt < 60; attempt++) {
      HttpResponse<String> r = send(b, "name/resolve?arg=" + peerId + "&recursive=false&timeout=30s", null);
      if (r.statusCode() == 200) {
        return match(PATH, r.body());
      }
      Thread.sleep(1000);
    }
    throw new IllegalStateException("bare resolve of " + peerId + " found nothing in 60 tries");
  }

  private static void print(Map<String, List<Long>> results, int[] sizes, int iterations) {
    System.out.printf(Locale.ROOT, "%n| operation | size | Hubert median / p90 (ms) "
        + "| bare RPC median / p90 (ms) | Hubert over bare (median) "
        + "| hubert 0.5.0's RPC sequence median / p90 (ms) |%n|---|---|---|---|---|---|%n");
    for (String op : new String[] {"put", "get"}) {
      for (int size : sizes) {
        String label = label(size);
        List<Long> h = results.get(op + " " + label + " hubert");
        List<Long> x = results.get(op + " " + label + " bare");
        List<Long> r = results.get(op + " " + label + " ref");
        double hm = percentile(h, 50);
        double xm = percentile(x, 50);
        String ref = r == null ? "–" : String.format(Locale.ROOT, "%.1f / %.1f", percentile(r, 50),
            percentile(r, 90));
        System.out.printf(Locale.ROOT, "| %s | %s | %.1f / %.1f | %.1f / %.1f | %+.0f%% | %s |%n", op,
            label, hm, percentile(h, 90), xm, percentile(x, 90), (hm / xm - 1) * 100, ref);
      }
    }
    System.out.printf(Locale.ROOT, "%n%d measured iterations per row after %d warm-up%n", iterations, WARMUP);
  }

  private static double percentile(List<Long> nanos, int p) {
    long[] s = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
    int index = (int) Math.ceil(p / 100.0 * s.length) - 1;
    return s[Math.max(0, Math.min(s.length - 1, index))] / 1e6;
  }

  private static String label(int size) {
    return size >= 1024 * 1024 ? size / (1024 * 1024) + " MiB" : size / 1024 + " KiB";
  }

  private String post(URI node, String commandAndQuery, byte[] file) throws Exception {
    return new String(postBytes(node, commandAndQuery, file), StandardCharsets.UTF_8);
  }

  private byte[] postBytes(URI node, String commandAndQuery, byte[] file) throws Exception {
    HttpResponse<byte[]> r = http.send(request(node, commandAndQuery, file),
        HttpResponse.BodyHandlers.ofByteArray());
    if (r.statusCode() != 200) {
      throw new IllegalStateException(commandAndQuery + " -> HTTP " + r.statusCode() + ": "
          + new String(r.body(), StandardCharsets.UTF_8));
    }
    return r.body();
  }

  private HttpResponse<String> send(URI node, String commandAndQuery, byte[] file) throws Exception {
    return http.send(request(node, commandAndQuery, file), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpRequest request(URI node, String commandAndQuery, byte[] file) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(node + "/api/v0/" + commandAndQuery))
        .timeout(Duration.ofSeconds(60));
    if (file == null) {
      return b.POST(HttpRequest.BodyPublishers.noBody()).build();
    }
    String boundary = "bench-boundary-7f3a";
    ByteArrayOutputStream body = new ByteArrayOutputStream(file.length + 200);
    body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; "
        + "filename=\"data\"\r\nContent-Type: application/octet-stream\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    body.writeBytes(file);
    body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    return b.header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build();
  }

  private static String match(Pattern p, String body) {
    Matcher m = p.matcher(body);
    if (!m.find()) {
      throw new IllegalStateException("unexpected answer: " + body);
    }
    return m.group(1);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static void check(boolean ok, String message) {
    if (!ok) {
      throw new IllegalStateException(message);
    }
  }
}
