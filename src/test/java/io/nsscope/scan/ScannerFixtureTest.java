package io.nsscope.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.nsscope.jna.Errno;
import io.nsscope.namespace.Holder;
import io.nsscope.namespace.Namespace;
import io.nsscope.namespace.NamespaceLink;
import io.nsscope.namespace.NamespaceType;
import io.nsscope.process.Container;
import io.nsscope.process.LooseThread;
import io.nsscope.process.ProcessInfo;
import io.nsscope.procfs.Passwd;
import io.nsscope.procfs.ProcessVanishedException;
import io.nsscope.procfs.ProcfsReadException;
import io.nsscope.testing.FixtureProcFs;
import io.nsscope.testing.Fixtures;
import io.nsscope.testing.Fixtures.Scenario;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scanner on the checked-in fake procfs: lsns's numbers, and every race and oddity the tree holds. Each test scans
 * only the scenario it checks, on top of the host's processes ({@link Scenario}; what each PID stands for:
 * {@code src/test/fixtures/scenarios/README.md}), and its counts follow from the scenario.
 */
class ScannerFixtureTest {

    /** The host's namespaces, which every process of the fixture shares unless it unshared. */
    private static final long HOST_TIME = 4026531834L;

    private static final long HOST_CGROUP = 4026531835L;
    private static final long HOST_PID = 4026531836L;
    private static final long HOST_USER = 4026531837L;
    private static final long HOST_UTS = 4026531838L;
    private static final long HOST_IPC = 4026531839L;
    private static final long HOST_MNT = 4026531840L;
    private static final long HOST_NET = 4026531992L;

    /** {@link Scenario#CONTAINERS}: the runtime, on the host, and the pod's init with its two children. */
    private static final int RUNTIME = 5431;

    private static final List<Integer> POD = List.of(5438, 5741, 5742);
    /** {@link Scenario#RACES}. */
    private static final int VANISHING = 4300;

    private static final int DENIED = 4400;
    private static final int ZOMBIE = 4500;
    /** {@link Scenario#HOLDERS}: the process with a namespace descriptor and a thread that unshared. */
    private static final int HOLDER = 4242;

    @TempDir
    Path tmp;

    private int copies;

    /** Scans a copy of the host and these scenarios, as sequence 7, at a fixed time; PID 4300 vanishes. */
    private Snapshot scan(Scenario... scenarios) throws IOException {
        FixtureProcFs procFs = new FixtureProcFs(copy(scenarios)).vanishOnNamespaceRead(VANISHING);
        Passwd passwd = Passwd.read(Fixtures.PASSWD);
        Clock clock = Clock.fixed(Instant.parse("2026-11-29T01:00:00Z"), ZoneOffset.UTC);
        return new Scanner(procFs, () -> passwd, 2, clock).scan(7);
    }

    private Path copy(Scenario... scenarios) {
        return Fixtures.copy(tmp.resolve("copy" + copies++), scenarios);
    }

    @Test
    void countsProcessesVanishedAndUnreadable() throws IOException {
        Snapshot snapshot = scan(Scenario.RACES);
        List<Integer> left = Fixtures.pids(Scenario.RACES).stream()
                .filter(pid -> pid != VANISHING)
                .toList();
        long threads = 0;
        for (int pid : left) {
            threads += threadsInStat(Scenario.RACES, pid);
        }
        // one vanished (4300), one unreadable (4400)
        assertThat(snapshot.counts()).isEqualTo(new ScanCounts(left.size(), threads, 1, 1));
        assertThat(snapshot.processes()).extracting(ProcessInfo::pid).containsExactlyElementsOf(left);
        assertThat(snapshot.process(VANISHING)).isEmpty();
        assertThat(snapshot.sequence()).isEqualTo(7);
        assertThat(snapshot.takenAt()).isEqualTo(Instant.parse("2026-11-29T01:00:00Z"));
    }

