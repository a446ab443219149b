package io.nsscope.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.nsscope.namespace.NamespaceLink;
import io.nsscope.namespace.NamespaceType;
import io.nsscope.process.ProcessInfo;
import io.nsscope.procfs.ProcFs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link Relations}: each namespace's parent ({@code NS_GET_PARENT}), owner ({@code NS_GET_USERNS}) and owner UID
 * ({@code NS_GET_OWNER_UID}), which lsns 2.42 shows as PNS, ONS and (for a user namespace) its UID, with 0 where the
 * kernel gives no answer (nsscope: null).
 *
 * <p>The procfs is a fixture tree in a temporary directory, but the nsfs ioctls need real namespace files: a fixture
 * process's {@code ns/TYPE} link points at {@code /proc/PID/ns/TYPE} of a real process (this JVM, or a process of
 * the test in new user namespaces, which a non-root user may make where the kernel allows unprivileged user
 * namespaces; that test is skipped otherwise). A fixture process whose links dangle, as the checked-in fixture's do,
 * stands for a process that exited. No root needed.
 */
class RelationsTest {

    private static final int JVM = 100;
    private static final int NESTED = 200;
    private static final long JVM_START = 1111;
    private static final long NESTED_START = 2222;

    @TempDir
    Path proc;

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        for (Process p : started) {
            p.destroyForcibly();
            assertThat(p.waitFor(10, TimeUnit.SECONDS))
                    .as("the test's process ends")
                    .isTrue();
        }
    }

    @Test
    void everyNamespaceOfTheJvmIsOwnedByItsUserNamespaceAndOnlyPidAndUserHaveParents() throws IOException {
        Map<NamespaceType, Long> jvm =
                fixtureProcess(JVM, ProcessHandle.current().pid());

        Relations relations = resolve(process(JVM, JVM_START, jvm));

        long userNs = jvm.get(NamespaceType.USER);
        for (NamespaceType type : NamespaceType.values()) {
            Relations.Relation r = relations.of(jvm.get(type));
            if (type != NamespaceType.USER) {
                assertThat(r.owner()).as(type + " owner (ONS)").isEqualTo(userNs);
                assertThat(r.ownerUid())
                        .as(type + ": only a user namespace has an owner UID")
                        .isNull();
            }
            if (type != NamespaceType.PID && type != NamespaceType.USER) {
                assertThat(r.parent()).as(type + ": no hierarchy, no PNS").isNull();
            }
        }
        Relations.Relation user = relations.of(userNs);
        // A user namespace's parent is its owner: both ioctls answer the same (or both refuse, for the initial one).
        assertThat(user.parent()).as("user PNS = ONS").isEqualTo(user.owner());
        assertThat(user.ownerUid()).as("the user namespace's owner UID").isNotNull();
        if (initialUserNamespace()) {
            assertThat(user.owner())
                    .as("the initial user namespace has no owner (lsns: 0)")
                    .isNull();
            assertThat(user.ownerUid())
                    .as("the initial user namespace belongs to root")
                    .isZero();
        }
        if (initialPidNamespace()) {
            assertThat(relations.of(jvm.get(NamespaceType.PID)).parent())
                    .as("the initial PID namespace: no parent")
                    .isNull();
        }
        assertThat(relations.ghosts())
                .as("nothing above the JVM's namespaces that the JVM is not in")
                .isEmpty();
        assertThat(relations.netnsidsUnasked())
                .as("the JVM's net namespace was asked its ID: the next scan need not ask again")
                .isFalse();
    }

    @Test
    void aNestedUserNamespaceHasItsParentAsOwnerAndAnAncestorNoProcessHoldsIsAGhost() throws Exception {
        Map<NamespaceType, Long> jvm =
                fixtureProcess(JVM, ProcessHandle.current().pid());
        long inner = startNestedUserNamespaces();
        Map<NamespaceType, Long> nested = fixtureProcess(NESTED, inner);
        long jvmUser = jvm.get(NamespaceType.USER);
        long innerUser = nested.get(NamespaceType.USER);
        assertThat(innerUser)
                .as("the nested process is in a user namespace of its own")
                .isNotEqualTo(jvmUser);

        Relations relations = resolve(process(JVM, JVM_START, jvm), process(NESTED, NESTED_START, nested));

        Relations.Relation innerRel = relations.of(innerUser);
        Long middle = innerRel.parent();
        assertThat(middle).as("the inner user namespace's parent").isNotNull().isNotEqualTo(jvmUser);
        assertThat(innerRel.owner()).as("its owner is its parent").isEqualTo(middle);
        // unshare -r maps root inside to the test's UID outside; NS_GET_OWNER_UID answers in the caller's terms.
        int me = uid();
        assertThat(innerRel.ownerUid())
                .as("inner owner UID, as the JVM sees it")
                .isEqualTo(me);
        assertThat(relations.ghosts())
                .as("the middle user namespace: no process in it, found walking up")
                .isEqualTo(Map.of(middle, NamespaceType.USER));
        Relations.Relation middleRel = relations.of(middle);
        assertThat(middleRel.parent())
                .as("the middle's parent is the JVM's user namespace")
                .isEqualTo(jvmUser);
        assertThat(middleRel.owner()).isEqualTo(jvmUser);
        assertThat(middleRel.ownerUid()).as("middle owner UID").isEqualTo(me);
        // The nested process's other namespaces are the JVM's, owned by the JVM's user namespace.
        assertThat(relations.of(nested.get(NamespaceType.NET)).owner()).isEqualTo(jvmUser);
    }

    @Test
    void answersAndGhostsCarryOverForTheSameProcessWithoutAskingTheKernelAgain() throws Exception {
        Map<NamespaceType, Long> jvm =
                fixtureProcess(JVM, ProcessHandle.current().pid());
        Map<NamespaceType, Long> nested = fixtureProcess(NESTED, startNestedUserNamespaces());
        Relations first = resolve(process(JVM, JVM_START, jvm), process(NESTED, NESTED_START, nested));
        long innerUser = nested.get(NamespaceType.USER);
        Long middle = first.of(innerUser).parent();
        assertThat(middle).isNotNull();

        // The same processes (PID and start time) in a tree where nothing opens any more: only carrying over answers.
        ProcFs gone = danglingTree(Files.createDirectory(proc.resolve("gone")), Map.of(JVM, jvm, NESTED, nested));
        Relations again = Relations.resolve(
                gone,
                List.of(process(JVM, JVM_START, jvm), process(NESTED, NESTED_START, nested)),
                List.of(),
                List.of(),
                first);

        for (NamespaceType type : NamespaceType.values()) {
            if (type != NamespaceType.NET) { // a net namespace's ID is asked again: it may be given at any time
                assertThat(again.of(jvm.get(type))).as(type.kernelName()).isEqualTo(first.of(jvm.get(type)));
            }
        }
        assertThat(again.of(innerUser)).isEqualTo(first.of(innerUser));
        assertThat(again.ghosts()).isEqualTo(first.ghosts());
        assertThat(again.of(middle)).isEqualTo(first.of(middle));

        // Another process with the same PID (another start time) is asked anew: here, nothing opens.
        Relations reused = Relations.resolve(
                gone, List.of(process(NESTED, NESTED_START + 1, nested)), List.of(), List.of(), first);
        assertThat(reused.of(innerUser)).isEqualTo(Relations.Relation.UNKNOWN);
        assertThat(reused.ghosts()).isEmpty();
    }

    @Test
    void aProcessWhoseNamespaceFilesNoLongerOpenIsUnknownNotAnError() throws IOException {
        Map<NamespaceType, Long> ns = new EnumMap<>(NamespaceType.class);
        long inode = 4026531835L;
        for (NamespaceType type : NamespaceType.values()) {
            ns.put(type, inode++);
        }
        ProcFs fixture = danglingTree(proc, Map.of(JVM, ns));

        Relations relations =
                Relations.resolve(fixture, List.of(process(JVM, JVM_START, ns)), List.of(), List.of(), Relations.NONE);

        for (NamespaceType type : NamespaceType.values()) {
            assertThat(relations.of(ns.get(type))).as(type.kernelName()).isEqualTo(Relations.Relation.UNKNOWN);
        }
        assertThat(relations.ghosts()).isEmpty();
        assertThat(relations.netnsidsUnasked())
                .as("a namespace that no longer opens is unknown, not an ID owed")
                .isFalse();
    }

    /**
     * lsns 2.42 ({@code lsns -J -o NS,TYPE,PNS,ONS -p PID}, 0 where the kernel gives no answer) on the JVM and on the
     * nested process: the same parent and owner for every namespace it lists. Skipped where lsns 2.42 is not built.
     */
    @Test
    void parentsAndOwnersAgreeWithLsns242() throws Exception {
        Path lsns = Path.of("..", "shared", "tools", "util-linux-2.42.2", "lsns")
                .toAbsolutePath()
                .normalize();
        assumeTrue(Files.isExecutable(lsns), "lsns 2.42 is not built at " + lsns);
        Map<NamespaceType, Long> jvm =
                fixtureProcess(JVM, ProcessHandle.current().pid());
        long nestedPid = startNestedUserNamespaces();
        Map<NamespaceType, Long> nested = fixtureProcess(NESTED, nestedPid);
        Relations relations = resolve(process(JVM, JVM_START, jvm), process(NESTED, NESTED_START, nested));

        int compared = 0;
        for (long pid : new long[] {ProcessHandle.current().pid(), nestedPid}) {
            Process run = new ProcessBuilder(lsns.toString(), "-J", "-o", "NS,TYPE,PNS,ONS", "-p", Long.toString(pid))
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            String out = new String(run.getInputStream().readAllBytes());
            assertThat(run.waitFor(60, TimeUnit.SECONDS) && run.exitValue() == 0)
                    .as("lsns -p " + pid + ": " + out)
                    .isTrue();
            for (JsonNode row : JsonMapper.builder().build().readTree(out).get("namespaces")) {
                Relations.Relation r = relations.of(row.get("ns").asLong());
                String what = row.get("type").asString() + ":[" + row.get("ns").asLong() + "] of PID " + pid;
                assertThat(r.parent())
                        .as(what + " PNS")
                        .isEqualTo(zeroAsNull(row.get("pns").asLong()));
                assertThat(r.owner())
                        .as(what + " ONS")
                        .isEqualTo(zeroAsNull(row.get("ons").asLong()));
                compared++;
            }
        }
        assertThat(compared).as("namespaces lsns listed").isEqualTo(2 * NamespaceType.values().length);
    }

    private static Long zeroAsNull(long inode) {
        return inode == 0 ? null : inode;
    }

    // --- the fixture ---

    private Relations resolve(ProcessInfo... processes) {
        return Relations.resolve(new ProcFs(proc), List.of(processes), List.of(), List.of(), Relations.NONE);
    }

    /** A fixture process whose ns links point at a real process's namespace files; their inodes by type. */
    private Map<NamespaceType, Long> fixtureProcess(int pid, long realPid) throws IOException {
        Path ns = Files.createDirectories(proc.resolve(Integer.toString(pid)).resolve("ns"));
        Map<NamespaceType, Long> inodes = new EnumMap<>(NamespaceType.class);
        for (NamespaceType type : NamespaceType.values()) {
            Path real = Path.of("/proc", Long.toString(realPid), "ns", type.kernelName());
            if (Files.exists(real)) {
                Files.createSymbolicLink(ns.resolve(type.kernelName()), real);
                inodes.put(type, inodeOf(Files.readSymbolicLink(real).toString()));
            }
        }
        assumeTrue(inodes.size() == NamespaceType.values().length, "the kernel lacks a namespace type: " + inodes);
        return inodes;
    }

    /** A fixture tree whose ns links dangle ({@code type:[inode]}), as the checked-in fixture's do. */
    private static ProcFs danglingTree(Path root, Map<Integer, Map<NamespaceType, Long>> processes) throws IOException {
        for (Map.Entry<Integer, Map<NamespaceType, Long>> p : processes.entrySet()) {
            Path ns = Files.createDirectories(
                    root.resolve(Integer.toString(p.getKey())).resolve("ns"));
            for (Map.Entry<NamespaceType, Long> e : p.getValue().entrySet()) {
                Files.createSymbolicLink(
                        ns.resolve(e.getKey().kernelName()),
                        Path.of(e.getKey().kernelName() + ":[" + e.getValue() + "]"));
            }
        }
        return new ProcFs(root);
    }

    private static ProcessInfo process(int pid, long startTime, Map<NamespaceType, Long> namespaces) {
        Map<NamespaceLink, Long> links = new EnumMap<>(NamespaceLink.class);
        namespaces.forEach((type, inode) -> links.put(NamespaceLink.of(type), inode));
        return new ProcessInfo(
                pid, 1, 'S', "sleep", "sleep", 0, "root", List.of(pid), links, false, 1, false, null, startTime);
    }

    /**
     * Starts {@code sleep} two user namespaces down ({@code unshare -U -r unshare -U -r}: the middle one keeps no
     * process, as unshare execs); its host PID, once it runs sleep. Skipped where the kernel refuses.
     */
    private long startNestedUserNamespaces() throws Exception {
        Process probe = new ProcessBuilder("unshare", "-U", "-r", "true")
                .redirectErrorStream(true)
                .start();
        assumeTrue(
                probe.waitFor(10, TimeUnit.SECONDS) && probe.exitValue() == 0,
                "the kernel refuses this user a user namespace (unshare -U -r true failed): "
                        + new String(probe.getInputStream().readAllBytes()).trim());
        Process p = new ProcessBuilder("unshare", "-U", "-r", "unshare", "-U", "-r", "sleep", "600")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        started.add(p);
        Path comm = Path.of("/proc", Long.toString(p.pid()), "comm");
        await().atMost(Duration.ofSeconds(10))
                .ignoreExceptionsInstanceOf(IOException.class)
                .untilAsserted(() -> assertThat(Files.readString(comm).trim())
                        .as("the nested process runs sleep")
                        .isEqualTo("sleep"));
        return p.pid();
    }

    private static long inodeOf(String target) {
        return Long.parseLong(target.substring(target.indexOf('[') + 1, target.length() - 1));
    }

    private static int uid() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("Uid:")) {
                return Integer.parseInt(line.substring(4).trim().split("\\s+")[1]);
            }
        }
        throw new AssertionError("no Uid: line in /proc/self/status");
    }

    /** Whether this JVM is in the initial user namespace (its uid_map maps every UID to itself). */
    private static boolean initialUserNamespace() throws IOException {
        return Files.readString(Path.of("/proc/self/uid_map")).trim().split("\\s+").length == 3
                && Files.readString(Path.of("/proc/self/uid_map")).trim().matches("0\\s+0\\s+4294967295");
    }

    /** Whether this JVM is in the initial PID namespace (one level in the NSpid line). */
    private static boolean initialPidNamespace() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(l -> l.startsWith("NSpid:"))
                .anyMatch(l -> l.substring(6).trim().split("\\s+").length == 1);
    }
}
