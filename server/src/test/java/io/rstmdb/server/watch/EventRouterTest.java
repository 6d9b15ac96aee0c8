package io.rstmdb.server.watch;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

class EventRouterTest {
  private final EventRouter router = new EventRouter();

  private Subscription subscription(EventFilter filter) {
    return new Subscription(
        "s-1",
        WatchKind.ALL,
        filter,
        false,
        0,
        new EmbeddedChannel(),
        (alloc, event) -> null,
        (from, limit) -> null,
        router::notifiesEverythingFrom,
        WatchSettings.withMaxSubscriptions(10),
        new LongAdder(),
        s -> {});
  }

  @Test
  void wantsEventsOnlyWhileSomebodyWatches() {
    assertThat(router.wantsEvents()).isFalse();
    Subscription all = subscription(new EventFilter.All(Set.of(), Set.of(), Set.of(), Set.of()));
    router.add(all);
    assertThat(router.wantsEvents()).isTrue();
    router.remove(all);
    assertThat(router.wantsEvents()).isFalse();
    Subscription one = subscription(new EventFilter.Instance("o-1"));
    router.add(one);
    assertThat(router.wantsEvents()).isTrue();
    router.remove(one);
    assertThat(router.wantsEvents()).isFalse();
  }

  @Test
  void aSkippedTransitionKeepsCursorsAtOrBelowItFromGoingLive() {
    router.listeningFrom(0);
    assertThat(router.notifiesEverythingFrom(5)).isTrue();
    router.onSkipped(7);
    // The live path will never bring offset 7: a cursor at or below it must read the WAL.
    assertThat(router.notifiesEverythingFrom(5)).isFalse();
    assertThat(router.notifiesEverythingFrom(7)).isFalse();
    assertThat(router.notifiesEverythingFrom(8)).isTrue();
  }
}
