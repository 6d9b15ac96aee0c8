package io.rstmdb.server.watch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.rstmdb.protocol.ProtocolLimits;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A subscriber that stops reading is served from the WAL later; memory stays bounded. */
class BackpressureTest {
  private static final int QUEUE = 8;
  private static final int CHUNK = 5;

  private final FakeDatabase db = new FakeDatabase(FakeDatabase.Notify.DIRECT);
  private final EmbeddedWatch watch = new EmbeddedWatch(db, new WatchSettings(4, QUEUE, CHUNK));

  @AfterEach
  void tearDown() {
    watch.close();
  }

  private static List<Long> offsets(List<ObjectNode> frames) {
    return frames.stream().map(f -> f.get("wal_offset").longValue()).collect(Collectors.toList());
  }

  private List<Long> applyMany(String id, int count) {
    List<Long> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(db.apply(id, "E" + i, "s" + i, null).walOffset());
    }
    return out;
  }

  @Test
  void anEventTooLargeForAFrameEndsTheWatchWithAnErrorNamingItsOffset() throws Exception {
    // Our WAL refuses records whose events could not be framed; a watch must not lose one
    // silently if another adapter stores it.
    db.create("o-1", "order");
    watch.call("WATCH_ALL", null);
    watch.frames();
    ObjectNode huge = JsonNodeFactory.instance.objectNode();
    huge.put("big", "x".repeat(ProtocolLimits.MAX_PAYLOAD));
    long offset = db.apply("o-1", "BIG", "big", huge).walOffset();
    List<ObjectNode> got = watch.frames();
    assertThat(got).hasSize(1);
    assertThat(got.get(0).at("/error/code").asText()).isEqualTo("BAD_REQUEST");
    assertThat(got.get(0).at("/error/message").asText())
        .contains("the event at WAL offset " + offset)
        .contains("over the 16 MiB frame limit; subscription ended");
    assertThat(got.get(0).at("/error/details/wal_offset").asLong()).isEqualTo(offset);
    assertThat(watch.session.subscriptions()).isEmpty();
  }

  @Test
  void queueBelowItsBoundIsDeliveredWhenTheChannelDrains() throws Exception {
    db.create("o-1", "order");
    watch.call("WATCH_ALL", null);
    watch.frames();
    watch.writable(false);
    List<Long> expected = applyMany("o-1", QUEUE);
    assertThat(watch.frames()).isEmpty();

    Subscription sub = watch.session.subscriptions().get(0);
    assertThat(sub.queued()).isEqualTo(QUEUE);
    assertThat(sub.fallbacks()).isZero();

    watch.writable(true);
    assertThat(offsets(watch.frames())).isEqualTo(expected);
  }

  @Test
  void overflowFallsBackToTheWalAndLosesNothing() throws Exception {
    db.create("o-1", "order");
    db.create("o-2", "order");
    watch.call("WATCH_INSTANCE", "{\"instance_id\":\"o-1\"}");
    watch.frames();
    watch.writable(false);

    List<Long> expected = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      expected.add(db.apply("o-1", "E" + i, "s" + i, null).walOffset());
      db.apply("o-2", "X" + i, "x" + i, null); // noise the reader must skip
    }
    Subscription sub = watch.session.subscriptions().get(0);
    assertThat(sub.maxQueued()).isLessThanOrEqualTo(QUEUE);
    assertThat(sub.queued()).isZero(); // dropped: the WAL has them
    assertThat(sub.fallbacks()).isEqualTo(1);
    assertThat(watch.frames()).isEmpty();

    watch.writable(true);
    List<ObjectNode> caughtUp = watch.frames();
    expected.add(db.apply("o-1", "LIVE", "live", null).walOffset());
    List<ObjectNode> live = watch.frames();

    List<ObjectNode> all = new ArrayList<>(caughtUp);
    all.addAll(live);
    assertThat(offsets(all)).isEqualTo(expected);
    assertThat(sub.isLive()).isTrue();
    assertThat(db.readCalls()).isGreaterThan(1); // read in chunks of CHUNK
  }

  @Test
  void catchUpStopsWhenTheChannelFillsAndResumesWhereItStopped() throws Exception {
    db.create("o-1", "order");
    List<Long> expected = applyMany("o-1", 12);
    // The channel turns unwritable after the second frame, in the middle of the first chunk.
    watch
        .channel
        .pipeline()
        .addFirst(
            new ChannelOutboundHandlerAdapter() {
              private int writes;

              @Override
              public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
                ctx.write(msg, promise);
                if (++writes == 2) {
                  ctx.channel().unsafe().outboundBuffer().setUserDefinedWritability(1, false);
                }
              }
            });
    watch.call("WATCH_ALL", "{\"from_offset\":1}");
    List<ObjectNode> firstBurst = watch.frames();
    assertThat(offsets(firstBurst)).containsExactly(1L, 2L);

    watch.writable(true);
    List<ObjectNode> all = new ArrayList<>(firstBurst);
    all.addAll(watch.frames());
    assertThat(offsets(all)).isEqualTo(expected);
  }

  @Test
  void overflowWhileTheInstanceLookupIsInFlightCatchesUpFromTheReturnedState() throws Exception {
    db.create("o-1", "order");
    db.apply("o-1", "OLD", "old", null);
    db.deferLookups(true);
    var response = watch.start("WATCH_INSTANCE", "{\"instance_id\":\"o-1\"}");
    var seen = db.view("o-1");
    List<Long> expected = applyMany("o-1", QUEUE + 3); // more than the queue holds
    db.completeLookup(seen);

    assertThat(response.get().get("current_wal_offset").asLong()).isEqualTo(seen.lastWalOffset());
    Subscription sub = watch.session.subscriptions().get(0);
    assertThat(sub.fallbacks()).isEqualTo(1);
    assertThat(offsets(watch.frames())).isEqualTo(expected);
    assertThat(sub.isLive()).isTrue();
  }

  @Test
  void aPositionRemovedByCompactionEndsTheSubscriptionWithAnErrorEvent() throws Exception {
    db.create("o-1", "order");
    String sub = watch.call("WATCH_ALL", null).get("subscription_id").asText();
    watch.frames();
    watch.writable(false);
    long firstMissed = applyMany("o-1", QUEUE + 1).get(0); // overflow: position = firstMissed
    db.compactBefore(firstMissed + 3);

    watch.writable(true);
    List<ObjectNode> frames = watch.frames();

    assertThat(frames).hasSize(1);
    ObjectNode error = frames.get(0);
    assertThat(error.get("type").asText()).isEqualTo("event");
    assertThat(error.get("subscription_id").asText()).isEqualTo(sub);
    assertThat(error.get("error").get("code").asText()).isEqualTo("BAD_REQUEST");
    assertThat(error.get("error").get("retryable").asBoolean()).isFalse();
    assertThat(error.get("error").get("message").asText()).contains("compaction");
    assertThat(error.get("error").get("details").get("oldest_offset").asLong())
        .isEqualTo(firstMissed + 3);
    assertThat(watch.session.size()).isZero();
    assertThat(watch.hub.activeSubscriptions(WatchKind.ALL)).isZero();

    db.apply("o-1", "AFTER", "after", null);
    assertThat(watch.frames()).isEmpty();
  }

  @Test
  void aWalReadFailureEndsTheSubscriptionWithARetryableErrorEvent() throws Exception {
    db.create("o-1", "order");
    String sub = watch.call("WATCH_ALL", null).get("subscription_id").asText();
    watch.frames();
    watch.writable(false);
    applyMany("o-1", QUEUE + 1); // overflow: the rest must come from the WAL
    db.failReads(true);
    watch.writable(true);

    List<ObjectNode> frames = watch.frames();
    assertThat(frames).hasSize(1);
    assertThat(frames.get(0).get("subscription_id").asText()).isEqualTo(sub);
    assertThat(frames.get(0).get("error").get("code").asText()).isEqualTo("WAL_IO_ERROR");
    assertThat(frames.get(0).get("error").get("retryable").asBoolean()).isTrue();
    assertThat(watch.session.size()).isZero();
  }

  @Test
  void memoryStaysBoundedForAReaderThatNeverDrains() throws Exception {
    db.create("o-1", "order");
    watch.call("WATCH_ALL", null);
    watch.frames();
    watch.writable(false);
    applyMany("o-1", 10_000);
    Subscription sub = watch.session.subscriptions().get(0);
    assertThat(sub.maxQueued()).isLessThanOrEqualTo(QUEUE);
    assertThat(sub.queued()).isZero();

    watch.writable(true);
    List<Long> got = offsets(watch.frames());
    assertThat(got).isEqualTo(LongStream.rangeClosed(1, 10_000).boxed().toList());
  }
}
