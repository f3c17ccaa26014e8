package dev.outlayer.bench.targetsystem;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Dependencies point one way: the HTTP adapters ({@code http..}) and the wiring (the root
 * package) know the domain; the domain packages know neither, nor Undertow.
 */
class LayeringTest {
    private static final String ROOT = "dev.outlayer.bench.targetsystem";
    private static final String[] DOMAIN = {
        ROOT + ".throttle..",
        ROOT + ".rpc..",
        ROOT + ".contracts..",
        ROOT + ".wasm..",
        ROOT + ".linux..",
        ROOT + ".keystore..",
        ROOT + ".errors..",
        ROOT + ".json..",
        ROOT + ".timing..",
        ROOT + ".identity..",
        ROOT + ".transactions..",
        ROOT + ".state..",
        ROOT + ".executions..",
        ROOT + ".persistence..",
        ROOT + ".storage..",
        ROOT + ".locks..",
        ROOT + ".systemlogs..",
        ROOT + ".tee..",
        ROOT + ".redis..",
        ROOT + ".payments..",
        ROOT + ".github..",
        ROOT + ".threads.."
    };
    /** The edge: adapters that know HTTP and the domain. */
    private static final String EDGE = ROOT + ".http";

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(ROOT);
    }

    @Test
    void domainPackagesDoNotKnowHttp() {
        ArchRule rule = noClasses()
                .that()
                .resideInAnyPackage(DOMAIN)
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(ROOT + ".http..", "io.undertow..")
                .because("HTTP adapters live at the edge, in " + ROOT + ".http");
        rule.check(classes);
    }

    @Test
    void domainPackagesDoNotKnowTheWiring() {
        ArchRule rule = noClasses()
                .that()
                .resideInAnyPackage(DOMAIN)
                .should()
                .dependOnClassesThat()
                .resideInAPackage(ROOT)
                .because("flags and wiring (TargetOptions, TargetSystem, Main) belong to the root package only");
        rule.check(classes);
    }

    @Test
    void httpAdaptersDoNotKnowTheWiring() {
        ArchRule rule = noClasses()
                .that()
                .resideInAPackage(ROOT + ".http..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage(ROOT)
                .because("adapters get what they need as constructor arguments");
        rule.check(classes);
    }

    @Test
    void everyPackageIsDomainOrEdge() {
        // A package added and not listed above would escape every rule: each top-level package is one or the other.
        Set<String> listed =
                Arrays.stream(DOMAIN).map(p -> p.substring(0, p.length() - 2)).collect(Collectors.toSet());
        listed.add(EDGE);
        Set<String> topLevel = classes.stream()
                .map(c -> c.getPackageName())
                .filter(p -> p.startsWith(ROOT + "."))
                .map(p -> ROOT + "." + p.substring(ROOT.length() + 1).split("\\.")[0])
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(listed).as("domain packages and the edge in LayeringTest").containsAll(topLevel);
    }

    @Test
    void theRuleSeesTheDomain() {
        // A rule over an empty set passes: make sure the import found the domain classes.
        assertThat(classes.containPackage(ROOT + ".contracts")).isTrue();
        assertThat(classes.containPackage(ROOT + ".http")).isTrue();
    }
}
