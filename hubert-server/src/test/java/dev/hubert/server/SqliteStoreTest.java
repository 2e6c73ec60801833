package dev.hubert.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hubert.envelope.Arid;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the SQLite file holds: the reference's schema, derived keys, durable settings. */
class SqliteStoreTest {
  @TempDir Path dir;

  @Test
  void storageKeyIsHkdfOfTheFixedConstantWithTheAridAsSalt() {
    // computed independently (Python hmac/hashlib HKDF, RFC 5869), constant as IKM, ARID as salt
    assertEquals(
        "265c0e01d72e3d34ebad6526c8a4d7419263812cedaed1f260be75319329bebf",
        SqliteStore.storageKey(
            Arid.fromHex("dec7e82893c32f7a4fcec633c02c0ec32a4361ca3ee3bc8758ae07742e940550")));
    assertEquals(
        "6c5356f55b04c189cdb3ded9d7b0618ef928880d0187e0936d19b068571fb70f",
        SqliteStore.storageKey(
            Arid.fromHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f")));
  }

  @Test
  void expiresAtRoundsUpSoAnEntryLivesAtLeastItsTtl() {
    assertEquals(1_800_000_001L, SqliteStore.expiresAtSeconds(1_800_000_000_000L, 1));
    assertEquals(1_800_000_002L, SqliteStore.expiresAtSeconds(1_800_000_000_001L, 1));
    assertEquals(1_800_000_000L, SqliteStore.expiresAtSeconds(1_800_000_000_999L, 0));
    assertTrue(SqliteStore.expiresAtSeconds(0, Long.MAX_VALUE) > 0, "no overflow");
  }

  @Test
  void fileHasTheReferenceSchemaAndDurableSettings() throws Exception {
    Path file = dir.resolve("a/b/hubert.sqlite");
    try (SqliteStore s = SqliteStore.open(file, System::currentTimeMillis)) {
      assertTrue(s.putIfAbsent(Arid.random(), "ur:envelope/tpsoiyfdihjzjzjldmksbaoede", 60));
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
          Statement st = c.createStatement()) {
        List<String> sql = new ArrayList<>();
        try (ResultSet rs = st.executeQuery("SELECT sql FROM sqlite_master ORDER BY name")) {
          while (rs.next()) {
            sql.add(rs.getString(1));
          }
        }
        assertEquals(
            List.of(
                "CREATE TABLE hubert_store (\n    arid TEXT PRIMARY KEY,\n"
                    + "    envelope TEXT NOT NULL,\n    expires_at INTEGER\n)",
                "CREATE INDEX idx_expires_at ON hubert_store(expires_at)"),
            sql.subList(0, 2));
        try (ResultSet rs = st.executeQuery("PRAGMA journal_mode")) {
          rs.next();
          assertEquals("wal", rs.getString(1), "WAL is a property of the file");
        }
      }
      assertEquals("2", s.writerPragma("synchronous"), "synchronous=FULL (2) on the writer");
      assertEquals("wal", s.writerPragma("journal_mode"));
    }
  }

  @Test
  void theFileNeverContainsTheArid() throws Exception {
    Path file = dir.resolve("hubert.sqlite");
    Arid arid = Arid.random();
    try (SqliteStore s = SqliteStore.open(file, System::currentTimeMillis)) {
      assertTrue(s.putIfAbsent(arid, "ur:envelope/tpsoiyfdihjzjzjldmksbaoede", 60));
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
          Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT arid FROM hubert_store")) {
        assertTrue(rs.next());
        assertEquals(SqliteStore.storageKey(arid), rs.getString(1));
        assertFalse(rs.next());
      }
    }
    // neither the raw bytes nor the hex of the ARID appear in the database or its WAL
    for (Path f : List.of(file, Path.of(file + "-wal"))) {
      if (Files.exists(f)) {
        byte[] content = Files.readAllBytes(f);
        assertFalse(contains(content, arid.bytes()), f + " holds the ARID bytes");
        assertFalse(
            contains(content, arid.hex().getBytes(StandardCharsets.US_ASCII)),
            f + " holds the ARID hex");
      }
    }
  }

  @Test
  void reopeningKeepsEntries() {
    Path file = dir.resolve("hubert.sqlite");
    Arid arid = Arid.random();
    try (SqliteStore s = SqliteStore.open(file, System::currentTimeMillis)) {
      assertTrue(s.putIfAbsent(arid, "kept", 600));
    }
    try (SqliteStore s = SqliteStore.open(file, System::currentTimeMillis)) {
      assertEquals(Optional.of("kept"), s.get(arid));
      assertFalse(s.putIfAbsent(arid, "other", 600));
    }
  }

  @Test
  void directoryPathMeansHubertSqliteInside() {
    assertEquals(dir.resolve("hubert.sqlite"), Storage.sqlite(dir).sqlitePath());
    assertEquals(dir.resolve("x.db"), Storage.sqlite(dir.resolve("x.db")).sqlitePath());
  }

  private static boolean contains(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
