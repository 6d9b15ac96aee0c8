package io.rstmdb.server.session;

import io.netty.channel.socket.SocketChannel;

/**
 * One step of a connection's pipeline. The server's pipeline is an ordered list of stages (TLS,
 * idle timeout, RCP codec, connection limit, session), each adding its handlers for a new channel.
 */
@FunctionalInterface
public interface PipelineStage {

  void addTo(SocketChannel channel);
}
