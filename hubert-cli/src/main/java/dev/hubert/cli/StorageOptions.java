package dev.hubert.cli;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The backend options of {@code put}, {@code get} and {@code check}, and their first checks. */
final class StorageOptions {
  static final int DEFAULT_SERVER_PORT = 45678;
  static final int DEFAULT_IPFS_PORT = 5001;

  @Option(
      names = {"-s", "--storage"},
      paramLabel = "STORAGE",
      defaultValue = "mainline",
      converter = Storage.Converter.class,
      completionCandidates = Storage.Names.class,
      description = {
        "Storage backend to use (default: mainline):",
        "  mainline  BitTorrent Mainline DHT (fast, ≤1 KB messages)",
        "  ipfs      IPFS (large capacity, up to 10 MB messages)",
        "  hybrid    Hybrid (automatic: DHT for small, IPFS for large)",
        "  server    Hubert HTTP server (centralized coordination)"
      })
  Storage storage;

  @Option(
      names = "--host",
      paramLabel = "HOST",
      description = "Server host (for --storage server; default 127.0.0.1)")
  String host;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      converter = Converters.Port.class,
      description =
          "Port (for --storage server, default 45678; --storage ipfs or hybrid: the Kubo RPC port,"
              + " default 5001)")
  Integer port;

  @Option(
      names = "--bootstrap",
      paramLabel = "HOST:PORT",
      split = ",",
      converter = Converters.HostPort.class,
      description =
          "DHT nodes to join through, comma-separated, instead of the public bootstrap nodes"
              + " (for --storage mainline or hybrid; e.g. a private testnet)")
  List<InetSocketAddress> bootstrap = new ArrayList<>();

  @Option(
      names = "--ipfs-url",
      paramLabel = "URL",
      converter = Converters.HttpUrl.class,
      description =
          "Kubo RPC endpoint (for --storage ipfs or hybrid; default http://127.0.0.1:5001)")
  URI ipfsUrl;

  @Option(
      names = "--server-url",
      paramLabel = "URL",
      converter = Converters.HttpUrl.class,
      description = "Hubert server (for --storage server; default http://127.0.0.1:45678)")
  URI serverUrl;

  /**
   * Step 1 of the reference's validation (host/port against the storage), then the same kind of
   * check for the options this port adds.
   */
  void validate() {
    switch (storage) {
      case MAINLINE:
        fail(port != null, "--port option is not supported for --storage mainline");
        fail(host != null, "--host option is not supported for --storage mainline");
        break;
      case IPFS:
        fail(host != null, "--host option is not supported for --storage ipfs (always uses 127.0.0.1)");
        break;
      case HYBRID:
        fail(
            host != null,
            "--host option is not supported for --storage hybrid (always uses 127.0.0.1)");
        break;
      case SERVER:
        break;
    }
    fail(
        !bootstrap.isEmpty() && !storage.usesDht(),
        "--bootstrap option is only supported for --storage mainline or --storage hybrid");
    fail(
        ipfsUrl != null && !storage.usesIpfs(),
        "--ipfs-url option is only supported for --storage ipfs or --storage hybrid");
    fail(ipfsUrl != null && port != null, "--ipfs-url cannot be combined with --port");
    fail(
        serverUrl != null && storage != Storage.SERVER,
        "--server-url option is only supported for --storage server");
    fail(
        serverUrl != null && (host != null || port != null),
        "--server-url cannot be combined with --host or --port");
  }

  /** Where the chosen backend lives; call after {@link #validate()}. */
  Endpoints endpoints(boolean pin) {
    return new Endpoints(serverUrl(), ipfsUrl(), bootstrap, pin);
  }

  URI serverUrl() {
    if (serverUrl != null) {
      return serverUrl;
    }
    return httpUrl(host == null ? "127.0.0.1" : host, port == null ? DEFAULT_SERVER_PORT : port);
  }

  URI ipfsUrl() {
    if (ipfsUrl != null) {
      return ipfsUrl;
    }
    return httpUrl("127.0.0.1", port == null ? DEFAULT_IPFS_PORT : port);
  }

  private static URI httpUrl(String host, int port) {
    String h = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    try {
      URI uri = new URI("http://" + h + ":" + port);
      if (uri.getHost() == null) {
        throw new URISyntaxException(host, "not a host name or address");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new CliException("Invalid --host '" + host + "': " + e.getReason());
    }
  }

  static void fail(boolean condition, String message) {
    if (condition) {
      throw new CliException(message);
    }
  }
}
