package io.nsscope.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.nsscope.events.EventHub;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * {@code GET /events} on the real kernel, as root: a namespace made with {@code unshare} is announced, and so is its
 * end; a reconnecting client gets what it missed; the subscriber limit answers 503.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "nsscope.scan.interval=200ms",
            "nsscope.events.heartbeat=500ms",
            "nsscope.events.max-subscribers=2"
        })
class EventsLiveIT {

    private static final Pattern FIELD = Pattern.compile("\"(\\w+)\":(\"[^\"]*\"|[-\\d]+|null)");

    @LocalServerPort
    int port;

    @Autowired
    EventHub hub;

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<Stream<String>> streams = new ArrayList<>();
    private Process sleeper;

    /** One SSE event: its id, name and the fields of its JSON data. */
    record Event(long id, String name, java.util.Map<String, String> data) {}

    @BeforeEach
    void requirements() throws InterruptedException {
        assumeTrue(LiveHost.isRoot(), "needs root to unshare namespaces");
        assumeTrue(LiveHost.tool("unshare").isPresent(), "needs unshare(1)");
        awaitNoSubscribers();
    }

    /** Streams closed by an earlier test free their slot when the server next writes to them (a heartbeat). */
    private void awaitNoSubscribers() {
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(50))
                .untilAsserted(
                        () -> assertThat(hub.subscribers()).as("subscribers").isZero());
    }

    @AfterEach
    void cleanUp() throws Exception {
        streams.forEach(Stream::close);
        if (sleeper != null) {
            sleeper.destroyForcibly();
            assertThat(sleeper.waitFor(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    private BlockingQueue<Event> open(String query, Long lastEventId) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/events" + query))
                .header("Accept", "text/event-stream");
        if (lastEventId != null) {
            request.header("Last-Event-ID", Long.toString(lastEventId));
        }
        HttpResponse<Stream<String>> response = http.send(request.build(), HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
        streams.add(response.body());
        BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        Thread reader = new Thread(
                () -> {
                    long id = 0;
                    String name = null;
                    try {
                        for (String line : (Iterable<String>) response.body()::iterator) {
                            if (line.startsWith("id:")) {
                                id = Long.parseLong(line.substring(3).trim());
                            } else if (line.startsWith("event:")) {
                                name = line.substring(6).trim();
                            } else if (line.startsWith("data:")) {
                                java.util.Map<String, String> data = new java.util.HashMap<>();
                                Matcher m = FIELD.matcher(line.substring(5));
                                while (m.find()) {
                                    data.put(m.group(1), m.group(2).replace("\"", ""));
                                }
                                events.add(new Event(id, name, data));
                            }
                        }
                    } catch (RuntimeException e) {
                        // The stream was closed by the test.
                    }
                },
                "sse-reader");
        reader.setDaemon(true);
        reader.start();
        return events;
    }

    /** The first {@code count} events that match, waiting up to 10 s for them. */
    private static List<Event> awaitEvents(
            BlockingQueue<Event> events, int count, java.util.function.Predicate<Event> which) {
        List<Event> found = new ArrayList<>();
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> {
                    for (Event e = events.poll();
                            e != null && found.size() < count;
                            e = found.size() < count ? events.poll() : null) {
                        if (which.test(e)) {
                            found.add(e);
                        }
                    }
                    assertThat(found).as("matching events received").hasSize(count);
                });
        return found;
    }

    private long startSleeperInNewNetAndUts() throws IOException {
        String marker = "600." + ThreadLocalRandom.current().nextInt(100000, 999999);
        sleeper = new ProcessBuilder("unshare", "-n", "-u", "sleep", marker)
                .inheritIO()
                .start();
        return sleeper.pid();
    }

    @Test
    void aNewNamespaceAndItsEndAreAnnounced() throws Exception {
        BlockingQueue<Event> events = open("?type=net&type=uts", null);
        long pid = startSleeperInNewNetAndUts();
        List<Event> created = awaitEvents(
                events,
                2,
                e -> e.name().equals("namespace-created") && e.data().get("pid").equals(Long.toString(pid)));
        assertThat(created).extracting(e -> e.data().get("type")).containsExactlyInAnyOrder("net", "uts");
        assertThat(created).allSatisfy(e -> {
            assertThat(e.data().get("ns"))
                    .isEqualTo(Long.toString(inode(pid, e.data().get("type"))));
            assertThat(e.data().get("command")).startsWith("sleep 600.");
            assertThat(e.id()).isPositive();
        });
        List<String> inodes = created.stream().map(e -> e.data().get("ns")).toList();
        sleeper.destroyForcibly().waitFor();
        List<Event> destroyed = awaitEvents(
                events,
                2,
                e -> e.name().equals("namespace-destroyed")
                        && inodes.contains(e.data().get("ns")));
        assertThat(destroyed).extracting(e -> e.data().get("type")).containsExactlyInAnyOrder("net", "uts");
        assertThat(destroyed.get(0).id()).isGreaterThan(created.get(1).id());
    }

    @Test
    void aClientThatReconnectsGetsWhatItMissed() throws Exception {
        BlockingQueue<Event> first = open("?type=net", null);
        long pid = startSleeperInNewNetAndUts();
        List<Event> created = awaitEvents(
                first,
                1,
                e -> e.name().equals("namespace-created") && e.data().get("pid").equals(Long.toString(pid)));
        assertThat(created).hasSize(1);
        long seen = created.get(0).id() - 1;
        // Resume from just before the creation: it is replayed from the buffer.
        BlockingQueue<Event> resumed = open("?type=net", seen);
        assertThat(awaitEvents(resumed, 1, e -> e.id() == created.get(0).id())).hasSize(1);
    }

    @Test
    void theSubscriberLimitAnswers503WithRetryAfter() throws Exception {
        open("", null);
        open("", null);
        HttpResponse<String> third = http.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/events"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(third.statusCode()).isEqualTo(503);
        assertThat(third.headers().firstValue("Retry-After")).isPresent();
        assertThat(third.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(third.body()).contains("/problems/too-many-subscribers");
    }

    private static long inode(long pid, String type) {
        try {
            String target = java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/" + pid + "/ns/" + type))
                    .toString();
            return Long.parseLong(target.substring(target.indexOf('[') + 1, target.length() - 1));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
