package io.meshdesk.ticketing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/** A real PostgreSQL (embedded, on a free port) for a {@code @QuarkusTest}, stopped after. */
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {

    private static volatile EmbeddedPostgres postgres;

    public static EmbeddedPostgres postgres() {
        return postgres;
    }

    @Override
    public Map<String, String> start() {
        try {
            postgres = EmbeddedPostgres.builder().start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of(
                "quarkus.datasource.jdbc.url",
                postgres.getJdbcUrl("postgres", "postgres"),
                "quarkus.datasource.username",
                "postgres",
                "quarkus.datasource.password",
                "postgres");
    }

    @Override
    public void stop() {
        try {
            if (postgres != null) {
                postgres.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
