package dev.hubert.testkit;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a store under test declares about itself, so the kit knows which rules it can check.
 *
 * <p>Rules the contract requires of every store are assumed to hold ({@link #exactTimeoutBounds()}
 * and {@link #atomicWriteOnce()} start {@code true}); optional features start absent (no size
 * limit, no expiry). A rule whose capability is not declared is reported as <em>skipped</em>, with
 * a reason that says what to declare, never silently left out.
 *
 * <p>Immutable; build one with {@link #builder()}:
 *
 * <pre>{@code
 * Capabilities.builder()
 *     .maxValueSize(1000)          // envelopes up to 1000 bytes of CBOR are accepted
 *     .exactValueSizeLimit(true)   // ... exactly: 1000 is accepted, 1001 is refused
 *     .supportsTtl(Duration.ofSeconds(1))
 *     .atomicWriteOnce(false)      // e.g. a DHT: concurrent puts may both succeed
 *     .build();
 * }</pre>
 */
public final class Capabilities {
  private final long maxValueSize; // 0 = no declared limit
  private final boolean exactValueSizeLimit;
  private final Duration ttlGranularity; // null = no expiry
  private final boolean exactTimeoutBounds;
  private final boolean atomicWriteOnce;

  private Capabilities(Builder b) {
    this.maxValueSize = b.maxValueSize;
    this.exactValueSizeLimit = b.exactValueSizeLimit;
    this.ttlGranularity = b.ttlGranularity;
    this.exactTimeoutBounds = b.exactTimeoutBounds;
    this.atomicWriteOnce = b.atomicWriteOnce;
  }

  /** A builder with the defaults: no size limit, no TTL, exact timeout bounds, atomic puts. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The largest envelope the store accepts, measured as {@code envelope.toCborData().length}; empty
   * if the store declares no limit (rule 2.3 is then skipped).
   */
  public OptionalLong maxValueSize() {
    return maxValueSize == 0 ? OptionalLong.empty() : OptionalLong.of(maxValueSize);
  }

  /**
   * Whether {@link #maxValueSize()} is exact: an envelope of exactly that size is accepted and one
   * byte more is refused. When {@code false}, the kit only checks a clearly oversized envelope.
   */
  public boolean exactValueSizeLimit() {
    return exactValueSizeLimit;
  }

  /**
   * How late after its TTL the store may still return a value (its expiry granularity), if the
   * store expires values at all; empty if it ignores TTLs (the expiry rules are then skipped).
   */
  public Optional<Duration> ttlGranularity() {
    return Optional.ofNullable(ttlGranularity);
  }

  /**
   * Whether a {@code get} of a missing ARID completes within the bounds of rule 3.2: no earlier
   * than its timeout, and not much later. {@code true} unless the store declares otherwise.
   */
  public boolean exactTimeoutBounds() {
    return exactTimeoutBounds;
  }

  /**
   * Whether of several concurrent puts at one ARID at most one succeeds (rule 2.2). {@code true}
   * unless the store declares otherwise, as a DHT without node-side create-if-absent must.
   */
  public boolean atomicWriteOnce() {
    return atomicWriteOnce;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Capabilities)) {
      return false;
    }
    Capabilities c = (Capabilities) o;
    return maxValueSize == c.maxValueSize
        && exactValueSizeLimit == c.exactValueSizeLimit
        && Objects.equals(ttlGranularity, c.ttlGranularity)
        && exactTimeoutBounds == c.exactTimeoutBounds
        && atomicWriteOnce == c.atomicWriteOnce;
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        maxValueSize, exactValueSizeLimit, ttlGranularity, exactTimeoutBounds, atomicWriteOnce);
  }

  @Override
  public String toString() {
    return "Capabilities{maxValueSize="
        + (maxValueSize == 0 ? "none" : maxValueSize + (exactValueSizeLimit ? " (exact)" : ""))
        + ", ttlGranularity=" + (ttlGranularity == null ? "no TTL" : ttlGranularity)
        + ", exactTimeoutBounds=" + exactTimeoutBounds
        + ", atomicWriteOnce=" + atomicWriteOnce + "}";
  }

  /** Builds {@link Capabilities}; each setter checks its argument at once. */
  public static final class Builder {
    private long maxValueSize;
    private boolean exactValueSizeLimit;
    private Duration ttlGranularity;
    private boolean exactTimeoutBounds = true;
    private boolean atomicWriteOnce = true;

    private Builder() {}

    /**
     * Declares that the store refuses envelopes whose {@code toCborData()} is longer than {@code
     * bytes} with {@link dev.hubert.api.ValueTooLargeException}.
     *
     * @throws IllegalArgumentException if {@code bytes} is not positive
     */
    public Builder maxValueSize(long bytes) {
      if (bytes <= 0) {
        throw new IllegalArgumentException("maxValueSize must be positive, got " + bytes);
      }
      this.maxValueSize = bytes;
      return this;
    }

    /** Declares that {@link #maxValueSize(long)} is exact (see {@link #exactValueSizeLimit()}). */
    public Builder exactValueSizeLimit(boolean exact) {
      this.exactValueSizeLimit = exact;
      return this;
    }

    /**
     * Declares that the store expires values after their TTL, at most {@code granularity} late.
     *
     * @throws IllegalArgumentException if {@code granularity} is negative
     */
    public Builder supportsTtl(Duration granularity) {
      Objects.requireNonNull(granularity, "granularity");
      if (granularity.isNegative()) {
        throw new IllegalArgumentException("TTL granularity must not be negative, got "
            + granularity);
      }
      this.ttlGranularity = granularity;
      return this;
    }

    /** Declares whether missing-ARID gets keep the bounds of rule 3.2 (default {@code true}). */
    public Builder exactTimeoutBounds(boolean exact) {
      this.exactTimeoutBounds = exact;
      return this;
    }

    /** Declares whether concurrent puts at one ARID are decided atomically (default {@code true}). */
    public Builder atomicWriteOnce(boolean atomic) {
      this.atomicWriteOnce = atomic;
      return this;
    }

    /**
     * Returns the capabilities.
     *
     * @throws IllegalStateException if an exact size limit is declared without a size
     */
    public Capabilities build() {
      if (exactValueSizeLimit && maxValueSize == 0) {
        throw new IllegalStateException(
            "exactValueSizeLimit(true) needs maxValueSize(bytes): declare the limit first");
      }
      return new Capabilities(this);
    }
  }
}