    @Test
    void groupsProcessesIntoNamespacesSortedByInode() throws IOException {
        Snapshot snapshot = scan(Scenario.CONTAINERS);
        List<Integer> host = Fixtures.pids(Scenario.CONTAINERS).stream()
                .filter(pid -> !POD.contains(pid))
                .toList();
        List<Integer> everyone = Fixtures.pids(Scenario.CONTAINERS);
        // the pod shares the host's time and user namespaces, and has its own of every other type
        assertThat(snapshot.namespaces())
                .extracting(Namespace::inode, Namespace::type, Namespace::pids)
                .containsExactly(
                        tuple(HOST_TIME, NamespaceType.TIME, everyone),
                        tuple(HOST_CGROUP, NamespaceType.CGROUP, host),
                        tuple(HOST_PID, NamespaceType.PID, host),
                        tuple(HOST_USER, NamespaceType.USER, everyone),
                        tuple(HOST_UTS, NamespaceType.UTS, host),
                        tuple(HOST_IPC, NamespaceType.IPC, host),
                        tuple(HOST_MNT, NamespaceType.MNT, host),
                        tuple(HOST_NET, NamespaceType.NET, host),
                        tuple(4026532337L, NamespaceType.MNT, POD),
                        tuple(4026532340L, NamespaceType.UTS, POD),
                        tuple(4026532341L, NamespaceType.IPC, POD),
                        tuple(4026532342L, NamespaceType.PID, POD),
                        tuple(4026532345L, NamespaceType.NET, POD),
                        tuple(4026532434L, NamespaceType.CGROUP, POD));
        assertThat(snapshot.namespaces()).allSatisfy(ns -> {
            assertThat(ns.nprocs())
                    .as("nprocs of " + ns.inode())
                    .isEqualTo(ns.pids().size());
            assertThat(ns.lowestPid())
                    .as("lowest PID of " + ns.inode())
                    .isEqualTo(ns.pids().get(0));
        });
    }

    @Test
    void namespacesWithoutProcessesAreListedWithNone() throws IOException {
        Snapshot snapshot = scan(Scenario.HOLDERS);
        // the bind mount (blue), the descriptor and the loose thread's namespace: the ones no process is in
        assertThat(snapshot.namespaces())
                .filteredOn(ns -> ns.nprocs() == 0)
                .extracting(Namespace::inode, Namespace::type, Namespace::lowestPid)
                .containsExactly(
                        tuple(4026532600L, NamespaceType.NET, null),
                        tuple(4026532601L, NamespaceType.NET, null),
                        tuple(4026532602L, NamespaceType.UTS, null));
    }

    @Test
    void aBindMountHoldsANamespaceWithoutProcesses() throws IOException {
        Snapshot snapshot = scan(Scenario.HOLDERS);
        Namespace blue = snapshot.namespace(4026532600L).orElseThrow();
        assertThat(blue.persistent()).isTrue();
        assertThat(blue.holders()).containsExactly(Holder.mount(1, 4026531840L, "/run/netns/blue"));
        assertThat(blue.nsfsPaths(4026531840L)).containsExactly("/run/netns/blue");
        assertThat(blue.nsfsPaths(4026531841L)).isEmpty(); // not mounted in another mount namespace
        assertThat(blue.ghost()).isFalse();
    }

    @Test
    void anOpenDescriptorHoldsANamespaceAndOtherDescriptorsAreIgnored() throws IOException {
        Snapshot snapshot = scan(Scenario.HOLDERS);
        Namespace held = snapshot.namespace(4026532601L).orElseThrow();
        assertThat(held.holders()).containsExactly(Holder.fd(Holder.Kind.FD, 4242, 3));
        // fd 0 (/dev/null), 4 (a socket: only checked with the sockets source) and 5 (an eventfd) hold nothing
        assertThat(snapshot.namespaces())
                .flatExtracting(Namespace::holders)
                .containsExactlyInAnyOrder(
                        Holder.mount(1, HOST_MNT, "/run/netns/blue"), Holder.fd(Holder.Kind.FD, HOLDER, 3));
    }

