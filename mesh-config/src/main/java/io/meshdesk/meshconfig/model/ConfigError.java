package io.meshdesk.meshconfig.model;

/** A topology or canary file that cannot be used: names the file, the field and what to do. */
public final class ConfigError extends RuntimeException {

    private final String file;
    private final String field;

    public ConfigError(String file, String field, String problem) {
        super(file + (field == null || field.isEmpty() ? "" : ": " + field) + ": " + problem);
        this.file = file;
        this.field = field;
    }

    public String file() {
        return file;
    }

    public String field() {
        return field;
    }
}
