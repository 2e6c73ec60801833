package dev.hubert.api;

import dev.hubert.envelope.Arid;
import dev.hubert.envelope.Envelope;
import java.time.Duration;
import java.util.Objects;

/**
 * The argument checks every {@link KvStore} makes before it starts any work (rule 1.1), and the
 * duration checks of store builders, with the same messages everywhere.
 */
public final class Checks {
  private Checks() {}

  /**
   * Checks the arguments of {@link KvStore#put}.
   *
   * @throws NullPointerException if {@code arid} or {@code envelope} is null
   * @throws IllegalArgumentException if {@code ttl} is negative ({@code null} is allowed)
   */
  public static void put(Arid arid, Envelope envelope, Duration ttl) {
    Objects.requireNonNull(arid, "arid");
    Objects.requireNonNull(envelope, "envelope");
    if (ttl != null && ttl.isNegative()) {
      throw new IllegalArgumentException("ttl must not be negative, got " + ttl);
    }
  }

  /**
   * Checks the arguments of {@link KvStore#get}.
   *
   * @throws NullPointerException if {@code arid} is null
   * @throws IllegalArgumentException if {@code timeout} is negative ({@code null} is allowed)
   */
  public static void get(Arid arid, Duration timeout) {
    Objects.requireNonNull(arid, "arid");
    if (timeout != null && timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must not be negative, got " + timeout);
    }
  }

  /**
   * Returns {@code d} if it is longer than zero.
   *
   * @throws NullPointerException if {@code d} is null
   * @throws IllegalArgumentException if {@code d} is zero or negative
   */
  public static Duration positive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, got " + d);
    }
    return d;
  }

  /**
   * The longest wait a store counts (100 years): a longer timeout, of a get or a builder, counts as
   * this long, so that deadlines stay far from the ends of {@code long} nanoseconds and of {@link
   * java.time.Instant}.
   */
  public static final Duration LONGEST_WAIT = Duration.ofDays(36_525);

  /** Returns {@code d}, or {@link #LONGEST_WAIT} if {@code d} is longer. */
  public static Duration capped(Duration d) {
    return d.compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : d;
  }

  /**
   * Returns {@code d} if it is zero or longer.
   *
   * @throws NullPointerException if {@code d} is null
   * @throws IllegalArgumentException if {@code d} is negative
   */
  public static Duration nonNegative(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative, got " + d);
    }
    return d;
  }
}
