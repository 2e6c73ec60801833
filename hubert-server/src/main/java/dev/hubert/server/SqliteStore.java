package dev.hubert.server;

import dev.hubert.api.AridDerivation;
import dev.hubert.envelope.Arid;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.sqlite.SQLiteConfig;

/**
 * Entries in an SQLite file, in the reference's table {@code hubert_store(arid TEXT PRIMARY KEY,
 * envelope TEXT NOT NULL, expires_at INTEGER)} with its index {@code idx_expires_at}.
 *
 * <p>Differences from the reference's {@code SqliteKv}, all deliberate:
 *
 * <ul>
 *   <li>The {@code arid} column holds a key derived from the ARID, {@link #storageKey}, not the
 *       {@code ur:arid}: whoever reads the file cannot learn the ARIDs (which would let them read
 *       and write the same conversation on the DHT and IPFS).
 *   <li>Durability: {@code journal_mode=WAL} and {@code synchronous=FULL}: a put is acknowledged
 *       only after its commit is fsynced, so it survives a crash of the process or the machine.
 *   <li>Write-once is one atomic upsert that replaces only an expired row, not check-then-insert.
 *   <li>{@code expires_at} (Unix seconds) is rounded up, so an entry lives at least its TTL.
 * </ul>
 *
 * <p>One writer connection (SQLite has one writer at a time) that commits concurrent puts together
 * (group commit: one fsync for all puts waiting), and a few reader connections, which WAL lets run
 * beside the writer.
 */
final class SqliteStore implements Store {
  /** HKDF key material of the at-rest key: {@code "hubert-server-storage-v1"}. */
  static final String STORAGE_KEY_CONSTANT = "hubert-server-storage-v1";

  static final String SCHEMA_TABLE =
      "CREATE TABLE IF NOT EXISTS hubert_store (\n"
          + "    arid TEXT PRIMARY KEY,\n"
          + "    envelope TEXT NOT NULL,\n"
          + "    expires_at INTEGER\n"
          + ")";
  static final String SCHEMA_INDEX =
      "CREATE INDEX IF NOT EXISTS idx_expires_at ON hubert_store(expires_at)";

  private static final String INSERT =
      "INSERT INTO hubert_store (arid, envelope, expires_at) VALUES (?, ?, ?)"
          + " ON CONFLICT(arid) DO UPDATE SET envelope = excluded.envelope,"
          + " expires_at = excluded.expires_at"
          + " WHERE hubert_store.expires_at IS NOT NULL AND hubert_store.expires_at <= ?";
  private static final String SELECT =
      "SELECT envelope, expires_at FROM hubert_store WHERE arid = ?";
  private static final String DELETE_EXPIRED =
      "DELETE FROM hubert_store WHERE expires_at IS NOT NULL AND expires_at <= ?";

  private static final int READERS =
      Math.min(16, Math.max(4, Runtime.getRuntime().availableProcessors()));
  private static final int BUSY_TIMEOUT_MILLIS = 2_000;
  /** Most puts committed in one transaction. */
  private static final int MAX_BATCH = 256;

  private final Path path;
  private final LongSupplier wallClockMillis;
  private final ReentrantLock writeLock = new ReentrantLock();
  private final Connection writer;
  private PreparedStatement insert; // guarded by writeLock
  private final ConcurrentLinkedQueue<PendingPut> pending = new ConcurrentLinkedQueue<>();
  private final BlockingQueue<Reader> readers = new ArrayBlockingQueue<>(READERS);
  private final List<Reader> allReaders = new ArrayList<>();
  private final Thread committer;
  private volatile boolean closed;

  /** A reader connection with its prepared SELECT. */
  private static final class Reader {
    final Connection connection;
    final PreparedStatement select;

    Reader(Connection connection) throws SQLException {
      this.connection = connection;
      this.select = connection.prepareStatement(SELECT);
    }
  }

  /** A put waiting for a group commit. */
  private static final class PendingPut {
    final String key;
    final String envelopeUr;
    final long expiresAt;
    final long nowSeconds;
    final CompletableFuture<Boolean> result = new CompletableFuture<>();

    PendingPut(String key, String envelopeUr, long expiresAt, long nowSeconds) {
      this.key = key;
      this.envelopeUr = envelopeUr;
      this.expiresAt = expiresAt;
      this.nowSeconds = nowSeconds;
    }
  }

  private SqliteStore(Path path, LongSupplier wallClockMillis, Connection writer)
      throws SQLException {
    this.path = path;
    this.wallClockMillis = wallClockMillis;
    this.writer = writer;
    this.insert = writer.prepareStatement(INSERT);
    this.committer = new Thread(this::commitLoop, "hubert-sqlite-commit");
    committer.setDaemon(true);
  }

