package io.meshdesk.meshconfig.canary;

import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * A rollout's progress in its region's cluster: ConfigMap {@code canary-<function>}, labelled as
 * the canary controller's own (not meshdesk's rendered ones, so meshctl apply never prunes it).
 * Any machine that reaches the cluster reads and changes it: status, pause, resume, abort.
 */
public final class ProgressStore {

    public static final String OWNER_LABEL = "app.kubernetes.io/managed-by";
    public static final String OWNER = "meshctl-canary";
    static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private final KubernetesClient client;
    private final String namespace;

    public ProgressStore(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    public String namespace() {
        return namespace;
    }

    public static String name(String function) {
        return "canary-" + function;
    }

    public Optional<Progress> read(String function) {
        ConfigMap cm = client.configMaps()
                .inNamespace(namespace)
                .withName(name(function))
                .get();
        if (cm == null || cm.getData() == null || !cm.getData().containsKey("progress")) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(cm.getData().get("progress"), Progress.class));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(
                    "ConfigMap " + namespace + "/" + name(function) + " holds no progress " + "meshctl can read ("
                            + e.getOriginalMessage() + "); delete it to start the rollout over",
                    e);
        }
    }

    public void write(Progress p) {
        String json;
        try {
            json = JSON.writeValueAsString(p);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        ConfigMap cm = new ConfigMapBuilder()
                .withNewMetadata()
                .withName(name(p.function()))
                .withNamespace(namespace)
                .withLabels(Map.of(OWNER_LABEL, OWNER, "app", p.function()))
                .endMetadata()
                .withData(Map.of("progress", json))
                .build();
        client.configMaps().inNamespace(namespace).resource(cm).createOr(existing -> existing.update());
    }

    public void delete(String function) {
        client.configMaps().inNamespace(namespace).withName(name(function)).delete();
    }
}
