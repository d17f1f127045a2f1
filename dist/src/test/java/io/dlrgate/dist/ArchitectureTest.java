package io.dlrgate.dist;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import java.sql.SQLException;
import java.util.regex.Pattern;

/**
 * The layout rules of the whole product, checked on the main code of every module (this module sees them all
 * on its test classpath). Maven already refuses a dependency between modules that a pom does not declare; these
 * rules say what the poms cannot: which packages may know which, and where SQL, YAML and I/O frameworks belong.
 * A rule that fails names the class and the dependency that break it. Main code only: tests may reach across
 * (a simulator test drives a real gateway).
 */
@AnalyzeClasses(packages = "io.dlrgate", importOptions = ArchitectureTest.MainCodeOnly.class)
class ArchitectureTest {

    private static final String CONFIG = "io.dlrgate.config..";
    private static final String REPORTING = "io.dlrgate.reporting..";
    private static final String GATEWAY = "io.dlrgate.gateway..";
    private static final String SIMULATOR = "io.dlrgate.simulator..";
    /** The launcher: the one place that sees both the gateway and the simulator. */
    private static final String DIST = "io.dlrgate.dist..";

    /** Frameworks of the wire: sockets, SMPP, HTTP. The store's decisions must not know them. */
    private static final String[] WIRE = {"io.netty..", "io.vertx..", "com.cloudhopper.."};
    /** JDBC, the pool and the driver. */
    private static final String[] DATABASE = {"java.sql..", "javax.sql..", "com.zaxxer..", "org.postgresql.."};

    /** gateway -> reporting -> config; the simulator is an independent SMPP peer; only dist sees both. */
    @ArchTest
    static final ArchRule modules_point_one_way = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("config").definedBy(CONFIG)
            .layer("reporting").definedBy(REPORTING)
            .layer("gateway").definedBy(GATEWAY)
            .layer("simulator").definedBy(SIMULATOR)
            .layer("dist").definedBy(DIST)
            .whereLayer("dist").mayNotBeAccessedByAnyLayer()
            .whereLayer("gateway").mayOnlyBeAccessedByLayers("dist")
            .whereLayer("simulator").mayOnlyBeAccessedByLayers("dist")
            .whereLayer("reporting").mayOnlyBeAccessedByLayers("gateway", "dist")
            .whereLayer("config").mayOnlyBeAccessedByLayers("reporting", "gateway", "simulator", "dist");

    /**
     * No two packages need each other, at any depth: a cycle means neither can be read, tested or moved alone.
     * Each package is its own slice (cycles between modules are impossible, Maven refuses them).
     */
    @ArchTest
    static final ArchRule packages_are_free_of_cycles = slices().matching("io.dlrgate.(**)")
            .should().beFreeOfCycles();

    /**
     * Nor do two areas of a module, an area being a top-level package with its subpackages (gateway's smpp,
     * dispatch, receipt...): a subpackage may not reach a sibling area that reaches back into its parent.
     */
    @ArchTest
    static final ArchRule areas_are_free_of_cycles = slices().matching("io.dlrgate.(*).(*)..")
            .should().beFreeOfCycles();

    /** The delivery state machine decides transitions from values alone: no database, no wire. */
    @ArchTest
    static final ArchRule state_machine_is_pure = noClasses().that().resideInAPackage("io.dlrgate.reporting.state..")
            .should().dependOnClassesThat().resideInAnyPackage(DATABASE)
            .orShould().dependOnClassesThat().resideInAnyPackage(WIRE);

    /** The delivery applier turns rows and outcomes into updates: unit-tested without a database. */
    @ArchTest
    static final ArchRule applier_is_pure = noClasses().that().resideInAPackage(REPORTING)
            .and().haveSimpleNameEndingWith("Applier")
            .should().dependOnClassesThat().resideInAnyPackage(DATABASE)
            .orShould().dependOnClassesThat().resideInAnyPackage(WIRE);

    /**
     * Only the store runs SQL. The rest of the product may see the {@link SQLException} a store method throws,
     * but no connection, statement, result set or driver.
     */
    @ArchTest
    static final ArchRule only_reporting_runs_sql = noClasses().that()
            .resideInAnyPackage(CONFIG, GATEWAY, SIMULATOR, DIST)
            .should().dependOnClassesThat(resideInAPackage("java.sql..").and(not(assignableTo(SQLException.class))))
            .orShould().dependOnClassesThat().resideInAPackage("org.postgresql..");

    /**
     * The gateway's composition root opens the store and hands its DataSource to the store's classes; no other
     * part of the gateway holds one (or the pool behind it).
     */
    @ArchTest
    static final ArchRule only_the_composition_root_holds_the_data_source = noClasses().that().resideInAPackage(GATEWAY)
            .and().resideOutsideOfPackage("io.dlrgate.gateway.app..")
            .should().dependOnClassesThat().resideInAnyPackage("javax.sql..", "com.zaxxer..");

    /** config reads YAML into records: the JDK, Jackson, SnakeYAML and logging, no other library. */
    @ArchTest
    static final ArchRule config_reads_yaml_into_records = classes().that().resideInAPackage(CONFIG)
            .should().onlyDependOnClassesThat().resideInAnyPackage(CONFIG, "java..", "com.fasterxml.jackson..",
                    "org.yaml..", "org.slf4j..");

    /** The product's YAML is read by config (the simulator reads its own scenario files). */
    @ArchTest
    static final ArchRule yaml_is_read_only_by_config = noClasses().that().resideInAnyPackage(REPORTING, GATEWAY)
            .should().dependOnClassesThat().resideInAnyPackage("com.fasterxml.jackson.dataformat.yaml..", "org.yaml..");

    /**
     * Main code only: test classes, and the test jars this module depends on (which Maven hands over as
     * {@code *-tests.jar} once the modules are packaged, as in {@code mvn verify}).
     */
    static final class MainCodeOnly implements ImportOption {
        private static final Pattern TEST_JAR = Pattern.compile(".*-tests\\.jar!/.*");

        @Override
        public boolean includes(Location location) {
            return Predefined.DO_NOT_INCLUDE_TESTS.includes(location) && !location.matches(TEST_JAR);
        }
    }
}
