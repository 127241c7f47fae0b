package io.meshdesk.routing.audit;

import com.fasterxml.jackson.databind.JsonNode;

import io.meshdesk.routing.RoutingInstance;
import io.quarkus.funqy.Funq;

/** {@code routing-audit}: the invariant check, for ops to run against a live etcd. */
public class AuditFunctions {

    private final RoutingInstance routing;

    AuditFunctions(RoutingInstance routing) {
        this.routing = routing;
    }

    /** Takes no input; a body of {} is accepted because callers and CloudEvents send one. */
    @Funq("routing-audit")
    public AuditReport audit(JsonNode ignored) {
        return routing.audit().run();
    }
}
