package io.meshdesk.meshconfig.explain;

import java.util.List;

/** Where a request goes, as the rendered resources decide it. */
public record Explanation(String region, String function, String gateway, String route,
        List<Destination> destinations, Destination mirror, Double mirrorPercent, String timeout,
        int retryAttempts, String roleHeader, List<String> failover, List<String> notes) {

    public record Destination(String host, String subset, int weight) {
        @Override
        public String toString() {
            return host + " subset " + subset + " (" + weight + "%)";
        }
    }

    public String render() {
        StringBuilder b = new StringBuilder();
        b.append("request to ").append(function).append(" in ").append(region).append(" via ").append(gateway)
                .append('\n');
        b.append("  route:        ").append(route).append('\n');
        destinations.forEach(d -> b.append("  destination:  ").append(d).append('\n'));
        if (mirror != null) {
            b.append("  mirror:       ").append(mirror.host()).append(" subset ").append(mirror.subset())
                    .append(" (").append(mirrorPercent).append("% of requests, responses discarded)\n");
        }
        b.append("  timeout:      ").append(timeout).append('\n');
        b.append("  retries:      ").append(retryAttempts).append('\n');
        if (roleHeader != null) {
            b.append("  x-user-role:  set to ").append(roleHeader).append(" (any value the client sent is replaced)\n");
        }
        b.append("  failover:     ").append(failover.isEmpty() ? "none" : String.join(", then ", failover))
                .append('\n');
        notes.forEach(n -> b.append("  note:         ").append(n).append('\n'));
        return b.toString();
    }
}
