package io.nsscope.web;

/**
 * The endpoint needs a bearer token the request did not carry, or carried a wrong one: 401 with
 * {@code WWW-Authenticate: Bearer} ({@code error="invalid_token"} when one was given, as RFC 6750 says).
 */
final class TokenRequiredException extends RuntimeException {

    private final boolean tokenGiven;

    TokenRequiredException(boolean tokenGiven) {
        super(tokenGiven ? "The bearer token is not the right one for this endpoint."
                : "This endpoint needs an Authorization: Bearer token.");
        this.tokenGiven = tokenGiven;
    }

    boolean tokenGiven() {
        return tokenGiven;
    }
}
