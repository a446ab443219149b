package io.nsscope.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.nsscope.events.EventHub;
import io.nsscope.scan.ScanFailureKind;
import io.nsscope.scan.SnapshotCache;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * No scan fails because something vanished mid-read: for about a minute ({@code -Dnsscope.churn.seconds}), two shells
 * start and end processes in new namespaces as fast as they can ({@code unshare -n -u -i} and
 * {@code unshare -p -f -m --mount-proc}, as the reproduction did) while clients force rescans, read every view
 * (JSON and text) and follow {@code /events}. Then: no scan failed, no answer was a 5xx, and the events balance: for
 * each inode, creations and destructions alternate, starting with a creation unless it was there before, and ending
 * with a destruction unless it is there at the end; per type, creations minus destructions is the change in count.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "nsscope.scan.interval=250ms",
            "nsscope.scan.refresh-min-interval=50ms",
            "nsscope.events.max-queued-per-client=100000",
            "nsscope.events.buffer=100000"
        })
class ScanChurnLiveIT {

    private static final Pattern FIELD = Pattern.compile("\"(\\w+)\":(\"[^\"]*\"|[-\\d]+|null)");
    private static final List<String> TYPES = LiveHost.TYPES;

    @LocalServerPort
    int port;

    @Autowired
    SnapshotCache cache;

    @Autowired
    EventHub hub;

    private final HttpClient http = HttpClient.newHttpClient();
    private final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    private final List<String> serverErrors = Collections.synchronizedList(new ArrayList<>());
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger vanished = new AtomicInteger();

    /** One namespace event: its name, type and inode. */
    record Event(String name, String type, long ns) {}

    @Test
    void churnMakesNoScanFailNoAnswerA5xxAndBalancedEvents() throws Exception {
        assumeTrue(LiveHost.isRoot(), "needs root to make namespaces");
        assumeTrue(LiveHost.tool("unshare").isPresent(), "needs unshare(1)");
        int seconds = Integer.getInteger("nsscope.churn.seconds", 60);
        String mark = "churn" + ThreadLocalRandom.current().nextInt(100_000, 999_999);

        List<Event> events = Collections.synchronizedList(new ArrayList<>());
        Stream<String> stream = follow(events);
        await().atMost(Duration.ofSeconds(10)).until(() -> hub.subscribers() == 1);
        get("/namespaces?refresh=true", "application/json");
        Map<Long, String> before = namespaces(get("/namespaces?refresh=true", "application/json"));
        events.clear(); // the host is quiet before the churn: nothing of the scans above is lost
        long failedBefore = cache.failedScans();
        long scansBefore = cache.scans();

        List<Process> churners = List.of(
                churner(mark, "unshare -n -u -i true " + mark),
                churner(mark, "unshare -p -f -m --mount-proc --kill-child sh -c 'sleep 0.01' " + mark));
        List<Thread> clients = List.of(client(this::refresh), client(this::readEveryView), client(this::readEveryView));
        Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
        running.set(false);
        for (Process p : churners) {
            p.destroyForcibly();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        for (Thread t : clients) {
            t.join(TimeUnit.SECONDS.toMillis(60));
        }
        await().atMost(Duration.ofSeconds(30))
                .until(() -> LiveHost.readAll().values().stream()
                        .noneMatch(p -> p.lsnsCommand().contains(mark)));

        // the events catch up with a snapshot taken once nothing of the churn is left
        Map<Long, String> after = namespaces(get("/namespaces?refresh=true", "application/json"));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> replay(before, events).equals(after));
        stream.close();

        assertThat(cache.failedScans() - failedBefore)
                .as("failed scans, of which error: " + cache.failedScans(ScanFailureKind.ERROR))
                .isZero();
        assertThat(cache.scans() - scansBefore).as("scans run during the churn").isGreaterThan(seconds);
        assertThat(serverErrors).as("5xx answers").isEmpty();
        // 404: a namespace or process of an earlier answer that has gone since; nothing else but 200
        assertThat(statuses.keySet()).as("statuses").isSubsetOf(200, 404);
        assertThat(events.stream().filter(e -> e.name().equals("reset")))
                .as("events missed (reset)")
                .isEmpty();
        assertThat(events).as("namespaces came and went").hasSizeGreaterThan(20);
        assertThat(unbalanced(before, after, events)).isEmpty();
        System.out.println("[ScanChurnLiveIT] " + seconds + " s: " + (cache.scans() - scansBefore) + " scans, "
                + events.size() + " events, answers by status " + statuses + ", processes seen vanishing mid-scan "
                + "(summed over the refreshes) " + vanished);
    }

    /** A shell running a command (whose arguments carry {@code mark}) in a loop until it is killed. */
    private static Process churner(String mark, String command) throws Exception {
        return new ProcessBuilder("sh", "-c", "while :; do " + command + "; done", mark)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
    }

    private Thread client(Runnable loop) {
        Thread t = new Thread(
                () -> {
                    while (running.get()) {
                        loop.run();
                    }
                },
                "churn-client");
        t.start();
        return t;
    }

    private void refresh() {
        get("/namespaces?refresh=true", "application/json");
        cache.current()
                .ifPresent(snapshot -> vanished.addAndGet(snapshot.counts().vanished()));
    }

