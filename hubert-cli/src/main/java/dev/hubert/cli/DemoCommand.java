package dev.hubert.cli;

import dev.hubert.api.KvStore;
import dev.hubert.server.HubertServer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "demo",
    description = {
      "Play one multi-party coordination round on an embedded server",
      "With no network and no daemon, a coordinator puts a request that carries one response",
      "ARID per participant; the participants, each on its own thread with its own client, poll",
      "for it and put their answers; the coordinator collects them. Storage: a Hubert server",
      "with a temporary SQLite file, started in this process on 127.0.0.1 (any free port),",
      "reached over HTTP."
    })
final class DemoCommand implements Callable<Integer> {
  @Mixin private Common common;

  @Option(
      names = "--participants",
      paramLabel = "N",
      defaultValue = "3",
      converter = Participants.class,
      description = "How many participants answer (1 to 10; default: 3)")
  private int participants;

  @Option(
      names = {"-t", "--timeout"},
      paramLabel = "SECONDS",
      defaultValue = "30",
      converter = Converters.Seconds.class,
      description = "How long each party polls before giving up (default: 30)")
  private long timeout;

  @Override
  public Integer call() throws IOException, InterruptedException {
    Transcript say = new Transcript(common.out());
    Path dir = Files.createTempDirectory("hubert-demo-");
    Path file = dir.resolve("hubert.sqlite");
    long start = System.nanoTime();
    say.plain("Hubert demo: a coordinator and " + participants + " participants, each with its"
        + " own client, share nothing but ARIDs.");
    try (HubertServer server =
        HubertServer.builder()
            .port(0)
            .storage(dev.hubert.server.Storage.sqlite(file))
            .build()
            .start()) {
      say.plain("Storage: that embedded Hubert server (" + server.baseUrl() + "), SQLite file "
          + file + ".");
      say.plain("");
      Endpoints endpoints =
          new Endpoints(URI.create(server.baseUrl()), URI.create("http://127.0.0.1:5001"),
              List.of(), false);
      Supplier<KvStore> newClient = () -> HubertComponent.open(Storage.SERVER, endpoints);
      Map<String, String> answers =
          new CoordinationRound(newClient, participants, Duration.ofSeconds(timeout),
              common.verbose(), say).play();
      summarize(say, answers, (System.nanoTime() - start) / 1e9);
    } finally {
      deleteTree(dir);
    }
    return 0;
  }

  private void summarize(Transcript say, Map<String, String> answers, double seconds) {
    Map<String, List<String>> byEvening = new TreeMap<>();
    answers.forEach((name, evening) ->
        byEvening.computeIfAbsent(evening, k -> new ArrayList<>()).add(name));
    say.plain("");
    say.plain(String.format(Locale.ROOT, "Round complete: %d of %d answers collected in %.2f s.",
        answers.size(), participants, seconds));
    String best = null;
    for (Map.Entry<String, List<String>> e : byEvening.entrySet()) {
      say.plain(String.format(Locale.ROOT, "  %-10s %s", e.getKey(), String.join(", ", e.getValue())));
      if (best == null || e.getValue().size() > byEvening.get(best).size()) {
        best = e.getKey();
      }
    }
    say.plain("Decision: " + best + " (" + byEvening.get(best).size() + " of " + participants + ").");
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** 1 to 10 participants (one name each). */
  static final class Participants implements picocli.CommandLine.ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      int n;
      try {
        n = Integer.parseInt(value);
      } catch (NumberFormatException e) {
        throw new picocli.CommandLine.TypeConversionException("'" + value + "' is not a number");
      }
      if (n < 1 || n > CoordinationRound.NAMES.size()) {
        throw new picocli.CommandLine.TypeConversionException(
            value + " is not in 1.." + CoordinationRound.NAMES.size());
      }
      return n;
    }
  }
}
