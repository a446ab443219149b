package io.nsscope.web;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Endpoints that hold a request for as long as a test wants, so that tests of the render bound and of Tomcat's
 * timeouts can be deterministic: a render under {@code /namespaces/} (where the response cache renders) that waits
 * for a latch, and a 64 MB answer that records how its writing ended.
 */
@TestConfiguration(proxyBeanMethods = false)
@Import(HeldEndpoints.Held.class)
class HeldEndpoints {

    /** Counted down when {@code /namespaces/held} is rendering. */
    static volatile CountDownLatch entered = new CountDownLatch(1);
    /** {@code /namespaces/held} ends its render when this is counted down. */
    static volatile CountDownLatch release = new CountDownLatch(1);
    /** How writing {@code /held/large} ended: null if it was all written, else the exception. */
    static volatile CompletableFuture<Throwable> largeWritten = new CompletableFuture<>();

    static final long LARGE_BYTES = 64L * 1024 * 1024;

    static void reset() {
        entered = new CountDownLatch(1);
        release = new CountDownLatch(1);
        largeWritten = new CompletableFuture<>();
    }

    @RestController
    static class Held {

        @GetMapping(value = "/namespaces/held", produces = "text/plain")
        String held() throws InterruptedException {
            entered.countDown();
            // bounded, so that a failed test never leaves a worker thread behind for good
            release.await(2, TimeUnit.MINUTES);
            return "released";
        }

        @GetMapping("/held/large")
        void large(HttpServletResponse response) {
            response.setContentType("application/octet-stream");
            response.setContentLengthLong(LARGE_BYTES);
            byte[] chunk = new byte[64 * 1024];
            try {
                OutputStream out = response.getOutputStream();
                for (long sent = 0; sent < LARGE_BYTES; sent += chunk.length) {
                    out.write(chunk);
                }
                out.flush();
                largeWritten.complete(null);
            } catch (IOException | RuntimeException e) {
                largeWritten.complete(e);
            }
        }
    }
}
