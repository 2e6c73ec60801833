package dev.hubert.testkit;

import dev.hubert.envelope.Envelope;

/** The envelopes the kit stores. */
final class Fixtures {
  /** The largest envelope the kit builds for the size rules. */
  static final long MAX_BUILDABLE = 64L * 1024 * 1024;

  private Fixtures() {}

  /** The reference suite's round-trip envelope: {@code "Test" ["key": "value"]}. */
  static Envelope reference() {
    return Envelope.of("Test").addAssertion("key", "value");
  }

  /** A text envelope with one assertion, as the reference's concurrency test stores. */
  static Envelope message(String subject, String body) {
    return Envelope.of(subject).addAssertion("body", body);
  }

  /**
   * A text envelope whose {@code toCborData()} is exactly {@code size} bytes, or null if no text
   * leaf has that size (a few sizes fall between CBOR length-header widths).
   */
  static Envelope ofSize(long size) {
    if (size > MAX_BUILDABLE) {
      return null;
    }
    int overhead = Envelope.of("").toCborData().length - 1; // tags and a one-byte text header
    for (int header : new int[] {1, 2, 3, 5}) {
      long length = size - overhead - header;
      if (length < 0 || length > Integer.MAX_VALUE) {
        continue;
      }
      Envelope e = Envelope.of("x".repeat((int) length));
      if (e.toCborData().length == size) {
        return e;
      }
    }
    return null;
  }
}
