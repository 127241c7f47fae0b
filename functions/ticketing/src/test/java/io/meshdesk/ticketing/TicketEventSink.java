package io.meshdesk.ticketing;

import java.util.Map;

import io.meshdesk.localservers.CloudEventReceiver;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Ticketing's {@code K_SINK} in tests: a real CloudEvent receiver on loopback. Declared without
 * restriction, so every test class of the module shares one app (and sends its events here)
 * instead of restarting Quarkus for the one class that reads them.
 */
public class TicketEventSink implements QuarkusTestResourceLifecycleManager {

    private static volatile CloudEventReceiver receiver;

    static CloudEventReceiver receiver() {
        return receiver;
    }

    @Override
    public Map<String, String> start() {
        receiver = CloudEventReceiver.start();
        return Map.of("K_SINK", receiver.url());
    }

    @Override
    public void stop() {
        if (receiver != null) {
            receiver.close();
        }
    }
}
