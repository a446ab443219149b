package io.nsscope.web;

import io.micrometer.core.instrument.MeterRegistry;
import io.nsscope.config.NsscopeProperties;
import io.nsscope.scan.FreshSnapshotUnavailableException;
import io.nsscope.scan.Snapshot;
import io.nsscope.scan.SnapshotCache;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.web.server.Compression;
import org.springframework.boot.web.server.autoconfigure.ServerProperties;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.util.MimeType;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.filter.ServerHttpObservationFilter;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * Keeps the rendered bytes of the snapshot-backed GET responses for as long as their snapshot is the current one:
 * a snapshot changes every scan interval, but may be read thousands of times meanwhile, and rendering a busy host's
 * 1,000-odd namespaces is most of a request's cost. A response is reused only for the same path, query and
 * {@code Accept} header, and only when it was a 200 made from its snapshot (its ETag says so). A {@code ?refresh=true}
 * request first waits here for its fresh snapshot, which the callers of one scan share, and is then answered from it
 * like any other: rendered once for all of them, under the same bound. Each response is rendered once per snapshot:
 * requests arriving while it renders wait for
 * its bytes ({@link RenderedResponses}), and compressed once too, for clients that accept gzip (when
 * {@code server.compression} allows it for that type and size), instead of by Tomcat for every request. Bounded in
 * entries and in bytes, to a share of the heap; least recently used entries go first. Renders are bounded too
 * ({@link RenderPermits}): beyond them a request that would render gets 503 {@code /problems/too-many-renders}; one
 * served from the store or from another request's render needs no permit.
 */
@Component
class ResponseCache extends OncePerRequestFilter {

    private static final int MAX_ENTRIES = 128;
    private static final long MAX_BYTES = 64L * 1024 * 1024;
    /** A waiting request renders for itself after this long (the leader is stuck or very slow). */
    private static final long WAIT_SECONDS = 10;

    private final SnapshotCache cache;
    private final Snapshots snapshots;
    private final RenderedResponses store;
    private final Compression compression;
    private final RenderPermits permits;
    private final ObjectProvider<HandlerExceptionResolver> resolver;

    ResponseCache(
            SnapshotCache cache,
            Snapshots snapshots,
            ObjectProvider<ServerProperties> server,
            NsscopeProperties nsscope,
            ObjectProvider<MeterRegistry> meters,
            @Qualifier("handlerExceptionResolver") ObjectProvider<HandlerExceptionResolver> resolver) {
        this.cache = cache;
        this.snapshots = snapshots;
        this.permits = new RenderPermits(nsscope.api().maxRendersInFlight(), meters.getIfAvailable());
        this.resolver = resolver;
        ServerProperties properties = server.getIfAvailable();
        this.compression = properties == null ? null : properties.getCompression();
        // A quarter of the heap at most: a reader varying the query string fills it, and must not fill the heap.
        this.store = new RenderedResponses(
                MAX_ENTRIES, Math.min(MAX_BYTES, Runtime.getRuntime().maxMemory() / 4));
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        if (!"GET".equals(request.getMethod())) {
            return true;
        }
        String path = request.getRequestURI();
        return !(path.equals("/namespaces")
                || path.startsWith("/namespaces/")
                || path.startsWith("/trees/")
                || path.equals("/processes")
                || path.startsWith("/processes/"));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Snapshot current;
        if (asksRefresh(request)) {
            // The scan first, without a permit (callers arriving together share it); then the answer is rendered
            // under the same bound as any other, once for all the callers of that scan, and the controller answers
            // from this snapshot instead of asking for another.
            try {
                current = cache.fresh();
            } catch (FreshSnapshotUnavailableException e) {
                problem(request, response, e);
                return;
            }
            request.setAttribute(Snapshots.FRESH, current);
        } else {
            current = cache.current().orElse(null);
            if (current == null) {
                chain.doFilter(request, response);
                return;
            }
        }
        // Every Accept header, as content negotiation reads them all: keyed by the first alone, a request with a second
        // one could put its format under the key of the plain first one.
        String key = request.getRequestURI()
                + '?'
                + request.getQueryString()
                + '|'
                + String.join(",", Collections.list(request.getHeaders(HttpHeaders.ACCEPT)));
        RenderedResponses.Lookup lookup = store.lookup(key, current.sequence());
        RenderedResponses.Entry entry =
                lookup.entry() != null ? lookup.entry() : lookup.leader() ? null : await(lookup);
        if (entry != null) {
            serve(entry, request, response, gzip(request, entry));
            return;
        }
        // A render: this request leads the key's rendering, or its leader made nothing to share.
        boolean permitted;
        try {
            permitted = permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            permitted = false;
        }
        if (!permitted) {
            if (lookup.leader()) {
                store.finish(key, lookup, null); // the requests waiting for this one render (or are refused) now
            }
            refuse(request, response);
            return;
        }
        RenderedResponses.Entry made;
        try {
            // Rendered without the caller's conditions: a 304 for this caller would leave the requests waiting for
            // this render with nothing to share, and each would then need a permit of its own.
            made = render(new Unconditional(request), response, chain, current, key, lookup);
        } finally {
            permits.release();
        }
        if (made != null) {
            // Kept: served like any stored answer (its 304 too), without the permit, so that a client reading slowly
            // holds neither a permit nor a copy of its own; plain, as the render was.
            serve(made, request, response, false);
        }
    }

