package io.nsscope.sandbox;

import java.net.URI;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * The kernel refused a step of creating a sandbox; nothing of it was left behind. The status says whose the fault is
 * ({@link #status}): 503 with {@code Retry-After} when a limit or resource ran out, 422 when the kernel refused the
 * combination asked for, 500 otherwise (nsscope lacks a privilege); {@code syscall} and {@code errno} name the call.
 *
 * @see #condition()
 */
public class SandboxSyscallException extends ErrorResponseException {

    /** The problem type: stable, clients switch on it. */
    public static final URI TYPE = URI.create("/problems/syscall-failed");
    /** The problem type's title. */
    public static final String TITLE = "The kernel refused";

    private final String syscall;
    private final String condition;
    private final int code;

    public SandboxSyscallException(String syscall, String condition, int code, String meaning) {
        super(
                status(condition),
                ProblemDetail.forStatusAndDetail(
                        status(condition), syscall + " failed with " + condition + " (errno " + code + "): " + meaning),
                null);
        this.syscall = syscall;
        this.condition = condition;
        this.code = code;
        setType(TYPE);
        setTitle(TITLE);
        getBody().setProperty("syscall", syscall);
        getBody().setProperty("errno", condition);
        if (getStatusCode() == HttpStatus.SERVICE_UNAVAILABLE) {
            getHeaders().set(HttpHeaders.RETRY_AFTER, "5");
        }
    }

    /** A limit or resource that ran out (503), a combination the kernel refuses (422), else nsscope's fault (500). */
    static HttpStatus status(String condition) {
        return switch (condition) {
            case "ENOSPC", "EUSERS", "EAGAIN", "ENOMEM" -> HttpStatus.SERVICE_UNAVAILABLE;
            case "EINVAL", "ERANGE" -> HttpStatus.UNPROCESSABLE_CONTENT;
            default -> HttpStatus.INTERNAL_SERVER_ERROR;
        };
    }

    /** The system call, e.g. {@code unshare}. */
    public String syscall() {
        return syscall;
    }

    /** The errno's name, e.g. {@code EPERM}, {@code ENOSPC}, {@code EINVAL}. */
    public String condition() {
        return condition;
    }

    /** The errno number. */
    public int code() {
        return code;
    }

    @Override
    public String getMessage() {
        return getBody().getDetail();
    }
}
