package io.rstmdb.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rstmdb.core.failpoint.Failpoints;
import io.rstmdb.core.port.SnapshotInfo;
import io.rstmdb.core.port.SnapshotKind;
import io.rstmdb.core.port.SnapshotPort.SnapshotReader;
import io.rstmdb.core.port.SnapshotPort.SnapshotWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A million small items stream through in a few seconds in constant memory. Prints the timings (the
 * numbers quoted in docs/snapshot-format.md come from this test).
 */
class MillionItemsIT {
  private static final int ITEMS = 1_000_000;

  @TempDir Path dir;

  @Test
  void millionTinyItemsRoundTrip() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    // CPU time of this thread is reported too: wall time on a shared machine says little.
    ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
    try (FileSnapshotStore store = FileSnapshotStore.open(dir, Failpoints.NONE)) {
      long t0 = System.nanoTime();
      long c0 = cpu.getCurrentThreadCpuTime();
      SnapshotInfo info;
      try (SnapshotWriter w = store.begin(SnapshotKind.STATE, 1, 2)) {
        for (int i = 0; i < ITEMS; i++) {
          ObjectNode item = f.objectNode();
          item.put("id", "i-" + i);
          item.put("s", "paid");
          w.write(item);
        }
        info = w.commit();
      }
      long t1 = System.nanoTime();
      long c1 = cpu.getCurrentThreadCpuTime();
      long count = 0;
      long sum = 0;
      try (SnapshotReader r = store.open(info.id())) {
        long t2 = System.nanoTime();
        long c2 = cpu.getCurrentThreadCpuTime();
        for (JsonNode n = r.next(); n != null; n = r.next()) {
          sum += n.get("id").asText().length();
          count++;
        }
        long t3 = System.nanoTime();
        long c3 = cpu.getCurrentThreadCpuTime();
        System.out.printf(
            "MillionItemsIT: %d items, %d bytes; wall/cpu ms: write+commit %d/%d,"
                + " open(verify) %d/%d, read %d/%d%n",
            ITEMS,
            info.sizeBytes(),
            Duration.ofNanos(t1 - t0).toMillis(),
            Duration.ofNanos(c1 - c0).toMillis(),
            Duration.ofNanos(t2 - t1).toMillis(),
            Duration.ofNanos(c2 - c1).toMillis(),
            Duration.ofNanos(t3 - t2).toMillis(),
            Duration.ofNanos(c3 - c2).toMillis());
        // Generous bound: the machine is shared; the point is "seconds, not minutes".
        assertThat(Duration.ofNanos(t3 - t0)).isLessThan(Duration.ofSeconds(30));
      }
      assertThat(count).isEqualTo(ITEMS);
      assertThat(info.itemCount()).isEqualTo(ITEMS);
      assertThat(sum).isGreaterThan(ITEMS * 3L);
    }
  }
}
