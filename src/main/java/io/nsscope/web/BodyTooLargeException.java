package io.nsscope.web;

/** A request body over {@code nsscope.api.max-body-size}: 413, before any of it is parsed. */
final class BodyTooLargeException extends RuntimeException {

    BodyTooLargeException(long declared, long limit) {
        super((declared >= 0 ? "The body has " + declared + " bytes" : "The chunked body has more than " + limit
                + " bytes") + "; nsscope.api.max-body-size is " + limit + " bytes.");
    }
}
