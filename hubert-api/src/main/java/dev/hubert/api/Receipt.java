package dev.hubert.api;

import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * What a successful {@link KvStore#put} reports: the reference's receipt text (for example {@code
 * dht://<public key hex>}), where the backend knows it how many nodes stored the value, and for a
 * store composed of others (the hybrid store) the receipts of the puts it made.
 *
 * <p>Immutable; equal when text, replica count and components are equal.
 */
public final class Receipt {
  private final String text;
  private final int replicas;
  private final List<Receipt> components;

  private Receipt(String text, int replicas, List<Receipt> components) {
    this.text = Objects.requireNonNull(text, "text");
    this.replicas = replicas;
    this.components = List.copyOf(components);
  }

  /** A receipt with the given text and no replica count. */
  public static Receipt of(String text) {
    return new Receipt(text, -1, List.of());
  }

  /**
   * A receipt of a composite store: its own text, and the receipts of the stores it wrote to, in
   * the order it wrote.
   */
  public static Receipt composite(String text, List<Receipt> components) {
    return new Receipt(text, -1, components);
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
    return new Receipt(text, replicas, List.of());
  }

  /** The receipt text, in the reference's format for the backend. */
  public String text() {
    return text;
  }

  /** How many nodes acknowledged the value, if the backend reports it. */
  public OptionalInt replicas() {
    return replicas < 0 ? OptionalInt.empty() : OptionalInt.of(replicas);
  }

  /** The receipts of the stores a composite store wrote to; empty for a single store. */
  public List<Receipt> components() {
    return components;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Receipt
        && ((Receipt) o).text.equals(text)
        && ((Receipt) o).replicas == replicas
        && ((Receipt) o).components.equals(components);
  }

  @Override
  public int hashCode() {
    return Objects.hash(text, replicas, components);
  }

  /** Returns {@link #text()}. */
  @Override
  public String toString() {
    return text;
  }
}
