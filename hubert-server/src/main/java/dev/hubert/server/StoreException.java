package dev.hubert.server;

/**
 * The server's storage failed. {@link #isTransient()} tells a busy or locked database (the
 * request may succeed if retried: HTTP 503) from a lasting fault (read-only, disk full, I/O
 * error: HTTP 500).
 */
final class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final boolean transientFault;

  StoreException(String message, boolean transientFault, Throwable cause) {
    super(message, cause);
    this.transientFault = transientFault;
  }

  boolean isTransient() {
    return transientFault;
  }
}
