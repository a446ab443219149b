package io.nsscope.sandbox;

/** The pool has no free UID, or an explicit map's outside range overlaps a running sandbox's. */
public class UidRangeInUseException extends RuntimeException {

    public UidRangeInUseException(String message) {
        super(message);
    }
}
