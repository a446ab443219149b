package io.nsscope.events;

/** Every event stream slot is taken ({@code nsscope.events.max-subscribers}). */
public final class TooManySubscribersException extends RuntimeException {

    public TooManySubscribersException() {
        super("too many event subscribers", null, false, false);
    }
}