    @Test
    void aThreadThatUnsharedIsLooseAndItsNamespaceListed() throws IOException {
        Snapshot snapshot = scan(Scenario.HOLDERS);
        assertThat(snapshot.looseThreads())
                .containsExactly(new LooseThread(
                        4250,
                        4242,
                        "nsscope-probe",
                        snapshot.looseThreads().get(0).namespaces(),
                        List.of(NamespaceLink.UTS)));
        assertThat(snapshot.looseThreads().get(0).namespaces())
                .containsEntry(NamespaceLink.UTS, 4026532602L)
                .containsEntry(NamespaceLink.NET, HOST_NET)
                .hasSize(NamespaceLink.values().length);
        Namespace uts = snapshot.namespace(4026532602L).orElseThrow();
        assertThat(uts.looseThreads()).containsExactly(4250);
        assertThat(uts.nprocs()).isZero();
        assertThat(snapshot.looseThreadsOf(4242)).hasSize(1);
        assertThat(snapshot.looseThreadsOf(1)).isEmpty();
        // the process itself stays in its own namespace
        assertThat(snapshot.process(4242).orElseThrow().namespace(NamespaceType.UTS))
                .isEqualTo(4026531838L);
    }

    @Test
    void descriptorTablesAreReadWholeOnceInFourScansAndKnownHoldersCheckedEveryScan() throws Exception {
        Path root = copy(Scenario.HOLDERS);
        Scanner scanner = new Scanner(new FixtureProcFs(root), () -> Passwd.EMPTY, 1, Clock.systemUTC());
        assertThat(scanner.scan(0).namespace(4026532601L)).isPresent(); // every process is new: all tables read
        // PID 1 opens a namespace file; its table is read whole only in scans whose number is 1 modulo 4
        Files.createSymbolicLink(
                Files.createDirectories(root.resolve("1/fd")).resolve("6"), Path.of("net:[4026532700]"));
        assertThat(scanner.scan(2).namespace(4026532700L)).isEmpty();
        assertThat(scanner.scan(5).namespace(4026532700L))
                .hasValueSatisfying(ns -> assertThat(ns.holders()).containsExactly(Holder.fd(Holder.Kind.FD, 1, 6)));
        // 4242 (read whole in scans 2 modulo 4) closes its descriptor: checked again at the very next scan
        Files.delete(root.resolve("4242/fd/3"));
        assertThat(scanner.scan(7).namespace(4026532601L)).isEmpty();
        assertThat(scanner.scan(8).namespace(4026532700L)).isPresent(); // carried over, and still held
    }

    @Test
    void aProcesssNspidIsReadOnceAndAgainOnlyForANewProcessUnderTheSamePid() throws Exception {
        Path root = copy(Scenario.CONTAINERS);
        Scanner scanner = new Scanner(new FixtureProcFs(root), () -> Passwd.EMPTY, 1, Clock.systemUTC());
        assertThat(scanner.scan(0).process(5438).orElseThrow().nspid()).containsExactly(5438, 1);
        Path status = root.resolve("5438/status");
        Files.writeString(status, Files.readString(status).replace("NSpid:\t5438\t1", "NSpid:\t5438\t7"));
        // the same process (PID and start time): NSpid cannot have changed, status is not read again
        assertThat(scanner.scan(1).process(5438).orElseThrow().nspid()).containsExactly(5438, 1);
        // another process under the same PID (another start time): read
        Path stat = root.resolve("5438/stat");
        Files.writeString(stat, Files.readString(stat).replace(" 0 100 0 ", " 0 200 0 "));
        assertThat(scanner.scan(2).process(5438).orElseThrow().nspid()).containsExactly(5438, 7);
    }

