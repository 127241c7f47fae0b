package io.meshdesk.session.contract;

/**
 * JSON that does not follow the contract: a required field missing, a value of the wrong type, an
 * enum value the contract does not know. {@link #field()} names the field (a path such as
 * {@code lines[2].seq}); the message says what is wrong with it.
 */
public final class ContractViolation extends IllegalArgumentException {

    private final String field;

    public ContractViolation(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }

    static void require(String field, Object value) {
        if (value == null || value instanceof String s && s.isBlank()) {
            throw new ContractViolation(field, "field '" + field + "' is required and missing");
        }
    }
}
