package io.rstmdb.wal;

import static org.assertj.core.api.Assertions.assertThat;

import io.rstmdb.core.port.WalRecord;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Kills a writing process with SIGKILL, several times over the same directory, and checks after
 * each kill that every append the process reported as acknowledged is there, whole, with its
 * entries, and that the log is dense and keeps accepting appends.
 */
class ProcessCrashIT {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"every_write", "every_ms:5"})
  @Timeout(120)
  void acknowledgedAppendsSurviveKillMinusNine(String policy) throws Exception {
    List<long[]> acknowledged = new ArrayList<>();
    for (int round = 0; round < 2; round++) {
      acknowledged.addAll(runAndKill(policy, 150 + 100 * round));
      try (SegmentedWal wal =
          SegmentedWal.open(dir, WalOptions.defaults().withSegmentSizeBytes(4096))) {
        List<WalRecord> all = new ArrayList<>();
        for (List<WalRecord> page = wal.read(0, 1000);
            !page.isEmpty();
            page = wal.read(page.get(page.size() - 1).offset() + 1, 1000)) {
          all.addAll(page);
        }
        for (int i = 0; i < all.size(); i++) {
          assertThat(all.get(i).offset()).isEqualTo(i);
          assertThat(TestEntries.numberOf(all.get(i))).isEqualTo(i);
        }
        for (long[] ack : acknowledged) {
          assertThat(ack[0] + ack[1])
              .as("acknowledged append at %d", ack[0])
              .isLessThanOrEqualTo(all.size());
        }
        assertThat(wal.nextOffset()).isEqualTo(all.size());
      }
    }
  }

  private List<long[]> runAndKill(String policy, int acksBeforeKill) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                "-Dlogback.configurationFile=logback-test.xml",
                CrashWriter.class.getName(),
                dir.toString(),
                policy)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    List<long[]> acks = new ArrayList<>();
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.startsWith("ACK ")) {
          String[] parts = line.split(" ");
          acks.add(new long[] {Long.parseLong(parts[1]), Long.parseLong(parts[2])});
          if (acks.size() == acksBeforeKill) {
            p.destroyForcibly(); // SIGKILL: no shutdown hooks, no close, appends in flight
            break;
          }
        }
      }
    } finally {
      p.destroyForcibly();
      p.waitFor(30, TimeUnit.SECONDS);
    }
    assertThat(acks).as("the writer made progress").hasSize(acksBeforeKill);
    return acks;
  }
}
