package dev.hubert.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class VerboseLogTest {
  @Test
  void timestampIsUtcWithTruncatedMilliseconds() {
    assertEquals("2024-02-29T23:59:59.999Z", VerboseLog.timestamp(Instant.parse("2024-02-29T23:59:59.999999Z")));
    assertEquals("1970-01-01T00:00:00.000Z", VerboseLog.timestamp(Instant.EPOCH));
  }

  @Test
  void printsTimestampedLinesDotsAndNothingForEmptyMessages() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream previous = VerboseLog.setOutput(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      VerboseLog.println("Polling DHT for value");
      VerboseLog.println("");
      VerboseLog.dot();
      VerboseLog.dot();
      VerboseLog.newline();
    } finally {
      VerboseLog.setOutput(previous);
    }
    String out = bytes.toString(StandardCharsets.UTF_8);
    String sep = System.lineSeparator();
    assertTrue(out.matches(
        "\\[\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z\\] Polling DHT for value" + sep + "\\.\\." + sep),
        out);
  }
}
