package io.rstmdb.server.session;

import io.netty.channel.Channel;
import java.util.Objects;

/** A connection's peer as log lines name it. */
final class PeerAddress {
  private PeerAddress() {}

  /** The remote address; a peer that reset before the server saw its address has none. */
  static Object of(Channel channel) {
    return Objects.requireNonNullElse(channel.remoteAddress(), "a peer already gone");
  }
}
