package io.meshdesk.meshconfig.validate;

import java.util.List;
import java.util.regex.Pattern;

/** Reading a value of a rendered resource that may hold anything, without a cast that can crash. */
final class Values {

    /** Istio's and Knative's duration form: one or more number-unit pairs, such as 5s, 1m30s or 0.5s. */
    static final Pattern DURATION = Pattern.compile("(\\d+(\\.\\d+)?(h|m|s|ms|us|µs|ns))+");

    static final List<String> SIMPLE_LB =
            List.of("UNSPECIFIED", "RANDOM", "PASSTHROUGH", "ROUND_ROBIN", "LEAST_REQUEST", "LEAST_CONN");

    private Values() {}

    /**
     * A number in [min, max], or a finding that says what is wrong: not a number (a string
     * weight such as "10" is refused by Istio too), or out of range.
     */
    static Double number(Object value, String file, String field, double min, double max, List<Finding> findings) {
        if (!(value instanceof Number n)) {
            findings.add(new Finding(
                    file,
                    field,
                    "'" + value + "' is not a number" + (value instanceof String ? " (write it without quotes)" : "")));
            return null;
        }
        double d = n.doubleValue();
        if (d < min || d > max) {
            findings.add(new Finding(file, field, format(d) + " is outside " + format(min) + " to " + format(max)));
            return null;
        }
        return d;
    }

    static void duration(Object value, String file, String field, List<Finding> findings) {
        if (value != null && !(value instanceof String s && DURATION.matcher(s).matches())) {
            findings.add(new Finding(file, field, "'" + value + "' is not a duration like 500ms, 5s or 1m"));
        }
    }

    static String format(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
