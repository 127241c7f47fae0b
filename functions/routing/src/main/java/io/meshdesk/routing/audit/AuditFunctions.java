package io.meshdesk.routing.audit;

import com.fasterxml.jackson.databind.JsonNode;

import io.meshdesk.identity.Group;
import io.meshdesk.identity.Identity;
import io.quarkus.funqy.Funq;

/** {@code routing-audit}: the invariant check, for ops to run against a live etcd. */
public class AuditFunctions {

    private final Audit audit;
    private final Identity identity;

    AuditFunctions(Audit audit, Identity identity) {
        this.audit = audit;
        this.identity = identity;
    }

    /**
     * Takes no input; a body of {} is accepted because callers and CloudEvents send one. It reads
     * every session and agent of the region, so only ops may run it.
     */
    @Funq("routing-audit")
    public AuditReport audit(JsonNode ignored) {
        identity.caller().require("routing-audit (it reads the whole keyspace)", Group.OPS);
        return audit.run();
    }
}
