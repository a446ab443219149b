package io.nsscope.ui;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.nsscope.testing.Fixtures;
import io.restassured.RestAssured;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The page on the real kernel, as root: namespaces made with {@code unshare} while the page is open appear in its
 * table without a reload, and go when their process ends; nested user namespaces, one of them a ghost, are drawn
 * nested in the user hierarchy picture. Skipped without root or unshare(1). Everything started carries this run's
 * mark in its command line and is killed afterwards, orphans included.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "nsscope.scan.interval=300ms")
class PageLiveIT {

    private static final String MARK = "600." + ThreadLocalRandom.current().nextInt(100_000, 1_000_000);

    @LocalServerPort
    int port;

    private Browser browser;

    @BeforeEach
    void requirements() {
        assumeTrue(Fixtures.isRoot(), "needs root to unshare namespaces");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/unshare")), "needs unshare(1) (util-linux)");
        RestAssured.port = port;
        browser = Browser.start();
    }

    @AfterEach
    void cleanUp() {
        if (browser != null) {
            browser.close();
        }
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
            marked().forEach(ProcessHandle::destroyForcibly);
            return marked().findAny().isEmpty();
        });
    }

    @Test
    void namespacesMadeWithUnshareAppearAndGoWithoutAReload() throws Exception {
        Page page = new Page(browser).open("http://localhost:" + port + "/");
        page.wait.until(ExpectedConditions.attributeToBe(By.id("live"), "data-state", "live"));
        page.js("window.__sameDocument = true");
        page.find("#view-namespaces input[name=q]").sendKeys(MARK);
        assertThat(page.rowCount("view-namespaces")).isZero();

        Process sleeper = new ProcessBuilder("/usr/bin/unshare", "-u", "-n", "/bin/sleep", MARK).start();
        long self = ProcessHandle.current().pid();
        // until unshare(1) has called unshare(2), its links are still ours
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> inode(sleeper.pid(), "uts") != inode(self, "uts")
                        && inode(sleeper.pid(), "net") != inode(self, "net"));
        long uts = inode(sleeper.pid(), "uts");
        long net = inode(sleeper.pid(), "net");
        page.wait
                .withMessage(() -> "the rows drawn: " + page.rows("view-namespaces"))
                .until(d -> page.rows("view-namespaces").stream()
                        .map(r -> Page.data(r, "ns"))
                        .sorted()
                        .toList()
                        .equals(Stream.of(uts, net)
                                .map(String::valueOf)
                                .sorted()
                                .toList()));
        // the provisional rows the events made are then filled in from /namespaces
        page.wait.until(d -> page.rows("view-namespaces").stream()
                .map(Page::cells)
                .allMatch(cells -> cells.get(3).equals(String.valueOf(sleeper.pid()))
                        && cells.get(5).equals("/bin/sleep " + MARK)));

        sleeper.destroyForcibly();
        assertThat(sleeper.waitFor(10, TimeUnit.SECONDS)).isTrue();
        page.wait.until(d -> page.rowCount("view-namespaces") == 0);
        assertThat(page.js("return window.__sameDocument === true"))
                .as("no reload")
                .isEqualTo(true);
    }

    @Test
    void nestedUserNamespacesAndAGhostAreDrawnNested() throws Exception {
        // two levels held by their processes, and a middle level whose process exits: a ghost
        new ProcessBuilder(
                        "/usr/bin/unshare",
                        "-U",
                        "-r",
                        "/bin/sh",
                        "-c",
                        "/usr/bin/unshare -U -r /bin/sleep " + MARK + "1",
                        MARK)
                .start();
        new ProcessBuilder(
                        "/usr/bin/unshare",
                        "-U",
                        "-r",
                        "/bin/sh",
                        "-c",
                        "/usr/bin/unshare -U -r /bin/sleep " + MARK + "2 & exit 0",
                        MARK)
                .start();
        long held = inode(await("/bin/sleep " + MARK + "1"), "user");
        long orphan = inode(await("/bin/sleep " + MARK + "2"), "user");
        long hostUser = inode(ProcessHandle.current().pid(), "user");
        Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .until(() ->
                        given().get("/namespaces/" + orphan).then().extract().path("pns") != null
                                && given().get("/namespaces/" + held).statusCode() == 200);
        long heldParent =
                ((Number) given().get("/namespaces/" + held).then().extract().path("pns")).longValue();
        long ghost =
                ((Number) given().get("/namespaces/" + orphan).then().extract().path("pns")).longValue();
        Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .until(() -> Boolean.TRUE.equals(
                        given().get("/namespaces/" + ghost).then().extract().path("ghost")));

        Page page = new Page(browser).open("http://localhost:" + port + "/#hierarchy");
        page.wait.until(d -> !page.findAll("#view-hierarchy g.node[data-ns='" + orphan + "']")
                .isEmpty());
        assertThat(attribute(page, held, "data-parent")).isEqualTo(String.valueOf(heldParent));
        assertThat(attribute(page, heldParent, "data-parent")).isEqualTo(String.valueOf(hostUser));
        assertThat(attribute(page, orphan, "data-parent")).isEqualTo(String.valueOf(ghost));
        assertThat(attribute(page, ghost, "data-parent")).isEqualTo(String.valueOf(hostUser));
        assertThat(attribute(page, ghost, "class")).contains("ghost");
        assertThat(page.js(
                        "return document.querySelector(arguments[0]).textContent",
                        "#view-hierarchy g.node[data-ns='" + ghost + "'] .badge.mark-ghost text"))
                .isEqualTo("ghost");
        // each child edge is drawn from its parent
        assertThat(page.findAll("#view-hierarchy path.edge[data-from='" + ghost + "'][data-to='" + orphan + "']"))
                .hasSize(1);
        // and a click on the ghost says what it is
        page.find("#view-hierarchy g.node[data-ns='" + ghost + "']").click();
        assertThat(page.details("user namespace " + ghost).getText())
                .contains("ghost")
                .contains("yes");
    }

    /** An attribute of a node of the picture, read in one go (a live redraw may replace the node between calls). */
    private static String attribute(Page page, long ns, String name) {
        return (String) page.js(
                "return document.querySelector(arguments[0]).getAttribute(arguments[1])",
                "#view-hierarchy g.node[data-ns='" + ns + "']",
                name);
    }

    /** The PID of the process of this run whose command line is exactly this, once it exists. */
    private static long await(String command) {
        return Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(
                        () -> marked().filter(
                                        p -> command.equals(cmdline(p.pid()).orElse("")))
                                .findFirst(),
                        Optional::isPresent)
                .orElseThrow()
                .pid();
    }

    private static long inode(long pid, String type) throws IOException {
        String target =
                Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/" + type)).toString();
        return Long.parseLong(target.substring(target.indexOf('[') + 1, target.length() - 1));
    }

    /** Every process whose command line carries this run's mark. */
    private static Stream<ProcessHandle> marked() {
        return ProcessHandle.allProcesses()
                .filter(p -> cmdline(p.pid()).orElse("").contains(MARK));
    }

    private static Optional<String> cmdline(long pid) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline"));
            return Optional.of(
                    new String(raw, StandardCharsets.UTF_8).replace('\0', ' ').strip());
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
