package io.rstmdb.testkit.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.rstmdb.protocol.client.RcpClient;
import io.rstmdb.testkit.fault.FileDamage;
import io.rstmdb.wal.FileIo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 4: damaged WAL segments and snapshot files (truncated, a page zeroed, a byte flipped,
 * deleted). A torn tail of the last segment is repaired; any other damage must either be refused at
 * startup with the file named, or be harmless (the state is exactly what it was). Starting with a
 * different state is a detection failure.
 */
class CorruptionIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  @TempDir Path root;

  private record Original(String hash, List<String> wal) {}

  private enum Verdict {
    REFUSED_NAMING_FILE,
    REFUSED_VAGUELY,
    INTACT,
    TAIL_REPAIRED,
    UNDETECTED
  }

  @Test
  void damageIsRepairedAtTheTailAndRefusedElsewhere() throws IOException {
    Path base = root.resolve("base");
    Original original = buildBase(base);
    List<Path> segments = files(base.resolve("wal"));
    List<Path> snapshotFiles = files(base.resolve("snapshots"));
    assertThat(segments).as("segments").hasSizeGreaterThan(2);
    assertThat(snapshotFiles).as("snapshot files").isNotEmpty();
    Path last = segments.get(segments.size() - 1);

    List<String> lines = new ArrayList<>();
    int[] counts = new int[Verdict.values().length];
    for (Path seg : segments) {
      boolean isLast = seg.equals(last);
      String name = "wal/" + seg.getFileName();
      if (isLast) {
        counts[
            run(
                    base,
                    original,
                    name,
                    "tear tail 7 bytes",
                    true,
                    p -> FileDamage.tearTail(p, 7),
                    lines)
                .ordinal()]++;
      }
      counts[
          run(base, original, name, "flip middle byte", false, FileDamage::flipMiddleByte, lines)
              .ordinal()]++;
      counts[
          run(base, original, name, "zero a 4 KiB page", false, CorruptionIT::zeroPage, lines)
              .ordinal()]++;
      counts[
          run(
                  base,
                  original,
                  name,
                  "flip header byte",
                  false,
                  p -> FileDamage.flipByte(p, 2),
                  lines)
              .ordinal()]++;
      if (!isLast) {
        counts[
            run(base, original, name, "truncate to half", false, CorruptionIT::half, lines)
                .ordinal()]++;
        counts[run(base, original, name, "delete", false, FileDamage::delete, lines).ordinal()]++;
      }
    }
    for (Path snap : snapshotFiles) {
      String name = "snapshots/" + snap.getFileName();
      counts[
          run(base, original, name, "flip middle byte", false, FileDamage::flipMiddleByte, lines)
              .ordinal()]++;
      counts[
          run(base, original, name, "zero a 4 KiB page", false, CorruptionIT::zeroPage, lines)
              .ordinal()]++;
      counts[
          run(base, original, name, "truncate to half", false, CorruptionIT::half, lines)
              .ordinal()]++;
      counts[run(base, original, name, "delete", false, FileDamage::delete, lines).ordinal()]++;
    }
    lines.forEach(l -> System.out.println("  corruption case: " + l));
    int cases = lines.size();
    int undetected = counts[Verdict.UNDETECTED.ordinal()];
    Figures.report(
        "corruption",
        String.format(
            "cases=%d, detected=%.0f%% (refused naming the file or gap %d, refused vaguely %d,"
                + " harmless %d, torn tail repaired %d, undetected %d)",
            cases,
            100.0 * (cases - undetected) / cases,
            counts[Verdict.REFUSED_NAMING_FILE.ordinal()],
            counts[Verdict.REFUSED_VAGUELY.ordinal()],
            counts[Verdict.INTACT.ordinal()],
            counts[Verdict.TAIL_REPAIRED.ordinal()],
            undetected));
    assertThat(lines).as("undetected damage").noneMatch(l -> l.contains(Verdict.UNDETECTED.name()));
  }

  /** Writes history over several 1 MiB segments, with a compaction (snapshots) in the middle. */
  private Original buildBase(Path base) {
    History history = new History();
    InProcessServer server =
        InProcessServer.start(
            base, FileIo.system(), c -> c.withStorage(c.storage().withWalSegmentSizeMb(1)));
    try (RcpClient c = server.client(TIMEOUT)) {
      Reply.call(c, "PUT_MACHINE", Writer.machineParams(), TIMEOUT).orFail("PUT_MACHINE");
      Writer writer = new Writer(new Lane("c", 42), c, history, () -> true, TIMEOUT, 30_000);
      for (int i = 0; i < 40; i++) {
        writer.step();
      }
      Reply.call(
              c,
              "COMPACT",
              JsonNodeFactory.instance.objectNode().put("force_snapshot", true),
              TIMEOUT)
          .orFail("COMPACT");
      for (int i = 0; i < 70; i++) {
        writer.step();
      }
      new Checker(TIMEOUT, 1).check(c, history);
      return new Original(StateHash.of(c, TIMEOUT), walOf(c));
    } finally {
      server.close();
    }
  }

  private Verdict run(
      Path base,
      Original original,
      String file,
      String damage,
      boolean tailDamage,
      Consumer<Path> harm,
      List<String> lines) {
    Path dir = root.resolve("case-" + lines.size());
    copy(base, dir);
    harm.accept(dir.resolve(file));
    Verdict verdict;
    String detail;
    InProcessServer server;
    try {
      server =
          InProcessServer.start(
              dir, FileIo.system(), c -> c.withStorage(c.storage().withWalSegmentSizeMb(1)));
    } catch (RuntimeException e) {
      String message = String.valueOf(e.getMessage());
      String fileName = Path.of(file).getFileName().toString();
      // A deleted file cannot be named by what is left; the gap it leaves must be.
      boolean named =
          message.contains(fileName)
              || (damage.equals("delete") && message.matches("(?s).*(missing|gap|starts at).*"));
      verdict = named ? Verdict.REFUSED_NAMING_FILE : Verdict.REFUSED_VAGUELY;
      lines.add(file + " / " + damage + " -> " + verdict + ": " + message);
      return verdict;
    }
    try (RcpClient c = server.client(TIMEOUT)) {
      List<String> wal = walOf(c);
      String hash = StateHash.of(c, TIMEOUT);
      if (hash.equals(original.hash()) && wal.equals(original.wal())) {
        verdict = Verdict.INTACT;
        detail = "state and WAL unchanged";
      } else if (tailDamage
          && wal.size() < original.wal().size()
          && original.wal().subList(0, wal.size()).equals(wal)) {
        verdict = Verdict.TAIL_REPAIRED;
        detail = "kept " + wal.size() + " of " + original.wal().size() + " records";
      } else {
        verdict = Verdict.UNDETECTED;
        detail =
            "started with a different state: WAL records "
                + wal.size()
                + " (was "
                + original.wal().size()
                + "), hash "
                + (hash.equals(original.hash()) ? "same" : "different");
      }
    } finally {
      server.close();
    }
    lines.add(file + " / " + damage + " -> " + verdict + ": " + detail);
    return verdict;
  }

  private static List<String> walOf(RcpClient c) {
    return WalScan.read(c, 0, TIMEOUT).stream().map(e -> e.offset() + " " + e.entry()).toList();
  }

  private static void zeroPage(Path file) {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      long size = ch.size();
      long at = Math.max(0, size / 2 - 2048);
      ch.write(ByteBuffer.allocate((int) Math.min(4096, size - at)), at);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void half(Path file) {
    try {
      FileDamage.truncate(file, Files.size(file) / 2);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<Path> files(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(Files::isRegularFile).sorted().toList();
    }
  }

  private static void copy(Path from, Path to) {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : walk.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
