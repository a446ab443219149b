package io.nsscope.web.problem;

import io.nsscope.events.TooManySubscribersException;
import io.nsscope.sandbox.ExecutableNotAllowedException;
import io.nsscope.sandbox.SandboxLimitException;
import io.nsscope.sandbox.SandboxNotFoundException;
import io.nsscope.sandbox.SandboxStartException;
import io.nsscope.sandbox.SandboxSyscallException;
import io.nsscope.sandbox.SandboxesDisabledException;
import io.nsscope.sandbox.UidRangeInUseException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

/**
 * The problem types nsscope answers with (RFC 9457). Their URIs are stable: clients may switch on them. Each is
 * also served as a short explanation at its own path ({@link ProblemTypeController}). The exceptions of other packages
 * ({@code sandbox}, {@code events}) are {@code ErrorResponse}s that name their own type and title; their entries here
 * take both from them and add the explanation.
 */
public enum Problems {
    INVALID_PARAMETER(
            "invalid-parameter",
            "Invalid parameter",
            "A path segment or query parameter is malformed: not a number, out of range, or not one of the allowed"
                    + " values. The detail names it; for namespace types the body lists the valid ones."),
    PROCESS_NOT_FOUND(
            "process-not-found",
            "No such process",
            "No process with this PID was in the snapshot. It may have exited; ?refresh=true asks for a new scan."),
    NAMESPACE_NOT_FOUND(
            "namespace-not-found",
            "No such namespace",
            "No process of the host is in a namespace with this inode number."),
    NOT_FOUND("not-found", "Not found", "There is no resource at this path. GET / lists the endpoints."),
    METHOD_NOT_ALLOWED("method-not-allowed", "Method not allowed", "This resource does not answer that HTTP method."),
    NOT_ACCEPTABLE(
            "not-acceptable", "Not acceptable", "This resource is served as application/json or text/plain only."),
    SNAPSHOT_UNAVAILABLE(
            "snapshot-unavailable",
            "No snapshot available",
            "No scan of the procfs has succeeded yet, or a fresh one asked for with ?refresh=true could not be"
                    + " taken in time. See /actuator/health for the reason; retry later."),
    TOO_MANY_SUBSCRIBERS(
            TooManySubscribersException.TYPE,
            TooManySubscribersException.TITLE,
            "Every /events slot (nsscope.events.max-subscribers) is taken; retry after the Retry-After seconds."),
    TOO_MANY_RENDERS(
            "too-many-renders",
            "Too many answers being rendered",
            "nsscope.api.max-renders-in-flight answers not yet cached are being rendered; retry after the Retry-After"
                    + " seconds. Answers already rendered for the current snapshot are still served."),
    BAD_REQUEST("bad-request", "Bad request", "The request could not be understood."),
    UNAUTHORIZED(
            "unauthorized",
            "Unauthorized",
            "This endpoint needs Authorization: Bearer <token>: nsscope.sandbox.token for /sandboxes, nsscope.api.token"
                    + " for the rest when it is set. The token was missing or wrong."),
    REQUEST_REJECTED(
            "request-rejected",
            "Request rejected",
            "The path or a header is written in a way nsscope does not accept, so that no spelling of a path can mean"
                    + " one thing to the token check and another to the endpoint: ';' (matrix parameters), '//', '.'"
                    + " or '..' segments, an encoded '/', '.', '%' or '\\', a backslash, or a control character."
                    + " Send the path as written in the API description."),
    SANDBOXES_DISABLED(
            SandboxesDisabledException.TYPE,
            SandboxesDisabledException.TITLE,
            "nsscope creates sandboxes only with nsscope.sandbox.enabled=true and a bearer token of at least 32"
                    + " characters (nsscope.sandbox.token or nsscope.sandbox.token-file)."),
    SANDBOX_NOT_FOUND(
            SandboxNotFoundException.TYPE,
            SandboxNotFoundException.TITLE,
            "No sandbox has this id; ended sandboxes are forgotten after a while. GET /sandboxes lists them."),
    EXECUTABLE_NOT_ALLOWED(
            ExecutableNotAllowedException.TYPE,
            ExecutableNotAllowedException.TITLE,
            "command[0] matches none of the glob patterns of nsscope.sandbox.allowed-executables."),
    SANDBOX_LIMIT(
            SandboxLimitException.TYPE,
            SandboxLimitException.TITLE,
            "nsscope.sandbox.max-concurrent sandboxes are running, or nsscope.sandbox.creations-per-minute were"
                    + " created in the last minute; retry after the Retry-After seconds."),
    UID_RANGE_IN_USE(
            UidRangeInUseException.TYPE,
            UidRangeInUseException.TITLE,
            "The explicit id maps' outside range overlaps the UIDs of a running sandbox, or the UID pool"
                    + " (nsscope.sandbox.uid-pool) is exhausted."),
    SYSCALL_FAILED(
            SandboxSyscallException.TYPE,
            SandboxSyscallException.TITLE,
            "A system call creating the sandbox failed; syscall and errno name it. EPERM/EACCES (500): nsscope lacks"
                    + " a privilege; ENOSPC/EUSERS/EAGAIN/ENOMEM (503): a namespace limit or resource ran out;"
                    + " EINVAL (422): the kernel refused this combination. Nothing of the sandbox was left behind."),
    SANDBOX_START_FAILED(
            SandboxStartException.TYPE,
            SandboxStartException.TITLE,
            "The sandbox's first process failed before running the command (mounting /proc, dropping to the pool"
                    + " UID, creating the user namespace); output has what it wrote. It was killed and reaped."),
    PAYLOAD_TOO_LARGE(
            "payload-too-large",
            "Request body too large",
            "The request body (by its Content-Length, or as read when chunked) is larger than"
                    + " nsscope.api.max-body-size. Nothing of it was parsed."),
    INTERNAL_ERROR("internal-error", "Internal error", "nsscope failed to answer. The service log has the cause.");

    static final String PREFIX = "/problems/";

    final String slug;
    final String title;
    final String description;

    Problems(String slug, String title, String description) {
        this.slug = slug;
        this.title = title;
        this.description = description;
    }

    /** A type whose exception, outside {@code web}, names its own type and title (an {@code ErrorResponse}). */
    Problems(URI type, String title, String description) {
        this(type.toString().substring(PREFIX.length()), title, description);
    }

    /** The type URI: a path under {@code /problems/} that GET explains. */
    public URI type() {
        return URI.create(PREFIX + slug);
    }

    /** The type's short title, the same for every problem of this type. */
    public String title() {
        return title;
    }

    /** A problem of this type: the body of an {@code ErrorResponse}. */
    public ProblemDetail problem(HttpStatusCode status, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(type());
        problem.setTitle(title);
        return problem;
    }

    static Map<String, Object> describe(String slug) {
        for (Problems p : values()) {
            if (p.slug.equals(slug)) {
                return Map.of("type", p.type().toString(), "title", p.title, "description", p.description);
            }
        }
        return null;
    }

    static List<String> slugs() {
        return java.util.Arrays.stream(values()).map(p -> p.slug).toList();
    }
}
