package io.rstmdb.server.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.rstmdb.server.watch.WatchHub;
import io.rstmdb.server.watch.WatchKind;
import java.util.Locale;

/**
 * Watch stream meters under the reference's Prometheus names (server-and-cli.md §6), read from the
 * hub at every scrape: {@code rstmdb_subscriptions_active{type}} and {@code
 * rstmdb_events_forwarded_total{type}}, where {@code type} is {@code instance} or {@code all}.
 */
public final class WatchMetrics implements MeterBinder {

  private final WatchHub hub;

  public WatchMetrics(WatchHub hub) {
    this.hub = hub;
  }

  /**
   * Registers the meters. Registering them again on the same registry is harmless: Micrometer
   * returns the meters it already has.
   */
  @Override
  public void bindTo(MeterRegistry registry) {
    for (WatchKind kind : WatchKind.values()) {
      String type = kind.name().toLowerCase(Locale.ROOT);
      Gauge.builder("rstmdb.subscriptions.active", hub, h -> h.activeSubscriptions(kind))
          .tag("type", type)
          .description("Open watch subscriptions")
          .strongReference(true)
          .register(registry);
      // Function counters have no strong-reference option; the hub is held by the server.
      FunctionCounter.builder("rstmdb.events.forwarded", hub, h -> h.eventsForwarded(kind))
          .tag("type", type)
          .description("Event frames written to watchers, one per subscription that got one")
          .register(registry);
    }
  }
}