    @Test
    void withoutTheExtraSourcesOnlyProcessesMakeNamespaces() throws Exception {
        Snapshot plain = new Scanner(
                        new FixtureProcFs(copy(Scenario.HOLDERS)),
                        () -> Passwd.EMPTY,
                        1,
                        Clock.systemUTC(),
                        Sources.PROCESSES_ONLY)
                .scan(1);
        // the holders' process is in the host's namespaces: one of each type, and none of what it holds
        assertThat(plain.namespaces())
                .hasSize(NamespaceType.values().length)
                .allMatch(ns -> ns.nprocs() > 0 && ns.holders().isEmpty());
        assertThat(plain.looseThreads()).isEmpty();
    }

    @Test
    void pidForChildrenAloneMakesNoNamespaceRowButIsKeptOnTheProcess() throws IOException {
        Snapshot snapshot = scan(Scenario.PID_FOR_CHILDREN);
        assertThat(snapshot.namespace(4026532500L)).isEmpty();
        ProcessInfo unshare = snapshot.process(6000).orElseThrow();
        assertThat(unshare.namespaces())
                .containsEntry(NamespaceLink.PID_FOR_CHILDREN, 4026532500L)
                .containsEntry(NamespaceLink.PID, HOST_PID);
    }

    @Test
    void readsTheFieldsLsnsShows() throws IOException {
        Snapshot snapshot = scan(Scenario.CONTAINERS);
        ProcessInfo init = snapshot.process(5438).orElseThrow();
        assertThat(init.ppid()).isEqualTo(RUNTIME);
        assertThat(init.comm()).isEqualTo("init");
        assertThat(init.command()).isEqualTo("init [3]  ");
        assertThat(init.nspid()).containsExactly(5438, 1);
        assertThat(init.uid()).isNotNull();
        assertThat(init.user())
                .isEqualTo(new Passwd(java.util.Map.of(0, "root", 1000, "nix", 65534, "nobody")).nameOf(init.uid()));
        assertThat(snapshot.process(5741).orElseThrow().nspid()).containsExactly(5741, 291);
        assertThat(snapshot.process(1).orElseThrow().command()).isEqualTo("/sbin/init splash");
    }

    @Test
    void kernelThreadsShowTheirNameAsCommand() throws IOException {
        Snapshot snapshot = scan(Scenario.HOST);
        ProcessInfo kworker = snapshot.process(3).orElseThrow();
        assertThat(kworker.kernelThread()).isTrue();
        assertThat(kworker.command()).isEqualTo("kworker/0:0-events");
        assertThat(snapshot.process(1).orElseThrow().kernelThread()).isFalse();
    }

    @Test
    void commWithParenthesesAndSpacesAndAnEmptyCmdline() throws IOException {
        ProcessInfo odd = scan(Scenario.HOLDERS).process(HOLDER).orElseThrow();
        assertThat(odd.comm()).isEqualTo("a) b (c");
        assertThat(odd.command()).isEqualTo("a) b (c");
        assertThat(odd.ppid()).isEqualTo(100);
        assertThat(odd.state()).isEqualTo('S');
    }

    @Test
    void anUnreadableProcessIsKeptWithWhatCouldBeRead() throws IOException {
        Snapshot snapshot = scan(Scenario.RACES);
        ProcessInfo secret = snapshot.process(DENIED).orElseThrow();
        assertThat(secret.unreadable()).isTrue();
        assertThat(secret.namespaces()).isEmpty();
        assertThat(secret.command()).isEqualTo("secret");
        assertThat(secret.ppid()).isEqualTo(1);
        assertThat(snapshot.namespaces()).noneMatch(ns -> ns.pids().contains(DENIED));
    }

    @Test
    void aZombieCountsOnlyInTheNamespacesItStillHas() throws IOException {
        Snapshot snapshot = scan(Scenario.RACES);
        ProcessInfo zombie = snapshot.process(ZOMBIE).orElseThrow();
        assertThat(zombie.state()).isEqualTo('Z');
        assertThat(zombie.namespaces()).containsOnlyKeys(NamespaceLink.PID, NamespaceLink.USER);
        assertThat(snapshot.namespace(HOST_PID).orElseThrow().pids()).contains(ZOMBIE);
        assertThat(snapshot.namespace(HOST_NET).orElseThrow().pids()).doesNotContain(ZOMBIE);
        assertThat(zombie.unreadable()).isFalse();
    }

