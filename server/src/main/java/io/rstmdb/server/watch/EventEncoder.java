package io.rstmdb.server.watch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/** Serializes an event frame's JSON into a frame payload (the protocol's {@code MessageCodec}). */
@FunctionalInterface
interface EventEncoder {
  ByteBuf encode(ByteBufAllocator alloc, ObjectNode event);
}
