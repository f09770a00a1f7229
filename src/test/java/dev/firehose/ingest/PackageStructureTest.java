package dev.firehose.ingest;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The package structure follows the dependencies (issue 11 item 7), checked on the compiled production classes:
 * no cycles between packages; the codecs and the filter rules are plain Java, testable and benchmarkable without
 * Camel; nothing depends on the wiring in the root package.
 */
@AnalyzeClasses(packages = "dev.firehose.ingest", importOptions = ImportOption.DoNotIncludeTests.class)
class PackageStructureTest {

    private static final ArchRule NO_CYCLES_BETWEEN_PACKAGES = slices().matching("dev.firehose.ingest.(*)..")
            .should().beFreeOfCycles();

    private static final ArchRule CODECS_AND_RULES_ARE_PLAIN_JAVA = noClasses()
            .that().resideInAnyPackage("dev.firehose.ingest.atproto..", "dev.firehose.ingest.jetstream..",
                    "dev.firehose.ingest.filter..")
            .should().dependOnClassesThat().resideInAnyPackage("org.apache.camel..", "io.vertx..", "io.nats..");

    private static final ArchRule NOTHING_DEPENDS_ON_THE_WIRING = noClasses()
            .that().resideOutsideOfPackage("dev.firehose.ingest")
            .should().dependOnClassesThat().resideInAPackage("dev.firehose.ingest");

    // Rules as @ArchTest methods, not fields: Surefire 3.5.3 does not run @ArchTest fields (TNG/ArchUnit#1442).
    @ArchTest
    void noCyclesBetweenPackages(JavaClasses classes) {
        NO_CYCLES_BETWEEN_PACKAGES.check(classes);
    }

    @ArchTest
    void codecsAndRulesArePlainJava(JavaClasses classes) {
        CODECS_AND_RULES_ARE_PLAIN_JAVA.check(classes);
    }

    @ArchTest
    void nothingDependsOnTheWiring(JavaClasses classes) {
        NOTHING_DEPENDS_ON_THE_WIRING.check(classes);
    }
}
