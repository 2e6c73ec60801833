package dev.hubert.api;

import dev.hubert.envelope.Arid;
import java.util.Objects;

/**
 * Something is already stored at the ARID: Hubert stores are write-once (rule 2.2 of {@link
 * KvStore}). The first value is unchanged. Use a fresh ARID for a new value.
 */
public final class AlreadyExistsException extends HubertException {
  private static final long serialVersionUID = 1L;

  private final transient Arid arid;

  /**
   * @param arid the ARID that is taken
   * @param aridText how to show it, normally its {@code ur:arid/…} form (the reference's message is
   *     {@code "<ur:arid> already exists"})
   */
  public AlreadyExistsException(Arid arid, String aridText) {
    super(Objects.requireNonNull(aridText, "aridText") + " already exists");
    this.arid = Objects.requireNonNull(arid, "arid");
  }

  /** The ARID that is already taken. */
  public Arid arid() {
    return arid;
  }
}
