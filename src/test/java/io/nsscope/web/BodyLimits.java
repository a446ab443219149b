package io.nsscope.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Oversized bodies on every kind of endpoint (the sandbox endpoint under two spellings, a read endpoint that takes
 * no body, a method it does not answer, a path that does not exist, health), with and without a token: each gets
 * 413 {@code /problems/payload-too-large} before anything reads more than the limit, whether the size is declared
 * ({@code Content-Length}) or not (chunked).
 */
final class BodyLimits {

    /** (method, path) pairs: every class of endpoint. */
    static final List<List<String>> ENDPOINTS = List.of(
            List.of("POST", "/sandboxes"),
            List.of("POST", "/%73andboxes"),
            List.of("GET", "/namespaces"),
            List.of("POST", "/namespaces"),
            List.of("PUT", "/no/such/path"),
            List.of("POST", "/actuator/health"));

    private BodyLimits() {}

    /** One byte over the limit, with a Content-Length, through REST Assured. */
    static void declaredOverTheLimit(String method, String path, int limit, String token) {
        RequestSpecification request = given().urlEncodingEnabled(false)
                .contentType("application/json")
                .body(json(limit + 1));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        request.request(method, path)
                .then()
                .statusCode(413)
                .contentType("application/problem+json")
                .body("type", equalTo("/problems/payload-too-large"));
    }

    /** A chunked body that passes the limit and never ends: refused once the limit is passed. */
    static void chunkedOverTheLimit(int port, String method, String path, int limit, String token) throws IOException {
        byte[] chunk = json(limit + 1);
        String head = method + " " + path + " HTTP/1.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked"
                + (token == null ? "" : "\r\nAuthorization: Bearer " + token);
        byte[] body = concat(
                (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII),
                chunk,
                "\r\n".getBytes(StandardCharsets.US_ASCII));
        RawHttp.Response r = RawHttp.send(port, head, body);
        assertThat(r.status()).as(method + " " + path).isEqualTo(413);
        assertThat(r.body()).contains("/problems/payload-too-large");
    }

    /** 64 MB announced, 1 KB sent: answered at once, without waiting for (or reading) the rest. */
    static void hugeDeclaredBodyIsNotAwaited(int port, String method, String path, String token) throws IOException {
        String head = method + " " + path + " HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: "
                + (64L << 20) + (token == null ? "" : "\r\nAuthorization: Bearer " + token);
        RawHttp.Response r = RawHttp.send(port, head, json(1024));
        assertThat(r.status()).as(method + " " + path).isEqualTo(413);
        assertThat(r.body()).contains("/problems/payload-too-large").contains(Long.toString(64L << 20));
    }

    /** A JSON text of exactly {@code size} bytes: an object padded with spaces. */
    static byte[] json(int size) {
        byte[] body = new byte[size];
        Arrays.fill(body, (byte) ' ');
        body[0] = '{';
        body[size - 1] = '}';
        return body;
    }

    private static byte[] concat(byte[]... parts) {
        int length = Arrays.stream(parts).mapToInt(p -> p.length).sum();
        byte[] out = new byte[length];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
