package io.meshdesk.meshconfig.canary;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One check as it ran: its name, the exact PromQL, the value (null without data), the
 * threshold it was held to, the requests it was judged on, and the verdict with the reason.
 * In JSON every field is present (value and query null when there is none), so a script can
 * read each check the same way; only the reason, which a pass has not, is left out when null.
 */
public record Check(
        String name,
        String query,
        Double value,
        String threshold,
        long samples,
        Verdict verdict,
        @JsonInclude(JsonInclude.Include.NON_NULL) String reason) {

    public String line() {
        return String.format(
                "%-26s %-8s value %-10s %-28s samples %-6d %s%n    %s",
                name,
                verdict,
                value == null ? "-" : String.format("%.3f", value),
                threshold,
                samples,
                reason == null ? "" : reason,
                query);
    }
}
