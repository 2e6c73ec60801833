package dev.hubert.envelope;

/** Placeholder: the Gordian Envelope value type is being written (see issue 2). */
public final class Envelope {
  private Envelope() {}
}
