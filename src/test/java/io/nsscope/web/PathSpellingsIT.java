package io.nsscope.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every spelling of a path gets the canonical path's answer or a refusal, and never gets past the token: for a read
 * endpoint with the API token set, for {@code /sandboxes} with sandboxes enabled, and for health, whose details need
 * the token. A spelling Spring routes to the canonical path ({@code /%73andboxes}) is guarded like it; any other
 * ({@code /sandboxes;x}, {@code //sandboxes}, {@code /x/../sandboxes}...) is refused (400), or is another path that
 * needs a token (401) or does not exist (404, 405). The paths go over a raw socket exactly as written.
 */
class PathSpellingsIT extends GuardedServer {

    /** What a spelling that is not the canonical path may get: refused, unauthorized, not found, not allowed. */
    private static final Set<Integer> ELSEWHERE = Set.of(400, 401, 404, 405);

    static Stream<Arguments> readSpellings() {
        return cases("/namespaces", "/processes/5438/ns", "/actuator/prometheus", "/v3/api-docs");
    }

    static Stream<Arguments> sandboxSpellings() {
        return cases("/sandboxes", "/sandboxes/sb-0123456789abcdef", "/sandboxes/sb-0123456789abcdef/logs");
    }

    static Stream<Arguments> healthSpellings() {
        return cases("/actuator/health", "/actuator/health/readiness", "/actuator/health/procfs");
    }

    private static Stream<Arguments> cases(String... canonicals) {
        return Stream.of(canonicals)
                .flatMap(c -> Stream.concat(
                                Stream.of(new Spellings.Spelling(c, Spellings.Kind.SAME)), Spellings.of(c).stream())
                        .map(s -> Arguments.of(c, s)));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("readSpellings")
    void aReadEndpointNeedsTheApiTokenHoweverSpelled(String canonical, Spellings.Spelling spelling) throws IOException {
        int expected = get(canonical, API_TOKEN).status();
        assertThat(expected).isEqualTo(200);
        check(spelling, null, 401);
        check(spelling, SANDBOX_TOKEN, 401);
        check(spelling, API_TOKEN, expected);
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("sandboxSpellings")
    void aSandboxEndpointNeedsTheSandboxTokenHoweverSpelled(String canonical, Spellings.Spelling spelling)
            throws IOException {
        int expected = get(canonical, SANDBOX_TOKEN).status();
        assertThat(expected).isIn(200, 404);
        check(spelling, null, 401);
        check(spelling, API_TOKEN, 401);
        check(spelling, SANDBOX_TOKEN, expected);
        for (String method : List.of("POST", "DELETE")) {
            RawHttp.Response r = RawHttp.request(port, method, spelling.path());
            assertThat(r.status()).as(method + " " + spelling).isIn(ELSEWHERE);
            assertNoHostData(r);
        }
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("healthSpellings")
    void healthDetailsNeedTheApiTokenHoweverSpelled(String canonical, Spellings.Spelling spelling) throws IOException {
        RawHttp.Response anonymous = get(spelling.path(), null);
        assertThat(anonymous.body()).as(spelling.path()).doesNotContain("\"components\"", "\"details\"");
        check(spelling, null, get(canonical, null).status());
        check(spelling, API_TOKEN, get(canonical, API_TOKEN).status());
    }

    /** Spellings that could lead from an open path (health, the page's files) to a guarded one. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("crossings")
    void noOpenPathLeadsElsewhere(String path) throws IOException {
        RawHttp.Response r = get(path, null);
        assertThat(r.status()).as(path).isIn(ELSEWHERE);
        assertNoHostData(r);
    }

    static Stream<String> crossings() {
        return Stream.of(
                "/actuator/health/../prometheus",
                "/actuator/health/%2e%2e/prometheus",
                "/actuator/health/..;/prometheus",
                "/actuator/health;/../prometheus",
                "/actuator/health/..%2fprometheus",
                "/actuator/health/readiness/../../../namespaces",
                "/actuator/health//../../namespaces",
                "/ui/../namespaces",
                "/ui/%2e%2e/namespaces",
                "/ui/..;/namespaces",
                "/ui/..%2fnamespaces",
                "/ui/%2e%2e%2fnamespaces",
                "/ui/..\\namespaces",
                "/ui//../namespaces",
                "/ui/;/../namespaces",
                "/ui/..%5cnamespaces",
                "/ui/%252e%252e/namespaces");
    }

    /**
     * A spelling Spring routes to the canonical path gets its answer; any other gets a refusal, 404 or 405, or (where
     * Spring's own matching is laxer than the canonical path, as Actuator's for a trailing slash) that same answer.
     */
    private void check(Spellings.Spelling spelling, String token, int canonical) throws IOException {
        RawHttp.Response r = get(spelling.path(), token);
        String as = spelling + " with " + (token == null ? "no token" : token.substring(0, 12));
        if (spelling.kind() == Spellings.Kind.SAME) {
            assertThat(r.status()).as(as).isEqualTo(canonical);
        } else {
            assertThat(r.status())
                    .as(as)
                    .satisfiesAnyOf(
                            s -> assertThat(s).isIn(ELSEWHERE),
                            s -> assertThat(s).isEqualTo(canonical));
        }
        if (r.status() == 400 || r.status() == 401) {
            // refusals say why; a 404 may come from Actuator, which answers an unknown component with no body
            assertThat(r.isProblem()).as(as).isTrue();
        }
        if (r.status() == 400) {
            assertThat(r.body()).as(as).contains("\"type\":\"/problems/request-rejected\"");
        }
        if (r.status() == 401) {
            assertThat(r.body()).contains("/problems/unauthorized");
            assertThat(r.header("WWW-Authenticate")).startsWith("Bearer");
        }
        if (r.status() >= 400 && r.status() != 401) {
            assertNoHostData(r);
        }
    }

    /** A refusal says why and holds nothing of the host: no namespace, process or metric. */
    private static void assertNoHostData(RawHttp.Response r) {
        assertThat(r.body()).doesNotContain("4026531", "nsscope_", "\"namespaces\"", "\"processes\"");
        if (r.isProblem()) {
            assertThat(r.body())
                    .containsPattern("\"type\":\"/problems/(request-rejected|not-found|unauthorized|"
                            + "method-not-allowed|sandbox-not-found)\"");
        }
    }

    private RawHttp.Response get(String path, String token) throws IOException {
        return token == null
                ? RawHttp.request(port, "GET", path)
                : RawHttp.request(port, "GET", path, "Authorization: Bearer " + token);
    }
}
