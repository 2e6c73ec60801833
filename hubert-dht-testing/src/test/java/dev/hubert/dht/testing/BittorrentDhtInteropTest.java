package dev.hubert.dht.testing;

/** Interop with npm bittorrent-dht 11 (webtorrent), an independent JavaScript implementation. */
class BittorrentDhtInteropTest extends InteropTestBase {
  @Override
  InteropPeer.Kind kind() {
    return InteropPeer.Kind.BITTORRENT_DHT;
  }

  @Override
  boolean peerSendsCas() {
    return true;
  }
}
