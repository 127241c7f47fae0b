package io.meshdesk.telemetry;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.runtime.StartupEvent;

/**
 * meshdesk.shadow=true is what a canary's mirror target runs with: it gets copies of real
 * customers' requests and must commit nothing. A function whose shadow mode is not there
 * (meshdesk.shadow.supported false, the default) refuses to start that way, so a mirror can
 * never write a second time; the canary's analysis then sees no data and holds.
 */
@ApplicationScoped
public class ShadowMode {

    @ConfigProperty(name = "meshdesk.shadow", defaultValue = "false")
    boolean shadow;

    @ConfigProperty(name = "meshdesk.shadow.supported", defaultValue = "false")
    boolean supported;

    @ConfigProperty(name = "meshdesk.function")
    String function;

    void check(@Observes StartupEvent start) {
        if (shadow && !supported) {
            throw new IllegalStateException(function + " was started with meshdesk.shadow=true (a canary's mirror "
                    + "target) but has no shadow mode: it would commit mirrored requests a second time. Run the "
                    + "canary with mirrorPercentage: 0, or give the function a shadow mode");
        }
    }

    public boolean shadow() {
        return shadow && supported;
    }
}
