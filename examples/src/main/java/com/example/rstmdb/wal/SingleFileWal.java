package com.example.rstmdb.wal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rstmdb.core.error.ErrorCode;
import io.rstmdb.core.error.RstmdbException;
import io.rstmdb.core.port.WalEntry;
import io.rstmdb.core.port.WalPort;
import io.rstmdb.core.port.WalRecord;
import io.rstmdb.core.port.WalStats;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A deliberately small {@link WalPort}: one file of JSON lines, one fsync per append, everything
 * also kept in memory. Not fast, but correct — it passes the testkit's {@code WalPortContract}.
 *
 * <p>Each line is {@code {"o":offset,"n":entriesLeftInGroup,"t":type,"e":body}}. The entries of one
 * append form a group whose last line has {@code n == 0}; at open, a torn last line or an
 * unfinished group at the end is cut off (it was never acknowledged), while a damaged line anywhere
 * else refuses to open.
 */
public final class SingleFileWal implements WalPort {
  private final ObjectMapper json = new ObjectMapper();
  private final Path file;
  private final FileChannel channel;
  private final List<WalRecord> records = new ArrayList<>();
  private long bytesWritten;
  private long writes;
  private long fsyncs;
  private long reads;
  private long bytesRead;
  private RstmdbException failure;
  private boolean closed;

  private SingleFileWal(Path file, FileChannel channel) {
    this.file = file;
    this.channel = channel;
  }

  /** Opens (or creates) the log in {@code file}, recovering what a crash left. */
  public static SingleFileWal open(Path file) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      FileChannel channel =
          FileChannel.open(
              file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      SingleFileWal wal = new SingleFileWal(file, channel);
      wal.recover();
      return wal;
    } catch (IOException e) {
      throw new RstmdbException(ErrorCode.WAL_IO_ERROR, "cannot open " + file + ": " + e, e);
    }
  }

  private void recover() throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    List<WalRecord> group = new ArrayList<>();
    long groupStart = 0;
    int lineStart = 0;
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] != '\n') {
        continue;
      }
      String line = new String(bytes, lineStart, i - lineStart, StandardCharsets.UTF_8);
      JsonNode node;
      try {
        node = json.readTree(line);
      } catch (IOException e) {
        throw corrupt(lineStart, "unreadable line");
      }
      long expected = records.size() + group.size();
      if (node == null || node.path("o").asLong(-1) != expected) {
        throw corrupt(lineStart, "expected offset " + expected);
      }
      group.add(
          new WalRecord(expected, new WalEntry(node.path("t").asText(), (ObjectNode) node.get("e"))));
      if (node.path("n").asInt(-1) == 0) {
        records.addAll(group);
        group.clear();
        groupStart = i + 1;
      }
      lineStart = i + 1;
    }
    // Whatever follows the last complete group was never acknowledged: cut it off.
    if (groupStart < bytes.length) {
      channel.truncate(groupStart);
      channel.force(true);
    }
    channel.position(groupStart);
  }

  private RstmdbException corrupt(long position, String why) {
    return new RstmdbException(
        ErrorCode.WAL_IO_ERROR, file + " is damaged at byte " + position + ": " + why);
  }

  @Override
  public synchronized Append append(List<WalEntry> entries) {
    if (entries.isEmpty()) {
      throw new IllegalArgumentException("append needs at least one entry");
    }
    long first = records.size();
    if (closed || failure != null) {
      RstmdbException error =
          failure != null ? failure : new RstmdbException(ErrorCode.WAL_IO_ERROR, "WAL is closed");
      return new Append(first, CompletableFuture.failedFuture(error));
    }
    try {
      StringBuilder lines = new StringBuilder();
      for (int i = 0; i < entries.size(); i++) {
        ObjectNode line = json.createObjectNode();
        line.put("o", first + i);
        line.put("n", entries.size() - 1 - i);
        line.put("t", entries.get(i).type());
        line.set("e", entries.get(i).body());
        lines.append(json.writeValueAsString(line)).append('\n');
      }
      ByteBuffer buffer = ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.UTF_8));
      bytesWritten += buffer.remaining();
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      writes++;
      channel.force(false);
      fsyncs++;
    } catch (IOException e) {
      failure = new RstmdbException(ErrorCode.WAL_IO_ERROR, "write to " + file + " failed: " + e, e);
      return new Append(first, CompletableFuture.failedFuture(failure));
    }
    for (int i = 0; i < entries.size(); i++) {
      records.add(new WalRecord(first + i, entries.get(i)));
    }
    return new Append(first, CompletableFuture.completedFuture(null));
  }

  @Override
  public synchronized List<WalRecord> read(long fromOffset, int limit) {
    reads++;
    int from = (int) Math.max(0, Math.min(fromOffset, records.size()));
    int to = (int) Math.min(records.size(), (long) from + limit);
    List<WalRecord> out = List.copyOf(records.subList(from, to));
    bytesRead += out.size();
    return out;
  }

  @Override
  public synchronized long oldestOffset() {
    return 0;
  }

  @Override
  public synchronized long nextOffset() {
    return records.size();
  }

  @Override
  public synchronized long durableOffset() {
    return records.size();
  }

  @Override
  public synchronized WalStats stats() {
    long size;
    try {
      size = channel.size();
    } catch (IOException e) {
      size = 0;
    }
    return new WalStats(
        records.size(),
        1,
        size,
        records.size() - 1L,
        new WalStats.IoStats(bytesWritten, bytesRead, writes, reads, fsyncs));
  }

  /** One file is one storage unit, and it always holds the newest record: nothing can go. */
  @Override
  public Reclaimed deleteBefore(long offset) {
    return Reclaimed.NONE;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      channel.force(true);
    } catch (IOException e) {
      // Every acknowledged append was already forced.
    } finally {
      try {
        channel.close();
      } catch (IOException e) {
        // Nothing more to release.
      }
    }
  }
}
