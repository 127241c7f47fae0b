package io.meshdesk.identity.dev;

import java.time.Duration;
import java.util.Set;

import io.meshdesk.identity.Group;

/**
 * What a development token says. Built with {@link #of} and the {@code with...} methods, so a
 * test reads as the token it needs: {@code TokenSpec.of("c-1", Group.CUSTOMER).withTier("premium")}.
 */
public record TokenSpec(
        String subject,
        Set<Group> groups,
        String tier,
        String tenant,
        String residency,
        Set<String> audience,
        Duration ttl,
        Algorithm algorithm) {

    /** The two algorithms meshdesk accepts; both keys are in the issuer's key set. */
    public enum Algorithm {
        RS256,
        ES256
    }

    public static final Duration DEFAULT_TTL = Duration.ofHours(8);

    public static TokenSpec of(String subject, Group... groups) {
        return new TokenSpec(subject, Set.of(groups), null, null, null, Set.of(), DEFAULT_TTL, Algorithm.RS256);
    }

    public TokenSpec withTier(String t) {
        return new TokenSpec(subject, groups, t, tenant, residency, audience, ttl, algorithm);
    }

    public TokenSpec withTenant(String t) {
        return new TokenSpec(subject, groups, tier, t, residency, audience, ttl, algorithm);
    }

    public TokenSpec withResidency(String r) {
        return new TokenSpec(subject, groups, tier, tenant, r, audience, ttl, algorithm);
    }

    /** Audience-bound, as a CloudEvent sender's token for the receiving function must be. */
    public TokenSpec withAudience(String... aud) {
        return new TokenSpec(subject, groups, tier, tenant, residency, Set.of(aud), ttl, algorithm);
    }

    /** A negative TTL makes a token that expired that long ago. */
    public TokenSpec withTtl(Duration t) {
        return new TokenSpec(subject, groups, tier, tenant, residency, audience, t, algorithm);
    }

    public TokenSpec withAlgorithm(Algorithm a) {
        return new TokenSpec(subject, groups, tier, tenant, residency, audience, ttl, a);
    }
}
