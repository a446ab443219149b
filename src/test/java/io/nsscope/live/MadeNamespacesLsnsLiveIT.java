package io.nsscope.live;

import static io.nsscope.live.LsnsRows.FIELDS;
import static io.nsscope.live.LsnsRows.STABLE_FIELDS;
import static io.nsscope.live.LsnsRows.TOOL_TIMEOUT;
import static io.nsscope.live.LsnsRows.compareFields;
import static io.nsscope.live.LsnsRows.expect;
import static io.nsscope.live.LsnsRows.index;
import static io.nsscope.live.LsnsRows.json;
import static io.nsscope.live.LsnsRows.key;
import static io.nsscope.live.LsnsRows.lsns;
import static io.nsscope.live.LsnsRows.rows;
import static io.nsscope.live.LsnsRows.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.nsscope.live.LiveHost.Proc;
import io.nsscope.live.LiveHost.Result;
import io.nsscope.live.LsnsRows.NsKey;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import tools.jackson.databind.JsonNode;

/**
 * {@code lsns} against nsscope for the namespaces of every type that {@link MadeNamespaces} makes: {@code GET
 * /namespaces} against {@code lsns -J -l --output-all}, {@code ?pid=} against {@code lsns -p}, {@code
 * /namespaces/{ns}} against {@code lsns NS}, field by field, each taken with {@code ?refresh=true} right after the
 * reference tool ran; and lsns counting itself where it runs.
 *
 * <p>Skipped (never failed) where {@link MadeNamespaces} cannot make its namespaces: when not root, or when a tool
 * it needs is missing.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class MadeNamespacesLsnsLiveIT extends WithMadeNamespaces {

    /** Every namespace type was made and compared (skipped where the kernel or a tool lacks one). */
    @Test
    void everyNamespaceTypeIsExercised() {
        assumeTrue(made.notExercised.isEmpty(), "not exercised here: " + made.notExercised);
        assertEquals(
                new TreeSet<>(LiveHost.TYPES),
                made.created.keySet().stream().map(NsKey::type).collect(Collectors.toCollection(TreeSet::new)));
        // pidmnt: mnt + pid; net, uts, ipc, user, cgroup, time: one each; ip netns exec: net + mnt.
        assertEquals(10, made.created.size(), "namespaces made: " + made.created.keySet());
    }

    /**
     * {@code GET /namespaces?refresh=true} right after {@code lsns -J -l --output-all}: every namespace the test made
     * is in both, with every field equal, and as the test made it (its processes, no one else's).
     */
    @Test
    void namespacesTheTestMadeAgreeWithLsns() {
        assertFalse(made.created.isEmpty());
        Map<NsKey, JsonNode> lsns = index(lsns("-J", "-l", "--output-all"));
        Map<NsKey, JsonNode> nsscope = index(json(get("/namespaces?refresh=true", "application/json")));

        List<String> problems = new ArrayList<>();
        for (Map.Entry<NsKey, TreeSet<Integer>> e : made.created.entrySet()) {
            NsKey key = e.getKey();
            JsonNode l = lsns.get(key);
            JsonNode n = nsscope.get(key);
            if (l == null || n == null) {
                problems.add(key + ": " + (l == null ? "not listed by lsns " : "")
                        + (n == null ? "not listed by nsscope" : ""));
                continue;
            }
            compareFields(key.toString(), l, n, FIELDS, problems);
            // As made: exactly the test's processes, the lowest PID first.
            TreeSet<Integer> members = e.getValue();
            expect(
                    problems,
                    key + " lsns nprocs",
                    members.size(),
                    l.get("nprocs").asInt());
            expect(problems, key + " lsns pid", members.first(), l.get("pid").asInt());
            expect(problems, key + " lsns path", "/proc/" + members.first() + "/ns/" + key.type(), text(l.get("path")));
        }
        assertEquals(List.of(), problems, "nsscope and lsns disagree on the namespaces the test made");
    }

    /**
     * {@code GET /namespaces?pid=PID} against {@code lsns -p PID}: the same eight namespaces in the same order, the
     * test's own namespaces equal in every field, the host's ones in every field but NPROCS when they name the same
     * lowest process (their process counts move with the host).
     */
    @Test
    void pidFilterAgreesWithLsnsP() {
        List<String> problems = new ArrayList<>();
        int checked = 0;
        Map<Integer, Proc> before = LiveHost.readAll();
        Map<Integer, List<JsonNode[]>> hostRowsByPid = new HashMap<>();
        for (String role : List.of("pidmnt/init", "pidmnt/unshare", "netns", "time/child", "user", "cgroup")) {
            Proc p = made.ours.get(role);
            if (p == null) {
                continue;
            }
            checked++;
            List<JsonNode> l = rows(lsns("-J", "-l", "--output-all", "-p", Integer.toString(p.pid())));
            List<JsonNode> n = rows(json(get("/namespaces?pid=" + p.pid() + "&refresh=true", "application/json")));
            List<NsKey> lKeys = l.stream().map(LsnsRows::key).toList();
            List<NsKey> nKeys = n.stream().map(LsnsRows::key).toList();
            if (!lKeys.equals(nKeys)) {
                problems.add(
                        role + " (PID " + p.pid() + "): lsns -p lists " + lKeys + ", nsscope ?pid= lists " + nKeys);
                continue;
            }
            expect(
                    problems,
                    role + " number of namespaces",
                    (int) LiveHost.TYPES.stream().filter(LiveHost::kernelHas).count(),
                    nKeys.size());
            for (int i = 0; i < l.size(); i++) {
                NsKey key = lKeys.get(i);
                if (made.created.containsKey(key)) {
                    compareFields(role + " " + key, l.get(i), n.get(i), FIELDS, problems);
                } else if (l.get(i).get("pid").asInt() == n.get(i).get("pid").asInt()) {
                    hostRowsByPid
                            .computeIfAbsent(l.get(i).get("pid").asInt(), k -> new ArrayList<>())
                            .add(new JsonNode[] {l.get(i), n.get(i)});
                }
            }
        }
        // The host's rows name the same lowest process in both: compared when it did not change meanwhile.
        Map<Integer, Proc> unchanged = LiveHost.unchanged(before, LiveHost.readAll());
        hostRowsByPid.forEach((pid, pairs) -> {
            if (unchanged.containsKey(pid)) {
                for (JsonNode[] pair : pairs) {
                    compareFields("host " + key(pair[0]), pair[0], pair[1], STABLE_FIELDS, problems);
                }
            }
        });
        assertTrue(checked > 0);
        assertEquals(List.of(), problems, "nsscope ?pid= and lsns -p disagree");
    }

    /**
     * lsns counts the processes it sees, itself included. Run inside the test's UTS namespace (with
     * {@code nsenter}, which execs it: no extra process), lsns finds exactly the test's process and itself there,
     * while nsscope, which starts no process, finds the test's process alone: lsns's NPROCS is nsscope's plus one,
     * and its PID the lower of the two.
     */
    @Test
    void lsnsCountsItselfWhereItRuns() {
        Optional<Path> nsenter = LiveHost.tool("nsenter");
        assumeTrue(nsenter.isPresent(), "nsenter is not installed");
        Proc uts = made.ours.get("uts");
        assertNotNull(uts);
        NsKey key = new NsKey(uts.links().get("uts"), "uts");
        Result run = LiveHost.run(
                        TOOL_TIMEOUT,
                        nsenter.get().toString(),
                        "-t",
                        Integer.toString(uts.pid()),
                        "-u",
                        LiveHost.tool("lsns").orElseThrow().toString(),
                        "-J",
                        "-l",
                        "--output-all",
                        "-t",
                        "uts")
                .requireSuccess();
        JsonNode l = index(json(run.out())).get(key);
        JsonNode n = index(json(get("/namespaces?type=uts&refresh=true", "application/json")))
                .get(key);
        assertNotNull(l, "lsns run in " + key + " does not list it");
        assertNotNull(n, "nsscope does not list " + key);
        int lowest = (int) Math.min(uts.pid(), run.pid());
        List<String> problems = new ArrayList<>();
        expect(problems, "lsns nprocs (the sleep and lsns)", 2, l.get("nprocs").asInt());
        expect(problems, "nsscope nprocs (the sleep)", 1, n.get("nprocs").asInt());
        expect(problems, "lsns pid", lowest, l.get("pid").asInt());
        expect(problems, "nsscope pid", uts.pid(), n.get("pid").asInt());
        if (lowest == uts.pid()) {
            compareFields(key.toString(), l, n, STABLE_FIELDS, problems);
        }
        assertEquals(List.of(), problems, "lsns run inside " + key + " vs nsscope");
    }

    /**
     * {@code GET /namespaces/{ns}} against {@code lsns NS} (its processes) and the row of
     * {@code lsns -J -l --output-all}, for every namespace the test made.
     */
    @Test
    void namespaceDetailAgreesWithLsns() {
        assertFalse(made.created.isEmpty());
        List<String> problems = new ArrayList<>();
        Map<NsKey, JsonNode> lsnsRows = index(lsns("-J", "-l", "--output-all"));
        for (Map.Entry<NsKey, TreeSet<Integer>> e : made.created.entrySet()) {
            NsKey key = e.getKey();
            JsonNode row = lsnsRows.get(key);
            List<JsonNode> lsnsProcs =
                    rows(lsns("-J", "-l", "-o", "PID,PPID,UID,USER,COMMAND", Long.toString(key.ns())));
            JsonNode detail = json(get("/namespaces/" + key.ns() + "?refresh=true", "application/json"));
            if (row == null) {
                problems.add(key + ": not listed by lsns");
                continue;
            }
            compareFields(key.toString(), row, detail, FIELDS, problems);
            List<JsonNode> nsscopeProcs =
                    new ArrayList<>(detail.get("processes").values());
            List<Integer> nsscopePids =
                    nsscopeProcs.stream().map(p -> p.get("pid").asInt()).toList();
            expect(problems, key + " processes (as made, ascending)", List.copyOf(e.getValue()), nsscopePids);
            lsnsProcs.sort(Comparator.comparingInt(p -> p.get("pid").asInt()));
            if (lsnsProcs.size() != nsscopeProcs.size()) {
                problems.add(
                        key + ": lsns NS lists " + lsnsProcs.size() + " processes, nsscope " + nsscopeProcs.size());
                continue;
            }
            for (int i = 0; i < lsnsProcs.size(); i++) {
                compareFields(
                        key + " process " + lsnsProcs.get(i).get("pid"),
                        lsnsProcs.get(i),
                        nsscopeProcs.get(i),
                        List.of("pid", "ppid", "uid", "user", "command"),
                        problems);
            }
        }
        assertEquals(List.of(), problems, "nsscope /namespaces/{ns} and lsns NS disagree");
    }
}
