package io.nsscope.procfs;

import io.nsscope.jna.Errno;
import java.io.IOException;

/**
 * A procfs read failed with an errno that says neither "the process is gone" nor "not allowed": the call, the path
 * and the errno the call set (not recovered from a message). The process was still there, and not exiting, when
 * it was checked after the failure.
 */
public final class ProcfsReadException extends IOException {

    private final Errno errno;
    private final int code;

    public ProcfsReadException(String path, String call, Errno errno, int code) {
        super(call + " " + path + ": " + errno + " (errno " + code + ")");
        this.errno = errno;
        this.code = code;
    }

    /** The errno, named ({@link Errno#OTHER} for one nsscope does not name). */
    public Errno errno() {
        return errno;
    }

    /** The errno number. */
    public int code() {
        return code;
    }
}
