package io.meshdesk.events;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.meshdesk.identity.Group;
import io.meshdesk.identity.dev.DevIssuer;
import io.meshdesk.identity.dev.TokenSpec;

/**
 * The token a CloudEvent is sent with ({@code Authorization: Bearer}), so the receiver knows
 * which function sent it. Knative Eventing's OIDC sender identity works this way: the sender
 * presents a token bound to the receiver's audience.
 *
 * <ul>
 * <li>In a cluster: {@code meshdesk.events.auth.token-file}, a projected service-account token
 * with the receiver's audience that the kubelet keeps fresh; it is re-read every minute.</li>
 * <li>Locally: signed with the development issuer's keys ({@code meshdesk.events.auth.signing-keys},
 * the private key set under the data dir, or {@code classpath:...} in tests) for
 * {@code meshdesk.events.auth.audience}, as subject {@code quarkus.application.name} in group service.</li>
 * </ul>
 * With neither, events go without a token and the receiver refuses them (401).
 */
@ApplicationScoped
public class SenderToken {

    private static final Logger LOG = Logger.getLogger(SenderToken.class);
    /** Short, because a captured sender token can be replayed until it expires. */
    static final Duration TTL = Duration.ofMinutes(5);

    static final Duration REREAD = Duration.ofMinutes(1);

    private final Optional<Path> tokenFile;
    private final Optional<String> signingKeys;
    private final String issuer;
    private final String audience;
    private final String sender;
    private final Clock clock = Clock.systemUTC();
    private DevIssuer devIssuer;
    private String current;
    private Instant renewAt = Instant.MIN;

    SenderToken(
            @ConfigProperty(name = "meshdesk.events.auth.token-file") Optional<Path> tokenFile,
            @ConfigProperty(name = "meshdesk.events.auth.signing-keys") Optional<String> signingKeys,
            @ConfigProperty(name = "mp.jwt.verify.issuer", defaultValue = DevIssuer.LOCAL_ISSUER) String issuer,
            @ConfigProperty(name = "meshdesk.events.auth.audience", defaultValue = "ticketing") String audience,
            @ConfigProperty(name = "quarkus.application.name", defaultValue = "meshdesk") String sender) {
        this.tokenFile = tokenFile;
        this.signingKeys = signingKeys;
        this.issuer = issuer;
        this.audience = audience;
        this.sender = sender;
    }

    /** The token to send now, or empty when this process has no way to get one. */
    public synchronized Optional<String> get() {
        Instant now = clock.instant();
        if (current != null && now.isBefore(renewAt)) {
            return Optional.of(current);
        }
        try {
            if (tokenFile.isPresent()) {
                current = Files.readString(tokenFile.get()).trim();
                renewAt = now.plus(REREAD);
            } else if (signingKeys.isPresent()) {
                current = issuer().sign(TokenSpec.of(sender, Group.SERVICE)
                        .withAudience(audience)
                        .withTtl(TTL));
                renewAt = now.plus(TTL.dividedBy(2));
            } else {
                return Optional.empty();
            }
        } catch (IOException | UncheckedIOException | IllegalStateException e) {
            // Tried again a minute later, not for every event.
            renewAt = now.plus(REREAD);
            LOG.warnf(
                    "no sender token for events (%s); the receiver will refuse them until there is one",
                    e.getMessage());
            return Optional.ofNullable(current);
        }
        return Optional.of(current);
    }

    private DevIssuer issuer() {
        if (devIssuer == null) {
            String keys = signingKeys.orElseThrow();
            devIssuer = keys.startsWith("classpath:")
                    ? DevIssuer.fromResource(keys.substring(10), issuer)
                    : DevIssuer.fromFile(Path.of(keys), issuer);
        }
        return devIssuer;
    }
}
