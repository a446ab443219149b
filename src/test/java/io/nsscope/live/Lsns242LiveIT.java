package io.nsscope.live;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * nsscope against util-linux's {@code lsns} 2.42.2 on the live kernel, as root, with every discovery source on (the
 * defaults) and the situations of util-linux's own {@code tests/ts/lsns/} set up ({@link LsnsScenarios}): a net
 * namespace held by a descriptor opened as a regular file on its bind mount, one held only by sockets, a user
 * namespace held by a descriptor, a bind-mounted net namespace with an ID, one bind-mounted twice, a veth peer's
 * namespace, user and pid namespaces nested three deep, a ghost, a bind mount in another mount namespace and a loose
 * thread.
 *
 * <p>Every row lsns prints must be nsscope's too, equal on every column but PATH (lsns's 0 and "" are nsscope's null,
 * NSFS a set of paths, and NPROCS one more for lsns in the namespaces it runs in: it counts itself); every row nsscope
 * has more must be one lsns cannot see: a ghost above a namespace with processes (which {@code lsns --tree} lists),
 * a namespace held only by a thread or by a bind mount in another mount namespace. Host namespaces whose processes
 * changed between the two nsscope reads around lsns are compared on their columns but not their process counts.
 *
 * <p>Skipped when not root, or when {@code ../shared/tools/util-linux-2.42.2/} (lsns, test_mkfds) or ip, unshare or
 * nsenter is absent.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"nsscope.scan.interval=1h", "nsscope.scan.refresh-min-interval=0s"})
class Lsns242LiveIT {

    @TempDir
    static Path tmp;

    static String skip;
    static LsnsScenarios scenarios;
    static long hostUser;
    static long hostPid;

    @LocalServerPort
    int port;

    @BeforeAll
    static void makeScenarios() throws Exception {
        skip = !LiveHost.isRoot() ? "not root: making namespaces needs root" : Lsns242.missing();
        for (String tool : List.of("ip", "unshare", "nsenter", "mount", "umount")) {
            if (skip == null && LiveHost.tool(tool).isEmpty()) {
                skip = tool + " is not installed";
            }
        }
        if (skip != null) {
            return;
        }
        LiveHost.Proc self = LiveHost.read((int) ProcessHandle.current().pid()).orElseThrow();
        hostUser = self.links().get("user");
        hostPid = self.links().get("pid");
        scenarios = new LsnsScenarios(tmp).makeAll();
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (scenarios != null) {
            scenarios.close();
            assertThat(LsnsScenarios.leftovers())
                    .as("processes of run " + LsnsScenarios.RUN)
                    .isEmpty();
        }
    }

    @BeforeEach
    void requirements() {
        assumeTrue(skip == null, () -> "skipped: " + skip);
    }

    private JsonNode get(String path) {
        return Lsns242.parse(
                given().port(port).get(path).then().statusCode(200).extract().asString());
    }

    private String text(String path) {
        return given().port(port)
                .accept("text/plain")
                .get(path)
                .then()
                .statusCode(200)
                .extract()
                .asString();
    }

    private long made(String name) {
        return scenarios.made.get(name);
    }

    @Test
    void everyNamespaceAgreesWithLsnsJsonOutputAll() {
        JsonNode before = get("/namespaces?refresh=true");
        JsonNode lsns = Lsns242.json("-J", "-W", "--output-all");
        JsonNode after = get("/namespaces?refresh=true");
        Map<Long, JsonNode> tree = Lsns242.rows(Lsns242.json("-J", "-W", "--output-all", "--tree=owner"));
        List<String> problems = compare(Lsns242.rows(lsns), Lsns242.rows(before), Lsns242.rows(after), tree);
        assertThat(problems).isEmpty();
        assertThat(Lsns242.rows(before).keySet()).containsAll(scenarios.made.values());
    }

