package io.brook.quorum;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Layering the build checks: the quorum is plain Java, deterministic, with time passed in. */
class QuorumArchitectureTest {
  private static final JavaClasses QUORUM = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importLocations(Set.of(Location.of(QuorumReplica.class.getProtectionDomain().getCodeSource().getLocation())));

  @Test
  void quorumNeverDependsOnVertxNorOnTheBroker() {
    // proves: the quorum verticle wraps the replica, not the reverse; metadata records stay out of it
    noClasses().that().resideInAPackage("io.brook.quorum..")
        .should().dependOnClassesThat().resideInAnyPackage("io.vertx..", "io.brook.verticles..", "io.brook.protocol..",
            "io.brook.metadata..", "io.brook.cluster..")
        .check(QUORUM);
  }

  @Test
  void theReplicaNeverReadsTheClockNorSleeps() {
    // proves: time only comes in as nowMs, so the simulation replays a seed exactly
    noClasses().that().resideInAPackage("io.brook.quorum..")
        .should().callMethod(System.class, "currentTimeMillis")
        .orShould().callMethod(System.class, "nanoTime")
        .orShould().callMethod(Thread.class, "sleep", long.class)
        .check(QUORUM);
  }
}
