package io.nsscope.web;

import io.nsscope.scan.FreshSnapshotUnavailableException;
import io.nsscope.scan.Snapshot;
import io.nsscope.scan.SnapshotCache;
import java.util.UUID;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * The controllers' access to snapshots, and the headers that say how old a response's data is: {@code ETag} (one
 * per snapshot, weak because JSON and text are two forms of the same data), {@code Last-Modified} (the scan's
 * start) and {@code Vary: Accept}. Spring answers {@code If-None-Match} and {@code If-Modified-Since} with 304
 * from these headers.
 */
@Component
class Snapshots {

    /** Distinguishes this run's snapshot numbers from a previous run's, so that ETags never repeat. */
    private final String runId = UUID.randomUUID().toString().substring(0, 8);

    /**
     * The request attribute holding the fresh snapshot {@link ResponseCache} waited for on a {@code ?refresh=true}
     * request: the controller answers from it rather than waiting for another scan.
     */
    static final String FRESH = Snapshots.class.getName() + ".fresh";

    private final SnapshotCache cache;

    Snapshots(SnapshotCache cache) {
        this.cache = cache;
    }

    /** The current snapshot, or with {@code refresh} one taken after this call. */
    Snapshot get(boolean refresh) {
        if (refresh) {
            if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes request
                    && request.getAttribute(FRESH, RequestAttributes.SCOPE_REQUEST) instanceof Snapshot fresh) {
                return fresh;
            }
            return cache.fresh();
        }
        return cache.current()
                .orElseThrow(() -> new FreshSnapshotUnavailableException(
                        "no scan has succeeded yet"
                                + (cache.lastFailure().isPresent()
                                        ? "; the service's log and health say why the last one failed"
                                        : ""),
                        null));
    }

    /** The entity tag of every response served from this snapshot. */
    String etag(Snapshot snapshot) {
        return "W/\"" + runId + "-" + snapshot.sequence() + "\"";
    }

    <T> ResponseEntity<T> ok(Snapshot snapshot, T body) {
        return ResponseEntity.ok()
                .eTag(etag(snapshot))
                .lastModified(snapshot.takenAt())
                .cacheControl(CacheControl.noCache())
                .header(HttpHeaders.VARY, HttpHeaders.ACCEPT)
                .body(body);
    }
}
