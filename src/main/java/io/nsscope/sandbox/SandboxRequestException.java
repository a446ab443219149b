package io.nsscope.sandbox;

import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * A sandbox request is invalid: {@link #field()} names the part at fault. 400 of the API's {@code invalid-parameter}
 * type, the field as its {@code parameter}.
 */
public class SandboxRequestException extends ErrorResponseException {

    /** The problem type, the same as every other malformed parameter's: stable, clients switch on it. */
    public static final URI TYPE = URI.create("/problems/invalid-parameter");
    /** The problem type's title. */
    public static final String TITLE = "Invalid parameter";

    private final String field;

    public SandboxRequestException(String field, String message) {
        this(HttpStatus.BAD_REQUEST, TYPE, TITLE, field, message);
    }

    /** A refusal of a field of another type and status ({@link ExecutableNotAllowedException}). */
    protected SandboxRequestException(HttpStatusCode status, URI type, String title, String field, String message) {
        super(status, ProblemDetail.forStatusAndDetail(status, message), null);
        this.field = field;
        setType(type);
        setTitle(title);
        getBody().setProperty("parameter", field);
    }

    /** The request's field at fault, e.g. {@code namespaces[2]} or {@code user.mapping[0].count}. */
    public String field() {
        return field;
    }

    @Override
    public String getMessage() {
        return getBody().getDetail();
    }
}
