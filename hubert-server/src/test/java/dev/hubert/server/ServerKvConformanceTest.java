package dev.hubert.server;

import dev.hubert.api.KvStore;
import dev.hubert.envelope.Arid;
import dev.hubert.testkit.Capabilities;
import dev.hubert.testkit.KvStoreConformance;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;

/**
 * The conformance kit against {@link ServerKv} talking to a real {@link HubertServer} over
 * loopback, once with each storage. The second party is another client of the same server. Rule
 * 3.4 (corrupt stored value) runs with SQLite, where the test writes into the file; in memory
 * there is no way to store a non-envelope, so the kit reports it skipped.
 */
class ServerKvConformanceTest {
  /** Shared by both storages: a server, clients of it, and a port nobody listens on. */
  abstract static class Base extends KvStoreConformance {
    static final int BODY_LIMIT = 16 * 1024;
    private HubertServer server;

    abstract Storage storage() throws IOException;

    HubertServer server() throws IOException {
      if (server == null) {
        server =
            HubertServer.builder()
                .port(0)
                .storage(storage())
                .maxBodyBytes(BODY_LIMIT)
                .build()
                .start();
      }
      return server;
    }

    @Override
    protected KvStore createStore() throws Exception {
      return ServerKv.create(server().baseUrl());
    }

    @Override
    protected KvStore createSecondParty(KvStore first) throws Exception {
      return ServerKv.create(server().baseUrl());
    }

    @Override
    protected Capabilities capabilities() {
      // TTLs travel in whole seconds (rounded up) and SQLite's expires_at is whole seconds. The
      // body limit applies to the request: two UR characters per CBOR byte, plus the ur:arid line
      return Capabilities.builder()
          .supportsTtl(Duration.ofSeconds(1))
          .maxValueSize((BODY_LIMIT - 200) / 2)
          .exactValueSizeLimit(false)
          .build();
    }

    @Override
    protected KvStore createUnreachableStore() throws Exception {
      int port;
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        port = s.getLocalPort();
      }
      return ServerKv.create(
          ServerKv.Config.of("127.0.0.1", port).withConnectTimeout(Duration.ofSeconds(2)));
    }

    @AfterAll
    void stopServer() {
      if (server != null) {
        server.close();
      }
    }
  }

  @Nested
  class MemoryStorage extends Base {
    @Override
    Storage storage() {
      return Storage.memory();
    }
  }

  @Nested
  class SqliteStorage extends Base {
    private Path file;

    @Override
    Storage storage() throws IOException {
      file = Files.createTempDirectory("hubert-conformance").resolve("hubert.sqlite");
      return Storage.sqlite(file);
    }

    /** Writes text that is not a ur:envelope straight into the server's SQLite file. */
    @Override
    protected boolean writeCorruptValue(KvStore store, Arid arid) throws Exception {
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
          PreparedStatement st =
              c.prepareStatement(
                  "INSERT INTO hubert_store (arid, envelope, expires_at) VALUES (?, ?, ?)")) {
        st.setString(1, SqliteStore.storageKey(arid));
        st.setString(2, "ur:envelope/not-an-envelope");
        st.setLong(3, System.currentTimeMillis() / 1000 + 3600);
        st.executeUpdate();
      }
      return true;
    }

    @AfterAll
    void deleteFile() throws IOException {
      if (file != null) {
        for (String suffix : new String[] {"", "-wal", "-shm"}) {
          Files.deleteIfExists(Path.of(file + suffix));
        }
        Files.deleteIfExists(file.getParent());
      }
    }
  }
}
