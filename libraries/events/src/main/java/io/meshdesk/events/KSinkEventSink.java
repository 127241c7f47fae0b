package io.meshdesk.events;

import java.net.URI;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;

/**
 * Sends events to the URL in {@code K_SINK} as binary-mode CloudEvents over HTTP, as a Knative
 * SinkBinding arranges in a cluster. Without {@code K_SINK}, events are dropped quietly.
 */
@ApplicationScoped
public class KSinkEventSink implements EventSink {

    private static final Logger LOG = Logger.getLogger(KSinkEventSink.class);

    private final Optional<URI> sink;
    private final Optional<Set<String>> only;
    private final ObjectMapper mapper;
    private final CloudEventDelivery delivery;
    private final OpenTelemetry telemetry;
    private final Tracer tracer;
    private final SenderToken senderToken;

    /**
     * @param only the event types to send, when not all: locally, where no Broker and Trigger
     *        filter by type, a function sends the receiver only what it handles
     */
    KSinkEventSink(
            @ConfigProperty(name = "K_SINK") Optional<URI> sink,
            @ConfigProperty(name = "meshdesk.events.only") Optional<Set<String>> only,
            ObjectMapper mapper,
            CloudEventDelivery delivery,
            Instance<OpenTelemetry> telemetry,
            SenderToken senderToken) {
        this.sink = sink;
        this.senderToken = senderToken;
        this.only = only;
        this.mapper = mapper;
        this.delivery = delivery;
        this.telemetry = telemetry.isResolvable() ? telemetry.get() : OpenTelemetry.noop();
        this.tracer = this.telemetry.getTracer("io.meshdesk.events");
        sink.ifPresent(uri -> LOG.infof(
                "events go to K_SINK %s%s",
                uri, only.map(types -> " (only " + types + ")").orElse("")));
    }

    @Override
    public void publish(Event event) {
        deliver(event);
    }

    @Override
    public CompletionStage<Void> deliver(Event event) {
        if (sink.isEmpty()
                || only.isPresent() && !only.get().contains(event.type().ceType())) {
            return CompletableFuture.completedFuture(null);
        }
        CloudEvent cloudEvent;
        try {
            cloudEvent = CloudEventBuilder.v1()
                    .withId(event.id())
                    .withType(event.type().ceType())
                    .withSource(URI.create(event.source()))
                    .withSubject(event.subject())
                    .withTime(event.time().atOffset(ZoneOffset.UTC))
                    .withDataContentType("application/json")
                    .withData(mapper.writeValueAsBytes(event.data()))
                    .build();
        } catch (JsonProcessingException e) {
            LOG.errorf(
                    e,
                    "could not encode event %s (%s); it was not sent",
                    event.id(),
                    event.type().ceType());
            return CompletableFuture.failedFuture(e);
        }
        // The receiver continues this trace: binary mode carries the CloudEvents tracing
        // extension as the plain W3C traceparent header, which Knative and Quarkus both read.
        Span span = tracer.spanBuilder("publish " + event.type().ceType())
                .setSpanKind(SpanKind.PRODUCER)
                .setAttribute("cloudevents.event_id", event.id())
                .setAttribute("cloudevents.event_type", event.type().ceType())
                .setAttribute("cloudevents.event_subject", event.subject() == null ? "" : event.subject())
                .startSpan();
        Map<String, String> traceHeaders = new HashMap<>();
        telemetry
                .getPropagators()
                .getTextMapPropagator()
                .inject(Context.current().with(span), traceHeaders, (headers, key, value) -> headers.put(key, value));
        // The receiver accepts events only from an authenticated sender (see SenderToken).
        senderToken.get().ifPresent(token -> traceHeaders.put("Authorization", "Bearer " + token));
        return delivery.deliver(sink.get(), cloudEvent, traceHeaders).whenComplete((ok, failure) -> {
            if (failure != null) {
                span.setStatus(StatusCode.ERROR, failure.getMessage());
            }
            span.end();
            if (failure != null) {
                LOG.warnf(
                        "event %s (%s) could not be delivered to K_SINK %s: %s; the decision it reports stands",
                        event.id(), event.type().ceType(), sink.get(), failure.getMessage());
            }
        });
    }
}
