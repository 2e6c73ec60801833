package dev.hubert.cli;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.hubert.api.HubertException;
import dev.hubert.dht.MainlineDhtKv;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "check",
    description = {
      "Check if storage backend is available",
      "(mainline: joins the DHT through the bootstrap nodes, unlike the reference, which only",
      "starts a local testnet; ipfs: asks the Kubo RPC for its version; server: GET /health)"
    })
final class CheckCommand implements Callable<Integer> {
  /** The DHT needs a few round trips to bootstrap: it gets at least this long. */
  private static final long MIN_DHT_WAIT_SECONDS = 10;

  @Mixin private Common common;
  @Mixin private StorageOptions storage;

  @Option(
      names = {"-t", "--timeout"},
      paramLabel = "SECONDS",
      defaultValue = "2",
      converter = Converters.PositiveSeconds.class,
      description =
          "How long to wait for an answer (default: 2, as the reference; mainline: at least 10)")
  private long timeout;

  @Override
  public Integer call() throws InterruptedException {
    storage.validate();
    switch (storage.storage) {
      case MAINLINE:
        checkMainline();
        break;
      case IPFS:
        checkIpfs(storage.ipfsUrl());
        break;
      case HYBRID:
        checkMainline();
        checkIpfs(storage.ipfsUrl());
        common.out().println("✓ Hybrid storage is available (DHT + IPFS)");
        break;
      case SERVER:
        checkServer(storage.serverUrl());
        break;
    }
    return 0;
  }

  /**
   * Joins the DHT through the bootstrap nodes (the public routers, or {@code --bootstrap}) and
   * reports how many nodes answered; the reference only started an in-process testnet.
   */
  private void checkMainline() {
    Endpoints endpoints = storage.endpoints(false);
    Duration wait = Duration.ofSeconds(Math.max(timeout, MIN_DHT_WAIT_SECONDS));
    MainlineDhtKv.Config config =
        BackendsModule.mainlineConfig(endpoints).toBuilder().operationTimeout(wait).build();
    int nodes;
    try (MainlineDhtKv dht = HubertComponent.create(endpoints).mainline().create(config).store()) {
      nodes = dht.bootstrap().get(wait.toSeconds() + 5, TimeUnit.SECONDS);
    } catch (HubertException e) {
      throw new CliException("✗ Mainline DHT is not available: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("✗ Mainline DHT is not available: interrupted");
    } catch (ExecutionException | TimeoutException e) {
      throw new CliException("✗ Mainline DHT is not available: " + e);
    }
    if (nodes == 0) {
      throw new CliException("✗ Mainline DHT is not available: no DHT node answered within "
          + wait.toSeconds() + " s (bootstrap: " + bootstrapList(config) + ")");
    }
    common.out().println("✓ Mainline DHT is available (" + nodes + " nodes answered)");
  }

  private static String bootstrapList(MainlineDhtKv.Config config) {
    StringBuilder b = new StringBuilder();
    for (java.net.InetSocketAddress a : config.bootstrap()) {
      b.append(b.length() == 0 ? "" : ", ").append(a.getHostString()).append(':').append(a.getPort());
    }
    return b.toString();
  }

  private void checkIpfs(URI base) throws InterruptedException {
    String at = hostPort(base);
    HttpResponse<String> response;
    try {
      response =
          send(HttpRequest.newBuilder(base.resolve("/api/v0/version"))
              .POST(HttpRequest.BodyPublishers.noBody()));
    } catch (IOException e) {
      throw new CliException("✗ IPFS is not available at " + at + ": " + describe(e));
    }
    if (response.statusCode() / 100 != 2) {
      throw new CliException("✗ IPFS daemon returned error: " + status(response.statusCode()));
    }
    common.out().println("✓ IPFS is available at " + at);
  }

  private void checkServer(URI base) throws InterruptedException {
    String at = hostPort(base);
    HttpResponse<String> response;
    try {
      response = send(HttpRequest.newBuilder(base.resolve("/health")).GET());
    } catch (HttpTimeoutException e) {
      throw new CliException("✗ Server is not available at " + at + ": connection timeout");
    } catch (IOException e) {
      throw new CliException("✗ Server is not available at " + at + ": " + describe(e));
    }
    if (response.statusCode() / 100 != 2) {
      throw new CliException(
          "✗ Server at " + at + " is not available (status: " + status(response.statusCode()) + ")");
    }
    JsonObject health;
    try {
      JsonElement json = JsonParser.parseString(response.body());
      if (!json.isJsonObject()) {
        throw new JsonParseException("not an object");
      }
      health = json.getAsJsonObject();
    } catch (JsonParseException | IllegalStateException e) {
      throw new CliException("✗ Server at " + at + " returned invalid health response");
    }
    if (!"hubert".equals(text(health, "server"))) {
      throw new CliException("✗ Server at " + at + " is not a Hubert server");
    }
    String version = text(health, "version");
    common.out().println(
        "✓ Hubert server is available at " + at + " (version "
            + (version == null ? "unknown" : version) + ")");
  }

  private HttpResponse<String> send(HttpRequest.Builder request)
      throws IOException, InterruptedException {
    Duration limit = Duration.ofSeconds(timeout);
    HttpClient client = HttpClient.newBuilder().connectTimeout(limit).build();
    return client.send(request.timeout(limit).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String text(JsonObject o, String key) {
    JsonElement e = o.get(key);
    return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isString()
        ? e.getAsString()
        : null;
  }

  static String hostPort(URI uri) {
    int port = uri.getPort() >= 0 ? uri.getPort() : uri.getScheme().equals("https") ? 443 : 80;
    return uri.getHost() + ":" + port;
  }

  private static String describe(IOException e) {
    if (e instanceof HttpTimeoutException) {
      return "connection timeout";
    }
    if (e instanceof ConnectException) {
      return "connection refused";
    }
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }

  /** An HTTP status as reqwest prints it: the code and, for common ones, the reason. */
  static String status(int code) {
    switch (code) {
      case 400: return "400 Bad Request";
      case 401: return "401 Unauthorized";
      case 403: return "403 Forbidden";
      case 404: return "404 Not Found";
      case 405: return "405 Method Not Allowed";
      case 500: return "500 Internal Server Error";
      case 502: return "502 Bad Gateway";
      case 503: return "503 Service Unavailable";
      default: return Integer.toString(code);
    }
  }
}
