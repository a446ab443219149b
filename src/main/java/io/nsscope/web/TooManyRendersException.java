package io.nsscope.web;

import io.nsscope.web.problem.Problems;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/**
 * Every render permit is taken ({@code nsscope.api.max-renders-in-flight}): 503 {@code /problems/too-many-renders}
 * with {@code Retry-After}. An answer to come back for, not a fault of the service.
 */
final class TooManyRendersException extends ErrorResponseException {

    /** Seconds to wait: a render takes well under that, even on a large host. */
    static final String RETRY_AFTER_SECONDS = "1";

    TooManyRendersException() {
        super(
                HttpStatus.SERVICE_UNAVAILABLE,
                Problems.TOO_MANY_RENDERS.problem(
                        HttpStatus.SERVICE_UNAVAILABLE,
                        "Too many answers are being rendered at once; retry later (answers already rendered for the"
                                + " current snapshot are served meanwhile)."),
                null);
        getHeaders().set(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
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
