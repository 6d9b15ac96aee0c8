package io.rstmdb.server.session;

import io.netty.channel.Channel;
import io.rstmdb.protocol.message.MessageCodec;
import io.rstmdb.server.auth.TokenAuthenticator;
import io.rstmdb.server.dispatch.Dispatcher;
import io.rstmdb.server.dispatch.ResultJson;
import io.rstmdb.server.dispatch.ServerIdentity;
import io.rstmdb.server.error.WireErrors;
import io.rstmdb.server.metrics.ServerMetrics;
import java.util.function.Function;

/**
 * What every session shares: codec, dispatcher, authenticator, error mapping, metrics, identity and
 * the factory for a connection's {@link WatchRouter}.
 */
public record SessionServices(
    MessageCodec codec,
    Dispatcher dispatcher,
    TokenAuthenticator auth,
    WireErrors errors,
    ResultJson json,
    ServerMetrics metrics,
    ServerIdentity identity,
    Function<Channel, WatchRouter> watches,
    InFlightRequests inFlight) {}
