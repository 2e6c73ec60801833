package dev.hubert.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Where a {@link HubertServer} keeps envelopes: {@link #memory()} (lost when the server stops) or
 * {@link #sqlite(Path)} (a file that survives restarts and crashes). Immutable.
 */
public final class Storage {
  private final Path sqlitePath; // null: memory

  private Storage(Path sqlitePath) {
    this.sqlitePath = sqlitePath;
  }

  /** In-memory storage, as the reference's {@code MemoryKv}: fast, gone when the server stops. */
  public static Storage memory() {
    return new Storage(null);
  }

  /**
   * SQLite storage in the file at {@code path}, created with its parent directories if missing.
   * As in the reference's CLI, if {@code path} is an existing directory the file is {@code
   * <path>/hubert.sqlite}. Durable: {@code journal_mode=WAL}, {@code synchronous=FULL}. Unlike the
   * reference, the file's {@code arid} column holds a key derived from the ARID, never the ARID.
   */
  public static Storage sqlite(Path path) {
    Objects.requireNonNull(path, "path");
    Path file = Files.isDirectory(path) ? path.resolve("hubert.sqlite") : path;
    return new Storage(file);
  }

  /** The SQLite file, or {@code null} for memory storage. */
  Path sqlitePath() {
    return sqlitePath;
  }

  Store open() {
    return open(System::nanoTime, System::currentTimeMillis);
  }

  Store open(LongSupplier nanoClock, LongSupplier wallClockMillis) {
    return sqlitePath == null
        ? new MemoryStore(nanoClock)
        : SqliteStore.open(sqlitePath, wallClockMillis);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Storage && Objects.equals(((Storage) o).sqlitePath, sqlitePath);
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(sqlitePath);
  }

  /** {@code in-memory storage} or {@code SQLite storage: <path>}, as the reference's startup line. */
  @Override
  public String toString() {
    return sqlitePath == null ? "in-memory storage" : "SQLite storage: " + sqlitePath;
  }
}
