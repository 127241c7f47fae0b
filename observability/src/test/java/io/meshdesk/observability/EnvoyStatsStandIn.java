package io.meshdesk.observability;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpServer;

/**
 * Plays an Envoy sidecar's {@code /stats/prometheus} with the standard Istio metrics, since no
 * Envoy or Istio runs here: routing v1 (stable) and v2 (canary) in cn-north, some calls failed
 * over to us-east. Counters grow on every scrape, as live traffic would make them. The series
 * and label names are Istio's own; what this proves is that the mesh dashboard's and Kiali's
 * queries fit them after the regional aggregation and central federation.
 */
final class EnvoyStatsStandIn implements AutoCloseable {

    private final HttpServer server;
    private final AtomicLong scrapes = new AtomicLong();

    EnvoyStatsStandIn() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/stats/prometheus", exchange -> {
            byte[] body = exposition(scrapes.incrementAndGet()).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("content-type", "text/plain; version=0.0.4");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    String target() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    private static String exposition(long n) {
        StringBuilder s = new StringBuilder();
        s.append("# TYPE istio_requests_total counter\n");
        requests(s, "v1", "200", "cn-north", 90 * n);
        requests(s, "v1", "503", "cn-north", n / 3);
        requests(s, "v2", "200", "cn-north", 10 * n);
        requests(s, "v1", "200", "us-east", 2 * n);
        s.append("# TYPE istio_request_duration_milliseconds histogram\n");
        for (String version : new String[] {"v1", "v2"}) {
            long total = version.equals("v1") ? 90 * n : 10 * n;
            String labels = common(version, "200", "cn-north");
            long[] bounds = {5, 10, 25, 50, 100, 250, 500, 1000};
            double[] share = {0.2, 0.5, 0.8, 0.9, 0.95, 0.98, 0.995, 1.0};
            for (int i = 0; i < bounds.length; i++) {
                s.append("istio_request_duration_milliseconds_bucket{")
                        .append(labels)
                        .append(",le=\"")
                        .append(bounds[i])
                        .append("\"} ")
                        .append((long) (total * share[i]))
                        .append('\n');
            }
            s.append("istio_request_duration_milliseconds_bucket{")
                    .append(labels)
                    .append(",le=\"+Inf\"} ")
                    .append(total)
                    .append('\n');
            s.append("istio_request_duration_milliseconds_sum{")
                    .append(labels)
                    .append("} ")
                    .append(total * 20)
                    .append('\n');
            s.append("istio_request_duration_milliseconds_count{")
                    .append(labels)
                    .append("} ")
                    .append(total)
                    .append('\n');
        }
        return s.toString();
    }

    private static void requests(StringBuilder s, String version, String code, String destinationCluster, long value) {
        s.append("istio_requests_total{")
                .append(common(version, code, destinationCluster))
                .append("} ")
                .append(value)
                .append('\n');
    }

    private static String common(String version, String code, String destinationCluster) {
        return "reporter=\"destination\",source_workload=\"istio-ingressgateway\",source_app=\"istio-ingressgateway\","
                + "source_cluster=\"cn-north\",destination_cluster=\"" + destinationCluster + "\","
                + "destination_service=\"routing.meshdesk.svc.cluster.local\",destination_service_namespace=\"meshdesk\",destination_workload_namespace=\"meshdesk\","
                + "destination_workload=\"routing-" + version + "\",destination_app=\"routing\","
                + "destination_version=\"" + version + "\",request_protocol=\"http\",response_code=\"" + code + "\","
                + "connection_security_policy=\"mutual_tls\"";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
