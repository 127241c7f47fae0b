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

    /**
     * A cycle found when this rule came in that needs more than a small change to end, left to the
     * module's owners: dependencies from the origin packages on exactly these classes are not
     * counted, so the rule still fails on any other dependency that closes a cycle.
     */
    record KnownCycle(String module, Set<String> originPackages, Set<String> targetClasses, String why) {

        DescribedPredicate<JavaClass> origins() {
            return DescribedPredicate.describe(
                    "in " + originPackages, c -> originPackages.contains(c.getPackageName()));
        }

        DescribedPredicate<JavaClass> targets() {
            // Nested classes (Ticket$Sla) belong to the class they are declared in.
            return DescribedPredicate.describe(
                    "one of " + targetClasses,
                    c -> targetClasses.contains(c.getName().replaceFirst("\\$.*", "")));
        }
    }

    static final List<KnownCycle> KNOWN_CYCLES = List.of(new KnownCycle(
            "functions/ticketing",
            Set.of("io.meshdesk.ticketing.storage", "io.meshdesk.ticketing.sla"),
            Set.of(
                    "io.meshdesk.ticketing.lifecycle.Ticket",
                    "io.meshdesk.ticketing.lifecycle.TicketStatus",
                    "io.meshdesk.ticketing.lifecycle.TicketPriority",
                    "io.meshdesk.ticketing.lifecycle.AuthorRole",
                    "io.meshdesk.ticketing.lifecycle.Requests",
                    "io.meshdesk.ticketing.lifecycle.TicketEvents"),
            // Ticketing's value types (the ticket, its status, priority and search request) live in
            // lifecycle, which uses storage, sla and metrics, while storage and sla use those types:
            // lifecycle <-> storage, lifecycle <-> sla, lifecycle -> metrics -> storage -> lifecycle.
            // Ending it means moving the types to a package of their own (as routing's state/ did).
            "ticketing's value types live in lifecycle, which storage and sla use"));

    /** Every package under io.meshdesk is a slice of its own: a cycle between any two is reported. */
    static SliceRule noPackageCycles() {
        return slices().matching("io.meshdesk.(**)").namingSlices("$1").should().beFreeOfCycles();
    }

    static SliceRule noPackageCycles(Module module) {
        SliceRule rule = noPackageCycles();
        for (KnownCycle known : KNOWN_CYCLES) {
            if (known.module().equals(module.path())) {
                rule = rule.ignoreDependency(known.origins(), known.targets());
            }
        }
        return rule;
    }

    @TestFactory
    Stream<DynamicTest> everyModuleIsFreeOfPackageCycles() {
        return MODULES.all().stream()
                .map(m -> dynamicTest(
                        m + (m.testCodeOnly() ? " (its tests: it has no main code)" : "") + " has no package cycles",
                        () -> noPackageCycles(m).check(m.importClasses())));
    }

    /** An exemption that no longer matches anything is to be deleted, not kept as a licence. */
    @Test
    void everyKnownCycleIsStillThere() {
        for (KnownCycle known : KNOWN_CYCLES) {
            Module module = MODULES.all().stream()
                    .filter(m -> m.path().equals(known.module()))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("KNOWN_CYCLES names module " + known.module()
                            + ", which the parent pom no longer lists; delete the entry"));
            assertThatThrownBy(() -> noPackageCycles().check(module.importClasses()))
                    .as("the cycle " + known.why() + " in " + known.module()
                            + " is gone: delete its entry from KNOWN_CYCLES")
                    .isInstanceOf(AssertionError.class);
        }
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
