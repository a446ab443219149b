package io.nsscope.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.nsscope.testing.FixtureServer;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON the server emits is what {@code /v3/api-docs} says: every JSON endpoint's real responses on the fixture
 * procfs, successes and problems, validated against the schema the spec declares for that operation and status
 * (JSON Schema 2020-12, OpenAPI 3.1's dialect: types, nullability, required members, enums), and walked once more
 * to find members the schema does not declare (springdoc never writes {@code additionalProperties: false}).
 */
class OpenApiConformanceIT extends FixtureServer {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final SchemaRegistry SCHEMAS = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private static final String POD = "6c1f4a3e-9b2d-4c7e-8f10-2a3b4c5d6e7f";

    private JsonNode docs;

    @BeforeEach
    void apiDocs() {
        docs = JSON.readTree(
                given().get("/v3/api-docs").then().statusCode(200).extract().asString());
    }

    /** (operation path, request, status): every JSON operation, with the fixture's oddities and each problem. */
    static Stream<Arguments> calls() {
        return Stream.of(
                Arguments.of("/", "/", 200),
                Arguments.of("/namespaces", "/namespaces", 200),
                Arguments.of("/namespaces", "/namespaces?type=user&type=pid", 200),
                Arguments.of("/namespaces", "/namespaces?pid=5438", 200),
                Arguments.of("/namespaces", "/namespaces?type=bogus", 400),
                Arguments.of("/namespaces", "/namespaces?refresh=maybe", 400),
                Arguments.of("/namespaces", "/namespaces?pid=77777", 404),
                Arguments.of("/namespaces/{ns}", "/namespaces/4026532342", 200),
                Arguments.of("/namespaces/{ns}", "/namespaces/4026531836", 200),
                Arguments.of("/namespaces/{ns}", "/namespaces/abc", 400),
                Arguments.of("/namespaces/{ns}", "/namespaces/123", 404),
                Arguments.of("/processes", "/processes", 200),
                Arguments.of("/processes", "/processes?pod=" + POD + "&netns=4026532345", 200),
                Arguments.of("/processes", "/processes?ns=4026532500", 200),
                Arguments.of("/processes", "/processes?container=zz/", 400),
                Arguments.of("/processes", "/processes?pidns=-1", 400),
                Arguments.of("/processes/{pid}", "/processes/5438", 200),
                Arguments.of("/processes/{pid}", "/processes/4400", 200),
                Arguments.of("/processes/{pid}", "/processes/4500", 200),
                Arguments.of("/processes/{pid}", "/processes/2", 200),
                Arguments.of("/processes/{pid}", "/processes/abc", 400),
                Arguments.of("/processes/{pid}", "/processes/77777", 404),
                Arguments.of("/processes/{pid}/ns", "/processes/5438/ns", 200),
                Arguments.of("/processes/{pid}/ns", "/processes/4400/ns", 200),
                Arguments.of("/processes/{pid}/ns", "/processes/0/ns", 400),
                Arguments.of("/processes/{pid}/ns", "/processes/77777/ns", 404),
                Arguments.of("/trees/{type}", "/trees/pid", 200),
                Arguments.of("/trees/{type}", "/trees/net?kthreads=true", 200),
                Arguments.of("/trees/{type}", "/trees/bogus", 400),
                Arguments.of("/problems/{type}", "/problems/invalid-parameter", 200),
                Arguments.of("/problems/{type}", "/problems/nope", 400));
    }

    @ParameterizedTest(name = "{1} -> {2}")
    @MethodSource("calls")
    void responseIsWhatTheSpecSays(String operation, String request, int status) {
        Response response = given().urlEncodingEnabled(false).get(request);
        assertThat(response.statusCode()).as("status of %s", request).isEqualTo(status);
        String mediaType = response.contentType().split(";")[0].trim();
        JsonNode documented =
                docs.path("paths").path(operation).path("get").path("responses").path(String.valueOf(status));
        assertThat(documented.isMissingNode())
                .as("%s documents status %d", operation, status)
                .isFalse();
        JsonNode schema = documented.path("content").path(mediaType).path("schema");
        assertThat(schema.isMissingNode())
                .as(
                        "%s documents %s for %d (it has %s)",
                        operation, mediaType, status, documented.path("content").propertyNames())
                .isFalse();

        JsonNode body = JSON.readTree(response.asString());
        assertThat(validator(schema).validate(body))
                .as("%s against %s", request, schema)
                .isEmpty();
        List<String> undeclared = new ArrayList<>();
        undeclared(schema, body, "$", undeclared);
        assertThat(undeclared)
                .as("members of %s the schema does not declare", request)
                .isEmpty();
    }

    @Test
    void everyJsonOperationIsCovered() {
        Set<String> covered = new TreeSet<>();
        calls().forEach(a -> covered.add((String) a.get()[0]));
        Set<String> documented = new TreeSet<>();
        for (String path : docs.path("paths").propertyNames()) {
            JsonNode ok = docs.path("paths")
                    .path(path)
                    .path("get")
                    .path("responses")
                    .path("200")
                    .path("content");
            if (ok.has("application/json")) {
                documented.add(path);
            }
        }
        assertThat(documented).contains("/processes", "/processes/{pid}", "/namespaces/{ns}");
        assertThat(covered).containsAll(documented);
    }

    @Test
    void textFormsAreStringsAndNotModifiedHasNoBody() {
        for (String path : docs.path("paths").propertyNames()) {
            JsonNode responses = docs.path("paths").path(path).path("get").path("responses");
            JsonNode text =
                    responses.path("200").path("content").path("text/plain").path("schema");
            if (!text.isMissingNode()) {
                assertThat(text.path("type").toString()).as(path).contains("string");
                String body = given().accept("text/plain")
                        .get(example(path))
                        .then()
                        .statusCode(200)
                        .contentType("text/plain;charset=UTF-8")
                        .extract()
                        .asString();
                assertThat(body).as(path).endsWith("\n");
            }
            assertThat(responses.path("304").path("content").isMissingNode())
                    .as(path)
                    .isTrue();
        }
    }

    /** A request for an operation path, its parameters filled from the fixture. */
    private static String example(String path) {
        return path.replace("{ns}", "4026532342").replace("{pid}", "5438").replace("{type}", "pid");
    }

    @Test
    void theWalkerFindsAnUndeclaredMember() {
        JsonNode schema = JSON.readTree("{\"$ref\": \"#/components/schemas/SnapshotInfo\"}");
        JsonNode body = JSON.readTree("{\"sequence\": 1, \"extra\": true}");
        List<String> undeclared = new ArrayList<>();
        undeclared(schema, body, "$", undeclared);
        assertThat(undeclared).containsExactly("$.extra (SnapshotInfo)");
        assertThat(validator(schema).validate(body)).isNotEmpty();
    }

    /** A 2020-12 schema of the response schema, with the spec's components beside it so that its $refs resolve. */
    private Schema validator(JsonNode schema) {
        ObjectNode root = JSON.createObjectNode();
        root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        root.set("components", docs.path("components"));
        root.putArray("allOf").add(schema);
        return SCHEMAS.getSchema(root);
    }

    /**
     * Collects the object members that no {@code properties} of the schema declares, following {@code $ref} and
     * looking into every branch of {@code allOf}, {@code anyOf} and {@code oneOf}.
     */
    private void undeclared(JsonNode schema, JsonNode value, String at, List<String> out) {
        List<String> names = new ArrayList<>();
        List<JsonNode> branches = new ArrayList<>();
        flatten(schema, branches, names);
        if (value.isObject()) {
            for (String member : value.propertyNames()) {
                JsonNode declared = null;
                JsonNode additional = null;
                for (JsonNode branch : branches) {
                    if (declared == null && branch.path("properties").has(member)) {
                        declared = branch.path("properties").get(member);
                    }
                    JsonNode a = branch.path("additionalProperties");
                    if (additional == null && (a.isObject() || a.asBoolean(false))) {
                        additional = a.isObject() ? a : JSON.createObjectNode();
                    }
                }
                if (declared != null) {
                    undeclared(declared, value.get(member), at + "." + member, out);
                } else if (additional != null) {
                    undeclared(additional, value.get(member), at + "." + member, out);
                } else {
                    out.add(at + "." + member + (names.isEmpty() ? "" : " (" + String.join(", ", names) + ")"));
                }
            }
        } else if (value.isArray()) {
            for (JsonNode branch : branches) {
                if (branch.has("items")) {
                    for (int i = 0; i < value.size(); i++) {
                        undeclared(branch.get("items"), value.get(i), at + "[" + i + "]", out);
                    }
                    return;
                }
            }
        }
    }

    /** The schema and every schema it refers to or combines, each once, with the names of the components met. */
    private void flatten(JsonNode schema, List<JsonNode> into, List<String> names) {
        if (schema.has("$ref")) {
            String ref = schema.get("$ref").asString();
            names.add(ref.replace("#/components/schemas/", ""));
            flatten(docs.at(ref.substring(1)), into, names);
        }
        into.add(schema);
        for (String combinator : List.of("allOf", "anyOf", "oneOf")) {
            for (JsonNode branch : schema.path(combinator)) {
                flatten(branch, into, names);
            }
        }
    }
}
