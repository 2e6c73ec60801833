package dev.hubert.cli;

import dev.hubert.api.KvStore;
import dev.hubert.envelope.Arid;
import dev.hubert.envelope.Envelope;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "get", description = "Retrieve an envelope by ARID")
final class GetCommand implements Callable<Integer> {
  @Mixin private Common common;
  @Mixin private StorageOptions storage;

  @Parameters(paramLabel = "ARID", description = "ARID key (ur:arid format)")
  private String arid;

  @Option(
      names = {"-t", "--timeout"},
      paramLabel = "SECONDS",
      defaultValue = "30",
      converter = Converters.Seconds.class,
      description = "Maximum time to wait in seconds (default: 30)")
  private long timeout;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "ur",
      converter = Envelopes.Format.Converter.class,
      completionCandidates = Envelopes.Format.Names.class,
      description = {
        "How to print the envelope (default: ur):",
        "  ur        ur:envelope/… on one line, as the reference",
        "  notation  envelope notation, e.g. \"Hello\" [ \"note\": \"hi\" ]",
        "  cbor-hex  the tagged envelope CBOR in hex"
      })
  private Envelopes.Format format;

  @Override
  public Integer call() {
    storage.validate();
    Arid key = Envelopes.parseArid(arid);
    boolean verbose = common.verbose();
    Optional<Envelope> found;
    try (KvStore store = HubertComponent.open(storage.storage, storage.endpoints(false));
        Progress progress = Progress.start(common.err(), verbose, timeout)) {
      found = store.blocking().get(key, Duration.ofSeconds(timeout), verbose);
    }
    Envelope envelope =
        found.orElseThrow(
            () -> new CliException("Value not found within " + timeout + " seconds"));
    common.out().println(format.render(envelope));
    return 0;
  }
}