    @Test
    void persistentAgreesWithLsnsP() {
        JsonNode ours = get("/namespaces?persistent=true&refresh=true");
        JsonNode lsns = Lsns242.json("-J", "-W", "--output-all", "-P");
        Map<Long, JsonNode> tree = Lsns242.rows(Lsns242.json("-J", "-W", "--output-all", "--tree=owner"));
        Map<Long, JsonNode> rows = Lsns242.rows(ours);
        assertThat(compare(Lsns242.rows(lsns), rows, rows, tree)).isEmpty();
        assertThat(rows.keySet())
                .contains(
                        made("filedesc"),
                        made("userns.fd"),
                        made("socket"),
                        made("netnsid-persistent"),
                        made("ghost"),
                        made("mount.other"),
                        made("loose"))
                .doesNotContain(made("nsfs"), made("deep.user.3"));
    }

    /** The rows of lsns agree with nsscope's; nsscope's others are what lsns cannot see. */
    private List<String> compare(
            Map<Long, JsonNode> theirs,
            Map<Long, JsonNode> ours,
            Map<Long, JsonNode> oursAfter,
            Map<Long, JsonNode> lsnsTree) {
        Set<Long> own = Lsns242.ownNamespaces();
        List<String> problems = new ArrayList<>();
        theirs.forEach((ns, t) -> {
            JsonNode o = ours.get(ns);
            JsonNode o2 = oursAfter.get(ns);
            if (o == null || o2 == null) {
                if (!scenarios.made.containsValue(ns) && (o != null || o2 != null)) {
                    return; // a host namespace that came or went around lsns
                }
                problems.add(t.get("type").asString() + ":[" + ns + "] listed by lsns, not by nsscope");
                return;
            }
            boolean stable =
                    o.get("nprocs").equals(o2.get("nprocs")) && o.get("pid").equals(o2.get("pid"));
            List<String> fields = stable
                    ? Lsns242.FIELDS
                    : Lsns242.FIELDS.stream()
                            .filter(f -> !Set.of("nprocs", "pid", "ppid", "command", "uid", "user")
                                    .contains(f))
                            .toList();
            problems.addAll(Lsns242.differences(ns, t, o, fields, own.contains(ns) ? 1 : 0));
        });
        ours.forEach((ns, o) -> {
            if (theirs.containsKey(ns) || !oursAfter.containsKey(ns)) {
                return;
            }
            if (o.get("ghost").asBoolean() && lsnsTree.containsKey(ns)) {
                problems.addAll(Lsns242.differences(ns, lsnsTree.get(ns), o, Lsns242.FIELDS, 0));
            } else if (!onlyNsscopeSees(o, own)) {
                problems.add(o.get("type").asString() + ":[" + ns + "] listed by nsscope, not by lsns: " + o);
            }
        });
        return problems;
    }

    /** Held only by what lsns does not read: threads, or bind mounts outside its mount namespace. */
    private static boolean onlyNsscopeSees(JsonNode row, Set<Long> lsnsNamespaces) {
        if (row.get("nprocs").asInt() != 0) {
            return false;
        }
        for (JsonNode h : row.get("holders").values()) {
            if (!h.get("kind").asString().equals("mount")
                    || lsnsNamespaces.contains(h.get("mountNamespace").asLong())) {
                return false;
            }
        }
        return !row.get("holders").isEmpty() || !row.get("looseThreads").isEmpty();
    }

    @Test
    void aBindMountInAnotherMountNamespaceAgreesWithLsnsRunThere() {
        long ns = made("mount.other");
        long pid = Long.parseLong(scenarios.facts.get("mount.pid"));
        JsonNode ours = Lsns242.rows(get("/namespaces?type=uts&refresh=true")).get(ns);
        JsonNode theirs = Lsns242.rows(Lsns242.jsonInMountNamespaceOf(pid, "-J", "-W", "--output-all"))
                .get(ns);
        assertThat(theirs).as("lsns in that mount namespace lists it").isNotNull();
        assertThat(Lsns242.differences(
                        ns,
                        theirs,
                        ours,
                        Lsns242.FIELDS.stream().filter(f -> !f.equals("nsfs")).toList(),
                        0))
                .isEmpty();
        assertThat(theirs.get("nsfs").asString()).isEqualTo(scenarios.facts.get("mount.path"));
        JsonNode holder = ours.get("holders").get(0);
        assertThat(holder.get("kind").asString()).isEqualTo("mount");
        assertThat(holder.get("path").asString()).isEqualTo(scenarios.facts.get("mount.path"));
        assertThat(ours.get("nsfs").isNull())
                .as("NSFS is the host mount namespace's")
                .isTrue();
    }

