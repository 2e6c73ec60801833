package dev.hubert.dht.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * A cross-process lock on a block of 20 test addresses (hosts 1–20, 21–40, …), so that test runs
 * of several modules or checkouts on one machine take turns on the testnet addresses instead of
 * failing on a taken port. Held by a JVM until its last testnet of that block closes.
 */
final class AddressBlockLock {
  private static final Duration WAIT = Duration.ofMinutes(15);
  private static final Map<Integer, FileLock> HELD = new HashMap<>();
  private static final Map<Integer, Integer> USERS = new HashMap<>();

  private AddressBlockLock() {}

  static int block(int host) {
    return (host - 1) / 20;
  }

  /** Waits (at most 15 minutes) until this JVM holds the block of {@code host}. */
  static synchronized void acquire(int host) {
    int block = block(host);
    if (!HELD.containsKey(block)) {
      Path file = Path.of(System.getProperty("java.io.tmpdir"), "hubert-dht-testnet-" + block + ".lock");
      long end = System.nanoTime() + WAIT.toNanos();
      try {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        while ((lock = channel.tryLock()) == null) {
          if (System.nanoTime() > end) {
            channel.close();
            throw new IllegalStateException("another test run has held the testnet addresses of block "
                + block + " (" + file + ") for " + WAIT.toMinutes() + " minutes");
          }
          Thread.sleep(200);
        }
        HELD.put(block, lock);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot lock " + file, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the testnet addresses", e);
      }
    }
    USERS.merge(block, 1, Integer::sum);
  }

  static synchronized void release(int host) {
    int block = block(host);
    Integer users = USERS.get(block);
    if (users == null) {
      return;
    }
    if (users > 1) {
      USERS.put(block, users - 1);
      return;
    }
    USERS.remove(block);
    FileLock lock = HELD.remove(block);
    try {
      lock.channel().close();
    } catch (IOException ignored) {
      // released with the channel anyway
    }
  }
}
