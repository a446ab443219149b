package io.nsscope.web;

import io.nsscope.config.NsscopeProperties;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The bearer tokens, before anything else answers (the {@link ResponseCache} included). {@code /sandboxes} needs
 * {@code nsscope.sandbox.token} once sandboxes are enabled (disabled, they answer 403 saying so); with
 * {@code nsscope.api.token} set, every other path but {@code /actuator/health} needs that token. Tokens are compared
 * in constant time (as SHA-256 digests, so their lengths do not show either) and never logged. Also limits
 * {@code POST /sandboxes} bodies to {@code nsscope.sandbox.max-body-size}, and marks requests for {@link Redaction}.
 * A plain filter rather than Spring Security: two static tokens need no more, and it cannot lock anything else.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class ApiGuard extends OncePerRequestFilter {

    private final byte[] sandboxToken;
    private final byte[] apiToken;
    private final long maxBody;
    private final boolean redact;

    ApiGuard(NsscopeProperties properties) {
        NsscopeProperties.Sandbox sandbox = properties.sandbox();
        this.sandboxToken = sandbox.enabled() ? digest(sandboxToken(sandbox)) : null;
        String api = properties.api().token();
        this.apiToken = api == null || api.isBlank() ? null : digest(api.strip());
        this.maxBody = sandbox.maxBodySize().toBytes();
        this.redact = properties.api().redactCommandArgs();
    }

    /** The sandbox token from the property or the file; startup fails without one of at least 32 characters. */
    static String sandboxToken(NsscopeProperties.Sandbox sandbox) {
        boolean inline = sandbox.token() != null && !sandbox.token().isBlank();
        if (inline && sandbox.tokenFile() != null) {
            throw new IllegalStateException("Set nsscope.sandbox.token or nsscope.sandbox.token-file, not both.");
        }
        String token;
        if (inline) {
            token = sandbox.token().strip();
        } else if (sandbox.tokenFile() != null) {
            try {
                token = Files.readString(sandbox.tokenFile(), StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new UncheckedIOException("nsscope.sandbox.token-file " + sandbox.tokenFile()
                        + " cannot be read", e);
            }
        } else {
            throw new IllegalStateException("nsscope.sandbox.enabled=true needs a bearer token:"
                    + " nsscope.sandbox.token or nsscope.sandbox.token-file.");
        }
        if (token.length() < 32) {
            throw new IllegalStateException("The sandbox token (nsscope.sandbox.token or token-file) must have at"
                    + " least 32 characters.");
        }
        return token;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = request.getRequestURI();
        boolean sandboxPath = path.equals("/sandboxes") || path.startsWith("/sandboxes/");
        byte[] required = sandboxPath && sandboxToken != null ? sandboxToken
                : isHealth(path) ? null : apiToken;
        if (required != null) {
            String given = bearer(request);
            if (given == null || !MessageDigest.isEqual(required, digest(given))) {
                refuse(response, given == null);
                return;
            }
        }
        if (sandboxPath && sandboxToken != null && "POST".equals(request.getMethod())) {
            long length = request.getContentLengthLong();
            if (length < 0) {
                problem(response, 411, "length-required", "Length required",
                        "POST /sandboxes needs a Content-Length header.");
                return;
            }
            if (length > maxBody) {
                problem(response, 413, "payload-too-large", "Request body too large",
                        "The body has " + length + " bytes; nsscope.sandbox.max-body-size is " + maxBody + ".");
                return;
            }
        }
        if (redact) {
            request.setAttribute(Redaction.ATTRIBUTE, Boolean.TRUE);
        }
        chain.doFilter(request, response);
    }

    private static boolean isHealth(String path) {
        return path.equals("/actuator/health") || path.startsWith("/actuator/health/");
    }

    private static String bearer(HttpServletRequest request) {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return header.substring(7).strip();
    }

    private static void refuse(HttpServletResponse response, boolean missing) throws IOException {
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE,
                missing ? "Bearer realm=\"nsscope\"" : "Bearer realm=\"nsscope\", error=\"invalid_token\"");
        problem(response, 401, "unauthorized", "Unauthorized", missing
                ? "This endpoint needs an Authorization: Bearer token." : "The bearer token is not the right one.");
    }

    private static void problem(HttpServletResponse response, int status, String slug, String title, String detail)
            throws IOException {
        response.setStatus(status);
        response.setContentType("application/problem+json");
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write("{\"type\":\"" + Problems.PREFIX + slug + "\",\"title\":\"" + title
                + "\",\"status\":" + status + ",\"detail\":\"" + detail + "\"}");
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
