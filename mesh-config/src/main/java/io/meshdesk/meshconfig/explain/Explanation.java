package io.meshdesk.meshconfig.explain;

import java.util.List;

/**
 * Where a request goes, as the rendered resources decide it: the route on meshdesk's ingress
 * host (when it comes through the ingress), the Knative Service it reaches, and how Knative
 * splits it between revisions.
 */
public record Explanation(
        String region,
        String function,
        String gateway,
        String route,
        String service,
        List<Destination> destinations,
        String mirror,
        Double mirrorPercent,
        String timeout,
        int retryAttempts,
        String roleHeader,
        List<String> notes) {

    /** A revision of the Knative Service and its share of the requests. */
    public record Destination(String revision, String tag, int percent) {
        @Override
        public String toString() {
            return revision + (tag == null ? "" : " [" + tag + "]") + " (" + percent + "%)";
        }
    }

    public String render() {
        StringBuilder b = new StringBuilder();
        b.append("request to ")
                .append(function)
                .append(" in ")
                .append(region)
                .append(" via ")
                .append(gateway)
                .append('\n');
        b.append("  route:        ").append(route).append('\n');
        b.append("  service:      ").append(service).append(" (Knative splits its revisions)\n");
        destinations.forEach(d -> b.append("  revision:     ").append(d).append('\n'));
        if (mirror != null) {
            b.append("  mirror:       ")
                    .append(mirror)
                    .append(" (")
                    .append(mirrorPercent)
                    .append("% of requests, responses discarded)\n");
        }
        b.append("  timeout:      ").append(timeout).append('\n');
        b.append("  retries:      ").append(retryAttempts).append('\n');
        if (roleHeader != null) {
            b.append("  x-user-role:  set to ").append(roleHeader).append(" (any value the client sent is replaced)\n");
        }
        notes.forEach(n -> b.append("  note:         ").append(n).append('\n'));
        return b.toString();
    }
}
