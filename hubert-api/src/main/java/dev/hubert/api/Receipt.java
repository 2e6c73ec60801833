package dev.hubert.api;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * What a successful {@link KvStore#put} reports: the reference's receipt text (for example {@code
 * dht://<public key hex>}) and, where the backend knows it, how many nodes stored the value.
 *
 * <p>Immutable; equal when text and replica count are equal.
 */
public final class Receipt {
  private final String text;
  private final int replicas;

  private Receipt(String text, int replicas) {
    this.text = Objects.requireNonNull(text, "text");
    this.replicas = replicas;
  }

  /** A receipt with the given text and no replica count. */
  public static Receipt of(String text) {
    return new Receipt(text, -1);
  }

  /**
   * A receipt with the given text that reports how many nodes acknowledged the value.
   *
   * @throws IllegalArgumentException if {@code replicas} is negative
   */
  public static Receipt withReplicas(String text, int replicas) {
    if (replicas < 0) {
      throw new IllegalArgumentException("replicas must be >= 0, got " + replicas);
    }
    return new Receipt(text, replicas);
  }

  /** The receipt text, in the reference's format for the backend. */
  public String text() {
    return text;
  }

  /** How many nodes acknowledged the value, if the backend reports it. */
  public OptionalInt replicas() {
    return replicas < 0 ? OptionalInt.empty() : OptionalInt.of(replicas);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Receipt
        && ((Receipt) o).text.equals(text)
        && ((Receipt) o).replicas == replicas;
  }

  @Override
  public int hashCode() {
    return text.hashCode() * 31 + replicas;
  }

  /** Returns {@link #text()}. */
  @Override
  public String toString() {
    return text;
  }
}
