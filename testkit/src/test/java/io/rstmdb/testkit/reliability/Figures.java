package io.rstmdb.testkit.reliability;

/**
 * Sizes of the scenarios (CI defaults, raised by the {@code reliability} Maven profile through
 * system properties) and the one-line figures each scenario prints.
 */
final class Figures {
  private Figures() {}

  /** {@code rstmdb.reliability.<name>} as an int, or the CI-size default. */
  static int size(String name, int ciDefault) {
    return Integer.getInteger("rstmdb.reliability." + name, ciDefault);
  }

  static void report(String scenario, String text) {
    System.out.println("FIGURE " + scenario + ": " + text);
    System.out.flush();
  }
}
