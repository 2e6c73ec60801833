package dev.hubert.ipfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import dagger.Component;
import dev.hubert.envelope.Arid;
import jakarta.inject.Singleton;
import org.junit.jupiter.api.Test;

class IpfsModuleTest {
  @Singleton
  @Component(modules = IpfsModule.class)
  interface Stores {
    IpfsKv ipfs();
  }

  @Test
  void providesOneStoreOfTheConfiguredDaemon() throws Exception {
    try (ScriptedDaemon daemon = new ScriptedDaemon()) {
      daemon.error("name/resolve", "could not resolve name");
      IpfsKv.Builder config = IpfsKv.builder().rpcUrl(daemon.uri());
      Stores stores = DaggerIpfsModuleTest_Stores.builder().ipfsModule(new IpfsModule(config)).build();
      config.rpcUrl("http://127.0.0.1:1");   // later changes are not seen
      IpfsKv store = stores.ipfs();
      assertSame(store, stores.ipfs());
      try (store) {
        assertFalse(store.blocking().exists(Arid.random()));
      }
      assertEquals(1, daemon.requests.size(), "the configured RPC URL is the one used");
    }
  }

  @Test
  void defaultModuleTalksToNodeAOnTheDefaultAddress() {
    // node A listens on Kubo's default address inside the test namespace
    try (IpfsKv store = DaggerIpfsModuleTest_Stores.builder().ipfsModule(new IpfsModule()).build().ipfs()) {
      assertEquals(IpfsKv.DEFAULT_RPC_URL.toString(), "http://127.0.0.1:5001");
      TestNodes.a();
      assertFalse(store.blocking().exists(Arid.random()));
    }
  }
}
