package io.rstmdb.server.dispatch;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Properties;

/**
 * What HELLO and INFO say about this server (decision 17): the name {@code rstmdb-java}, the Maven
 * project version (from a resource filtered at build time) and the feature set.
 */
public record ServerIdentity(String name, String version, List<String> features) {

  /** Features this server offers; HELLO answers the intersection with the client's list. */
  public static final List<String> FEATURES = List.of("idempotency", "batch", "wal_read");

  public ServerIdentity {
    features = List.copyOf(features);
  }

  /** Reads the version from {@code rstmdb-version.properties} on the classpath. */
  public static ServerIdentity load() {
    Properties props = new Properties();
    try (InputStream in = ServerIdentity.class.getResourceAsStream("/rstmdb-version.properties")) {
      if (in != null) {
        props.load(in);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot read rstmdb-version.properties", e);
    }
    String version = props.getProperty("version", "unknown");
    if (version.startsWith("${")) {
      version = "unknown";
    }
    return new ServerIdentity("rstmdb-java", version, FEATURES);
  }
}