    /** Every view once, JSON and text, with a namespace and a process of the last answer. */
    private void readEveryView() {
        String list = get("/namespaces", "application/json");
        get("/namespaces?persistent=true", "text/plain");
        get("/namespaces?type=net", "text/plain");
        List<Long> inodes = new ArrayList<>(namespaces(list).keySet());
        if (!inodes.isEmpty()) {
            long ns = inodes.get(ThreadLocalRandom.current().nextInt(inodes.size()));
            get("/namespaces/" + ns, "application/json");
            get("/namespaces/" + ns, "text/plain");
        }
        String processes = get("/processes", "application/json");
        Matcher pids = Pattern.compile("\\{\"pid\":(\\d+)").matcher(processes);
        List<String> found = new ArrayList<>();
        while (pids.find()) {
            found.add(pids.group(1));
        }
        if (!found.isEmpty()) {
            String pid = found.get(ThreadLocalRandom.current().nextInt(found.size()));
            get("/processes/" + pid, "application/json");
            get("/processes/" + pid + "/ns", "text/plain");
        }
        String type = TYPES.get(ThreadLocalRandom.current().nextInt(TYPES.size()));
        for (String by : List.of("process", "parent", "owner")) {
            get("/trees/" + type + "?by=" + by, "application/json");
            get("/trees/" + type + "?by=" + by, "text/plain");
        }
        get("/processes", "text/plain");
        get("/actuator/prometheus", "text/plain");
        get("/actuator/health/readiness", "application/json");
    }

    private String get(String path, String accept) {
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                            .header("Accept", accept)
                            .timeout(Duration.ofSeconds(60))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            statuses.computeIfAbsent(response.statusCode(), k -> new AtomicInteger())
                    .incrementAndGet();
            if (response.statusCode() >= 500) {
                serverErrors.add(path + " (" + accept + "): " + response.statusCode() + " " + response.body());
            }
            return response.body();
        } catch (Exception e) {
            serverErrors.add(path + ": " + e);
            return "";
        }
    }

    /** The namespaces of a {@code /namespaces} answer: inode to type. */
    private static Map<Long, String> namespaces(String json) {
        Map<Long, String> found = new TreeMap<>();
        Matcher m = Pattern.compile("\\{\"ns\":(\\d+),\"type\":\"(\\w+)\"").matcher(json);
        while (m.find()) {
            found.put(Long.parseLong(m.group(1)), m.group(2));
        }
        return found;
    }

    private Stream<String> follow(List<Event> events) throws Exception {
        HttpResponse<Stream<String>> response = http.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/events"))
                        .header("Accept", "text/event-stream")
                        .build(),
                HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        Thread reader = new Thread(
                () -> {
                    String name = null;
                    try {
                        for (String line : (Iterable<String>) response.body()::iterator) {
                            if (line.startsWith("event:")) {
                                name = line.substring(6).trim();
                            } else if (line.startsWith("data:")) {
                                Map<String, String> data = new HashMap<>();
                                Matcher m = FIELD.matcher(line.substring(5));
                                while (m.find()) {
                                    data.put(m.group(1), m.group(2).replace("\"", ""));
                                }
                                String ns = data.get("ns");
                                events.add(new Event(
                                        name,
                                        data.get("type"),
                                        ns == null || ns.equals("null") ? 0 : Long.parseLong(ns)));
                            }
                        }
                    } catch (RuntimeException e) {
                        // the stream was closed by the test
                    }
                },
                "churn-events");
        reader.setDaemon(true);
        reader.start();
        return response.body();
    }

    /** The namespaces the events make of {@code before}. */
    private static Map<Long, String> replay(Map<Long, String> before, List<Event> events) {
        Map<Long, String> live = new TreeMap<>(before);
        synchronized (events) {
            for (Event e : events) {
                if (e.name().equals("namespace-created")) {
                    live.put(e.ns(), e.type());
                } else if (e.name().equals("namespace-destroyed")) {
                    live.remove(e.ns(), e.type());
                }
            }
        }
        return live;
    }

    /** Namespaces and types whose events do not balance (see the class comment), described. */
    private static List<String> unbalanced(Map<Long, String> before, Map<Long, String> after, List<Event> events) {
        List<String> problems = new ArrayList<>();
        // by type and inode: the kernel reuses an inode at once, and a reuse by another type is one namespace
        // destroyed and another created in the same scan
        Map<String, Boolean> present = new HashMap<>();
        before.forEach((ns, type) -> present.put(type + ":[" + ns + "]", true));
        Map<String, Integer> net = new HashMap<>();
        synchronized (events) {
            for (Event e : events) {
                String key = e.type() + ":[" + e.ns() + "]";
                boolean created = e.name().equals("namespace-created");
                boolean was = present.getOrDefault(key, false);
                if (created == was) {
                    problems.add(key + " " + e.name() + " while " + (was ? "there" : "absent"));
                }
                present.put(key, created);
                net.merge(e.type(), created ? 1 : -1, Integer::sum);
            }
        }
        Set<String> end = new HashSet<>();
        after.forEach((ns, type) -> end.add(type + ":[" + ns + "]"));
        present.forEach((key, there) -> {
            if (there != end.contains(key)) {
                problems.add(key + " " + (there ? "never destroyed" : "destroyed, but there") + " at the end");
            }
        });
        for (String type : TYPES) {
            long change = after.values().stream().filter(type::equals).count()
                    - before.values().stream().filter(type::equals).count();
            if (net.getOrDefault(type, 0) != change) {
                problems.add(
                        type + ": created - destroyed = " + net.getOrDefault(type, 0) + ", count changed by " + change);
            }
        }
        return problems;
    }
}
