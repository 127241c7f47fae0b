package io.meshdesk.routing;

import java.util.Map;
import java.util.regex.Pattern;

import io.meshdesk.problem.Problem;

/** Checks shared by routing's requests; each failure names the field and what is wrong. */
public final class Validation {

    /** Ids become etcd key segments, so no slashes and nothing exotic. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}");

    private Validation() {
    }

    public static String id(String field, String value) {
        if (value == null || value.isBlank()) {
            throw Problem.invalid(field, "field '" + field + "' is required");
        }
        if (!ID.matcher(value).matches()) {
            throw Problem.invalid(field, "field '" + field + "': '" + value + "' is not a valid id (1 to 128 "
                    + "letters, digits or . _ : @ -, starting with a letter or digit)");
        }
        return value;
    }

    public static String optionalId(String field, String value) {
        return value == null || value.isBlank() ? null : id(field, value);
    }

    public static String required(String field, String value) {
        if (value == null || value.isBlank()) {
            throw Problem.invalid(field, "field '" + field + "' is required");
        }
        return value.trim();
    }

    public static <T> T present(String field, T value) {
        if (value == null) {
            throw Problem.invalid(field, "field '" + field + "' is required");
        }
        return value;
    }

    public static int between(String field, Integer value, int defaultValue, int min, int max) {
        int v = value == null ? defaultValue : value;
        if (v < min || v > max) {
            throw Problem.invalid(field, "field '" + field + "' is " + v + "; it must be between " + min + " and " + max);
        }
        return v;
    }

    /** A map of skill to proficiency, each 1 to 5. */
    public static Map<String, Integer> proficiencies(String field, Map<String, Integer> skills) {
        if (skills == null) {
            return Map.of();
        }
        skills.forEach((skill, level) -> {
            id(field + "." + skill, skill);
            if (level == null || level < 1 || level > 5) {
                throw Problem.invalid(field + "." + skill, "field '" + field + "." + skill + "' is " + level
                        + "; a proficiency must be between 1 and 5");
            }
        });
        return Map.copyOf(skills);
    }
}
