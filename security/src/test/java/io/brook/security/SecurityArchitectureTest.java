package io.brook.security;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Layering the build checks: security is plain Java over the metadata image, usable by any edge. */
class SecurityArchitectureTest {

    private static final JavaClasses SECURITY = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importLocations(Set.of(Location.of(Authorizer.class.getProtectionDomain().getCodeSource().getLocation())));

    @Test
    void securityNeverDependsOnVertxNorOtherBrookModules() {
        // proves: no io.vertx, and no Brook module but metadata (the edges call security, not the reverse)
        noClasses().that().resideInAPackage("io.brook.security..")
            .should().dependOnClassesThat().resideInAnyPackage("io.vertx..", "io.brook.storage..",
                "io.brook.protocol..", "io.brook.verticles..", "io.brook.cluster..", "io.brook.replication..",
                "io.brook.server..", "io.brook.web..")
            .check(SECURITY);
    }

    @Test
    void noClockNoIo() {
        // proves: decisions depend on their arguments and the image only
        noClasses().that().resideInAPackage("io.brook.security..")
            .should().callMethod(System.class, "currentTimeMillis")
            .orShould().callMethod(System.class, "nanoTime")
            .orShould().dependOnClassesThat().resideInAnyPackage("java.nio.file..", "java.net..", "java.time..")
            .check(SECURITY);
    }
}
