package io.rstmdb.server.failpoint;

import io.rstmdb.core.failpoint.Failpoints;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Failpoints for crash tests run in a child process: at the first hit of a listed name the process
 * prints one line to stderr and halts at once with exit code 137 (no shutdown hooks, no flush), as
 * a {@code kill -9} at that exact step would.
 */
public final class HaltingFailpoints implements Failpoints {

  /** The system property holding the comma-separated names. */
  public static final String PROPERTY = "rstmdb.failpoints";

  /** The exit code used, the one a SIGKILLed process reports. */
  public static final int EXIT_CODE = 137;

  private final Set<String> armed;

  public HaltingFailpoints(Set<String> armed) {
    this.armed = Set.copyOf(armed);
  }

  /** Reads {@value #PROPERTY}; {@link Failpoints#NONE} when unset or empty. */
  public static Failpoints fromSystemProperty() {
    return parse(System.getProperty(PROPERTY));
  }

  /** Parses {@code name1,name2}; blank entries are ignored. */
  public static Failpoints parse(String names) {
    if (names == null || names.isBlank()) {
      return Failpoints.NONE;
    }
    Set<String> set =
        Arrays.stream(names.split(","))
            .map(String::trim)
            .filter(s -> !s.isEmpty())
            .collect(Collectors.toUnmodifiableSet());
    return set.isEmpty() ? Failpoints.NONE : new HaltingFailpoints(set);
  }

  /** The names that halt the process. */
  public Set<String> armed() {
    return armed;
  }

  @Override
  public void hit(String name) {
    if (armed.contains(name)) {
      System.err.println("rstmdb: failpoint " + name + " hit, halting with exit code " + EXIT_CODE);
      System.err.flush();
      Runtime.getRuntime().halt(EXIT_CODE);
    }
  }
}
