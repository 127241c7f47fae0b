package io.meshdesk.identity;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who is calling, from a verified bearer JWT: {@code sub}, {@code groups} and, for customers,
 * {@code tier}, {@code residency} and {@code tenant}. Nothing else about a request is believed.
 *
 * @param subject the participant ({@code sub}): a customer id, an agent id, a service name
 * @param tier {@code premium} or {@code standard} for customers; null when the token has none
 * @param tenant the organisation the caller belongs to; {@link #DEFAULT_TENANT} when the token names none
 * @param residency where a customer's data may live, or null
 */
public record Caller(String subject, Set<Group> groups, String tier, String tenant, String residency) {

    /** The tenant of tokens that name none: a deployment with one organisation needs no tenant claims. */
    public static final String DEFAULT_TENANT = "default";

    public Caller {
        groups = groups.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(groups));
        tenant = tenant == null || tenant.isBlank() ? DEFAULT_TENANT : tenant;
    }

    public boolean in(Group group) {
        return groups.contains(group);
    }

    public boolean inAny(Group... any) {
        return Arrays.stream(any).anyMatch(groups::contains);
    }

    public boolean premium() {
        return "premium".equals(tier);
    }

    /** True for this agent itself, or a supervisor of the tenant the agent belongs to. */
    public boolean mayActForAgent(String agentId, String agentTenant) {
        return in(Group.AGENT) && subject.equals(agentId)
                || in(Group.SUPERVISOR) && tenant.equals(agentTenant == null ? DEFAULT_TENANT : agentTenant);
    }

    /**
     * 403 unless the caller is in one of the groups; the answer names the function, the groups it
     * needs and the ones the token has (never the token).
     */
    public Caller require(String what, Group... any) {
        if (!inAny(any)) {
            throw AuthProblem.forbidden(what + " needs a token of group "
                    + Arrays.stream(any).map(Group::claim).collect(Collectors.joining(" or ")) + "; this one (sub "
                    + subject + ") has " + describeGroups());
        }
        return this;
    }

    public String describeGroups() {
        return groups.isEmpty()
                ? "no groups"
                : "groups [" + groups.stream().map(Group::claim).sorted().collect(Collectors.joining(", ")) + "]";
    }
}