    /**
     * Renders the response into a buffer; returns it as an entry if it is kept (the caller sends it), or sends it
     * here and returns null.
     */
    private RenderedResponses.Entry render(
            HttpServletRequest request,
            HttpServletResponse response,
            FilterChain chain,
            Snapshot current,
            String key,
            RenderedResponses.Lookup lookup)
            throws ServletException, IOException {
        ContentCachingResponseWrapper wrapper = new ContentCachingResponseWrapper(response);
        RenderedResponses.Entry made = null;
        try {
            chain.doFilter(request, wrapper);
            made = cacheable(request, wrapper, current);
        } finally {
            if (lookup.leader()) {
                store.finish(key, lookup, made);
            }
        }
        if (made == null) {
            wrapper.copyBodyToResponse();
        }
        return made;
    }

    /** 503 {@code /problems/too-many-renders}, through the exception handling that answers every other problem. */
    private void refuse(HttpServletRequest request, HttpServletResponse response) throws IOException {
        problem(request, response, new TooManyRendersException());
    }

    /** Answers a 503 problem through the exception handling that answers every other problem. */
    private void problem(HttpServletRequest request, HttpServletResponse response, RuntimeException e)
            throws IOException {
        if (resolver.getObject().resolveException(request, response, null, e) == null && !response.isCommitted()) {
            response.setHeader(HttpHeaders.RETRY_AFTER, TooManyRendersException.RETRY_AFTER_SECONDS);
            response.sendError(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
        }
    }

    /**
     * Whether the request asks for a fresh snapshot: {@code refresh} is one of the values Spring binds to
     * {@code true} (StringToBooleanConverter). Any other value is left to the controller, which refuses it or
     * answers from the current snapshot.
     */
    static boolean asksRefresh(HttpServletRequest request) {
        String refresh = request.getParameter("refresh");
        if (refresh == null) {
            return false;
        }
        return switch (refresh.trim().toLowerCase(Locale.ROOT)) {
            case "true", "on", "yes", "1" -> true;
            default -> false;
        };
    }

    /** A request without its conditional headers ({@code If-None-Match}, {@code If-Modified-Since}...). */
    private static final class Unconditional extends HttpServletRequestWrapper {

        private static final Set<String> CONDITIONS = Set.of(
                HttpHeaders.IF_NONE_MATCH.toLowerCase(Locale.ROOT),
                HttpHeaders.IF_MODIFIED_SINCE.toLowerCase(Locale.ROOT),
                HttpHeaders.IF_MATCH.toLowerCase(Locale.ROOT),
                HttpHeaders.IF_UNMODIFIED_SINCE.toLowerCase(Locale.ROOT));

        Unconditional(HttpServletRequest request) {
            super(request);
        }

        private static boolean condition(String name) {
            return CONDITIONS.contains(name.toLowerCase(Locale.ROOT));
        }

        @Override
        public String getHeader(String name) {
            return condition(name) ? null : super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            return condition(name) ? Collections.emptyEnumeration() : super.getHeaders(name);
        }

        @Override
        public long getDateHeader(String name) {
            return condition(name) ? -1 : super.getDateHeader(name);
        }

        @Override
        public Enumeration<String> getHeaderNames() {
            return Collections.enumeration(Collections.list(super.getHeaderNames()).stream()
                    .filter(name -> !condition(name))
                    .toList());
        }
    }

    /** The store (for tests). */
    RenderedResponses store() {
        return store;
    }

    /** The render permits (for tests). */
    RenderPermits permits() {
        return permits;
    }

    /** The leader's entry, or null if it made none (the caller then renders for itself). */
    private static RenderedResponses.Entry await(RenderedResponses.Lookup lookup) throws IOException {
        try {
            return lookup.flight().get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for a response being rendered", e);
        } catch (ExecutionException | TimeoutException e) {
            return null;
        }
    }

    private static void serve(
            RenderedResponses.Entry entry, HttpServletRequest request, HttpServletResponse response, boolean gzip)
            throws IOException {
        // Answered before Spring MVC matches a route: name the route for the HTTP server metrics ourselves, or every
        // cached answer would be counted under uri="UNKNOWN".
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
        byte[] body = entry.body();
        if (gzip) {
            body = entry.gzip();
            response.setHeader(HttpHeaders.CONTENT_ENCODING, "gzip");
            String vary = response.getHeader(HttpHeaders.VARY);
            response.setHeader(
                    HttpHeaders.VARY,
                    vary == null ? HttpHeaders.ACCEPT_ENCODING : vary + ", " + HttpHeaders.ACCEPT_ENCODING);
        }
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /** Whether to answer with the entry's gzip form: what Tomcat's compression would do, but done once. */
    private boolean gzip(HttpServletRequest request, RenderedResponses.Entry entry) {
        if (compression == null
                || !compression.getEnabled()
                || entry.contentType() == null
                || entry.body().length < compression.getMinResponseSize().toBytes()
                || !acceptsGzip(request.getHeader(HttpHeaders.ACCEPT_ENCODING))) {
            return false;
        }
        String agent = request.getHeader(HttpHeaders.USER_AGENT);
        if (agent != null
                && compression.getExcludedUserAgents() != null
                && Arrays.asList(compression.getExcludedUserAgents()).contains(agent)) {
            return false;
        }
        MimeType type = MimeType.valueOf(entry.contentType());
        return Arrays.stream(compression.getMimeTypes())
                .map(MimeType::valueOf)
                .anyMatch(t -> t.equalsTypeAndSubtype(type));
    }

    /** Whether an {@code Accept-Encoding} header accepts gzip: listed, and not with {@code q=0}. */
    static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        for (String coding : acceptEncoding.split(",")) {
            String[] parts = coding.split(";");
            if (!parts[0].strip().equalsIgnoreCase("gzip")) {
                continue;
            }
            for (int i = 1; i < parts.length; i++) {
                String parameter = parts[i].strip().toLowerCase(Locale.ROOT);
                if (parameter.startsWith("q=")) {
                    try {
                        return Double.parseDouble(parameter.substring(2)) > 0;
                    } catch (NumberFormatException e) {
                        return false;
                    }
                }
            }
            return true;
        }
        return false;
    }

    /** The response as an entry, if it is a 200 of {@code current} (its ETag says so) and not too large to keep. */
    private RenderedResponses.Entry cacheable(
            HttpServletRequest request, ContentCachingResponseWrapper wrapper, Snapshot current) {
        String etag = snapshots.etag(current);
        if (wrapper.getStatus() != 200
                || !etag.equals(wrapper.getHeader(HttpHeaders.ETAG))
                || wrapper.getContentSize() > store.maxEntryBytes()) {
            return null;
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String name : wrapper.getHeaderNames()) {
            if (!name.equalsIgnoreCase(HttpHeaders.CONTENT_TYPE)
                    && !name.equalsIgnoreCase(HttpHeaders.CONTENT_LENGTH)) {
                headers.put(name, List.copyOf(wrapper.getHeaders(name)));
            }
        }
        Object pattern = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
        return new RenderedResponses.Entry(
                current.sequence(),
                etag,
                current.takenAt().toEpochMilli(),
                wrapper.getContentType(),
                headers,
                wrapper.getContentAsByteArray(),
                pattern == null ? null : pattern.toString());
    }
}
