package io.nsscope.sandbox;

/** No sandbox has this id (or it ended long enough ago to be forgotten). */
public class SandboxNotFoundException extends RuntimeException {

    public SandboxNotFoundException(String id) {
        super("No sandbox with id '" + id + "'.");
    }
}
