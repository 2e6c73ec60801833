package dev.hubert.api;

/**
 * A reference was found, but the content it points to could not be fetched before the deadline
 * (the hybrid store found its reference envelope in the DHT, but the IPFS content is missing). The
 * writer's IPFS node may be offline or the content unpinned; retry later or ask the writer to
 * re-publish.
 */
public final class ContentNotFoundException extends HubertException {
  private static final long serialVersionUID = 1L;

  public ContentNotFoundException(String message) {
    super(message);
  }

  public ContentNotFoundException(String message, Throwable cause) {
    super(message, cause);
  }
}
