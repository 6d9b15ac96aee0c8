package io.rstmdb.server.cds;

import io.rstmdb.server.RstmdbServer;
import io.rstmdb.server.config.ConfigLoader;
import io.rstmdb.server.config.ServerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The training run behind the server's AppCDS archive ({@code rstmdb --cds-training DIR}). The
 * build runs the server jar once in this mode under {@code -XX:ArchiveClassesAtExit}, so the
 * archive holds the classes a real start loads: the configuration is read from a YAML file, the
 * server starts with metrics on an ephemeral port, serves requests through the real client, writes
 * a snapshot, stops, and starts again to recover from that snapshot plus a WAL tail.
 *
 * <p>Everything happens in a fresh directory under {@code DIR}, removed at the end, so the run
 * leaves nothing behind.
 */
public final class CdsTraining {

  /** The command-line flag that selects this mode. */
  public static final String FLAG = "--cds-training";

  private final Path parent;

  /** A training run whose scratch directory goes under {@code parent}. */
  public CdsTraining(Path parent) {
    this.parent = parent;
  }

  /**
   * Runs the two server lifetimes and removes the scratch directory, whatever happened.
   *
   * @throws IOException when the scratch directory cannot be created or removed
   */
  public void run() throws IOException {
    Files.createDirectories(parent);
    Path scratch = Files.createTempDirectory(parent, "rstmdb-cds-training-");
    try {
      ServerConfig config =
          new ConfigLoader(Map.of(ConfigLoader.CONFIG_VARIABLE, yaml(scratch).toString())).load();
      try (RstmdbServer server = RstmdbServer.builder(config).start()) {
        TrainingRequests.firstLifetime(server);
      }
      // The second start recovers from the snapshot COMPACT wrote plus the records after it.
      try (RstmdbServer server = RstmdbServer.builder(config).start()) {
        TrainingRequests.secondLifetime(server);
      }
    } finally {
      deleteTree(scratch);
    }
  }

  /**
   * A configuration file like an operator's: YAML rather than the environment so that the YAML
   * reader is trained too; small WAL segments so the run preallocates little; automatic compaction
   * off so the run does the same work every time.
   */
  private static Path yaml(Path scratch) throws IOException {
    Path file = scratch.resolve("rstmdb.yaml");
    String text =
        String.join(
            "\n",
            "network:",
            "  bind_addr: \"127.0.0.1:0\"",
            "storage:",
            "  data_dir: \"" + scratch.resolve("data").toString().replace("\\", "\\\\") + "\"",
            "  wal_segment_size_mb: 1",
            "  fsync_policy: every_write",
            "compaction:",
            "  enabled: false",
            "metrics:",
            "  enabled: true",
            "  bind_addr: \"127.0.0.1:0\"",
            "");
    Files.writeString(file, text, StandardCharsets.UTF_8);
    return file;
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths
          .sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
