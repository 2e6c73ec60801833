package dev.hubert.cli;

import dev.hubert.server.HubertServer;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "server", description = "Start the Hubert HTTP server")
final class ServerCommand implements Callable<Integer> {
  @Mixin private Common common;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      converter = Converters.Port.class,
      description = "Port for the server to listen on (default: 45678; 0: any free port)")
  private Integer port;

  @Option(
      names = "--sqlite",
      paramLabel = "PATH",
      description = {
        "SQLite database file path for persistent storage.",
        "If a directory is provided, uses 'hubert.sqlite' in that directory.",
        "If not provided, uses in-memory storage."
      })
  private Path sqlite;

  @Option(
      names = "--bind",
      paramLabel = "ADDRESS",
      defaultValue = "127.0.0.1",
      description = "Address to listen on (default: 127.0.0.1, loopback only, as the reference)")
  private String bind;

  @Option(
      names = "--max-ttl",
      paramLabel = "SECONDS",
      defaultValue = "86400",
      converter = Converters.Seconds.class,
      description = "Longest time an entry is kept, and the TTL of puts without one (default: 86400)")
  private long maxTtl;

  @Override
  public Integer call() throws InterruptedException {
    int p = port == null ? StorageOptions.DEFAULT_SERVER_PORT : port;
    dev.hubert.server.Storage storage =
        sqlite == null
            ? dev.hubert.server.Storage.memory()
            : dev.hubert.server.Storage.sqlite(sqlite);
    HubertServer server;
    try {
      server =
          HubertServer.builder()
              .bindAddress(bind)
              .port(p)
              .maxTtl(Duration.ofSeconds(maxTtl))
              .storage(storage)
              .verbose(common.verbose())
              .build();
    } catch (IllegalArgumentException e) {
      throw new CliException(e.getMessage());
    }
    common.out().println("Starting Hubert server on port " + p + " with " + storage);
    try {
      server.start();
    } catch (UncheckedIOException e) {
      throw new CliException(e.getCause().getMessage(), e);
    }
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "hubert-server-shutdown"));
    server.join();
    return 0;
  }
}
