package io.meshdesk.token;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.HmacKey;
import org.jose4j.lang.JoseException;

/**
 * Session tokens: standard HS256 JWTs with the secret routing and chat share
 * ({@code meshdesk.session-token.secret}). A token binds a session, a participant and a role.
 */
public final class SessionTokens {

    static final String ISSUER = "meshdesk-routing";
    static final String SESSION_CLAIM = "sid";
    static final String ROLE_CLAIM = "role";
    /** HS256 wants a key of at least 256 bits. */
    static final int MIN_SECRET_BYTES = 32;

    private final HmacKey key;
    private final Duration ttl;
    private final Clock clock;

    public SessionTokens(String secret, Duration ttl, Clock clock) {
        if (secret == null || secret.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("meshdesk.session-token.secret (MESHDESK_SESSION_TOKEN_SECRET) must be "
                    + "at least " + MIN_SECRET_BYTES + " bytes; routing and chat must share the same value");
        }
        this.key = new HmacKey(secret.getBytes(StandardCharsets.UTF_8));
        this.ttl = ttl;
        this.clock = clock;
    }

    public String issue(String sessionId, String participantId, ParticipantRole role) {
        JwtClaims claims = new JwtClaims();
        Instant now = clock.instant();
        claims.setIssuer(ISSUER);
        claims.setSubject(participantId);
        claims.setClaim(SESSION_CLAIM, sessionId);
        claims.setClaim(ROLE_CLAIM, role.claim());
        claims.setIssuedAt(NumericDate.fromMilliseconds(now.toEpochMilli()));
        claims.setExpirationTime(NumericDate.fromMilliseconds(now.plus(ttl).toEpochMilli()));
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
        jws.setKey(key);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("could not sign a session token", e);
        }
    }

    /** Checks signature, issuer and expiry; says which check failed. */
    public SessionClaims verify(String token) throws InvalidToken {
        JwtConsumer consumer = new JwtConsumerBuilder()
                .setRequireExpirationTime()
                .setAllowedClockSkewInSeconds(5)
                .setEvaluationTime(NumericDate.fromMilliseconds(clock.millis()))
                .setExpectedIssuer(ISSUER)
                .setRequireSubject()
                .setVerificationKey(key)
                .setJwsAlgorithmConstraints(
                        AlgorithmConstraints.ConstraintType.PERMIT, AlgorithmIdentifiers.HMAC_SHA256)
                .build();
        try {
            JwtClaims claims = consumer.processToClaims(token);
            ParticipantRole role = ParticipantRole.valueOf(
                    claims.getStringClaimValue(ROLE_CLAIM).toUpperCase());
            return new SessionClaims(
                    claims.getStringClaimValue(SESSION_CLAIM),
                    claims.getSubject(),
                    role,
                    Instant.ofEpochMilli(claims.getExpirationTime().getValueInMillis()));
        } catch (InvalidJwtException e) {
            if (e.hasExpired()) {
                throw new InvalidToken(true, "the session token expired; ask routing for a new one (session-token)");
            }
            throw new InvalidToken(
                    false,
                    "the session token is not valid: "
                            + e.getErrorDetails().stream()
                                    .map(d -> d.getErrorMessage())
                                    .findFirst()
                                    .orElse("unreadable"));
        } catch (MalformedClaimException | IllegalArgumentException | NullPointerException e) {
            throw new InvalidToken(false, "the session token lacks the session, participant or role claim");
        }
    }

    /** A token that cannot be used; {@code expired} tells a lapsed token from a forged or broken one. */
    public static final class InvalidToken extends Exception {
        private final boolean expired;

        InvalidToken(boolean expired, String message) {
            super(message);
            this.expired = expired;
        }

        public boolean expired() {
            return expired;
        }
    }
}
