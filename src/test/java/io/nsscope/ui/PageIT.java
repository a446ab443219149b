package io.nsscope.ui;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.nsscope.testing.FixtureServer;
import io.restassured.path.json.JsonPath;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * nsscope's page in headless Chromium, on the fixture procfs: what it draws is what the API answers. The table
 * against {@code /namespaces} (and its filters against the API's own), the process tree against
 * {@code /trees/pid}, the hierarchy pictures against {@code /trees/{type}?by=...}, the details panel against
 * {@code /namespaces/{ns}} and {@code /processes/{pid}}, and the keyboard.
 */
class PageIT extends FixtureServer {

    private static Browser browser;
    private Page page;

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

    @BeforeEach
    void openPage() {
        page = new Page(browser).open("http://localhost:" + port + "/");
    }

    @Test
    void theTableIsWhatNamespacesSays() {
        JsonPath api =
                given().get("/namespaces").then().statusCode(200).extract().jsonPath();
        List<Map<String, Object>> expected = api.getList("namespaces");
        List<Map<String, Object>> rows = page.rows("view-namespaces");
        assertThat(page.rowCount("view-namespaces")).isEqualTo(expected.size());
        assertThat(rows).hasSize(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            Map<String, Object> ns = expected.get(i);
            List<String> cells = Page.cells(rows.get(i));
            assertThat(Page.data(rows.get(i), "ns")).isEqualTo(String.valueOf(ns.get("ns")));
            assertThat(cells.subList(0, 5))
                    .as("row %d", i)
                    .containsExactly(
                            String.valueOf(ns.get("ns")),
                            (String) ns.get("type"),
                            dash(ns.get("nprocs")),
                            dash(ns.get("pid")),
                            dash(ns.get("user")));
            if (ns.get("command") != null) {
                assertThat(cells.get(5)).isEqualTo(ns.get("command"));
            }
        }
        assertThat(page.find("#view-namespaces .count").getText())
                .isEqualTo(expected.size() + " of " + expected.size() + " namespaces");
    }

    /** The marks column says what /namespaces says: holders, ghosts, loose threads, pods, sandboxes. */
    @Test
    @SuppressWarnings("unchecked")
    void theMarksAreWhatNamespacesSays() {
        Map<String, List<String>> drawn = new TreeMap<>();
        for (List<Object> row : (List<List<Object>>) page.js("return [...document.querySelectorAll("
                + "'#view-namespaces .vt-row:not([hidden])')].map(r => [r.dataset.ns, [...r.querySelectorAll('.mark')]"
                + ".map(m => m.className.replace('mark mark-', '') + ':' + m.textContent)]);")) {
            drawn.put((String) row.get(0), (List<String>) row.get(1));
        }
        Map<String, List<String>> expected = new TreeMap<>();
        for (Map<String, Object> ns :
                given().get("/namespaces").then().extract().jsonPath().<Map<String, Object>>getList("namespaces")) {
            List<String> marks = new ArrayList<>();
            if (Boolean.TRUE.equals(ns.get("ghost"))) {
                marks.add("ghost:ghost");
            }
            for (Map<String, Object> holder : (List<Map<String, Object>>) ns.get("holders")) {
                marks.add("holder:"
                        + (holder.get("kind").equals("mount")
                                ? "mount " + holder.get("path")
                                : holder.get("kind") + " " + holder.get("fd") + " of " + holder.get("pid")));
            }
            List<?> loose = (List<?>) ns.get("looseThreads");
            if (!loose.isEmpty()) {
                marks.add("loose:" + (loose.size() == 1 ? "loose thread" : loose.size() + " loose threads"));
            }
            Map<String, Object> container = (Map<String, Object>) ns.get("container");
            if (container != null && container.get("podUid") != null) {
                marks.add("pod:pod " + ((String) container.get("podUid")).substring(0, 8));
            }
            if (ns.get("sandbox") != null) {
                marks.add("sandbox:" + ns.get("sandbox"));
            }
            expected.put(String.valueOf(ns.get("ns")), marks);
        }
        assertThat(drawn).isEqualTo(expected);
        assertThat(drawn.values().stream().flatMap(List::stream).map(m -> m.substring(0, m.indexOf(':'))))
                .as("the fixture's marks")
                .contains("holder", "loose", "pod");
    }

    @Test
    void filtersKeepWhatTheApisFiltersKeep() {
        // type: only net
        for (WebElement box : page.findAll("#view-namespaces input[name=type]")) {
            if (!box.getAttribute("value").equals("net")) {
                box.click();
            }
        }
        assertThat(shownInodes()).isEqualTo(apiInodes("/namespaces?type=net"));
        for (WebElement box : page.findAll("#view-namespaces input[name=type]")) {
            if (!box.isSelected()) {
                box.click();
            }
        }
        // persistent, like lsns -P
        new Select(page.find("#view-namespaces select[name=persistent]")).selectByValue("yes");
        assertThat(shownInodes()).isNotEmpty().isEqualTo(apiInodes("/namespaces?persistent=true"));
        new Select(page.find("#view-namespaces select[name=persistent]")).selectByValue("no");
        assertThat(shownInodes()).isEqualTo(apiInodes("/namespaces?persistent=false"));
        new Select(page.find("#view-namespaces select[name=persistent]")).selectByValue("");
        // pod: the namespaces whose lowest process is in the fixture's pod
        String pod = "6c1f4a3e";
        page.find("#view-namespaces input[name=pod]").sendKeys(pod);
        List<Object> inPod = given().get("/namespaces")
                .then()
                .extract()
                .jsonPath()
                .getList("namespaces.findAll { it.container?.podUid?.startsWith('" + pod + "') }.ns");
        assertThat(shownInodes())
                .isNotEmpty()
                .containsExactlyElementsOf(inPod.stream().map(String::valueOf).toList());
        page.find("#view-namespaces input[name=pod]").clear();
        page.find("#view-namespaces input[name=pod]").sendKeys(Keys.BACK_SPACE);
        // container: any
        page.find("#view-namespaces input[name=container]").sendKeys("*");
        List<Object> inContainers = given().get("/namespaces")
                .then()
                .extract()
                .jsonPath()
                .getList("namespaces.findAll { it.container != null && it.container.runtime != 'systemd' }.ns");
        assertThat(shownInodes())
                .isNotEmpty()
                .containsExactlyElementsOf(
                        inContainers.stream().map(String::valueOf).toList());
        page.find("#view-namespaces input[name=container]").sendKeys(Keys.BACK_SPACE);
        // free text: a bind mount's path
        page.find("#view-namespaces input[name=q]").sendKeys("/run/netns/blue");
        assertThat(shownInodes()).containsExactly("4026532600");
    }

    @Test
    void headersSort() {
        page.find("#view-namespaces [data-key=nprocs] button").click();
        assertThat(page.find("#view-namespaces [data-key=nprocs]").getAttribute("aria-sort"))
                .isEqualTo("ascending");
        List<Integer> procs = column(2);
        assertThat(procs).isSortedAccordingTo(Integer::compare);
        page.find("#view-namespaces [data-key=nprocs] button").click();
        assertThat(page.find("#view-namespaces [data-key=nprocs]").getAttribute("aria-sort"))
                .isEqualTo("descending");
        assertThat(column(2))
                .isSortedAccordingTo((a, b) -> Integer.compare(b, a))
                .hasSameSizeAs(procs);
    }

    private List<Integer> column(int index) {
        return page.rows("view-namespaces").stream()
                .map(r -> Page.cells(r).get(index))
                .map(s -> s.equals("–") ? -1 : Integer.parseInt(s))
                .toList();
    }

    @Test
    void theProcessTreeIsWhatTreesSays() {
        page.tab("tree");
        page.wait.until(d -> !page.rows("view-tree").isEmpty());
        JsonPath tree =
                given().get("/trees/pid").then().statusCode(200).extract().jsonPath();
        List<String> expected = new ArrayList<>();
        for (Map<String, Object> group : tree.<Map<String, Object>>getList("namespaces")) {
            expected.add("[" + group.get("ns") + "]");
            for (Object root : (List<?>) group.get("roots")) {
                walk((Map<?, ?>) root, 0, expected);
            }
        }
        List<String> drawn = page.rows("view-tree").stream()
                .map(r -> Page.data(r, "kind").equals("group")
                        ? "[" + Page.data(r, "ns") + "]"
                        : "  ".repeat(Integer.parseInt(Page.data(r, "depth"))) + Page.data(r, "pid"))
                .toList();
        assertThat(drawn).isEqualTo(expected);
        // the connectors are pstree -U's
        assertThat(page.find("#view-tree .vt-row[data-pid='5741'] .connector").getText())
                .matches("[├└]─ ");
    }

    private static void walk(Map<?, ?> node, int depth, List<String> out) {
        out.add("  ".repeat(depth) + node.get("pid"));
        for (Object child : (List<?>) node.get("children")) {
            walk((Map<?, ?>) child, depth + 1, out);
        }
    }

    @Test
    void theHierarchyPicturesAreWhatTreesSays() {
        page.tab("hierarchy");
        for (String picture : List.of("user/parent", "pid/parent", "net/owner")) {
            new Select(page.find("#view-hierarchy select")).selectByValue(picture);
            String[] typeBy = picture.split("/");
            page.wait.until(
                    d -> page.findAll("#view-hierarchy svg[data-type=" + typeBy[0] + "][data-by=" + typeBy[1] + "]")
                                    .size()
                            == 1);
            JsonPath tree = given().get("/trees/" + typeBy[0] + "?by=" + typeBy[1])
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            List<String> expected = new ArrayList<>();
            for (Map<String, Object> root : tree.<Map<String, Object>>getList("roots")) {
                edges(root, "", expected);
            }
            List<String> drawn = page.findAll("#view-hierarchy svg g.node").stream()
                    .map(g -> g.getAttribute("data-parent") + ">" + g.getAttribute("data-ns"))
                    .toList();
            assertThat(drawn).as(picture).isEqualTo(expected);
        }
        // holders are marked in the picture: the bind-mounted netns and the one an fd holds
        assertThat(page.find("#view-hierarchy g.node[data-ns='4026532600'] .badge.mark-holder")
                        .getText())
                .isEqualTo("mount /run/netns/blue");
        assertThat(page.find("#view-hierarchy g.node[data-ns='4026532601'] .badge.mark-holder")
                        .getText())
                .isEqualTo("fd 3 of 4242");
        assertThat(page.find("#view-hierarchy g.node[data-ns='4026532345'] .badge.mark-pod")
                        .getText())
                .startsWith("pod ");
    }

    private static void edges(Map<?, ?> node, String parent, List<String> out) {
        out.add(parent + ">" + node.get("ns"));
        for (Object child : (List<?>) node.get("children")) {
            edges((Map<?, ?>) child, String.valueOf(node.get("ns")), out);
        }
    }

    @Test
    void aClickOnANamespaceShowsItsDetailsAndAProcessItsLinksAndPidMap() {
        page.find("#view-namespaces .vt-row[data-ns='4026532342']").click();
        WebElement panel = page.details("pid namespace 4026532342");
        JsonPath ns = given().get("/namespaces/4026532342")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        List<String> pids = panel.findElements(By.cssSelector("section:last-of-type tbody tr td:first-child")).stream()
                .map(WebElement::getText)
                .toList();
        assertThat(pids)
                .isEqualTo(ns.getList("processes.pid").stream()
                        .map(String::valueOf)
                        .toList());
        assertThat(panel.getText()).contains("level").contains(String.valueOf(ns.getInt("details.pid.level")));

        panel.findElement(By.cssSelector("a[data-goto-pid='5438']")).click();
        panel = page.details("Process 5438");
        JsonPath process =
                given().get("/processes/5438").then().statusCode(200).extract().jsonPath();
        List<WebElement> map = panel.findElements(By.xpath(".//section[h3='PID map']//tbody/tr"));
        assertThat(map.stream()
                        .map(r -> r.findElements(By.tagName("td")).get(2).getText())
                        .toList())
                .isEqualTo(
                        process.getList("nspid").stream().map(String::valueOf).toList());
        assertThat(map.get(map.size() - 1).getText()).contains("4026532342");
        List<WebElement> links = panel.findElements(By.xpath(".//section[starts-with(h3, 'Namespaces')]//tbody/tr"));
        assertThat(links).hasSize(10);
        for (int i = 0; i < 10; i++) {
            String name = process.getString("links[" + i + "].name");
            Object inode = process.get("links[" + i + "].ns");
            assertThat(links.get(i).getText()).startsWith(name).contains(String.valueOf(inode));
            boolean isolated = Boolean.FALSE.equals(process.get("links[" + i + "].sameAsInit"));
            assertThat(links.get(i).getText().endsWith("isolated")).as(name).isEqualTo(isolated);
        }
        // a namespace link in the panel leads to that namespace
        panel.findElement(By.cssSelector("a[data-goto-ns='4026532345']")).click();
        page.details("net namespace 4026532345");
    }

    @Test
    void theKeyboardReachesEverything() {
        WebElement grid = page.find("#view-namespaces [role=grid]");
        grid.sendKeys(Keys.HOME);
        grid.sendKeys(Keys.ARROW_DOWN, Keys.ARROW_DOWN);
        String third = page.rows("view-namespaces").get(2).get("data").toString();
        assertThat(page.find("#view-namespaces .vt-row.active").getAttribute("data-ns"))
                .isEqualTo(third.replaceAll(".*ns=(\\d+).*", "$1"));
        assertThat(grid.getAttribute("aria-activedescendant"))
                .isEqualTo(page.find("#view-namespaces .vt-row.active").getAttribute("id"));
        grid.sendKeys(Keys.ENTER);
        page.details("namespace " + page.find("#view-namespaces .vt-row.active").getAttribute("data-ns"));
        assertThat(page.driver.switchTo().activeElement().getAttribute("id")).isEqualTo("details-title");
        page.driver.switchTo().activeElement().sendKeys(Keys.ESCAPE);
        assertThat(page.find("#details").isDisplayed()).isFalse();
        assertThat(page.driver.switchTo().activeElement()).isEqualTo(grid);
        // the tabs: arrows move between them
        page.find("#tab-namespaces").sendKeys(Keys.ARROW_RIGHT);
        assertThat(page.driver.switchTo().activeElement().getAttribute("id")).isEqualTo("tab-processes");
        assertThat(page.find("#view-processes").isDisplayed()).isTrue();
    }

    @Test
    void theProcessTableIsWhatProcessesSays() {
        page.tab("processes");
        List<Object> pids = given().get("/processes")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("processes.pid");
        page.wait.until(d -> page.rowCount("view-processes") == pids.size());
        assertThat(page.rows("view-processes").stream()
                        .map(r -> Page.data(r, "pid"))
                        .toList())
                .isEqualTo(pids.stream().map(String::valueOf).toList());
    }

    /** Text keeps 4.5:1 against its background (WCAG AA), in the light and the dark scheme, in every view. */
    @Test
    void textIsReadable() {
        for (String scheme : List.of("light", "dark")) {
            browser.driver.executeCdpCommand(
                    "Emulation.setEmulatedMedia",
                    Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", scheme))));
            page.find("#view-namespaces .vt-row[data-ns='4026532600']").click();
            page.details("net namespace 4026532600");
            List<Map<String, Object>> texts = new ArrayList<>(Contrast.measure(page));
            page.tab("hierarchy");
            new Select(page.find("#view-hierarchy select")).selectByValue("net/owner");
            page.wait.until(d ->
                    !page.findAll("#view-hierarchy svg[data-type=net] .badge").isEmpty());
            texts.addAll(Contrast.measure(page));
            page.tab("tree");
            page.wait.until(d -> !page.rows("view-tree").isEmpty());
            texts.addAll(Contrast.measure(page));
            assertThat(texts).as(scheme).hasSizeGreaterThan(50);
            assertThat(texts)
                    .as(scheme)
                    .allSatisfy(t -> assertThat(((Number) t.get("ratio")).doubleValue())
                            .as("%s in the %s scheme", t.get("what"), scheme)
                            .isGreaterThanOrEqualTo(4.5));
            page.tab("namespaces");
        }
        browser.driver.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features", List.of()));
    }

    private List<String> shownInodes() {
        return page.rows("view-namespaces").stream()
                .map(r -> Page.data(r, "ns"))
                .toList();
    }

    private static List<String> apiInodes(String path) {
        return given()
                .urlEncodingEnabled(false)
                .get(path)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("namespaces.ns")
                .stream()
                .map(String::valueOf)
                .toList();
    }

    private static String dash(Object value) {
        return value == null ? "–" : String.valueOf(value);
    }
}
