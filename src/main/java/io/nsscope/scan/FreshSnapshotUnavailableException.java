package io.nsscope.scan;

/** A {@code ?refresh=true} request could not get a snapshot taken after it arrived. */
public final class FreshSnapshotUnavailableException extends RuntimeException {

    public FreshSnapshotUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
