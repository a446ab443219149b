package io.nsscope.events;

import java.net.URI;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** Every event stream slot is taken ({@code nsscope.events.max-subscribers}): 503 with {@code Retry-After}. */
public final class TooManySubscribersException extends ErrorResponseException {

    /** The problem type: stable, clients switch on it. */
    public static final URI TYPE = URI.create("/problems/too-many-subscribers");
    /** The problem type's title. */
    public static final String TITLE = "Too many event streams";

    public TooManySubscribersException() {
        super(
                HttpStatus.SERVICE_UNAVAILABLE,
                ProblemDetail.forStatusAndDetail(
                        HttpStatus.SERVICE_UNAVAILABLE, "All event stream slots are taken; retry later."),
                null);
        setType(TYPE);
        setTitle(TITLE);
        getHeaders().set(HttpHeaders.RETRY_AFTER, "30");
    }

    @Override
    public String getMessage() {
        return getBody().getDetail();
    }

    /** A full house is an answer, not a fault: no stack trace to fill in. */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
