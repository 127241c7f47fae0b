package io.meshdesk.meshconfig.canary;

import com.fasterxml.jackson.annotation.JsonValue;

/** A check's outcome: within its thresholds, outside them, or too few requests to say. */
public enum Verdict {
    PASS("pass"),
    FAIL("fail"),
    NO_DATA("no-data");

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
