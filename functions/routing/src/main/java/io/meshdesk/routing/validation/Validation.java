package io.meshdesk.routing.validation;

import java.util.Map;
import java.util.regex.Pattern;

import io.meshdesk.problem.Problem;

/**
 * Checks shared by routing's requests; each failure names the field and what is wrong. Every
 * field has a documented bound (README, "Limits"): etcd refuses a request over 1.5 MiB, and a
 * refusal from etcd would read as "etcd is down" and be retried by the mesh.
 */
public final class Validation {

    /** Ids become etcd key segments, so no slashes and nothing exotic. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}");
    /** A language tag (BCP 47 shape): letters, digits and hyphens, at most 35 characters. */
    private static final Pattern LANGUAGE = Pattern.compile("[A-Za-z0-9]{1,8}(-[A-Za-z0-9]{1,8}){0,3}");

    public static final int MAX_LANGUAGE = 35;
    public static final int MAX_DISPLAY_NAME = 200;
    public static final int MAX_LANGUAGES = 20;
    public static final int MAX_SKILLS = 50;
    public static final int MAX_CAPACITY = 10_000;

    private Validation() {}

    public static String id(String field, String value) {
        if (value == null || value.isBlank()) {
            throw Problem.invalid(field, "field '" + field + "' is required");
        }
        if (!ID.matcher(value).matches()) {
            throw Problem.invalid(
                    field,
                    "field '" + field + "': '" + clip(value) + "' is not a valid id (1 to 128 "
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

    /** A language tag such as en, zh-Hans or x-test-1, lower-cased. */
    public static String language(String field, String value) {
        String v = required(field, value);
        if (v.length() > MAX_LANGUAGE || !LANGUAGE.matcher(v).matches()) {
            throw Problem.invalid(
                    field,
                    "field '" + field + "': '" + clip(v) + "' is not a language tag (letters, "
                            + "digits and hyphens such as en or zh-Hans, at most " + MAX_LANGUAGE + " characters)");
        }
        return v.toLowerCase();
    }

    /** Free text of at most max characters without control characters; null when absent. */
    public static String optionalText(String field, String value, int max) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.trim();
        if (v.length() > max) {
            throw Problem.invalid(field, "field '" + field + "' is " + v.length() + " characters; at most " + max);
        }
        if (v.chars().anyMatch(Character::isISOControl)) {
            throw Problem.invalid(field, "field '" + field + "' contains a control character; send plain text");
        }
        return v;
    }

    /** A list or map of at most max entries. */
    public static void atMost(String field, int size, int max) {
        if (size > max) {
            throw Problem.invalid(field, "field '" + field + "' has " + size + " entries; at most " + max);
        }
    }

    /** Enough of a client's value to recognise it in an error, never all of a huge one. */
    static String clip(String value) {
        return value.length() <= 64 ? value : value.substring(0, 64) + "... (" + value.length() + " characters)";
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
            throw Problem.invalid(
                    field, "field '" + field + "' is " + v + "; it must be between " + min + " and " + max);
        }
        return v;
    }

    /** A map of skill to proficiency, each 1 to 5. */
    public static Map<String, Integer> proficiencies(String field, Map<String, Integer> skills) {
        if (skills == null) {
            return Map.of();
        }
        atMost(field, skills.size(), MAX_SKILLS);
        skills.forEach((skill, level) -> {
            id(field + "." + skill, skill);
            if (level == null || level < 1 || level > 5) {
                throw Problem.invalid(
                        field + "." + skill,
                        "field '" + field + "." + skill + "' is " + level + "; a proficiency must be between 1 and 5");
            }
        });
        return Map.copyOf(skills);
    }
}
