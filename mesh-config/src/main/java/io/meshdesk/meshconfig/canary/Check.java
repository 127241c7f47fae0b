package io.meshdesk.meshconfig.canary;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One check as it ran: its name, the exact PromQL, the value (null without data), the
 * threshold it was held to, the requests it was judged on, and the verdict with the reason.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Check(
        String name, String query, Double value, String threshold, long samples, Verdict verdict, String reason) {

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
