package dev.hubert.api;

/**
 * The one exception family of Hubert: every {@link KvStore} future that fails, fails with a
 * subclass of this. Messages say what went wrong and what to do about it.
 *
 * <p>Argument errors are not part of the family: they are thrown eagerly as {@link
 * NullPointerException} or {@link IllegalArgumentException} (rule 1.1 of {@link KvStore}).
 */
public abstract class HubertException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  protected HubertException(String message) {
    super(message);
  }

  protected HubertException(String message, Throwable cause) {
    super(message, cause);
  }
}
