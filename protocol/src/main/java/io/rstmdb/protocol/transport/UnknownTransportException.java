package io.rstmdb.protocol.transport;

/**
 * {@code -Drstmdb.transport} names no transport. Thrown rather than ignored: the property exists to
 * keep io_uring (or native code) away, and a typo must not quietly bring it back.
 */
public final class UnknownTransportException extends IllegalArgumentException {

  UnknownTransportException(String value) {
    super("-Drstmdb.transport=" + value + " names no transport (io_uring, epoll or nio)");
  }
}
