package io.meshdesk.identity;

import java.util.EnumSet;
import java.util.Set;

import jakarta.json.JsonString;

import org.eclipse.microprofile.jwt.JsonWebToken;

/** The claims meshdesk reads from a verified token, and their names (a contract with the identity provider). */
public final class Claims {

    public static final String GROUPS = "groups";
    public static final String TIER = "tier";
    public static final String TENANT = "tenant";
    public static final String RESIDENCY = "residency";

    private Claims() {}

    /** Groups meshdesk does not know are ignored: an identity provider may carry its own. */
    static Caller caller(JsonWebToken jwt) {
        Set<Group> groups = EnumSet.noneOf(Group.class);
        if (jwt.getGroups() != null) {
            jwt.getGroups().forEach(g -> Group.fromClaim(g).ifPresent(groups::add));
        }
        if (jwt.getSubject() == null || jwt.getSubject().isBlank()) {
            throw AuthProblem.unauthenticated("the bearer token has no subject (sub); it cannot say who is calling");
        }
        return new Caller(jwt.getSubject(), groups, string(jwt, TIER), string(jwt, TENANT), string(jwt, RESIDENCY));
    }

    private static String string(JsonWebToken jwt, String name) {
        Object value = jwt.getClaim(name);
        if (value == null) {
            return null;
        }
        // smallrye-jwt hands claims over as JSON values; a string claim's toString is quoted.
        String text = value instanceof JsonString s ? s.getString() : value.toString();
        return text.isBlank() ? null : text;
    }
}