  /**
   * Opens (creating if needed) the database at {@code path}, and its parent directories.
   *
   * @throws UncheckedIOException if the file cannot be created or opened, or is not a database
   */
  static SqliteStore open(Path path, LongSupplier wallClockMillis) {
    Path file = path.toAbsolutePath();
    Path dir = file.getParent();
    try {
      if (dir != null) {
        Files.createDirectories(dir);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          new IOException(
              "cannot create the directory " + dir + " for the SQLite database " + file + ": "
                  + why(e) + "; choose a path whose directory exists or can be created",
              e));
    }
    Connection w = null;
    SqliteStore store = null;
    try {
      w = connect(file);
      try (Statement s = w.createStatement()) {
        s.executeUpdate(SCHEMA_TABLE);
        s.executeUpdate(SCHEMA_INDEX);
      }
      store = new SqliteStore(file, wallClockMillis, w);
      store.committer.start();
      for (int i = 0; i < READERS; i++) {
        Reader r = new Reader(connect(file));
        store.allReaders.add(r);
        store.readers.add(r);
      }
      return store;
    } catch (SQLException e) {
      if (store != null) {
        store.close();
      } else if (w != null) {
        closeQuietly(w);
      }
      throw new UncheckedIOException(
          new IOException("cannot open the SQLite database " + file + ": " + e.getMessage(), e));
    }
  }

  /** What went wrong with a file, in words: the exceptions' own messages are often a bare path. */
  private static String why(IOException e) {
    if (e instanceof FileAlreadyExistsException) {
      return ((FileSystemException) e).getFile() + " exists and is not a directory";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied on " + ((FileSystemException) e).getFile();
    }
    return e.getMessage() != null ? e.getMessage() : e.toString();
  }

