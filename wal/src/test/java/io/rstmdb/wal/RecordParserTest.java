package io.rstmdb.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.rstmdb.core.port.WalRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RecordParserTest {
  private final WalFormat format = new WalFormat();
  private final AtomicInteger handedOff = new AtomicInteger();
  private final ExecutorService thread = Executors.newSingleThreadExecutor();
  private final Executor pool =
      task -> {
        handedOff.incrementAndGet();
        thread.execute(task);
      };
  private final RecordParser parser = new RecordParser(format, pool);

  private static RawRecord record(long offset, String json) {
    return new RawRecord(1000 + offset * 100, offset, 0, 0, json.getBytes(StandardCharsets.UTF_8));
  }

  private static List<RawRecord> records(int n) {
    List<RawRecord> raws = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      raws.add(record(i, "{\"type\":\"apply_event\",\"n\":" + i + "}"));
    }
    return raws;
  }

  @Test
  void longRunsAreSplitAndComeBackInOrder() {
    List<RawRecord> raws = records(300);
    List<WalRecord> out = new ArrayList<>(List.of(new WalRecord(-1, null)));
    parser.parseInto(raws, out);
    assertThat(handedOff).hasValue(1);
    assertThat(out).hasSize(301);
    for (int i = 0; i < 300; i++) {
      assertThat(out.get(i + 1).offset()).isEqualTo(i);
      assertThat(out.get(i + 1).entry()).isEqualTo(format.entry(raws.get(i)));
    }
  }

  @AfterEach
  void stop() {
    thread.shutdownNow();
  }

  @Test
  void aPoolThatNeverRunsTheTaskDoesNotBlockTheRead() {
    RecordParser stalled = new RecordParser(format, task -> {});
    List<WalRecord> out = new ArrayList<>();
    stalled.parseInto(records(200), out);
    assertThat(out).extracting(WalRecord::offset).hasSize(200).startsWith(0L).endsWith(199L);
  }

  @Test
  void shortRunsStayOnTheCaller() {
    List<WalRecord> out = new ArrayList<>();
    parser.parseInto(records(RecordParser.SPLIT_AT - 1), out);
    assertThat(handedOff).hasValue(0);
    assertThat(out).hasSize(RecordParser.SPLIT_AT - 1);
  }

  @Test
  void theEarliestBadRecordIsReportedAndNothingIsAdded() {
    List<RawRecord> raws = records(300);
    raws.set(250, record(250, "{\"type\":\"apply_event\""));
    raws.set(40, record(40, "[1]"));
    List<WalRecord> out = new ArrayList<>();
    RecordParser.BadRecord bad =
        catchThrowableOfType(() -> parser.parseInto(raws, out), RecordParser.BadRecord.class);
    assertThat(bad.record().offset()).isEqualTo(40);
    assertThat(bad).hasMessageContaining("not a JSON object");
    assertThat(out).isEmpty();
  }

  @Test
  void aBadRecordInTheSecondHalfIsReportedToo() {
    List<RawRecord> raws = records(300);
    raws.set(299, record(299, "{\"no_type\":1}"));
    RecordParser.BadRecord bad =
        catchThrowableOfType(
            () -> parser.parseInto(raws, new ArrayList<>()), RecordParser.BadRecord.class);
    assertThat(bad.record().position()).isEqualTo(1000 + 299 * 100);
    assertThat(bad).hasMessageContaining("\"type\"");
  }
}