    @Test
    void theSituationsOfUtilLinuxsOwnTestsAnswerAsThereExpected() {
        Map<Long, JsonNode> rows = Lsns242.rows(get("/namespaces?refresh=true"));
        // filedesc: TYPE,NPROCS,USER of the namespace a regular-file descriptor holds is "net 0 root"
        assertRow(rows.get(made("filedesc")), "net", 0, "root");
        assertThat(rows.get(made("filedesc")).get("holders").get(0).get("pid").asLong())
                .isEqualTo(Long.parseLong(scenarios.facts.get("filedesc.pid")));
        // filter: NS == <its user namespace> && NPROCS == 1 gives test_mkfds's PID
        assertThat(rows.get(made("userns.process")).get("nprocs").asInt()).isEqualTo(1);
        assertThat(rows.get(made("userns.process")).get("pid").asString()).isEqualTo(scenarios.facts.get("userns.pid"));
        // ioctl_ns: NS,PNS,ONS of the child user namespace, then of the child pid namespace
        assertThat(nsPnsOns(rows, made("ioctl.user"))).containsExactly(made("ioctl.user"), hostUser, hostUser);
        assertThat(nsPnsOns(rows, made("ioctl.pid"))).containsExactly(made("ioctl.pid"), hostPid, made("ioctl.user"));
        // netns-from-sock: net, 0 processes, no PID, root, no COMMAND
        JsonNode socket = rows.get(made("socket"));
        assertRow(socket, "net", 0, "root");
        assertThat(socket.get("pid").isNull() && socket.get("command").isNull()).isTrue();
        assertThat(socket.get("netnsid").asString()).isEqualTo("unassigned");
        assertThat(socket.get("ons").asLong()).isEqualTo(hostUser);
        // netnsid: as ip-link shows the veth's peer namespace
        assertThat(rows.get(made("veth")).get("netnsid").asString()).isEqualTo(scenarios.facts.get("veth.netnsid"));
        // netnsid-for-persistent-namespaces: NETNSID, TYPE, NSFS of a namespace without processes
        JsonNode persistent = rows.get(made("netnsid-persistent"));
        assertThat(persistent.get("netnsid").asString()).isEqualTo(scenarios.facts.get("netnsid-persistent.id"));
        assertThat(persistent.get("nsfs").asString()).isEqualTo(scenarios.facts.get("netnsid-persistent.path"));
        // nsfs: both bind mounts, one a line (lsns -W: comma-joined)
        assertThat(rows.get(made("nsfs")).get("nsfs").asString())
                .isEqualTo(scenarios.facts.get("nsfs.paths").replace(',', '\n'));
        assertThat(Lsns242.run("-n", "-W", "-o", "NSFS", "-t", "net", Long.toString(made("nsfs")))
                        .lines()
                        .map(String::strip)
                        .distinct()
                        .toList())
                .containsExactly(scenarios.facts.get("nsfs.paths"));
    }

    private static void assertRow(JsonNode row, String type, int nprocs, String user) {
        assertThat(row.get("type").asString() + " " + row.get("nprocs").asInt() + " "
                        + row.get("user").asString())
                .isEqualTo(type + " " + nprocs + " " + user);
    }

    private static List<Long> nsPnsOns(Map<Long, JsonNode> rows, long ns) {
        JsonNode row = rows.get(ns);
        return List.of(
                row.get("ns").asLong(), row.get("pns").asLong(), row.get("ons").asLong());
    }

