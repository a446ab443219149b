package io.nsscope.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.nsscope.web.security.PublicPage;
import io.restassured.response.Response;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * With the API token set, the browser page's shell ({@link PublicPage} at {@code GET /}) and its static files
 * ({@code /ui/**}) need none, because they hold nothing of the host; the decision is made on the handler Spring MVC
 * picks, so the JSON landing document at the same path still needs the token, whatever {@code Accept} says. The page
 * reads {@code /events} with a Bearer header: the stream answers it.
 */
class PublicPageIT extends GuardedServer {

    @Test
    void theHtmlPageNeedsNoToken() {
        given().accept("text/html")
                .get("/")
                .then()
                .statusCode(200)
                .contentType("text/html")
                .body(startsWith(PAGE));
        given().accept("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
                .get("/")
                .then()
                .statusCode(200)
                .contentType("text/html");
    }

    @Test
    void theJsonAtTheSamePathNeedsTheToken() {
        for (String accept : new String[] {
            "application/json",
            "text/plain",
            "*/*",
            "application/json, text/html;q=0.1",
            "text/plain;q=1, text/html;q=0.5",
            "application/xml"
        }) {
            Response r = given().accept(accept).get("/");
            // whenever the answer is not the page, it is a refusal
            if (r.statusCode() == 200) {
                assertThat(r.contentType()).as(accept).startsWith("text/html");
                assertThat(r.asString()).startsWith(PAGE);
            } else {
                assertThat(r.statusCode()).as(accept).isIn(401, 406);
            }
        }
        given().accept("application/json").get("/").then().statusCode(401);
        given().accept("application/json")
                .header("Authorization", "Bearer " + API_TOKEN)
                .get("/")
                .then()
                .statusCode(200)
                .body("name", equalTo("nsscope"));
    }

    @Test
    void thePagesFilesNeedNoToken() {
        given().get("/ui/app.js").then().statusCode(200).contentType(containsString("javascript"));
        given().get("/ui/no-such-file.js").then().statusCode(404).body("type", equalTo("/problems/not-found"));
        given().post("/ui/app.js").then().statusCode(401);
    }

    @Test
    void theEventStreamTakesABearerToken() throws Exception {
        given().get("/events").then().statusCode(401);
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/events"))
                .header("Authorization", "Bearer " + API_TOKEN)
                .header("Accept", "text/event-stream")
                .build();
        HttpResponse<InputStream> response =
                HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
            byte[] first = body.readNBytes(":nsscope events".length());
            assertThat(new String(first, StandardCharsets.UTF_8)).isEqualTo(":nsscope events");
        }
    }
}
