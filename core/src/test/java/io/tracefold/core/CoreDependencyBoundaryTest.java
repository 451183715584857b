package io.tracefold.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Core stays framework-agnostic: the enforcer bans the dependencies, this bans the references. */
class CoreDependencyBoundaryTest {

  private static final JavaClasses CORE =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.tracefold.core");

  @Test
  void core_doesNotUseAxonOrTheOpenTelemetrySdk() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.axonframework..", "io.opentelemetry.sdk..", "org.springframework..")
        .check(CORE);
  }

  @Test
  void core_doesNotFallBackToGlobalOpenTelemetry() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .haveFullyQualifiedName("io.opentelemetry.api.GlobalOpenTelemetry")
        .check(CORE);
  }
}
