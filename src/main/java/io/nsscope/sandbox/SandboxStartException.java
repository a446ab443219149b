package io.nsscope.sandbox;

import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * The sandbox's start-up steps (mounting /proc, dropping privileges...) failed; its process was killed and reaped.
 * 500, with what the steps wrote as {@code output}.
 */
public class SandboxStartException extends ErrorResponseException {

    /** The problem type: stable, clients switch on it. */
    public static final URI TYPE = URI.create("/problems/sandbox-start-failed");
    /** The problem type's title. */
    public static final String TITLE = "Sandbox start-up failed";

    private final String output;

    public SandboxStartException(String message, String output) {
        super(
                HttpStatus.INTERNAL_SERVER_ERROR,
                ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR, message),
                null);
        this.output = output;
        setType(TYPE);
        setTitle(TITLE);
        getBody().setProperty("output", output);
    }

    /** What the start-up steps wrote to stdout and stderr (their error messages). */
    public String output() {
        return output;
    }

    @Override
    public String getMessage() {
        return getBody().getDetail();
    }
}