    @Test
    void namespacesNestedThreeDeepAndTheGhost() {
        Map<Long, JsonNode> rows = Lsns242.rows(get("/namespaces?refresh=true"));
        long[] users = {hostUser, made("deep.user.1"), made("deep.user.2"), made("deep.user.3")};
        long[] pids = {hostPid, made("deep.pid.1"), made("deep.pid.2"), made("deep.pid.3")};
        for (int level = 1; level <= 3; level++) {
            assertThat(nsPnsOns(rows, users[level])).containsExactly(users[level], users[level - 1], users[level - 1]);
            assertThat(nsPnsOns(rows, pids[level])).containsExactly(pids[level], pids[level - 1], users[level]);
        }
        assertThat(rows.get(made("deep.net.3")).get("ons").asLong()).isEqualTo(users[3]);
        Map<Long, Long> byParent =
                Lsns242.treeParents(get("/trees/user?by=parent").get("roots"), "children");
        Map<Long, Long> byOwner = Lsns242.treeParents(get("/trees/net?by=owner").get("roots"), "children");
        for (int level = 1; level <= 3; level++) {
            assertThat(byParent.get(users[level])).isEqualTo(users[level - 1]);
            assertThat(byOwner.get(users[level])).isEqualTo(users[level - 1]);
        }
        assertThat(byOwner.get(made("deep.net.3"))).isEqualTo(users[3]);
        JsonNode ghost = rows.get(made("ghost"));
        assertThat(ghost.get("ghost").asBoolean()).isTrue();
        assertRow(ghost, "user", 0, "root");
        assertThat(nsPnsOns(rows, made("ghost"))).containsExactly(made("ghost"), hostUser, hostUser);
        assertThat(byParent.get(made("ghost.child"))).isEqualTo(made("ghost"));
    }

    @Test
    void treesByParentAndByOwnerNestAsLsnsTreeDoes() {
        get("/namespaces?refresh=true");
        Map<Long, Long> owner = Lsns242.treeParents(
                Lsns242.json("-J", "--tree=owner", "-o", "NS,TYPE").get("namespaces"), "children");
        Map<Long, String> types = new HashMap<>();
        Lsns242.rows(Lsns242.json("-J", "--tree=owner", "-o", "NS,TYPE"))
                .forEach((ns, row) -> types.put(ns, row.get("type").asString()));
        List<String> problems = new ArrayList<>();
        for (String type : LiveHost.TYPES) {
            if (!LiveHost.kernelHas(type)) {
                continue;
            }
            Map<Long, Long> theirs = Lsns242.treeParents(
                    Lsns242.json("-J", "--tree=parent", "-t", type, "-o", "NS").get("namespaces"), "children");
            Map<Long, Long> ours =
                    Lsns242.treeParents(get("/trees/" + type + "?by=parent").get("roots"), "children");
            theirs.forEach((ns, parent) -> {
                if (!parent.equals(ours.get(ns))) {
                    problems.add(
                            "by=parent " + type + ":[" + ns + "]: lsns under " + parent + ", nsscope " + ours.get(ns));
                }
            });
            Map<Long, Long> oursByOwner =
                    Lsns242.treeParents(get("/trees/" + type + "?by=owner").get("roots"), "children");
            owner.forEach((ns, parent) -> {
                if (type.equals(types.get(ns)) && !parent.equals(oursByOwner.get(ns))) {
                    problems.add("by=owner " + type + ":[" + ns + "]: lsns under " + parent + ", nsscope "
                            + oursByOwner.get(ns));
                }
            });
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void theTextTableHasLsns242sColumns() {
        String ours = text("/namespaces?type=net&refresh=true");
        String theirs = Lsns242.run("-t", "net");
        assertThat(tokens(ours.lines().findFirst().orElseThrow()))
                .isEqualTo(tokens(theirs.lines().findFirst().orElseThrow()))
                .containsExactly("NS", "TYPE", "NPROCS", "PID", "USER", "NETNSID", "NSFS", "COMMAND");
        String ns = Long.toString(made("nsfs"));
        assertThat(linesOf(ours, ns)).isEqualTo(linesOf(theirs, ns)).hasSize(2);
        String tree = text("/trees/pid?by=parent&refresh=true");
        assertThat(tokens(tree.lines().findFirst().orElseThrow()))
                .isEqualTo(tokens(Lsns242.run("--tree=parent", "-t", "pid")
                        .lines()
                        .findFirst()
                        .orElseThrow()));
    }

    private static List<String> tokens(String line) {
        return List.of(line.strip().split("\\s+"));
    }

    /** The row of a namespace and its continuation line (the second NSFS path), as words. */
    private static List<List<String>> linesOf(String table, String ns) {
        List<String> lines = table.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(ns + " ")) {
                return List.of(tokens(lines.get(i)), tokens(lines.get(i + 1)));
            }
        }
        throw new AssertionError(ns + " not in\n" + table);
    }
}
