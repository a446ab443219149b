package io.nsscope.live;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * util-linux 2.42.2's {@code lsns} (and {@code test_mkfds}), the reference nsscope agrees with, from
 * {@code ../shared/tools/util-linux-2.42.2/} of the project root; and the comparison of its rows with nsscope's.
 */
final class Lsns242 {

    static final Path DIR = Path.of("..", "shared", "tools", "util-linux-2.42.2")
            .toAbsolutePath()
            .normalize();
    static final Path LSNS = DIR.resolve("lsns");
    static final Path MKFDS = DIR.resolve("test_mkfds");
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The columns of {@code lsns -J --output-all} that nsscope fills, PATH aside. */
    static final List<String> FIELDS =
            List.of("type", "nprocs", "pid", "ppid", "command", "uid", "user", "netnsid", "nsfs", "pns", "ons");

    private Lsns242() {}

    /** Why the tools cannot be used here, or null. */
    static String missing() {
        for (Path tool : List.of(LSNS, MKFDS)) {
            if (!Files.isExecutable(tool)) {
                return tool + " is absent (util-linux 2.42.2 is shared at ../shared/tools/ of the project root)";
            }
        }
        return null;
    }

    /** {@code lsns ARGS}, run to completion, its output parsed as JSON. */
    static JsonNode json(String... args) {
        return JSON.readTree(run(args));
    }

    /** {@code lsns ARGS}, its standard output. */
    static String run(String... args) {
        List<String> argv = new ArrayList<>();
        argv.add(LSNS.toString());
        argv.addAll(List.of(args));
        return LiveHost.run(TIMEOUT, argv.toArray(String[]::new))
                .requireSuccess()
                .out();
    }

    /** The same, with {@code lsns} in the mount namespace of a process ({@code nsenter --mount}). */
    static JsonNode jsonInMountNamespaceOf(long pid, String... args) {
        List<String> argv = new ArrayList<>(List.of(
                LiveHost.tool("nsenter").orElseThrow().toString(),
                "--mount=/proc/" + pid + "/ns/mnt",
                LSNS.toString()));
        argv.addAll(List.of(args));
        return JSON.readTree(LiveHost.run(TIMEOUT, argv.toArray(String[]::new))
                .requireSuccess()
                .out());
    }

    static JsonNode parse(String json) {
        return JSON.readTree(json);
    }

    /** The rows of an answer ({@code namespaces}), trees flattened, by inode. */
    static Map<Long, JsonNode> rows(JsonNode answer) {
        Map<Long, JsonNode> rows = new LinkedHashMap<>();
        flatten(answer.get("namespaces"), rows);
        return rows;
    }

    /** For a tree answer ({@code lsns --tree}, {@code /trees}): each namespace's parent in the tree (0 for a root). */
    static Map<Long, Long> treeParents(JsonNode answer, String childrenKey) {
        Map<Long, Long> parents = new LinkedHashMap<>();
        collect(answer, childrenKey, 0L, parents);
        return parents;
    }

    private static void collect(JsonNode nodes, String childrenKey, long parent, Map<Long, Long> parents) {
        if (nodes == null) {
            return;
        }
        for (JsonNode node : nodes.values()) {
            long ns = node.get("ns").asLong();
            parents.put(ns, parent);
            collect(node.get(childrenKey), childrenKey, ns, parents);
        }
    }

    private static void flatten(JsonNode nodes, Map<Long, JsonNode> rows) {
        if (nodes == null) {
            return;
        }
        for (JsonNode node : nodes.values()) {
            rows.put(node.get("ns").asLong(), node);
            flatten(node.get("children"), rows);
        }
    }

    /**
     * Where an lsns row and an nsscope row of the same namespace differ, one line each, on {@code fields}. lsns's 0
     * (PNS, ONS, PID, PPID: no answer) and "" are nsscope's null; NSFS is compared as a set of paths (lsns -W joins
     * them with commas, nsscope with newlines). {@code extraProcesses} is how many more processes lsns may count in
     * it than nsscope (lsns itself, in the namespaces it runs in).
     */
    static List<String> differences(long ns, JsonNode lsns, JsonNode nsscope, List<String> fields, int extraProcesses) {
        List<String> problems = new ArrayList<>();
        for (String field : fields) {
            Object theirs = value(field, lsns.get(field));
            Object ours = value(field, nsscope.get(field));
            if (field.equals("nprocs") && theirs instanceof Long t && ours instanceof Long o) {
                if (t - o != extraProcesses) {
                    problems.add(ns + " nprocs: lsns " + t + ", nsscope " + o + " (lsns may count " + extraProcesses
                            + " more: itself)");
                }
            } else if (!Objects.equals(theirs, ours)) {
                problems.add(lsns.get("type").asString() + ":[" + ns + "] " + field + ": lsns " + theirs + ", nsscope "
                        + ours);
            }
        }
        return problems;
    }

    private static Object value(String field, JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isIntegralNumber()) {
            long v = node.asLong();
            return v == 0 && Set.of("pns", "ons", "pid", "ppid").contains(field) ? null : (Object) v;
        }
        String text = node.asString();
        if (text.isEmpty()) {
            return null;
        }
        if (field.equals("nsfs")) {
            return new TreeSet<>(List.of(text.split("[,\n]")));
        }
        if (Set.of("uid", "pid", "ppid", "nprocs", "pns", "ons").contains(field) && text.matches("-?\\d+")) {
            return Long.parseLong(text);
        }
        return text;
    }

    /** The inodes of the namespaces this JVM is in: lsns, started by it, is counted in those. */
    static Set<Long> ownNamespaces() {
        Set<Long> own = new HashSet<>();
        LiveHost.read((int) ProcessHandle.current().pid()).orElseThrow().links().forEach((link, inode) -> {
            if (!link.endsWith("_for_children")) {
                own.add(inode);
            }
        });
        return own;
    }
}
