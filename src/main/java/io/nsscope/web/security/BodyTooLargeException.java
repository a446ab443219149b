package io.nsscope.web.security;

import io.nsscope.web.problem.Problems;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/** A request body over {@code nsscope.api.max-body-size}: 413, before any of it is parsed. */
final class BodyTooLargeException extends ErrorResponseException {

    BodyTooLargeException(long declared, long limit) {
        super(
                HttpStatus.CONTENT_TOO_LARGE,
                Problems.PAYLOAD_TOO_LARGE.problem(
                        HttpStatus.CONTENT_TOO_LARGE,
                        (declared >= 0
                                        ? "The body has " + declared + " bytes"
                                        : "The chunked body has more than " + limit + " bytes")
                                + "; nsscope.api.max-body-size is " + limit + " bytes."),
                null);
    }

    @Override
    public String getMessage() {
        return getBody().getDetail();
    }
}
