package io.nsscope.live;

import static io.nsscope.live.LsnsRows.TOOL_TIMEOUT;
import static io.nsscope.live.LsnsRows.expect;
import static io.nsscope.live.LsnsRows.json;
import static io.nsscope.live.LsnsRows.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nsscope.live.LiveHost.Proc;
import io.nsscope.live.LiveHost.Result;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /processes/{pid}/ns} against {@code readlink /proc/PID/ns/*} and the {@code NSpid} line of {@code
 * /proc/PID/status}, for every process of {@link MadeNamespaces}.
 *
 * <p>Skipped (never failed) where {@link MadeNamespaces} cannot make its namespaces: when not root, or when a tool
 * it needs is missing.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ProcessLinksLiveIT extends WithMadeNamespaces {

    /**
     * {@code GET /processes/{pid}/ns} for every process of the test: the ten links against
     * {@code readlink /proc/PID/ns/*}, {@code nspid} against the {@code NSpid} line of its status (two levels in
     * the PID namespace, {@code [hostpid, 1]} for its init), and {@code sameAsInit} false exactly on the links the
     * process was unshared on.
     */
    @Test
    void processLinksAgreeWithReadlinkAndStatus() {
        // nsscope's "init": the lowest PID whose links can all be read (PID 1 on most hosts; 2 on this VM).
        Map<String, Long> initLinks = null;
        int initPid = 0;
        for (int pid : LiveHost.pids()) {
            Optional<Map<String, Long>> links = readlink(pid);
            if (links.isPresent()) {
                initLinks = links.get();
                initPid = pid;
                break;
            }
        }
        assertNotNull(initLinks, "no process has readable ns links");
        Set<String> jvmNotInit = new TreeSet<>();
        for (String link : LiveHost.LINKS) {
            if (!made.jvmLinks.get(link).equals(initLinks.get(link))) {
                jvmNotInit.add(link);
            }
        }

        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Proc> e : made.ours.entrySet()) {
            String role = e.getKey();
            Proc p = e.getValue();
            Map<String, Long> reference = readlink(p.pid())
                    .orElseThrow(() -> new AssertionError("readlink /proc/" + p.pid() + "/ns/* failed"));
            List<Integer> statusNspid = LiveHost.nspid(p.pid());
            JsonNode answer = json(get("/processes/" + p.pid() + "/ns?refresh=true", "application/json"));
            String what = role + " (PID " + p.pid() + ")";

            expect(problems, what + " pid", p.pid(), answer.get("pid").asInt());
            expect(problems, what + " command", p.lsnsCommand(), text(answer.get("command")));
            List<Integer> nspid =
                    answer.get("nspid").values().stream().map(JsonNode::asInt).toList();
            expect(problems, what + " nspid vs NSpid of status", statusNspid, nspid);
            if (made.unsharedLinks.get(role).contains("pid")) {
                expect(problems, what + " NSpid levels", 2, statusNspid.size());
                if (role.equals("pidmnt/init")) {
                    expect(problems, what + " nspid of the namespace's init", List.of(p.pid(), 1), nspid);
                }
            } else {
                expect(problems, what + " NSpid", List.of(p.pid()), statusNspid);
            }

            List<JsonNode> links = new ArrayList<>(answer.get("namespaces").values());
            expect(
                    problems,
                    what + " link names",
                    LiveHost.LINKS,
                    links.stream().map(l -> text(l.get("name"))).toList());
            Set<String> notInit = new TreeSet<>();
            for (JsonNode link : links) {
                String name = text(link.get("name"));
                expect(problems, what + " " + name + " type", LiveHost.typeOf(name), text(link.get("type")));
                expect(
                        problems,
                        what + " " + name + " ns vs readlink",
                        reference.get(name),
                        link.get("ns").isNull() ? null : link.get("ns").asLong());
                expect(
                        problems,
                        what + " " + name + " path",
                        "/proc/" + p.pid() + "/ns/" + name,
                        text(link.get("path")));
                boolean same =
                        reference.get(name) != null && reference.get(name).equals(initLinks.get(name));
                expect(
                        problems,
                        what + " " + name + " sameAsInit (init is PID " + initPid + ")",
                        same,
                        link.get("sameAsInit").isNull()
                                ? null
                                : link.get("sameAsInit").asBoolean());
                if (link.get("sameAsInit").isBoolean()
                        && !link.get("sameAsInit").asBoolean()) {
                    notInit.add(name);
                }
            }
            Set<String> expectedNotInit = new TreeSet<>(made.unsharedLinks.get(role));
            expectedNotInit.addAll(jvmNotInit);
            expect(problems, what + " links not init's", expectedNotInit, notInit);
        }
        assertEquals(List.of(), problems, "nsscope /processes/{pid}/ns disagrees with readlink and status");
    }

    /** The links of /proc/PID/ns as {@code readlink(1)} prints them, or empty if it cannot read them all. */
    private static Optional<Map<String, Long>> readlink(int pid) {
        List<String> argv = new ArrayList<>();
        argv.add(LiveHost.tool("readlink").orElseThrow().toString());
        for (String link : LiveHost.LINKS) {
            argv.add("/proc/" + pid + "/ns/" + link);
        }
        Result r = LiveHost.run(TOOL_TIMEOUT, argv.toArray(String[]::new));
        List<String> lines = r.out().lines().toList();
        if (r.exit() != 0 || lines.size() != LiveHost.LINKS.size()) {
            return Optional.empty();
        }
        Map<String, Long> links = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String name = LiveHost.LINKS.get(i);
            assertTrue(lines.get(i).startsWith(LiveHost.typeOf(name) + ":["), "readlink " + name + ": " + lines.get(i));
            links.put(name, LiveHost.inodeOf(lines.get(i)));
        }
        return Optional.of(links);
    }
}
