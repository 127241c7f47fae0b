package io.meshdesk.ticketing.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.Set;

import org.eclipse.microprofile.config.spi.ConfigSource;
import org.jboss.logging.Logger;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Where ticketing's database is when nobody said: MESHDESK_DB_URL (with MESHDESK_DB_USER and
 * MESHDESK_DB_PASSWORD) when set, otherwise a real PostgreSQL started on first use, with its
 * data under {@code meshdesk.data-dir}/postgres so tickets survive a restart. Its ordinal is
 * low, so any configured {@code quarkus.datasource.*} wins and nothing embedded starts.
 *
 * <p>It is durable (fsync and synchronous commit on) and starts after a crash of anything: a
 * PostgreSQL that outlived a killed JVM, or a stale {@code postmaster.pid}, is cleared first
 * ({@link OrphanedPostgres}).
 */
public final class EmbeddedPostgresConfigSource implements ConfigSource {

    static final String URL = "quarkus.datasource.jdbc.url";
    static final String USER = "quarkus.datasource.username";
    static final String PASSWORD = "quarkus.datasource.password";

    private static EmbeddedPostgres embedded;

    @Override
    public Set<String> getPropertyNames() {
        return Set.of();
    }

    @Override
    public Map<String, String> getProperties() {
        return Map.of();
    }

    @Override
    public int getOrdinal() {
        return 50;
    }

    @Override
    public String getName() {
        return "meshdesk-embedded-postgres";
    }

    @Override
    public String getValue(String name) {
        if (!name.equals(URL) && !name.equals(USER) && !name.equals(PASSWORD)) {
            return null;
        }
        String external = setting("MESHDESK_DB_URL", "meshdesk.db.url");
        if (external != null) {
            return switch (name) {
                case URL -> external;
                case USER -> setting("MESHDESK_DB_USER", "meshdesk.db.user");
                default -> setting("MESHDESK_DB_PASSWORD", "meshdesk.db.password");
            };
        }
        if (duringBuild()) {
            return null;
        }
        EmbeddedPostgres pg = start();
        return switch (name) {
            case URL -> pg.getJdbcUrl("postgres", "postgres");
            default -> "postgres";
        };
    }

    /** The Quarkus build reads configuration too; a database must not start inside Maven. */
    private static boolean duringBuild() {
        return StackWalker.getInstance()
                .walk(frames -> frames.anyMatch(f -> f.getClassName().startsWith("io.quarkus.deployment.")));
    }

    private static synchronized EmbeddedPostgres start() {
        if (embedded == null) {
            // MESHDESK_POSTGRES_DIR: each region of bin/meshdesk-up keeps its own database.
            String own = setting("MESHDESK_POSTGRES_DIR", "meshdesk.db.data-dir");
            Path dir = own != null ? Paths.get(own) : dataDir().resolve("postgres");
            try {
                Files.createDirectories(dir);
                String found = OrphanedPostgres.clear(dir);
                EmbeddedPostgres.Builder builder =
                        EmbeddedPostgres.builder().setDataDirectory(dir).setCleanDataDirectory(false);
                if (durable()) {
                    // zonky starts PostgreSQL with -F (fsync off) and synchronous_commit=off: fast
                    // for tests, but a crash then loses tickets the caller was told are stored.
                    // Options given later win, so these turn durability back on.
                    builder.setServerConfig("fsync", "on")
                            .setServerConfig("synchronous_commit", "on")
                            .setServerConfig("full_page_writes", "on");
                }
                embedded = builder.start();
                if (!"clean".equals(found)) {
                    Logger.getLogger(EmbeddedPostgresConfigSource.class)
                            .infof("embedded PostgreSQL in %s started after a crash: %s", dir, found);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(
                        "could not start the embedded PostgreSQL in " + dir + ": " + e.getMessage()
                                + "; set MESHDESK_DB_URL to use a PostgreSQL server instead",
                        e);
            }
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(
                            () -> {
                                try {
                                    embedded.close();
                                } catch (IOException ignored) {
                                    // The process is ending; PostgreSQL stops with it.
                                }
                            },
                            "embedded-postgres-stop"));
        }
        return embedded;
    }

    /** Durable unless meshdesk.db.embedded.durable=false (tests that want speed over crash safety). */
    private static boolean durable() {
        String value = setting("MESHDESK_DB_EMBEDDED_DURABLE", "meshdesk.db.embedded.durable");
        return value == null || Boolean.parseBoolean(value);
    }

    private static Path dataDir() {
        String dir = setting("MESHDESK_DATA_DIR", "meshdesk.data-dir");
        return dir != null ? Paths.get(dir) : Paths.get(System.getProperty("user.home"), ".meshdesk");
    }

    private static String setting(String env, String property) {
        String value = System.getProperty(property, System.getenv(env));
        return value == null || value.isBlank() ? null : value;
    }
}
