package dev.hubert.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class CapabilitiesTest {
  @Test
  void defaultsAssumeTheContractAndNoOptionalFeature() {
    Capabilities c = Capabilities.builder().build();
    assertEquals(OptionalLong.empty(), c.maxValueSize());
    assertFalse(c.exactValueSizeLimit());
    assertEquals(Optional.empty(), c.ttlGranularity());
    assertTrue(c.exactTimeoutBounds());
    assertTrue(c.atomicWriteOnce());
  }

  @Test
  void builderSetsEveryField() {
    Capabilities c = Capabilities.builder().maxValueSize(1000).exactValueSizeLimit(true)
        .supportsTtl(Duration.ofSeconds(1)).exactTimeoutBounds(false).atomicWriteOnce(false)
        .build();
    assertEquals(OptionalLong.of(1000), c.maxValueSize());
    assertTrue(c.exactValueSizeLimit());
    assertEquals(Optional.of(Duration.ofSeconds(1)), c.ttlGranularity());
    assertFalse(c.exactTimeoutBounds());
    assertFalse(c.atomicWriteOnce());
    assertEquals("Capabilities{maxValueSize=1000 (exact), ttlGranularity=PT1S,"
        + " exactTimeoutBounds=false, atomicWriteOnce=false}", c.toString());
  }

  @Test
  void builderRejectsBadValuesAtOnce() {
    assertThrows(IllegalArgumentException.class, () -> Capabilities.builder().maxValueSize(0));
    assertThrows(IllegalArgumentException.class,
        () -> Capabilities.builder().supportsTtl(Duration.ofMillis(-1)));
    assertThrows(NullPointerException.class, () -> Capabilities.builder().supportsTtl(null));
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> Capabilities.builder().exactValueSizeLimit(true).build());
    assertTrue(e.getMessage().contains("maxValueSize"), e.getMessage());
  }

  @Test
  void equalByValue() {
    Capabilities a = Capabilities.builder().maxValueSize(10).build();
    Capabilities b = Capabilities.builder().maxValueSize(10).build();
    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
    assertNotEquals(a, Capabilities.builder().build());
    assertNotEquals(a, Capabilities.builder().maxValueSize(10).atomicWriteOnce(false).build());
  }
}
