package io.meshdesk.token;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SessionTokensTest {

    static final String SECRET = "a-test-secret-that-is-long-enough-for-hs256";
    final Instant now = Instant.parse("2026-11-24T10:00:00Z");
    final SessionTokens tokens = new SessionTokens(SECRET, Duration.ofMinutes(10), Clock.fixed(now, ZoneOffset.UTC));

    @Test
    void aTokenCarriesSessionParticipantAndRole() throws Exception {
        SessionClaims claims = tokens.verify(tokens.issue("s-1", "c-9", ParticipantRole.CUSTOMER));
        assertThat(claims)
                .isEqualTo(new SessionClaims("s-1", "c-9", ParticipantRole.CUSTOMER, now.plus(Duration.ofMinutes(10))));
    }

    @Test
    void anExpiredTokenIsToldApartFromAForgedOne() {
        String token = tokens.issue("s-1", "a-1", ParticipantRole.AGENT);
        SessionTokens later = new SessionTokens(
                SECRET, Duration.ofMinutes(10), Clock.fixed(now.plus(Duration.ofMinutes(11)), ZoneOffset.UTC));
        assertThatThrownBy(() -> later.verify(token))
                .isInstanceOfSatisfying(
                        SessionTokens.InvalidToken.class,
                        e -> assertThat(e.expired()).isTrue());

        SessionTokens otherSecret =
                new SessionTokens(SECRET + "-but-another", Duration.ofMinutes(10), Clock.fixed(now, ZoneOffset.UTC));
        assertThatThrownBy(() -> otherSecret.verify(token))
                .isInstanceOfSatisfying(
                        SessionTokens.InvalidToken.class,
                        e -> assertThat(e.expired()).isFalse());
        assertThatThrownBy(() -> tokens.verify("not.a.token")).isInstanceOf(SessionTokens.InvalidToken.class);
    }

    @Test
    void aShortSecretIsRefusedWithAMessageThatSaysWhichSetting() {
        assertThatThrownBy(() -> new SessionTokens("short", Duration.ofMinutes(1), Clock.systemUTC()))
                .hasMessageContaining("MESHDESK_SESSION_TOKEN_SECRET")
                .hasMessageContaining("32 bytes");
    }
}
