package io.nsscope.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * {@code /sandboxes} enabled, for everything that is refused before any process starts (so it needs no root): the
 * token, the body's size, and a 400 naming the field for each invalid request.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "nsscope.sandbox.enabled=true", "nsscope.sandbox.token=" + SandboxApiIT.TOKEN,
        "nsscope.sandbox.max-concurrent=64", "nsscope.sandbox.creations-per-minute=100000",
        "nsscope.sandbox.uid-pool=300000-300999", "nsscope.sandbox.max-body-size=4KB",
        "nsscope.sandbox.max-ttl=1h", "nsscope.scan.interval=1h",
        "nsscope.sandbox.allowed-executables=/bin/*,/usr/bin/*", "nsscope.sandbox.required-namespaces="})
class SandboxApiIT {

    static final String TOKEN = "sandbox-api-it-token-0123456789abcdef";

    @LocalServerPort
    int port;

    @BeforeEach
    void port() {
        RestAssured.port = port;
    }

    static RequestSpecification auth() {
        return given().header("Authorization", "Bearer " + TOKEN).contentType("application/json");
    }

    @Test
    void noTokenWrongTokenRightToken() {
        given().get("/sandboxes").then().statusCode(401).header("WWW-Authenticate", equalTo("Bearer realm=\"nsscope\""))
                .contentType("application/problem+json").body("type", equalTo("/problems/unauthorized"));
        given().header("Authorization", "Bearer " + TOKEN.substring(1)).get("/sandboxes").then().statusCode(401)
                .header("WWW-Authenticate", equalTo("Bearer realm=\"nsscope\", error=\"invalid_token\""));
        given().header("Authorization", "Basic " + TOKEN).get("/sandboxes").then().statusCode(401);
        given().header("Authorization", "Bearer " + TOKEN).get("/sandboxes").then().statusCode(200)
                .header("Cache-Control", equalTo("no-store"));
        // the read side stays open: no API token is configured
        given().get("/namespaces").then().statusCode(200);
        given().get("/actuator/health").then().statusCode(200);
    }

    @Test
    void bodiesAreLimitedAndMustHaveALength() throws Exception {
        String big = "{\"namespaces\":[\"uts\"],\"command\":[\"/bin/true\"],\"env\":{\"X\":\"" + "x".repeat(5000) + "\"}}";
        auth().body(big).post("/sandboxes").then().statusCode(413).body("type", equalTo("/problems/payload-too-large"));
        HttpRequest chunked = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/sandboxes"))
                .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream("{}".getBytes(StandardCharsets.UTF_8)))).build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(chunked, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(411);
        assertThat(response.body()).contains("/problems/length-required");
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
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
        auth().body(body.replace('\'', '"')).post("/sandboxes").then().statusCode(400)
                .contentType("application/problem+json").body("type", equalTo("/problems/invalid-parameter"))
                .body("parameter", equalTo(field));
    }

    @Test
    void anExecutableOutsideTheAllowlistIsForbidden() {
        auth().body("{\"namespaces\":[\"uts\"],\"command\":[\"/etc/passwd\"]}").post("/sandboxes").then()
                .statusCode(403).body("type", equalTo("/problems/executable-not-allowed"))
                .body("parameter", equalTo("command[0]"));
    }

    @Test
    void malformedJsonIsA400() {
        auth().body("{\"namespaces\":").post("/sandboxes").then().statusCode(400)
                .body("type", startsWith("/problems/"));
        auth().body("{\"namespaces\":\"pid\",\"command\":[\"/bin/true\"]}").post("/sandboxes").then().statusCode(400);
    }

    @Test
    void unknownIdsAre404() {
        auth().get("/sandboxes/sb-0123456789abcdef").then().statusCode(404)
                .body("type", equalTo("/problems/sandbox-not-found"));
        auth().delete("/sandboxes/nope").then().statusCode(404);
        auth().get("/sandboxes/nope/logs").then().statusCode(404);
    }

    @Test
    void theApiDescriptionHasTheSandboxEndpoints() {
        given().get("/v3/api-docs").then().statusCode(200)
                .body("paths.'/sandboxes'.post.operationId", org.hamcrest.Matchers.notNullValue())
                .body("paths.'/sandboxes/{id}'.delete.responses.'204'", org.hamcrest.Matchers.notNullValue())
                .body("components.schemas.SandboxRequest.properties.namespaces.description",
                        org.hamcrest.Matchers.notNullValue());
    }
}
