package io.rstmdb.server.config;

/**
 * A configuration value that cannot be used. The message is one line naming the key (or the
 * environment variable) and what is wrong, fit to print before exiting.
 */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String key;

  public ConfigException(String key, String problem) {
    super("invalid configuration: " + key + ": " + problem);
    this.key = key;
  }

  public ConfigException(String key, String problem, Throwable cause) {
    super("invalid configuration: " + key + ": " + problem, cause);
    this.key = key;
  }

  /** The YAML key path ({@code network.bind_addr}) or environment variable at fault. */
  public String key() {
    return key;
  }
}
