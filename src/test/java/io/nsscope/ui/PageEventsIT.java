package io.nsscope.ui;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.nsscope.events.EventHub;
import io.nsscope.procfs.ProcFs;
import io.nsscope.testing.FixtureProcFs;
import io.nsscope.testing.Fixtures;
import io.restassured.RestAssured;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The page follows {@code /events}: on a copy of the fixture procfs of its own, a process that appears with a new
 * uts namespace puts the namespace in the table without a reload, and its end takes it out. Paused and resumed, the
 * page reconnects with {@code Last-Event-ID} (seen by the server), and gets what it missed. Runs without root: the
 * "kernel" here is a directory tree.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"nsscope.scan.interval=1h", "nsscope.events.heartbeat=500ms"})
@Import(PageEventsIT.OwnProcfs.class)
class PageEventsIT {

    static final Path ROOT;
    static final List<String> LAST_EVENT_IDS = new CopyOnWriteArrayList<>();
    private static final long NEW_UTS = 4026539999L;

    static {
        try {
            ROOT = Fixtures.copyProc(Files.createTempDirectory("nsscope-page-events"));
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The copy as the procfs, and a filter noting the Last-Event-ID of each /events request. */
    @TestConfiguration(proxyBeanMethods = false)
    static class OwnProcfs {
        @Bean
        @Primary
        ProcFs pageEventsProcFs() {
            return new FixtureProcFs(ROOT);
        }

        @Bean
        Filter lastEventIds() {
            return (request, response, chain) -> {
                HttpServletRequest http = (HttpServletRequest) request;
                if (http.getRequestURI().equals("/events")) {
                    String id = http.getHeader("Last-Event-ID");
                    LAST_EVENT_IDS.add(id == null ? "none" : id);
                }
                chain.doFilter(request, response);
            };
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("nsscope.procfs.root", ROOT::toString);
        registry.add(
                "nsscope.procfs.passwd", () -> Fixtures.PASSWD.toAbsolutePath().toString());
    }

    @LocalServerPort
    int port;

    @Autowired
    EventHub hub;

    private static Browser browser;

    @BeforeAll
    static void browser() {
        browser = Browser.start();
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void namespacesComeAndGoWithoutAReloadAndAResumedStreamCatchesUp() throws IOException {
        RestAssured.port = port;
        Page page = new Page(browser).open("http://localhost:" + port + "/");
        page.wait.until(ExpectedConditions.attributeToBe(By.id("live"), "data-state", "live"));
        Object marker = page.js("return window.__sameDocument = 'yes'");
        assertThat(marker).isEqualTo("yes");
        String row = "#view-namespaces .vt-row:not([hidden])[data-ns='" + NEW_UTS + "']";
        assertThat(page.findAll(row)).isEmpty();

        startProcessInNewUts(7001);
        long sequence = refresh();
        page.wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector(row), 1));
        // the event's provisional row is then filled from /namespaces, and the age line names the new scan
        page.wait.until(d -> page.find(row).getText().contains("probe 7001"));
        page.wait.until(ExpectedConditions.attributeToBe(By.id("age"), "data-sequence", String.valueOf(sequence)));
        assertThat(page.find("#age").getText()).matches("scan #" + sequence + ", [0-9.]+ s old");
        List<String> cells = page.rows("view-namespaces").stream()
                .filter(r -> Page.data(r, "ns").equals(String.valueOf(NEW_UTS)))
                .map(Page::cells)
                .findFirst()
                .orElseThrow();
        assertThat(cells.subList(0, 4)).containsExactly(String.valueOf(NEW_UTS), "uts", "1", "7001");

        long createdId = hub.lastId();
        // paused, the page misses the namespace's end...
        page.find("#live-toggle").click();
        page.wait.until(ExpectedConditions.attributeToBe(By.id("live"), "data-state", "paused"));
        int requests = LAST_EVENT_IDS.size();
        deleteProcess(7001);
        refresh();
        given().get("/namespaces/" + NEW_UTS).then().statusCode(404);
        assertThat(hub.lastId()).isGreaterThan(createdId);
        assertThat(page.findAll(row))
                .as("paused: the row stays until the stream is followed again")
                .hasSize(1);
        // ...and resumed, asks for what came after the last event it saw, and drops the row
        page.find("#live-toggle").click();
        page.wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector(row), 0));
        assertThat(LAST_EVENT_IDS.size()).isGreaterThan(requests);
        assertThat(LAST_EVENT_IDS.get(requests))
                .as("Last-Event-ID of the resumed stream")
                .isEqualTo(String.valueOf(createdId));
        assertThat(LAST_EVENT_IDS.get(0)).isEqualTo("none");
        assertThat(page.js("return window.__sameDocument"))
                .as("no reload happened")
                .isEqualTo("yes");
    }

    private static long refresh() {
        return given().get("/namespaces?refresh=true")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getLong("snapshot.sequence");
    }

    /** A copy of the container's acpid (5742) as a new PID whose uts link names a new namespace. */
    private static void startProcessInNewUts(int pid) throws IOException {
        Path from = ROOT.resolve("5742");
        Path to = ROOT.resolve(String.valueOf(pid));
        Files.createDirectories(to.resolve("ns"));
        for (String file : List.of("cgroup", "cmdline")) {
            Files.copy(from.resolve(file), to.resolve(file));
        }
        Files.writeString(to.resolve("cmdline"), "probe\0" + pid + "\0");
        Files.writeString(
                to.resolve("stat"), Files.readString(from.resolve("stat")).replace("5742 (acpid)", pid + " (probe)"));
        Files.writeString(
                to.resolve("status"),
                Files.readString(from.resolve("status"))
                        .replace("acpid", "probe")
                        .replace("5742", String.valueOf(pid))
                        .replace("292", "293"));
        try (var links = Files.list(from.resolve("ns"))) {
            for (Path link : links.toList()) {
                String name = link.getFileName().toString();
                String target = name.equals("uts")
                        ? "uts:[" + NEW_UTS + "]"
                        : Files.readSymbolicLink(link).toString();
                Files.createSymbolicLink(to.resolve("ns").resolve(name), Path.of(target));
            }
        }
    }

    private static void deleteProcess(int pid) {
        try (var files = Files.walk(ROOT.resolve(String.valueOf(pid)))) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
