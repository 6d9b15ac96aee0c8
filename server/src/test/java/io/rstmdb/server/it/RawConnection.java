package io.rstmdb.server.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.rstmdb.protocol.ProtocolLimits;
import io.rstmdb.protocol.frame.FrameEncoder;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** A plain blocking socket speaking bytes, for golden frames and deliberately bad input. */
public final class RawConnection implements AutoCloseable {

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;

  public RawConnection(int port) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(10_000);
    in = new DataInputStream(socket.getInputStream());
    out = socket.getOutputStream();
  }

  static byte[] frame(String json) {
    ByteBuf buf = Unpooled.buffer();
    FrameEncoder.writeFrame(
        Unpooled.wrappedBuffer(json.getBytes(StandardCharsets.UTF_8)),
        buf,
        ProtocolLimits.MAX_PAYLOAD);
    byte[] bytes = new byte[buf.readableBytes()];
    buf.readBytes(bytes);
    return bytes;
  }

  void send(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  public void sendJson(String json) throws IOException {
    send(frame(json));
  }

  /** Reads exactly one frame; returns header + payload bytes. */
  byte[] readFrameBytes() throws IOException {
    byte[] header = new byte[18];
    in.readFully(header);
    int ext = ((header[8] & 0xff) << 8) | (header[9] & 0xff);
    int len =
        ((header[10] & 0xff) << 24)
            | ((header[11] & 0xff) << 16)
            | ((header[12] & 0xff) << 8)
            | (header[13] & 0xff);
    byte[] rest = new byte[ext + len];
    in.readFully(rest);
    byte[] all = new byte[18 + rest.length];
    System.arraycopy(header, 0, all, 0, 18);
    System.arraycopy(rest, 0, all, 18, rest.length);
    return all;
  }

  public JsonNode readFrame() throws IOException {
    byte[] all = readFrameBytes();
    return ServerFixture.json(new String(all, 18, all.length - 18, StandardCharsets.UTF_8));
  }

  /** True when the server closed the connection (EOF) within the socket timeout. */
  public boolean closedByServer() throws IOException {
    try {
      return in.read() == -1;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (EOFException | java.net.SocketException e) {
      return true;
    }
  }

  /** Half-closes: sends FIN, keeps reading. */
  public void shutdownOutput() throws IOException {
    socket.shutdownOutput();
  }

  public void timeout(int millis) throws IOException {
    socket.setSoTimeout(millis);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
