package dev.hubert.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hubert.envelope.Arid;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link HubertServer.Builder}'s checks and caps, and {@link HubertServer#port()} over a life. */
class HubertServerBuilderTest {
  @Test
  void durationsUnderAMillisecondAreRefused() {
    HubertServer.Builder b = HubertServer.builder();
    for (Duration bad : new Duration[] {Duration.ZERO, Duration.ofNanos(999_999), Duration.ofSeconds(-1)}) {
      IllegalArgumentException x =
          assertThrows(IllegalArgumentException.class, () -> b.idleTimeout(bad), bad.toString());
      assertTrue(x.getMessage().contains("idle timeout must be at least 1 ms"), x.getMessage());
      x = assertThrows(IllegalArgumentException.class, () -> b.sweepInterval(bad), bad.toString());
      assertTrue(x.getMessage().contains("sweep interval must be at least 1 ms"), x.getMessage());
    }
  }

  /** Durations too long for milliseconds in a long are cut to 100 years, not an overflow. */
  @Test
  void hugeDurationsAreCutAndTheServerServes() throws Exception {
    Duration huge = Duration.ofSeconds(Long.MAX_VALUE);
    try (HubertServer server =
            HubertServer.builder().port(0).idleTimeout(huge).sweepInterval(huge).build().start();
        ServerKv kv = ServerKv.create(server.baseUrl())) {
      assertEquals(false, kv.exists(Arid.random()).get(30, TimeUnit.SECONDS));
    }
  }

  @Test
  void portIsTheBoundOneFromStartOnEvenAfterClose() {
    HubertServer server = HubertServer.builder().port(0).build();
    assertEquals(0, server.port(), "before start: the configured port");
    server.start();
    int bound = server.port();
    assertTrue(bound > 0, "bound port " + bound);
    server.close();
    assertEquals(bound, server.port());
    assertTrue(server.baseUrl().endsWith(":" + bound), server.baseUrl());
  }
}
