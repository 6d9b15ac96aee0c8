package io.rstmdb.server.session;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import java.util.List;

/** Builds each accepted connection's pipeline from the ordered stages. */
public final class RcpChannelInitializer extends ChannelInitializer<SocketChannel> {

  private final List<PipelineStage> stages;

  public RcpChannelInitializer(List<PipelineStage> stages) {
    this.stages = List.copyOf(stages);
  }

  @Override
  protected void initChannel(SocketChannel channel) {
    for (PipelineStage stage : stages) {
      stage.addTo(channel);
      if (ConnectionLimiter.refused(channel)) {
        return; // over network.max_connections: no TLS, no session
      }
    }
  }
}
