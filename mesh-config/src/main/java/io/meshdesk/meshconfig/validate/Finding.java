package io.meshdesk.meshconfig.validate;

/** One thing wrong with a rendered resource: the file, the field, and what to do about it. */
public record Finding(String file, String field, String problem) {

    @Override
    public String toString() {
        return file + ": " + field + ": " + problem;
    }
}
