package io.rstmdb.protocol.frame;

import io.netty.handler.codec.CorruptedFrameException;

/**
 * A peer sent bytes that cannot be framed (bad magic, version, flags, oversize length, CRC
 * mismatch, overlong JSONL line). The connection cannot be resynchronised afterwards: the decoder
 * that threw discards everything it receives later, and the server answers once and closes.
 */
public final class FrameException extends CorruptedFrameException {

  private static final long serialVersionUID = 1L;

  public FrameException(String message) {
    super(message);
  }
}
