package io.rstmdb.core.archfixture;

import io.netty.buffer.Unpooled;

/** Violates rules 1 and 5 on purpose: a core class that reaches for Netty. */
public class CoreUsesNetty {
  public int size() {
    return Unpooled.buffer(4).capacity();
  }
}
