package io.rstmdb.server.di;

import dagger.BindsInstance;
import dagger.Component;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.ssl.SslContext;
import io.rstmdb.core.api.Database;
import io.rstmdb.server.auth.TokenAuthenticator;
import io.rstmdb.server.config.ServerConfig;
import io.rstmdb.server.session.ConnectionLimiter;
import io.rstmdb.server.session.InFlightRequests;
import io.rstmdb.server.session.RcpChannelInitializer;
import io.rstmdb.server.watch.WatchHub;
import jakarta.inject.Singleton;
import java.util.Optional;
import java.util.concurrent.ExecutorService;

/** The server's object graph; one per running server. */
@Singleton
@Component(
    modules = {
      ConfigModule.class,
      StorageModule.class,
      EngineModule.class,
      SecurityModule.class,
      MetricsModule.class,
      NetworkModule.class
    })
public interface ServerComponent {

  ServerConfig config();

  TokenAuthenticator tokenAuthenticator();

  Optional<SslContext> sslContext();

  Database database();

  WatchHub watchHub();

  PrometheusMeterRegistry meterRegistry();

  ConnectionLimiter connectionLimiter();

  /** The accepted connections still open. */
  ChannelGroup openConnections();

  RcpChannelInitializer channelInitializer();

  InFlightRequests inFlightRequests();

  @Blocking
  ExecutorService blockingExecutor();

  OwnedResources ownedResources();

  /** Builds a graph for one configuration and set of adapters. */
  static ServerComponent create(ServerConfig config, Adapters adapters) {
    return DaggerServerComponent.factory().create(config, adapters);
  }

  @Component.Factory
  interface Factory {
    ServerComponent create(@BindsInstance ServerConfig config, @BindsInstance Adapters adapters);
  }
}
