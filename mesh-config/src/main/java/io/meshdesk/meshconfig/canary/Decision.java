package io.meshdesk.meshconfig.canary;

import com.fasterxml.jackson.annotation.JsonValue;

/** What an analysis decides for the rollout: move on, go back, or keep the weights. */
public enum Decision {
    ADVANCE("advance", 0),
    ROLLBACK("rollback", 1),
    HOLD("hold", 3);

    private final String label;
    /** meshctl canary analyze's exit code for it. */
    public final int exitCode;

    Decision(String label, int exitCode) {
        this.label = label;
        this.exitCode = exitCode;
    }

    @JsonValue
    @Override
    public String toString() {
        return label;
    }
}
