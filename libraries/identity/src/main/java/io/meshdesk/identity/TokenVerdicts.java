package io.meshdesk.identity;

import java.time.Instant;

import org.jboss.logging.Logger;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwx.JsonWebStructure;
import org.jose4j.lang.JoseException;
import org.jose4j.lang.UnresolvableKeyException;

import io.smallrye.jwt.auth.principal.ParseException;

/**
 * Says why a token was refused, in words a caller can act on. smallrye-jwt reports it as a
 * jose4j {@link InvalidJwtException} inside its {@link ParseException}; the token and its claims
 * stay out of the answer (jose4j's own message quotes them).
 */
final class TokenVerdicts {

    private static final Logger LOG = Logger.getLogger(TokenVerdicts.class);

    private final String issuer;
    private final String keys;

    TokenVerdicts(String issuer, String keys) {
        this.issuer = issuer;
        this.keys = keys;
    }

    AuthProblem explain(ParseException e, String token) {
        String alg = algorithm(token);
        if (!"RS256".equals(alg) && !"ES256".equals(alg)) {
            return AuthProblem.unauthenticated("the bearer token is not signed with RS256 or ES256 (unsigned tokens, "
                    + "alg=none, are never accepted)");
        }
        InvalidJwtException invalid = find(e, InvalidJwtException.class);
        if (invalid != null) {
            if (invalid.hasExpired()) {
                return AuthProblem.unauthenticated(
                        "the bearer token expired" + expiry(invalid) + "; get a new one from the identity provider");
            }
            if (invalid.hasErrorCode(ErrorCodes.ISSUER_INVALID) || invalid.hasErrorCode(ErrorCodes.ISSUER_MISSING)) {
                return AuthProblem.unauthenticated("the bearer token was not issued by " + issuer
                        + ", the issuer this function trusts (mp.jwt.verify.issuer)");
            }
            if (invalid.hasErrorCode(ErrorCodes.SIGNATURE_INVALID)) {
                return AuthProblem.unauthenticated(
                        "the bearer token's signature does not verify with the issuer's keys");
            }
            if (invalid.hasErrorCode(ErrorCodes.NOT_YET_VALID)
                    || invalid.hasErrorCode(ErrorCodes.ISSUED_AT_INVALID_FUTURE)) {
                return AuthProblem.unauthenticated(
                        "the bearer token is not valid yet (nbf or iat in the future); check " + "the clocks");
            }
        }
        if (find(e, UnresolvableKeyException.class) != null) {
            // Also what a token signed by an unknown key id looks like; the log says where the keys are read.
            LOG.debugf("no verification key for a bearer token (keys from %s): %s", keys, rootMessage(e));
            return AuthProblem.unauthenticated("the bearer token is signed with a key the issuer does not publish");
        }
        if (invalid != null && !invalid.getErrorDetails().isEmpty()) {
            LOG.debugf(
                    "bearer token refused: error code %d",
                    invalid.getErrorDetails().get(0).getErrorCode());
        }
        return AuthProblem.unauthenticated("the bearer token is not a valid signed JWT from " + issuer);
    }

    private static String expiry(InvalidJwtException e) {
        try {
            return " at "
                    + Instant.ofEpochSecond(
                            e.getJwtContext().getJwtClaims().getExpirationTime().getValue());
        } catch (MalformedClaimException | RuntimeException ignored) {
            return "";
        }
    }

    /** The {@code alg} of the token's header, read without trusting anything else in it; null when unreadable. */
    private static String algorithm(String token) {
        try {
            return JsonWebStructure.fromCompactSerialization(token).getAlgorithmHeaderValue();
        } catch (JoseException | RuntimeException e) {
            return null;
        }
    }

    private static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }

    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null) {
            c = c.getCause();
        }
        return c.getClass().getSimpleName();
    }
}
