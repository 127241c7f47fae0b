package io.meshdesk.routing.audit;

import com.fasterxml.jackson.databind.JsonNode;

import io.meshdesk.identity.Group;
import io.meshdesk.identity.Identity;
import io.meshdesk.routing.RoutingInstance;
import io.quarkus.funqy.Funq;

/** {@code routing-audit}: the invariant check, for ops to run against a live etcd. */
public class AuditFunctions {

    private final RoutingInstance routing;
    private final Identity identity;

    AuditFunctions(RoutingInstance routing, Identity identity) {
        this.routing = routing;
        this.identity = identity;
    }

    /**
     * Takes no input; a body of {} is accepted because callers and CloudEvents send one. It reads
     * every session and agent of the region, so only ops may run it.
     */
    @Funq("routing-audit")
    public AuditReport audit(JsonNode ignored) {
        identity.caller().require("routing-audit (it reads the whole keyspace)", Group.OPS);
        return routing.audit().run();
    }
}
