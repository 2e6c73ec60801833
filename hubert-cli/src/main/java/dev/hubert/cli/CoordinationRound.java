package dev.hubert.cli;

import dev.hubert.api.AlreadyExistsException;
import dev.hubert.api.BlockingKvStore;
import dev.hubert.api.KvStore;
import dev.hubert.envelope.Arid;
import dev.hubert.envelope.Envelope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * One round of multi-party coordination over Hubert, as {@code hubert demo} plays it. The
 * coordinator puts a request envelope at an ARID it shares out of band; the request carries one
 * fresh response ARID per participant. Each participant, on its own thread with its own store
 * client, polls for the request, reads its response ARID and puts its answer there; the
 * coordinator polls for every answer and tallies them.
 */
final class CoordinationRound {
  static final List<String> NAMES =
      List.of("alice", "bob", "carol", "dan", "erin", "frank", "grace", "heidi", "ivan", "judy");
  private static final List<String> EVENINGS = List.of("Monday", "Wednesday", "Friday");
  /** Each participant's answer: deterministic, so the transcript can be checked. */
  private static final String[] ANSWERS = {
    "Wednesday", "Friday", "Wednesday", "Monday", "Wednesday",
    "Friday", "Wednesday", "Monday", "Friday", "Wednesday"
  };

  private final Supplier<KvStore> stores;
  private final int participants;
  private final Duration timeout;
  private final boolean verbose;
  private final Transcript say;

  CoordinationRound(
      Supplier<KvStore> stores, int participants, Duration timeout, boolean verbose, Transcript say) {
    if (participants < 1 || participants > NAMES.size()) {
      throw new IllegalArgumentException("participants must be 1.." + NAMES.size());
    }
    this.stores = stores;
    this.participants = participants;
    this.timeout = timeout;
    this.verbose = verbose;
    this.say = say;
  }

  /** The answers by participant; fails with {@link CliException} if the round did not finish. */
  Map<String, String> play() throws InterruptedException {
    Arid requestArid = Arid.random();
    Map<String, Arid> responseArids = new LinkedHashMap<>();
    for (String name : NAMES.subList(0, participants)) {
      responseArids.put(name, Arid.random());
    }
    say.say("coordinator", "shares the request ARID " + brief(requestArid)
        + " with " + String.join(", ", responseArids.keySet()) + " (out of band)");

    ExecutorService threads = Executors.newFixedThreadPool(participants);
    try {
      List<Future<?>> running = new ArrayList<>();
      for (String name : responseArids.keySet()) {
        running.add(threads.submit(() -> participate(name, requestArid)));
      }
      Map<String, String> answers = coordinate(requestArid, responseArids);
      for (Future<?> f : running) {
        await(f);
      }
      return answers;
    } finally {
      threads.shutdownNow();
      threads.awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  private Map<String, String> coordinate(Arid requestArid, Map<String, Arid> responseArids)
      throws InterruptedException {
    try (KvStore store = stores.get()) {
      BlockingKvStore kv = store.blocking();
      Thread.sleep(750); // let the participants start polling before the request exists
      Envelope request = Envelope.of("Team dinner: which evening works for you?")
          .addAssertion("options", String.join(", ", EVENINGS))
          .addAssertion("requestId", Envelope.of(requestArid));
      for (Map.Entry<String, Arid> e : responseArids.entrySet()) {
        request = request.addAssertion("respondTo:" + e.getKey(), Envelope.of(e.getValue()));
      }
      kv.put(requestArid, request, null, verbose);
      say.say("coordinator", "put the request at " + brief(requestArid) + ":\n"
          + Transcript.indentNotation(request.format()));
      try {
        kv.put(requestArid, Envelope.of("a second request"), null, verbose);
        throw new CliException("the store accepted a second put at " + brief(requestArid));
      } catch (AlreadyExistsException expected) {
        say.say("coordinator", "a second put at " + brief(requestArid)
            + " is refused (write-once): " + expected.getMessage());
      }

      Map<String, String> answers = new TreeMap<>();
      for (Map.Entry<String, Arid> e : responseArids.entrySet()) {
        String name = e.getKey();
        say.say("coordinator", "polls " + brief(e.getValue()) + " for " + name + "'s answer");
        Optional<Envelope> response = kv.get(e.getValue(), timeout, verbose);
        Envelope answer = response.orElseThrow(() -> new CliException(
            "no answer from " + name + " within " + timeout.toSeconds() + " seconds"));
        say.say("coordinator", "got " + name + "'s answer:\n"
            + Transcript.indentNotation(answer.format()));
        answers.put(name, answer.text().orElse("?"));
      }
      return answers;
    }
  }

  private Void participate(String name, Arid requestArid) {
    try (KvStore store = stores.get()) {
      BlockingKvStore kv = store.blocking();
      say.say(name, "polls " + brief(requestArid) + " for the request");
      Envelope request = kv.get(requestArid, timeout, verbose).orElseThrow(() ->
          new CliException(name + " saw no request within " + timeout.toSeconds() + " seconds"));
      Arid reply = responseArid(request, name);
      String evening = ANSWERS[NAMES.indexOf(name)];
      Envelope answer = Envelope.of(evening)
          .addAssertion("from", name)
          .addAssertion("inReplyTo", Envelope.of(requestArid));
      say.say(name, "found the request (" + request.assertions().size()
          + " assertions); puts its answer \"" + evening + "\" at " + brief(reply));
      kv.put(reply, answer, null, verbose);
      return null;
    }
  }

  /** The object of the request's {@code "respondTo:<name>"} assertion, as an ARID. */
  static Arid responseArid(Envelope request, String name) {
    for (Envelope assertion : request.assertions()) {
      if (assertion.predicate().text().equals(Optional.of("respondTo:" + name))) {
        return Arid.fromTaggedCbor(assertion.object().leaf().orElseThrow());
      }
    }
    throw new CliException("the request has no response ARID for " + name);
  }

  private void await(Future<?> f) throws InterruptedException {
    try {
      f.get(timeout.toMillis() + 30_000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw cause instanceof RuntimeException ? (RuntimeException) cause : new IllegalStateException(cause);
    } catch (TimeoutException e) {
      throw new CliException("a participant did not finish");
    }
  }

  private static String brief(Arid arid) {
    return "ARID(" + arid.shortHex() + ")";
  }
}
