package io.meshdesk.meshconfig.validate;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

/**
 * Checks a resource's spec against the Istio or Knative JSON schema published with fabric8's
 * models. Those schemas mark required fields in an old style and allow unknown fields; here the
 * old marks are dropped and unknown fields are refused, so a typo in a field name is caught.
 */
public final class SchemaCheck {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> SPEC_DEFINITIONS = Map.of(
            "networking.istio.io/v1beta1/VirtualService", "istio_io_api_networking_v1beta1_VirtualService",
            "networking.istio.io/v1beta1/DestinationRule", "istio_io_api_networking_v1beta1_DestinationRule",
            "networking.istio.io/v1beta1/Gateway", "istio_io_api_networking_v1beta1_Gateway",
            "security.istio.io/v1beta1/PeerAuthentication", "istio_io_api_security_v1beta1_PeerAuthentication",
            "security.istio.io/v1beta1/RequestAuthentication", "istio_io_api_security_v1beta1_RequestAuthentication",
            "security.istio.io/v1beta1/AuthorizationPolicy", "istio_io_api_security_v1beta1_AuthorizationPolicy",
            "serving.knative.dev/v1/Service", "knative_dev_serving_pkg_apis_serving_v1_ServiceSpec");

    private final Map<String, JsonSchema> schemas = new HashMap<>();

    public SchemaCheck() {
        ObjectNode istio = load("/meshctl/schema/istio-schema.json");
        ObjectNode knative = load("/meshctl/schema/knative-schema.json");
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7);
        SPEC_DEFINITIONS.forEach((kind, definition) -> {
            ObjectNode doc = (definition.startsWith("istio") ? istio : knative).deepCopy();
            doc.put("$ref", "#/definitions/" + definition);
            schemas.put(kind, factory.getSchema(doc));
        });
    }

    public List<Finding> check(String file, GenericKubernetesResource resource) {
        String kind = resource.getApiVersion() + "/" + resource.getKind();
        if (kind.equals("v1/ServiceAccount")) {
            return serviceAccount(file, resource);
        }
        JsonSchema schema = schemas.get(kind);
        if (schema == null) {
            return List.of(new Finding(file, "kind", kind + " is not a kind meshctl renders or knows a schema for"));
        }
        JsonNode spec = JSON.valueToTree(resource.getAdditionalProperties().get("spec"));
        List<Finding> findings = new ArrayList<>();
        for (ValidationMessage m : schema.validate(spec)) {
            findings.add(new Finding(
                    file,
                    "spec" + m.getInstanceLocation().toString().replaceFirst("^\\$", ""),
                    m.getMessage().replaceFirst("^\\$[^:]*: ", "") + " (schema of " + resource.getKind() + ")"));
        }
        return findings;
    }

    /** A ServiceAccount has no spec: only these top-level fields, with the types Kubernetes takes. */
    private static List<Finding> serviceAccount(String file, GenericKubernetesResource resource) {
        List<Finding> findings = new ArrayList<>();
        resource.getAdditionalProperties().forEach((field, value) -> {
            switch (field) {
                case "automountServiceAccountToken" -> {
                    if (!(value instanceof Boolean)) {
                        findings.add(new Finding(file, field, "'" + value + "' is not true or false"));
                    }
                }
                case "imagePullSecrets", "secrets" -> {
                    if (!(value instanceof List<?>)) {
                        findings.add(new Finding(file, field, "is not a list"));
                    }
                }
                default -> findings.add(new Finding(file, field, "is not a field of ServiceAccount"));
            }
        });
        return findings;
    }

    private static ObjectNode load(String resource) {
        try (InputStream in = SchemaCheck.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from meshctl's jar; rebuild mesh-config");
            }
            ObjectNode doc = (ObjectNode) JSON.readTree(in);
            doc.remove("id");
            doc.remove("$schema");
            doc.remove("properties");
            doc.remove("additionalProperties");
            doc.remove("type");
            tighten(doc.get("definitions"));
            return doc;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Makes the published schema describe the YAML people write: drops draft-03 style
     * "required": true; turns enums coded as protobuf integers into their names; refuses
     * properties a definition does not name, except where a protobuf oneof was flattened into
     * the parent (its members are not listed, so such objects stay open).
     */
    private static void tighten(JsonNode node) {
        if (node instanceof ObjectNode obj) {
            if (obj.get("required") != null && obj.get("required").isBoolean()) {
                obj.remove("required");
            }
            if (obj.has("javaEnums") && "integer".equals(obj.path("type").asText())) {
                ArrayNode names = obj.putArray("enum");
                obj.get("javaEnums").forEach(e -> names.add(e.get("name").asText()));
                obj.put("type", "string");
            }
            if (obj.get("properties") instanceof ObjectNode props) {
                List<String> oneOfs = new ArrayList<>();
                props.fields().forEachRemaining(e -> {
                    if (e.getValue().has("interfaceType")) {
                        oneOfs.add(e.getKey());
                    }
                });
                oneOfs.forEach(props::remove);
                if (oneOfs.isEmpty() && !obj.has("additionalProperties")) {
                    obj.put("additionalProperties", false);
                }
            }
            for (Iterator<JsonNode> it = obj.elements(); it.hasNext(); ) {
                tighten(it.next());
            }
        } else if (node != null && node.isArray()) {
            node.forEach(SchemaCheck::tighten);
        }
    }
}
