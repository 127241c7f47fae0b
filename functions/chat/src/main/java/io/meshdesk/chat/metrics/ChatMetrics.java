package io.meshdesk.chat.metrics;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

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
    public static final String HANDOVERS = "meshdesk.chat.transcript.handovers";
    public static final String HANDOVERS_PENDING = "meshdesk.chat.transcript.handovers.pending";
    public static final String HANDOVER_OLDEST = "meshdesk.chat.transcript.handover.oldest.pending";

    private final MeterRegistry registry;
    private final String region;
    private final AtomicInteger streams = new AtomicInteger();
    private final AtomicLong pendingHandovers = new AtomicLong();
    private final AtomicLong oldestPendingMillis = new AtomicLong();

    public ChatMetrics(MeterRegistry registry, String region) {
        this.registry = registry;
        this.region = region;
        Gauge.builder(STREAMS, streams, AtomicInteger::get)
                .description("Open chat streams on this instance")
                .tags("region", region)
                .register(registry);
        Gauge.builder(HANDOVERS_PENDING, pendingHandovers, AtomicLong::get)
                .description(
                        "Closed sessions whose transcript ticketing has not acknowledged yet (as of the last sweep)")
                .tags("region", region)
                .register(registry);
        Gauge.builder(HANDOVER_OLDEST, oldestPendingMillis, v -> v.get() / 1000.0)
                .baseUnit("seconds")
                .description("How long the oldest pending transcript handover has waited since its session closed")
                .tags("region", region)
                .register(registry);
        for (String outcome : new String[] {"acknowledged", "failed"}) {
            Counter.builder(HANDOVERS)
                    .description("Transcript handover attempts, by outcome")
                    .tags("region", region, "outcome", outcome)
                    .register(registry);
        }
    }

    /** One attempt at handing a transcript to ticketing: acknowledged or failed (it is tried again). */
    public void handoverAttempt(String outcome) {
        Counter.builder(HANDOVERS)
                .tags("region", region, "outcome", outcome)
                .register(registry)
                .increment();
    }

    /** What the last sweep found pending. */
    public void handoversPending(long pending, Duration oldest) {
        pendingHandovers.set(pending);
        oldestPendingMillis.set(oldest.toMillis());
    }

    /** From the server accepting a packet to writing it to the other participant's stream. */
    public void delivered(Duration took) {
        Timer.builder(DELIVERY)
                .description("Chat delivery latency")
                .tags("region", region)
                .publishPercentileHistogram()
                .register(registry)
                .record(took);
    }

    public void message(String kind) {
        Counter.builder(MESSAGES)
                .description("Chat packets accepted, by kind")
                .tags("region", region, "kind", kind)
                .register(registry)
                .increment();
    }

    /** From the customer's first text to the agent's first text. */
    public void firstResponse(String channel, Duration took) {
        Timer.builder(FIRST_RESPONSE)
                .description("Time to the agent's first answer")
                .tags("region", region, "channel", channel)
                .publishPercentileHistogram()
                .register(registry)
                .record(took);
    }

    public void streamOpened() {
        streams.incrementAndGet();
    }

    public void streamClosed() {
        streams.decrementAndGet();
    }
}
