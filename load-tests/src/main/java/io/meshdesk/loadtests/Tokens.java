package io.meshdesk.loadtests;

import io.meshdesk.identity.Group;
import io.meshdesk.identity.dev.DevIssuer;
import io.meshdesk.identity.dev.TokenSpec;

/**
 * The bearer tokens the drivers present, signed by the platform's own development issuer, whom
 * every function of the run trusts: customers, agents and ops act as themselves, as people do.
 */
final class Tokens {

    private final DevIssuer issuer;

    Tokens(DevIssuer issuer) {
        this.issuer = issuer;
    }

    String customer(String customerId) {
        return issuer.sign(TokenSpec.of(customerId, Group.CUSTOMER).withTier("standard"));
    }

    String agent(String agentId) {
        return issuer.sign(TokenSpec.of(agentId, Group.AGENT));
    }

    String ops() {
        return issuer.sign(TokenSpec.of("load-test-ops", Group.OPS));
    }
}
