package io.rstmdb.testkit.reliability;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/** A blocking socket that speaks raw bytes, for hostile input. */
final class RawSocket implements AutoCloseable {
  /** What came back within the wait. */
  enum Answer {
    ANSWERED,
    CLOSED,
    SILENT
  }

  private final Socket socket;
  private final InputStream in;

  RawSocket(int port) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setTcpNoDelay(true);
    in = socket.getInputStream();
  }

  /** A binary frame around {@code payload}; the header fields are as given. */
  static byte[] frame(
      int magic, int version, int flags, int declaredLength, byte[] payload, boolean goodCrc) {
    CRC32C crc = new CRC32C();
    crc.update(payload);
    ByteBuffer b = ByteBuffer.allocate(18 + payload.length);
    b.putInt(magic).putShort((short) version).putShort((short) flags).putShort((short) 0);
    b.putInt(declaredLength).putInt(goodCrc ? (int) crc.getValue() : (int) crc.getValue() ^ 0x5A5A);
    b.put(payload);
    return b.array();
  }

  static byte[] frame(String json) {
    byte[] payload = json.getBytes(StandardCharsets.UTF_8);
    return frame(0x52435058, 1, 1, payload.length, payload, true);
  }

  void send(byte[] bytes) throws IOException {
    socket.getOutputStream().write(bytes);
    socket.getOutputStream().flush();
  }

  /** Tells the server nothing more is coming (half-close). */
  void endInput() throws IOException {
    socket.shutdownOutput();
  }

  /** Waits up to {@code millis} for one response frame (read whole), or for the close. */
  Answer awaitFrame(int millis) throws IOException {
    socket.setSoTimeout(millis);
    try {
      byte[] header = in.readNBytes(18);
      if (header.length < 18) {
        return Answer.CLOSED;
      }
      ByteBuffer h = ByteBuffer.wrap(header);
      int ext = h.getShort(8) & 0xffff;
      int len = h.getInt(10);
      byte[] rest = in.readNBytes(ext + len);
      return rest.length < ext + len ? Answer.CLOSED : Answer.ANSWERED;
    } catch (SocketTimeoutException e) {
      return Answer.SILENT;
    } catch (SocketException e) {
      return Answer.CLOSED;
    }
  }

  /** Waits up to {@code millis} for any byte or the close. */
  Answer awaitAnything(int millis) throws IOException {
    socket.setSoTimeout(millis);
    try {
      int b = in.read();
      return b < 0 ? Answer.CLOSED : Answer.ANSWERED;
    } catch (SocketTimeoutException e) {
      return Answer.SILENT;
    } catch (SocketException e) {
      return Answer.CLOSED;
    }
  }

  /**
   * True if the server closes the connection within {@code millis} (data before EOF is drained).
   */
  boolean closedWithin(int millis) throws IOException {
    long deadline = System.currentTimeMillis() + millis;
    try {
      while (System.currentTimeMillis() < deadline) {
        socket.setSoTimeout((int) Math.max(1, deadline - System.currentTimeMillis()));
        if (in.read(new byte[8192]) < 0) {
          return true;
        }
      }
      return false;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (SocketException e) {
      return true;
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
