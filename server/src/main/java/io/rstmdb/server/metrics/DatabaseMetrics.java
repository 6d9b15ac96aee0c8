package io.rstmdb.server.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.rstmdb.core.api.Database;
import io.rstmdb.core.api.InstanceQuery;
import io.rstmdb.core.api.MachineSummary;
import io.rstmdb.core.port.WalStats;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Database gauges, read fresh at every scrape rather than updated on the request path: {@code
 * rstmdb_instances_total}, {@code rstmdb_machines_total}, {@code rstmdb_wal_entries}, {@code
 * rstmdb_wal_segments}, {@code rstmdb_wal_size_bytes} and the WAL I/O counters.
 */
public final class DatabaseMetrics {

  private static final Logger LOG = LoggerFactory.getLogger(DatabaseMetrics.class);

  private final Database db;

  public DatabaseMetrics(Database db) {
    this.db = db;
  }

  /**
   * Registers the meters; they call into the database whenever they are read. They hold this object
   * strongly: Micrometer's default weak reference would let it be collected and the gauges turn to
   * NaN.
   */
  public void bindTo(MeterRegistry registry) {
    Gauge.builder("rstmdb.instances", this, DatabaseMetrics::instances)
        .description("Live (not deleted) instances")
        .strongReference(true)
        .register(registry);
    Gauge.builder("rstmdb.machines", this, DatabaseMetrics::machines)
        .description("Stored (machine, version) pairs")
        .strongReference(true)
        .register(registry);
    wal(registry, "rstmdb.wal.entries", "Readable WAL records", WalStats::entryCount, false);
    wal(registry, "rstmdb.wal.segments", "WAL segment files", WalStats::segmentCount, false);
    Gauge.builder("rstmdb.wal.size", db, d -> stat(d, WalStats::totalSizeBytes))
        .baseUnit("bytes")
        .description("WAL bytes on disk")
        .strongReference(true)
        .register(registry);
    wal(registry, "rstmdb.wal.bytes.written", "", s -> s.io().bytesWritten(), true);
    wal(registry, "rstmdb.wal.bytes.read", "", s -> s.io().bytesRead(), true);
    wal(registry, "rstmdb.wal.writes", "", s -> s.io().writes(), true);
    wal(registry, "rstmdb.wal.reads", "", s -> s.io().reads(), true);
    wal(registry, "rstmdb.wal.fsyncs", "WAL fsync calls", s -> s.io().fsyncs(), true);
  }

  private void wal(
      MeterRegistry registry,
      String name,
      String description,
      ToDoubleFunction<WalStats> field,
      boolean counter) {
    if (counter) {
      // Function counters have no strong-reference option; the database is held by the server.
      FunctionCounter.builder(name, db, d -> stat(d, field))
          .description(description)
          .register(registry);
    } else {
      Gauge.builder(name, db, d -> stat(d, field))
          .description(description)
          .strongReference(true)
          .register(registry);
    }
  }

  private static double stat(Database db, ToDoubleFunction<WalStats> field) {
    try {
      return field.applyAsDouble(db.walStats());
    } catch (RuntimeException e) {
      LOG.debug("WAL stats unavailable for metrics", e);
      return Double.NaN;
    }
  }

  private double instances() {
    try {
      return db.listInstances(new InstanceQuery(null, null, null, 0, 0))
          .get(5, TimeUnit.SECONDS)
          .total();
    } catch (Exception e) {
      LOG.debug("instance count unavailable for metrics", e);
      return Double.NaN;
    }
  }

  private double machines() {
    try {
      return db.listMachines().get(5, TimeUnit.SECONDS).stream()
          .mapToInt((MachineSummary m) -> m.versions().size())
          .sum();
    } catch (Exception e) {
      LOG.debug("machine count unavailable for metrics", e);
      return Double.NaN;
    }
  }
}
