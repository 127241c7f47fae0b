package io.meshdesk.observability;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/** The panels' queries in observability/grafana/dashboards/. */
final class Dashboards {

    record Query(String dashboard, String panel, String expr) {
        /** The query as Grafana sends it with {@code region} set to a regex (".*" for All). */
        String withRegion(String region) {
            return expr.replace("$region", region);
        }

        @Override
        public String toString() {
            return dashboard + " / " + panel + ": " + expr;
        }
    }

    private Dashboards() {}

    static List<Path> files() {
        return Repo.files(Repo.DASHBOARDS, ".json");
    }

    static List<Query> queries() {
        List<Query> queries = new ArrayList<>();
        for (Path file : files()) {
            JsonNode d = Repo.json(file);
            for (JsonNode panel : d.path("panels")) {
                for (JsonNode target : panel.path("targets")) {
                    queries.add(new Query(
                            d.path("title").asText(),
                            panel.path("title").asText(),
                            target.path("expr").asText()));
                }
            }
        }
        return queries;
    }
}
