package io.nsscope.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.zip.GZIPOutputStream;

/**
 * The store behind {@link ResponseCache}: rendered responses by request key, each valid for one snapshot, bounded in
 * entries and bytes (least recently used first out), and the renderings in flight. One request renders a key for a
 * snapshot while the others asking for it meanwhile wait for its bytes: without that, every client polling a busy
 * host's {@code /processes} renders the same megabytes at once each time a scan lands, and a small heap does not
 * survive it.
 */
final class RenderedResponses {

    /** A rendered 200 response of one snapshot; its gzip form is made on first demand, once. */
    record Entry(
            long sequence,
            String etag,
            long lastModified,
            String contentType,
            Map<String, List<String>> headers,
            byte[] body,
            String pathPattern,
            Gzipped gzipped) {

        Entry(
                long sequence,
                String etag,
                long lastModified,
                String contentType,
                Map<String, List<String>> headers,
                byte[] body,
                String pathPattern) {
            this(sequence, etag, lastModified, contentType, headers, body, pathPattern, new Gzipped());
        }

        /** The body, gzip-compressed: made by the first request that asks, shared with every later one. */
        byte[] gzip() {
            return gzipped.of(body);
        }
    }

    /** Holds an entry's gzip form once made. */
    static final class Gzipped {

        private byte[] bytes;

        synchronized byte[] of(byte[] body) {
            if (bytes == null) {
                ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 8 + 64);
                try (GZIPOutputStream gzip = new GZIPOutputStream(out, 64 * 1024)) {
                    gzip.write(body);
                } catch (IOException e) {
                    throw new UncheckedIOException(e); // not on a byte array
                }
                bytes = out.toByteArray();
            }
            return bytes;
        }
    }

    /**
     * What a request found: an {@code entry} to serve; or a rendering in flight to wait for ({@code leader} false);
     * or the task of rendering it ({@code leader} true), to be ended with {@link #finish}.
     */
    record Lookup(Entry entry, CompletableFuture<Entry> flight, boolean leader) {}

    private record Flight(long sequence, CompletableFuture<Entry> result) {}

    private final int maxEntries;
    private final long maxBytes;
    private final Map<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
    private final Map<String, Flight> flights = new HashMap<>();
    private long bytes;

    RenderedResponses(int maxEntries, long maxBytes) {
        this.maxEntries = maxEntries;
        this.maxBytes = maxBytes;
    }

    /** The largest response kept: a quarter of the budget, so that one large answer never evicts all the rest. */
    long maxEntryBytes() {
        return maxBytes / 4;
    }

    synchronized Lookup lookup(String key, long sequence) {
        Entry entry = entries.get(key);
        if (entry != null && entry.sequence() == sequence) {
            return new Lookup(entry, null, false);
        }
        Flight flight = flights.get(key);
        if (flight != null && flight.sequence() == sequence) {
            return new Lookup(null, flight.result(), false);
        }
        Flight mine = new Flight(sequence, new CompletableFuture<>());
        flights.put(key, mine);
        return new Lookup(null, mine.result(), true);
    }

    /**
     * Ends a leader's rendering: keeps {@code made} (if not null) and hands it to whoever waited; with null they
     * render for themselves (the answer was not a cacheable 200 of that snapshot, or the rendering failed).
     */
    void finish(String key, Lookup lookup, Entry made) {
        synchronized (this) {
            Flight flight = flights.get(key);
            if (flight != null && flight.result() == lookup.flight()) {
                flights.remove(key);
            }
            if (made != null && made.body().length <= maxEntryBytes()) {
                put(key, made);
            }
        }
        lookup.flight().complete(made);
    }

    private void put(String key, Entry entry) {
        // Responses of older snapshots will never be served again.
        entries.values().removeIf(e -> {
            boolean stale = e.sequence() < entry.sequence();
            bytes -= stale ? e.body().length : 0;
            return stale;
        });
        Entry old = entries.put(key, entry);
        bytes += entry.body().length - (old == null ? 0 : old.body().length);
        Iterator<Entry> eldest = entries.values().iterator();
        while ((entries.size() > maxEntries || bytes > maxBytes) && eldest.hasNext()) {
            Entry e = eldest.next();
            if (e == entry) {
                break;
            }
            bytes -= e.body().length;
            eldest.remove();
        }
    }

    synchronized long bytes() {
        return bytes;
    }

    synchronized int size() {
        return entries.size();
    }

    /** Renderings begun and not yet finished: each must end with {@link #finish}, or its followers wait in vain. */
    synchronized int inFlight() {
        return flights.size();
    }
}
