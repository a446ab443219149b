package io.nsscope.details;

import io.nsscope.jna.Capabilities.Capability;
import io.nsscope.jna.Errno;
import io.nsscope.jna.SyscallException;
import io.nsscope.procfs.ProcessVanishedException;
import io.swagger.v3.oas.annotations.media.Schema;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;

/**
 * Why a namespace's details (or some of them) could not be read. Reported in the response body, never as an HTTP
 * error: the namespace itself is known from the snapshot, only the targeted read failed.
 *
 * @param reason     a stable code: {@code needs-capability}, {@code permission-denied}, {@code process-vanished},
 *                   {@code not-available}, {@code kernel-refused} or {@code read-failed}
 * @param message    what failed, for people
 * @param syscall    the system call that failed, when one did
 * @param errno      its errno, when a system call failed
 * @param capability for {@code needs-capability}: the capability nsscope lacks, e.g. {@code CAP_SYS_ADMIN}
 * @param chartValue for {@code needs-capability}: the Helm chart's value that grants it, e.g.
 *                   {@code details.privileged}
 */
@Schema(name = "DetailError", description = "Why the details, or the ones left null, could not be read.")
public record DetailError(
        @Schema(
                description = "needs-capability: the detail is read a way that needs a capability nsscope does "
                        + "not have (capability names it, chartValue the Helm chart's value that grants it); "
                        + "permission-denied: nsscope may not read the process's files or open its namespace (not "
                        + "root, hidepid, a restrictive LSM); process-vanished: every process that could be read "
                        + "through left the namespace or exited; not-available: the kernel does not offer this (an "
                        + "older kernel, or a namespace file that is not on nsfs); kernel-refused: a system call "
                        + "failed otherwise; read-failed: anything else (an unexpected file format).",
                allowableValues = {
                    "needs-capability",
                    "permission-denied",
                    "process-vanished",
                    "not-available",
                    "kernel-refused",
                    "read-failed"
                },
                example = "needs-capability")
        String reason,

        @Schema(
                description = "What failed, for people.",
                example = "The System V objects show only inside the "
                        + "namespace (/proc/sysvipc/{shm,sem,msg} list the reading thread's, and no per-process file "
                        + "lists them), and joining it (setns(2)) needs CAP_SYS_ADMIN, which nsscope does not have "
                        + "(the Helm chart grants it with details.privileged=true)")
        String message,

        @Schema(description = "The system call that failed, if one did.", nullable = true, example = "setns")
        String syscall,

        @Schema(description = "Its errno, by name, if a system call failed.", nullable = true, example = "EPERM")
        String errno,

        @Schema(
                description = "For needs-capability: the capability nsscope lacks.",
                nullable = true,
                example = "CAP_SYS_ADMIN")
        String capability,

        @Schema(
                description = "For needs-capability: the Helm chart's value that grants it (set it to true).",
                nullable = true,
                example = "details.privileged")
        String chartValue) {

    public static final String NEEDS_CAPABILITY = "needs-capability";
    public static final String PERMISSION_DENIED = "permission-denied";
    public static final String PROCESS_VANISHED = "process-vanished";
    public static final String NOT_AVAILABLE = "not-available";
    public static final String KERNEL_REFUSED = "kernel-refused";
    public static final String READ_FAILED = "read-failed";

    /** The chart's value that grants CAP_SYS_ADMIN to nsscope (helm/nsscope/values.yaml). */
    public static final String PRIVILEGED_CHART_VALUE = "details.privileged";

    /** A failure without a system call. */
    public DetailError(String reason, String message) {
        this(reason, message, null, null, null, null);
    }

    /** A system call failed. */
    public DetailError(String reason, String message, String syscall, String errno) {
        this(reason, message, syscall, errno, null, null);
    }

    /**
     * The detail is read a way that needs {@code capability}, which nsscope lacks: {@code what} says what and how (the
     * subject of "... needs CAP_X"), the message adds who grants it.
     */
    static DetailError needsCapability(Capability capability, String what) {
        String chartValue = capability == Capability.CAP_SYS_ADMIN ? PRIVILEGED_CHART_VALUE : null;
        return new DetailError(
                NEEDS_CAPABILITY,
                what + " needs " + capability + ", which nsscope does not have"
                        + (chartValue == null ? "" : " (the Helm chart grants it with " + chartValue + "=true)"),
                null,
                null,
                capability.name(),
                chartValue);
    }

    /** Every process tried vanished or left the namespace. */
    static DetailError vanished(int tried) {
        return new DetailError(
                PROCESS_VANISHED,
                tried == 0
                        ? "no process to read the namespace through"
                        : "all " + tried + " processes tried exited or left the namespace");
    }

    static DetailError notAvailable(String message) {
        return new DetailError(NOT_AVAILABLE, message);
    }

    /** Classifies a failure of a read. */
    static DetailError of(Throwable failure) {
        Throwable e = failure;
        while ((e instanceof UncheckedIOException || e instanceof IllegalStateException) && e.getCause() != null) {
            e = e.getCause();
        }
        if (e instanceof NamespaceAccess.MissingCapabilityException m) {
            return needsCapability(m.capability(), m.getMessage());
        }
        if (e instanceof SyscallException s) {
            Errno errno = s.errno();
            String reason = switch (errno) {
                case EPERM, EACCES -> PERMISSION_DENIED;
                case ENOENT, ENOSYS, EOPNOTSUPP, ENOTTY -> NOT_AVAILABLE;
                case ESRCH -> PROCESS_VANISHED;
                default -> KERNEL_REFUSED;
            };
            return new DetailError(
                    reason,
                    s.getMessage(),
                    s.syscall(),
                    errno == Errno.OTHER ? Integer.toString(s.code()) : errno.name());
        }
        if (e instanceof AccessDeniedException) {
            return new DetailError(PERMISSION_DENIED, "permission denied: " + e.getMessage());
        }
        if (e instanceof NoSuchFileException) {
            return new DetailError(NOT_AVAILABLE, "no such file: " + e.getMessage());
        }
        if (e instanceof ProcessVanishedException) {
            return new DetailError(PROCESS_VANISHED, e.getMessage());
        }
        return new DetailError(READ_FAILED, e.toString());
    }
}
