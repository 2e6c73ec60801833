package dev.hubert.ipfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hubert.api.AlreadyExistsException;
import dev.hubert.api.BlockingKvStore;
import dev.hubert.api.VerboseLog;
import dev.hubert.envelope.Arid;
import dev.hubert.envelope.Envelope;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What {@link IpfsKv} does beyond the conformance kit ({@link IpfsKvConformanceTest}): write-once
 * seen from the reader's node, the reference's verbose lines, early builder validation. Writer on
 * node A, reader on node B.
 */
class IpfsKvTest {
  private static IpfsKv writerStore;
  private static IpfsKv readerStore;
  private static BlockingKvStore writer;
  private static BlockingKvStore reader;

  @BeforeAll
  static void open() {
    writerStore = IpfsKv.builder().rpcUrl(TestNodes.a()).build();
    readerStore = IpfsKv.builder().rpcUrl(TestNodes.b()).build();
    writer = writerStore.blocking();
    reader = readerStore.blocking();
  }

  @AfterAll
  static void close() {
    writerStore.close();
    readerStore.close();
  }

  /** Reference: test_write_once; rule 2.2 — from the writer's node and from the reader's. */
  @Test
  void writeOnce() {
    Arid arid = Arid.random();
    writer.put(arid, Envelope.of("First"));
    assertTrue(reader.get(arid, Duration.ofSeconds(30)).isPresent());
    AlreadyExistsException e = assertThrows(AlreadyExistsException.class,
        () -> writer.put(arid, Envelope.of("Second")));
    assertEquals(arid.urString() + " already exists", e.getMessage());
    assertThrows(AlreadyExistsException.class, () -> reader.put(arid, Envelope.of("Second")));
    assertEquals(Optional.of("First"), reader.get(arid, Duration.ZERO).orElseThrow().text());
  }

  /** Rule 6.1: the reference's progress lines with verbose, nothing without. */
  @Test
  void verboseOutput() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream previous = VerboseLog.setOutput(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      Arid arid = Arid.random();
      writer.put(arid, Envelope.of("quiet"));
      reader.get(arid, Duration.ofSeconds(30));
      assertEquals("", out.toString(StandardCharsets.UTF_8));
      Arid loud = Arid.random();
      writer.put(loud, Envelope.of("loud"), null, true);
      reader.get(loud, Duration.ofSeconds(30), true);
      String log = out.toString(StandardCharsets.UTF_8);
      for (String line : new String[] {"Starting IPFS put operation", "Envelope size: ",
          "Obfuscated envelope data", "Adding content to IPFS", "Content CID: Qm",
          "Publishing to IPNS", "IPFS put operation completed", "Starting IPFS get operation",
          "Resolved to CID: Qm", "Fetching content from IPFS", "Deobfuscated envelope data",
          "IPFS get operation completed"}) {
        assertTrue(log.contains("Z] " + line), line + " missing in:\n" + log);
      }
    } finally {
      VerboseLog.setOutput(previous);
    }
  }

  @Test
  void builderValidatesEarly() {
    assertThrows(IllegalArgumentException.class, () -> IpfsKv.builder().rpcUrl("ftp://host:5001"));
    assertThrows(IllegalArgumentException.class, () -> IpfsKv.builder().rpcUrl("127.0.0.1:5001"));
    assertThrows(IllegalArgumentException.class, () -> IpfsKv.builder().rpcUrl("http://a b"));
    assertThrows(IllegalArgumentException.class, () -> IpfsKv.builder().maxEnvelopeSize(0));
    assertThrows(IllegalArgumentException.class, () -> IpfsKv.builder().lookupTimeout(Duration.ZERO));
    assertThrows(NullPointerException.class, () -> IpfsKv.builder().requestTimeout(null));
    assertEquals(Duration.ofSeconds(7),
        IpfsKv.builder().resolveTimeout(Duration.ofSeconds(7)).build().defaultTimeout());
  }
}
