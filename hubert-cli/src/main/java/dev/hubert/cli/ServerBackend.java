package dev.hubert.cli;

import dagger.BindsInstance;
import dagger.Subcomponent;
import dev.hubert.api.KvStore;
import dev.hubert.server.ServerKv;
import dev.hubert.server.ServerKvModule;

/**
 * The server backend: hubert-server's own {@link ServerKvModule}, in a subcomponent of {@link
 * HubertComponent} so that its {@code KvStore} binding stays apart from the other backends'.
 */
@Subcomponent(modules = ServerKvModule.class)
interface ServerBackend {
  KvStore store();

  @Subcomponent.Factory
  interface Factory {
    ServerBackend create(@BindsInstance ServerKv.Config config);
  }
}
