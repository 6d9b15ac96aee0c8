package io.rstmdb.server.di;

import dagger.Module;
import dagger.Provides;
import io.netty.handler.ssl.SslContext;
import io.rstmdb.server.auth.TokenAuthenticator;
import io.rstmdb.server.auth.TokenHashSources;
import io.rstmdb.server.config.ServerConfig;
import io.rstmdb.server.tls.ServerSslContexts;
import jakarta.inject.Singleton;
import java.util.Optional;

/** Token authentication and the TLS context, both validated when first provided (at startup). */
@Module
public interface SecurityModule {

  @Provides
  @Singleton
  static TokenAuthenticator tokenAuthenticator(ServerConfig config) {
    return TokenHashSources.authenticator(config.auth());
  }

  @Provides
  @Singleton
  static Optional<SslContext> sslContext(ServerConfig config) {
    return ServerSslContexts.build(config.tls());
  }
}
