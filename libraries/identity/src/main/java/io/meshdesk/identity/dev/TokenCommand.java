package io.meshdesk.identity.dev;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Callable;

import io.meshdesk.identity.Group;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bin/meshdesk-token}: prints a token of the DEVELOPMENT issuer, for curl and the faces
 * on this machine. The functions accept it because their default configuration trusts the keys
 * under the data dir; a production deployment trusts its own identity provider and not these.
 */
@Command(
        name = "meshdesk-token",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Prints a development token (RS256 by default) for a caller of the local meshdesk.",
            "Keys: <data-dir>/identity (made on first use). For development only.",
            "Examples:",
            "  meshdesk-token customer c-1 --tier premium",
            "  meshdesk-token agent a-1",
            "  meshdesk-token supervisor s-1 --tenant acme",
            "  meshdesk-token ops",
            "  meshdesk-token service chat --aud ticketing",
            "  meshdesk-token serve --port 8089   (the issuer over HTTP, for the browser faces)"
        })
public final class TokenCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "customer, agent, supervisor, ops or service")
    Group group;

    @Parameters(index = "1", arity = "0..1", description = "the subject (sub): customer id, agent id, service name")
    String subject;

    @Option(names = "--tier", description = "premium or standard (customers; default standard)")
    String tier;

    @Option(names = "--tenant", description = "the tenant (default: none, which means 'default')")
    String tenant;

    @Option(names = "--residency", description = "where the customer's data may live")
    String residency;

    @Option(names = "--aud", description = "audience: the receiving function, for a CloudEvent sender")
    String audience;

    @Option(names = "--ttl", defaultValue = "PT8H", description = "lifetime, ISO-8601 (default PT8H)")
    Duration ttl;

    @Option(names = "--alg", defaultValue = "RS256", description = "RS256 or ES256")
    TokenSpec.Algorithm algorithm;

    @Option(names = "--data-dir", description = "default: $MESHDESK_DATA_DIR or ~/.meshdesk")
    Path dataDir;

    @Override
    public Integer call() {
        String sub = subject != null ? subject : group == Group.OPS ? "ops-1" : null;
        if (sub == null) {
            throw new CommandLine.ParameterException(
                    new CommandLine(this),
                    "name the " + group.claim() + " the token is for, e.g. meshdesk-token " + group.claim() + " "
                            + example(group));
        }
        TokenSpec spec = TokenSpec.of(sub, group)
                .withTtl(ttl)
                .withAlgorithm(algorithm)
                .withTier(group == Group.CUSTOMER && tier == null ? "standard" : tier)
                .withTenant(tenant)
                .withResidency(residency);
        if (audience != null) {
            spec = spec.withAudience(audience);
        }
        System.out.println(issuer(dataDir).sign(spec));
        return 0;
    }

    static DevIssuer issuer(Path dataDir) {
        return DevIssuer.inDirectory(keysDirectory(dataDir), DevIssuer.LOCAL_ISSUER);
    }

    static Path keysDirectory(Path dataDir) {
        Path base = dataDir != null
                ? dataDir
                : System.getenv("MESHDESK_DATA_DIR") != null
                        ? Path.of(System.getenv("MESHDESK_DATA_DIR"))
                        : Path.of(System.getProperty("user.home"), ".meshdesk");
        return base.resolve("identity");
    }

    private static String example(Group g) {
        return switch (g) {
            case CUSTOMER -> "c-1";
            case AGENT -> "a-1";
            case SUPERVISOR -> "s-1";
            case SERVICE -> "chat";
            case OPS -> "ops-1";
        };
    }

    public static void main(String[] args) {
        // "serve" is a command of its own rather than a picocli subcommand: the token command's
        // required <group> would otherwise be demanded before it.
        boolean serve = args.length > 0 && "serve".equals(args[0]);
        CommandLine cli = serve
                ? new CommandLine(new IssuerServer())
                : new CommandLine(new TokenCommand()).setCaseInsensitiveEnumValuesAllowed(true);
        System.exit(cli.execute(serve ? Arrays.copyOfRange(args, 1, args.length) : args));
    }
}
