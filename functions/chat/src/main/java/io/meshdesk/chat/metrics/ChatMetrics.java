package io.meshdesk.chat.metrics;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/** Chat's service level indicators; the names are a contract, spelled here only. */
public final class ChatMetrics {

    public static final String DELIVERY = "meshdesk.chat.delivery";
    public static final String MESSAGES = "meshdesk.chat.messages";
    public static final String STREAMS = "meshdesk.chat.streams";
    public static final String FIRST_RESPONSE = "meshdesk.first.response";

    private final MeterRegistry registry;
    private final String region;
    private final AtomicInteger streams = new AtomicInteger();

    public ChatMetrics(MeterRegistry registry, String region) {
        this.registry = registry;
        this.region = region;
        Gauge.builder(STREAMS, streams, AtomicInteger::get).description("Open chat streams on this instance")
                .tags("region", region).register(registry);
    }

    /** From the server accepting a packet to writing it to the other participant's stream. */
    public void delivered(Duration took) {
        Timer.builder(DELIVERY).description("Chat delivery latency").tags("region", region)
                .publishPercentileHistogram().register(registry).record(took);
    }

    public void message(String kind) {
        Counter.builder(MESSAGES).description("Chat packets accepted, by kind").tags("region", region, "kind", kind)
                .register(registry).increment();
    }

    /** From the customer's first text to the agent's first text. */
    public void firstResponse(String channel, Duration took) {
        Timer.builder(FIRST_RESPONSE).description("Time to the agent's first answer")
                .tags("region", region, "channel", channel).publishPercentileHistogram().register(registry)
                .record(took);
    }

    public void streamOpened() {
        streams.incrementAndGet();
    }

    public void streamClosed() {
        streams.decrementAndGet();
    }
}
