package dev.hubert.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ServerKvConfigTest {
  @Test
  void defaultsAreTheReferenceServer() {
    ServerKv.Config c = ServerKv.Config.defaults();
    assertEquals("http://127.0.0.1:45678", c.baseUrl());
    assertEquals(Duration.ofSeconds(10), c.connectTimeout());
    assertEquals(Duration.ofSeconds(30), c.requestTimeout());
    assertEquals(c, ServerKv.Config.of("127.0.0.1", 45678));
    assertEquals(c, ServerKv.Config.of("http://127.0.0.1:45678/"));
    assertEquals("http://[::1]:1", ServerKv.Config.of("::1", 1).baseUrl());
  }

  @Test
  void withersCopyAndValidate() {
    ServerKv.Config c = ServerKv.Config.defaults();
    ServerKv.Config d = c.withRequestTimeout(Duration.ofSeconds(5));
    assertEquals(Duration.ofSeconds(5), d.requestTimeout());
    assertEquals(Duration.ofSeconds(30), c.requestTimeout());
    assertNotEquals(c, d);
    assertThrows(IllegalArgumentException.class, () -> c.withRequestTimeout(Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> c.withConnectTimeout(Duration.ofSeconds(-1)));
    assertThrows(NullPointerException.class, () -> c.withConnectTimeout(null));
  }

  @Test
  void badUrlsAreRefusedWithAClearMessage() {
    for (String bad : new String[] {"", "127.0.0.1:45678", "ftp://x:1", "http://", "http://a b"}) {
      IllegalArgumentException x =
          assertThrows(IllegalArgumentException.class, () -> ServerKv.Config.of(bad), bad);
      assertEquals(true, x.getMessage().contains(bad.isEmpty() ? "http://127.0.0.1:45678" : bad), x.getMessage());
    }
    assertThrows(IllegalArgumentException.class, () -> ServerKv.Config.of("h", 0));
  }

  @Test
  void portsOutsideTheTcpRangeAreRefused() {
    for (String bad : new String[] {"http://127.0.0.1:99999", "http://127.0.0.1:65536", "http://h:0/"}) {
      IllegalArgumentException x =
          assertThrows(IllegalArgumentException.class, () -> ServerKv.Config.of(bad), bad);
      assertEquals(true, x.getMessage().contains("1..65535"), x.getMessage());
    }
    assertEquals("http://h:65535", ServerKv.Config.of("http://h:65535").baseUrl());
    assertEquals("http://h", ServerKv.Config.of("http://h").baseUrl());
  }
}
