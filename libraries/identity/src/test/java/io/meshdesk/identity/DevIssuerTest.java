package io.meshdesk.identity;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.meshdesk.identity.dev.DevCallers;
import io.meshdesk.identity.dev.DevIssuer;
import io.meshdesk.identity.dev.TokenSpec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The development issuer: keys made once and kept, tokens that verify with its public key set. */
class DevIssuerTest {

    @TempDir
    Path dir;

    private JwtClaims verify(String token) throws Exception {
        JsonWebKeySet keys = new JsonWebKeySet(Files.readString(dir.resolve(DevIssuer.PUBLIC_KEYS)));
        JwtConsumer consumer = new JwtConsumerBuilder()
                .setExpectedIssuer(DevIssuer.LOCAL_ISSUER)
                .setSkipDefaultAudienceValidation()
                .setVerificationKeyResolver(new JwksVerificationKeyResolver(keys.getJsonWebKeys()))
                .build();
        return consumer.processToClaims(token);
    }

    @Test
    void keysAreMadeOnceKeptPrivateAndReusedByTheNextProcess() throws Exception {
        String first = DevIssuer.inDirectory(dir, DevIssuer.LOCAL_ISSUER).sign(TokenSpec.of("a-1", Group.AGENT));
        String publicKeys = Files.readString(dir.resolve(DevIssuer.PUBLIC_KEYS));
        DevIssuer again = DevIssuer.inDirectory(dir, DevIssuer.LOCAL_ISSUER);

        assertThat(Files.readString(dir.resolve(DevIssuer.PUBLIC_KEYS))).isEqualTo(publicKeys);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(DevIssuer.PRIVATE_KEYS))))
                .isEqualTo("rw-------");
        assertThat(publicKeys).doesNotContain("\"d\"");
        assertThat(verify(first).getSubject()).isEqualTo("a-1");
        assertThat(verify(again.sign(TokenSpec.of("a-1", Group.AGENT))).getStringListClaimValue("groups"))
                .containsExactly("agent");
    }

    @Test
    void rs256AndEs256TokensCarryTheClaimsMeshdeskReads() throws Exception {
        DevIssuer issuer = DevIssuer.inDirectory(dir, DevIssuer.LOCAL_ISSUER);
        for (TokenSpec.Algorithm alg : TokenSpec.Algorithm.values()) {
            JwtClaims claims = verify(issuer.sign(TokenSpec.of("c-1", Group.CUSTOMER)
                    .withTier("premium")
                    .withTenant("acme")
                    .withResidency("cn")
                    .withAudience("ticketing")
                    .withAlgorithm(alg)));
            assertThat(claims.getClaimValueAsString(Claims.TIER)).isEqualTo("premium");
            assertThat(claims.getClaimValueAsString(Claims.TENANT)).isEqualTo("acme");
            assertThat(claims.getClaimValueAsString(Claims.RESIDENCY)).isEqualTo("cn");
            assertThat(claims.getAudience()).containsExactly("ticketing");
        }
    }

    @Test
    void anotherIssuersKeysDoNotVerify() {
        DevIssuer.inDirectory(dir, DevIssuer.LOCAL_ISSUER);
        String forged = DevIssuer.ephemeral(DevIssuer.LOCAL_ISSUER).sign(TokenSpec.of("a-1", Group.AGENT));
        assertThatThrownBy(() -> verify(forged)).isInstanceOf(InvalidJwtException.class);
    }

    @Test
    void devCallersSignAsTheCallerTheRulesExpectAndReuseTokens() throws Exception {
        DevCallers callers = new DevCallers(DevIssuer.inDirectory(dir, DevIssuer.LOCAL_ISSUER));
        ObjectMapper json = new ObjectMapper();
        String route = callers.tokenFor("session-route", json.readTree("{\"customerId\":\"c-9\"}"));
        assertThat(verify(route).getSubject()).isEqualTo("c-9");
        assertThat(verify(callers.tokenFor("agent-status", json.readTree("{\"agentId\":\"a-3\"}")))
                        .getSubject())
                .isEqualTo("a-3");
        assertThat(verify(callers.tokenFor("routing-audit", json.readTree("{}")))
                        .getStringListClaimValue("groups"))
                .containsExactly("ops");
        assertThat(callers.tokenFor("session-route", json.readTree("{\"customerId\":\"c-9\"}")))
                .isSameAs(route);
    }
}
