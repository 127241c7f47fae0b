package io.meshdesk.terraform;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.meshdesk.terraform.TerraformModules.Module;
import io.meshdesk.terraform.TerraformModules.TfFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a terraform binary would check, and the team's standards on top, without the binary
 * (none can be installed on the build machines). Each failure names the file and the fix.
 */
class TerraformConventionsTest {

    static final Set<String> MODULE_META_ARGUMENTS =
            Set.of("source", "version", "providers", "depends_on", "count", "for_each");
    static final Pattern VAR_REFERENCE = Pattern.compile("\\bvar\\.([A-Za-z_][A-Za-z0-9_-]*)");
    static final Pattern SECRET_NAME = Pattern.compile("(?i).*(key|secret|password|token|cacerts).*");

    static List<Module> modules;

    @BeforeAll
    static void parseEverything() {
        modules = TerraformModules.all();
    }

    @Test
    void theExpectedModulesAndStacksExistWithTheStandardFiles() {
        assertThat(modules)
                .extracting(Module::name)
                .contains(
                        "modules/mesh-ca",
                        "modules/region-platform",
                        "modules/central-observability",
                        "envs/two-region");
        for (Module m : modules) {
            for (String file : List.of("main.tf", "variables.tf", "outputs.tf", "README.md")) {
                assertThat(m.dir().resolve(file))
                        .as(m.name() + " needs " + file)
                        .exists();
            }
            assertThat(Files.exists(m.dir().resolve("versions.tf"))
                            || Files.exists(m.dir().resolve("providers.tf")))
                    .as(m.name() + " needs versions.tf or providers.tf")
                    .isTrue();
        }
    }

    @Test
    void everyVariableHasATypeAndADescription() {
        List<String> problems = new ArrayList<>();
        for (Module m : modules) {
            m.blocks("variable").forEach((name, body) -> {
                if (!body.containsKey("type")) {
                    problems.add(m.name() + ": variable \"" + name + "\" has no type; add type = ...");
                }
                Object description = body.get("description");
                if (!(description instanceof String d) || d.isBlank()) {
                    problems.add(m.name() + ": variable \"" + name + "\" has no description; say what it is for");
                }
            });
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void everyVariableAModuleUsesIsDeclaredThere() {
        List<String> problems = new ArrayList<>();
        for (Module m : modules) {
            Set<String> declared = m.blocks("variable").keySet();
            for (TfFile f : m.files()) {
                Matcher used = VAR_REFERENCE.matcher(f.text());
                while (used.find()) {
                    if (!declared.contains(used.group(1))) {
                        problems.add(m.name() + "/" + f.path().getFileName() + " uses var." + used.group(1)
                                + ", which no variables.tf of the module declares");
                    }
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void everyModuleSourceExistsAndGetsOnlyInputsItDeclares() {
        List<String> problems = new ArrayList<>();
        for (Module m : modules) {
            m.blocks("module").forEach((name, body) -> {
                String source = (String) body.get("source");
                Path target = m.dir().resolve(source).normalize();
                Module callee = modules.stream()
                        .filter(x -> x.dir().toAbsolutePath().normalize().equals(target.toAbsolutePath()))
                        .findFirst()
                        .orElse(null);
                if (callee == null) {
                    problems.add(
                            m.name() + ": module \"" + name + "\" has source " + source + ", which is not a module");
                    return;
                }
                Set<String> inputs = new TreeSet<>(body.keySet());
                inputs.removeAll(MODULE_META_ARGUMENTS);
                Set<String> declared = callee.blocks("variable").keySet();
                for (String input : inputs) {
                    if (!declared.contains(input)) {
                        problems.add(m.name() + ": module \"" + name + "\" is given " + input + ", which "
                                + callee.name() + " does not declare");
                    }
                }
                callee.blocks("variable").forEach((var, decl) -> {
                    if (!decl.containsKey("default") && !inputs.contains(var)) {
                        problems.add(m.name() + ": module \"" + name + "\" does not set " + var + ", which "
                                + callee.name() + " requires");
                    }
                });
            });
        }
        assertThat(problems).isEmpty();
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyProviderAndChartIsPinned() {
        List<String> problems = new ArrayList<>();
        for (Module m : modules) {
            boolean found = false;
            for (TfFile f : m.files()) {
                if (f.blocks().get("terraform") instanceof Map<?, ?> tf
                        && tf.get("required_providers") instanceof Map<?, ?> providers) {
                    found = true;
                    ((Map<String, Object>) providers).forEach((name, spec) -> {
                        if (!(spec instanceof Map<?, ?> s) || !(s.get("version") instanceof String v) || v.isBlank()) {
                            problems.add(m.name() + ": provider " + name + " has no version constraint");
                        }
                    });
                }
            }
            if (!found) {
                problems.add(
                        m.name() + ": no terraform { required_providers { ... } } block; pin every provider there");
            }
            Object helm = m.blocks("resource").get("helm_release");
            if (helm instanceof Map<?, ?> releases) {
                ((Map<String, Map<String, Object>>) releases).forEach((name, body) -> {
                    if (!body.containsKey("version")) {
                        problems.add(m.name() + ": helm_release." + name + " has no chart version");
                    }
                });
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void nothingRunsLocalCommands() {
        for (Module m : modules) {
            for (TfFile f : m.files()) {
                assertThat(f.text())
                        .as(m.name() + "/" + f.path().getFileName()
                                + ": Terraform installs the platform; releases go out with meshctl, not local-exec")
                        .doesNotContain("local-exec");
            }
        }
    }

    @Test
    void outputsThatLookSecretAreMarkedSensitive() {
        List<String> problems = new ArrayList<>();
        for (Module m : modules) {
            m.blocks("output").forEach((name, body) -> {
                if (SECRET_NAME.matcher(name).matches() && !Boolean.TRUE.equals(body.get("sensitive"))) {
                    problems.add(m.name() + ": output " + name + " looks secret; add sensitive = true");
                }
            });
        }
        assertThat(problems).isEmpty();
    }
}
