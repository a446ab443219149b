package io.nsscope.live;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.nsscope.live.LiveHost.Result;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The rows of {@code lsns -J} (the lsns on the PATH) and of nsscope's JSON answers, keyed by namespace, and their
 * comparison field by field: shared by the {@code *LiveIT} classes on {@link MadeNamespaces}.
 */
final class LsnsRows {

    /** The longest a reference tool may run (lsns on a busy host reads thousands of processes). */
    static final Duration TOOL_TIMEOUT = Duration.ofSeconds(60);
    /** The lsns columns that nsscope fills. */
    static final List<String> FIELDS = List.of(
            "ns", "type", "path", "nprocs", "pid", "ppid", "command", "uid", "user", "netnsid", "nsfs", "pns", "ons");
    /** The columns that do not move with the host's process count. */
    static final List<String> STABLE_FIELDS = List.of("ns", "type", "path", "pid", "ppid", "command", "uid", "user");

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** A namespace: inode and type. */
    record NsKey(long ns, String type) implements Comparable<NsKey> {

        @Override
        public int compareTo(NsKey other) {
            int c = Long.compare(ns, other.ns);
            return c != 0 ? c : type.compareTo(other.type);
        }

        @Override
        public String toString() {
            return type + ":[" + ns + "]";
        }
    }

    private LsnsRows() {}

    /** {@code GET path} on nsscope at this port, which must answer 200; the body. */
    static String get(int port, String path, String accept) {
        io.restassured.response.Response response =
                given().port(port).accept(accept).when().get(path);
        String body = response.asString();
        assertEquals(200, response.statusCode(), "GET " + path + " (" + accept + "): " + LiveHost.abbreviate(body));
        return body;
    }

    static JsonNode json(String text) {
        return JSON.readTree(text);
    }

    /** Runs lsns with these arguments, which must succeed. */
    static Result lsnsRun(String... args) {
        List<String> argv = new ArrayList<>();
        argv.add(LiveHost.tool("lsns").orElseThrow().toString());
        argv.addAll(List.of(args));
        return LiveHost.run(TOOL_TIMEOUT, argv.toArray(String[]::new)).requireSuccess();
    }

    static JsonNode lsns(String... args) {
        return json(lsnsRun(args).out());
    }

    /** The {@code namespaces} array of an answer (lsns's or nsscope's). */
    static List<JsonNode> rows(JsonNode answer) {
        JsonNode list = answer.get("namespaces");
        assertNotNull(list, "no namespaces in " + LiveHost.abbreviate(answer.toString()));
        return new ArrayList<>(list.values());
    }

    static NsKey key(JsonNode row) {
        return new NsKey(row.get("ns").asLong(), text(row.get("type")));
    }

    static Map<NsKey, JsonNode> index(JsonNode answer) {
        Map<NsKey, JsonNode> byKey = new TreeMap<>();
        for (JsonNode row : rows(answer)) {
            byKey.put(key(row), row);
        }
        return byKey;
    }

    /** A JSON scalar as a comparable string: numbers as integers, strings as is, null as null. */
    private static String scalar(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "<absent>";
        }
        if (node.isNull()) {
            return "null";
        }
        if (node.isIntegralNumber()) {
            return Long.toString(node.longValue());
        }
        if (node.isString()) {
            return "\"" + node.stringValue() + "\"";
        }
        return node.toString();
    }

    static String text(JsonNode node) {
        return node == null || node.isNull() ? null : node.isString() ? node.stringValue() : node.toString();
    }

    /** Adds to {@code problems} each of these fields on which the two rows differ. */
    static void compareFields(
            String what, JsonNode lsns, JsonNode nsscope, List<String> fields, List<String> problems) {
        for (String field : fields) {
            String l = scalar(lsns.get(field));
            if ((field.equals("pns") || field.equals("ons")) && l.equals("0")) {
                l = "null"; // lsns prints 0 where the kernel gives no answer (EPERM, EINVAL); nsscope null
            }
            String n = scalar(nsscope.get(field));
            if (!l.equals(n)) {
                problems.add(what + " " + field + ": lsns=" + l + " nsscope=" + n);
            }
        }
    }

    /** Adds to {@code problems} when the two differ. */
    static void expect(List<String> problems, String what, Object expected, Object actual) {
        if (!Objects.equals(expected, actual)) {
            problems.add(what + ": expected " + expected + ", got " + actual);
        }
    }
}
