package io.nsscope.web.security;

import io.nsscope.web.problem.Problems;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/**
 * The endpoint needs a bearer token the request did not carry, or carried a wrong one: 401 with
 * {@code WWW-Authenticate: Bearer} ({@code error="invalid_token"} when one was given, as RFC 6750 says).
 */
final class TokenRequiredException extends ErrorResponseException {

    TokenRequiredException(boolean tokenGiven) {
        super(
                HttpStatus.UNAUTHORIZED,
                Problems.UNAUTHORIZED.problem(
                        HttpStatus.UNAUTHORIZED,
                        tokenGiven
                                ? "The bearer token is not the right one for this endpoint."
                                : "This endpoint needs an Authorization: Bearer token."),
                null);
        getHeaders()
                .set(
                        HttpHeaders.WWW_AUTHENTICATE,
                        tokenGiven ? "Bearer realm=\"nsscope\", error=\"invalid_token\"" : "Bearer realm=\"nsscope\"");
    }

    @Override
    public String getMessage() {
        return getBody().getDetail();
    }
}
