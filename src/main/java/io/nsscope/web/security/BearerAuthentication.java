package io.nsscope.web.security;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Set;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * Who the caller is, from its {@code Authorization: Bearer} header and {@link ApiTokens}: a caller with a token gets
 * the roles that token grants ({@code READ}, {@code SANDBOX}); a caller without one is anonymous, unless no API token
 * is configured, when everyone may read. A token that is none of the configured ones is refused (401), so a typo
 * never passes as anonymous. Other schemes ({@code Basic}...) count as no token.
 */
final class BearerAuthentication implements AuthenticationConverter, AuthenticationManager {

    private static final String BEARER = "Bearer ";

    private final ApiTokens tokens;

    BearerAuthentication(ApiTokens tokens) {
        this.tokens = tokens;
    }

    /** The token of a {@code Bearer} Authorization header, or null. */
    static String bearer(HttpServletRequest request) {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return null;
        }
        return header.substring(BEARER.length()).strip();
    }

    @Override
    public Authentication convert(HttpServletRequest request) {
        String bearer = bearer(request);
        if (bearer != null) {
            return new Presented(bearer);
        }
        return tokens.readsOpen() ? caller("anyone", Set.of(ApiTokens.Grant.READ)) : null;
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        if (!(authentication instanceof Presented presented)) {
            return authentication;
        }
        Set<ApiTokens.Grant> grants = tokens.grants(presented.token);
        presented.eraseCredentials();
        if (grants.isEmpty()) {
            throw new BadCredentialsException("The bearer token is none of nsscope's.");
        }
        return caller("bearer", grants);
    }

    private static Authentication caller(String name, Set<ApiTokens.Grant> grants) {
        return UsernamePasswordAuthenticationToken.authenticated(
                name,
                null,
                grants.stream()
                        .map(g -> new SimpleGrantedAuthority("ROLE_" + g.name()))
                        .toList());
    }

    /** A bearer token as presented, before it is checked. */
    private static final class Presented extends AbstractAuthenticationToken {

        private String token;

        Presented(String token) {
            super(List.of());
            this.token = token;
        }

        @Override
        public Object getCredentials() {
            return token;
        }

        @Override
        public Object getPrincipal() {
            return "bearer";
        }

        @Override
        public void eraseCredentials() {
            token = null;
        }
    }
}
