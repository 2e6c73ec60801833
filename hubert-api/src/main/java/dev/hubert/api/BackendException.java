package dev.hubert.api;

/**
 * The backend answered, with an error: an IPFS daemon error, an HTTP status the client does not
 * expect, a storage failure on the server. The message carries the backend's own text.
 */
public final class BackendException extends HubertException {
  private static final long serialVersionUID = 1L;

  public BackendException(String message) {
    super(message);
  }

  public BackendException(String message, Throwable cause) {
    super(message, cause);
  }
}
