package io.nsscope.web.security;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * Refusals made before Spring MVC runs (a missing or wrong token, a path the firewall rejects, a body too large),
 * answered through the {@code HandlerExceptionResolver} by the same exception handling as every other error
 * (web.problem's {@code ProblemHandling}): one set of problem types, one JSON writer.
 * A token that is valid but not for this endpoint (the API token on {@code /sandboxes}) is a 401 too: the caller
 * needs another token, not other rights.
 */
final class SecurityProblems implements AuthenticationEntryPoint, AccessDeniedHandler, RequestRejectedHandler {

    private final HandlerExceptionResolver resolver;

    SecurityProblems(HandlerExceptionResolver resolver) {
        this.resolver = resolver;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
            throws IOException {
        answer(request, response, new TokenRequiredException(BearerAuthentication.bearer(request) != null));
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
            throws IOException {
        answer(request, response, new TokenRequiredException(BearerAuthentication.bearer(request) != null));
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, RequestRejectedException e)
            throws IOException, ServletException {
        answer(request, response, e);
    }

    /** Answers with the problem the exception handling makes of {@code e} (an {@code ErrorResponse}, mostly). */
    void answer(HttpServletRequest request, HttpServletResponse response, RuntimeException e) throws IOException {
        if (resolver.resolveException(request, response, null, e) == null && !response.isCommitted()) {
            response.sendError(HttpServletResponse.SC_INTERNAL_SERVER_ERROR);
        }
    }
}
