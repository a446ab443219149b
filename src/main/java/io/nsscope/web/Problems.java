package io.nsscope.web;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * The problem types nsscope answers with (RFC 9457). Their URIs are stable: clients may switch on them. Each is
 * also served as a short explanation at its own path.
 */
enum Problems {
    INVALID_PARAMETER("invalid-parameter", "Invalid parameter",
            "A path segment or query parameter is malformed: not a number, out of range, or not one of the allowed"
                    + " values. The detail names it; for namespace types the body lists the valid ones."),
    PROCESS_NOT_FOUND("process-not-found", "No such process",
            "No process with this PID was in the snapshot. It may have exited; ?refresh=true asks for a new scan."),
    NAMESPACE_NOT_FOUND("namespace-not-found", "No such namespace",
            "No process of the host is in a namespace with this inode number."),
    NOT_FOUND("not-found", "Not found", "There is no resource at this path. GET / lists the endpoints."),
    METHOD_NOT_ALLOWED("method-not-allowed", "Method not allowed", "This resource does not answer that HTTP method."),
    NOT_ACCEPTABLE("not-acceptable", "Not acceptable",
            "This resource is served as application/json or text/plain only."),
    SNAPSHOT_UNAVAILABLE("snapshot-unavailable", "No snapshot available",
            "No scan of the procfs has succeeded yet, or a fresh one asked for with ?refresh=true could not be"
                    + " taken in time. See /actuator/health for the reason; retry later."),
    TOO_MANY_SUBSCRIBERS("too-many-subscribers", "Too many event streams",
            "Every /events slot (nsscope.events.max-subscribers) is taken; retry after the Retry-After seconds."),
    BAD_REQUEST("bad-request", "Bad request", "The request could not be understood."),
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

    URI type() {
        return URI.create(PREFIX + slug);
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
