package io.rstmdb.server.di;

import dagger.Module;
import dagger.Provides;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.rstmdb.core.api.Database;
import io.rstmdb.server.metrics.DatabaseMetrics;
import io.rstmdb.server.metrics.ServerMetrics;
import io.rstmdb.server.watch.WatchHub;
import io.rstmdb.server.watch.WatchKind;
import jakarta.inject.Singleton;
import java.util.Locale;

/** One Prometheus registry per server (never the global one) with every rstmdb meter on it. */
@Module
public interface MetricsModule {

  @Provides
  @Singleton
  static PrometheusMeterRegistry registry(Database db, WatchHub watches) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new DatabaseMetrics(db).bindTo(registry);
    for (WatchKind kind : WatchKind.values()) {
      io.micrometer.core.instrument.Gauge.builder(
              "rstmdb.subscriptions.active", watches, w -> w.activeSubscriptions(kind))
          .tag("type", kind.name().toLowerCase(Locale.ROOT))
          .description("Open watch subscriptions")
          .strongReference(true)
          .register(registry);
    }
    return registry;
  }

  @Provides
  @Singleton
  static ServerMetrics serverMetrics(PrometheusMeterRegistry registry) {
    return new ServerMetrics(registry);
  }
}
