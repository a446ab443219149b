package io.nsscope.ui;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.restassured.RestAssured;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Any user of the host chooses the command lines the page shows: a process named like HTML is drawn as its text,
 * in the table and in the details panel, and runs nothing. On the real {@code /proc}; no root needed (every user
 * sees their own processes).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "nsscope.scan.interval=300ms")
class PageHostileTextIT {

    private static final String MARK = "600." + ThreadLocalRandom.current().nextInt(100_000, 1_000_000);
    private static final String HOSTILE = "<img src=x onerror=\"window.__pwned=1\"><script>window.__pwned=2</script>";

    @LocalServerPort
    int port;

    private Process process;

    @AfterEach
    void stop() throws InterruptedException {
        if (process != null) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void aCommandLineOfHtmlIsShownAsText() throws Exception {
        assumeTrue(
                Files.isExecutable(Path.of("/bin/bash")) && Files.isExecutable(Path.of("/bin/sleep")),
                "needs bash and sleep");
        // exec -a: argv[0] is the hostile text, the process is a sleep
        process = new ProcessBuilder("/bin/bash", "-c", "exec -a '" + HOSTILE + "' /bin/sleep " + MARK).start();
        RestAssured.port = port;
        Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .until(
                        () -> given().get("/processes/" + process.pid())
                                .then()
                                .extract()
                                .path("command"),
                        command -> (HOSTILE + " " + MARK).equals(command));
        try (Browser browser = Browser.start()) {
            Page page = new Page(browser).open("http://localhost:" + port + "/#processes");
            page.wait.until(d -> page.rowCount("view-processes") > 1);
            page.find("#view-processes input[name=q]").sendKeys(MARK);
            page.wait.until(d -> page.rowCount("view-processes") == 1);
            List<Map<String, Object>> rows = page.rows("view-processes");
            assertThat(Page.data(rows.get(0), "pid")).isEqualTo(String.valueOf(process.pid()));
            assertThat(Page.cells(rows.get(0))).contains(HOSTILE + " " + MARK);

            page.find("#view-processes .vt-row:not([hidden])").click();
            page.details("Process " + process.pid());
            assertThat(page.find("#details").getText()).contains(HOSTILE + " " + MARK);
            assertThat(page.findAll("img[src=x], #views script, #details script"))
                    .isEmpty();
            assertThat(page.js("return window.__pwned === undefined")).isEqualTo(true);
            assertThat(page.driver.findElements(By.cssSelector("#details img"))).isEmpty();
        }
    }
}
