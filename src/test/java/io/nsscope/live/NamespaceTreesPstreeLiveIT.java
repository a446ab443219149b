package io.nsscope.live;

import static io.nsscope.live.LsnsRows.TOOL_TIMEOUT;
import static io.nsscope.live.LsnsRows.expect;
import static io.nsscope.live.LsnsRows.json;
import static io.nsscope.live.LsnsRows.key;
import static io.nsscope.live.LsnsRows.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.nsscope.live.LiveHost.Proc;
import io.nsscope.live.LsnsRows.NsKey;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /trees/{type}} against {@code pstree -pTN TYPE}, for every namespace {@link MadeNamespaces} makes: the
 * text drawing line by line, and the JSON tree.
 *
 * <p>Skipped (never failed) where {@link MadeNamespaces} cannot make its namespaces: when not root, or when a tool
 * it needs is missing.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class NamespaceTreesPstreeLiveIT extends WithMadeNamespaces {

    /**
     * {@code GET /trees/{type}} as text against {@code pstree -pTN type}: for every namespace the test made, the
     * lines of its group (from its {@code [inode]} header to the next header) are equal. The JSON form has the
     * test's process as the group's single root, with all its processes below it; kernel threads are in neither
     * text, and only in nsscope's answer with {@code kthreads=true}.
     */
    @Test
    void treesAgreeWithPstree() {
        Optional<Path> pstree = LiveHost.tool("pstree");
        assumeTrue(pstree.isPresent(), "pstree (psmisc) is not installed");
        Set<String> types =
                made.created.keySet().stream().map(NsKey::type).collect(Collectors.toCollection(TreeSet::new));
        assertFalse(types.isEmpty());
        List<String> problems = new ArrayList<>();
        for (String type : types) {
            // -l: no truncation (nsscope never truncates); -A: ASCII lines (nsscope's default).
            String reference = LiveHost.run(TOOL_TIMEOUT, pstree.get().toString(), "-l", "-A", "-p", "-T", "-N", type)
                    .requireSuccess()
                    .out();
            String text = get("/trees/" + type + "?refresh=true", "text/plain");
            JsonNode tree = json(get("/trees/" + type + "?refresh=true", "application/json"));
            Map<Long, List<String>> pstreeGroups = groups(reference);
            Map<Long, List<String>> nsscopeGroups = groups(text);
            for (Map.Entry<NsKey, TreeSet<Integer>> e : made.created.entrySet()) {
                NsKey key = e.getKey();
                if (!key.type().equals(type)) {
                    continue;
                }
                List<String> expected = pstreeGroups.get(key.ns());
                List<String> actual = nsscopeGroups.get(key.ns());
                if (expected == null || expected.isEmpty()) {
                    problems.add(key + ": no group in pstree -N " + type);
                } else if (!expected.equals(actual)) {
                    problems.add(key + ": group differs\n--- pstree -pTN " + type + "\n" + String.join("\n", expected)
                            + "\n--- nsscope /trees/" + type + "\n"
                            + (actual == null ? "(none)" : String.join("\n", actual)));
                }
                // The JSON group: the member whose parent is outside the namespace is the single root.
                TreeSet<Integer> members = e.getValue();
                List<Integer> roots = members.stream()
                        .filter(pid -> !members.contains(made.parentOf(pid)))
                        .toList();
                JsonNode group = null;
                for (JsonNode g : tree.get("namespaces").values()) {
                    if (g.get("ns").asLong() == key.ns()) {
                        group = g;
                    }
                }
                if (group == null) {
                    problems.add(key + ": no group in /trees/" + type + " JSON");
                    continue;
                }
                List<Integer> jsonRoots = group.get("roots").values().stream()
                        .map(r -> r.get("pid").asInt())
                        .toList();
                expect(problems, key + " JSON roots", roots, jsonRoots);
                List<Integer> all = new ArrayList<>();
                group.get("roots").values().forEach(r -> collectPids(r, all));
                Collections.sort(all);
                expect(problems, key + " JSON processes", List.copyOf(members), all);
            }
            if (reference.contains("kthreadd(") || text.contains("kthreadd(")) {
                problems.add(type + ": kthreadd drawn (pstree: " + reference.contains("kthreadd(") + ", nsscope: "
                        + text.contains("kthreadd(") + ")");
            }
        }
        // Kernel threads are there on demand.
        Optional<Proc> kthreadd = LiveHost.read(2).filter(p -> p.comm().equals("kthreadd"));
        if (kthreadd.isPresent() && kthreadd.get().links().containsKey("pid")) {
            JsonNode withKthreads = json(get("/trees/pid?kthreads=true&refresh=true", "application/json"));
            List<Integer> all = new ArrayList<>();
            withKthreads
                    .get("namespaces")
                    .values()
                    .forEach(g -> g.get("roots").values().forEach(r -> collectPids(r, all)));
            assertTrue(all.contains(2), "kthreadd (PID 2) missing from /trees/pid?kthreads=true");
        }
        assertEquals(List.of(), problems, "nsscope /trees and pstree -N disagree");
    }

    private static void collectPids(JsonNode node, List<Integer> into) {
        into.add(node.get("pid").asInt());
        node.get("children").values().forEach(c -> collectPids(c, into));
    }

    /** The groups of a {@code pstree -N} drawing: the lines under each {@code [inode]} header. */
    static Map<Long, List<String>> groups(String drawing) {
        Map<Long, List<String>> groups = new LinkedHashMap<>();
        List<String> current = null;
        for (String line : drawing.split("\n")) {
            if (line.matches("\\[\\d+]")) {
                current = groups.computeIfAbsent(
                        Long.parseLong(line.substring(1, line.length() - 1)), k -> new ArrayList<>());
            } else if (current != null && !line.isEmpty()) {
                current.add(line);
            }
        }
        return groups;
    }
}
