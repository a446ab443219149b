package io.nsscope.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 10's token bypass, as found: sandboxes enabled with a token, no API token (reads open), and
 * {@code POST /%73andboxes} or {@code POST /sandboxes;x} without Authorization. Every spelling of every sandbox
 * path, with every method, is refused or guarded (400, 401, 404, 405); none reaches the controller. The body names an
 * executable outside the allowlist, so that even a request that got through would be refused, never started.
 */
class SandboxSpellingsIT extends SandboxServer {

    private static final byte[] BODY =
            "{\"namespaces\":[\"uts\"],\"command\":[\"/etc/passwd\"]}".getBytes(StandardCharsets.UTF_8);

    static Stream<Spellings.Spelling> spellings() {
        return Stream.of("/sandboxes", "/sandboxes/sb-0123456789abcdef", "/sandboxes/sb-0123456789abcdef/logs")
                .flatMap(c -> Spellings.of(c).stream());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("spellings")
    void noSpellingGetsPastTheSandboxToken(Spellings.Spelling spelling) throws IOException {
        List<String> before = sandboxes();
        for (String method : new String[] {"POST", "GET", "DELETE"}) {
            RawHttp.Response r = RawHttp.send(
                    port,
                    method + " " + spelling.path() + " HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: "
                            + BODY.length,
                    BODY);
            String as = method + " " + spelling;
            if (spelling.kind() == Spellings.Kind.SAME) {
                assertThat(r.status()).as(as).isEqualTo(401);
            } else {
                assertThat(r.status()).as(as).isIn(400, 401, 404, 405);
            }
            assertThat(r.isProblem()).as(as).isTrue();
            assertThat(r.body())
                    .as(as)
                    .containsPattern(
                            "\"type\":\"/problems/(request-rejected|unauthorized|not-found" + "|method-not-allowed)\"");
        }
        assertThat(sandboxes()).as("sandboxes created or deleted").isEqualTo(before);
    }

    private static List<String> sandboxes() {
        return given().header("Authorization", "Bearer " + TOKEN)
                .get("/sandboxes")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("sandboxes.id", String.class);
    }
}
