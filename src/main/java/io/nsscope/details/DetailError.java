package io.nsscope.details;

import io.nsscope.jna.Errno;
import io.nsscope.jna.SyscallException;
import io.nsscope.procfs.ProcessVanishedException;
import io.swagger.v3.oas.annotations.media.Schema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;

/**
 * Why a namespace's details (or some of them) could not be read. Reported in the response body, never as an HTTP
 * error: the namespace itself is known from the snapshot, only the targeted read failed.
 *
 * @param reason  a stable code: {@code permission-denied}, {@code process-vanished}, {@code not-available},
 *                {@code kernel-refused} or {@code read-failed}
 * @param message what failed, for people
 * @param syscall the system call that failed, when one did
 * @param errno   its errno, when a system call failed
 */
@Schema(name = "DetailError", description = "Why the details, or the ones left null, could not be read.")
public record DetailError(
        @Schema(description = "permission-denied: nsscope may not read the process's files or open its namespace "
                + "(not root, hidepid, a restrictive LSM); process-vanished: every process that could be read "
                + "through left the namespace or exited; not-available: the kernel does not offer this (an older "
                + "kernel, or a namespace file that is not on nsfs); kernel-refused: a system call failed otherwise; "
                + "read-failed: anything else (an unexpected file format).",
                allowableValues = {"permission-denied", "process-vanished", "not-available", "kernel-refused",
                        "read-failed"}, example = "permission-denied") String reason,
        @Schema(description = "What failed, for people.", example = "setns failed: EPERM (errno 1)") String message,
        @Schema(description = "The system call that failed, if one did.", nullable = true, example = "setns")
        String syscall,
        @Schema(description = "Its errno, by name, if a system call failed.", nullable = true, example = "EPERM")
        String errno) {

    public static final String PERMISSION_DENIED = "permission-denied";
    public static final String PROCESS_VANISHED = "process-vanished";
    public static final String NOT_AVAILABLE = "not-available";
    public static final String KERNEL_REFUSED = "kernel-refused";
    public static final String READ_FAILED = "read-failed";

    /** Every process tried vanished or left the namespace. */
    static DetailError vanished(int tried) {
        return new DetailError(PROCESS_VANISHED, tried == 0 ? "no process to read the namespace through"
                : "all " + tried + " processes tried exited or left the namespace", null, null);
    }

    static DetailError notAvailable(String message) {
        return new DetailError(NOT_AVAILABLE, message, null, null);
    }

    /** Classifies a failure of a read. */
    static DetailError of(Throwable failure) {
        Throwable e = failure;
        while ((e instanceof UncheckedIOException || e instanceof IllegalStateException) && e.getCause() != null) {
            e = e.getCause();
        }
        if (e instanceof SyscallException s) {
            Errno errno = s.errno();
            String reason = switch (errno) {
                case EPERM, EACCES -> PERMISSION_DENIED;
                case ENOENT, ENOSYS, EOPNOTSUPP, ENOTTY -> NOT_AVAILABLE;
                case ESRCH -> PROCESS_VANISHED;
                default -> KERNEL_REFUSED;
            };
            return new DetailError(reason, s.getMessage(), s.syscall(),
                    errno == Errno.OTHER ? Integer.toString(s.code()) : errno.name());
        }
        if (e instanceof AccessDeniedException) {
            return new DetailError(PERMISSION_DENIED, "permission denied: " + e.getMessage(), null, null);
        }
        if (e instanceof NoSuchFileException) {
            return new DetailError(NOT_AVAILABLE, "no such file: " + e.getMessage(), null, null);
        }
        if (e instanceof ProcessVanishedException) {
            return new DetailError(PROCESS_VANISHED, e.getMessage(), null, null);
        }
        if (e instanceof IOException) {
            return new DetailError(READ_FAILED, e.toString(), null, null);
        }
        return new DetailError(READ_FAILED, e.toString(), null, null);
    }
}
