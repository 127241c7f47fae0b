package io.meshdesk.identity.testing;

import java.time.Duration;

import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;

import io.meshdesk.identity.Group;
import io.meshdesk.identity.dev.DevIssuer;
import io.meshdesk.identity.dev.TokenSpec;

/**
 * Real tokens for tests, signed with the checked-in TEST key (never trusted outside the test
 * profile). A function under test verifies them when its {@code %test} profile says:
 *
 * <pre>
 * %test.mp.jwt.verify.publickey.location=meshdesk-test-issuer/jwks.json
 * %test.mp.jwt.verify.issuer=https://test-issuer.meshdesk.invalid
 * </pre>
 *
 * Each method answers the compact token; {@link #bearer} makes the header value.
 */
public final class TestTokens {

    public static final String ISSUER = "https://test-issuer.meshdesk.invalid";
    public static final String PUBLIC_KEYS = "meshdesk-test-issuer/jwks.json";

    private static final DevIssuer TEST = DevIssuer.fromResource("meshdesk-test-issuer/private-jwks.json", ISSUER);
    /** Same issuer name and key ids, other keys: what a forger without the private key can make. */
    private static final DevIssuer FORGER = DevIssuer.ephemeral(ISSUER);

    private static final DevIssuer STRANGER =
            DevIssuer.fromResource("meshdesk-test-issuer/private-jwks.json", "https://someone-else.example");

    private TestTokens() {}

    public static String customer(String customerId) {
        return sign(TokenSpec.of(customerId, Group.CUSTOMER).withTier("standard"));
    }

    public static String premiumCustomer(String customerId) {
        return sign(TokenSpec.of(customerId, Group.CUSTOMER).withTier("premium"));
    }

    public static String agent(String agentId) {
        return sign(TokenSpec.of(agentId, Group.AGENT));
    }

    public static String agent(String agentId, String tenant) {
        return sign(TokenSpec.of(agentId, Group.AGENT).withTenant(tenant));
    }

    public static String supervisor(String supervisorId, String tenant) {
        return sign(TokenSpec.of(supervisorId, Group.SUPERVISOR).withTenant(tenant));
    }

    public static String ops() {
        return sign(TokenSpec.of("ops-1", Group.OPS));
    }

    /** A function or the Broker; {@code audience} is the receiving function (CloudEvents need it). */
    public static String service(String name, String audience) {
        return sign(TokenSpec.of(name, Group.SERVICE).withAudience(audience));
    }

    public static String sign(TokenSpec spec) {
        return TEST.sign(spec);
    }

    /** Valid in every way but its time: it expired a minute ago. */
    public static String expired(TokenSpec spec) {
        return TEST.sign(spec.withTtl(Duration.ofMinutes(-1)));
    }

    /** Right issuer name and key id, signed with a key the issuer never had. */
    public static String forged(TokenSpec spec) {
        return FORGER.sign(spec);
    }

    /** Signed with the test key, but claiming another issuer. */
    public static String otherIssuer(TokenSpec spec) {
        return STRANGER.sign(spec);
    }

    /** An unsigned token ({@code alg: none}) with the issuer and claims a real one would have. */
    public static String unsigned(TokenSpec spec) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(ISSUER);
        claims.setSubject(spec.subject());
        claims.setStringListClaim(
                "groups", spec.groups().stream().map(Group::claim).toList());
        claims.setExpirationTime(NumericDate.fromSeconds(
                NumericDate.now().getValue() + spec.ttl().toSeconds()));
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.NONE);
        jws.setAlgorithmConstraints(AlgorithmConstraints.NO_CONSTRAINTS);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String bearer(String token) {
        return "Bearer " + token;
    }
}
