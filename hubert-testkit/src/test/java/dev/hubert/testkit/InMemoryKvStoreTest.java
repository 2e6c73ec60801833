package dev.hubert.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hubert.api.AlreadyExistsException;
import dev.hubert.api.BackendUnavailableException;
import dev.hubert.api.BlockingKvStore;
import dev.hubert.api.CorruptValueException;
import dev.hubert.api.VerboseLog;
import dev.hubert.envelope.Arid;
import dev.hubert.envelope.Envelope;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

/** What the reference store does beyond the contract: its verbose lines, settings and fixes. */
@ResourceLock("dev.hubert.api.VerboseLog")
class InMemoryKvStoreTest {
  private static final Pattern STAMP =
      Pattern.compile("\\[\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z] ");

  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
  private PrintStream previous;
  private final InMemoryKvStore store =
      InMemoryKvStore.builder().pollInterval(Duration.ofMillis(40)).build();
  private final BlockingKvStore blocking = store.blocking();

  @BeforeEach
  void capture() {
    previous = VerboseLog.setOutput(new PrintStream(printed, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restore() {
    VerboseLog.setOutput(previous);
    store.close();
  }

  /** The printed lines with their timestamps removed. */
  private List<String> lines() {
    return printed.toString(StandardCharsets.UTF_8).lines()
        .map(l -> STAMP.matcher(l).replaceFirst(""))
        .toList();
  }

  @Test
  void putPrintsTheReferenceLines() {
    Arid arid = Arid.random();
    Arid other = Arid.random();
    assertEquals(InMemoryKvStore.RECEIPT,
        blocking.put(arid, Envelope.of("a"), null, true).text());
    blocking.put(other, Envelope.of("b"), Duration.ofSeconds(5), true);
    assertThrows(AlreadyExistsException.class,
        () -> blocking.put(arid, Envelope.of("c"), null, true));
    assertEquals(List.of(
        "PUT " + arid.urString() + " OK (Memory)",
        "PUT " + other.urString() + " (TTL 5s) OK (Memory)",
        "PUT " + arid.urString() + " ALREADY_EXISTS"), lines());
  }

  @Test
  void getPrintsPollingLineDotsAndTheOutcome() throws Exception {
    Arid missing = Arid.random();
    Arid late = Arid.random();
    assertEquals(Optional.empty(), blocking.get(missing, Duration.ZERO, true));
    CompletableFuture<Optional<Envelope>> polling = store.get(late, Duration.ofSeconds(30), true);
    awaitPrinted(".."); // two misses after the first: the polling line, then dots
    blocking.put(late, Envelope.of("here"));
    assertTrue(polling.get(10, TimeUnit.SECONDS).isPresent());
    List<String> lines = lines();
    assertEquals(4, lines.size(), lines.toString());
    assertEquals("GET " + missing.urString() + " NOT_FOUND (timeout after 0s)", lines.get(0));
    assertEquals("Polling for " + late.urString() + " (timeout: 30s)", lines.get(1));
    assertTrue(lines.get(2).matches("\\.+"), "dots on a line of their own: " + lines);
    assertEquals("GET " + late.urString() + " OK (Memory)", lines.get(3));
  }

  @Test
  void expiredValueIsReportedAndTheGetKeepsPollingUntilItsDeadline() throws Exception {
    Arid arid = Arid.random();
    blocking.put(arid, Envelope.of("brief"), Duration.ofMillis(20), false);
    Thread.sleep(60);
    long start = System.nanoTime();
    assertEquals(Optional.empty(), blocking.get(arid, Duration.ofMillis(150), true));
    assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(150),
        "an expired value is absent: get polls until its deadline");
    assertEquals("GET " + arid.urString() + " EXPIRED", lines().get(0));
  }

  @Test
  void anExpiredAridCanBeWrittenAgain() throws Exception {
    Arid arid = Arid.random();
    blocking.put(arid, Envelope.of("first"), Duration.ofMillis(20), false);
    Thread.sleep(60);
    // the reference refuses this until a lookup has removed the entry (known issue 9)
    blocking.put(arid, Envelope.of("second"));
    assertTrue(blocking.get(arid, Duration.ZERO).get().isEquivalentTo(Envelope.of("second")));
  }

  @Test
  void aHugeTtlDoesNotOverflow() {
    Arid arid = Arid.random();
    blocking.put(arid, Envelope.of("forever"), Duration.ofSeconds(Long.MAX_VALUE), true);
    assertTrue(blocking.exists(arid));
    assertEquals(List.of("PUT " + arid.urString() + " (TTL " + Long.MAX_VALUE + "s) OK (Memory)"),
        lines());
  }

  @Test
  void undecodableBytesFailWithCorruptValue() {
    Arid arid = Arid.random();
    store.putRaw(arid, new byte[] {(byte) 0xff});
    CorruptValueException e =
        assertThrows(CorruptValueException.class, () -> blocking.get(arid, Duration.ZERO));
    assertTrue(e.getMessage().contains(arid.urString()), e.getMessage());
  }

  @Test
  void sizeLimitIsInclusive() {
    InMemoryKvStore limited = InMemoryKvStore.builder().maxValueSize(100).build();
    Envelope atLimit = Fixtures.ofSize(100);
    limited.blocking().put(Arid.random(), atLimit);
    var e = assertThrows(dev.hubert.api.ValueTooLargeException.class,
        () -> limited.blocking().put(Arid.random(), Fixtures.ofSize(101)));
    assertEquals(101, e.size());
    assertEquals(100, e.limit());
  }

  @Test
  void sharedEntriesAreSeenByBothAndCloseIsPerInstance() {
    InMemoryKvStore other = InMemoryKvStore.builder().sharingEntriesWith(store).build();
    Arid arid = Arid.random();
    other.blocking().put(arid, Envelope.of("from the other party"));
    assertTrue(blocking.exists(arid));
    other.close();
    assertTrue(blocking.get(arid, Duration.ZERO).isPresent(), "the first party is still open");
    assertThrows(BackendUnavailableException.class, () -> other.blocking().exists(arid));
  }

  @Test
  void closeFailsGetsThatAreStillPolling() throws Exception {
    CompletableFuture<Optional<Envelope>> polling = store.get(Arid.random(), Duration.ofSeconds(20));
    store.close();
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> polling.get(10, TimeUnit.SECONDS));
    assertInstanceOf(BackendUnavailableException.class, e.getCause());
  }

  @Test
  void cancellingAGetStopsItsPolling() throws Exception {
    CompletableFuture<Optional<Envelope>> polling =
        store.get(Arid.random(), Duration.ofSeconds(20), true);
    awaitPrinted(".");
    assertTrue(polling.cancel(false));
    Thread.sleep(200); // a lookup already under way may still print its dot
    int atCancel = printed.size();
    Thread.sleep(400); // ten poll intervals
    assertEquals(atCancel, printed.size(), "printed after cancel: " + lines());
  }

  @Test
  void aHugeTimeoutDoesNotOverflowAndTheGetCanBeCancelled() throws Exception {
    CompletableFuture<Optional<Envelope>> polling =
        store.get(Arid.random(), Duration.ofSeconds(Long.MAX_VALUE), true);
    awaitPrinted(".");
    assertTrue(polling.cancel(false));
  }

  @Test
  void aFailedGetFailsWithTheHubertExceptionItself() throws Exception {
    Arid arid = Arid.random();
    store.putRaw(arid, new byte[] {(byte) 0xff});
    assertInstanceOf(CorruptValueException.class,
        store.get(arid, Duration.ZERO).handle((v, e) -> e).get(10, TimeUnit.SECONDS));
  }

  /** Waits (at most 10 s) until the output contains {@code text}. */
  private void awaitPrinted(String text) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!printed.toString(StandardCharsets.UTF_8).contains(text)) {
      assertTrue(System.nanoTime() - end < 0, "no " + text + " within 10 s: " + lines());
      Thread.sleep(5);
    }
  }

  @Test
  void defaultsAreTheReferences() {
    assertEquals(Duration.ofSeconds(30), InMemoryKvStore.create().defaultTimeout());
    assertEquals(Duration.ofMillis(250),
        InMemoryKvStore.builder().defaultTimeout(Duration.ofMillis(250)).build()
            .defaultTimeout());
  }

  @Test
  void builderRejectsBadSettings() {
    assertThrows(IllegalArgumentException.class,
        () -> InMemoryKvStore.builder().defaultTimeout(Duration.ofSeconds(-1)));
    assertThrows(IllegalArgumentException.class,
        () -> InMemoryKvStore.builder().pollInterval(Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> InMemoryKvStore.builder().maxValueSize(0));
    assertThrows(NullPointerException.class,
        () -> InMemoryKvStore.builder().sharingEntriesWith(null));
  }

  @Test
  void quietUnlessVerbose() {
    Arid arid = Arid.random();
    blocking.put(arid, Envelope.of("quiet"));
    blocking.get(arid, Duration.ZERO);
    blocking.get(Arid.random(), Duration.ofMillis(100));
    assertFalse(printed.size() > 0, printed.toString(StandardCharsets.UTF_8));
  }
}
