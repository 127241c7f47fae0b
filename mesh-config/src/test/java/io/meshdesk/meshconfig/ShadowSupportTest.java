package io.meshdesk.meshconfig;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import io.meshdesk.meshconfig.model.Topology;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * topology "mirror: shadow" sends copies of customers' requests to a candidate started with
 * meshdesk.shadow=true; only a function that declares a shadow mode (meshdesk.shadow.supported)
 * starts that way, so every function the topology mirrors in shadow must declare it.
 */
class ShadowSupportTest {

    @Test
    void everyFunctionMirroredInShadowDeclaresAShadowMode() throws IOException {
        int shadowed = 0;
        for (Topology.Function f : Repo.config().topology().functions()) {
            if (f.mirror() != Topology.Mirror.shadow) {
                continue;
            }
            shadowed++;
            Path file = Repo.ROOT.resolve("functions/" + f.name() + "/src/main/resources/application.properties");
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(file)) {
                p.load(r);
            }
            assertThat(p.getProperty("meshdesk.shadow.supported"))
                    .as("%s: meshdesk.shadow.supported in %s", f.name(), file)
                    .isEqualTo("true");
        }
        assertThat(shadowed).as("routing is mirrored in shadow mode").isPositive();
    }
}
