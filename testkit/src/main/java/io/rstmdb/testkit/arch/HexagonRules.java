package io.rstmdb.testkit.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noFields;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The dependency rules of rstmdb-java's hexagon (DESIGN.md rules 1–6), as ArchUnit rules. The
 * project's own architecture tests evaluate them against the real classes and against deliberately
 * violating fixtures, so each rule is shown to be able to fail.
 */
public final class HexagonRules {
  private HexagonRules() {}

  /** Rule 1a: the core depends on the JDK, Guava, Jackson's tree model and itself only. */
  public static final ArchRule CORE_IS_PURE =
      classes()
          .that()
          .resideInAPackage("io.rstmdb.core..")
          .should()
          .onlyDependOnClassesThat()
          .resideInAnyPackage(
              "java..",
              "com.google.common..",
              "com.google.errorprone.annotations..",
              "org.jspecify..",
              "com.fasterxml.jackson.core..",
              "com.fasterxml.jackson.databind..",
              "io.rstmdb.core..")
          .as("core depends only on java.., Guava and Jackson's tree model")
          .allowEmptyShould(true);

  /**
   * Rule 1b: the core does no file or socket I/O. Reading the exceptions those packages throw is
   * not I/O: the core may describe an adapter's failure ({@code io.rstmdb.core.error.IoReason}).
   */
  public static final ArchRule CORE_DOES_NO_IO =
      noClasses()
          .that()
          .resideInAPackage("io.rstmdb.core..")
          .should()
          .dependOnClassesThat(
              JavaClass.Predicates.resideInAnyPackage(
                      "java.nio.file..", "java.nio.channels..", "java.net..")
                  .and(DescribedPredicate.not(JavaClass.Predicates.assignableTo(Throwable.class))))
          .orShould()
          .dependOnClassesThat()
          .haveNameMatching("java\\.io\\.File.*")
          .as("core does no file or socket I/O")
          .allowEmptyShould(true);

  /** Rule 2: adapters never depend on each other, on the protocol or on the server. */
  public static final ArchRule WAL_IS_AN_ISOLATED_ADAPTER =
      AdapterRules.isolatedAdapter("io.rstmdb.wal..", "io.rstmdb.snapshot..");

  /** Rule 2: adapters never depend on each other, on the protocol or on the server. */
  public static final ArchRule SNAPSHOT_IS_AN_ISOLATED_ADAPTER =
      AdapterRules.isolatedAdapter("io.rstmdb.snapshot..", "io.rstmdb.wal..");

  /** Rule 3: protocol and CLI know nothing of the domain, the adapters or the server. */
  public static final ArchRule PROTOCOL_AND_CLI_STAY_OUTSIDE =
      noClasses()
          .that()
          .resideInAnyPackage("io.rstmdb.protocol..", "io.rstmdb.cli..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "io.rstmdb.core..", "io.rstmdb.wal..", "io.rstmdb.snapshot..", "io.rstmdb.server..")
          .as("protocol and cli never depend on core, wal, snapshot or server")
          .allowEmptyShould(true);

  /** Rule 4a: only the server's di package touches Dagger. */
  public static final ArchRule ONLY_DI_TOUCHES_DAGGER =
      noClasses()
          .that()
          .resideOutsideOfPackage("io.rstmdb.server.di..")
          .and()
          .resideInAPackage("io.rstmdb..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("dagger..")
          .as("only io.rstmdb.server.di touches dagger")
          .allowEmptyShould(true);

  /** Rule 4b: no field injection anywhere; dependencies come through constructors. */
  public static final ArchRule NO_FIELD_INJECTION =
      noFields()
          .that()
          .areDeclaredInClassesThat()
          .resideInAPackage("io.rstmdb..")
          .should()
          .beAnnotatedWith("javax.inject.Inject")
          .orShould()
          .beAnnotatedWith("jakarta.inject.Inject")
          .as("no field injection")
          .allowEmptyShould(true);

  /** Rule 5: Netty appears only in protocol, server and cli. */
  public static final ArchRule NETTY_ONLY_AT_THE_EDGE =
      noClasses()
          .that()
          .resideInAPackage("io.rstmdb..")
          .and()
          .resideOutsideOfPackages("io.rstmdb.protocol..", "io.rstmdb.server..", "io.rstmdb.cli..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("io.netty..")
          .as("Netty appears only in protocol, server and cli")
          .allowEmptyShould(true);

  /** Rule 6a: no cycles between modules. */
  public static final ArchRule NO_MODULE_CYCLES =
      slices()
          .matching("io.rstmdb.(*)..")
          .should()
          .beFreeOfCycles()
          .as("no cycles between modules")
          .allowEmptyShould(true);

  /** Rule 6b: no cycles between the packages inside a module. */
  public static final ArchRule NO_PACKAGE_CYCLES =
      slices()
          .matching("io.rstmdb.*.(**)")
          .should()
          .beFreeOfCycles()
          .as("no cycles between packages of a module")
          .allowEmptyShould(true);

  /** Rule 6c: ports are interfaces in io.rstmdb.core.port. */
  public static final ArchRule PORTS_ARE_INTERFACES_IN_CORE =
      classes()
          .that()
          .haveSimpleNameEndingWith("Port")
          .and()
          .resideInAPackage("io.rstmdb..")
          .should()
          .beInterfaces()
          .andShould()
          .resideInAPackage("io.rstmdb.core.port")
          .as("ports are interfaces in io.rstmdb.core.port")
          .allowEmptyShould(true);
}
