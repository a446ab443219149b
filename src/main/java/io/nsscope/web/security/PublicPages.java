package io.nsscope.web.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import org.springframework.http.server.RequestPath;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerExecutionChain;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.ServletRequestPathUtils;
import org.springframework.web.util.pattern.PathPattern;

/**
 * Matches the requests Spring MVC will answer with a {@link PublicPage} handler: the decision is made by asking the
 * very handler mapping that will route the request (path, method, {@code Accept} and all), never by reading the URI
 * a second way. The lookup runs on a copy of the request's attributes, so it leaves nothing behind for the real
 * dispatch; a request no handler takes, or one the mapping refuses (406, 405...), is not public.
 */
final class PublicPages implements RequestMatcher {

    private final Supplier<RequestMappingHandlerMapping> mapping;
    private volatile List<PathPattern> patterns;

    PublicPages(Supplier<RequestMappingHandlerMapping> mapping) {
        this.mapping = mapping;
    }

    @Override
    public boolean matches(HttpServletRequest request) {
        HttpServletRequest lookup = new OwnAttributes(request);
        try {
            RequestPath path = ServletRequestPathUtils.parseAndCache(lookup);
            // A cheap first cut, so that reads do not pay for a second lookup: only a path that some public
            // handler maps can end at one. The handler lookup below decides.
            if (patterns().stream().noneMatch(p -> p.matches(path.pathWithinApplication()))) {
                return false;
            }
            HandlerExecutionChain chain = mapping.get().getHandler(lookup);
            return chain != null
                    && chain.getHandler() instanceof HandlerMethod method
                    && method.hasMethodAnnotation(PublicPage.class);
        } catch (Exception e) {
            return false;
        }
    }

    /** The path patterns of every {@link PublicPage} handler, read once the handler mapping is complete. */
    private List<PathPattern> patterns() {
        List<PathPattern> known = patterns;
        if (known == null) {
            known = mapping.get().getHandlerMethods().entrySet().stream()
                    .filter(e -> e.getValue().hasMethodAnnotation(PublicPage.class))
                    .map(e -> e.getKey().getPathPatternsCondition())
                    .filter(Objects::nonNull)
                    .flatMap(c -> c.getPatterns().stream())
                    .toList();
            patterns = known;
        }
        return known;
    }

    /** The request, with attributes of its own: reads fall through to the real ones, writes stay here. */
    private static final class OwnAttributes extends HttpServletRequestWrapper {

        private final Map<String, Object> attributes = new HashMap<>();
        private final Set<String> removed = new HashSet<>();

        OwnAttributes(HttpServletRequest request) {
            super(request);
        }

        @Override
        public Object getAttribute(String name) {
            if (removed.contains(name)) {
                return null;
            }
            return attributes.containsKey(name) ? attributes.get(name) : super.getAttribute(name);
        }

        @Override
        public Enumeration<String> getAttributeNames() {
            Set<String> names = new HashSet<>(Collections.list(super.getAttributeNames()));
            names.removeAll(removed);
            names.addAll(attributes.keySet());
            return Collections.enumeration(names);
        }

        @Override
        public void setAttribute(String name, Object value) {
            if (value == null) {
                removeAttribute(name);
                return;
            }
            removed.remove(name);
            attributes.put(name, value);
        }

        @Override
        public void removeAttribute(String name) {
            attributes.remove(name);
            removed.add(name);
        }
    }
}
