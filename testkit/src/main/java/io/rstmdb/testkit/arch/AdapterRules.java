package io.rstmdb.testkit.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Architecture rules for storage adapters, reusable by third-party adapter modules. An adapter
 * implements {@code io.rstmdb.core.port} interfaces with plain classes and depends on nothing but
 * the core (and its own libraries): not on other adapters, the protocol, the server, Dagger, Netty
 * or this test kit (which brings all of those, and JUnit, with it; an adapter's tests use it).
 *
 * <p>One line in an adapter's test suite checks everything:
 *
 * <pre>{@code
 * @Test
 * void adapterFollowsTheHexagon() {
 *   AdapterRules.check("com.acme.rstmdb.wal");
 * }
 * }</pre>
 */
public final class AdapterRules {
  private AdapterRules() {}

  /**
   * The rule for one adapter package: it never depends on the server, the protocol, Dagger, Netty,
   * the test kit, or on any of the listed sibling adapters.
   *
   * @param adapterPackage ArchUnit package pattern of the adapter, e.g. {@code "com.acme.wal.."}
   * @param siblingAdapters package patterns of other adapters it must not use
   */
  public static ArchRule isolatedAdapter(String adapterPackage, String... siblingAdapters) {
    String[] forbidden =
        Stream.concat(
                Stream.of(
                    "io.rstmdb.server..",
                    "io.rstmdb.protocol..",
                    "io.rstmdb.testkit..",
                    "dagger..",
                    "io.netty.."),
                Stream.of(siblingAdapters))
            .toArray(String[]::new);
    return noClasses()
        .that()
        .resideInAPackage(adapterPackage)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(forbidden)
        .as(
            "adapter "
                + adapterPackage
                + " depends only on the core (no server, protocol, test kit, Dagger, Netty or other"
                + " adapters)")
        .allowEmptyShould(true);
  }

  /** Every rule an adapter package must satisfy. */
  public static List<ArchRule> rulesFor(String adapterPackage) {
    String pattern = adapterPackage.endsWith("..") ? adapterPackage : adapterPackage + "..";
    return List.of(
        isolatedAdapter(
            pattern,
            Stream.of("io.rstmdb.wal..", "io.rstmdb.snapshot..")
                .filter(p -> !p.equals(pattern))
                .toArray(String[]::new)),
        HexagonRules.NO_FIELD_INJECTION);
  }

  /**
   * Imports the production classes of {@code adapterPackage} from the classpath and checks every
   * adapter rule, failing with ArchUnit's report on the first violated one.
   */
  public static void check(String adapterPackage) {
    JavaClasses classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(adapterPackage.replace("..", ""));
    check(adapterPackage, classes);
  }

  /** Checks every adapter rule against already imported classes. */
  public static void check(String adapterPackage, JavaClasses classes) {
    if (!classes.containPackage(adapterPackage.replace("..", ""))) {
      // A typo in the package name must not pass silently.
      throw new AssertionError("no classes found in adapter package " + adapterPackage);
    }
    List<String> failures =
        rulesFor(adapterPackage).stream()
            .map(rule -> rule.evaluate(classes))
            .filter(EvaluationResult::hasViolation)
            .map(result -> result.getFailureReport().toString())
            .collect(Collectors.toList());
    if (!failures.isEmpty()) {
      throw new AssertionError(String.join(System.lineSeparator(), failures));
    }
  }
}
