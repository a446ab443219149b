package io.nsscope.web;

import io.nsscope.events.TooManySubscribersException;
import io.nsscope.sandbox.ExecutableNotAllowedException;
import io.nsscope.sandbox.SandboxLimitException;
import io.nsscope.sandbox.SandboxNotFoundException;
import io.nsscope.sandbox.SandboxRequestException;
import io.nsscope.sandbox.SandboxStartException;
import io.nsscope.sandbox.SandboxSyscallException;
import io.nsscope.sandbox.SandboxesDisabledException;
import io.nsscope.sandbox.UidRangeInUseException;
import io.nsscope.scan.FreshSnapshotUnavailableException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Maps every error to an RFC 9457 {@code application/problem+json} body with a stable {@code type} from
 * {@link Problems}: nsscope's own exceptions here, Spring MVC's (bad numbers, unknown paths, wrong methods) through
 * {@link ResponseEntityExceptionHandler}. Nothing a client sends can produce a stack trace.
 */
@RestControllerAdvice
class ProblemHandling extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandling.class);

    @ExceptionHandler
    ResponseEntity<Object> invalidParameter(InvalidParameterException e, HttpServletRequest request) {
        ProblemDetail body = problem(HttpStatus.BAD_REQUEST, Problems.INVALID_PARAMETER, e.getMessage(), request);
        body.setProperty("parameter", e.parameter());
        if (e.allowedValues() != null) {
            body.setProperty("validValues", e.allowedValues());
        }
        return response(body, new HttpHeaders());
    }

    @ExceptionHandler
    ResponseEntity<Object> notFound(NotFoundException e, HttpServletRequest request) {
        return response(problem(HttpStatus.NOT_FOUND, e.problem(), e.getMessage(), request), new HttpHeaders());
    }

    @ExceptionHandler
    ResponseEntity<Object> unavailable(FreshSnapshotUnavailableException e, HttpServletRequest request) {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, "2");
        return response(problem(HttpStatus.SERVICE_UNAVAILABLE, Problems.SNAPSHOT_UNAVAILABLE,
                "No snapshot to serve: " + e.getMessage(), request), headers);
    }

    @ExceptionHandler
    ResponseEntity<Object> tooManySubscribers(TooManySubscribersException e, HttpServletRequest request) {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, "30");
        return response(problem(HttpStatus.SERVICE_UNAVAILABLE, Problems.TOO_MANY_SUBSCRIBERS,
                "All event stream slots are taken; retry later.", request), headers);
    }

    // --- who may call what (ApiSecurity, BodyLimit) ---

    @ExceptionHandler
    ResponseEntity<Object> tokenRequired(TokenRequiredException e, HttpServletRequest request) {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.WWW_AUTHENTICATE, e.tokenGiven()
                ? "Bearer realm=\"nsscope\", error=\"invalid_token\"" : "Bearer realm=\"nsscope\"");
        return response(problem(HttpStatus.UNAUTHORIZED, Problems.UNAUTHORIZED, e.getMessage(), request), headers);
    }

    /** From the firewall, before routing, or when a handler reads a header it rejects. */
    @ExceptionHandler
    ResponseEntity<Object> requestRejected(RequestRejectedException e, HttpServletRequest request) {
        log.debug("rejected {}: {}", request.getMethod(), e.getMessage());
        return response(problem(HttpStatus.BAD_REQUEST, Problems.REQUEST_REJECTED,
                "This request is refused as written (" + e.getMessage().replace("The request was rejected because ", "")
                        + "); send the path as the API description writes it.", request), new HttpHeaders());
    }

    @ExceptionHandler
    ResponseEntity<Object> bodyTooLarge(BodyTooLargeException e, HttpServletRequest request) {
        return response(problem(HttpStatus.CONTENT_TOO_LARGE, Problems.PAYLOAD_TOO_LARGE, e.getMessage(), request),
                new HttpHeaders());
    }

    /** A body Jackson cannot read: a 400 naming the field by its JSON path. */
    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        BodyFaults.Fault fault = BodyFaults.describe(e);
        ProblemDetail body = problem(HttpStatus.BAD_REQUEST, Problems.INVALID_PARAMETER, fault.detail(),
                ((ServletWebRequest) request).getRequest());
        if (!fault.field().isEmpty()) {
            body.setProperty("parameter", fault.field());
        }
        return response(body, new HttpHeaders());
    }

    // --- sandboxes (see SandboxController for the choice of statuses) ---

    @ExceptionHandler
    ResponseEntity<Object> sandboxRequest(SandboxRequestException e, HttpServletRequest request) {
        boolean denied = e instanceof ExecutableNotAllowedException;
        ProblemDetail body = problem(denied ? HttpStatus.FORBIDDEN : HttpStatus.BAD_REQUEST,
                denied ? Problems.EXECUTABLE_NOT_ALLOWED : Problems.INVALID_PARAMETER, e.getMessage(), request);
        body.setProperty("parameter", e.field());
        return response(body, new HttpHeaders());
    }

    @ExceptionHandler
    ResponseEntity<Object> sandboxesDisabled(SandboxesDisabledException e, HttpServletRequest request) {
        return response(problem(HttpStatus.FORBIDDEN, Problems.SANDBOXES_DISABLED, e.getMessage(), request),
                new HttpHeaders());
    }

    @ExceptionHandler
    ResponseEntity<Object> sandboxNotFound(SandboxNotFoundException e, HttpServletRequest request) {
        return response(problem(HttpStatus.NOT_FOUND, Problems.SANDBOX_NOT_FOUND, e.getMessage(), request),
                new HttpHeaders());
    }

    @ExceptionHandler
    ResponseEntity<Object> sandboxLimit(SandboxLimitException e, HttpServletRequest request) {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, Long.toString(e.retryAfterSeconds()));
        return response(problem(HttpStatus.TOO_MANY_REQUESTS, Problems.SANDBOX_LIMIT, e.getMessage(), request),
                headers);
    }

    @ExceptionHandler
    ResponseEntity<Object> uidRangeInUse(UidRangeInUseException e, HttpServletRequest request) {
        return response(problem(HttpStatus.CONFLICT, Problems.UID_RANGE_IN_USE, e.getMessage(), request),
                new HttpHeaders());
    }

    @ExceptionHandler
    ResponseEntity<Object> syscallFailed(SandboxSyscallException e, HttpServletRequest request) {
        HttpStatus status = switch (e.condition()) {
            case "ENOSPC", "EUSERS", "EAGAIN", "ENOMEM" -> HttpStatus.SERVICE_UNAVAILABLE;
            case "EINVAL", "ERANGE" -> HttpStatus.UNPROCESSABLE_CONTENT;
            default -> HttpStatus.INTERNAL_SERVER_ERROR;
        };
        log.warn("sandbox creation failed: {}", e.getMessage());
        ProblemDetail body = problem(status, Problems.SYSCALL_FAILED, e.getMessage(), request);
        body.setProperty("syscall", e.syscall());
        body.setProperty("errno", e.condition());
        HttpHeaders headers = new HttpHeaders();
        if (status == HttpStatus.SERVICE_UNAVAILABLE) {
            headers.set(HttpHeaders.RETRY_AFTER, "5");
        }
        return response(body, headers);
    }

    @ExceptionHandler
    ResponseEntity<Object> sandboxStartFailed(SandboxStartException e, HttpServletRequest request) {
        log.warn("sandbox start-up failed: {}", e.getMessage());
        ProblemDetail body = problem(HttpStatus.INTERNAL_SERVER_ERROR, Problems.SANDBOX_START_FAILED, e.getMessage(),
                request);
        body.setProperty("output", e.output());
        return response(body, new HttpHeaders());
    }

    @ExceptionHandler
    ResponseEntity<Object> unexpected(Exception e, HttpServletRequest request, HttpServletResponse response) {
        if (response.isCommitted()) {
            // The body was already on its way: most often the client went away mid-response (broken pipe).
            // Nothing can be sent any more, and it is not nsscope's fault: no warning.
            log.debug("error after the response was committed for {} {}: {}", request.getMethod(),
                    request.getRequestURI(), e.toString());
            return null;
        }
        log.error("unexpected error answering {} {}", request.getMethod(), request.getRequestURI(), e);
        return response(problem(HttpStatus.INTERNAL_SERVER_ERROR, Problems.INTERNAL_ERROR,
                "nsscope failed to answer this request; its log has the cause.", request), new HttpHeaders());
    }

    /** A response already on its way cannot be turned into a problem: quietly give up (see {@link #unexpected}). */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
            HttpStatusCode statusCode, WebRequest request) {
        if (request instanceof ServletWebRequest servlet && servlet.getResponse() != null
                && servlet.getResponse().isCommitted()) {
            log.debug("error after the response was committed: {}", ex.toString());
            return null;
        }
        return super.handleExceptionInternal(ex, body, headers, statusCode, request);
    }

    /** Gives Spring MVC's own problems (400, 404, 405, 406...) nsscope's stable types. */
    @Override
    protected ResponseEntity<Object> createResponseEntity(Object body, HttpHeaders headers, HttpStatusCode statusCode,
            WebRequest request) {
        if (body instanceof ProblemDetail problem
                && (problem.getType() == null || URI.create("about:blank").equals(problem.getType()))) {
            problem.setType(switch (statusCode.value()) {
                case 400 -> Problems.INVALID_PARAMETER.type();
                case 404 -> Problems.NOT_FOUND.type();
                case 405 -> Problems.METHOD_NOT_ALLOWED.type();
                case 406 -> Problems.NOT_ACCEPTABLE.type();
                default -> Problems.BAD_REQUEST.type();
            });
        }
        return super.createResponseEntity(body, headers, statusCode, request);
    }

    private static ProblemDetail problem(HttpStatus status, Problems type, String detail, HttpServletRequest request) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(status, detail);
        body.setType(type.type());
        body.setTitle(type.title);
        body.setInstance(URI.create(request.getRequestURI()));
        return body;
    }

    private static ResponseEntity<Object> response(ProblemDetail body, HttpHeaders headers) {
        return ResponseEntity.status(body.getStatus()).headers(headers)
                .contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON).body(body);
    }
}
