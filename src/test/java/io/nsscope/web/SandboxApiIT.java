package io.nsscope.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.restassured.specification.RequestSpecification;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code /sandboxes} enabled, for everything that is refused before any process starts (so it needs no root): the
 * token, the body's size, and a 400 naming the field for each invalid request.
 */
class SandboxApiIT extends SandboxServer {

    static RequestSpecification auth() {
        return given().header("Authorization", "Bearer " + TOKEN).contentType("application/json");
    }

    @Test
    void noTokenWrongTokenRightToken() {
        given().get("/sandboxes")
                .then()
                .statusCode(401)
                .header("WWW-Authenticate", equalTo("Bearer realm=\"nsscope\""))
                .contentType("application/problem+json")
                .body("type", equalTo("/problems/unauthorized"));
        given().header("Authorization", "Bearer " + TOKEN.substring(1))
                .get("/sandboxes")
                .then()
                .statusCode(401)
                .header("WWW-Authenticate", equalTo("Bearer realm=\"nsscope\", error=\"invalid_token\""));
        given().header("Authorization", "Basic " + TOKEN)
                .get("/sandboxes")
                .then()
                .statusCode(401);
        given().header("Authorization", "Bearer " + TOKEN)
                .get("/sandboxes")
                .then()
                .statusCode(200)
                .header("Cache-Control", equalTo("no-store"));
        // the read side stays open: no API token is configured
        given().get("/namespaces").then().statusCode(200);
        given().get("/actuator/health").then().statusCode(200);
    }

