package io.nsscope.live;

import static io.nsscope.live.LsnsRows.STABLE_FIELDS;
import static io.nsscope.live.LsnsRows.compareFields;
import static io.nsscope.live.LsnsRows.index;
import static io.nsscope.live.LsnsRows.json;
import static io.nsscope.live.LsnsRows.key;
import static io.nsscope.live.LsnsRows.lsns;
import static io.nsscope.live.LsnsRows.lsnsRun;
import static io.nsscope.live.LsnsRows.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nsscope.live.LiveHost.Proc;
import io.nsscope.live.LiveHost.Result;
import io.nsscope.live.LsnsRows.NsKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import tools.jackson.databind.JsonNode;

/**
 * {@code lsns} against nsscope for the host's own namespaces, as far as a live host allows: every namespace that had
 * a process all along (read before lsns and again after nsscope's answer) must be in both, with the same fields where
 * both name the same unchanged lowest process; with and without a type filter. The namespaces {@link MadeNamespaces}
 * makes are among them, so that the comparison always has namespaces of every type.
 *
 * <p>Skipped (never failed) where {@link MadeNamespaces} cannot make its namespaces: when not root, or when a tool
 * it needs is missing.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class HostNamespacesLsnsLiveIT extends WithMadeNamespaces {

    /**
     * The host's namespaces (most of them not the test's): a live host has processes coming and going between the
     * lsns run and nsscope's scan, so the sets are compared through the processes that lived all along. The
     * processes of the host are read before lsns runs and again after nsscope answers; a process present in both
     * reads (same PID and start time) with the same namespace link in both was in that namespace during both
     * reads, so the namespace must be in both lists. A namespace listed by only one of them may only be one
     * without such a process (all its processes came or went in between). The lsns process itself is such a
     * transient process: it is exec'd directly by the JVM (no shell), so it is the only process lsns adds, it is
     * in the JVM's namespaces, and it is counted in their NPROCS, which is checked. Where both name the same
     * lowest process and that process did not change between the two reads, every field but NPROCS must agree.
     */
    @Test
    void hostNamespacesAgreeWithLsns() {
        compareOnTheLiveHost(LiveHost.TYPES, List.of(), "");
    }

    /** The same with a type filter: {@code ?type=pid&type=time} against {@code lsns -t pid -t time}. */
    @Test
    void typeFilterAgreesWithLsnsT() {
        List<String> types = LiveHost.kernelHas("time") ? List.of("pid", "time") : List.of("pid", "mnt");
        compareOnTheLiveHost(
                types,
                types.stream().flatMap(t -> Stream.of("-t", t)).toList(),
                types.stream().map(t -> "type=" + t + "&").collect(Collectors.joining()));
    }

    /**
     * {@code lsns -J -l --output-all <lsnsFilter>} against {@code GET /namespaces?<query>refresh=true} on the live
     * host, as explained on {@link #hostNamespacesAgreeWithLsns()}: namespaces of these types only.
     */
    private void compareOnTheLiveHost(List<String> types, List<String> lsnsFilter, String query) {
        Map<Integer, Proc> before = LiveHost.readAll();
        List<String> lsnsArgs = new ArrayList<>(List.of("-J", "-l", "--output-all"));
        lsnsArgs.addAll(lsnsFilter);
        Result lsnsRun = lsnsRun(lsnsArgs.toArray(String[]::new));
        // lsns 2.38 lists only namespaces with processes: persistent=false asks nsscope for the same
        JsonNode nsscopeAnswer =
                json(get("/namespaces?" + query + "persistent=false&refresh=true", "application/json"));
        Map<Integer, Proc> after = LiveHost.readAll();
        String what = "lsns " + String.join(" ", lsnsArgs) + " vs /namespaces?" + query + "refresh=true";

        List<JsonNode> nsscopeRows = rows(nsscopeAnswer);
        List<NsKey> order = nsscopeRows.stream().map(LsnsRows::key).toList();
        List<NsKey> sorted = new ArrayList<>(order);
        sorted.sort(Comparator.naturalOrder());
        assertEquals(sorted, order, "nsscope's namespaces are not sorted by ns");
        assertEquals(order.size(), new HashSet<>(order).size(), "nsscope lists a namespace twice");

        Map<NsKey, JsonNode> lsns = index(json(lsnsRun.out()));
        Map<NsKey, JsonNode> nsscope = index(nsscopeAnswer);
        Map<NsKey, Set<Integer>> stable = livedAllAlong(before, after);
        stable.keySet().removeIf(key -> !types.contains(key.type()));
        Map<Integer, Proc> unchanged = LiveHost.unchanged(before, after);
        assertTrue(
                stable.keySet()
                        .containsAll(made.created.keySet().stream()
                                .filter(k -> types.contains(k.type()))
                                .toList()),
                "the test's processes did not live all along");

        List<String> problems = new ArrayList<>();
        for (NsKey key : nsscope.keySet()) {
            if (!types.contains(key.type())) {
                problems.add(key + ": listed by nsscope, not of the types " + types);
            }
        }
        for (Map.Entry<NsKey, Set<Integer>> e : stable.entrySet()) {
            NsKey key = e.getKey();
            if (!lsns.containsKey(key)) {
                problems.add(key + ": not listed by lsns though its processes " + e.getValue() + " lived all along");
            }
            if (!nsscope.containsKey(key)) {
                problems.add(key + ": not listed by nsscope though its processes " + e.getValue() + " lived all along");
            }
        }
        Set<NsKey> both = new TreeSet<>(lsns.keySet());
        both.retainAll(nsscope.keySet());
        int transientOnlyLsns = 0;
        int transientOnlyNsscope = 0;
        for (NsKey key : lsns.keySet()) {
            if (!nsscope.containsKey(key) && !stable.containsKey(key)) {
                transientOnlyLsns++;
            }
        }
        for (NsKey key : nsscope.keySet()) {
            if (!lsns.containsKey(key) && !stable.containsKey(key)) {
                transientOnlyNsscope++;
            }
        }
        int compared = 0;
        int lowestDiffers = 0;
        int lowestChanged = 0;
        for (NsKey key : both) {
            JsonNode l = lsns.get(key);
            JsonNode n = nsscope.get(key);
            Set<Integer> lived = stable.getOrDefault(key, Set.of());
            int lPid = l.get("pid").asInt();
            int nPid = n.get("pid").asInt();
            if (lPid != nPid) {
                lowestDiffers++;
                int lower = Math.min(lPid, nPid);
                if (lived.contains(lower)) {
                    problems.add(key + ": lowest PID lsns=" + lPid + " nsscope=" + nPid + ", though " + lower
                            + " was in it all along");
                }
            } else if (lived.contains(lPid) && unchanged.containsKey(lPid)) {
                compared++;
                compareFields(key.toString(), l, n, STABLE_FIELDS, problems);
            } else {
                lowestChanged++;
            }
            // NPROCS: at least the processes there all along; lsns also counts itself in the JVM's namespaces.
            boolean lsnsIsIn = key.ns() == made.jvmLinks.getOrDefault(key.type(), -1L);
            int atLeast = lived.size();
            if (n.get("nprocs").asInt() < atLeast) {
                problems.add(key + ": nsscope nprocs " + n.get("nprocs").asInt() + " < " + atLeast
                        + " processes in it all along " + lived);
            }
            if (l.get("nprocs").asInt() < atLeast + (lsnsIsIn ? 1 : 0)) {
                problems.add(key + ": lsns nprocs " + l.get("nprocs").asInt() + " < " + atLeast
                        + " processes in it all along"
                        + (lsnsIsIn ? " + lsns itself (PID " + lsnsRun.pid() + ")" : ""));
            }
        }
        System.out.println("[HostNamespacesLsnsLiveIT] " + what + ": lsns " + lsns.size() + " namespaces, nsscope "
                + nsscope.size()
                + ", with a process all along " + stable.size() + ", fields compared " + compared
                + " (not: lowest PID differs " + lowestDiffers + ", lowest process came, went or changed "
                + lowestChanged + ")"
                + ", transient only in lsns " + transientOnlyLsns + ", only in nsscope " + transientOnlyNsscope);
        assertTrue(compared > 0, "no host namespace could be compared field by field");
        assertEquals(List.of(), problems, what + ": nsscope and lsns disagree on the host's namespaces");
    }

    /**
     * The namespaces that had a process all along, with those processes: present in both reads (same PID and start
     * time) with the same link in both, so in that namespace at any moment in between.
     */
    private static Map<NsKey, Set<Integer>> livedAllAlong(Map<Integer, Proc> before, Map<Integer, Proc> after) {
        Map<NsKey, Set<Integer>> stable = new HashMap<>();
        for (Proc b : before.values()) {
            Proc a = after.get(b.pid());
            if (!b.sameProcessAs(a)) {
                continue;
            }
            for (String type : LiveHost.TYPES) {
                Long ns = b.links().get(type);
                if (ns != null && ns.equals(a.links().get(type))) {
                    stable.computeIfAbsent(new NsKey(ns, type), k -> new TreeSet<>())
                            .add(b.pid());
                }
            }
        }
        return stable;
    }
}
