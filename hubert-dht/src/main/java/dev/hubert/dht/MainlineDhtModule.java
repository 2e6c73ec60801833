package dev.hubert.dht;

import dagger.Module;
import dagger.Provides;
import jakarta.inject.Singleton;

/**
 * Dagger module providing a started {@link MainlineDhtKv} from a {@link MainlineDhtKv.Config}
 * that the component binds (for example with {@code @BindsInstance}). The store is a singleton of
 * the component; whoever owns the component closes it.
 */
@Module
public final class MainlineDhtModule {
  private MainlineDhtModule() {}

  /** Starts the store; see {@link MainlineDhtKv#start(MainlineDhtKv.Config)} for its failures. */
  @Provides
  @Singleton
  static MainlineDhtKv mainlineDhtKv(MainlineDhtKv.Config config) {
    return MainlineDhtKv.start(config);
  }
}
