package dev.hubert.dht.testing;

/** Interop with libtorrent 2.0 (Debian python3-libtorrent), an independent C++ implementation. */
class LibtorrentInteropTest extends InteropTestBase {
  @Override
  InteropPeer.Kind kind() {
    return InteropPeer.Kind.LIBTORRENT;
  }

  @Override
  boolean peerSendsCas() {
    return false;
  }
}
