package dev.hubert.api;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.hubert.envelope.Arid;
import dev.hubert.envelope.Envelope;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ChecksTest {
  private static final Duration MINUS = Duration.ofMillis(-1);

  @Test
  void putAndGetFollowRule1_1() {
    assertDoesNotThrow(() -> Checks.put(Arid.random(), Envelope.of("x"), null));
    assertDoesNotThrow(() -> Checks.get(Arid.random(), null));
    assertDoesNotThrow(() -> Checks.get(Arid.random(), Duration.ZERO));
    assertEquals("arid", assertThrows(NullPointerException.class, () -> Checks.put(null, Envelope.of("x"), null)).getMessage());
    assertEquals("envelope", assertThrows(NullPointerException.class, () -> Checks.put(Arid.random(), null, null)).getMessage());
    assertEquals("ttl must not be negative, got PT-0.001S",
        assertThrows(IllegalArgumentException.class, () -> Checks.put(Arid.random(), Envelope.of("x"), MINUS)).getMessage());
    assertThrows(NullPointerException.class, () -> Checks.get(null, null));
    assertEquals("timeout must not be negative, got PT-0.001S",
        assertThrows(IllegalArgumentException.class, () -> Checks.get(Arid.random(), MINUS)).getMessage());
  }

  @Test
  void durations() {
    assertEquals(Duration.ofSeconds(1), Checks.positive(Duration.ofSeconds(1), "lookup timeout"));
    assertEquals("lookup timeout must be positive, got PT0S",
        assertThrows(IllegalArgumentException.class, () -> Checks.positive(Duration.ZERO, "lookup timeout")).getMessage());
    assertEquals(Duration.ZERO, Checks.nonNegative(Duration.ZERO, "grace"));
    assertThrows(IllegalArgumentException.class, () -> Checks.nonNegative(MINUS, "grace"));
    assertThrows(NullPointerException.class, () -> Checks.positive(null, "x"));
  }
}
