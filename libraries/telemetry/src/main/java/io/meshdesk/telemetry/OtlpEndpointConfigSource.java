package io.meshdesk.telemetry;

import java.util.Map;
import java.util.Set;

import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Makes "no OTLP endpoint configured" mean "export nothing, quietly". Left alone, Quarkus sends
 * spans to localhost:4317 and warns on every batch when nothing listens there; a blank traces
 * endpoint is what turns its exporter off. So this source answers the traces endpoint with the
 * general endpoint when one is given (system property or environment, where a function's
 * deployment sets it), and with a blank otherwise. Any explicit traces endpoint wins: this
 * source has a low ordinal.
 */
public class OtlpEndpointConfigSource implements ConfigSource {

    static final String TRACES_ENDPOINT = "quarkus.otel.exporter.otlp.traces.endpoint";
    static final String ENDPOINT = "quarkus.otel.exporter.otlp.endpoint";

    @Override
    public Set<String> getPropertyNames() {
        return Set.of(TRACES_ENDPOINT);
    }

    @Override
    public String getValue(String name) {
        if (!TRACES_ENDPOINT.equals(name)) {
            return null;
        }
        String configured = System.getProperty(ENDPOINT);
        if (configured == null || configured.isBlank()) {
            configured = System.getenv("QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT");
        }
        return configured == null || configured.isBlank() ? " " : configured.trim();
    }

    @Override
    public Map<String, String> getProperties() {
        return Map.of(TRACES_ENDPOINT, getValue(TRACES_ENDPOINT));
    }

    @Override
    public int getOrdinal() {
        return 50;
    }

    @Override
    public String getName() {
        return "meshdesk OTLP endpoint (blank when none is configured)";
    }
}