    @Test
    void bodiesAreLimitedChunkedOrNot() throws Exception {
        String big =
                "{\"namespaces\":[\"uts\"],\"command\":[\"/bin/true\"],\"env\":{\"X\":\"" + "x".repeat(5000) + "\"}}";
        auth().body(big).post("/sandboxes").then().statusCode(413).body("type", equalTo("/problems/payload-too-large"));
        // A chunked body within the limit is read like any other (here: a 400 for the missing field).
        HttpRequest chunked = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/sandboxes"))
                .header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream("{}".getBytes(StandardCharsets.UTF_8))))
                .build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(chunked, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("\"parameter\":\"namespaces\"");
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "{}|namespaces",
                "{'namespaces':[],'command':['/bin/true']}|namespaces",
                "{'namespaces':['uts','bogus'],'command':['/bin/true']}|namespaces[1]",
                "{'namespaces':['uts']}|command",
                "{'namespaces':['uts'],'command':[]}|command",
                "{'namespaces':['uts'],'command':['true']}|command[0]",
                "{'namespaces':['uts'],'command':['/bin/../bin/true']}|command[0]",
                "{'namespaces':['uts'],'command':['/bin/no-such-program']}|command[0]",
                "{'namespaces':['uts'],'command':['/bin/true', null]}|command[1]",
                "{'namespaces':['pid'],'command':['/bin/true'],'hostname':'box1'}|hostname",
                "{'namespaces':['uts'],'command':['/bin/true'],'hostname':'-box'}|hostname",
                "{'namespaces':['uts'],'command':['/bin/true'],'hostname':'a..b'}|hostname",
                "{'namespaces':['uts'],'command':['/bin/true'],'hostname':'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'}|hostname",
                "{'namespaces':['pid'],'command':['/bin/true'],'user':{'mapping':'root'}}|user",
                "{'namespaces':['user'],'command':['/bin/true'],'user':{'mapping':'admin'}}|user.mapping",
                "{'namespaces':['user'],'command':['/bin/true'],'user':{'mapping':[]}}|user.mapping",
                "{'namespaces':['user'],'command':['/bin/true'],'user':{'mapping':[5]}}|user.mapping[0]",
                "{'namespaces':['user'],'command':['/bin/true'],'user':{'mapping':[{'inside':0,'outside':300000}]}}|user.mapping[0].count",
                "{'namespaces':['user'],'command':['/bin/true'],'user':{'mapping':[{'inside':0,'outside':300000,'count':0}]}}|user.mapping[0].count",
                "{'namespaces':['user'],'command':['/bin/true'],'user':{'mapping':[{'inside':0,'outside':0,'count':1}]}}|user.mapping[0].outside",
                "{'namespaces':['user'],'command':['/bin/true'],'user':{'mapping':[{'inside':0,'outside':300990,'count':20}]}}|user.mapping[0].outside",
                "{'namespaces':['user'],'command':['/bin/true'],'user':{'mapping':[{'inside':0,'outside':300000,'count':10},{'inside':5,'outside':300100,'count':10}]}}|user.mapping[1].inside",
                "{'namespaces':['user'],'command':['/bin/true'],'user':{'mapping':[{'inside':0,'outside':300000,'count':10},{'inside':50,'outside':300009,'count':10}]}}|user.mapping[1].outside",
                "{'namespaces':['user'],'command':['/bin/true'],'user':{'mapping':[{'inside':-1,'outside':300000,'count':1}]}}|user.mapping[0].inside",
                "{'namespaces':['pid'],'command':['/bin/true'],'timeOffsets':{'boottime':5}}|timeOffsets",
                "{'namespaces':['time'],'command':['/bin/true'],'timeOffsets':{'boottime':99999999999}}|timeOffsets.boottime",
                "{'namespaces':['pid'],'command':['/bin/true'],'mountProc':true}|mountProc",
                "{'namespaces':['uts'],'command':['/bin/true'],'ttlSeconds':0}|ttlSeconds",
                "{'namespaces':['uts'],'command':['/bin/true'],'ttlSeconds':3601}|ttlSeconds",
                "{'namespaces':['uts'],'command':['/bin/true'],'env':{'1X':'y'}}|env.1X",
                "{'namespaces':['uts'],'command':['/bin/true'],'env':{'NSSCOPE_SANDBOX_ID':'sb-x'}}|env.NSSCOPE_SANDBOX_ID",
            })
    void everyInvalidRequestIsA400NamingItsField(String body, String field) {
        auth().body(body.replace('\'', '"'))
                .post("/sandboxes")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("/problems/invalid-parameter"))
                .body("parameter", equalTo(field));
    }

    /**
     * Unknown fields, wrong types and numbers past 64 bits: a 400 naming the field by its JSON path, never a 500.
     * The command is outside the allowlist, so that a case that got through would be refused, never started.
     */
    @ParameterizedTest(name = "{1}: {0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "{'namespace':['pid'],'command':['/etc/passwd']}|namespace",
                "{'namespaces':['uts'],'command':['/etc/passwd'],'ttl':60}|ttl",
                "{'namespaces':['user'],'command':['/etc/passwd'],'user':{'mapping':'root','map':'none'}}|user.map",
                "{'namespaces':['time'],'command':['/etc/passwd'],'timeOffsets':{'bootime':5}}|timeOffsets.bootime",
                "{'namespaces':['user'],'command':['/etc/passwd'],'user':{'mapping':[{'inside':0,'outside':300000,'count':1,'insde':1}]}}|user.mapping[0].insde",
                "{'namespaces':['uts'],'command':['/etc/passwd'],'ttlSeconds':1e40}|ttlSeconds",
                "{'namespaces':['uts'],'command':['/etc/passwd'],'ttlSeconds':9223372036854775808}|ttlSeconds",
                "{'namespaces':['uts'],'command':['/etc/passwd'],'ttlSeconds':-9223372036854775809}|ttlSeconds",
                "{'namespaces':['uts'],'command':['/etc/passwd'],'ttlSeconds':1.5}|ttlSeconds",
                "{'namespaces':['uts'],'command':['/etc/passwd'],'ttlSeconds':'abc'}|ttlSeconds",
                "{'namespaces':['uts'],'command':['/etc/passwd'],'ttlSeconds':{}}|ttlSeconds",
                "{'namespaces':['time'],'command':['/etc/passwd'],'timeOffsets':{'boottime':1e40}}|timeOffsets.boottime",
                "{'namespaces':['time'],'command':['/etc/passwd'],'timeOffsets':{'monotonic':99999999999999999999}}|timeOffsets.monotonic",
                "{'namespaces':['time'],'command':['/etc/passwd'],'timeOffsets':5}|timeOffsets",
                "{'namespaces':['user'],'command':['/etc/passwd'],'user':{'mapping':[{'inside':1e40,'outside':300000,'count':1}]}}|user.mapping[0].inside",
                "{'namespaces':['user'],'command':['/etc/passwd'],'user':{'mapping':[{'inside':0,'outside':99999999999999999999,'count':1}]}}|user.mapping[0].outside",
                "{'namespaces':['user'],'command':['/etc/passwd'],'user':{'mapping':[{'inside':0,'outside':300000,'count':0.5}]}}|user.mapping[0].count",
                "{'namespaces':['user'],'command':['/etc/passwd'],'user':'root'}|user",
                "{'namespaces':'pid','command':['/etc/passwd']}|namespaces",
                "{'namespaces':[{}],'command':['/etc/passwd']}|namespaces[0]",
                "{'namespaces':['uts'],'command':'/etc/passwd'}|command",
                "{'namespaces':['uts'],'command':['/etc/passwd',{}]}|command[1]",
                "{'namespaces':['pid','mnt'],'command':['/etc/passwd'],'mountProc':'yes'}|mountProc",
                "{'namespaces':['uts'],'command':['/etc/passwd'],'env':['A=1']}|env",
                "{'namespaces':['uts'],'command':['/etc/passwd'],'env':{'A':{}}}|env.A",
                "{'namespaces':['uts'],'command':['/etc/passwd'],'hostname':['a']}|hostname",
            })
    void malformedFieldsAreA400NamingTheirPath(String body, String field) {
        auth().body(body.replace('\'', '"'))
                .post("/sandboxes")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("/problems/invalid-parameter"))
                .body("parameter", equalTo(field));
    }

    @Test
    void deepNestingAndHugeNumbersAreA400() {
        String deep = "[".repeat(1500) + "]".repeat(1500);
        auth().body("{\"namespaces\":[\"user\"],\"command\":[\"/etc/passwd\"],\"user\":{\"mapping\":" + deep + "}}")
                .post("/sandboxes")
                .then()
                .statusCode(400)
                .body("type", equalTo("/problems/invalid-parameter"));
        auth().body("{\"namespaces\":[\"uts\"],\"command\":[\"/etc/passwd\"],\"ttlSeconds\":" + "9".repeat(2000) + "}")
                .post("/sandboxes")
                .then()
                .statusCode(400)
                .body("type", equalTo("/problems/invalid-parameter"));
    }

    @Test
    void anExecutableOutsideTheAllowlistIsForbidden() {
        auth().body("{\"namespaces\":[\"uts\"],\"command\":[\"/etc/passwd\"]}")
                .post("/sandboxes")
                .then()
                .statusCode(403)
                .body("type", equalTo("/problems/executable-not-allowed"))
                .body("parameter", equalTo("command[0]"));
    }

    @Test
    void malformedJsonIsA400() {
        auth().body("{\"namespaces\":")
                .post("/sandboxes")
                .then()
                .statusCode(400)
                .body("type", startsWith("/problems/"));
        auth().body("{\"namespaces\":\"pid\",\"command\":[\"/bin/true\"]}")
                .post("/sandboxes")
                .then()
                .statusCode(400);
    }

    @Test
    void unknownIdsAre404() {
        auth().get("/sandboxes/sb-0123456789abcdef")
                .then()
                .statusCode(404)
                .body("type", equalTo("/problems/sandbox-not-found"));
        auth().delete("/sandboxes/nope").then().statusCode(404);
        auth().get("/sandboxes/nope/logs").then().statusCode(404);
    }

    @Test
    void theApiDescriptionHasTheSandboxEndpoints() {
        given().get("/v3/api-docs")
                .then()
                .statusCode(200)
                .body("paths.'/sandboxes'.post.operationId", org.hamcrest.Matchers.notNullValue())
                .body("paths.'/sandboxes/{id}'.delete.responses.'204'", org.hamcrest.Matchers.notNullValue())
                .body(
                        "components.schemas.SandboxRequest.properties.namespaces.description",
                        org.hamcrest.Matchers.notNullValue());
    }
}
