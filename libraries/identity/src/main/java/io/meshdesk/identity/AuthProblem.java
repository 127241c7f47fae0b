package io.meshdesk.identity;

import io.meshdesk.problem.Problem;

/**
 * The answers about identity: 401 when the caller is not known (no token, or one that does not
 * verify), 403 when it is known but a rule forbids what it asks. Details name what is wrong and
 * the rule, never the token itself.
 */
public final class AuthProblem extends Problem {

    private AuthProblem(int status, String title, String detail) {
        super(status, title, detail, null, null);
    }

    public static AuthProblem unauthenticated(String detail) {
        return new AuthProblem(401, "Unauthorized", detail);
    }

    public static AuthProblem forbidden(String rule) {
        return new AuthProblem(403, "Forbidden", rule);
    }
}
