package dev.hubert.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code hubert demo}, the README's first command: a full coordination round, checked. */
class DemoIT {
  @Test
  void threePartiesCoordinate() {
    HubertCli.Result r = HubertCli.run("demo");
    assertEquals(0, r.exit, r::toString);
    assertEquals("", r.err);
    String out = r.out;
    assertTrue(out.contains("✓ Hubert server listening on 127.0.0.1:"), out);
    Matcher request = Pattern.compile("coordinator  put the request at (ARID\\([0-9a-f]{8}\\))").matcher(out);
    assertTrue(request.find(), out);
    String requestArid = request.group(1);
    assertTrue(out.contains("\"Team dinner: which evening works for you?\" ["), out);
    assertTrue(out.contains("refused (write-once)"), out);
    for (String name : List.of("alice", "bob", "carol")) {
      assertTrue(out.contains(name + " polls " + requestArid + " for the request")
          || Pattern.compile(name + "\\s+polls " + Pattern.quote(requestArid)).matcher(out).find(), out);
      assertTrue(out.contains("\"respondTo:" + name + "\": ARID("), out);
      assertTrue(Pattern.compile(name + "\\s+found the request \\(5 assertions\\); puts its answer")
          .matcher(out).find(), out);
      assertTrue(out.contains("got " + name + "'s answer:"), out);
      assertTrue(out.contains("\"from\": \"" + name + "\""), out);
    }
    assertTrue(out.contains("\"inReplyTo\": " + requestArid), out);
    assertTrue(out.contains("Round complete: 3 of 3 answers collected"), out);
    assertTrue(out.contains("Decision: Wednesday (2 of 3)."), out);
  }

  @Test
  void moreParticipants() {
    HubertCli.Result r = HubertCli.run("demo", "--participants", "5");
    assertEquals(0, r.exit, r::toString);
    assertTrue(r.out.contains("Round complete: 5 of 5 answers collected"), r::toString);
    assertTrue(r.out.contains("Decision: Wednesday (3 of 5)."), r::toString);
    CliBasicIT.usageError(HubertCli.run("demo", "--participants", "11"));
  }
}
