package io.brook.metadata;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Layering the build checks: metadata is plain Java, a state machine with no event loop, no I/O and no clock. */
class MetadataArchitectureTest {

    private static final JavaClasses METADATA = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importLocations(Set.of(Location.of(ControllerState.class.getProtectionDomain().getCodeSource().getLocation())));

    @Test
    void metadataNeverDependsOnVertx() {
        // proves: no class in io.brook.metadata.. uses io.vertx.. (the controller verticle wraps it, not the reverse)
        noClasses().that().resideInAPackage("io.brook.metadata..")
            .should().dependOnClassesThat().resideInAPackage("io.vertx..")
            .check(METADATA);
    }

    @Test
    void metadataDependsOnNoOtherBrookModule() {
        // proves: metadata stands alone (storage validation is plugged in through TopicConfigValidator)
        noClasses().that().resideInAPackage("io.brook.metadata..")
            .should().dependOnClassesThat().resideInAnyPackage("io.brook.storage..", "io.brook.protocol..",
                "io.brook.verticles..", "io.brook.cluster..", "io.brook.replication..")
            .check(METADATA);
    }

    @Test
    void stateMachineNeverReadsTheClockNorDoesIo() {
        // proves: time only comes in as nowMs and nothing blocks, so replay and tests are deterministic
        noClasses().that().resideInAPackage("io.brook.metadata..")
            .should().callMethod(System.class, "currentTimeMillis")
            .orShould().callMethod(System.class, "nanoTime")
            .orShould().callMethod(Thread.class, "sleep", long.class)
            .orShould().dependOnClassesThat().resideInAnyPackage("java.nio.file..", "java.net..", "java.time..")
            .check(METADATA);
    }
}
