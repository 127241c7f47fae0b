package io.meshdesk.architecture;

import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceRule;

import io.meshdesk.architecture.Modules.Module;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

/**
 * The shape every module keeps (STYLE.md, "no package cycles"): within a module no package
 * depends, directly or round about, on a package that depends on it, so each package can be read
 * (and moved) on top of the ones it uses; and code that ships never uses a testing/ harness.
 * Each module is imported from its own classes directory, so two modules that share a package
 * name (chat-api and chat; etcd and etcd-testing) are judged apart.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ArchitectureTest {

    private static final Modules MODULES = Modules.ofThisBuild();

    /** Every package under io.meshdesk is a slice of its own: a cycle between any two is reported. */
    static SliceRule noPackageCycles() {
        return slices().matching("io.meshdesk.(**)").namingSlices("$1").should().beFreeOfCycles();
    }

    @TestFactory
    Stream<DynamicTest> everyModuleIsFreeOfPackageCycles() {
        return MODULES.all().stream()
                .map(m -> dynamicTest(
                        m + (m.testCodeOnly() ? " (its tests: it has no main code)" : "") + " has no package cycles",
                        () -> noPackageCycles().check(m.importClasses())));
    }

    @TestFactory
    Stream<DynamicTest> shippedCodeNeverUsesATestingModule() {
        Set<String> harness = MODULES.all().stream()
                .filter(Module::testing)
                .filter(m -> !m.testCodeOnly())
                .flatMap(m -> m.importClasses().stream())
                .map(JavaClass::getName)
                .collect(Collectors.toUnmodifiableSet());
        DescribedPredicate<JavaClass> inATestingModule =
                DescribedPredicate.describe("are in a testing/ module", c -> harness.contains(c.getName()));
        ArchRule rule = noClasses()
                .should()
                .dependOnClassesThat(inATestingModule)
                .because("testing/ holds harnesses (real etcd members, test tokens, local servers) for tests; "
                        + "a function, library or meshctl that used one would ship it");
        return MODULES.all().stream()
                .filter(Module::shipped)
                .map(m -> dynamicTest(m + " uses no testing/ module", () -> rule.check(m.importClasses())));
    }

    /** The rules judge something: the modules the design names are found, each with classes. */
    @Test
    void theRulesSeeEveryModuleOfTheTree() {
        List<String> paths = MODULES.all().stream().map(Module::path).toList();

        assertThat(paths)
                .contains(
                        "functions/routing",
                        "functions/chat",
                        "functions/ticketing",
                        "libraries/etcd",
                        "libraries/telemetry",
                        "libraries/identity",
                        "testing/etcd-testing",
                        "testing/local-servers",
                        "testing/reliability",
                        "mesh-config",
                        "observability",
                        "load-tests");
        assertThat(MODULES.all())
                .allSatisfy(
                        m -> assertThat(m.importClasses()).as("classes of " + m).isNotEmpty());
    }

    /** A rule that never fails proves nothing: two fixture packages that use each other must fail it. */
    @Test
    void theCycleRuleSeesACycle() {
        JavaClasses fixture = new ClassFileImporter().importPackages("io.meshdesk.architecture.fixture.cycle");

        assertThatThrownBy(() -> noPackageCycles().check(fixture))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("architecture.fixture.cycle.a")
                .hasMessageContaining("architecture.fixture.cycle.b");
    }
}
