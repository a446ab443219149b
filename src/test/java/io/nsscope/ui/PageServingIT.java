package io.nsscope.ui;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.containsStringIgnoringCase;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import io.nsscope.testing.FixtureServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Who gets the page at {@code GET /}: a browser, or any client that prefers HTML; every other client keeps the JSON
 * links (or text). The page's files are served from {@code /ui/}, with relative URLs only, nothing from elsewhere,
 * and under a Content-Security-Policy that runs no inline script.
 */
class PageServingIT extends FixtureServer {

    private static final Path STATIC = Path.of("src/main/resources/static/ui");
    private static final String CHROMIUM_ACCEPT =
            "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8";

    @ParameterizedTest
    @ValueSource(strings = {"text/html", CHROMIUM_ACCEPT, "text/html;q=0.9, application/json;q=0.5"})
    void browsersGetThePage(String accept) {
        given().accept(accept)
                .get("/")
                .then()
                .statusCode(200)
                .contentType("text/html;charset=UTF-8")
                .header("Vary", containsStringIgnoringCase("accept"))
                .header("Cache-Control", "no-cache")
                .header("X-Content-Type-Options", "nosniff")
                .header("Content-Security-Policy", containsString("script-src 'self';"))
                .header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
                .body(containsString("<script type=\"module\" src=\"ui/app.js\"></script>"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"*/*", "application/json", "application/json, text/html;q=0.5"})
    void apiClientsKeepTheLinks(String accept) {
        given().accept(accept)
                .get("/")
                .then()
                .statusCode(200)
                .contentType("application/json")
                .header("Vary", containsStringIgnoringCase("accept"))
                .body("links.namespaces", equalTo("/namespaces"));
    }

    @Test
    void noAcceptHeaderIsAnApiClient() {
        given().header("Accept", "").get("/").then().statusCode(200).contentType("application/json");
        given().accept("text/plain")
                .get("/")
                .then()
                .statusCode(200)
                .contentType("text/plain;charset=UTF-8")
                .body(startsWith("nsscope - "));
    }

    @Test
    void theFilesAreServedUnderUi() throws Exception {
        try (Stream<Path> files = Files.list(STATIC)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                String type = name.endsWith(".js")
                        ? "text/javascript"
                        : name.endsWith(".css") ? "text/css" : name.endsWith(".svg") ? "image/svg+xml" : "text/html";
                given().get("/ui/" + name)
                        .then()
                        .statusCode(200)
                        .contentType(startsWith(type))
                        .header("Cache-Control", "no-cache");
            }
        }
        given().get("/ui/nothing.js").then().statusCode(404);
    }

    /** Relative URLs only (kubectl proxy mounts the service under a path), and nothing from another host. */
    @Test
    void everyUrlIsRelativeAndLocal() throws Exception {
        Pattern absolute = Pattern.compile("(?:src|href)=\"(/|[a-z]+:)|fetch\\(['\"`]/|apiUrl\\(['\"`]/"
                + "|import[^;]*from\\s+['\"](?!\\./)|https?://(?!www\\.w3\\.org/2000/svg)");
        try (Stream<Path> files = Files.list(STATIC)) {
            for (Path file : files.toList()) {
                String text = Files.readString(file);
                Matcher m = absolute.matcher(text);
                org.assertj.core.api.Assertions.assertThat(m.find() ? m.group() : null)
                        .as("an absolute or external URL in %s", file)
                        .isNull();
            }
        }
        given().accept("text/html").get("/").then().body(not(containsString("=\"/")));
    }

    @Test
    void theOpenApiDocumentSaysBrowsersGetHtml() {
        given().get("/v3/api-docs")
                .then()
                .statusCode(200)
                .body(
                        "paths['/'].get.responses['200'].content.keySet()",
                        hasItems("application/json", "text/plain", "text/html"));
    }

    @Test
    void thePageNeedsNoToken() {
        // the page is public whatever the API's token (ApiTokenIT covers the API itself); here it simply loads
        List.of("/ui/app.js", "/ui/app.css")
                .forEach(path -> given().get(path).then().statusCode(200));
    }
}
