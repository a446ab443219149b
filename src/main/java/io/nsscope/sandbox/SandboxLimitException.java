package io.nsscope.sandbox;

import java.net.URI;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * A limit of {@code nsscope.sandbox.*} refuses a new sandbox now: too many run, or too many were just created. 429
 * with {@code Retry-After}.
 */
public class SandboxLimitException extends ErrorResponseException {

    /** The problem type: stable, clients switch on it. */
    public static final URI TYPE = URI.create("/problems/sandbox-limit");
    /** The problem type's title. */
    public static final String TITLE = "Sandbox limit reached";

    private final long retryAfterSeconds;

    public SandboxLimitException(String message, long retryAfterSeconds) {
        super(
                HttpStatus.TOO_MANY_REQUESTS,
                ProblemDetail.forStatusAndDetail(HttpStatus.TOO_MANY_REQUESTS, message),
                null);
        this.retryAfterSeconds = retryAfterSeconds;
        setType(TYPE);
        setTitle(TITLE);
        getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds));
    }

    /** When to try again, in seconds. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    @Override
    public String getMessage() {
        return getBody().getDetail();
    }
}
