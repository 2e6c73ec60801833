package dev.hubert.server;

import dagger.Module;
import dagger.Provides;
import dev.hubert.api.KvStore;

/**
 * Dagger bindings for the Hubert server backend: provides {@link KvStore} as a {@link ServerKv}
 * for the {@link ServerKv.Config} the component is given (for example with
 * {@code @BindsInstance}). Unscoped: each injection gets a new client.
 */
@Module
public final class ServerKvModule {
  private ServerKvModule() {}

  @Provides
  static KvStore kvStore(ServerKv.Config config) {
    return ServerKv.create(config);
  }
}
