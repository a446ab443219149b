package io.nsscope.sandbox;

/** A sandbox request is invalid: {@link #field()} names the part at fault (answered with 400). */
public class SandboxRequestException extends RuntimeException {

    private final String field;

    public SandboxRequestException(String field, String message) {
        super(message);
        this.field = field;
    }

    /** The request's field at fault, e.g. {@code namespaces[2]} or {@code user.mapping[0].count}. */
    public String field() {
        return field;
    }
}
