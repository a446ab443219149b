package io.nsscope.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.nsscope.scan.SnapshotCache;
import io.nsscope.testing.FixtureServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;

/**
 * The bound on renders in flight (docs/security.md, "Renders in flight"): with every permit held by a render that
 * waits for the test, a request that would render gets 503 {@code /problems/too-many-renders} with
 * {@code Retry-After}, leaves no rendering open behind it, and is counted; a cached answer is still served; once the
 * render ends, the same request is answered.
 */
@Import(HeldEndpoints.class)
@TestPropertySource(properties = "nsscope.api.max-renders-in-flight=1")
class RenderLimitIT extends FixtureServer {

    private final HttpClient client = HttpClient.newHttpClient();

    @Autowired
    private ResponseCache responseCache;

    private RenderPermits permits;

    @Autowired
    private MeterRegistry meters;

    @Autowired
    private SnapshotCache cache;

    @BeforeEach
    void freshLatches() {
        HeldEndpoints.reset();
        permits = responseCache.permits();
    }

    @AfterEach
    void letTheRenderGo() {
        HeldEndpoints.release.countDown();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private double refused() {
        return meters.get("nsscope.renders.refused").counter().count();
    }

    @Test
    void aRenderBeyondTheBoundIsRefusedWithRetryAfterWhileCachedAnswersAreServed() throws Exception {
        HttpResponse<String> cached = get("/namespaces");
        assertThat(cached.statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> permits.available() == permits.max());
        double refusedBefore = refused();

        CompletableFuture<HttpResponse<String>> held = client.sendAsync(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/namespaces/held"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(30)).until(() -> HeldEndpoints.entered.getCount() == 0);
        assertThat(permits.available())
                .as("the render in progress holds the only permit")
                .isZero();
        int renderings = responseCache.store().inFlight(); // the held one's

        HttpResponse<String> refusedAnswer = get("/processes?x=1");
        assertThat(refusedAnswer.statusCode()).isEqualTo(503);
        assertThat(refusedAnswer.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(refusedAnswer.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(refusedAnswer.body())
                .contains("\"type\":\"/problems/too-many-renders\"")
                .contains("\"title\":\"Too many answers being rendered\"")
                .contains("\"status\":503")
                .contains("\"instance\":\"/processes\"");
        // the refused request led the rendering of its key: it must have ended it, or the next request for the
        // same key would wait for a rendering that never comes
        assertThat(responseCache.store().inFlight()).isEqualTo(renderings);
        assertThat(refused()).isEqualTo(refusedBefore + 1);

        HttpResponse<String> hit = get("/namespaces");
        assertThat(hit.statusCode()).as("a cached answer needs no permit").isEqualTo(200);
        assertThat(hit.body()).isEqualTo(cached.body());

        HeldEndpoints.release.countDown();
        assertThat(held.get().statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> permits.available() == permits.max());
        HttpResponse<String> answered = get("/processes?x=1");
        assertThat(answered.statusCode()).isEqualTo(200);
        assertThat(answered.body()).contains("\"pid\"");
        await().atMost(Duration.ofSeconds(30))
                .alias("every permit is given back")
                .until(() -> permits.available() == permits.max());
    }

    @Test
    void aRefreshIsRenderedUnderTheSameBoundAndFromTheOneScanItWaitedFor() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> permits.available() == permits.max());
        CompletableFuture<HttpResponse<String>> held = client.sendAsync(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/namespaces/held"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(30)).until(() -> HeldEndpoints.entered.getCount() == 0);

        HttpResponse<String> refusedAnswer = get("/processes?refresh=true");
        assertThat(refusedAnswer.statusCode()).isEqualTo(503);
        assertThat(refusedAnswer.body()).contains("\"type\":\"/problems/too-many-renders\"");

        HeldEndpoints.release.countDown();
        assertThat(held.get().statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> permits.available() == permits.max());
        // the background interval is an hour: every scan from here on is one a refresh asked for
        long scansBefore = cache.scans();
        HttpResponse<String> answered = get("/processes?refresh=true");
        assertThat(answered.statusCode()).isEqualTo(200);
        assertThat(cache.scans())
                .as("one scan, not one for the filter and one for the controller")
                .isEqualTo(scansBefore + 1);
        assertThat(answered.headers().firstValue("ETag"))
                .hasValueSatisfying(etag -> assertThat(etag)
                        .endsWith("-" + cache.current().orElseThrow().sequence() + "\""));
    }

    @Test
    void theProblemTypeIsExplained() throws Exception {
        HttpResponse<String> type = get("/problems/too-many-renders");
        assertThat(type.statusCode()).isEqualTo(200);
        assertThat(type.body()).contains("nsscope.api.max-renders-in-flight");
    }
}
