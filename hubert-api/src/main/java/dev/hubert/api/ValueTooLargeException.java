package dev.hubert.api;

/**
 * The envelope is larger than the store accepts (rule 2.3 of {@link KvStore}). Nothing was
 * written. Store a smaller envelope, or use a store with a larger limit (IPFS, or the hybrid store,
 * which moves large envelopes to IPFS).
 */
public final class ValueTooLargeException extends HubertException {
  private static final long serialVersionUID = 1L;

  private final long size;
  private final long limit;

  /**
   * @param what what was measured, e.g. {@code "obfuscated envelope"}
   * @param size its size in bytes
   * @param limit the largest size the store accepts, in bytes
   * @param store the store's name, e.g. {@code "Mainline DHT"}
   */
  public ValueTooLargeException(String what, long size, long limit, String store) {
    super(what + " is " + size + " bytes, over the " + store + " limit of " + limit
        + " bytes: store a smaller envelope or use a store for larger values");
    this.size = size;
    this.limit = limit;
  }

  /** The size that was refused, in bytes. */
  public long size() {
    return size;
  }

  /** The largest accepted size, in bytes. */
  public long limit() {
    return limit;
  }
}
