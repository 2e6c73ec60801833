package dev.hubert.api;

/**
 * Something is stored at the ARID, but it is not a valid envelope once de-obfuscated: it was
 * written by a different program or version (hubert 0.3.0 and earlier did not obfuscate), or it was
 * damaged. The stored value cannot be read with this ARID.
 */
public final class CorruptValueException extends HubertException {
  private static final long serialVersionUID = 1L;

  public CorruptValueException(String message, Throwable cause) {
    super(message, cause);
  }
}
