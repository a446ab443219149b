package io.nsscope.web.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;

/** Marks every request for {@link Redaction} when {@code nsscope.api.redact-command-args} is set. */
final class RedactionMark extends OncePerRequestFilter {

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        request.setAttribute(Redaction.ATTRIBUTE, Boolean.TRUE);
        chain.doFilter(request, response);
    }
}
