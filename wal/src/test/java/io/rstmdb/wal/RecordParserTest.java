package io.rstmdb.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.rstmdb.core.port.WalRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RecordParserTest {
  private static final int APPLY_EVENT = 3;

  private final WalFormat format = new WalFormat();
  private final AtomicInteger handedOff = new AtomicInteger();
  private final ExecutorService thread = Executors.newSingleThreadExecutor();
  private final Executor pool =
      task -> {
        handedOff.incrementAndGet();
        thread.execute(task);
      };
  private final RecordParser parser = new RecordParser(format, pool);
  private final Function<RecordParser.BadRecord, RuntimeException> damaged =
      bad -> new IllegalStateException("damaged at " + bad.record().position(), bad);

  private static RawRecord record(long offset, int typeCode, String json) {
    return new RawRecord(
        1000 + offset * 100, offset, typeCode, 0, json.getBytes(StandardCharsets.UTF_8));
  }

  private static RawRecord record(long offset, String json) {
    return record(offset, 0, json);
  }

  private static List<RawRecord> records(int n) {
    List<RawRecord> raws = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      raws.add(record(i, "{\"type\":\"apply_event\",\"n\":" + i + "}"));
    }
    return raws;
  }

  private List<WalRecord> lazily(List<RawRecord> raws) {
    List<WalRecord> out = new ArrayList<>();
    parser.addLazily(raws, damaged, out);
    return out;
  }

  @AfterEach
  void stop() {
    thread.shutdownNow();
  }

  @Test
  void recordsComeBackInOrderAndAreParsedInTwoHalvesWhenTheFirstEntryIsAskedFor() {
    List<RawRecord> raws = records(300);
    List<WalRecord> out = new ArrayList<>(List.of(new WalRecord(-1, null)));
    parser.addLazily(raws, damaged, out);
    assertThat(out).hasSize(301);
    assertThat(handedOff).hasValue(0);

    assertThat(out.get(150).entry()).isEqualTo(format.entry(raws.get(149)));
    assertThat(handedOff).hasValue(1);
    for (int i = 0; i < 300; i++) {
      assertThat(out.get(i + 1).offset()).isEqualTo(i);
      assertThat(out.get(i + 1).entry()).isEqualTo(format.entry(raws.get(i)));
    }
    assertThat(handedOff).as("parsed once for the whole read").hasValue(1);
    assertThat(out.get(7).entry()).isSameAs(out.get(7).entry());
  }

  @Test
  void storedBytesNeedNoParsing() {
    RawRecord typed = record(0, APPLY_EVENT, "{\"n\":0}");
    RawRecord garbage = record(1, APPLY_EVENT, "not json at all");
    RawRecord untyped = record(2, "{\"type\":\"custom\"}");
    List<WalRecord> out = lazily(List.of(typed, garbage, untyped));

    assertThat(out.get(0).storedBody()).isSameAs(typed.payload());
    assertThat(out.get(1).storedBody()).isSameAs(garbage.payload());
    assertThat(out.get(2).storedBody())
        .as("type code 0: only parsing checks the body's \"type\" field")
        .isNull();
    assertThat(out.get(0).entry().type()).isEqualTo("apply_event");
    assertThat(out.get(2).entry().type()).isEqualTo("custom");
    assertThatThrownBy(() -> out.get(1).entry())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("damaged at " + garbage.position());
  }

  @Test
  void aPoolThatNeverRunsTheTaskDoesNotBlockTheRead() {
    RecordParser stalled = new RecordParser(format, task -> {});
    List<WalRecord> out = new ArrayList<>();
    stalled.addLazily(records(200), damaged, out);
    assertThat(out).extracting(WalRecord::offset).hasSize(200).startsWith(0L).endsWith(199L);
    assertThat(out.get(199).entry().body().get("n").asInt()).isEqualTo(199);
  }

  @Test
  void shortRunsStayOnTheCaller() {
    List<WalRecord> out = lazily(records(RecordParser.SPLIT_AT - 1));
    assertThat(out.get(0).entry().type()).isEqualTo("apply_event");
    assertThat(handedOff).hasValue(0);
    assertThat(out).hasSize(RecordParser.SPLIT_AT - 1);
  }

  @Test
  void eachBadRecordFailsOnlyItsOwnEntry() {
    List<RawRecord> raws = records(300);
    raws.set(250, record(250, "{\"type\":\"apply_event\""));
    raws.set(40, record(40, "[1]"));
    List<WalRecord> out = lazily(raws);

    assertThat(out.get(39).entry().body().get("n").asInt()).isEqualTo(39);
    Throwable first = catchThrowableOfType(() -> out.get(40).entry(), IllegalStateException.class);
    assertThat(first).hasMessage("damaged at " + raws.get(40).position());
    assertThat(first.getCause()).hasMessageContaining("not a JSON object");
    assertThatThrownBy(() -> out.get(250).entry())
        .hasMessage("damaged at " + raws.get(250).position());
    assertThat(out.get(299).entry().body().get("n").asInt()).isEqualTo(299);
  }

  @Test
  void checkReportsTheEarliestBadRecord() {
    List<RawRecord> raws = records(300);
    raws.set(250, record(250, "{\"type\":\"apply_event\""));
    raws.set(40, record(40, "[1]"));
    RecordParser.BadRecord bad =
        catchThrowableOfType(() -> parser.check(raws), RecordParser.BadRecord.class);
    assertThat(bad.record().offset()).isEqualTo(40);
    assertThat(bad).hasMessageContaining("not a JSON object");
  }

  @Test
  void checkReportsABadRecordInTheSecondHalfToo() {
    List<RawRecord> raws = records(300);
    raws.set(299, record(299, "{\"no_type\":1}"));
    RecordParser.BadRecord bad =
        catchThrowableOfType(() -> parser.check(raws), RecordParser.BadRecord.class);
    assertThat(bad.record().position()).isEqualTo(1000 + 299 * 100);
    assertThat(bad).hasMessageContaining("\"type\"");
  }

  @Test
  void checkAcceptsGoodRecords() {
    assertThatCode(() -> parser.check(records(300))).doesNotThrowAnyException();
    assertThatCode(() -> parser.check(List.of())).doesNotThrowAnyException();
  }
}
