package io.nsscope.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.nsscope.testing.FixtureServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The response cache over HTTP: the gzip form made once and served to whoever accepts it, the same bytes for all. */
class ResponseCacheIT extends FixtureServer {

    private final HttpClient client = HttpClient.newHttpClient();

    @Autowired
    private ResponseCache responseCache;

    private HttpResponse<byte[]> get(String path, String acceptEncoding) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (acceptEncoding != null) {
            request.header("Accept-Encoding", acceptEncoding);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static byte[] gunzip(byte[] body) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            return in.readAllBytes();
        }
    }

    @Test
    void aClientThatAcceptsGzipGetsTheSameBytesCompressedEveryTime() throws Exception {
        byte[] plain = get("/processes", null).body();
        assertThat(plain.length).isGreaterThan(1024); // above server.compression.min-response-size
        for (int i = 0; i < 3; i++) {
            HttpResponse<byte[]> gzip = get("/processes", "gzip, deflate");
            assertThat(gzip.statusCode()).isEqualTo(200);
            assertThat(gzip.headers().firstValue("Content-Encoding")).hasValue("gzip");
            assertThat(gzip.headers().allValues("Vary").toString())
                    .containsIgnoringCase("Accept-Encoding")
                    .contains("Accept");
            assertThat(gzip.body().length).isLessThan(plain.length / 2);
            assertThat(gunzip(gzip.body())).isEqualTo(plain);
        }
        HttpResponse<byte[]> refused = get("/processes", "gzip;q=0, identity");
        assertThat(refused.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(refused.body()).isEqualTo(plain);
        assertThat(get("/processes", null).headers().firstValue("Content-Encoding"))
                .isEmpty();
    }

    @Test
    void requestsArrivingTogetherAllGetTheWholeAnswer() throws Exception {
        // a new snapshot, then many readers at once: one renders, the others wait for its bytes
        get("/namespaces?refresh=true", null);
        ExecutorService pool = Executors.newFixedThreadPool(12);
        try {
            List<Callable<HttpResponse<byte[]>>> calls = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                String encoding = i % 2 == 0 ? null : "gzip";
                calls.add(() -> get("/processes", encoding));
            }
            List<byte[]> bodies = new ArrayList<>();
            for (Future<HttpResponse<byte[]>> f : pool.invokeAll(calls)) {
                HttpResponse<byte[]> r = f.get();
                assertThat(r.statusCode()).isEqualTo(200);
                bodies.add(r.headers().firstValue("Content-Encoding").isPresent() ? gunzip(r.body()) : r.body());
            }
            assertThat(bodies).allSatisfy(b -> assertThat(b).isEqualTo(bodies.get(0)));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aConditionalRequestThatLeadsARenderGets304AndLeavesTheAnswerForTheOthers() throws Exception {
        String etag = get("/namespaces", null).headers().firstValue("ETag").orElseThrow();
        String path = "/trees/pid?conditional=" + System.nanoTime(); // a key no request has rendered yet
        int entries = responseCache.store().size();

        HttpResponse<byte[]> conditional = client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("If-None-Match", etag)
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());

        assertThat(conditional.statusCode()).isEqualTo(304);
        assertThat(conditional.body()).isEmpty();
        // rendered whole and kept, so that the requests that waited for this render share it
        assertThat(responseCache.store().size()).isEqualTo(entries + 1);
        HttpResponse<byte[]> plain = get(path, null);
        assertThat(plain.statusCode()).isEqualTo(200);
        assertThat(plain.headers().firstValue("ETag")).hasValue(etag);
    }

    @Test
    void readsGzipInAcceptEncodingAsRfc9110Says() {
        assertThat(ResponseCache.acceptsGzip("gzip")).isTrue();
        assertThat(ResponseCache.acceptsGzip("deflate, GZIP;q=0.5")).isTrue();
        assertThat(ResponseCache.acceptsGzip("br, gzip ; q=1.0")).isTrue();
        assertThat(ResponseCache.acceptsGzip("gzip;q=0")).isFalse();
        assertThat(ResponseCache.acceptsGzip("gzip;q=0.000")).isFalse();
        assertThat(ResponseCache.acceptsGzip("gzip;q=bogus")).isFalse();
        assertThat(ResponseCache.acceptsGzip("identity, x-gzip-ish")).isFalse();
        assertThat(ResponseCache.acceptsGzip(null)).isFalse();
    }

    @Test
    void aSecondAcceptHeaderDoesNotChooseTheFormatOthersGet() throws Exception {
        // Content negotiation reads every Accept header: this request is answered in text. A cache keyed by the
        // first header alone would then serve that text to every client that sends only "*/*" (curl's default).
        HttpResponse<String> both = client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/namespaces"))
                        .header("Accept", "*/*")
                        .header("Accept", "text/plain")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(both.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> plain = client.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/namespaces"))
                            .header("Accept", "*/*")
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(plain.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        }
    }
}
