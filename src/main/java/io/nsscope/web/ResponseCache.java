package io.nsscope.web;

import io.nsscope.scan.Snapshot;
import io.nsscope.scan.SnapshotCache;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.filter.ServerHttpObservationFilter;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * Keeps the rendered bytes of the snapshot-backed GET responses for as long as their snapshot is the current one:
 * a snapshot changes every scan interval, but may be read thousands of times meanwhile, and rendering a busy host's
 * 1,000-odd namespaces is most of a request's cost. A response is reused only for the same path, query and
 * {@code Accept} header, only when it was a 200 made from the current snapshot (its ETag says so), and never for
 * {@code ?refresh=true}. Bounded in entries and bytes; least recently used entries go first.
 */
@Component
class ResponseCache extends OncePerRequestFilter {

    private static final int MAX_ENTRIES = 128;
    private static final long MAX_BYTES = 64L * 1024 * 1024;

    private final SnapshotCache cache;
    private final Snapshots snapshots;
    private final Map<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;

    ResponseCache(SnapshotCache cache, Snapshots snapshots) {
        this.cache = cache;
        this.snapshots = snapshots;
    }

    /** A rendered 200 response of one snapshot. */
    private record Entry(long sequence, String etag, long lastModified, String contentType,
            Map<String, List<String>> headers, byte[] body, String pathPattern) {
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        if (!"GET".equals(request.getMethod()) || "true".equalsIgnoreCase(request.getParameter("refresh"))) {
            return true;
        }
        String path = request.getRequestURI();
        return !(path.equals("/namespaces") || path.startsWith("/namespaces/") || path.startsWith("/trees/")
                || path.equals("/processes") || path.startsWith("/processes/"));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Snapshot current = cache.current().orElse(null);
        if (current == null) {
            chain.doFilter(request, response);
            return;
        }
        String key = request.getRequestURI() + '?' + request.getQueryString() + '|' + request.getHeader("Accept");
        Entry entry = get(key, current.sequence());
        if (entry != null) {
            // Answered before Spring MVC matches a route: name the route for the HTTP server metrics ourselves,
            // or every cached answer would be counted under uri="UNKNOWN".
            ServerHttpObservationFilter.findObservationContext(request)
                    .ifPresent(context -> context.setPathPattern(entry.pathPattern()));
            if (new ServletWebRequest(request, response).checkNotModified(entry.etag(), entry.lastModified())) {
                return;
            }
            entry.headers().forEach((name, values) -> {
                response.setHeader(name, values.get(0));
                values.stream().skip(1).forEach(value -> response.addHeader(name, value));
            });
            response.setContentType(entry.contentType());
            response.setContentLength(entry.body().length);
            response.getOutputStream().write(entry.body());
            return;
        }
        ContentCachingResponseWrapper wrapper = new ContentCachingResponseWrapper(response);
        chain.doFilter(request, wrapper);
        String etag = snapshots.etag(current);
        if (wrapper.getStatus() == 200 && etag.equals(wrapper.getHeader(HttpHeaders.ETAG))) {
            Map<String, List<String>> headers = new LinkedHashMap<>();
            for (String name : wrapper.getHeaderNames()) {
                if (!name.equalsIgnoreCase(HttpHeaders.CONTENT_TYPE) && !name.equalsIgnoreCase(HttpHeaders.CONTENT_LENGTH)) {
                    headers.put(name, List.copyOf(wrapper.getHeaders(name)));
                }
            }
            Object pattern = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
            put(key, new Entry(current.sequence(), etag, current.takenAt().toEpochMilli(), wrapper.getContentType(),
                    headers, wrapper.getContentAsByteArray(), pattern == null ? null : pattern.toString()));
        }
        wrapper.copyBodyToResponse();
    }

    private synchronized Entry get(String key, long sequence) {
        Entry entry = entries.get(key);
        return entry != null && entry.sequence() == sequence ? entry : null;
    }

    private synchronized void put(String key, Entry entry) {
        if (entry.body().length > MAX_BYTES / 4) {
            return;
        }
        // Responses of older snapshots will never be served again.
        entries.values().removeIf(e -> {
            boolean stale = e.sequence() < entry.sequence();
            bytes -= stale ? e.body().length : 0;
            return stale;
        });
        Entry old = entries.put(key, entry);
        bytes += entry.body().length - (old == null ? 0 : old.body().length);
        Iterator<Entry> eldest = entries.values().iterator();
        while ((entries.size() > MAX_ENTRIES || bytes > MAX_BYTES) && eldest.hasNext()) {
            Entry e = eldest.next();
            if (e == entry) {
                break;
            }
            bytes -= e.body().length;
            eldest.remove();
        }
    }
}
