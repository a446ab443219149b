package io.nsscope.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nsscope.testing.FixtureServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;

/**
 * Tomcat's timeouts as application.yml sets them (docs/security.md, "Slow clients"): a client that stops reading an
 * answer, or stops sending its request, has its connection closed and its worker thread back within
 * {@code server.tomcat.connection-timeout}. The bounds below are that timeout (10 s) with room to spare, and fail with
 * Tomcat's default of 60 s; they bound a wait, they time nothing.
 */
@Import(HeldEndpoints.class)
@TestPropertySource(properties = "nsscope.api.max-renders-in-flight=1") // RenderLimitIT's context, shared
class SlowClientsIT extends FixtureServer {

    private static final Duration BOUND = Duration.ofSeconds(40);

    @BeforeEach
    void freshLatches() {
        HeldEndpoints.reset();
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4096); // before connecting: the window the server sees stays small
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        socket.setSoTimeout((int) BOUND.toMillis()); // a read never waits longer than the test's bound
        return socket;
    }

    @Test
    void aClientThatStopsReadingLosesItsConnectionAndFreesItsThread() throws Exception {
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write("GET /held/large HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            // not a byte read: the server's write blocks once the socket buffers are full, until the timeout
            await().atMost(BOUND).until(() -> HeldEndpoints.largeWritten.isDone());
            assertThat(HeldEndpoints.largeWritten.get())
                    .as("the write of 64 MB to a client that reads nothing fails")
                    .isInstanceOf(IOException.class);
            long received = drain(socket.getInputStream());
            assertThat(received).as("the connection was closed mid-answer").isLessThan(HeldEndpoints.LARGE_BYTES);
        }
    }

    @Test
    void aRequestLeftHalfSentIsClosed() throws Exception {
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            // no blank line: the server waits for the rest of the headers
            out.write("GET /namespaces HTTP/1.1\r\nHost: localhost\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            // the server closes it: EOF, after at most an error response (no complete request, no answer to it)
            String received = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(received).doesNotStartWith("HTTP/1.1 200");
        }
    }

    @Test
    void anIdleKeptAliveConnectionIsClosed() throws Exception {
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write("GET /namespaces HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            // the answer, then nothing: the server closes the idle connection (EOF) within the keep-alive timeout
            String received = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(received).startsWith("HTTP/1.1 200");
        }
    }

    /** Reads to EOF; the socket's read timeout makes a server that never closes a failure, not a hang. */
    private static long drain(InputStream in) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        for (int n; (n = in.read(buffer)) >= 0; ) {
            total += n;
        }
        return total;
    }
}
