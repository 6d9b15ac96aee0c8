package io.rstmdb.server.di;

import dagger.Module;
import dagger.Provides;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.rstmdb.core.api.Database;
import io.rstmdb.server.metrics.DatabaseMetrics;
import io.rstmdb.server.metrics.ServerMetrics;
import io.rstmdb.server.metrics.WatchMetrics;
import io.rstmdb.server.watch.WatchHub;
import jakarta.inject.Singleton;

/** One Prometheus registry per server (never the global one) with every rstmdb meter on it. */
@Module
public interface MetricsModule {

  @Provides
  @Singleton
  static PrometheusMeterRegistry registry(Database db, WatchHub watches) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new DatabaseMetrics(db).bindTo(registry);
    new WatchMetrics(watches).bindTo(registry);
    return registry;
  }

  @Provides
  @Singleton
  static ServerMetrics serverMetrics(PrometheusMeterRegistry registry) {
    return new ServerMetrics(registry);
  }
}
