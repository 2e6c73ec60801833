package dev.hubert.cli;

import dev.hubert.api.KvStore;
import dev.hubert.api.Receipt;
import dev.hubert.api.VerboseLog;
import dev.hubert.envelope.Arid;
import dev.hubert.envelope.Envelope;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "put", description = "Store an envelope at an ARID")
final class PutCommand implements Callable<Integer> {
  @Mixin private Common common;
  @Mixin private StorageOptions storage;

  @Parameters(index = "0", paramLabel = "ARID", description = "ARID key (ur:arid format)")
  private String arid;

  @Parameters(
      index = "1",
      paramLabel = "ENVELOPE",
      description =
          "Envelope value (ur:envelope format); or @FILE holding ur:envelope text or tagged"
              + " envelope CBOR; or - to read either from standard input")
  private String envelope;

  @Option(
      names = "--ttl",
      paramLabel = "SECONDS",
      converter = Converters.Seconds.class,
      description =
          "Time-to-live in seconds (for --storage server: data retention, default and maximum"
              + " set by the server, 24 hours by default)")
  private Long ttl;

  @Option(
      names = "--pin",
      description =
          "Pin content in IPFS and print its CID (only for --storage ipfs or --storage hybrid)")
  private boolean pin;

  @Override
  public Integer call() {
    storage.validate();
    Arid key = Envelopes.parseArid(arid);
    Envelope value = Envelopes.readEnvelope(envelope, System.in);
    Storage s = storage.storage;
    StorageOptions.fail(
        ttl != null && s != Storage.SERVER, "--ttl option is only supported for --storage server");
    StorageOptions.fail(
        pin && !s.usesIpfs(),
        "--pin option is only supported for --storage ipfs or --storage hybrid");

    boolean verbose = common.verbose();
    try (KvStore store = HubertComponent.open(s, storage.endpoints(pin))) {
      Receipt receipt =
          store.blocking().put(key, value, ttl == null ? null : Duration.ofSeconds(ttl), verbose);
      if (verbose) {
        VerboseLog.println("✓ Stored envelope at ARID");
      }
      if (pin) {
        cid(receipt).ifPresent(cid -> common.out().println("CID: " + cid));
      }
    }
    return 0;
  }

  /** The CID in a receipt ({@code … ipfs://<cid>…}), for IPFS and, unlike the reference, hybrid. */
  static java.util.Optional<String> cid(Receipt receipt) {
    for (Receipt part : receipt.components()) { // hybrid: the IPFS put's receipt
      java.util.Optional<String> cid = cid(part);
      if (cid.isPresent()) {
        return cid;
      }
    }
    String text = receipt.text();
    int at = text.indexOf("ipfs://");
    if (at < 0) {
      return java.util.Optional.empty();
    }
    String rest = text.substring(at + "ipfs://".length());
    int end = 0;
    while (end < rest.length() && Character.isLetterOrDigit(rest.charAt(end))) {
      end++;
    }
    return end == 0 ? java.util.Optional.empty() : java.util.Optional.of(rest.substring(0, end));
  }
}