  private static Connection connect(Path file) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
    config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
    return config.createConnection("jdbc:sqlite:" + file);
  }

  /** The at-rest key: 64 hex digits of HKDF-SHA-256("hubert-server-storage-v1", salt = ARID). */
  static String storageKey(Arid arid) {
    return HexFormat.of().formatHex(AridDerivation.deriveKey(STORAGE_KEY_CONSTANT, arid, 32));
  }

  /** The {@code expires_at} value: Unix seconds, rounded up; TTL 0 is already expired. */
  static long expiresAtSeconds(long nowMillis, long ttlSeconds) {
    if (ttlSeconds == 0) {
      return Math.floorDiv(nowMillis, 1000);
    }
    long ttlMillis = Math.min(ttlSeconds, Long.MAX_VALUE / 4000) * 1000;
    return Math.floorDiv(nowMillis + ttlMillis + 999, 1000);
  }

  /** An entry is expired once {@code expires_at <= floor(now / 1s)}. */
  private long nowSeconds() {
    return Math.floorDiv(wallClockMillis.getAsLong(), 1000);
  }

  /**
   * Group commit: the put joins a queue; the commit thread commits everything queued in one
   * transaction (one fsync), so concurrent puts share the cost of durability. The future
   * completes, on the commit thread, only after the transaction holding the put committed.
   */
  @Override
  public CompletableFuture<Boolean> putIfAbsentAsync(Arid arid, String envelopeUr, long ttlSeconds) {
    long now = wallClockMillis.getAsLong();
    PendingPut p =
        new PendingPut(
            storageKey(arid),
            envelopeUr,
            expiresAtSeconds(now, ttlSeconds),
            Math.floorDiv(now, 1000));
    pending.add(p);
    if (closed) {
      failPending(); // the commit thread may have ended before p was queued
    } else {
      LockSupport.unpark(committer);
    }
    return p.result;
  }

  /** Waits for {@link #putIfAbsentAsync}. */
  @Override
  public boolean putIfAbsent(Arid arid, String envelopeUr, long ttlSeconds) {
    try {
      return putIfAbsentAsync(arid, envelopeUr, ttlSeconds).join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof StoreException) {
        throw (StoreException) e.getCause();
      }
      throw e;
    }
  }

  /** The commit thread: commits what is queued, parks while nothing is; ends once closed. */
  private void commitLoop() {
    while (true) {
      if (pending.isEmpty()) {
        if (closed) {
          failPending();
          return;
        }
        LockSupport.park(this);
        continue;
      }
      writeLock.lock();
      try {
        commitBatch();
      } finally {
        writeLock.unlock();
      }
    }
  }

  private void failPending() {
    for (PendingPut q; (q = pending.poll()) != null; ) {
      q.result.completeExceptionally(new StoreException("SQLite storage is closed", true, null));
    }
  }

  /**
   * Commits up to {@link #MAX_BATCH} queued puts in one transaction and completes their futures.
   * Holds the write lock.
   */
  private void commitBatch() {
    List<PendingPut> batch = new ArrayList<>();
    for (PendingPut q; batch.size() < MAX_BATCH && (q = pending.poll()) != null; ) {
      batch.add(q);
    }
    if (batch.isEmpty()) {
      return;
    }
    StoreException failure = null;
    boolean[] inserted = new boolean[batch.size()];
    try {
      if (closed) {
        failure = new StoreException("SQLite storage is closed", true, null);
      } else if (batch.size() == 1) {
        // alone: the statement is its own transaction (autocommit), as durable and one round less
        try {
          inserted[0] = insert(batch.get(0));
        } catch (SQLException e) {
          failure = fault("storing", e);
          // after a failed commit SQLite may leave a transaction open, and sqlite-jdbc the
          // statement unusable: roll back and prepare it anew
          try (Statement tx = writer.createStatement()) {
            rollbackQuietly(tx);
            insert.close();
            insert = writer.prepareStatement(INSERT);
          } catch (SQLException ignored) {
            // the next put reports whatever is still wrong
          }
        }
      } else {
        try (Statement tx = writer.createStatement()) {
          tx.execute("BEGIN IMMEDIATE");
          try {
            for (int i = 0; i < batch.size(); i++) {
              inserted[i] = insert(batch.get(i));
            }
            tx.execute("COMMIT");
          } catch (SQLException e) {
            rollbackQuietly(tx);
            throw e;
          }
        } catch (SQLException e) {
          failure = fault("storing", e);
        }
      }
    } catch (RuntimeException e) {
      // whatever went wrong, every put of the batch gets an answer, and no transaction stays open
      failure = new StoreException("SQLite storage error while storing: " + e, false, e);
      try (Statement tx = writer.createStatement()) {
        rollbackQuietly(tx);
      } catch (SQLException | RuntimeException ignored) {
        // the next put reports whatever is still wrong
      }
    }
    for (int i = 0; i < batch.size(); i++) {
      PendingPut q = batch.get(i);
      if (failure == null) {
        q.result.complete(inserted[i]);
      } else {
        q.result.completeExceptionally(failure);
      }
    }
  }

  /** Runs the upsert for {@code q}; true if it stored (no unexpired row was there). */
  private boolean insert(PendingPut q) throws SQLException {
    insert.setString(1, q.key);
    insert.setString(2, q.envelopeUr);
    insert.setLong(3, q.expiresAt);
    insert.setLong(4, q.nowSeconds);
    return insert.executeUpdate() == 1;
  }

  private static void rollbackQuietly(Statement tx) {
    try {
      tx.execute("ROLLBACK");
    } catch (SQLException ignored) {
      // no transaction left to roll back (SQLite already did on some errors)
    }
  }

  /**
   * Runs on the server's I/O threads: in WAL mode a read does not wait for the writer, there is a
   * reader connection per processor (4 to 16) for the server's few I/O threads, and a server's
   * working set (entries live at most the maximum TTL) is in the page cache, so a read is a few
   * microseconds of CPU, cheaper than handing the request to another thread.
   */
  @Override
  public Optional<String> get(Arid arid) {
    String key = storageKey(arid);
    Reader r = borrowReader();
    try {
      r.select.setString(1, key);
      try (ResultSet rs = r.select.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        String envelope = rs.getString(1);
        long expiresAt = rs.getLong(2);
        boolean noExpiry = rs.wasNull();
        if (!noExpiry && expiresAt <= nowSeconds()) {
          return Optional.empty();
        }
        return Optional.of(envelope);
      }
    } catch (SQLException e) {
      throw fault("reading", e);
    } finally {
      readers.add(r);
    }
  }

  @Override
  public int sweep() {
    writeLock.lock();
    try {
      checkOpen();
      try (PreparedStatement st = writer.prepareStatement(DELETE_EXPIRED)) {
        st.setLong(1, nowSeconds());
        return st.executeUpdate();
      }
    } catch (SQLException e) {
      throw fault("pruning", e);
    } finally {
      writeLock.unlock();
    }
  }

  private Reader borrowReader() {
    checkOpen();
    try {
      Reader r = readers.poll(BUSY_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
      if (r == null) {
        throw new StoreException("SQLite storage busy: no reader free", true, null);
      }
      return r;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted while waiting for SQLite", true, e);
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new StoreException("SQLite storage is closed", true, null);
    }
  }

  /** Busy or locked databases are transient (503); everything else is a lasting fault (500). */
  private static StoreException fault(String doing, SQLException e) {
    int primary = e.getErrorCode() & 0xff;
    boolean busy = primary == 5 /* SQLITE_BUSY */ || primary == 6 /* SQLITE_LOCKED */;
    String what = busy ? "SQLite storage busy" : "SQLite storage error";
    return new StoreException(what + " while " + doing + ": " + e.getMessage(), busy, e);
  }

  @Override
  public String description() {
    return "SQLite storage: " + path;
  }

  Path path() {
    return path;
  }

  /** The writer connection's value of {@code PRAGMA <name>} (for tests of the settings). */
  String writerPragma(String name) throws SQLException {
    writeLock.lock();
    try (Statement st = writer.createStatement();
        ResultSet rs = st.executeQuery("PRAGMA " + name)) {
      rs.next();
      return rs.getString(1);
    } finally {
      writeLock.unlock();
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    LockSupport.unpark(committer);
    try {
      // queued puts fail with "closed" rather than wait forever; a commit under way finishes
      committer.join(TimeUnit.SECONDS.toMillis(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    writeLock.lock();
    try {
      failPending();
      closeQuietly(writer);
    } finally {
      writeLock.unlock();
    }
    // wait (briefly) for readers in use to come back, so no connection is closed under a query
    for (int i = 0; i < allReaders.size(); i++) {
      try {
        Reader r = readers.poll(BUSY_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        if (r == null) {
          break;
        }
        closeQuietly(r.connection);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException ignored) {
      // closing: nothing left to do with the error
    }
  }
}
