package dev.hubert.api;

/**
 * The backend could not be reached, or did not answer before its deadline: a connection was
 * refused, a socket timed out, no DHT node answered, or the store was closed. The operation may
 * have had no effect; check that the backend is running and reachable, then retry.
 */
public final class BackendUnavailableException extends HubertException {
  private static final long serialVersionUID = 1L;

  public BackendUnavailableException(String message) {
    super(message);
  }

  public BackendUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
