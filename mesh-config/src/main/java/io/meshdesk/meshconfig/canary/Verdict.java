package io.meshdesk.meshconfig.canary;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A check's outcome: within its thresholds, outside them, too few requests to say, or
 * Prometheus could not be queried (not low traffic: nothing is known about the candidate).
 */
public enum Verdict {
    PASS("pass"),
    FAIL("fail"),
    NO_DATA("no-data"),
    ERROR("error");

    private final String label;

    Verdict(String label) {
        this.label = label;
    }

    @JsonValue
    @Override
    public String toString() {
        return label;
    }
}
