package io.nsscope.web.problem;

import io.nsscope.scan.FreshSnapshotUnavailableException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Turns every error into an RFC 9457 {@code application/problem+json} body with a stable {@code type} from
 * {@link Problems}. nsscope's own exceptions are {@code ErrorResponse}s that carry their status, type, title and
 * members, and Spring MVC's (bad numbers, unknown paths, wrong methods) are too: {@link ResponseEntityExceptionHandler}
 * answers both. What is left here is what is special: a body Jackson cannot read (the field named by its JSON path),
 * the firewall's refusals, the scan's exception (no snapshot), and anything unexpected (a 500 without a stack trace).
 * Refusals made before Spring MVC runs (the token check, the body limit, the firewall) are answered here too, through
 * the {@code HandlerExceptionResolver} (web.security's {@code SecurityProblems}).
 */
@RestControllerAdvice
class ProblemHandling extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandling.class);

    @ExceptionHandler
    ResponseEntity<Object> unavailable(FreshSnapshotUnavailableException e, HttpServletRequest request) {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, "2");
        return response(
                problem(
                        HttpStatus.SERVICE_UNAVAILABLE,
                        Problems.SNAPSHOT_UNAVAILABLE,
                        "No snapshot to serve: " + e.getMessage(),
                        request),
                headers);
    }

    /** From the firewall, before routing, or when a handler reads a header it rejects. */
    @ExceptionHandler
    ResponseEntity<Object> requestRejected(RequestRejectedException e, HttpServletRequest request) {
        log.debug("rejected {}: {}", request.getMethod(), e.getMessage());
        return response(
                problem(
                        HttpStatus.BAD_REQUEST,
                        Problems.REQUEST_REJECTED,
                        "This request is refused as written ("
                                + e.getMessage().replace("The request was rejected because ", "")
                                + "); send the path as the API description writes it.",
                        request),
                new HttpHeaders());
    }

    /** A body Jackson cannot read: a 400 naming the field by its JSON path. */
    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(
            HttpMessageNotReadableException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        BodyFaults.Fault fault = BodyFaults.describe(e);
        ProblemDetail body = problem(
                HttpStatus.BAD_REQUEST,
                Problems.INVALID_PARAMETER,
                fault.detail(),
                ((ServletWebRequest) request).getRequest());
        if (!fault.field().isEmpty()) {
            body.setProperty("parameter", fault.field());
        }
        return response(body, new HttpHeaders());
    }

    /** nsscope's own exceptions: as they are, the server's faults (a sandbox the kernel refused...) logged. */
    @Override
    protected ResponseEntity<Object> handleErrorResponseException(
            ErrorResponseException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        // Not a refusal by the render bound: under a flood of requests it would flood the log too.
        if (status.is5xxServerError()
                && !Problems.TOO_MANY_RENDERS.type().equals(e.getBody().getType())) {
            log.warn("{}: {}", e.getBody().getTitle(), e.getMessage());
        }
        return super.handleErrorResponseException(e, headers, status, request);
    }

    @ExceptionHandler
    ResponseEntity<Object> unexpected(Exception e, HttpServletRequest request, HttpServletResponse response) {
        if (response.isCommitted()) {
            // The body was already on its way: most often the client went away mid-response (broken pipe).
            // Nothing can be sent any more, and it is not nsscope's fault: no warning.
            log.debug(
                    "error after the response was committed for {} {}: {}",
                    request.getMethod(),
                    request.getRequestURI(),
                    e.toString());
            return null;
        }
        log.error("unexpected error answering {} {}", request.getMethod(), request.getRequestURI(), e);
        return response(
                problem(
                        HttpStatus.INTERNAL_SERVER_ERROR,
                        Problems.INTERNAL_ERROR,
                        "nsscope failed to answer this request; its log has the cause.",
                        request),
                new HttpHeaders());
    }

    /** A response already on its way cannot be turned into a problem: quietly give up (see {@link #unexpected}). */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(
            Exception ex, Object body, HttpHeaders headers, HttpStatusCode statusCode, WebRequest request) {
        if (request instanceof ServletWebRequest servlet
                && servlet.getResponse() != null
                && servlet.getResponse().isCommitted()) {
            log.debug("error after the response was committed: {}", ex.toString());
            return null;
        }
        return super.handleExceptionInternal(ex, body, headers, statusCode, request);
    }

    /**
     * Gives Spring MVC's own problems (400, 404, 405, 406...) nsscope's stable types, and sends every problem as
     * {@code application/problem+json} whatever the request accepts (Spring MVC adds the path as {@code instance}).
     */
    @Override
    protected ResponseEntity<Object> createResponseEntity(
            Object body, HttpHeaders headers, HttpStatusCode statusCode, WebRequest request) {
        if (body instanceof ProblemDetail problem) {
            if (problem.getType() == null || URI.create("about:blank").equals(problem.getType())) {
                problem.setType(
                        switch (statusCode.value()) {
                            case 400 -> Problems.INVALID_PARAMETER.type();
                            case 404 -> Problems.NOT_FOUND.type();
                            case 405 -> Problems.METHOD_NOT_ALLOWED.type();
                            case 406 -> Problems.NOT_ACCEPTABLE.type();
                            default -> Problems.BAD_REQUEST.type();
                        });
            }
            HttpHeaders problemHeaders = new HttpHeaders();
            problemHeaders.putAll(headers);
            problemHeaders.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
            headers = problemHeaders;
        }
        return super.createResponseEntity(body, headers, statusCode, request);
    }

    private static ProblemDetail problem(HttpStatus status, Problems type, String detail, HttpServletRequest request) {
        ProblemDetail body = type.problem(status, detail);
        body.setInstance(URI.create(request.getRequestURI()));
        return body;
    }

    private static ResponseEntity<Object> response(ProblemDetail body, HttpHeaders headers) {
        return ResponseEntity.status(body.getStatus())
                .headers(headers)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(body);
    }
}