    @Test
    void initIsTheLowestFullyReadableProcess() throws IOException {
        assertThat(scan(Scenario.values()).init()).map(ProcessInfo::pid).contains(1);
    }

    @Test
    void readsTheContainerOrUnitFromTheCgroup() throws IOException {
        Snapshot snapshot = scan(Scenario.CONTAINERS, Scenario.USER_NAMESPACES, Scenario.RACES);
        Container pod = new Container(
                "containerd",
                "3f2a9c4e1b7d8a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a29",
                "6c1f4a3e-9b2d-4c7e-8f10-2a3b4c5d6e7f",
                "cri-containerd-3f2a9c4e1b7d8a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a29.scope");
        assertThat(snapshot.process(5438).orElseThrow().container()).isEqualTo(pod);
        assertThat(snapshot.process(5742).orElseThrow().container()).isEqualTo(pod);
        assertThat(snapshot.process(22771).orElseThrow().container())
                .extracting(Container::runtime, Container::podUid)
                .containsExactly("podman", null);
        assertThat(snapshot.process(1).orElseThrow().container())
                .isEqualTo(new Container("systemd", null, null, "init.scope"));
        assertThat(snapshot.process(ZOMBIE).orElseThrow().container())
                .isEqualTo(new Container("systemd", null, null, "session-2.scope"));
        // The root cgroup names nothing; a denied cgroup file leaves the process unreadable, with no container.
        assertThat(snapshot.process(2).orElseThrow().container()).isNull();
        assertThat(snapshot.process(DENIED).orElseThrow().container()).isNull();
        assertThat(snapshot.process(DENIED).orElseThrow().unreadable()).isTrue();
    }

    @Test
    void aLiveProcesssFileFailingWithAnUnexpectedErrnoLeavesItUnreadableAndTheScanGoesOn() throws Exception {
        FixtureProcFs procFs = new FixtureProcFs(copy(Scenario.HOST)) {
            @Override
            public String read(int pid, String file) throws IOException {
                if (pid == 100 && file.equals("cmdline")) {
                    throw new ProcfsReadException(pidDir(pid).resolve(file).toString(), "read", Errno.OTHER, 5);
                }
                return super.read(pid, file);
            }
        };
        Snapshot eio = new Scanner(procFs, () -> Passwd.EMPTY, 1, Clock.systemUTC()).scan(1);
        assertThat(eio.process(100)).hasValueSatisfying(p -> {
            assertThat(p.unreadable()).isTrue();
            assertThat(p.namespaces()).isEmpty();
        });
        assertThat(eio.counts().processes()).isEqualTo(Fixtures.pids().size()); // 100 kept, unreadable
        assertThat(eio.process(101).orElseThrow().unreadable()).isFalse();
    }

    @Test
    void aProcfsWhoseEveryProcessVanishedFailsTheScan() throws Exception {
        FixtureProcFs procFs = new FixtureProcFs(copy(Scenario.HOST)) {
            @Override
            public String read(int pid, String file) {
                throw new ProcessVanishedException(pid, null);
            }
        };
        assertThatThrownBy(() -> new Scanner(procFs, () -> Passwd.EMPTY, 1, Clock.systemUTC()).scan(1))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("vanished");
    }

    /** Field 20 of the process's stat file in the scenario (its number of threads), read here independently. */
    private static long threadsInStat(Scenario scenario, int pid) throws IOException {
        Path stat = (Scenario.HOST.pids().contains(pid) ? Scenario.HOST : scenario)
                .dir()
                .resolve(Integer.toString(pid))
                .resolve("stat");
        String text = Files.readString(stat);
        return Long.parseLong(text.substring(text.lastIndexOf(')') + 2).split(" ")[17]);
    }
}
