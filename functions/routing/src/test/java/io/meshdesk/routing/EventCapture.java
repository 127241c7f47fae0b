package io.meshdesk.routing;

import java.time.Instant;
import java.util.List;

import io.meshdesk.localservers.CloudEventReceiver;
import io.meshdesk.localservers.CloudEventSinkResource;

/**
 * A CloudEvent receiver on loopback, standing where a Knative Broker would: the routing
 * function under test gets its URL as {@code K_SINK} and the tests read what arrived.
 */
public class EventCapture extends CloudEventSinkResource {

    /** Every POST that reached the receiver, accepted or not. */
    public static int attempts() {
        return receiver().attempts();
    }

    /** When each POST reached the receiver, accepted or not, in order. */
    public static List<Instant> attemptTimes() {
        return receiver().attemptTimes();
    }

    /** What the receiver answers from now on: 202, or a failure such as 503. */
    public static void answer(int httpStatus) {
        receiver().answer(httpStatus);
    }

    public static List<CloudEventReceiver.Received> received() {
        return receiver().received();
    }

    public static List<CloudEventReceiver.Received> of(String type, String subject) {
        return receiver().of(type, subject);
    }
}
