package io.rstmdb.protocol.frame;

import io.netty.handler.codec.EncoderException;

/** An outbound message is larger than the payload limit; nothing was written for it. */
public final class FrameTooLargeException extends EncoderException {

  private static final long serialVersionUID = 1L;

  private final long size;
  private final int limit;

  public FrameTooLargeException(long size, int limit) {
    super("payload of " + size + " bytes exceeds the limit of " + limit);
    this.size = size;
    this.limit = limit;
  }

  public long size() {
    return size;
  }

  public int limit() {
    return limit;
  }
}
