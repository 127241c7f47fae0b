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
import io.fabric8.kubernetes.client.KubernetesClientException;

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

    private static final int HTTP_CONFLICT = 409;
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

    /** A progress as the cluster holds it, with the resourceVersion a write-back must still find. */
    public record Stored(Progress progress, String resourceVersion) {}

    public Optional<Progress> read(String function) {
        return load(function).map(Stored::progress);
    }

    public Optional<Stored> load(String function) {
        ConfigMap cm = client.configMaps()
                .inNamespace(namespace)
                .withName(name(function))
                .get();
        if (cm == null || cm.getData() == null || !cm.getData().containsKey("progress")) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Stored(
                    JSON.readValue(cm.getData().get("progress"), Progress.class),
                    cm.getMetadata().getResourceVersion()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(
                    "ConfigMap " + namespace + "/" + name(function) + " holds no progress " + "meshctl can read ("
                            + e.getOriginalMessage() + "); delete it to start the rollout over",
                    e);
        }
    }

    /** Records a new rollout; false when the cluster has one already (another controller was first). */
    public boolean create(Progress p) {
        return unlessConflict(() -> client.configMaps()
                .inNamespace(namespace)
                .resource(configMap(p, null))
                .create());
    }

    /**
     * Writes p over the progress read at {@code resourceVersion}, only if nobody wrote since (the
     * API server's optimistic lock): false when a pause, resume, abort or another controller came
     * first, and the caller must read again and decide on what it finds.
     */
    public boolean replace(Progress p, String resourceVersion) {
        return unlessConflict(() -> client.configMaps()
                .inNamespace(namespace)
                .resource(configMap(p, resourceVersion))
                .update());
    }

    private static boolean unlessConflict(Runnable write) {
        try {
            write.run();
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() == HTTP_CONFLICT) {
                return false;
            }
            throw e;
        }
    }

    private ConfigMap configMap(Progress p, String resourceVersion) {
        String json;
        try {
            json = JSON.writeValueAsString(p);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return new ConfigMapBuilder()
                .withNewMetadata()
                .withName(name(p.function()))
                .withNamespace(namespace)
                .withResourceVersion(resourceVersion)
                .withLabels(Map.of(OWNER_LABEL, OWNER, "app", p.function()))
                .endMetadata()
                .withData(Map.of("progress", json))
                .build();
    }

    public void delete(String function) {
        client.configMaps().inNamespace(namespace).withName(name(function)).delete();
    }
}
