package dev.hubert.ipfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hubert.api.BackendUnavailableException;
import dev.hubert.envelope.Arid;
import dev.hubert.envelope.Envelope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Where {@link IpfsKv}'s calls end when a daemon stalls: its deadlines, its threads, close. */
class IpfsKvThreadsTest {
  /** Generous bound that only stops hangs (the deadlines here are about 3.5 s). */
  private static final Duration NO_HANG = Duration.ofSeconds(60);

  /**
   * Calls that run out of time fail on the store's own threads, which are reused: not on a new
   * thread per call. The calls are spread out, so a thread is normally idle again for the next.
   */
  @Test
  void timedOutCallsFailOnTheStoresReusedThreads() throws Exception {
    try (ScriptedDaemon daemon = new ScriptedDaemon();
        IpfsKv store = IpfsKv.builder().rpcUrl(daemon.uri())
            .lookupTimeout(Duration.ofMillis(1)).build()) {
      daemon.stall("name/resolve");
      Set<Thread> failedOn = ConcurrentHashMap.newKeySet();
      List<CompletableFuture<Boolean>> calls = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        calls.add(store.exists(Arid.random())
            .whenComplete((r, e) -> failedOn.add(Thread.currentThread())));
        Thread.sleep(25);
      }
      for (CompletableFuture<Boolean> call : calls) {
        BackendUnavailableException e = failure(call);
        assertTrue(e.getMessage().contains("did not answer name/resolve"), e.getMessage());
      }
      for (Thread t : failedOn) {
        assertTrue(t.getName().matches("hubert-ipfs-[0-9]+"), t.getName());
      }
      assertTrue(failedOn.size() <= 10, "40 calls ran out of time on " + failedOn.size()
          + " threads: " + failedOn);
      assertEquals(1, daemon.clientTimers().size());
    }
  }

  /**
   * close() fails the calls in flight at once, not at their deadlines (30 s here), ends the
   * store's threads, and may be called again.
   */
  @Test
  void closeFailsCallsInFlightAndEndsTheThreads() throws Exception {
    try (ScriptedDaemon daemon = new ScriptedDaemon()) {
      daemon.stall("name/resolve").stall("version");
      IpfsKv store = IpfsKv.builder().rpcUrl(daemon.uri()).build();
      Set<Thread> putOn = ConcurrentHashMap.newKeySet();
      CompletableFuture<Boolean> exists = store.exists(Arid.random());
      CompletableFuture<?> put = store.put(Arid.random(), Envelope.of("stalled"))
          .whenComplete((r, e) -> putOn.add(Thread.currentThread()));
      for (int i = 0; i < 600 && daemon.requests.size() < 2; i++) {
        Thread.sleep(50);
      }
      assertEquals(2, daemon.requests.size(), "requests: " + daemon.commands());
      List<Thread> timers = daemon.clientTimers();
      assertEquals(1, timers.size());

      store.close();
      assertTrue(failure(exists, Duration.ofSeconds(10)).getMessage().contains("closed"));
      failure(put, Duration.ofSeconds(10));
      for (Thread t : List.of(timers.get(0), putOn.iterator().next())) {
        t.join(NO_HANG.toMillis());
        assertFalse(t.isAlive(), t.getName());
      }
      store.close();
      failure(store.exists(Arid.random()));
    }
  }

  private static BackendUnavailableException failure(CompletableFuture<?> call) {
    return failure(call, NO_HANG);
  }

  /** The call's failure, which must come within {@code bound}. */
  private static BackendUnavailableException failure(CompletableFuture<?> call, Duration bound) {
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> call.get(bound.toMillis(), TimeUnit.MILLISECONDS));
    return assertInstanceOf(BackendUnavailableException.class, e.getCause());
  }
}
