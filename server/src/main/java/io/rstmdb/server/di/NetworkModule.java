package io.rstmdb.server.di;

import dagger.Module;
import dagger.Provides;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.rstmdb.protocol.WireMode;
import io.rstmdb.protocol.frame.WireCodecs;
import io.rstmdb.protocol.message.MessageCodec;
import io.rstmdb.server.auth.TokenAuthenticator;
import io.rstmdb.server.config.ServerConfig;
import io.rstmdb.server.dispatch.Dispatcher;
import io.rstmdb.server.dispatch.ResultJson;
import io.rstmdb.server.dispatch.ServerIdentity;
import io.rstmdb.server.error.WireErrors;
import io.rstmdb.server.metrics.ServerMetrics;
import io.rstmdb.server.session.ConnectionLimiter;
import io.rstmdb.server.session.FirstRequestDeadline;
import io.rstmdb.server.session.InFlightRequests;
import io.rstmdb.server.session.PipelineStage;
import io.rstmdb.server.session.RcpChannelInitializer;
import io.rstmdb.server.session.SessionHandler;
import io.rstmdb.server.session.SessionServices;
import io.rstmdb.server.watch.WatchHub;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The per-connection pipeline as an ordered list of stages: connection limit (at accept, before
 * TLS; a refused connection stops there) → TLS (when configured) → idle timeout → RCP codec →
 * first-request deadline → session. Stateful handlers come from providers, one per channel.
 */
@Module
public interface NetworkModule {

  @Provides
  @Singleton
  static ConnectionLimiter connectionLimiter(
      ServerConfig config, Optional<SslContext> ssl, MessageCodec codec, ServerMetrics metrics) {
    return new ConnectionLimiter(
        config.network().maxConnections(), ssl.isPresent(), codec, metrics);
  }

  /**
   * Every accepted connection until it closes, so that stopping the server closes them itself: an
   * event loop told to shut down while busy running tasks can terminate without closing its
   * channels (Netty 4.2), which left sockets open and their queued frames unreleased.
   */
  @Provides
  @Singleton
  static ChannelGroup openConnections() {
    return new DefaultChannelGroup("rcp-connections", GlobalEventExecutor.INSTANCE);
  }

  @Provides
  @Singleton
  static InFlightRequests inFlightRequests() {
    return new InFlightRequests();
  }

  @Provides
  @Singleton
  static SessionServices sessionServices(
      MessageCodec codec,
      Dispatcher dispatcher,
      TokenAuthenticator auth,
      WireErrors errors,
      ResultJson json,
      ServerMetrics metrics,
      ServerIdentity identity,
      WatchHub watches,
      InFlightRequests inFlight) {
    return new SessionServices(
        codec,
        dispatcher,
        auth,
        errors,
        json,
        metrics,
        identity,
        channel -> new WatchSessionRouter(watches.newSession(channel)),
        inFlight);
  }

  @Provides
  static SessionHandler sessionHandler(SessionServices services) {
    return new SessionHandler(services);
  }

  @Provides
  @Singleton
  static List<PipelineStage> pipeline(
      ServerConfig config,
      Optional<SslContext> ssl,
      ConnectionLimiter limiter,
      ChannelGroup openConnections,
      TokenAuthenticator auth,
      Provider<SessionHandler> sessions) {
    List<PipelineStage> stages = new ArrayList<>();
    stages.add(openConnections::add); // removed again when the channel closes
    // At accept, before TLS: a refused connection gets none of the stages after it.
    stages.add(limiter);
    long handshakeMillis = TimeUnit.SECONDS.toMillis(config.network().handshakeTimeoutSecs());
    ssl.ifPresent(
        context ->
            stages.add(
                ch -> {
                  SslHandler handler = context.newHandler(ch.alloc());
                  handler.setHandshakeTimeoutMillis(handshakeMillis);
                  ch.pipeline().addLast(WireCodecs.TLS, handler);
                }));
    long idle = config.network().idleTimeoutSecs();
    if (idle > 0) {
      stages.add(
          ch -> ch.pipeline().addLast("idle", new IdleStateHandler(0, 0, idle, TimeUnit.SECONDS)));
    }
    stages.add(ch -> WireCodecs.install(ch.pipeline(), WireMode.BINARY_JSON));
    long handshakeSecs = config.network().handshakeTimeoutSecs();
    boolean untilAuthenticated = auth.required(); // then the deadline is for a successful AUTH
    stages.add(
        ch ->
            ch.pipeline()
                .addLast(
                    "first-request", new FirstRequestDeadline(handshakeSecs, untilAuthenticated)));
    stages.add(ch -> ch.pipeline().addLast("session", sessions.get()));
    return List.copyOf(stages);
  }

  @Provides
  @Singleton
  static RcpChannelInitializer channelInitializer(List<PipelineStage> stages) {
    return new RcpChannelInitializer(stages);
  }
}
