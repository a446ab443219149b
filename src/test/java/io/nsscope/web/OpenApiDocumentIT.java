package io.nsscope.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.nsscope.testing.FixtureServer;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.info.BuildProperties;

/** What {@code /v3/api-docs} says of itself: title, the build's version, tags in reading order, no framework types. */
class OpenApiDocumentIT extends FixtureServer {

    @Autowired
    BuildProperties build;

    @Test
    void itNamesItselfWithTheBuildsVersionLicenseAndContact() {
        JsonPath doc =
                given().get("/v3/api-docs").then().statusCode(200).extract().jsonPath();
        assertThat(doc.getString("info.title")).isEqualTo("nsscope");
        assertThat(doc.getString("info.version")).isEqualTo(build.getVersion()).isNotBlank();
        assertThat(doc.getString("info.description")).contains("lsns");
        assertThat(doc.getString("info.license.name")).isEqualTo("Apache-2.0");
        assertThat(doc.getString("info.contact.name")).isNotBlank();
    }

    @Test
    void itsTagsComeInReadingOrder() {
        List<String> tags = given().get("/v3/api-docs")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("tags.name");
        assertThat(tags).containsExactly("namespaces", "processes", "trees", "events", "sandboxes", "service");
    }

    @Test
    void noFrameworkTypeIsASchema() {
        Map<String, Object> schemas = given().get("/v3/api-docs")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getMap("components.schemas");
        assertThat(schemas.keySet())
                .doesNotContain(
                        "SseEmitter", "ResponseBodyEmitter", "ResponseEntity", "Resource", "StreamingResponseBody");
        String eventStream = given().get("/v3/api-docs")
                .then()
                .extract()
                .jsonPath()
                .getString("paths.'/events'.get.responses.'200'.content.'text/event-stream'.schema.type");
        assertThat(eventStream).isEqualTo("string");
    }
}
