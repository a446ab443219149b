package io.nsscope.ui;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** nsscope's page in a browser, read as a person would see it: the rows drawn, the pictures, the panel. */
final class Page {

    /** The rows a view draws now (only those in view: the tests' window is tall enough for a small host). */
    private static final String ROWS = """
            const view = document.getElementById(arguments[0]);
            return [...view.querySelectorAll('.vt-row:not([hidden])')]
              .sort((a, b) => a.getAttribute('aria-rowindex') - b.getAttribute('aria-rowindex'))
              .map(r => ({data: {...r.dataset}, cells: [...r.children].map(c => c.textContent)}));
            """;

    final WebDriver driver;
    final WebDriverWait wait;

    Page(Browser browser) {
        this.driver = browser.driver;
        this.wait = new WebDriverWait(driver, Duration.ofSeconds(20));
    }

    /** Opens the page as a browser does (GET / with Accept: text/html) and waits for the first table. */
    Page open(String url) {
        driver.get(url);
        wait.until(ExpectedConditions.attributeToBe(By.tagName("body"), "data-ready", "true"));
        return this;
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** The drawn rows of a view (view-namespaces, view-processes, view-tree): their data attributes and cell texts. */
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> rows(String view) {
        return (List<Map<String, Object>>) js(ROWS, view);
    }

    /** How many rows the view's grid has in all, drawn or not (aria-rowcount less the header). */
    int rowCount(String view) {
        return Integer.parseInt(find("#" + view + " [role=grid]").getAttribute("aria-rowcount")) - 1;
    }

    WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    List<WebElement> findAll(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    void tab(String name) {
        find("#tab-" + name).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("view-" + name)));
    }

    /** Waits until the details panel shows something loaded (its title no longer the placeholder). */
    WebElement details(String titleContains) {
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("details-title"), titleContains));
        wait.until(d -> !find("#details .details-body").getText().startsWith("Loading"));
        return find("#details");
    }

    static String data(Map<String, Object> row, String key) {
        return String.valueOf(((Map<?, ?>) row.get("data")).get(key));
    }

    @SuppressWarnings("unchecked")
    static List<String> cells(Map<String, Object> row) {
        return (List<String>) row.get("cells");
    }
}
