package io.rstmdb.server.session;

import io.netty.channel.socket.SocketChannel;

/**
 * One step of a connection's pipeline. The server's pipeline is an ordered list of stages
 * (connection limit, TLS, idle timeout, RCP codec, first-request deadline, session), each adding
 * its handlers for a new channel.
 */
@FunctionalInterface
public interface PipelineStage {

  void addTo(SocketChannel channel);
}
