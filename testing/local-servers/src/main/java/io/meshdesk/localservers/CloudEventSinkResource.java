package io.meshdesk.localservers;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A {@link CloudEventReceiver} as a Quarkus test resource: the function under test gets its URL
 * as {@code K_SINK}, and the test reads {@link #receiver()}. One app runs at a time in a test
 * JVM, so the receiver of the app running now is a static.
 */
public class CloudEventSinkResource implements QuarkusTestResourceLifecycleManager {

    private static volatile CloudEventReceiver receiver;

    /** The receiver of the app under test (null before the first one started). */
    public static CloudEventReceiver receiver() {
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
